/* fmt.c — the one layout of a sinew file; see fmt.h. */
#include "fmt.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/decimal.h"

enum { INDENT = 4 };

/* ---- the output text ---- */

static void buf_put(fmt_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        if (b->arena) {
            char *grown = arena_alloc(b->arena, cap);
            if (b->len)
                memcpy(grown, b->text, b->len);
            b->text = grown;
        } else {
            b->text = mem_realloc(b->mem, b->text, cap); /* longjmps when memory runs out */
        }
        b->cap = cap;
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

void fmt_buf_put(fmt_buf *b, const char *s, size_t n)
{
    buf_put(b, s, n);
}

static void buf_str(fmt_buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

/* Columns taken by S[0, n): one per UTF-8 character (as in diagnostics). */
static unsigned width(const char *s, size_t n)
{
    unsigned w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* ---- one line of flat text: expressions, constraints, patterns ---- */

typedef struct flat {
    fmt_buf *b;
    const src_file *f;
} flat;

static void flat_src(flat *x, span sp)
{
    buf_put(x->b, x->f->text + sp.start, sp.end - sp.start);
}

/* The shortest text that reads back as F, with a '.' or an exponent so
 * that it reads back as a float. */
static void flat_float(flat *x, double v)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    buf_str(x->b, buf);
    if (!strpbrk(buf, ".eE"))
        buf_str(x->b, ".0");
}

static void flat_lit(flat *x, const ast_lit *l)
{
    char buf[32];
    switch (l->type) {
    case TY_SYMBOL: buf_put(x->b, l->u.s, l->len); break;
    case TY_STRING: flat_src(x, l->sp); break; /* as written: escapes and all */
    case TY_INT:
        buf_put(x->b, buf, decimal_int64(buf, l->u.i));
        break;
    case TY_FLOAT: flat_float(x, l->u.f); break;
    }
}

/* Did the author write parentheses around E? Its span then starts with
 * one (a binary expression's span otherwise starts with its left side's). */
static bool wrapped(const src_file *f, const ast_expr *e)
{
    if (e->kind == EX_BINARY)
        return e->sp.start < e->u.op.lhs->sp.start;
    return e->sp.start < f->len && f->text[e->sp.start] == '(';
}

static void flat_expr(flat *x, const ast_expr *e, bool operand);

static void flat_call(flat *x, const ast_expr *e)
{
    buf_put(x->b, e->u.call->fn.text, e->u.call->fn.len);
    buf_str(x->b, "(");
    for (const ast_expr *a = e->u.call->args; a; a = a->next) {
        flat_expr(x, a, false);
        if (a->next)
            buf_str(x->b, ", ");
    }
    buf_str(x->b, ")");
}

/* OPERAND: after a comparison in a constraint (`< X`), where only a value,
 * a variable or a call may stand without parentheses. */
static void flat_expr(flat *x, const ast_expr *e, bool operand)
{
    bool paren = wrapped(x->f, e) || (operand && (e->kind == EX_BINARY || e->kind == EX_UNARY));
    if (paren)
        buf_str(x->b, "(");
    switch (e->kind) {
    case EX_LIT: flat_lit(x, &e->u.lit); break;
    case EX_VAR:
        buf_str(x->b, "?");
        buf_put(x->b, e->u.var.text, e->u.var.len);
        break;
    case EX_CALL: flat_call(x, e); break;
    case EX_BINARY:
        flat_expr(x, e->u.op.lhs, false);
        buf_str(x->b, " ");
        buf_str(x->b, ast_op_text(e->u.op.op));
        buf_str(x->b, " ");
        flat_expr(x, e->u.op.rhs, false);
        break;
    case EX_UNARY:
        buf_str(x->b, ast_op_text(e->u.op.op));
        flat_expr(x, e->u.op.lhs, false);
        break;
    }
    if (paren)
        buf_str(x->b, ")");
}

static void flat_value(flat *x, const ast_expr *e)
{
    flat_expr(x, e, false);
}

static void flat_cons(flat *x, const ast_cons *c)
{
    switch (c->kind) {
    case CT_VAR:
        buf_str(x->b, "?");
        if (c->u.var.text)
            buf_put(x->b, c->u.var.text, c->u.var.len);
        break;
    case CT_LIT: flat_lit(x, &c->u.lit); break;
    case CT_CMP:
        if (x->f->text[c->sp.start] == '(') { /* `(expr)`: equal to its value */
            buf_str(x->b, "(");
            flat_expr(x, c->u.cmp.rhs, false);
            buf_str(x->b, ")");
        } else {
            buf_str(x->b, ast_op_text(c->u.cmp.op));
            buf_str(x->b, " ");
            flat_expr(x, c->u.cmp.rhs, true);
        }
        break;
    case CT_PRED: flat_call(x, c->u.pred); break;
    case CT_AND:
    case CT_OR:
        flat_cons(x, c->u.bin.lhs);
        buf_str(x->b, c->kind == CT_AND ? " & " : " | ");
        flat_cons(x, c->u.bin.rhs);
        break;
    }
}

static void flat_slotcons(flat *x, const ast_slotcons *a)
{
    if (a->name.text) {
        buf_put(x->b, a->name.text, a->name.len);
        buf_str(x->b, ": ");
    }
    flat_cons(x, a->cons);
}

static void flat_slotval(flat *x, const ast_slotval *v)
{
    if (v->name.text) {
        buf_put(x->b, v->name.text, v->name.len);
        buf_str(x->b, ": ");
    }
    flat_expr(x, v->value, false);
}

static void flat_pattern(flat *x, const ast_pattern *p)
{
    if (p->binding) {
        buf_str(x->b, "?");
        buf_put(x->b, p->binding->text, p->binding->len);
        buf_str(x->b, " <- ");
    }
    buf_put(x->b, p->tmpl.text, p->tmpl.len);
    buf_str(x->b, "(");
    for (const ast_slotcons *a = p->args; a; a = a->next) {
        flat_slotcons(x, a);
        if (a->next)
            buf_str(x->b, ", ");
    }
    buf_str(x->b, ")");
}

static void flat_svals(flat *x, const ast_slotval *v)
{
    buf_str(x->b, "(");
    for (; v; v = v->next) {
        flat_slotval(x, v);
        if (v->next)
            buf_str(x->b, ", ");
    }
    buf_str(x->b, ")");
}

static void flat_fact(flat *x, const ast_fact *f)
{
    buf_put(x->b, f->tmpl.text, f->tmpl.len);
    flat_svals(x, f->args);
}

/* `?n = count `, `?m = max(?s) `: an aggregate up to its source. */
static void flat_agg_head(flat *x, const ast_ce *c)
{
    buf_str(x->b, "?");
    buf_put(x->b, c->u.agg->var.text, c->u.agg->var.len);
    buf_str(x->b, " = ");
    buf_put(x->b, c->u.agg->fn.text, c->u.agg->fn.len);
    if (c->u.agg->arg) {
        buf_str(x->b, "(");
        flat_expr(x, c->u.agg->arg, false);
        buf_str(x->b, ")");
    }
    buf_str(x->b, " ");
}

static void flat_ce(flat *x, const ast_ce *c)
{
    switch (c->kind) {
    case CE_PATTERN: flat_pattern(x, &c->u.pat); break;
    case CE_NOT:
    case CE_EXISTS:
        buf_str(x->b, c->kind == CE_NOT ? "not " : "exists ");
        flat_ce(x, c->u.sub);
        break;
    case CE_FORALL:
        buf_str(x->b, "forall ");
        flat_ce(x, c->u.forall.domain);
        buf_str(x->b, " ");
        flat_ce(x, c->u.forall.body);
        break;
    case CE_OR:
        for (const ast_ce *a = c->u.list; a; a = a->next) {
            flat_ce(x, a);
            if (a->next)
                buf_str(x->b, " or ");
        }
        break;
    case CE_AND:
        buf_str(x->b, "{");
        for (const ast_ce *a = c->u.list; a; a = a->next) {
            buf_str(x->b, " ");
            flat_ce(x, a);
        }
        buf_str(x->b, " }");
        break;
    case CE_TEST:
        buf_str(x->b, "test ");
        flat_expr(x, c->u.test, false);
        break;
    case CE_AGG:
        flat_agg_head(x, c);
        flat_ce(x, c->u.agg->src);
        break;
    }
}

static void flat_cites(flat *x, const ast_str *s)
{
    for (; s; s = s->next) {
        if (s->is_id)
            buf_put(x->b, s->text, s->len);
        else
            flat_src(x, s->sp);
        if (s->next)
            buf_str(x->b, ", ");
    }
}

static void flat_modrefs(flat *x, const ast_modref *m)
{
    for (; m; m = m->next) {
        buf_put(x->b, m->name.text, m->name.len);
        if (m->next)
            buf_str(x->b, ", ");
    }
}

static void flat_action(flat *x, const ast_action *a)
{
    switch (a->kind) {
    case ACT_ASSERT:
        buf_str(x->b, "assert ");
        flat_fact(x, &a->u.fact);
        break;
    case ACT_CONCLUDE:
        buf_str(x->b, "conclude ");
        flat_fact(x, &a->u.conclude.fact);
        if (a->u.conclude.cf) {
            buf_str(x->b, " cf ");
            flat_expr(x, a->u.conclude.cf, false);
        }
        break;
    case ACT_RETRACT:
        buf_str(x->b, "retract ");
        for (const ast_expr *v = a->u.vars; v; v = v->next) {
            flat_expr(x, v, false);
            if (v->next)
                buf_str(x->b, ", ");
        }
        break;
    case ACT_MODIFY:
        buf_str(x->b, "modify ?");
        buf_put(x->b, a->u.modify.var.text, a->u.modify.var.len);
        buf_str(x->b, " ");
        flat_svals(x, a->u.modify.args);
        break;
    case ACT_BIND:
        buf_str(x->b, "bind ?");
        buf_put(x->b, a->u.bind.var.text, a->u.bind.var.len);
        buf_str(x->b, " = ");
        flat_expr(x, a->u.bind.value, false);
        break;
    case ACT_PRINT:
        buf_str(x->b, "print ");
        for (const ast_expr *e = a->u.args; e; e = e->next) {
            flat_expr(x, e, false);
            if (e->next)
                buf_str(x->b, ", ");
        }
        break;
    case ACT_RECOMMEND:
        buf_str(x->b, "recommend ");
        flat_expr(x, a->u.recommend.text, false);
        if (a->u.recommend.cites) {
            buf_str(x->b, " cites ");
            flat_cites(x, a->u.recommend.cites);
        }
        break;
    case ACT_HALT: buf_str(x->b, "halt"); break;
    case ACT_FOCUS:
        buf_str(x->b, "focus ");
        flat_modrefs(x, a->u.focus);
        break;
    }
}

void fmt_ce_line(fmt_buf *out, const ast_ce *c, const src_file *file)
{
    flat x = {out, file};
    flat_ce(&x, c);
}

void fmt_action_line(fmt_buf *out, const ast_action *a, const src_file *file)
{
    flat x = {out, file};
    flat_action(&x, a);
}

/* ---- lines: the printer ---- */

typedef struct printer {
    fmt_buf *out;
    const src_file *f;
    const ast_comment *c; /* the next comment not written yet */
    uint32_t pos;         /* the end of the source text written so far */
    unsigned col;         /* columns on the output's current line */
    bool fresh;           /* at the start of a list: no blank line */
    flat x;               /* scratch for one flat rendering */
} printer;

static void put(printer *p, const char *s, size_t n)
{
    buf_put(p->out, s, n);
    const char *nl = memchr(s, '\n', n);
    const char *last = nl;
    while (nl) {
        last = nl;
        nl = memchr(nl + 1, '\n', n - (size_t)(nl + 1 - s));
    }
    if (last)
        p->col = width(last + 1, n - (size_t)(last + 1 - s));
    else
        p->col += width(s, n);
}

static void put_str(printer *p, const char *s)
{
    put(p, s, strlen(s));
}

static void pad(printer *p, unsigned col)
{
    while (p->col < col)
        put(p, " ", 1);
}

static void newline(printer *p)
{
    put(p, "\n", 1);
}

/* Render with FN into the scratch buffer: *N bytes at the returned text,
 * valid until the next render. */
#define RENDER(p, fn, node, n)                                              \
    ((p)->x.b->len = 0, fn(&(p)->x, node), *(n) = (p)->x.b->len,             \
     (p)->x.b->text ? (p)->x.b->text : "")

/* Does a flat text of N bytes at S fit from the current column, with TAIL
 * more columns after it on the line? */
static bool fits(const printer *p, const char *s, size_t n, unsigned tail)
{
    return !memchr(s, '\n', n) && p->col + width(s, n) + tail <= FMT_WIDTH;
}

static unsigned newlines(const src_file *f, uint32_t from, uint32_t to)
{
    unsigned n = 0;
    for (uint32_t i = from; i < to && i < f->len; i++)
        n += f->text[i] == '\n';
    return n;
}

/* A blank line before source text at START when the original had one
 * since the last text written, unless a list has just begun. */
static void blank(printer *p, uint32_t start)
{
    if (!p->fresh && start > p->pos && newlines(p->f, p->pos, start) >= 2)
        newline(p);
    p->fresh = false;
}

static void put_comment(printer *p, const ast_comment *c)
{
    uint32_t end = c->sp.end;
    while (end > c->sp.start && strchr(" \t\r\f\v", p->f->text[end - 1]))
        end--;
    put(p, p->f->text + c->sp.start, end - c->sp.start);
}

/* Write the comments that start before UPTO, each on its own line at
 * INDENT. */
static void comments_before(printer *p, uint32_t upto, unsigned indent)
{
    while (p->c && p->c->sp.start < upto) {
        blank(p, p->c->sp.start);
        pad(p, indent);
        put_comment(p, p->c);
        newline(p);
        if (p->c->sp.end > p->pos)
            p->pos = p->c->sp.end;
        p->c = p->c->next;
    }
}

/* Begin the line of an item whose source runs [START, END): the comments
 * before it (and any inside it), a blank line if the original had one,
 * the indent. */
static void line_begin(printer *p, uint32_t start, uint32_t end, unsigned indent)
{
    comments_before(p, end, indent);
    blank(p, start);
    pad(p, indent);
}

/* End the line of an item whose source ended at END: the comment that
 * followed it on the same line, then the newline. */
static void line_end(printer *p, uint32_t end)
{
    if (p->c && p->c->sp.start >= end && newlines(p->f, end, p->c->sp.start) == 0) {
        put_str(p, " ");
        put_comment(p, p->c);
        end = p->c->sp.end;
        p->c = p->c->next;
    }
    if (end > p->pos)
        p->pos = end;
    newline(p);
}

/* ---- items that may take more than one line ---- */

static void put_flat(printer *p, const char *s, size_t n)
{
    put(p, s, n);
}

/* A constraint; a chain of `|` too long for the line goes on with one
 * `| value` line after another, under the first value. TAIL: columns that
 * follow it on its line. */
static unsigned cons_alternatives(const ast_cons *c, const ast_cons **out, unsigned max)
{
    if (c->kind != CT_OR)
        return max ? (out[0] = c, 1) : 0;
    unsigned n = cons_alternatives(c->u.bin.lhs, out, max);
    if (n < max)
        out[n++] = c->u.bin.rhs;
    return n;
}

static void put_cons(printer *p, const ast_cons *c, unsigned tail)
{
    size_t n;
    const char *s = RENDER(p, flat_cons, c, &n);
    const ast_cons *alt[SINEW_MAX_DEPTH + 2];
    unsigned nalt;
    if (fits(p, s, n, tail) || c->kind != CT_OR ||
        (nalt = cons_alternatives(c, alt, SINEW_MAX_DEPTH + 2)) < 2) {
        put_flat(p, s, n);
        return;
    }
    unsigned col = p->col;
    for (unsigned i = 0; i < nalt; i++) {
        s = RENDER(p, flat_cons, alt[i], &n);
        if (i > 0) {
            if (p->col + 3 + width(s, n) + (i + 1 == nalt ? tail : 0) <= FMT_WIDTH) {
                put_str(p, " | ");
            } else {
                newline(p);
                pad(p, col);
                put_str(p, "| ");
            }
        }
        put_flat(p, s, n);
    }
}

/* `t(a: 1, b: 2)`, or when too long, one slot a line under the first. */
static void put_pattern(printer *p, const ast_pattern *pat, unsigned tail)
{
    size_t n;
    const char *s = RENDER(p, flat_pattern, pat, &n);
    if (fits(p, s, n, tail) || !pat->args) {
        put_flat(p, s, n);
        return;
    }
    if (pat->binding) {
        put_str(p, "?");
        put(p, pat->binding->text, pat->binding->len);
        put_str(p, " <- ");
    }
    put(p, pat->tmpl.text, pat->tmpl.len);
    put_str(p, "(");
    unsigned col = p->col;
    for (const ast_slotcons *a = pat->args; a; a = a->next) {
        if (a->name.text) {
            put(p, a->name.text, a->name.len);
            put_str(p, ": ");
        }
        put_cons(p, a->cons, a->next ? 1 : 1 + tail);
        if (a->next) {
            put_str(p, ",");
            newline(p);
            pad(p, col);
        }
    }
    put_str(p, ")");
}

static void put_svals(printer *p, const ast_slotval *v, unsigned tail)
{
    put_str(p, "(");
    unsigned col = p->col;
    for (; v; v = v->next) {
        size_t n;
        const char *s = RENDER(p, flat_slotval, v, &n);
        put_flat(p, s, n);
        if (v->next) {
            put_str(p, ",");
            newline(p);
            pad(p, col);
        }
    }
    put_str(p, ")");
    (void)tail;
}

static void put_fact(printer *p, const ast_fact *f, unsigned tail)
{
    size_t n;
    const char *s = RENDER(p, flat_fact, f, &n);
    if (fits(p, s, n, tail) || !f->args || !f->args->next) {
        put_flat(p, s, n);
        return;
    }
    put(p, f->tmpl.text, f->tmpl.len);
    put_svals(p, f->args, tail);
}

/* A group of two or more conditions takes a line for each, whatever the
 * width. */
static bool must_break(const ast_ce *c)
{
    switch (c->kind) {
    case CE_NOT:
    case CE_EXISTS: return must_break(c->u.sub);
    case CE_FORALL: return must_break(c->u.forall.domain) || must_break(c->u.forall.body);
    case CE_AGG: return must_break(c->u.agg->src);
    case CE_AND:
        if (c->u.list && c->u.list->next)
            return true;
        /* fall through */
    case CE_OR:
        for (const ast_ce *a = c->u.list; a; a = a->next)
            if (must_break(a))
                return true;
        return false;
    default: return false;
    }
}

static void put_ce(printer *p, const ast_ce *c, unsigned tail)
{
    size_t n;
    const char *s = RENDER(p, flat_ce, c, &n);
    if ((fits(p, s, n, tail) && !must_break(c)) || c->kind == CE_TEST) {
        put_flat(p, s, n);
        return;
    }
    unsigned col = p->col;
    switch (c->kind) {
    case CE_PATTERN: put_pattern(p, &c->u.pat, tail); break;
    case CE_NOT:
    case CE_EXISTS:
        put_str(p, c->kind == CE_NOT ? "not " : "exists ");
        put_ce(p, c->u.sub, tail);
        break;
    case CE_FORALL:
        put_str(p, "forall ");
        put_ce(p, c->u.forall.domain, 2);
        put_str(p, " ");
        put_ce(p, c->u.forall.body, tail);
        break;
    case CE_OR:
        for (const ast_ce *a = c->u.list; a; a = a->next) {
            if (a != c->u.list) { /* hanging: the alternatives go on */
                newline(p);
                pad(p, col + INDENT);
                put_str(p, "or ");
            }
            put_ce(p, a, a->next ? 0 : tail);
        }
        break;
    case CE_AND:
        put_str(p, "{ ");
        col = p->col;
        for (const ast_ce *a = c->u.list; a; a = a->next) {
            if (a != c->u.list) {
                newline(p);
                pad(p, col);
            }
            put_ce(p, a, a->next ? 0 : 2 + tail);
        }
        put_str(p, c->u.list ? " }" : "}");
        break;
    case CE_TEST: break;
    case CE_AGG: {
        size_t hn;
        const char *h = RENDER(p, flat_agg_head, c, &hn);
        put_flat(p, h, hn);
        put_ce(p, c->u.agg->src, tail);
        break;
    }
    }
}

static void put_action(printer *p, const ast_action *a)
{
    size_t n;
    const char *s = RENDER(p, flat_action, a, &n);
    if (fits(p, s, n, 0) && !(a->kind == ACT_RECOMMEND && a->u.recommend.cites)) {
        put_flat(p, s, n);
        return;
    }
    switch (a->kind) {
    case ACT_ASSERT:
        put_str(p, "assert ");
        put_fact(p, &a->u.fact, 0);
        return;
    case ACT_CONCLUDE: {
        unsigned tail = 0;
        if (a->u.conclude.cf) {
            s = RENDER(p, flat_value, a->u.conclude.cf, &n);
            tail = 4 + width(s, n);
        }
        put_str(p, "conclude ");
        put_fact(p, &a->u.conclude.fact, tail);
        if (a->u.conclude.cf) {
            put_str(p, " cf ");
            s = RENDER(p, flat_value, a->u.conclude.cf, &n);
            put_flat(p, s, n);
        }
        return;
    }
    case ACT_RECOMMEND:
        if (!a->u.recommend.cites)
            break;
        /* the cites always on a line of their own, under the text */
        {
            unsigned col = p->col;
            s = RENDER(p, flat_value, a->u.recommend.text, &n);
            put_str(p, "recommend ");
            put_flat(p, s, n);
            newline(p);
            pad(p, col + INDENT);
            s = RENDER(p, flat_cites, a->u.recommend.cites, &n);
            put_str(p, "cites ");
            put_flat(p, s, n);
        }
        return;
    case ACT_MODIFY:
        put_str(p, "modify ?");
        put(p, a->u.modify.var.text, a->u.modify.var.len);
        put_str(p, " ");
        put_svals(p, a->u.modify.args, 0);
        return;
    default:
        break;
    }
    put_flat(p, s, n); /* nothing in it to break but strings */
}

/* ---- declarations ---- */

/* A keyword line of a declaration: `when`, `then`, `given`, `expect`,
 * `end`, `}`; WORD at the margin for the text [START, END). Comments
 * before it stay inside the list it closes (at INNER). */
static void keyword_line(printer *p, const char *word, uint32_t start, uint32_t end,
                         unsigned inner)
{
    comments_before(p, start, inner);
    p->fresh = true;
    line_begin(p, start, start, 0);
    put_str(p, word);
    line_end(p, end);
}

/* A string as written (doc strings, questions, titles), on its own line. */
static void string_line(printer *p, const char *prefix, span sp)
{
    p->fresh = true;
    line_begin(p, sp.start, sp.end, INDENT);
    put_str(p, prefix);
    put(p, p->f->text + sp.start, sp.end - sp.start);
    line_end(p, sp.end);
}

static void put_ces(printer *p, const ast_ce *c)
{
    p->fresh = true;
    for (; c; c = c->next) {
        line_begin(p, c->sp.start, c->sp.end, INDENT);
        put_ce(p, c, 0);
        line_end(p, c->sp.end);
    }
}

static void put_facts(printer *p, const ast_fact *f)
{
    p->fresh = true;
    for (; f; f = f->next) {
        line_begin(p, f->sp.start, f->sp.end, INDENT);
        put_fact(p, f, 0);
        line_end(p, f->sp.end);
    }
}

static void put_template(printer *p, const ast_decl *d)
{
    const ast_template *t = &d->u.tmpl;
    fmt_buf *b = p->x.b;
    b->len = 0;
    buf_str(b, "template ");
    buf_put(b, t->name.text, t->name.len);
    buf_str(b, " {");
    for (const ast_slotdecl *s = t->slots; s; s = s->next) {
        buf_str(b, " ");
        buf_put(b, s->name.text, s->name.len);
        buf_str(b, ": ");
        buf_put(b, s->type.text, s->type.len);
        if (s->dflt) {
            buf_str(b, " = ");
            flat_lit(&p->x, s->dflt);
        }
        buf_str(b, s->next ? "," : " ");
    }
    buf_str(b, "}");
    line_begin(p, d->sp.start, d->sp.start, 0);
    bool inside = p->c && p->c->sp.start < d->sp.end; /* a comment among the slots */
    if (!inside && fits(p, b->text, b->len, 0)) {
        put(p, b->text, b->len);
        line_end(p, d->sp.end);
        return;
    }
    put_str(p, "template ");
    put(p, t->name.text, t->name.len);
    put_str(p, " {");
    line_end(p, t->name.sp.end);
    p->fresh = true;
    for (const ast_slotdecl *s = t->slots; s; s = s->next) {
        line_begin(p, s->sp.start, s->sp.end, INDENT);
        put(p, s->name.text, s->name.len);
        put_str(p, ": ");
        put(p, s->type.text, s->type.len);
        if (s->dflt) {
            size_t n;
            const char *v = RENDER(p, flat_lit, s->dflt, &n);
            put_str(p, " = ");
            put(p, v, n);
        }
        line_end(p, s->sp.end);
    }
    keyword_line(p, "}", d->sp.end - 1, d->sp.end, INDENT);
}

static void put_rule(printer *p, const ast_decl *d)
{
    const ast_rule *r = &d->u.rule;
    line_begin(p, d->sp.start, r->name.sp.end, 0);
    put_str(p, "rule ");
    put(p, r->name.text, r->name.len);
    line_end(p, r->name.sp.end);
    if (r->doc.text)
        string_line(p, "", r->doc.sp);
    if (r->cites) {
        const ast_str *last = r->cites;
        while (last->next)
            last = last->next;
        size_t n;
        const char *s = RENDER(p, flat_cites, r->cites, &n);
        p->fresh = true;
        line_begin(p, r->cites->sp.start, last->sp.end, INDENT);
        put_str(p, "cites ");
        put(p, s, n);
        line_end(p, last->sp.end);
    }
    if (r->salience) {
        size_t n;
        const char *s = RENDER(p, flat_lit, r->salience, &n);
        p->fresh = true;
        line_begin(p, r->salience->sp.start, r->salience->sp.end, INDENT);
        put_str(p, "salience ");
        put(p, s, n);
        line_end(p, r->salience->sp.end);
    }
    if (r->module) {
        p->fresh = true;
        line_begin(p, r->module->name.sp.start, r->module->name.sp.end, INDENT);
        put_str(p, "module ");
        put(p, r->module->name.text, r->module->name.len);
        line_end(p, r->module->name.sp.end);
    }
    p->fresh = true;
    line_begin(p, p->pos, p->pos, 0);
    put_str(p, "when");
    newline(p);
    put_ces(p, r->conds);
    keyword_line(p, "then", r->then_sp.start, r->then_sp.end, INDENT);
    p->fresh = true;
    for (const ast_action *a = r->actions; a; a = a->next) {
        line_begin(p, a->sp.start, a->sp.end, INDENT);
        put_action(p, a);
        line_end(p, a->sp.end);
    }
    keyword_line(p, "end", d->sp.end - 3, d->sp.end, INDENT);
}

static void put_facts_decl(printer *p, const ast_decl *d)
{
    const ast_facts *f = &d->u.facts;
    uint32_t head_end = f->name.text ? f->name.sp.end : d->sp.start + 5;
    line_begin(p, d->sp.start, head_end, 0);
    put_str(p, "facts ");
    if (f->name.text) {
        put(p, f->name.text, f->name.len);
        put_str(p, " ");
    }
    put_str(p, "{");
    line_end(p, head_end);
    put_facts(p, f->facts);
    keyword_line(p, "}", d->sp.end - 1, d->sp.end, INDENT);
}

/* A grouped question: its items, as many on a line as fit. */
static void put_group(printer *p, const ast_decl *d)
{
    const ast_ask *a = &d->u.ask;
    line_begin(p, d->sp.start, a->question.sp.end, 0);
    put_str(p, "ask ");
    put(p, a->tmpl.text, a->tmpl.len);
    put_str(p, " ");
    put(p, p->f->text + a->question.sp.start, a->question.sp.end - a->question.sp.start);
    line_end(p, a->question.sp.end);
    p->fresh = true;
    line_begin(p, a->items->sp.start, d->sp.end, INDENT);
    for (const ast_item *it = a->items; it; it = it->next) {
        size_t n = 0;
        const char *v = it->value ? RENDER(p, flat_lit, it->value, &n) : NULL;
        unsigned w = width(it->tmpl.text, it->tmpl.len) + (v ? 2 + width(v, n) : 0) +
                     (it->next ? 1 : 0);
        if (it != a->items) {
            if (p->col + 1 + w <= FMT_WIDTH) {
                put_str(p, " ");
            } else {
                newline(p);
                pad(p, INDENT);
            }
        }
        put(p, it->tmpl.text, it->tmpl.len);
        if (v) {
            put_str(p, ": ");
            put(p, v, n);
        }
        if (it->next)
            put_str(p, ",");
    }
    line_end(p, d->sp.end);
}

static void put_ask(printer *p, const ast_decl *d)
{
    const ast_ask *a = &d->u.ask;
    if (a->items) {
        put_group(p, d);
        return;
    }
    line_begin(p, d->sp.start, a->question.sp.end, 0);
    put_str(p, "ask ");
    put(p, a->tmpl.text, a->tmpl.len);
    put_str(p, ".");
    put(p, a->slot.text, a->slot.len);
    put_str(p, " ");
    put(p, p->f->text + a->question.sp.start, a->question.sp.end - a->question.sp.start);
    if (a->multiple)
        put_str(p, " multiple");
    line_end(p, a->question.sp.end);
    p->fresh = true;
    line_begin(p, a->answers->lit.sp.start, d->sp.end, INDENT);
    for (const ast_lit *l = answer_first(a); l; l = answer_next(l)) {
        size_t n;
        const char *s = RENDER(p, flat_lit, l, &n);
        unsigned w = width(s, n) + (answer_next(l) ? 1 : 0);
        if (l != answer_first(a)) {
            if (p->col + 1 + w <= FMT_WIDTH) {
                put_str(p, " ");
            } else {
                newline(p);
                pad(p, INDENT);
            }
        }
        put(p, s, n);
        if (answer_next(l))
            put_str(p, ",");
    }
    line_end(p, d->sp.end);
}

static void put_case(printer *p, const ast_decl *d)
{
    const ast_case *k = &d->u.kase;
    line_begin(p, d->sp.start, k->name.sp.end, 0);
    put_str(p, "case ");
    put(p, k->name.text, k->name.len);
    line_end(p, k->name.sp.end);
    if (k->doc.text)
        string_line(p, "", k->doc.sp);
    /* `given` and `expect` have no span of their own: comments before
     * them go with the items that follow */
    p->fresh = true;
    line_begin(p, p->pos, p->pos, 0);
    put_str(p, "given");
    newline(p);
    put_facts(p, k->given);
    p->fresh = true;
    line_begin(p, p->pos, p->pos, 0);
    put_str(p, "expect");
    newline(p);
    p->fresh = true;
    for (const ast_expect *e = k->expects; e; e = e->next) {
        line_begin(p, e->sp.start, e->sp.end, INDENT);
        if (e->negated)
            put_str(p, "not ");
        put_pattern(p, &e->pat, 0);
        line_end(p, e->sp.end);
    }
    keyword_line(p, "end", d->sp.end - 3, d->sp.end, INDENT);
}

static void put_source(printer *p, const ast_source *s)
{
    line_begin(p, s->sp.start, s->title.sp.end, 0);
    put_str(p, "source ");
    put(p, s->id.text, s->id.len);
    put_str(p, " ");
    put(p, p->f->text + s->title.sp.start, s->title.sp.end - s->title.sp.start);
    line_end(p, s->title.sp.end);
    p->fresh = true;
    for (const ast_source_field *f = s->fields; f; f = f->next) {
        line_begin(p, f->name.sp.start, f->value.sp.end, INDENT);
        put(p, f->name.text, f->name.len);
        put_str(p, " ");
        put(p, p->f->text + f->value.sp.start, f->value.sp.end - f->value.sp.start);
        line_end(p, f->value.sp.end);
    }
}

/* `function NAME(?a, ?b) = BODY` on one line, or the body on the next
 * line, indented, when the whole is too long. */
static void put_function(printer *p, const ast_decl *d)
{
    const ast_function *f = &d->u.func;
    fmt_buf *b = p->x.b;
    b->len = 0;
    buf_str(b, "function ");
    buf_put(b, f->name.text, f->name.len);
    buf_str(b, "(");
    for (const ast_expr *a = f->params; a; a = a->next) {
        buf_str(b, "?");
        buf_put(b, a->u.var.text, a->u.var.len);
        if (a->next)
            buf_str(b, ", ");
    }
    buf_str(b, ") =");
    size_t head = b->len;
    buf_str(b, " ");
    flat_value(&p->x, f->body);
    line_begin(p, d->sp.start, d->sp.end, 0);
    if (fits(p, b->text, b->len, 0)) {
        put(p, b->text, b->len);
    } else {
        put(p, b->text, head);
        newline(p);
        pad(p, INDENT);
        put(p, b->text + head + 1, b->len - head - 1);
    }
    line_end(p, d->sp.end);
}

/* `query NAME(?a, ?b)`, `when`, its conditions, `end`. */
static void put_query(printer *p, const ast_decl *d)
{
    const ast_rule *r = &d->u.rule;
    fmt_buf *b = p->x.b;
    b->len = 0;
    buf_str(b, "query ");
    buf_put(b, r->name.text, r->name.len);
    buf_str(b, "(");
    uint32_t end = r->name.sp.end;
    for (const ast_expr *a = r->params; a; a = a->next) {
        buf_str(b, "?");
        buf_put(b, a->u.var.text, a->u.var.len);
        if (a->next)
            buf_str(b, ", ");
        end = a->sp.end;
    }
    buf_str(b, ")");
    line_begin(p, d->sp.start, end, 0);
    put(p, b->text, b->len);
    line_end(p, end);
    p->fresh = true;
    line_begin(p, p->pos, p->pos, 0);
    put_str(p, "when");
    newline(p);
    put_ces(p, r->conds);
    keyword_line(p, "end", r->then_sp.start, r->then_sp.end, INDENT);
}

/* `module NAME "DOC"` on one line when it fits in 99 columns (a string
 * on a line of its own, as written, if not: its line breaks are its own);
 * `focus A, B` on one line. */
static void put_module(printer *p, const ast_decl *d)
{
    const ast_module *m = &d->u.module;
    uint32_t doc_len = m->doc.text ? m->doc.sp.end - m->doc.sp.start : 0;
    bool one_line = m->doc.text && 7 + m->name.len + 1 + doc_len <= 99 &&
                    !memchr(p->f->text + m->doc.sp.start, '\n', doc_len);
    uint32_t end = one_line ? m->doc.sp.end : m->name.sp.end;
    line_begin(p, d->sp.start, end, 0);
    put_str(p, "module ");
    put(p, m->name.text, m->name.len);
    if (one_line) {
        put_str(p, " ");
        put(p, p->f->text + m->doc.sp.start, doc_len);
    }
    line_end(p, end);
    if (m->doc.text && !one_line)
        string_line(p, "", m->doc.sp);
}

static void put_focus_decl(printer *p, const ast_decl *d)
{
    size_t n;
    const char *s = RENDER(p, flat_modrefs, d->u.focus, &n);
    line_begin(p, d->sp.start, d->sp.end, 0);
    put_str(p, "focus ");
    put(p, s, n);
    line_end(p, d->sp.end);
}

void fmt_program(fmt_buf *out, fmt_buf *scratch, const ast_program *prog, const src_file *file)
{
    printer p = {.out = out, .f = file, .c = prog->comments, .fresh = true};
    p.x.b = scratch;
    p.x.f = file;
    /* declarations and sources, in the order they were written */
    const ast_decl *d = prog->decls;
    const ast_source *s = prog->sources;
    while (d || s) {
        if (d && (!s || d->sp.start < s->sp.start)) {
            switch (d->kind) {
            case DECL_TEMPLATE: put_template(&p, d); break;
            case DECL_RULE: put_rule(&p, d); break;
            case DECL_FACTS: put_facts_decl(&p, d); break;
            case DECL_ASK: put_ask(&p, d); break;
            case DECL_CASE: put_case(&p, d); break;
            case DECL_FUNCTION: put_function(&p, d); break;
            case DECL_QUERY: put_query(&p, d); break;
            case DECL_MODULE: put_module(&p, d); break;
            case DECL_FOCUS: put_focus_decl(&p, d); break;
            }
            d = d->next;
        } else {
            put_source(&p, s);
            s = s->next;
        }
    }
    comments_before(&p, UINT32_MAX, 0);
}
