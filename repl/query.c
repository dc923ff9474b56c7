/* query.c — calling a program's queries from the command line and the
 * REPL: the call as typed (`by_site groin 3`), and the rows as a table or
 * as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sinew.h"
#include "cli.h"
#include "commands.h"

/* One word of a call: a number, a "string" or a symbol. *P moves past it;
 * false at the end of the text or for a string with no closing quote. */
static bool next_value(char **p, sn_value *v, char *err, size_t errsize)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return false;
    if (*s == '"') {
        char *end = strchr(s + 1, '"');
        if (!end) {
            snprintf(err, errsize, "a string with no closing '\"': %s", s);
            return false;
        }
        *end = '\0';
        *v = (sn_value){.text = s + 1, .is_string = true};
        *p = end + 1;
        return true;
    }
    char *end = s;
    while (*end && *end != ' ' && *end != '\t')
        end++;
    if (*end)
        *end++ = '\0';
    *p = end;
    double d;
    int kind = s[0] == '-' || (s[0] >= '0' && s[0] <= '9') ? sn_number_parse(s, &d) : SN_NOT_A_NUMBER;
    if (kind == SN_TOO_LARGE) {
        snprintf(err, errsize, "'%s' is too large for a number", s);
        return false;
    }
    if (kind == SN_NUMBER)
        *v = (sn_value){.is_number = true, .number = d};
    else
        *v = (sn_value){.text = s};
    return true;
}

bool query_call(sn_engine *e, char *call, sn_rows *rows, const char **name, char *err,
                size_t errsize)
{
    err[0] = '\0';
    char *p = call;
    while (*p == ' ' || *p == '\t')
        p++;
    char *n = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (*p)
        *p++ = '\0';
    *name = n;
    if (!*n) {
        snprintf(err, errsize, "which query? (a name, then its arguments)");
        return false;
    }
    enum { MAX_ARGS = 64 };
    sn_value args[MAX_ARGS];
    unsigned nargs = 0;
    sn_value v;
    while (next_value(&p, &v, err, errsize)) {
        if (nargs == MAX_ARGS) {
            snprintf(err, errsize, "more than %d arguments", MAX_ARGS);
            return false;
        }
        args[nargs++] = v;
    }
    if (err[0])
        return false;
    return sn_query_run(e, n, args, nargs, rows, err, errsize) == SN_OK;
}

static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void cell_text(FILE *out, const sn_value *c)
{
    if (c->is_string)
        sn_json_string(out, c->text);
    else
        fputs(c->text, out);
}

static size_t cell_width(const sn_value *c)
{
    size_t w = width(c->text);
    if (c->is_string) /* quoted, and a few escapes: near enough for columns */
        w += 2;
    return w;
}

/* N spaces (a table's padding: written in runs, not through a format) */
static void pad(FILE *out, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        fwrite(spaces, 1, k, out);
        n -= k;
    }
}

void print_rows(FILE *out, const sn_rows *r)
{
    size_t *w = calloc(r->ncols + 1, sizeof *w);
    if (!w)
        return;
    for (unsigned k = 0; k < r->ncols; k++) {
        w[k] = 1 + width(r->cols[k]);
        for (unsigned i = 0; i < r->nrows; i++) {
            size_t cw = cell_width(&r->cells[(size_t)i * r->ncols + k]);
            if (cw > w[k])
                w[k] = cw;
        }
    }
    for (unsigned k = 0; k < r->ncols; k++)
        fprintf(out, "?%s%*s", r->cols[k], k + 1 < r->ncols ? (int)(w[k] + 1 - width(r->cols[k])) : 0, "");
    if (r->ncols)
        fputc('\n', out);
    /* a row's names and numbers are gathered and written at once (a
     * string is written as JSON writes it, straight to OUT) */
    char line[4096];
    size_t len = 0;
    for (unsigned i = 0; i < r->nrows; i++) {
        for (unsigned k = 0; k < r->ncols; k++) {
            const sn_value *c = &r->cells[(size_t)i * r->ncols + k];
            size_t n = strlen(c->text);
            size_t gap = k + 1 < r->ncols ? w[k] + 2 - cell_width(c) : 0;
            if (c->is_string || len + n + gap + 1 > sizeof line) {
                fwrite(line, 1, len, out);
                len = 0;
            }
            if (c->is_string || n + gap + 1 > sizeof line) {
                cell_text(out, c);
                pad(out, gap);
                continue;
            }
            memcpy(line + len, c->text, n);
            memset(line + len + n, ' ', gap);
            len += n + gap;
        }
        line[len++] = '\n';
        if (len > sizeof line / 2) {
            fwrite(line, 1, len, out);
            len = 0;
        }
    }
    fwrite(line, 1, len, out);
    fprintf(out, "%u %s\n", r->nrows, r->nrows == 1 ? "row" : "rows");
    free(w);
}

void print_rows_json(FILE *out, const char *name, const sn_rows *r)
{
    fputs("{\"name\":", out);
    sn_json_string(out, name);
    fputs(",\"columns\":[", out);
    for (unsigned k = 0; k < r->ncols; k++) {
        if (k)
            fputc(',', out);
        sn_json_string(out, r->cols[k]);
    }
    fputs("],\"rows\":[", out);
    for (unsigned i = 0; i < r->nrows; i++) {
        fputs(i ? ",[" : "[", out);
        for (unsigned k = 0; k < r->ncols; k++) {
            const sn_value *c = &r->cells[(size_t)i * r->ncols + k];
            if (k)
                fputc(',', out);
            if (c->is_number)
                fputs(c->text, out);
            else
                sn_json_string(out, c->text);
        }
        fputc(']', out);
    }
    fputs("]}", out);
}
