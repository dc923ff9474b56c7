/* front.c — reading paths and the front end's load boundary; see front.h. */
#include "front.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "check_module.h"
#include "lint.h"
#include "sources.h"

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Why srcset_read failed, in words. */
static const char *read_error(int err)
{
    return err == EINVAL ? "it is not a regular file" : strerror(err);
}

/* Add every *.sinew file directly in DIR, in name order. */
static unsigned read_dir(srcset *src, const char *dir, uint32_t *first, bool *have_first,
                         diag_list *d)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        diag_add_file(d, DIAG_ERROR, E_IO, dir, "cannot read this folder: %s", strerror(errno));
        return 0;
    }
    sn_mem *m = src->mem;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".sinew"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = mem_realloc(m, names, cap * sizeof *grown);
            if (!grown)
                break;
            names = grown;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = mem_alloc(m, len);
        if (!names[n])
            break;
        snprintf(names[n], len, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", e->d_name);
        n++;
    }
    closedir(dp);
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);
    unsigned added = 0;
    for (size_t i = 0; i < n; i++) {
        int idx = srcset_read(src, names[i]);
        if (idx < 0) {
            diag_add_file(d, DIAG_ERROR, E_IO, names[i], "cannot read this file: %s",
                          read_error(errno));
        } else {
            if (!*have_first) {
                *first = (uint32_t)idx;
                *have_first = true;
            }
            added++;
        }
        mem_free(m, names[i]);
    }
    mem_free(m, names);
    if (n == 0)
        diag_add_file(d, DIAG_ERROR, E_IO, dir, "this folder holds no .sinew files");
    return added;
}

unsigned front_read(srcset *src, const char *const *paths, unsigned npaths, uint32_t *first,
                    diag_list *d)
{
    unsigned added = 0;
    bool have_first = false;
    *first = src->nfiles;
    for (unsigned i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            added += read_dir(src, paths[i], first, &have_first, d);
            continue;
        }
        int idx = srcset_read(src, paths[i]);
        if (idx < 0) {
            diag_add_file(d, DIAG_ERROR, E_IO, paths[i], "cannot read this file: %s",
                          read_error(errno));
            continue;
        }
        if (!have_first) {
            *first = (uint32_t)idx;
            have_first = true;
        }
        added++;
    }
    return added;
}

ast_program *front_build(sn_mem *mem, check_env *env, const srcset *src, uint32_t first,
                         unsigned n, diag_list *d, front_mode last)
{
    jmp_buf here;
    jmp_buf *outer = mem->oom;
    mem->oom = NULL; /* the program itself is made without a landing */
    ast_program *volatile prog = ast_program_new(mem);
    mem->oom = outer;
    check_env_begin(env);
    if (!prog || setjmp(here)) {
        mem->oom = outer;
        check_env_rollback(env);
        ast_program_free(prog);
        const char *name = n > 0 ? srcset_file(src, first)->name : "<input>";
        if (mem->limit)
            diag_add_file(d, DIAG_ERROR, E_NOMEM, name,
                          "out of memory while loading (the limit of %zu bytes was reached); "
                          "nothing was loaded", mem->limit);
        else
            diag_add_file(d, DIAG_ERROR, E_NOMEM, name,
                          "out of memory while loading; nothing was loaded");
        return NULL;
    }
    mem->oom = &here;
    prog->keep_comments = true; /* for `# allow W004` (lint.h) */
    prog->pack_facts = true;    /* data files cost little (ast.h) */
    unsigned from = d->n;
    unsigned syntax = 0;
    for (unsigned i = 0; i < n; i++)
        syntax += parse_file_as(prog, src, first + i, d, i + 1 == n ? last : FRONT_PROGRAM);
    /* A program with syntax errors is incomplete: judging its names would
     * report the missing pieces again, so checks wait for a clean parse. */
    if (syntax == 0) {
        unsigned errors = d->nerrors;
        /* the lints judge a whole knowledge base: not text loaded on top
         * of another (a REPL's `load`, a typed fact) */
        bool whole = check_env_templates(env) == 0 && last == FRONT_PROGRAM;
        check_program(prog, env, d);
        sources_check(prog, env, d);
        modules_check(prog, env, d, whole && d->nerrors == errors);
        if (d->nerrors == errors && whole)
            lint_program(prog, src, d);
        lint_allow(prog, src, d, from);
    }
    mem->oom = outer;
    return prog;
}
