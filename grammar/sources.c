/* sources.c — source declarations, cites of them, and quoted passages; see
 * sources.h. */
#include "sources.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "check.h"

static bool name_is(const ast_name *n, const char *word)
{
    return n->len == strlen(word) && memcmp(n->text, word, n->len) == 0;
}

static const ast_source *source_find(const ast_program *prog, const char *id, uint32_t len)
{
    for (const ast_source *s = prog->sources; s; s = s->next)
        if (s->id.len == len && memcmp(s->id.text, id, len) == 0)
            return s;
    return NULL;
}

/* The value of field WORD of S, or NULL. */
static const ast_str *source_field(const ast_source *s, const char *word)
{
    for (const ast_source_field *f = s->fields; f; f = f->next)
        if (name_is(&f->name, word))
            return &f->value;
    return NULL;
}

/* "[ID] TITLE", in ARENA. */
static char *label(arena *a, const ast_source *s, uint32_t *len)
{
    size_t n = (size_t)s->id.len + s->title.len + 3;
    char *text = arena_alloc(a, n + 1);
    snprintf(text, n + 1, "[%.*s] %.*s", (int)s->id.len, s->id.text, (int)s->title.len,
             s->title.text);
    *len = (uint32_t)n;
    return text;
}

static void check_declarations(const ast_program *prog, check_env *env, diag_list *d)
{
    for (const ast_source *s = prog->sources; s; s = s->next) {
        const ast_source *first = source_find(prog, s->id.text, s->id.len);
        span earlier;
        if (first != s) {
            diag_add(d, DIAG_ERROR, E_DUP_DECL, s->id.sp, "source '%.*s' is declared twice",
                     (int)s->id.len, s->id.text);
            diag_note(d, &first->id.sp, "first declared here");
        } else if (check_env_source(env, s->id.text, s->id.len, &earlier)) {
            diag_add(d, DIAG_ERROR, E_DUP_DECL, s->id.sp, "source '%.*s' is declared twice",
                     (int)s->id.len, s->id.text);
            diag_note(d, &earlier, "first declared here");
        } else {
            uint32_t len;
            char *text = label(prog->arena, s, &len);
            check_env_add_source(env, s->id.text, s->id.len, text, s->id.sp);
        }
        for (const ast_source_field *f = s->fields; f; f = f->next) {
            if (!name_is(&f->name, "author") && !name_is(&f->name, "site") &&
                !name_is(&f->name, "file")) {
                diag_add(d, DIAG_ERROR, E_SOURCE_FIELD, f->name.sp,
                         "a source has no field '%.*s'", (int)f->name.len, f->name.text);
                diag_note(d, NULL, "its fields are author, site and file");
                continue;
            }
            for (const ast_source_field *g = s->fields; g != f; g = g->next)
                if (g->name.len == f->name.len && memcmp(g->name.text, f->name.text, f->name.len) == 0) {
                    diag_add(d, DIAG_ERROR, E_SOURCE_FIELD, f->name.sp,
                             "'%.*s' is given twice for source '%.*s'", (int)f->name.len,
                             f->name.text, (int)s->id.len, s->id.text);
                    break;
                }
        }
    }
}

/* Resolve the ids of one cites list; a known one gets "[ID] TITLE". A
 * source of this program is linked (for sources_quotes); one an earlier
 * load declared is found in the environment. */
static void resolve(ast_program *prog, check_env *env, ast_str *cites, diag_list *d)
{
    for (ast_str *c = cites; c; c = c->next) {
        if (!c->is_id)
            continue;
        const ast_source *s = source_find(prog, c->text, c->len);
        const char *known = check_env_source(env, c->text, c->len, NULL);
        if (!s && !known) {
            diag_add(d, DIAG_ERROR, E_UNKNOWN_SOURCE, c->sp,
                     "cites '%.*s', but no source has this id", (int)c->len, c->text);
            diag_note(d, NULL, "declare it: source %.*s \"TITLE\"", (int)c->len, c->text);
            continue;
        }
        c->text = s ? label(prog->arena, s, &c->len)
                    : arena_strndup(prog->arena, known, strlen(known));
        if (!s)
            c->len = (uint32_t)strlen(known);
        c->source = s;
    }
}

void sources_check(ast_program *prog, check_env *env, diag_list *d)
{
    check_declarations(prog, env, d);
    for (ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_RULE)
            continue;
        resolve(prog, env, x->u.rule.cites, d);
        for (ast_action *a = x->u.rule.actions; a; a = a->next)
            if (a->kind == ACT_RECOMMEND)
                resolve(prog, env, a->u.recommend.cites, d);
    }
}

/* ---- quoted passages ----------------------------------------------------- */

/* Text made plain for comparison: typographic quotes become ' and ", an
 * ellipsis character three dots, and every run of white space (no-break
 * space included) one space. OUT has room for 3 * N bytes + 1. */
static size_t plain(const unsigned char *s, size_t n, char *out)
{
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = s[i];
        const char *rep = NULL;
        size_t skip = 0;
        if (ch == 0xE2 && i + 2 < n && s[i + 1] == 0x80) {
            unsigned char c3 = s[i + 2];
            if (c3 >= 0x98 && c3 <= 0x9B)
                rep = "'";
            else if (c3 >= 0x9C && c3 <= 0x9F)
                rep = "\"";
            else if (c3 == 0xA6)
                rep = "...";
            skip = rep ? 2 : 0;
        } else if (ch == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) {
            space = true;
            i++;
            continue;
        }
        if (!rep && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v')) {
            space = true;
            continue;
        }
        if (space && o > 0)
            out[o++] = ' ';
        space = false;
        if (rep) {
            size_t k = strlen(rep);
            memcpy(out + o, rep, k);
            o += k;
            i += skip;
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o] = '\0';
    return o;
}

typedef struct source_text {
    const ast_source *src;
    char *text;               /* plain; NULL when it could not be read */
} source_text;

static char *read_plain(const char *dir, const ast_str *file, const ast_source *s, diag_list *d)
{
    size_t plen = strlen(dir) + file->len + 2;
    char *path = malloc(plen);
    if (!path)
        return NULL;
    snprintf(path, plen, "%s/%.*s", dir, (int)file->len, file->text);
    FILE *fp = fopen(path, "rb");
    char *raw = NULL, *out = NULL;
    size_t len = 0;
    if (fp) {
        size_t cap = 0, got;
        for (;;) {
            if (len + 4096 > cap) {
                cap = cap ? cap * 2 : 65536;
                char *grown = realloc(raw, cap);
                if (!grown)
                    break;
                raw = grown;
            }
            got = fread(raw + len, 1, cap - len, fp);
            len += got;
            if (got == 0)
                break;
        }
        bool bad = ferror(fp);
        fclose(fp);
        if (!bad && raw) {
            out = malloc(3 * len + 1);
            if (out)
                plain((const unsigned char *)raw, len, out);
        }
    }
    if (!out)
        diag_add_file(d, DIAG_ERROR, E_IO, path, "cannot read the text of source '%.*s': %s",
                      (int)s->id.len, s->id.text, fp ? "read error" : strerror(errno));
    free(raw);
    free(path);
    return out;
}

/* One doc string as written, with escapes read, and where each byte came
 * from in the file. */
typedef struct doc_text {
    char *c;
    uint32_t *at;             /* file offset of c[i] */
    size_t n;
} doc_text;

static bool doc_read(const src_file *f, span sp, doc_text *t)
{
    size_t n = sp.end - sp.start;
    t->c = malloc(n + 1);
    t->at = malloc((n + 1) * sizeof *t->at);
    t->n = 0;
    if (!t->c || !t->at)
        return false;
    /* between the quotes of the string */
    for (uint32_t i = sp.start + 1; i + 1 < sp.end; i++) {
        char ch = f->text[i];
        uint32_t at = i;
        if (ch == '\\' && i + 2 < sp.end) {
            char e = f->text[++i];
            ch = e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        t->c[t->n] = ch;
        t->at[t->n++] = at;
    }
    t->c[t->n] = '\0';
    return true;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }
static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

/* A quote opens after the start, white space or an opening bracket, before
 * text; it closes after text and before the end or anything but a letter
 * or digit (so the apostrophe of "don't" is neither). */
static bool opens(const doc_text *t, size_t i)
{
    char before = i ? t->c[i - 1] : ' ';
    return t->c[i] == '\'' && (is_space(before) || strchr("([{/", before)) && i + 1 < t->n &&
           !is_space(t->c[i + 1]);
}

static bool closes(const doc_text *t, size_t i)
{
    return t->c[i] == '\'' && i > 0 && !is_space(t->c[i - 1]) &&
           (i + 1 == t->n || !is_word(t->c[i + 1]));
}

/* Is every piece of the passage (split at "...") in one of the texts? */
static bool found(const char *passage, const source_text *texts, unsigned ntexts)
{
    for (unsigned k = 0; k < ntexts; k++) {
        if (!texts[k].text)
            continue;
        bool all = true;
        const char *p = passage;
        while (*p && all) {
            const char *dots = strstr(p, "...");
            size_t len = dots ? (size_t)(dots - p) : strlen(p);
            while (len && p[0] == ' ') {
                p++;
                len--;
            }
            while (len && p[len - 1] == ' ')
                len--;
            if (len) {
                char piece[len + 1];
                memcpy(piece, p, len);
                piece[len] = '\0';
                all = strstr(texts[k].text, piece) != NULL;
            }
            p = dots ? dots + 3 : p + strlen(p);
        }
        if (all)
            return true;
    }
    return false;
}

static unsigned check_doc(const ast_rule *r, const src_file *f, const source_text *texts,
                          unsigned ntexts, diag_list *d)
{
    doc_text t;
    unsigned checked = 0;
    if (!doc_read(f, r->doc.sp, &t)) {
        free(t.c);
        free(t.at);
        return 0;
    }
    for (size_t i = 0; i < t.n; i++) {
        if (!opens(&t, i))
            continue;
        size_t j = i + 1;
        while (j < t.n && !closes(&t, j))
            j++;
        if (j == t.n)
            break; /* an apostrophe, not a quote: nothing closes it */
        size_t n = j - i - 1;
        char *passage = malloc(3 * n + 1);
        if (passage) {
            plain((const unsigned char *)t.c + i + 1, n, passage);
            checked++;
            if (!found(passage, texts, ntexts)) {
                span sp = {.start = t.at[i], .end = t.at[j] + 1, .file = r->doc.sp.file};
                int show = (int)strlen(passage) > 60 ? 57 : (int)strlen(passage);
                const char *more = (int)strlen(passage) > 60 ? "..." : "";
                if (ntexts == 0)
                    diag_add(d, DIAG_ERROR, E_QUOTE, sp,
                             "quoted passage '%.*s%s', but rule '%.*s' cites no source", show,
                             passage, more, (int)r->name.len, r->name.text);
                else
                    diag_add(d, DIAG_ERROR, E_QUOTE, sp,
                             "quoted passage '%.*s%s' is not in the text of the %s it cites", show,
                             passage, more, ntexts == 1 ? "source" : "sources");
                for (unsigned k = 0; k < ntexts; k++)
                    diag_note(d, NULL, "%s [%.*s] %.*s", texts[k].text ? "searched" : "no text for",
                              (int)texts[k].src->id.len, texts[k].src->id.text,
                              (int)texts[k].src->title.len, texts[k].src->title.text);
            }
            free(passage);
        }
        i = j;
    }
    free(t.c);
    free(t.at);
    return checked;
}

unsigned sources_quotes(const ast_program *prog, const srcset *src, const char *dir, diag_list *d)
{
    unsigned nsources = 0;
    for (const ast_source *s = prog->sources; s; s = s->next)
        nsources++;
    source_text *all = calloc(nsources + 1, sizeof *all);
    source_text *cited = calloc(nsources + 1, sizeof *cited);
    unsigned checked = 0;
    if (!all || !cited)
        goto out;
    unsigned i = 0;
    for (const ast_source *s = prog->sources; s; s = s->next, i++) {
        all[i].src = s;
        const ast_str *file = source_field(s, "file");
        if (file && source_find(prog, s->id.text, s->id.len) == s)
            all[i].text = read_plain(dir, file, s, d);
    }
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_RULE || !x->u.rule.doc.text)
            continue;
        const ast_rule *r = &x->u.rule;
        unsigned n = 0;
        for (const ast_str *c = r->cites; c; c = c->next) {
            if (!c->is_id)
                continue;
            for (unsigned k = 0; k < nsources; k++) {
                if (all[k].src != c->source)
                    continue;
                bool dup = false;
                for (unsigned m = 0; m < n; m++)
                    dup |= cited[m].src == c->source;
                if (!dup)
                    cited[n++] = all[k];
                break;
            }
        }
        checked += check_doc(r, srcset_file(src, r->doc.sp.file), cited, n, d);
    }
out:
    for (unsigned k = 0; all && k < nsources; k++)
        free(all[k].text);
    free(all);
    free(cited);
    return checked;
}
