/* compile.c — a checked program into engine structures and the network.
 *
 * The program has passed check_program, so names resolve, types fit and
 * variables are bound before use; this file trusts that.
 *
 * A rule's conditions are first put in disjunctive normal form: `or`
 * makes alternatives (each becomes a production of the same rule, with
 * its own actions, since a variable may come from a different pattern in
 * each), `not {A or B}` becomes `not A, not B`, `exists {A or B}` two
 * alternatives, and `forall D { B }` is `not { D, not B }`. Then each
 * alternative is laid down as a chain of nodes from the root, sharing
 * what an earlier rule already built:
 *
 *   pattern            JOIN  (alpha memory + hashed equality keys + tests)
 *   not pattern        NEG       not { ... }     NCC + subnetwork + PARTNER
 *   exists pattern     EXISTS    exists { ... }  NCC (exists) + ...
 *   test expr          TEST      end             TERM (the production)
 *
 * A pattern's fact sits at one level of the token: level k is the k-th
 * node of the chain. A variable is bound where it first appears, to a
 * (level, slot); every later use reads it from there.
 */
#include <string.h>

#include "internal.h"

#include "../grammar/front.h"

/* ---- conditions in normal form ------------------------------------------ */

typedef enum fkind { F_PAT, F_NOT, F_EXISTS, F_TEST } fkind;

typedef struct fconj fconj;

typedef struct fce {
    fkind kind;
    const ast_pattern *pat;   /* F_PAT; F_NOT/F_EXISTS of one pattern */
    const ast_expr *test;     /* F_TEST */
    fconj *sub;               /* F_NOT/F_EXISTS of a group */
    span sp;                  /* the condition as written */
} fce;

struct fconj {
    fce *items;
    uint32_t n, cap;
    fconj *next;              /* in a list of alternatives */
};

typedef struct cctx {
    engine *e;
    arena *a;                 /* scratch for this rule */
    const srcset *src;
    /* variables */
    varloc *vars;
    uint32_t nvars, capvars;
    uint32_t nlocals;
} cctx;

static fconj *conj_new(cctx *c)
{
    return arena_alloc(c->a, sizeof(fconj));
}

static void conj_push(cctx *c, fconj *k, fce item)
{
    if (k->n == k->cap) {
        uint32_t cap = k->cap ? k->cap * 2 : 8;
        fce *v = arena_alloc(c->a, cap * sizeof *v);
        if (k->n)
            memcpy(v, k->items, k->n * sizeof *v);
        k->items = v;
        k->cap = cap;
    }
    k->items[k->n++] = item;
}

static fconj *conj_copy(cctx *c, const fconj *k)
{
    fconj *r = conj_new(c);
    for (uint32_t i = 0; i < k->n; i++)
        conj_push(c, r, k->items[i]);
    return r;
}

static fconj *expand_list(cctx *c, const ast_ce *list);

/* The alternatives of one condition. */
static fconj *expand_one(cctx *c, const ast_ce *ce)
{
    fconj *k;
    switch (ce->kind) {
    case CE_PATTERN:
        k = conj_new(c);
        conj_push(c, k, (fce){.kind = F_PAT, .pat = &ce->u.pat, .sp = ce->sp});
        return k;
    case CE_TEST:
        k = conj_new(c);
        conj_push(c, k, (fce){.kind = F_TEST, .test = ce->u.test, .sp = ce->sp});
        return k;
    case CE_AND: return expand_list(c, ce->u.list);
    case CE_OR: {
        fconj *head = NULL, **tail = &head;
        for (const ast_ce *alt = ce->u.list; alt; alt = alt->next) {
            fconj *x = expand_one(c, alt);
            *tail = x;
            while (*tail)
                tail = &(*tail)->next;
        }
        return head;
    }
    case CE_NOT:
    case CE_EXISTS: {
        fconj *alts = expand_one(c, ce->u.sub);
        fkind kind = ce->kind == CE_NOT ? F_NOT : F_EXISTS;
        fconj *out = NULL, **tail = &out;
        if (kind == F_NOT)
            out = conj_new(c); /* not (A or B) = not A, not B: one alternative */
        for (fconj *x = alts; x; x = x->next) {
            fce item = {.kind = kind, .sp = ce->sp};
            if (x->n == 1 && x->items[0].kind == F_PAT)
                item.pat = x->items[0].pat;
            else
                item.sub = x;
            if (kind == F_NOT) {
                conj_push(c, out, item);
            } else {
                fconj *y = conj_new(c);
                conj_push(c, y, item);
                *tail = y;
                tail = &y->next;
            }
        }
        return out;
    }
    case CE_FORALL: {
        /* forall D { B } = not { D, not B } for each alternative of D */
        fconj *doms = expand_one(c, ce->u.forall.domain);
        fconj *bodies = expand_one(c, ce->u.forall.body);
        fconj *out = conj_new(c);
        for (fconj *d = doms; d; d = d->next) {
            fconj *inner = conj_copy(c, d);
            for (fconj *b = bodies; b; b = b->next) {
                fce nb = {.kind = F_NOT, .sp = ce->sp};
                if (b->n == 1 && b->items[0].kind == F_PAT)
                    nb.pat = b->items[0].pat;
                else
                    nb.sub = b;
                conj_push(c, inner, nb);
            }
            conj_push(c, out, (fce){.kind = F_NOT, .sub = inner, .sp = ce->sp});
        }
        return out;
    }
    }
    return NULL;
}

/* The alternatives of conditions one after another: the cross product. */
static fconj *expand_list(cctx *c, const ast_ce *list)
{
    fconj *acc = conj_new(c);
    for (const ast_ce *ce = list; ce; ce = ce->next) {
        fconj *alts = expand_one(c, ce);
        fconj *out = NULL, **tail = &out;
        for (fconj *a = acc; a; a = a->next)
            for (fconj *b = alts; b; b = b->next) {
                fconj *x = conj_copy(c, a);
                for (uint32_t i = 0; i < b->n; i++)
                    conj_push(c, x, b->items[i]);
                *tail = x;
                tail = &x->next;
            }
        acc = out;
    }
    return acc;
}

/* ---- variables ----------------------------------------------------------- */

enum { LOC_CF = -1, LOC_LOCAL = -2, LOC_FACT = -3 };

static varloc *var_find(cctx *c, const char *name, uint32_t len)
{
    for (uint32_t i = c->nvars; i-- > 0;)
        if (strlen(c->vars[i].name) == len && memcmp(c->vars[i].name, name, len) == 0)
            return &c->vars[i];
    return NULL;
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
    c->vars[c->nvars++] = (varloc){.name = arena_strndup(c->a, n->text, n->len), .level = level, .slot = slot};
}

/* ---- expressions ---------------------------------------------------------- */

static cexpr *cx_new(engine *e, cx_kind kind, uint32_t nargs)
{
    cexpr *x = arena_alloc(e->perm, sizeof *x);
    x->kind = kind;
    x->nargs = nargs;
    if (nargs)
        x->args = arena_alloc(e->perm, nargs * sizeof *x->args);
    return x;
}

static value lit_value(engine *e, const ast_lit *l)
{
    switch (l->type) {
    case TY_SYMBOL: return v_sym(sym_intern(&e->syms, l->u.s, l->len));
    case TY_STRING: return v_str(sym_intern(&e->syms, l->u.s, l->len));
    case TY_INT: return v_int(l->u.i);
    case TY_FLOAT: return v_float(l->u.f);
    }
    return v_nil();
}

static cexpr *cx_const(engine *e, value v)
{
    cexpr *x = cx_new(e, CX_CONST, 0);
    x->k = v;
    return x;
}

static cexpr *cx_bin(engine *e, ast_op op, cexpr *a, cexpr *b)
{
    cexpr *x = cx_new(e, CX_BIN, 2);
    x->op = (uint8_t)op;
    x->args[0] = a;
    x->args[1] = b;
    return x;
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
        varloc *v = var_find(c, x->u.var.text, x->u.var.len);
        if (!v) /* the checker saw to it; be safe */
            return cx_const(e, v_nil());
        return var_expr(c, v, self);
    }
    case EX_CALL: {
        const builtin *b = builtin_find(x->u.call.fn.text, x->u.call.fn.len);
        cexpr *r = cx_new(e, CX_CALL, x->u.call.nargs);
        r->fn = b ? b->id : FN_COUNT_;
        uint32_t i = 0;
        for (const ast_expr *a = x->u.call.args; a; a = a->next)
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

typedef struct conjuncts {
    cexpr *v[64];
    uint32_t n;
    bool overflow;
    cexpr *extra;             /* past 64: AND-ed here */
} conjuncts;

static void conj_add(cctx *c, conjuncts *k, cexpr *x)
{
    if (k->n < 64) {
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
        varloc *v = var_find(c, k->u.var.text, k->u.var.len);
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

/* The slot index of NAME in T, or -1. */
int32_t slot_index(const struct tmpl *t, const char *name, size_t len)
{
    for (uint32_t i = 0; i < t->nslots; i++)
        if (t->slots[i].name->len == len && memcmp(t->slots[i].name->text, name, len) == 0)
            return (int32_t)i;
    return -1;
}

struct tmpl *tmpl_find(engine *e, const char *name, size_t len)
{
    /* names are interned: a name never seen is no template */
    const sym *s = sym_lookup(&e->syms, name, len);
    if (!s)
        return NULL;
    for (struct tmpl *t = e->tmpls; t; t = t->next)
        if (t->name == s)
            return t;
    return NULL;
}

/* Compile the constraints of PAT, whose fact is at level SELF, into
 * conjuncts; binds its variables. *TESTS_CF: it tests the cf. */
static struct tmpl *pattern_conjuncts(cctx *c, const ast_pattern *pat, uint32_t self,
                                      conjuncts *out, bool *tests_cf)
{
    struct tmpl *t = tmpl_find(c->e, pat->tmpl.text, pat->tmpl.len);
    *tests_cf = false;
    if (!t)
        return NULL;
    if (pat->binding.text)
        var_add(c, &pat->binding, (uint16_t)self, LOC_FACT);
    int32_t pos = 0;
    for (const ast_slotcons *a = pat->args; a; a = a->next) {
        int32_t slot;
        cexpr *selfx;
        if (a->name.text && a->name.len == 2 && memcmp(a->name.text, "cf", 2) == 0) {
            slot = LOC_CF;
            selfx = cx_new(c->e, CX_CF, 0);
            *tests_cf = true;
        } else {
            slot = a->name.text ? slot_index(t, a->name.text, a->name.len) : pos++;
            if (slot < 0 || (uint32_t)slot >= t->nslots)
                continue;
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

cexpr *compile_pattern_test(engine *e, struct tmpl *t, const ast_pattern *pat, bool *tests_cf)
{
    (void)t;
    cctx c = {.e = e, .a = e->perm};
    conjuncts k = {0};
    pattern_conjuncts(&c, pat, 1, &k, tests_cf);
    return and_all(e, k.v, k.n, k.extra);
}

/* ---- building the chain ------------------------------------------------- */

typedef struct chain {
    node *cur;                /* parent of the next node (NULL: the root) */
    uint32_t level;           /* level of the tokens in the next node */
} chain;

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

/* Split a pattern's conjuncts into alpha tests, the dispatch key, join
 * keys and join tests, and get its alpha memory. The dispatch key is a
 * slot tested against one constant, or else against a choice of
 * constants (`site: groin | buttock`): a fact is then found by its value,
 * with no test evaluated. */
static amem *pattern_memory(cctx *c, const ast_pattern *pat, uint32_t self, jkey *keys,
                            uint32_t *nkeys, cexpr **jtest)
{
    engine *e = c->e;
    conjuncts k = {0};
    bool tests_cf;
    struct tmpl *t = pattern_conjuncts(c, pat, self, &k, &tests_cf);
    cexpr *alpha[64], *join[64];
    uint32_t na = 0, nj = 0;
    int32_t key_slot = -1;
    value keyv[32];
    uint32_t nkeyv = 0;
    int32_t hslots[64];
    *nkeys = 0;
    /* a single constant first; failing that, a choice of constants */
    int32_t choice = -1;
    for (uint32_t i = 0; i < k.n && key_slot < 0; i++) {
        const cexpr *x = k.v[i];
        if (x->kind == CX_BIN && x->op == OP_EQ && x->args[0]->kind == CX_SLOT && x->args[1]->kind == CX_CONST) {
            key_slot = x->args[0]->slot;
            keyv[0] = x->args[1]->k;
            nkeyv = 1;
            choice = (int32_t)i;
        }
    }
    for (uint32_t i = 0; i < k.n && key_slot < 0; i++) {
        int32_t slot = -1;
        uint32_t n = 0;
        if (k.v[i]->kind == CX_BIN && k.v[i]->op == OP_OR && const_choice(k.v[i], &slot, keyv, &n, 32)) {
            key_slot = slot;
            nkeyv = n;
            choice = (int32_t)i;
        }
    }
    for (uint32_t i = 0; i < k.n; i++) {
        cexpr *x = k.v[i];
        bool eq = x->kind == CX_BIN && x->op == OP_EQ && x->args[0]->kind == CX_SLOT;
        if ((int32_t)i == choice)
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
    *jtest = and_all(e, join, nj, NULL);
    return amem_get(e, t, key_slot, keyv, nkeyv, and_all(e, alpha, na, NULL), tests_cf, hslots, *nkeys);
}

static void build_conj(cctx *c, const fconj *k, chain *ch, prod *pr);

static char *span_text(engine *e, const srcset *src, span sp);

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
    int32_t pos = 0;
    for (const ast_slotval *a = args; a; a = a->next) {
        int32_t s = a->name.text ? slot_index(t, a->name.text, a->name.len) : pos++;
        if (s >= 0 && (uint32_t)s < t->nslots)
            v[s] = compile_expr(c, a->value, 0);
    }
    return v;
}

static uint16_t fact_level(cctx *c, const ast_name *n)
{
    varloc *v = var_find(c, n->text, n->len);
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
            x->t = tmpl_find(e, f->tmpl.text, f->tmpl.len);
            if (!x->t)
                continue;
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
            varloc *v = var_find(c, a->u.modify.var.text, a->u.modify.var.len);
            /* the template is the fact's: find the pattern's */
            x->t = NULL;
            (void)v;
            x->args = NULL;
            /* slot values are by name: resolved against the fact's template at
             * run time through x->vals of the pattern's template */
            break;
        }
        case ACT_BIND: {
            x->kind = A_BIND;
            x->value = compile_expr(c, a->u.bind.value, 0);
            varloc *v = var_find(c, a->u.bind.var.text, a->u.bind.var.len);
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
        }
        *tail = x;
        tail = &x->next;
    }
    return head;
}

/* modify needs the template of the fact it changes: the pattern that bound
 * the variable says. Found by walking the rule's patterns. */
static const ast_pattern *find_binding(const ast_ce *ce, const ast_name *var)
{
    for (; ce; ce = ce->next) {
        switch (ce->kind) {
        case CE_PATTERN:
            if (ce->u.pat.binding.text && ce->u.pat.binding.len == var->len &&
                memcmp(ce->u.pat.binding.text, var->text, var->len) == 0)
                return &ce->u.pat;
            break;
        case CE_AND:
        case CE_OR: {
            const ast_pattern *p = find_binding(ce->u.list, var);
            if (p)
                return p;
            break;
        }
        default: break;
        }
    }
    return NULL;
}

static void fix_modifies(cctx *c, cact *acts, const ast_action *list, const ast_ce *conds)
{
    cact *x = acts;
    for (const ast_action *a = list; a && x; a = a->next) {
        if (a->kind == ACT_ASSERT || a->kind == ACT_CONCLUDE) {
            const ast_fact *f = a->kind == ACT_ASSERT ? &a->u.fact : &a->u.conclude.fact;
            if (!tmpl_find(c->e, f->tmpl.text, f->tmpl.len))
                continue; /* was skipped */
        }
        if (a->kind == ACT_MODIFY) {
            const ast_pattern *p = find_binding(conds, &a->u.modify.var);
            struct tmpl *t = p ? tmpl_find(c->e, p->tmpl.text, p->tmpl.len) : NULL;
            if (t) {
                x->t = t;
                x->vals = slot_values(c, t, a->u.modify.args);
            }
        }
        x = x->next;
    }
}

/* ---- rules ---------------------------------------------------------------- */

static char *where_of(engine *e, const srcset *src, span sp)
{
    const src_file *f = srcset_file(src, sp.file);
    uint32_t line, col;
    src_position(f, sp.start, &line, &col);
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s:%u", f->name, line);
    return arena_strndup(e->perm, buf, n < 0 ? 0 : (size_t)n);
}

/* TEXT with every run of white space made one space: a doc string as one
 * paragraph, however it was laid out in the file. */
static char *squeeze(engine *e, const char *text, size_t len)
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

static void compile_rule(engine *e, const srcset *src, const ast_decl *d)
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
    r->where = where_of(e, src, d->sp);

    arena *scratch = arena_new(&e->mem);
    cctx c0 = {.e = e, .a = scratch, .src = src};
    fconj *alts = expand_list(&c0, ar->conds);
    for (fconj *k = alts; k; k = k->next)
        r->nprods++;
    r->prods = arena_alloc(e->perm, (r->nprods + 1) * sizeof *r->prods);
    /* the rule is in the list before its productions are built, so an
     * activation made while building finds it */
    if (e->rules_last)
        e->rules_last->next = r;
    else
        e->rules = r;
    e->rules_last = r;
    e->nrules++;
    uint32_t alt = 0;
    for (fconj *k = alts; k; k = k->next, alt++) {
        cctx c = {.e = e, .a = scratch, .src = src};
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
        pr->vars = arena_alloc(e->perm, (nv + 1) * sizeof *pr->vars);
        for (uint32_t j = 0; j < c.nvars; j++)
            if (c.vars[j].slot != LOC_FACT) {
                pr->vars[pr->nvars] = c.vars[j];
                pr->vars[pr->nvars].name = arena_strndup(e->perm, c.vars[j].name, strlen(c.vars[j].name));
                pr->nvars++;
            }
        pr->actions = compile_actions(&c, ar->actions);
        fix_modifies(&c, pr->actions, ar->actions, ar->conds);
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

/* ---- templates, facts, cases -------------------------------------------------- */

static vtype type_named(const ast_name *n)
{
    if (n->len == 6 && memcmp(n->text, "string", 6) == 0)
        return V_STRING;
    if (n->len == 3 && memcmp(n->text, "int", 3) == 0)
        return V_INT;
    if (n->len == 5 && memcmp(n->text, "float", 5) == 0)
        return V_FLOAT;
    return V_SYMBOL;
}

static void compile_template(engine *e, const ast_template *at)
{
    struct tmpl *t = arena_alloc(e->perm, sizeof *t);
    t->name = sym_intern(&e->syms, at->name.text, at->name.len);
    t->id = e->ntmpls++;
    for (const ast_slotdecl *s = at->slots; s; s = s->next)
        t->nslots++;
    t->slots = arena_alloc(e->perm, (t->nslots + 1) * sizeof *t->slots);
    uint32_t i = 0;
    for (const ast_slotdecl *s = at->slots; s; s = s->next, i++) {
        slotdef *d = &t->slots[i];
        d->name = sym_intern(&e->syms, s->name.text, s->name.len);
        d->type = type_named(&s->type);
        if (s->dflt) {
            d->dflt = lit_value(e, s->dflt);
            if (d->type == V_FLOAT && d->dflt.type == V_INT)
                d->dflt = v_float((double)d->dflt.u.i);
        } else {
            switch (d->type) {
            case V_STRING: d->dflt = v_str(sym_intern(&e->syms, "", 0)); break;
            case V_INT: d->dflt = v_int(0); break;
            case V_FLOAT: d->dflt = v_float(0.0); break;
            default: d->dflt = v_sym(e->s_nil); break;
            }
        }
    }
    t->red_flag = t->name->len == 8 && memcmp(t->name->text, "red_flag", 8) == 0;
    if (e->tmpls_last)
        e->tmpls_last->next = t;
    else
        e->tmpls = t;
    e->tmpls_last = t;
}

/* A grouped question, after the asks its items are. */
static void compile_group(engine *e, const ast_ask *aa)
{
    ask *k = arena_alloc(e->perm, sizeof *k);
    memset(k, 0, sizeof *k);
    k->name = arena_strndup(e->perm, aa->tmpl.text, aa->tmpl.len);
    k->question = arena_strndup(e->perm, aa->question.text, aa->question.len);
    k->multiple = true;
    for (const ast_item *it = aa->items; it; it = it->next)
        k->nitems++;
    k->items = arena_alloc(e->perm, (k->nitems + 1) * sizeof *k->items);
    k->item_answer = arena_alloc(e->perm, (k->nitems + 1) * sizeof *k->item_answer);
    k->item_set = arena_alloc(e->perm, (k->nitems + 1) * sizeof *k->item_set);
    k->answer_text = arena_alloc(e->perm, (k->nitems + 2) * sizeof *k->answer_text);
    uint32_t n = 0;
    for (const ast_item *it = aa->items; it; it = it->next) {
        struct tmpl *t = tmpl_find(e, it->tmpl.text, it->tmpl.len);
        if (!t || !t->ask)
            continue;
        ask *m = t->ask;
        int32_t a = -1;
        if (it->value) {
            value v = lit_value(e, it->value);
            for (uint32_t i = 0; i < m->nanswers && a < 0; i++)
                if (value_eq(m->answers[i], v))
                    a = (int32_t)i;
        }
        m->group = k;
        k->items[n] = m;
        k->item_answer[n] = a;
        k->answer_text[n++] = t->name->text;
    }
    k->nitems = n;
    k->answer_text[n] = "none";
    k->nanswers = n + 1;
    k->index = e->nasks++;
    if (e->asks_last)
        e->asks_last->next = k;
    else
        e->asks = k;
    e->asks_last = k;
}

static void compile_ask(engine *e, const ast_ask *aa)
{
    if (aa->items)
        return; /* compile_group */
    struct tmpl *t = tmpl_find(e, aa->tmpl.text, aa->tmpl.len);
    int32_t s = t ? slot_index(t, aa->slot.text, aa->slot.len) : -1;
    if (s < 0)
        return;
    ask *k = arena_alloc(e->perm, sizeof *k);
    k->t = t;
    k->slot = (uint32_t)s;
    k->question = arena_strndup(e->perm, aa->question.text, aa->question.len);
    k->multiple = aa->multiple;
    for (const ast_lit *l = aa->answers; l; l = l->next)
        k->nanswers++;
    k->answers = arena_alloc(e->perm, (k->nanswers + 1) * sizeof *k->answers);
    k->answer_text = arena_alloc(e->perm, (k->nanswers + 1) * sizeof *k->answer_text);
    uint32_t i = 0;
    for (const ast_lit *l = aa->answers; l; l = l->next, i++) {
        value v = lit_value(e, l);
        if (t->slots[s].type == V_FLOAT && v.type == V_INT)
            v = v_float((double)v.u.i);
        k->answers[i] = v;
        char buf[64];
        const char *text = buf;
        if (v.type == V_SYMBOL || v.type == V_STRING)
            text = v.u.s->text;
        else
            value_format(buf, sizeof buf, v);
        k->answer_text[i] = arena_strndup(e->perm, text, strlen(text));
    }
    k->index = e->nasks++;
    t->slots[s].ask = k;
    if (!t->ask)
        t->ask = k;
    if (e->asks_last)
        e->asks_last->next = k;
    else
        e->asks = k;
    e->asks_last = k;
}

/* The values of a ground fact (facts blocks, cases, typed facts). */
bool facts_from_ast(engine *e, const ast_fact *f, value *vals, struct tmpl **tp)
{
    struct tmpl *t = tmpl_find(e, f->tmpl.text, f->tmpl.len);
    *tp = t;
    if (!t)
        return false;
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    cctx c = {.e = e, .a = e->perm};
    int32_t pos = 0;
    for (const ast_slotval *a = f->args; a; a = a->next) {
        int32_t s = a->name.text ? slot_index(t, a->name.text, a->name.len) : pos++;
        if (s < 0 || (uint32_t)s >= t->nslots)
            return false;
        ectx x = {.e = e};
        value v = cx_eval(&x, compile_expr(&c, a->value, 0));
        if (x.failed)
            return false;
        vals[s] = v;
    }
    return true;
}

static given *given_list(engine *e, const ast_fact *list, const sym *source)
{
    given *head = NULL, **tail = &head;
    for (const ast_fact *f = list; f; f = f->next) {
        given *g = arena_alloc(e->perm, sizeof *g);
        struct tmpl *t = tmpl_find(e, f->tmpl.text, f->tmpl.len);
        if (!t)
            continue;
        g->vals = arena_alloc(e->perm, (t->nslots + 1) * sizeof *g->vals);
        if (!facts_from_ast(e, f, g->vals, &g->t))
            continue;
        g->source = source;
        *tail = g;
        tail = &g->next;
    }
    return head;
}

static char *span_text(engine *e, const srcset *src, span sp)
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

static void compile_case(engine *e, const srcset *src, const ast_decl *d)
{
    const ast_case *ac = &d->u.kase;
    kase *k = arena_alloc(e->perm, sizeof *k);
    k->name = sym_intern(&e->syms, ac->name.text, ac->name.len);
    k->where = where_of(e, src, d->sp);
    k->given = given_list(e, ac->given, k->name);
    expect **tail = &k->expects;
    for (const ast_expect *x = ac->expects; x; x = x->next) {
        expect *p = arena_alloc(e->perm, sizeof *p);
        p->negated = x->negated;
        p->t = tmpl_find(e, x->pat.tmpl.text, x->pat.tmpl.len);
        if (!p->t)
            continue;
        p->test = compile_pattern_test(e, p->t, &x->pat, &p->tests_cf);
        p->text = span_text(e, src, x->pat.sp);
        *tail = p;
        tail = &p->next;
    }
    if (e->ncases == e->capcases) {
        e->capcases = e->capcases ? e->capcases * 2 : 16;
        e->cases = e_realloc(e, e->cases, e->capcases * sizeof *e->cases);
    }
    e->cases[e->ncases++] = k;
}

bool compile_program(engine *e, const ast_program *prog, const srcset *src, uint32_t first_new_file)
{
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->sp.file >= first_new_file && d->kind == DECL_TEMPLATE)
            compile_template(e, &d->u.tmpl);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->sp.file >= first_new_file && d->kind == DECL_ASK)
            compile_ask(e, &d->u.ask);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->sp.file >= first_new_file && d->kind == DECL_ASK && d->u.ask.items)
            compile_group(e, &d->u.ask);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->sp.file >= first_new_file && d->kind == DECL_RULE)
            compile_rule(e, src, d);
    for (const ast_decl *d = prog->decls; d; d = d->next) {
        if (d->sp.file < first_new_file)
            continue;
        if (d->kind == DECL_FACTS) {
            const sym *name = d->u.facts.name.text
                                  ? sym_intern(&e->syms, d->u.facts.name.text, d->u.facts.name.len)
                                  : NULL;
            given *g = given_list(e, d->u.facts.facts, name);
            for (given *x = g; x; x = x->next) {
                fact_assert(e, x->t, x->vals, SN_ORIGIN_FACTS, x->source, NULL);
                if (!x->next) {
                    if (e->facts_last)
                        e->facts_last->next = g;
                    else
                        e->facts_blocks = g;
                    e->facts_last = x;
                }
            }
        } else if (d->kind == DECL_CASE) {
            compile_case(e, src, d);
        }
    }
    engine_settle(e);
    return true;
}
