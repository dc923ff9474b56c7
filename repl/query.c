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

/* ---- the table: the rows' texts gathered while the query runs (a byte
 * saying whether a cell is a string, its text, a NUL: not the rows
 * themselves), the columns' widths with them; then the table written
 * from those ---- */

typedef struct table {
    size_t *w;           /* each column's width */
    unsigned ncols;
    char **cols;         /* the columns' names, copied */
    unsigned long long nrows;
    char *b;             /* the cells, one after another */
    size_t len, cap;
    bool failed;
} table;

/* C at the end of T's cells; its width (as cell_width says) into *W.
 * Copied and measured in one pass (most cells are a few bytes); when the
 * room runs out, the room grows and the cell is copied again. */
static bool gather_cell(table *t, const sn_value *c, size_t *w)
{
    for (;;) {
        size_t at = t->len, width = c->is_string ? 2 : 0; /* quoted */
        if (at < t->cap) {
            t->b[at++] = c->is_string ? 's' : 'v';
            for (const char *p = c->text; at < t->cap; p++) {
                t->b[at++] = *p;
                if (!*p) {
                    t->len = at;
                    *w = width;
                    return true;
                }
                width += ((unsigned char)*p & 0xC0) != 0x80;
            }
        }
        size_t need = strlen(c->text) + 2, cap = t->cap ? t->cap * 2 : 4096;
        while (cap - t->len < need)
            cap *= 2;
        char *b = realloc(t->b, cap);
        if (!b)
            return false;
        t->b = b;
        t->cap = cap;
    }
}

static bool gather_row(void *ctx, const sn_rows *r)
{
    table *t = ctx;
    if (r->nrows == 0) {
        t->ncols = r->ncols;
        t->w = calloc(r->ncols + 1, sizeof *t->w);
        t->cols = calloc(r->ncols + 1, sizeof *t->cols);
        if (!t->w || !t->cols)
            return !(t->failed = true);
        for (unsigned k = 0; k < r->ncols; k++) {
            if (!(t->cols[k] = strdup(r->cols[k])))
                return !(t->failed = true);
            t->w[k] = 1 + width(r->cols[k]);
        }
        return true;
    }
    for (unsigned k = 0; k < r->ncols; k++) {
        size_t cw;
        if (!gather_cell(t, &r->cells[k], &cw))
            return !(t->failed = true);
        if (cw > t->w[k])
            t->w[k] = cw;
    }
    t->nrows++;
    return true;
}

/* T as a table: a header of ?variables, a line a row, a count. */
static void write_table(FILE *out, const table *t)
{
    for (unsigned k = 0; k < t->ncols; k++)
        fprintf(out, "?%s%*s", t->cols[k],
                k + 1 < t->ncols ? (int)(t->w[k] + 1 - width(t->cols[k])) : 0, "");
    if (t->ncols)
        fputc('\n', out);
    /* a row's names and numbers are gathered and written at once (a
     * string is written as JSON writes it, straight to OUT) */
    char line[4096];
    size_t len = 0, at = 0;
    for (unsigned long long i = 0; i < t->nrows; i++) {
        for (unsigned k = 0; k < t->ncols; k++) {
            sn_value c = {.is_string = t->b[at] == 's', .text = t->b + at + 1};
            size_t n = strlen(c.text);
            at += n + 2;
            size_t gap = k + 1 < t->ncols ? t->w[k] + 2 - cell_width(&c) : 0;
            if (c.is_string || len + n + gap + 1 > sizeof line) {
                fwrite(line, 1, len, out);
                len = 0;
            }
            if (c.is_string || n + gap + 1 > sizeof line) {
                cell_text(out, &c);
                pad(out, gap);
                continue;
            }
            /* a cell is a few bytes: copied and padded by hand, not by
             * two calls */
            for (size_t j = 0; j < n; j++)
                line[len++] = c.text[j];
            for (size_t j = 0; j < gap; j++)
                line[len++] = ' ';
        }
        line[len++] = '\n';
        if (len > sizeof line / 2) {
            fwrite(line, 1, len, out);
            len = 0;
        }
    }
    fwrite(line, 1, len, out);
    fprintf(out, "%llu %s\n", t->nrows, t->nrows == 1 ? "row" : "rows");
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
    table t = {0};
    sn_status st = sn_query_each(e, name, args, nargs, gather_row, &t, err, errsize);
    if (st == SN_OK && t.failed) {
        snprintf(err, errsize, "out of memory");
        st = SN_ERR_NOMEM;
    }
    if (st == SN_OK)
        write_table(out, &t);
    for (unsigned k = 0; t.cols && k < t.ncols; k++)
        free(t.cols[k]);
    free(t.cols);
    free(t.w);
    free(t.b);
    return st == SN_OK;
}
