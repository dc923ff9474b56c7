/* jtest.c — join tests compiled to comparisons; see jtest.h. */
#include "jtest.h"

#include "eval.h"

static uint32_t count_conjuncts(const cexpr *x)
{
    if (x->kind == CX_BIN && x->op == OP_AND)
        return count_conjuncts(x->args[0]) + count_conjuncts(x->args[1]);
    return 1;
}

/* An operand read without the interpreter? */
static bool plain(const cexpr *x, jopnd *o)
{
    switch (x->kind) {
    case CX_SLOT: *o = (jopnd){.kind = JO_SLOT, .slot = x->slot}; return true;
    case CX_CF: *o = (jopnd){.kind = JO_CF}; return true;
    case CX_VAR:
        *o = (jopnd){.kind = x->slot < 0 ? JO_VARCF : JO_VAR, .level = x->level, .slot = x->slot};
        return true;
    case CX_CONST: *o = (jopnd){.kind = JO_CONST, .k = x->k}; return true;
    default: return false;
    }
}

static bool comparison(uint8_t op)
{
    return op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
}

/* The conjuncts of X in order (a and b and c: a, b, c, however nested). */
static void flatten(const cexpr *x, jstep *out, uint32_t *n)
{
    if (x->kind == CX_BIN && x->op == OP_AND) {
        flatten(x->args[0], out, n);
        flatten(x->args[1], out, n);
        return;
    }
    jstep *s = &out[(*n)++];
    *s = (jstep){.op = JSTEP_EXPR, .x = x};
    jopnd a, b;
    if (x->kind == CX_BIN && comparison(x->op) && plain(x->args[0], &a) && plain(x->args[1], &b)) {
        s->op = x->op;
        s->a = a;
        s->b = b;
    }
}

jstep *jtest_compile(engine *e, const cexpr *test, uint32_t *n)
{
    *n = 0;
    if (!test)
        return NULL;
    jstep *v = arena_alloc(e->perm, count_conjuncts(test) * sizeof *v);
    flatten(test, v, n);
    return v;
}

/* An operand's value, as the interpreter reads it (eval.c: a level the
 * token has no fact at reads nil). */
static inline value operand(const jopnd *o, const token *t, const struct fact *f)
{
    switch (o->kind) {
    case JO_SLOT: return f->slots[o->slot];
    case JO_CF: return v_float(f->cf);
    case JO_CONST: return o->k;
    default: break;
    }
    const struct fact *g = token_fact(t, o->level);
    if (!g)
        return v_nil();
    return o->kind == JO_VARCF ? v_float(g->cf) : g->slots[o->slot];
}

bool jtest_run(engine *e, const jstep *s, uint32_t n, token *t, const struct fact *f)
{
    for (uint32_t i = 0; i < n; i++, s++) {
        if (s->op == JSTEP_EXPR) {
            ectx c = {.e = e, .tok = t, .f = f};
            if (!cx_truth(cx_eval(&c, s->x)) || c.failed)
                return false;
            continue;
        }
        value a, b;
        if (s->a.kind == JO_SLOT && s->b.kind == JO_VAR) {
            /* the usual shape: a slot of the new fact against one bound before */
            a = f->slots[s->a.slot];
            const struct fact *g = token_fact(t, s->b.level);
            b = g ? g->slots[s->b.slot] : v_nil();
        } else {
            a = operand(&s->a, t, f);
            b = operand(&s->b, t, f);
        }
        bool ok = true;
        switch (s->op) {
        case OP_EQ: ok = a.type == b.type ? value_same(a, b) : value_eq(a, b); break;
        case OP_NE: ok = !(a.type == b.type ? value_same(a, b) : value_eq(a, b)); break;
        default: {
            int r = value_cmp(a, b, &ok);
            if (ok)
                ok = s->op == OP_LT ? r < 0 : s->op == OP_LE ? r <= 0 : s->op == OP_GT ? r > 0 : r >= 0;
            break;
        }
        }
        if (!ok)
            return false;
    }
    return true;
}
