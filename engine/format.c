/* format.c — sn_layout: a file's text in sinew's one layout (grammar/fmt.h),
 * checked to mean what the original meant.
 *
 * The check is the syntax tree: the new text is parsed again and its tree,
 * as ast_dump writes it, must be the original's, and its comments the
 * original's in the same order. A layout that fails it is a bug in the
 * formatter; it is reported (E009) and the text is not handed out, so a
 * file is never rewritten into something else.
 */
#include <stdlib.h>
#include <string.h>

#include "../grammar/diag.h"
#include "../grammar/dump.h"
#include "../grammar/fmt.h"
#include "../grammar/front.h"
#include "load.h"

/* PROG's tree as ast_dump writes it (malloc'd), or NULL. */
static char *dump_text(const ast_program *prog)
{
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    if (!ms)
        return NULL;
    ast_dump(ms, prog);
    if (fclose(ms) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* A comment's text without the blanks that end it. */
static size_t comment_len(const src_file *f, const ast_comment *c)
{
    uint32_t end = c->sp.end;
    while (end > c->sp.start && strchr(" \t\r\f\v", f->text[end - 1]))
        end--;
    return end - c->sp.start;
}

static bool same_comments(const src_file *fa, const ast_comment *a, const src_file *fb,
                          const ast_comment *b)
{
    for (; a && b; a = a->next, b = b->next) {
        size_t na = comment_len(fa, a), nb = comment_len(fb, b);
        if (na != nb || memcmp(fa->text + a->sp.start, fb->text + b->sp.start, na) != 0)
            return false;
    }
    return !a && !b;
}

static bool same_meaning(const ast_program *a, const src_file *fa, const ast_program *b,
                         const src_file *fb)
{
    char *da = dump_text(a), *db = dump_text(b);
    bool same = da && db && strcmp(da, db) == 0 && same_comments(fa, a->comments, fb, b->comments);
    free(da);
    free(db);
    return same;
}

sn_status sn_layout(const char *name, const char *text, size_t len, char **out, size_t *out_len,
                    sn_report *r)
{
    *out = NULL;
    *out_len = 0;
    sn_mem mem;
    mem_init(&mem);
    srcset src;
    srcset_init(&src, &mem);
    diag_list d, again;
    diag_list_init(&d, &mem);
    diag_list_init(&again, &mem);
    fmt_buf text_out = {.mem = &mem}, scratch = {.mem = &mem};
    ast_program *volatile orig = ast_program_new(&mem);
    ast_program *volatile redone = ast_program_new(&mem);
    int file = srcset_add(&src, name, text, len);
    jmp_buf here;
    if (!orig || !redone || file < 0 || setjmp(here)) {
        mem.oom = NULL;
        diag_add_file(&d, DIAG_ERROR, E_NOMEM, name, "out of memory while formatting");
        goto done;
    }
    mem.oom = &here;
    orig->keep_comments = redone->keep_comments = true;
    if (parse_file(orig, &src, (uint32_t)file, &d) == 0) {
        fmt_program(&text_out, &scratch, orig, srcset_file(&src, (uint32_t)file));
        int again_file = srcset_add(&src, name, text_out.text ? text_out.text : "", text_out.len);
        if (again_file < 0)
            mem_failed(&mem);
        unsigned errors = parse_file(redone, &src, (uint32_t)again_file, &again);
        if (errors || !same_meaning(orig, srcset_file(&src, (uint32_t)file), redone,
                                    srcset_file(&src, (uint32_t)again_file)))
            diag_add_file(&d, DIAG_ERROR, E_FORMAT, name,
                          "the layout would change what this file means (a bug in sinew "
                          "fmt); the text is left as it was");
    }
    mem.oom = NULL;
    if (d.nerrors == 0) {
        *out = malloc(text_out.len + 1);
        if (*out) {
            memcpy(*out, text_out.text ? text_out.text : "", text_out.len);
            (*out)[text_out.len] = '\0';
            *out_len = text_out.len;
        } else {
            diag_add_file(&d, DIAG_ERROR, E_NOMEM, name, "out of memory while formatting");
        }
    }
done:;
    sn_status ok = diag_status(&d);
    sn_report scratch_report = {0};
    fill_report_as(r ? r : &scratch_report, &src, &d, 0, false);
    sn_report_free(&scratch_report);
    mem_free(&mem, text_out.text);
    mem_free(&mem, scratch.text);
    ast_program_free(orig);
    ast_program_free(redone);
    diag_list_fini(&d);
    diag_list_fini(&again);
    srcset_fini(&src);
    mem_fini(&mem);
    return ok;
}
