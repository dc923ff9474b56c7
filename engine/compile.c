/* compile.c — a checked program into engine structures and the network.
 *
 * The program has passed check_program, so names resolve, types fit and
 * variables are bound before use; this file trusts that. It reads the
 * checker's resolution (ast.h): templates by number, slots by index,
 * calls by builtin, variables by their number in the rule. No name is
 * looked up here.
 *
 * A rule's conditions are first put in disjunctive normal form (normal.c):
 * each alternative becomes a production of the same rule, with its own
 * actions, since a variable may come from a different pattern in each.
 * Then each alternative is laid down as a chain of nodes from the root,
 * sharing what an earlier rule already built:
 *
 *   pattern            JOIN  (alpha memory + hashed equality keys + tests)
 *   not pattern        NEG       not { ... }     NCC + subnetwork + PARTNER
 *   exists pattern     EXISTS    exists { ... }  NCC (exists) + ...
 *   test expr          TEST      end             TERM (the production)
 *   ?n = count P       AGG       ?n = sum(?x) { ... }  AGG + subnetwork + PARTNER
 *
 * A pattern's fact sits at one level of the token: level k is the k-th
 * node of the chain. A variable is bound where it first appears, to a
 * (level, slot); every later use reads it from there.
 */
#include <string.h>

#include "aggregate.h"
#include "alloc.h"
#include "cexpr.h"
#include "compile.h"
#include "eval.h"
#include "internal.h"
#include "network.h"
#include "normal.h"
#include "srctext.h"
#include "wm.h"

#include "../grammar/front.h"

typedef struct cctx {
    engine *e;
    arena *a;                 /* scratch for this rule */
    const srcset *src;
    /* variables: bound in order (a negated group's are dropped at its end);
     * at[v] is 1 + where variable number v was last bound */
    varloc *vars;
    uint32_t nvars, capvars;
    uint32_t nlocals;
    uint32_t *at;
    uint32_t nat;
    const ast_expr *params;   /* a query's: an input read as CX_PARAM */
} cctx;

/* A context for the conditions of a rule or case with NVARS variables. */
static cctx cctx_make(engine *e, arena *a, const srcset *src, uint32_t nvars)
{
    return (cctx){.e = e, .a = a, .src = src, .nat = nvars,
                  .at = arena_alloc(a, (nvars + 1) * sizeof(uint32_t))};
}

/* ---- variables ----------------------------------------------------------- */

enum { LOC_CF = -1, LOC_LOCAL = -2, LOC_FACT = -3 };

/* Where N, a variable the checker numbered, is bound now, or NULL. */
static varloc *var_find(cctx *c, const ast_name *n)
{
    if (n->var >= c->nat)
        return NULL;
    uint32_t i = c->at[n->var];
    if (i == 0 || i > c->nvars || c->vars[i - 1].var != n->var)
        return NULL; /* never bound, or dropped with a negated group */
    return &c->vars[i - 1];
}

static void var_add(cctx *c, const ast_name *n, uint16_t level, int32_t slot)
{
    if (c->nvars == c->capvars) {
        uint32_t cap = c->capvars ? c->capvars * 2 : 16;
        varloc *v = arena_alloc(c->a, cap * sizeof *v);
        if (c->nvars)
            memcpy(v, c->vars, c->nvars * sizeof *v);
        c->vars = v;
        c->capvars = cap;
    }
    c->vars[c->nvars++] = (varloc){.name = arena_strndup(c->a, n->text, n->len), .level = level,
                                   .slot = slot, .var = n->var};
    if (n->var < c->nat)
        c->at[n->var] = c->nvars;
}

/* ---- expressions ---------------------------------------------------------- */

value lit_value(engine *e, const ast_lit *l)
{
    switch (l->type) {
    case TY_SYMBOL: return v_sym(sym_intern(&e->syms, l->u.s, l->len));
    case TY_STRING: return v_str(sym_intern(&e->syms, l->u.s, l->len));
    case TY_INT: return v_int(l->u.i);
    case TY_FLOAT: return v_float(l->u.f);
    }
    return v_nil();
}

/* A variable as seen from a pattern whose fact is at level SELF (0: not in
 * a pattern). */
static cexpr *var_expr(cctx *c, const varloc *v, uint32_t self)
{
    engine *e = c->e;
    if (v->slot == LOC_LOCAL) {
        cexpr *x = cx_new(e, CX_LOCAL, 0);
        x->slot = v->level;
        return x;
    }
    if (self && v->level == self) {
        if (v->slot == LOC_CF)
            return cx_new(e, CX_CF, 0);
        cexpr *x = cx_new(e, CX_SLOT, 0);
        x->slot = v->slot;
        return x;
    }
    cexpr *x = cx_new(e, CX_VAR, 0);
    x->level = v->level;
    x->slot = v->slot == LOC_CF ? -1 : v->slot;
    return x;
}

static cexpr *compile_expr(cctx *c, const ast_expr *x, uint32_t self)
{
    engine *e = c->e;
    switch (x->kind) {
    case EX_LIT: return cx_const(e, lit_value(e, &x->u.lit));
    case EX_VAR: {
        varloc *v = var_find(c, &x->u.var);
        int32_t k = 0;
        for (const ast_expr *p = c->params; p && !v; p = p->next, k++)
            if (p->u.var.var == x->u.var.var) { /* a query's input */
                cexpr *r = cx_new(e, CX_PARAM, 0);
                r->slot = k;
                return r;
            }
        if (!v) /* the checker saw to it; be safe */
            return cx_const(e, v_nil());
        return var_expr(c, v, self);
    }
    case EX_CALL: {
        bool lang = x->u.call->func != 0; /* a function of the language (func.h) */
        cexpr *r = cx_new(e, lang ? CX_FUNC : CX_CALL, x->u.call->nargs);
        r->fn = lang ? x->u.call->func - 1 : x->u.call->builtin;
        uint32_t i = 0;
        for (const ast_expr *a = x->u.call->args; a; a = a->next)
            r->args[i++] = compile_expr(c, a, self);
        return r;
    }
    case EX_BINARY:
        return cx_bin(e, x->u.op.op, compile_expr(c, x->u.op.lhs, self),
                      compile_expr(c, x->u.op.rhs, self));
    case EX_UNARY: {
        cexpr *r = cx_new(e, CX_UN, 1);
        r->op = (uint8_t)x->u.op.op;
        r->args[0] = compile_expr(c, x->u.op.lhs, self);
        return r;
    }
    }
    return cx_const(e, v_nil());
}

static bool uses_token(const cexpr *x)
{
    if (x->kind == CX_VAR || x->kind == CX_LOCAL)
        return true;
    for (uint32_t i = 0; i < x->nargs; i++)
        if (uses_token(x->args[i]))
            return true;
    return false;
}

/* ---- patterns ------------------------------------------------------------- */

/* A pattern's tests: the first CONJ_MAX one by one (the dispatch key and
 * join keys are found among them), the rest AND-ed into EXTRA, so a
 * pattern holds at most CONJ_MAX + 1 tests whatever it says. */
enum { CONJ_MAX = 64 };

typedef struct conjuncts {
    cexpr *v[CONJ_MAX];
    uint32_t n;
    bool overflow;
    cexpr *extra;             /* past CONJ_MAX: AND-ed here */
} conjuncts;

static void conj_add(cctx *c, conjuncts *k, cexpr *x)
{
    if (k->n < CONJ_MAX) {
        k->v[k->n++] = x;
        return;
    }
    k->extra = k->extra ? cx_bin(c->e, OP_AND, k->extra, x) : x;
}

/* The test a constraint makes of the slot SELFX (NULL: none, it only
 * binds). Binds variables at level SELF. */
static cexpr *compile_cons(cctx *c, const ast_cons *k, cexpr *selfx, uint32_t self, int32_t slot,
                           conjuncts *top)
{
    engine *e = c->e;
    switch (k->kind) {
    case CT_VAR: {
        if (!k->u.var.text)
            return NULL;
        varloc *v = var_find(c, &k->u.var);
        if (!v) {
            var_add(c, &k->u.var, (uint16_t)self, slot);
            return NULL;
        }
        return cx_bin(e, OP_EQ, selfx, var_expr(c, v, self));
    }
    case CT_LIT: return cx_bin(e, OP_EQ, selfx, cx_const(e, lit_value(e, &k->u.lit)));
    case CT_CMP: return cx_bin(e, k->u.cmp.op, selfx, compile_expr(c, k->u.cmp.rhs, self));
    case CT_PRED: return compile_expr(c, k->u.pred, self);
    case CT_AND: {
        if (top) {
            cexpr *a = compile_cons(c, k->u.bin.lhs, selfx, self, slot, top);
            if (a)
                conj_add(c, top, a);
            cexpr *b = compile_cons(c, k->u.bin.rhs, selfx, self, slot, top);
            if (b)
                conj_add(c, top, b);
            return NULL;
        }
        cexpr *a = compile_cons(c, k->u.bin.lhs, selfx, self, slot, NULL);
        cexpr *b = compile_cons(c, k->u.bin.rhs, selfx, self, slot, NULL);
        if (!a)
            return b;
        if (!b)
            return a;
        return cx_bin(e, OP_AND, a, b);
    }
    case CT_OR: {
        cexpr *a = compile_cons(c, k->u.bin.lhs, selfx, self, slot, NULL);
        cexpr *b = compile_cons(c, k->u.bin.rhs, selfx, self, slot, NULL);
        if (!a || !b)
            return NULL; /* one side always holds */
        return cx_bin(e, OP_OR, a, b);
    }
    }
    return NULL;
}

/* Compile the constraints of PAT, whose fact is at level SELF, into
 * conjuncts; binds its variables. *TESTS_CF: it tests the cf. */
static struct tmpl *pattern_conjuncts(cctx *c, const ast_pattern *pat, uint32_t self,
                                      conjuncts *out, bool *tests_cf)
{
    struct tmpl *t = tmpl_of(c->e, pat->tmpl_id);
    *tests_cf = false;
    if (pat->binding)
        var_add(c, pat->binding, (uint16_t)self, LOC_FACT);
    for (const ast_slotcons *a = pat->args; a; a = a->next) {
        int32_t slot = a->name.slot;
        cexpr *selfx;
        if (slot == AST_SLOT_CF) {
            slot = LOC_CF;
            selfx = cx_new(c->e, CX_CF, 0);
            *tests_cf = true;
        } else {
            if (slot < 0 || (uint32_t)slot >= t->nslots)
                continue; /* the checker saw to it; be safe */
            selfx = cx_new(c->e, CX_SLOT, 0);
            selfx->slot = slot;
        }
        cexpr *x = compile_cons(c, a->cons, selfx, self, slot, out);
        if (x)
            conj_add(c, out, x);
    }
    return t;
}

static cexpr *and_all(engine *e, cexpr **v, uint32_t n, cexpr *extra)
{
    cexpr *r = extra;
    for (uint32_t i = n; i-- > 0;)
        r = r ? cx_bin(e, OP_AND, v[i], r) : v[i];
    return r;
}

cexpr *compile_pattern_test(engine *e, const ast_pattern *pat, uint32_t nvars, bool *tests_cf)
{
    cctx c = cctx_make(e, e->code, NULL, nvars);
    conjuncts k = {0};
    pattern_conjuncts(&c, pat, 1, &k, tests_cf);
    return and_all(e, k.v, k.n, k.extra);
}

/* ---- building the chain ------------------------------------------------- */

typedef struct chain {
    node *cur;                /* parent of the next node (NULL: the root) */
    uint32_t level;           /* level of the tokens in the next node */
} chain;

static bool eq_on_slot(const aeq *eqs, uint32_t n, int32_t slot)
{
    for (uint32_t i = 0; i < n; i++)
        if (eqs[i].slot == slot)
            return true;
    return false;
}

/* Is X `slot == c1 or slot == c2 or ...` (one slot, constants only)?
 * The constants go to V (at most MAX), the slot to *SLOT. */
static bool const_choice(const cexpr *x, int32_t *slot, value *v, uint32_t *n, uint32_t max)
{
    if (x->kind == CX_BIN && x->op == OP_OR)
        return const_choice(x->args[0], slot, v, n, max) && const_choice(x->args[1], slot, v, n, max);
    if (x->kind != CX_BIN || x->op != OP_EQ || x->args[0]->kind != CX_SLOT || x->args[1]->kind != CX_CONST)
        return false;
    if (*n == max || (*n > 0 && *slot != x->args[0]->slot))
        return false;
    *slot = x->args[0]->slot;
    v[(*n)++] = x->args[1]->k;
    return true;
}

/* Split a pattern's conjuncts into alpha tests, constant equalities, join
 * keys and join tests, and get its alpha memory. Every slot tested against
 * one constant (the first such test of each slot), and one slot tested
 * against a choice of constants (`site: groin | buttock`), is discriminated
 * on: a fact is found by its values, with no test evaluated. */
static amem *pattern_memory(cctx *c, const ast_pattern *pat, uint32_t self, jkey *keys,
                            uint32_t *nkeys, cexpr **jtest)
{
    engine *e = c->e;
    conjuncts k = {0};
    bool tests_cf;
    /* the tests are made in the rule's scratch arena: those the constants
     * discriminated on and the join keys take over are not kept, the rest
     * are copied out at the end */
    arena *code = e->code;
    e->code = c->a;
    struct tmpl *t = pattern_conjuncts(c, pat, self, &k, &tests_cf);
    cexpr *alpha[CONJ_MAX + 1], *join[CONJ_MAX + 1];
    uint32_t na = 0, nj = 0;
    value keyv[32];
    int32_t hslots[64];
    *nkeys = 0;
    /* single constants in the order written, then a choice of constants */
    aeq *eqs = e_alloc(e, (k.n + 1) * sizeof *eqs);
    bool *used = e_calloc(e, k.n + 1, sizeof *used);
    uint32_t neq = 0;
    for (uint32_t i = 0; i < k.n; i++) {
        cexpr *x = k.v[i];
        if (x->kind == CX_BIN && x->op == OP_EQ && x->args[0]->kind == CX_SLOT &&
            x->args[1]->kind == CX_CONST && !eq_on_slot(eqs, neq, x->args[0]->slot)) {
            eqs[neq++] = (aeq){.slot = x->args[0]->slot, .nv = 1, .u.one = x->args[1]->k};
            used[i] = true;
        }
    }
    for (uint32_t i = 0; i < k.n; i++) {
        int32_t slot = -1;
        uint32_t n = 0;
        if (k.v[i]->kind == CX_BIN && k.v[i]->op == OP_OR && const_choice(k.v[i], &slot, keyv, &n, 32) &&
            !eq_on_slot(eqs, neq, slot)) {
            eqs[neq] = (aeq){.slot = slot, .nv = n};
            if (n == 1)
                eqs[neq].u.one = keyv[0];
            else
                eqs[neq].u.many = keyv;
            neq++;
            used[i] = true;
            break;
        }
    }
    for (uint32_t i = 0; i < k.n; i++) {
        cexpr *x = k.v[i];
        bool eq = x->kind == CX_BIN && x->op == OP_EQ && x->args[0]->kind == CX_SLOT;
        if (used[i])
            continue;
        if (eq && x->args[1]->kind == CX_VAR && x->args[1]->slot >= 0 && *nkeys < 32) {
            keys[*nkeys] = (jkey){.rslot = x->args[0]->slot, .level = x->args[1]->level,
                                  .lslot = x->args[1]->slot};
            hslots[*nkeys] = x->args[0]->slot;
            (*nkeys)++;
            continue;
        }
        if (uses_token(x))
            join[nj++] = x;
        else
            alpha[na++] = x;
    }
    if (k.extra) {
        if (uses_token(k.extra))
            join[nj++] = k.extra;
        else
            alpha[na++] = k.extra;
    }
    /* the keys deepest first (stable), so that one walk up a token's chain
     * finds all their values (rete.c); the memory hashes its slots in the
     * same order */
    for (uint32_t i = 1; i < *nkeys; i++)
        for (uint32_t j = i; j > 0 && keys[j - 1].level < keys[j].level; j--) {
            jkey kx = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = kx;
            uint32_t hx = hslots[j];
            hslots[j] = hslots[j - 1];
            hslots[j - 1] = hx;
        }
    cexpr *jx = and_all(e, join, nj, NULL), *ax = and_all(e, alpha, na, NULL);
    e->code = code;
    *jtest = cx_copy(e, jx);
    amem *am = amem_get(e, t, eqs, neq, cx_copy(e, ax), tests_cf, hslots, *nkeys);
    e_free(e, eqs);
    e_free(e, used);
    return am;
}

static void build_conj(cctx *c, const fconj *k, chain *ch, prod *pr);

/* Does X read the fact at LEVEL of the token? */
static bool reads_level(const cexpr *x, uint32_t level)
{
    if (!x)
        return false;
    if (x->kind == CX_VAR && x->level == level)
        return true;
    for (uint32_t i = 0; i < x->nargs; i++)
        if (reads_level(x->args[i], level))
            return true;
    return false;
}

static bool reads_cf(const cexpr *x)
{
    if (!x)
        return false;
    if (x->kind == CX_CF)
        return true;
    for (uint32_t i = 0; i < x->nargs; i++)
        if (reads_cf(x->args[i]))
            return true;
    return false;
}

/* An aggregate: like a negation, its source's variables stay inside it;
 * its result is a fact of one slot at the next level, where ?n reads it. */
static void build_agg(cctx *c, const fce *it, chain *ch, prod *pr)
{
    engine *e = c->e;
    const ast_ce *ce = it->agg;
    uint32_t mark = c->nvars, lvl = ch->level;
    agg_node *g = agg_node_new(e, ce->u.agg->kind);
    if (it->pat) {
        jkey keys[32];
        uint32_t nkeys;
        cexpr *jtest;
        amem *am = pattern_memory(c, it->pat, lvl + 1, keys, &nkeys, &jtest);
        if (ce->u.agg->arg)
            g->arg = compile_expr(c, ce->u.agg->arg, lvl + 1);
        g->reads_cf = reads_cf(g->arg);
        /* right below another aggregate and blind to its value: keeps its
         * tokens when that value changes (aggregate.h) */
        g->keeps = ch->cur && ch->cur->kind == N_AGG && !reads_level(jtest, lvl) &&
                   !reads_level(g->arg, lvl);
        for (uint32_t i = 0; i < nkeys; i++)
            g->keeps = g->keeps && keys[i].level != lvl;
        ch->cur = node_agg(e, ch->cur, lvl, am, keys, nkeys, jtest, g);
    } else {
        /* a subnetwork and a partner for each alternative of the group:
         * a variable may sit at another level in each, so each partner
         * reads the value its own way */
        node *parent = ch->cur;
        node *n = node_agg(e, parent, lvl, NULL, NULL, 0, NULL, g);
        uint32_t nalts = 0;
        for (const fconj *x = it->sub; x; x = x->next)
            nalts++;
        g->partners = arena_alloc(e->perm, nalts * sizeof *g->partners);
        for (const fconj *x = it->sub; x; x = x->next) {
            chain sub = {.cur = parent, .level = lvl};
            build_conj(c, x, &sub, NULL);
            cexpr *read = ce->u.agg->arg ? compile_expr(c, ce->u.agg->arg, 0) : NULL;
            node_agg_partner(e, sub.cur, n, sub.level, read);
            c->nvars = mark;
        }
        node_agg_attach(e, n);
        ch->cur = n;
    }
    if (pr)
        pr->chain[lvl] = ch->cur;
    c->nvars = mark;
    var_add(c, &ce->u.agg->var, (uint16_t)(lvl + 1), 0);
    ch->level = lvl + 1;
}


static void build_item(cctx *c, const fce *it, chain *ch, prod *pr)
{
    engine *e = c->e;
    uint32_t mark = c->nvars;
    if (pr)
        pr->cond_text[ch->level + 1] = span_text(e, c->src, it->sp);
    switch (it->kind) {
    case F_PAT:
    case F_NOT:
    case F_EXISTS:
        if (it->pat) {
            jkey keys[32];
            uint32_t nkeys;
            cexpr *jtest;
            amem *am = pattern_memory(c, it->pat, ch->level + 1, keys, &nkeys, &jtest);
            nkind kind = it->kind == F_PAT ? N_JOIN : it->kind == F_NOT ? N_NEG : N_EXISTS;
            ch->cur = node_get(e, ch->cur, kind, ch->level, am, keys, nkeys, jtest, false);
            if (pr)
                pr->chain[ch->level] = ch->cur;
            if (pr && it->kind == F_PAT)
                pr->positive[ch->level + 1] = true;
            ch->level++;
            if (it->kind != F_PAT)
                c->nvars = mark; /* variables of a negated pattern stay inside */
            return;
        }
        {
            /* a group: a subnetwork from here, its partner, the NCC node */
            node *parent = ch->cur;
            uint32_t lvl = ch->level;
            node *ncc = node_get(e, parent, N_NCC, lvl, NULL, NULL, 0, NULL, it->kind == F_EXISTS);
            chain sub = {.cur = parent, .level = lvl};
            build_conj(c, it->sub, &sub, NULL);
            node_partner(e, sub.cur, ncc, sub.level);
            if (pr)
                pr->chain[lvl] = ncc;
            c->nvars = mark;
            ch->cur = ncc;
            ch->level = lvl + 1;
            return;
        }
    case F_AGG: build_agg(c, it, ch, pr); return;
    case F_TEST: {
        cexpr *x = compile_expr(c, it->test, 0);
        ch->cur = node_get(e, ch->cur, N_TEST, ch->level, NULL, NULL, 0, x, false);
        if (pr)
            pr->chain[ch->level] = ch->cur;
        ch->level++;
        return;
    }
    }
}

static void build_conj(cctx *c, const fconj *k, chain *ch, prod *pr)
{
    for (uint32_t i = 0; i < k->n; i++)
        build_item(c, &k->items[i], ch, pr);
}

/* ---- actions ----------------------------------------------------------- */

static cexpr **slot_values(cctx *c, struct tmpl *t, const ast_slotval *args)
{
    cexpr **v = arena_alloc(c->e->perm, (t->nslots ? t->nslots : 1) * sizeof *v);
    for (const ast_slotval *a = args; a; a = a->next)
        if (a->name.slot >= 0 && (uint32_t)a->name.slot < t->nslots)
            v[a->name.slot] = compile_expr(c, a->value, 0);
    return v;
}

static uint16_t fact_level(cctx *c, const ast_name *n)
{
    varloc *v = var_find(c, n);
    return v ? v->level : 0;
}

static cact *compile_actions(cctx *c, const ast_action *list)
{
    engine *e = c->e;
    cact *head = NULL, **tail = &head;
    for (const ast_action *a = list; a; a = a->next) {
        cact *x = arena_alloc(e->perm, sizeof *x);
        switch (a->kind) {
        case ACT_ASSERT:
        case ACT_CONCLUDE: {
            const ast_fact *f = a->kind == ACT_ASSERT ? &a->u.fact : &a->u.conclude.fact;
            x->kind = a->kind == ACT_ASSERT ? A_ASSERT : A_CONCLUDE;
            x->t = tmpl_of(e, f->tmpl_id);
            x->vals = slot_values(c, x->t, f->args);
            if (a->kind == ACT_CONCLUDE && a->u.conclude.cf)
                x->cf = compile_expr(c, a->u.conclude.cf, 0);
            break;
        }
        case ACT_RETRACT: {
            x->kind = A_RETRACT;
            for (const ast_expr *v = a->u.vars; v; v = v->next)
                x->n++;
            x->levels = arena_alloc(e->perm, (x->n + 1) * sizeof *x->levels);
            uint32_t i = 0;
            for (const ast_expr *v = a->u.vars; v; v = v->next)
                x->levels[i++] = v->kind == EX_VAR ? fact_level(c, &v->u.var) : 0;
            break;
        }
        case ACT_MODIFY: {
            x->kind = A_MODIFY;
            x->levels = arena_alloc(e->perm, sizeof *x->levels);
            x->levels[0] = fact_level(c, &a->u.modify.var);
            x->t = tmpl_of(e, a->u.modify.tmpl_id);
            x->vals = slot_values(c, x->t, a->u.modify.args);
            break;
        }
        case ACT_BIND: {
            x->kind = A_BIND;
            x->value = compile_expr(c, a->u.bind.value, 0);
            varloc *v = var_find(c, &a->u.bind.var);
            if (v && v->slot == LOC_LOCAL) {
                x->local = v->level;
            } else {
                x->local = (int32_t)c->nlocals++;
                var_add(c, &a->u.bind.var, (uint16_t)x->local, LOC_LOCAL);
            }
            break;
        }
        case ACT_PRINT: {
            x->kind = A_PRINT;
            for (const ast_expr *v = a->u.args; v; v = v->next)
                x->n++;
            x->args = arena_alloc(e->perm, (x->n + 1) * sizeof *x->args);
            uint32_t i = 0;
            for (const ast_expr *v = a->u.args; v; v = v->next)
                x->args[i++] = compile_expr(c, v, 0);
            break;
        }
        case ACT_RECOMMEND: {
            x->kind = A_RECOMMEND;
            x->n = 1;
            x->args = arena_alloc(e->perm, sizeof *x->args);
            x->args[0] = compile_expr(c, a->u.recommend.text, 0);
            for (const ast_str *s = a->u.recommend.cites; s; s = s->next)
                x->ncites++;
            x->cites = arena_alloc(e->perm, (x->ncites + 1) * sizeof *x->cites);
            uint32_t i = 0;
            for (const ast_str *s = a->u.recommend.cites; s; s = s->next)
                x->cites[i++] = arena_strndup(e->perm, s->text, s->len);
            break;
        }
        case ACT_HALT: x->kind = A_HALT; break;
        case ACT_FOCUS: {
            x->kind = A_FOCUS;
            for (const ast_modref *m = a->u.focus; m; m = m->next)
                x->n++;
            x->modules = arena_alloc(e->perm, (x->n + 1) * sizeof *x->modules);
            uint32_t i = 0;
            for (const ast_modref *m = a->u.focus; m; m = m->next)
                x->modules[i++] = m->id;
            break;
        }
        }
        *tail = x;
        tail = &x->next;
    }
    return head;
}

/* ---- rules ---------------------------------------------------------------- */



void compile_rule(engine *e, const srcset *src, const ast_decl *d)
{
    const ast_rule *ar = &d->u.rule;
    struct rule *r = arena_alloc(e->perm, sizeof *r);
    r->name = sym_intern(&e->syms, ar->name.text, ar->name.len);
    r->doc = ar->doc.text ? squeeze(e, ar->doc.text, ar->doc.len) : "";
    for (const ast_str *s = ar->cites; s; s = s->next)
        r->ncites++;
    r->cites = arena_alloc(e->perm, (r->ncites + 1) * sizeof *r->cites);
    uint32_t i = 0;
    for (const ast_str *s = ar->cites; s; s = s->next)
        r->cites[i++] = arena_strndup(e->perm, s->text, s->len);
    r->salience = ar->salience ? (int)ar->salience->u.i : 0;
    r->module = ar->module ? ar->module->id : 0;
    r->where = where_of(e, src, d->sp);

    arena *scratch = arena_new(&e->mem);
    fconj *alts = normal_form(scratch, ar->conds);
    for (fconj *k = alts; k; k = k->next)
        r->nprods++;
    r->prods = arena_alloc(e->perm, (r->nprods ? r->nprods : 1) * sizeof *r->prods);
    /* the rule is in the list before its productions are built, so an
     * activation made while building finds it; a query is in its own */
    if (ar->query) {
        r->query = true;
        r->nparams = ar->nparams;
        r->params = arena_alloc(e->perm, (ar->nparams + 1) * sizeof *r->params);
        uint32_t np = 0;
        for (const ast_expr *x = ar->params; x; x = x->next)
            r->params[np++] = sym_intern(&e->syms, x->u.var.text, x->u.var.len);
        if (e->queries_last)
            e->queries_last->next = r;
        else
            e->queries = r;
        e->queries_last = r;
        e->nqueries++;
    } else {
        if (e->rules_last)
            e->rules_last->next = r;
        else
            e->rules = r;
        e->rules_last = r;
        e->nrules++;
    }
    uint32_t alt = 0;
    for (fconj *k = alts; k; k = k->next, alt++) {
        cctx c = cctx_make(e, scratch, src, ar->nvars);
        prod *pr = arena_alloc(e->perm, sizeof *pr);
        pr->r = r;
        pr->alt = alt;
        /* levels: at most one per item at the top */
        pr->positive = arena_alloc(e->perm, (k->n + 2) * sizeof *pr->positive);
        pr->chain = arena_alloc(e->perm, (k->n + 2) * sizeof *pr->chain);
        pr->cond_text = arena_alloc(e->perm, (k->n + 2) * sizeof *pr->cond_text);
        chain ch = {0};
        build_conj(&c, k, &ch, pr);
        pr->depth = ch.level;
        /* the variables a justification shows: the pattern-bound ones */
        uint32_t nv = 0;
        for (uint32_t j = 0; j < c.nvars; j++)
            nv += c.vars[j].slot != LOC_FACT;
        pr->vars = arena_alloc(e->perm, (nv ? nv : 1) * sizeof *pr->vars);
        for (uint32_t j = 0; j < c.nvars; j++)
            if (c.vars[j].slot != LOC_FACT) {
                pr->vars[pr->nvars] = c.vars[j];
                pr->vars[pr->nvars].name = arena_strndup(e->perm, c.vars[j].name, strlen(c.vars[j].name));
                pr->nvars++;
            }
        pr->actions = compile_actions(&c, ar->actions);
        c.params = ar->params;
        for (const ast_ce *t = ar->filters; t; t = t->next) {
            cexpr *x = compile_expr(&c, t->u.test, 0);
            pr->filter = pr->filter ? cx_bin(e, OP_AND, pr->filter, x) : x;
        }
        pr->nlocals = c.nlocals;
        r->prods[alt] = pr;
        for (const cact *a = pr->actions; a; a = a->next)
            if ((a->kind == A_CONCLUDE || a->kind == A_ASSERT) && a->t->red_flag)
                r->red_flag = true;
        pr->term = node_term(e, ch.cur, ch.level, pr);
        pr->chain[ch.level] = pr->term;
    }
    arena_free(scratch);
}

bool facts_from_ast(engine *e, const ast_fact *f, value *vals, struct tmpl **tp)
{
    struct tmpl *t = tmpl_of(e, f->tmpl_id);
    *tp = t;
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    /* the values' expressions are needed only here: a typed fact leaves
     * nothing behind in the arena */
    arena_mark mark = arena_get_mark(e->code);
    cctx c = cctx_make(e, e->code, NULL, 0);
    bool ok = true;
    for (const ast_slotval *a = f->args; a && ok; a = a->next) {
        int32_t s = a->name.slot;
        if (s < 0 || (uint32_t)s >= t->nslots) {
            ok = false;
            break;
        }
        ectx x = {.e = e};
        value v = cx_eval(&x, compile_expr(&c, a->value, 0));
        ok = !x.failed;
        vals[s] = v;
    }
    arena_rollback(e->code, mark);
    return ok;
}


