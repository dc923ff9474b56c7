/* srctext.c — the source text the engine keeps: where a declaration is,
 * a condition as written, a doc string as one paragraph; see srctext.h.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "srctext.h"

char *where_of(engine *e, const srcset *src, span sp)
{
    const src_file *f = srcset_file(src, sp.file);
    uint32_t line, col;
    src_position(f, sp.start, &line, &col);
    size_t n = (size_t)snprintf(NULL, 0, "%s:%u", f->name, line) + 1;
    char *out = arena_alloc(e->perm, n);
    snprintf(out, n, "%s:%u", f->name, line);
    return out;
}

/* TEXT with every run of white space made one space: a doc string as one
 * paragraph, however it was laid out in the file. */
char *squeeze(engine *e, const char *text, size_t len)
{
    char *out = arena_alloc(e->perm, len + 1);
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = false;
        out[n++] = ch;
    }
    out[n] = '\0';
    return out;
}

char *span_text(engine *e, const srcset *src, span sp)
{
    const src_file *f = srcset_file(src, sp.file);
    /* squeeze runs of white space, so a pattern over lines reads as one */
    char *out = arena_alloc(e->perm, sp.end - sp.start + 1);
    size_t n = 0;
    bool space = false;
    for (uint32_t i = sp.start; i < sp.end; i++) {
        char ch = f->text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = true;
            continue;
        }
        if (space && n > 0)
            out[n++] = ' ';
        space = false;
        out[n++] = ch;
    }
    out[n] = '\0';
    return out;
}

