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

/* CALL cut into the query's name (*NAME) and its arguments (ARGS, at
 * most QUERY_ARGS; *NARGS of them). False with a reason in ERR. */
enum { QUERY_ARGS = 64 };
static bool parse_call(char *call, const char **name, sn_value *args, unsigned *nargs, char *err,
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
    *nargs = 0;
    sn_value v;
    while (next_value(&p, &v, err, errsize)) {
        if (*nargs == QUERY_ARGS) {
            snprintf(err, errsize, "more than %d arguments", QUERY_ARGS);
            return false;
        }
        args[(*nargs)++] = v;
    }
    return !err[0];
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

/* ---- the table: its columns' widths in a first pass over the rows, the
 * rows in a second (none is kept) ---- */

typedef struct table {
    FILE *out;
    size_t *w;           /* each column's width */
    unsigned ncols;
    unsigned long long nrows;
    char line[4096];     /* a row's names and numbers, written at once */
    size_t len;
    bool failed;
} table;

static bool measure_row(void *ctx, const sn_rows *r)
{
    table *t = ctx;
    if (r->nrows == 0) {
        t->ncols = r->ncols;
        t->w = calloc(r->ncols + 1, sizeof *t->w);
        if (!t->w)
            return !(t->failed = true);
        for (unsigned k = 0; k < r->ncols; k++)
            t->w[k] = 1 + width(r->cols[k]);
        return true;
    }
    for (unsigned k = 0; k < r->ncols; k++) {
        size_t cw = cell_width(&r->cells[k]);
        if (cw > t->w[k])
            t->w[k] = cw;
    }
    return true;
}

static bool print_row(void *ctx, const sn_rows *r)
{
    table *t = ctx;
    FILE *out = t->out;
    if (r->nrows == 0) {
        for (unsigned k = 0; k < r->ncols; k++)
            fprintf(out, "?%s%*s", r->cols[k],
                    k + 1 < r->ncols ? (int)(t->w[k] + 1 - width(r->cols[k])) : 0, "");
        if (r->ncols)
            fputc('\n', out);
        return true;
    }
    /* a string is written as JSON writes it, straight to OUT */
    for (unsigned k = 0; k < r->ncols; k++) {
        const sn_value *c = &r->cells[k];
        size_t n = strlen(c->text);
        size_t gap = k + 1 < r->ncols ? t->w[k] + 2 - cell_width(c) : 0;
        if (c->is_string || t->len + n + gap + 1 > sizeof t->line) {
            fwrite(t->line, 1, t->len, out);
            t->len = 0;
        }
        if (c->is_string || n + gap + 1 > sizeof t->line) {
            cell_text(out, c);
            pad(out, gap);
            continue;
        }
        memcpy(t->line + t->len, c->text, n);
        memset(t->line + t->len + n, ' ', gap);
        t->len += n + gap;
    }
    t->line[t->len++] = '\n';
    if (t->len > sizeof t->line / 2) {
        fwrite(t->line, 1, t->len, out);
        t->len = 0;
    }
    t->nrows++;
    return true;
}

/* ---- JSON: the "query" object of docs/schema/run.json, as the rows come ---- */

typedef struct jrows {
    FILE *out;
    const char *before;  /* written first: the object's key */
    const char *name;
    bool begun;
    unsigned long long nrows;
} jrows;

static bool json_row(void *ctx, const sn_rows *r)
{
    jrows *j = ctx;
    FILE *out = j->out;
    if (r->nrows == 0) {
        fputs(j->before, out);
        fputs("{\"name\":", out);
        sn_json_string(out, j->name);
        fputs(",\"columns\":[", out);
        for (unsigned k = 0; k < r->ncols; k++) {
            if (k)
                fputc(',', out);
            sn_json_string(out, r->cols[k]);
        }
        fputs("],\"rows\":[", out);
        j->begun = true;
        return true;
    }
    fputs(j->nrows++ ? ",[" : "[", out);
    for (unsigned k = 0; k < r->ncols; k++) {
        const sn_value *c = &r->cells[k];
        if (k)
            fputc(',', out);
        if (c->is_number)
            fputs(c->text, out);
        else
            sn_json_string(out, c->text);
    }
    fputc(']', out);
    return true;
}

bool query_print(sn_engine *e, char *call, FILE *out, const char *json, char *err,
                 size_t errsize)
{
    const char *name;
    sn_value args[QUERY_ARGS];
    unsigned nargs;
    if (!parse_call(call, &name, args, &nargs, err, errsize))
        return false;
    if (json) {
        jrows j = {.out = out, .name = name, .before = json};
        sn_status st = sn_query_each(e, name, args, nargs, json_row, &j, err, errsize);
        if (j.begun)
            fputs("]}", out); /* whole JSON, even cut short */
        return st == SN_OK;
    }
    table t = {.out = out};
    sn_status st = sn_query_each(e, name, args, nargs, measure_row, &t, err, errsize);
    if (st == SN_OK && t.failed) {
        snprintf(err, errsize, "out of memory");
        st = SN_ERR_NOMEM;
    }
    if (st == SN_OK)
        st = sn_query_each(e, name, args, nargs, print_row, &t, err, errsize);
    fwrite(t.line, 1, t.len, out);
    if (st == SN_OK)
        fprintf(out, "%llu %s\n", t.nrows, t.nrows == 1 ? "row" : "rows");
    free(t.w);
    return st == SN_OK;
}
