/* query.c — running queries (`query NAME(?a) when CONDITIONS end`).
 *
 * A query is compiled as a rule with no actions (compile.c) whose
 * terminal nodes activate nothing (fire.c): the network keeps its
 * complete matches up to date as facts come and go, and running it only
 * reads them from the terminals' memories. A parameter a pattern binds
 * selects the matches that bind it to the value given; the others are
 * inputs, read by the query's top-level tests, which the checker took out
 * of the network (ast_rule.filters) and which are judged here for each
 * match with the call's values (prod.filter). The rows returned belong to
 * the caller (sn_rows_free).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "alloc.h"
#include "internal.h"

static struct rule *query_find(const engine *e, const char *name)
{
    for (struct rule *q = e->queries; q; q = q->next)
        if (strcmp(q->name->text, name) == 0)
            return q;
    return NULL;
}

const char *sn_query_at(const sn_engine *e, unsigned i, unsigned *nparams)
{
    for (struct rule *q = e->queries; q; q = q->next)
        if (i-- == 0) {
            if (nparams)
                *nparams = q->nparams;
            return q->name->text;
        }
    return NULL;
}

const char *sn_query_param(const sn_engine *e, const char *name, unsigned i)
{
    const struct rule *q = query_find(e, name);
    return q && i < q->nparams ? q->params[i]->text : NULL;
}

void sn_rows_free(sn_rows *r)
{
    if (!r)
        return;
    for (unsigned i = 0; i < r->ncols; i++)
        free(r->cols[i]);
    free(r->cols);
    free(r->cells); /* and the cells' texts, in the same block */
    memset(r, 0, sizeof *r);
}

/* One match: a token in a production's terminal. */
typedef struct match {
    const token *t;
    uint64_t first;          /* the id of its fact at level 1 (0: none) */
} match;

/* Oldest facts first: the matches' fact ids level by level, then the
 * alternative. */
static int by_facts(const void *a, const void *b)
{
    const match *x = a, *y = b;
    /* level 1 is read from the match itself: most comparisons end there
     * without a walk over tokens */
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    const prod *xp = x->t->owner->prod, *yp = y->t->owner->prod;
    uint32_t depth = xp->depth > yp->depth ? xp->depth : yp->depth;
    for (uint32_t l = 2; l <= depth; l++) {
        const struct fact *f = token_fact(x->t, l), *g = token_fact(y->t, l);
        uint64_t i = f ? f->id : 0, j = g ? g->id : 0;
        if (i != j)
            return i < j ? -1 : 1;
    }
    return (xp->alt > yp->alt) - (xp->alt < yp->alt);
}

/* M's N matches in by_facts's order. Level 1 decides most of it: a
 * stable radix sort on its ids, a byte at a time, skipping the bytes that
 * are the same in every match; then each run of matches equal on it,
 * sorted by the comparison (it reads the deeper levels). */
static void sort_matches(engine *e, match *m, size_t n)
{
    if (n < 64) {
        qsort(m, n, sizeof *m, by_facts);
        return;
    }
    uint64_t vary = 0;
    for (size_t i = 1; i < n; i++)
        vary |= m[i].first ^ m[0].first;
    match *src = m, *dst = e_alloc(e, n * sizeof *dst), *spare = dst;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (!((vary >> shift) & 0xff))
            continue;
        size_t at[257] = {0};
        for (size_t i = 0; i < n; i++)
            at[((src[i].first >> shift) & 0xff) + 1]++;
        for (unsigned d = 1; d < 257; d++)
            at[d] += at[d - 1];
        for (size_t i = 0; i < n; i++)
            dst[at[(src[i].first >> shift) & 0xff]++] = src[i];
        match *x = src;
        src = dst;
        dst = x;
    }
    if (src != m)
        memcpy(m, src, n * sizeof *m);
    e_free(e, spare);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && m[j].first == m[i].first; j++)
            ;
        if (j - i > 1)
            qsort(m + i, j - i, sizeof *m, by_facts);
    }
}

static value var_of(const token *t, const varloc *v)
{
    const struct fact *f = token_fact(t, v->level);
    if (!f)
        return v_nil();
    if (v->slot >= 0)
        return f->slots[v->slot];
    return v->slot == -1 ? v_float(f->cf) : v_nil();
}

static value arg_value(engine *e, const sn_value *a)
{
    if (a->is_number) {
        if (a->number == (double)(int64_t)a->number && a->number > -9.2e18 && a->number < 9.2e18)
            return v_int((int64_t)a->number);
        return v_float(a->number);
    }
    const char *s = a->text ? a->text : "";
    const sym *y = sym_intern(&e->syms, s, strlen(s));
    return a->is_string ? v_str(y) : v_sym(y);
}

/* The cells' texts, one after another, NUL-terminated, in a block that
 * grows (realloc): kept as offsets until the block is done. */
typedef struct textbuf {
    char *b;
    size_t len, cap;
    bool failed;
} textbuf;

/* V's text (a symbol's or string's as it is, unquoted) at the end of TB;
 * its offset. */
static size_t text_add(textbuf *tb, value v)
{
    size_t at = tb->len;
    bool raw = v.type == V_SYMBOL || v.type == V_STRING;
    for (int pass = 0; pass < 2 && !tb->failed; pass++) {
        size_t room = tb->b ? tb->cap - at : 0;
        size_t n;
        if (raw) {
            n = v.u.s->len;
            if (n < room)
                memcpy(tb->b + at, v.u.s->text, n + 1);
        } else {
            n = value_format(room ? tb->b + at : NULL, room, v);
        }
        if (n < room) {
            tb->len = at + n + 1;
            return at;
        }
        size_t cap = tb->cap ? tb->cap : 4096;
        while (cap <= at + n)
            cap *= 2;
        char *b = realloc(tb->b, cap);
        if (!b)
            tb->failed = true;
        else
            tb->b = b, tb->cap = cap;
    }
    return at;
}

/* S (NUL-terminated) at the end of TB; its offset. */
static size_t text_put(textbuf *tb, const char *s)
{
    size_t at = tb->len, n = strlen(s);
    if (tb->failed)
        return at;
    if (!tb->b || tb->cap - at <= n) {
        size_t cap = tb->cap ? tb->cap : 4096;
        while (cap <= at + n)
            cap *= 2;
        char *b = realloc(tb->b, cap);
        if (!b) {
            tb->failed = true;
            return at;
        }
        tb->b = b, tb->cap = cap;
    }
    memcpy(tb->b + at, s, n + 1);
    tb->len = at + n + 1;
    return at;
}

/* Query NAME's rows, one at a time, to EACH (see sn_query_each). What it
 * holds while it runs is the matches (16 bytes each, for their order)
 * and one row's cells: the rows are never all made at once. */
static sn_status query_each(sn_engine *e, const char *name, const sn_value *args, unsigned nargs,
                            sn_row_fn each, void *ctx, char *err, size_t errsize)
{
    const struct rule *q = name ? query_find(e, name) : NULL;
    if (!q) {
        snprintf(err, errsize, "no query named '%s'", name ? name : "");
        return SN_ERR_INPUT;
    }
    if (nargs != q->nparams) {
        snprintf(err, errsize, "query '%s' takes %u argument%s, found %u", name, q->nparams,
                 q->nparams == 1 ? "" : "s", nargs);
        return SN_ERR_INPUT;
    }
    /* columns: every alternative's variables, by name, as first bound */
    uint32_t cap = 0;
    for (uint32_t i = 0; i < q->nprods; i++)
        cap += q->prods[i]->nvars;
    const char **cols = e_calloc(e, cap + 1, sizeof *cols);
    value *want = e_calloc(e, nargs + 1, sizeof *want);
    size_t nmatch = 0;
    for (uint32_t i = 0; i < q->nprods; i++)
        nmatch += q->prods[i]->term->ntokens;
    match *m = e_calloc(e, nmatch + 1, sizeof *m);
    uint32_t ncols = 0;
    for (uint32_t i = 0; i < q->nprods; i++)
        for (uint32_t j = 0; j < q->prods[i]->nvars; j++) {
            const char *n = q->prods[i]->vars[j].name;
            uint32_t k = 0;
            while (k < ncols && strcmp(cols[k], n) != 0)
                k++;
            if (k == ncols)
                cols[ncols++] = n;
        }
    for (unsigned i = 0; i < nargs; i++)
        want[i] = arg_value(e, &args[i]);
    /* each alternative's variable for each column (-1: it binds none),
     * the first of its variables of that name */
    int32_t *colvar = e_alloc(e, ((size_t)q->nprods * ncols + 1) * sizeof *colvar);
    for (uint32_t i = 0; i < q->nprods; i++)
        for (uint32_t k = 0; k < ncols; k++) {
            const prod *p = q->prods[i];
            int32_t j = 0;
            while ((uint32_t)j < p->nvars && strcmp(p->vars[j].name, cols[k]) != 0)
                j++;
            colvar[i * ncols + k] = (uint32_t)j < p->nvars ? j : -1;
        }

    /* the matches that bind each parameter to its argument, and pass the
     * tests of the inputs (the parameters no pattern binds) */
    size_t n = 0;
    bool failed = false;
    for (uint32_t i = 0; i < q->nprods && !failed; i++) {
        const prod *p = q->prods[i];
        for (uint32_t b = 0; p->term->mem.b && b <= p->term->mem.mask && !failed; b++)
            for (token *t = p->term->mem.b[b].head; t && n < nmatch && !failed; t = t->bnext) {
                if (t->dead)
                    continue;
                bool keep = true;
                for (unsigned a = 0; a < nargs && keep; a++)
                    for (uint32_t j = 0; j < p->nvars; j++)
                        if (strcmp(p->vars[j].name, q->params[a]->text) == 0) {
                            keep = value_eq(var_of(t, &p->vars[j]), want[a]);
                            break;
                        }
                if (keep && p->filter) {
                    ectx x = {.e = e, .tok = t, .params = want};
                    keep = cx_truth(cx_eval(&x, p->filter));
                    failed = x.failed;
                }
                if (!keep)
                    continue;
                const struct fact *f1 = token_fact(t, 1);
                m[n++] = (match){t, f1 ? f1->id : 0};
            }
    }
    sn_status st = SN_OK;
    if (failed) {
        snprintf(err, errsize, "query '%s': %s", name, sn_errmsg(e));
        st = SN_ERR_RUNTIME;
    } else {
        sort_matches(e, m, n);
        /* the columns, then each row: its cells' texts laid out in TB,
         * their places known once the row is done */
        sn_rows row = {.ncols = ncols, .cols = (char **)cols};
        bool go = each(ctx, &row);
        sn_value *cells = e_calloc(e, ncols + 1, sizeof *cells);
        size_t *at = e_alloc(e, (ncols + 1) * sizeof *at);
        textbuf tb = {0};
        row.nrows = 1;
        row.cells = cells;
        for (size_t r = 0; go && r < n; r++) {
            const token *t = m[r].t;
            const prod *p = t->owner->prod;
            tb.len = 0;
            for (uint32_t k = 0; k < ncols; k++) {
                int32_t j = colvar[p->alt * ncols + k];
                value v = j >= 0 ? var_of(t, &p->vars[j]) : v_nil();
                cells[k].is_number = value_is_number(v);
                cells[k].number = cells[k].is_number ? value_num(v) : 0;
                cells[k].is_string = v.type == V_STRING;
                at[k] = text_add(&tb, v);
            }
            if (tb.failed) {
                snprintf(err, errsize, "out of memory");
                st = SN_ERR_NOMEM;
                break;
            }
            for (uint32_t k = 0; k < ncols; k++)
                cells[k].text = tb.b + at[k];
            go = each(ctx, &row);
        }
        free(tb.b);
        e_free(e, at);
        e_free(e, cells);
    }
    e_free(e, colvar);
    e_free(e, cols);
    e_free(e, want);
    e_free(e, m);
    return st;
}

/* What sn_query_run gathers: the cells of every row and, apart, their
 * texts (as offsets until the texts' block stops moving). */
typedef struct gather {
    sn_rows *out;
    size_t cap;                /* rows the cells have room for */
    size_t *at;
    textbuf tb;
    bool failed;
} gather;

static bool gather_row(void *ctx, const sn_rows *row)
{
    gather *g = ctx;
    sn_rows *out = g->out;
    if (row->nrows == 0) { /* the columns */
        out->ncols = row->ncols;
        out->cols = calloc(row->ncols + 1, sizeof *out->cols);
        g->failed = !out->cols;
        for (unsigned k = 0; !g->failed && k < row->ncols; k++)
            g->failed = !(out->cols[k] = strdup(row->cols[k]));
        return !g->failed;
    }
    size_t nc = row->ncols;
    if (out->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        sn_value *cells = realloc(out->cells, (cap * nc + 1) * sizeof *cells);
        size_t *at = cells ? realloc(g->at, (cap * nc + 1) * sizeof *at) : NULL;
        if (cells)
            out->cells = cells;
        if (at)
            g->at = at;
        if (!cells || !at) {
            g->failed = true;
            return false;
        }
        g->cap = cap;
    }
    for (size_t k = 0; k < nc; k++) {
        size_t i = (size_t)out->nrows * nc + k;
        out->cells[i] = row->cells[k];
        out->cells[i].text = NULL;
        g->at[i] = text_put(&g->tb, row->cells[k].text);
    }
    out->nrows++;
    return !(g->failed = g->tb.failed);
}

sn_status sn_query_each(sn_engine *e, const char *name, const sn_value *args, unsigned nargs,
                        sn_row_fn each, void *ctx, char *err, size_t errsize)
{
    CALL_ENTER(e);
    sn_status st = query_each(e, name, args, nargs, each, ctx, err, errsize);
    if (st == SN_OK && call_short(e)) {
        snprintf(err, errsize, "out of memory");
        st = SN_ERR_NOMEM;
    }
    if (st != SN_OK && st != SN_ERR_NOMEM)
        call_error(e, st, "%s", errsize ? err : sn_status_name(st));
    return call_leave(e, st);
}

sn_status sn_query_run(sn_engine *e, const char *name, const sn_value *args, unsigned nargs,
                       sn_rows *out, char *err, size_t errsize)
{
    memset(out, 0, sizeof *out);
    gather g = {.out = out};
    sn_status st = sn_query_each(e, name, args, nargs, gather_row, &g, err, errsize);
    if (st == SN_OK && g.failed) {
        snprintf(err, errsize, "out of memory");
        st = SN_ERR_NOMEM;
    }
    /* the cells, then their texts, in one block that sn_rows_free frees */
    size_t ncells = (size_t)out->nrows * out->ncols;
    if (st == SN_OK) {
        size_t head = (ncells + 1) * sizeof *out->cells;
        sn_value *block = realloc(out->cells, head + g.tb.len);
        if (block) {
            out->cells = block;
            char *texts = (char *)block + head;
            if (g.tb.len)
                memcpy(texts, g.tb.b, g.tb.len);
            for (size_t i = 0; i < ncells; i++)
                out->cells[i].text = texts + g.at[i];
        } else {
            snprintf(err, errsize, "out of memory");
            st = SN_ERR_NOMEM;
        }
    }
    free(g.tb.b);
    free(g.at);
    if (st != SN_OK)
        sn_rows_free(out);
    return st;
}
