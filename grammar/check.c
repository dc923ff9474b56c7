/* check.c — judging a parsed program; see check.h.
 *
 * Three sweeps over the declarations:
 *   1. templates and asks: the names everything else refers to;
 *   2. rules, facts and cases: names, slots, types, variables, functions,
 *      and what each action and fact can put into each slot;
 *   3. lint that needs the whole program: rules that test a constant
 *      nothing can give (W002), templates nothing uses (W003).
 * One root cause gets one diagnostic: an unknown template is reported,
 * its slots are not.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "builtins.h"

/* ---- a name table: arena-backed open addressing ---- */

typedef struct name_map {
    arena *a;
    const char **keys;
    uint32_t *lens;
    void **vals;
    uint32_t cap, n;
} name_map;

static uint32_t hash_name(const char *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void map_init(name_map *m, arena *a, uint32_t expect)
{
    memset(m, 0, sizeof *m);
    m->a = a;
    m->cap = 16;
    while (m->cap < expect * 2)
        m->cap *= 2;
    m->keys = arena_alloc(a, m->cap * sizeof *m->keys);
    m->lens = arena_alloc(a, m->cap * sizeof *m->lens);
    m->vals = arena_alloc(a, m->cap * sizeof *m->vals);
}

static void **map_slot(name_map *m, const char *s, uint32_t len)
{
    uint32_t i = hash_name(s, len) & (m->cap - 1);
    while (m->keys[i] && !(m->lens[i] == len && memcmp(m->keys[i], s, len) == 0))
        i = (i + 1) & (m->cap - 1);
    return &m->vals[i];
}

static void *map_get(name_map *m, const char *s, uint32_t len)
{
    return *map_slot(m, s, len);
}

static void map_grow(name_map *m)
{
    name_map bigger;
    map_init(&bigger, m->a, m->cap);
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        uint32_t j = hash_name(m->keys[i], m->lens[i]) & (bigger.cap - 1);
        while (bigger.keys[j])
            j = (j + 1) & (bigger.cap - 1);
        bigger.keys[j] = m->keys[i];
        bigger.lens[j] = m->lens[i];
        bigger.vals[j] = m->vals[i];
    }
    bigger.n = m->n;
    *m = bigger;
}

/* Store VAL under NAME unless present; returns the value already there. */
static void *map_put(name_map *m, const char *s, uint32_t len, void *val)
{
    if ((m->n + 1) * 2 > m->cap)
        map_grow(m);
    uint32_t i = hash_name(s, len) & (m->cap - 1);
    while (m->keys[i]) {
        if (m->lens[i] == len && memcmp(m->keys[i], s, len) == 0)
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = s;
    m->lens[i] = len;
    m->vals[i] = val;
    m->n++;
    return NULL;
}

/* ---- what the checker knows of templates ---- */


typedef struct slot_info {
    const ast_slotdecl *decl;
    ast_type type;
    bool type_ok;               /* false after E115: don't judge values */
    const ast_ask *ask;         /* its answers are the slot's domain */
    name_map produced;          /* constants facts and actions put here, by lit_key */
    bool produced_any;          /* some producer puts a computed value */
} slot_info;

typedef struct tmpl_info {
    const ast_decl *decl;
    slot_info *slots;
    uint32_t nslots;
    bool used;
    bool asked;                 /* some slot has an ask */
    uint32_t producers;         /* facts and actions that make one */
} tmpl_info;

/* A pattern that tests a slot against a constant, judged in sweep 3. */
typedef struct const_test {
    tmpl_info *t;
    slot_info *s;
    const ast_lit *lit;
    const ast_rule *rule;
    struct const_test *next;
} const_test;

/* ---- variables of one rule ---- */

typedef enum var_state {
    V_BOUND,     /* bound by a positive pattern or `bind` */
    V_FACT,      /* bound by `?f <-` */
    V_LOCAL,     /* first seen inside not/exists/forall region `region` */
    V_PARTIAL,   /* bound in some alternatives of an `or` only */
} var_state;

typedef struct var {
    const char *name;
    uint32_t len;
    var_state state;
    uint32_t region;            /* V_LOCAL: where it was introduced */
    span first;
    uint32_t count;             /* occurrences in the rule */
    const ast_pattern *fact_pat; /* V_FACT: the pattern it names */
} var;

typedef struct checker {
    const ast_program *prog;
    arena *a;
    diag_list *d;
    name_map tmpls;
    name_map unknown;           /* template names already reported unknown */
    const_test *tests;
    /* per rule */
    var *vars;
    uint32_t nvars, capvars;
    uint32_t regions;           /* regions opened so far in this rule */
    uint32_t open[SINEW_MAX_DEPTH + 2]; /* stack of open regions */
    uint32_t nopen;
    const ast_rule *rule;
} checker;

#define ERR(c, code, sp, ...) diag_add((c)->d, DIAG_ERROR, (code), (sp), __VA_ARGS__)
#define WARN(c, code, sp, ...) diag_add((c)->d, DIAG_WARNING, (code), (sp), __VA_ARGS__)

static bool name_eq(const ast_name *n, const char *s)
{
    return n->text && n->len == strlen(s) && memcmp(n->text, s, n->len) == 0;
}

/* ---- "did you mean" ---- */

static unsigned edit_distance(const char *a, uint32_t la, const char *b, uint32_t lb)
{
    if (la > 64 || lb > 64)
        return 99;
    unsigned row[65];
    for (uint32_t j = 0; j <= lb; j++)
        row[j] = j;
    for (uint32_t i = 1; i <= la; i++) {
        unsigned diag_prev = row[0];
        row[0] = i;
        for (uint32_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned best = diag_prev + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag_prev = up;
        }
    }
    return row[lb];
}

/* Keep CAND as the suggestion for WANT if it is the closest so far. */
static void consider(const char **best, unsigned *bestd, const ast_name *want, const char *cand)
{
    uint32_t len = (uint32_t)strlen(cand);
    unsigned limit = want->len <= 3 ? 1 : 2;
    unsigned dist = edit_distance(want->text, want->len, cand, len);
    if (dist <= limit && dist < *bestd) {
        *best = cand;
        *bestd = dist;
    }
}

static void suggest(checker *c, const char *best)
{
    if (best)
        diag_note(c->d, NULL, "did you mean '%s'?", best);
}

/* ---- templates ---- */

static bool parse_type(const ast_name *n, ast_type *t)
{
    static const struct { const char *name; ast_type type; } types[] = {
        {"symbol", TY_SYMBOL}, {"string", TY_STRING}, {"int", TY_INT}, {"float", TY_FLOAT},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (name_eq(n, types[i].name)) {
            *t = types[i].type;
            return true;
        }
    return false;
}

static bool type_fits(ast_type slot, ast_type value)
{
    return slot == value || (slot == TY_FLOAT && value == TY_INT);
}

static const char *a_type(ast_type t)
{
    switch (t) {
    case TY_SYMBOL: return "a symbol";
    case TY_STRING: return "a string";
    case TY_INT: return "an integer";
    case TY_FLOAT: return "a float";
    }
    return "a value";
}

static slot_info *find_slot(tmpl_info *t, const ast_name *n)
{
    for (uint32_t i = 0; i < t->nslots; i++) {
        const ast_name *s = &t->slots[i].decl->name;
        if (s->len == n->len && memcmp(s->text, n->text, n->len) == 0)
            return &t->slots[i];
    }
    return NULL;
}

static void unknown_slot(checker *c, tmpl_info *t, const ast_name *n)
{
    ERR(c, E_UNKNOWN_SLOT, n->sp, "template '%s' has no slot '%s'", t->decl->u.tmpl.name.text,
        n->text);
    const char *best = NULL;
    unsigned bestd = 99;
    for (uint32_t i = 0; i < t->nslots; i++)
        consider(&best, &bestd, n, t->slots[i].decl->name.text);
    if (best)
        suggest(c, best);
    else if (t->nslots > 0) {
        char list[256];
        size_t at = 0;
        for (uint32_t i = 0; i < t->nslots && at < sizeof list - 40; i++)
            at += (size_t)snprintf(list + at, sizeof list - at, "%s'%s'", i ? ", " : "",
                                   t->slots[i].decl->name.text);
        diag_note(c->d, NULL, "its slots are %s", list);
    } else {
        diag_note(c->d, NULL, "it has no slots");
    }
}

static tmpl_info *lookup_template(checker *c, const ast_name *n)
{
    tmpl_info *t = map_get(&c->tmpls, n->text, n->len);
    if (t) {
        t->used = true;
        return t;
    }
    if (map_put(&c->unknown, n->text, n->len, (void *)n))
        return NULL; /* reported at its first use */
    ERR(c, E_UNKNOWN_TEMPLATE, n->sp, "unknown template '%s'", n->text);
    const char *best = NULL;
    unsigned bestd = 99;
    for (const ast_decl *d = c->prog->decls; d; d = d->next)
        if (d->kind == DECL_TEMPLATE)
            consider(&best, &bestd, n, d->u.tmpl.name.text);
    suggest(c, best);
    return NULL;
}

static void first_defined(checker *c, const char *what, span sp)
{
    diag_note(c->d, &sp, "%s first defined here", what);
}

static void collect_template(checker *c, const ast_decl *d)
{
    const ast_template *t = &d->u.tmpl;
    tmpl_info *info = arena_alloc(c->a, sizeof *info);
    info->decl = d;
    tmpl_info *old = map_put(&c->tmpls, t->name.text, t->name.len, info);
    if (old) {
        ERR(c, E_DUP_TEMPLATE, t->name.sp, "template '%s' is defined twice", t->name.text);
        first_defined(c, "it was", old->decl->u.tmpl.name.sp);
        return;
    }
    uint32_t n = 0;
    for (const ast_slotdecl *s = t->slots; s; s = s->next)
        n++;
    info->slots = arena_alloc(c->a, (n ? n : 1) * sizeof *info->slots);
    for (const ast_slotdecl *s = t->slots; s; s = s->next) {
        if (find_slot(info, &s->name)) {
            ERR(c, E_DUP_SLOT, s->name.sp, "template '%s' declares slot '%s' twice",
                t->name.text, s->name.text);
            first_defined(c, "the slot was", find_slot(info, &s->name)->decl->name.sp);
            continue;
        }
        slot_info *si = &info->slots[info->nslots++];
        si->decl = s;
        si->type_ok = parse_type(&s->type, &si->type);
        if (!si->type_ok) {
            ERR(c, E_UNKNOWN_TYPE, s->type.sp, "unknown slot type '%s'", s->type.text);
            diag_note(c->d, NULL, "a slot is a symbol, string, int or float");
            continue;
        }
        if (s->dflt && !type_fits(si->type, s->dflt->type))
            ERR(c, E_TYPE, s->dflt->sp, "slot '%s' is %s, but its default is %s", s->name.text,
                a_type(si->type), a_type(s->dflt->type));
    }
}

static bool lit_equal(const ast_lit *a, const ast_lit *b)
{
    if (a->type == TY_INT && b->type == TY_INT)
        return a->u.i == b->u.i;
    if ((a->type == TY_INT || a->type == TY_FLOAT) && (b->type == TY_INT || b->type == TY_FLOAT)) {
        double x = a->type == TY_INT ? (double)a->u.i : a->u.f;
        double y = b->type == TY_INT ? (double)b->u.i : b->u.f;
        return x == y;
    }
    return a->type == b->type && a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
}

static bool in_domain(const ast_ask *ask, const ast_lit *l)
{
    for (const ast_lit *x = ask->answers; x; x = x->next)
        if (lit_equal(x, l))
            return true;
    return false;
}

static void lit_text(const ast_lit *l, char *buf, size_t size)
{
    switch (l->type) {
    case TY_SYMBOL: snprintf(buf, size, "%s", l->u.s); break;
    case TY_STRING: snprintf(buf, size, "\"%s\"", l->u.s); break;
    case TY_INT: snprintf(buf, size, "%lld", (long long)l->u.i); break;
    case TY_FLOAT: snprintf(buf, size, "%g", l->u.f); break;
    }
}

static void note_domain(checker *c, const ast_ask *ask)
{
    char list[400], one[64];
    size_t at = 0;
    unsigned i = 0;
    for (const ast_lit *x = ask->answers; x; x = x->next, i++) {
        if (i == 8) {
            at += (size_t)snprintf(list + at, sizeof list - at, ", ...");
            break;
        }
        lit_text(x, one, sizeof one);
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", one);
    }
    diag_note(c->d, &ask->question.sp, "the answers allowed are %s", list);
}

static void collect_ask(checker *c, const ast_decl *d)
{
    const ast_ask *ask = &d->u.ask;
    tmpl_info *t = lookup_template(c, &ask->tmpl);
    if (!t)
        return;
    slot_info *s = find_slot(t, &ask->slot);
    if (!s) {
        unknown_slot(c, t, &ask->slot);
        return;
    }
    if (s->ask) {
        ERR(c, E_DUP_DECL, ask->slot.sp, "'%s.%s' is asked twice", ask->tmpl.text,
            ask->slot.text);
        first_defined(c, "the question was", s->ask->slot.sp);
        return;
    }
    s->ask = ask;
    t->asked = true;
    if (!s->type_ok)
        return;
    for (const ast_lit *x = ask->answers; x; x = x->next)
        if (!type_fits(s->type, x->type))
            ERR(c, E_TYPE, x->sp, "slot '%s.%s' is %s, but this answer is %s", ask->tmpl.text,
                ask->slot.text, a_type(s->type), a_type(x->type));
}

/* ---- variables ---- */

static var *find_var(checker *c, const ast_name *n)
{
    for (uint32_t i = 0; i < c->nvars; i++)
        if (c->vars[i].len == n->len && memcmp(c->vars[i].name, n->text, n->len) == 0)
            return &c->vars[i];
    return NULL;
}

static var *add_var(checker *c, const ast_name *n, var_state st)
{
    if (c->nvars == c->capvars) {
        uint32_t cap = c->capvars ? c->capvars * 2 : 16;
        var *grown = arena_alloc(c->a, cap * sizeof *grown);
        if (c->nvars)
            memcpy(grown, c->vars, c->nvars * sizeof *grown);
        c->vars = grown;
        c->capvars = cap;
    }
    var *v = &c->vars[c->nvars++];
    memset(v, 0, sizeof *v);
    v->name = n->text;
    v->len = n->len;
    v->state = st;
    v->first = n->sp;
    v->region = c->nopen ? c->open[c->nopen - 1] : 0;
    return v;
}

static bool region_open(checker *c, uint32_t region)
{
    for (uint32_t i = 0; i < c->nopen; i++)
        if (c->open[i] == region)
            return true;
    return false;
}

/* A use of ?N as a value (in a test, an expression, a comparison, an
 * action). Reports what is wrong with it; returns the variable or NULL. */
static var *use_var(checker *c, const ast_name *n)
{
    var *v = find_var(c, n);
    if (!v) {
        ERR(c, E_UNBOUND, n->sp, "variable '?%s' is used but never bound", n->text);
        diag_note(c->d, NULL, "a variable is bound where it first appears in a pattern, "
                              "outside 'not', 'exists' and 'forall'");
        /* remember it, so one mistake gives one error */
        add_var(c, n, V_BOUND)->count = 2;
        return NULL;
    }
    v->count++;
    switch (v->state) {
    case V_BOUND:
        return v;
    case V_FACT:
        ERR(c, E_FACT_VAR_MISUSE, n->sp, "'?%s' names a fact, not a value", n->text);
        diag_note(c->d, &v->first, "it is bound to a whole fact here");
        return NULL;
    case V_LOCAL:
        if (region_open(c, v->region))
            return v;
        ERR(c, E_BOUND_IN_NOT, n->sp,
            "variable '?%s' is first bound inside 'not', 'exists' or 'forall' and used "
            "outside it", n->text);
        diag_note(c->d, &v->first, "a negated condition binds nothing; '?%s' first appears here",
                  n->text);
        v->state = V_BOUND; /* once */
        return NULL;
    case V_PARTIAL:
        ERR(c, E_UNBOUND, n->sp, "variable '?%s' is bound in only some alternatives of 'or'",
            n->text);
        diag_note(c->d, &v->first, "it is bound here, but not in every alternative");
        v->state = V_BOUND;
        return NULL;
    }
    return NULL;
}

/* ---- expressions ---- */

static void check_expr(checker *c, const ast_expr *e)
{
    switch (e->kind) {
    case EX_LIT:
        break;
    case EX_VAR:
        use_var(c, &e->u.var);
        break;
    case EX_CALL: {
        const ast_name *fn = &e->u.call.fn;
        const builtin *b = builtin_find(fn->text, fn->len);
        if (!b) {
            ERR(c, E_UNKNOWN_FUNCTION, fn->sp, "unknown function '%s'", fn->text);
            const char *best = NULL;
            unsigned bestd = 99;
            for (size_t i = 0; builtin_at(i); i++)
                consider(&best, &bestd, fn, builtin_at(i)->name);
            suggest(c, best);
        } else {
            int n = (int)e->u.call.nargs;
            if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
                if (b->min_args == b->max_args)
                    ERR(c, E_ARITY, e->sp, "'%s' takes %d argument%s, found %d", b->name,
                        b->min_args, b->min_args == 1 ? "" : "s", n);
                else
                    ERR(c, E_ARITY, e->sp, "'%s' takes at least %d argument%s, found %d",
                        b->name, b->min_args, b->min_args == 1 ? "" : "s", n);
            }
        }
        for (const ast_expr *a = e->u.call.args; a; a = a->next)
            check_expr(c, a);
        break;
    }
    case EX_BINARY:
        check_expr(c, e->u.op.lhs);
        check_expr(c, e->u.op.rhs);
        break;
    case EX_UNARY:
        check_expr(c, e->u.op.lhs);
        break;
    }
}

static bool const_number(const ast_expr *e, double *out)
{
    if (e->kind != EX_LIT)
        return false;
    if (e->u.lit.type == TY_INT)
        *out = (double)e->u.lit.u.i;
    else if (e->u.lit.type == TY_FLOAT)
        *out = e->u.lit.u.f;
    else
        return false;
    return true;
}

/* ---- patterns ---- */

typedef struct pat_ctx {
    tmpl_info *t;
    slot_info *s;       /* NULL for the cf pseudo-slot */
    bool is_cf;
    bool negated;       /* inside not/exists/forall */
    bool under_or;      /* inside a `|` connective */
    bool expect;        /* a case's expectation */
} pat_ctx;

static void check_value_type(checker *c, const slot_info *s, const ast_lit *l, const char *slot)
{
    if (s && s->type_ok && !type_fits(s->type, l->type))
        ERR(c, E_TYPE, l->sp, "slot '%s' holds %s, not %s", slot, a_type(s->type),
            a_type(l->type));
}

static void check_cons(checker *c, const ast_cons *k, pat_ctx *p, const char *slot)
{
    switch (k->kind) {
    case CT_VAR: {
        if (!k->u.var.text)
            break;
        var *v = find_var(c, &k->u.var);
        if (v && v->state == V_FACT) {
            v->count++;
            ERR(c, E_FACT_VAR_MISUSE, k->u.var.sp, "'?%s' names a fact, not a value",
                k->u.var.text);
            diag_note(c->d, &v->first, "it is bound to a whole fact here");
        } else if (v) {
            if (v->state == V_LOCAL && !region_open(c, v->region))
                use_var(c, &k->u.var);
            else
                v->count++;
        } else if (!p->expect) {
            /* a variable in a constraint is the slot's value, whichever
             * side of a `|` it stands on, so it binds there too */
            add_var(c, &k->u.var, p->negated ? V_LOCAL : V_BOUND)->count = 1;
        }
        break;
    }
    case CT_LIT:
        if (p->is_cf) {
            if (k->u.lit.type != TY_INT && k->u.lit.type != TY_FLOAT)
                ERR(c, E_CF, k->sp, "a certainty factor is a number from -1 to 1");
            break;
        }
        check_value_type(c, p->s, &k->u.lit, slot);
        if (p->s && !p->negated && !p->under_or && !p->expect && c->rule) {
            const_test *t = arena_alloc(c->a, sizeof *t);
            t->t = p->t;
            t->s = p->s;
            t->lit = &k->u.lit;
            t->rule = c->rule;
            t->next = c->tests;
            c->tests = t;
        }
        break;
    case CT_CMP: {
        const ast_expr *r = k->u.cmp.rhs;
        check_expr(c, r);
        double x;
        if (p->is_cf && const_number(r, &x) && (x < -1 || x > 1))
            ERR(c, E_CF, r->sp, "certainty factor %g is outside -1 .. 1", x);
        else if (!p->is_cf && r->kind == EX_LIT)
            check_value_type(c, p->s, &r->u.lit, slot);
        break;
    }
    case CT_PRED:
        check_expr(c, k->u.pred);
        break;
    case CT_AND:
        check_cons(c, k->u.bin.lhs, p, slot);
        check_cons(c, k->u.bin.rhs, p, slot);
        break;
    case CT_OR: {
        bool was = p->under_or;
        p->under_or = true;
        check_cons(c, k->u.bin.lhs, p, slot);
        check_cons(c, k->u.bin.rhs, p, slot);
        p->under_or = was;
        break;
    }
    }
}

static void check_pattern(checker *c, const ast_pattern *pat, bool negated, bool expect)
{
    if (pat->binding.text) {
        if (negated || expect) {
            ERR(c, E_BIND_NEGATED, pat->binding.sp,
                expect ? "an expectation cannot bind a fact to '?%s'"
                       : "'?%s <-' on a pattern inside 'not', 'exists' or 'forall'",
                pat->binding.text);
            if (!expect)
                diag_note(c->d, NULL, "a negated pattern matches no fact to bind");
        } else {
            var *v = find_var(c, &pat->binding);
            if (v) {
                v->count++;
                ERR(c, E_FACT_VAR_MISUSE, pat->binding.sp, "'?%s' is bound twice",
                    pat->binding.text);
                diag_note(c->d, &v->first, "it was first bound here");
            } else {
                var *f = add_var(c, &pat->binding, V_FACT);
                f->count = 1;
                f->fact_pat = pat;
            }
        }
    }
    tmpl_info *t = lookup_template(c, &pat->tmpl);
    if (!t) {
        /* still bind its variables, so later uses aren't reported too */
        pat_ctx p = {.negated = negated, .expect = expect};
        for (const ast_slotcons *a = pat->args; a; a = a->next)
            check_cons(c, a->cons, &p, "?");
        return;
    }
    bool named = false, positional = false;
    uint32_t pos = 0;
    const ast_slotcons *seen[64];
    uint32_t nseen = 0;
    for (const ast_slotcons *a = pat->args; a; a = a->next) {
        pat_ctx p = {.t = t, .negated = negated, .expect = expect};
        const char *slot;
        if (a->name.text) {
            named = true;
            slot = a->name.text;
            if (name_eq(&a->name, "cf")) {
                p.is_cf = true;
            } else {
                p.s = find_slot(t, &a->name);
                if (!p.s)
                    unknown_slot(c, t, &a->name);
            }
            for (uint32_t i = 0; i < nseen; i++)
                if (seen[i]->name.len == a->name.len &&
                    memcmp(seen[i]->name.text, a->name.text, a->name.len) == 0) {
                    ERR(c, E_DUP_SLOT, a->name.sp, "slot '%s' is given twice", slot);
                    break;
                }
            if (nseen < 64)
                seen[nseen++] = a;
        } else {
            positional = true;
            if (pos < t->nslots) {
                p.s = &t->slots[pos];
                slot = p.s->decl->name.text;
            } else {
                slot = "?";
                if (pos == t->nslots)
                    ERR(c, E_POSITIONAL, a->sp, "template '%s' has %u slot%s, but %u values "
                        "are given", t->decl->u.tmpl.name.text, t->nslots,
                        t->nslots == 1 ? "" : "s", pos + 1);
            }
            pos++;
        }
        check_cons(c, a->cons, &p, slot);
    }
    if (named && positional)
        ERR(c, E_POSITIONAL, pat->sp, "a pattern gives its values either all by name or all "
            "by position, not both");
}

/* ---- facts and actions ---- */

/* A literal as a map key: its type's letter and its text, so that 1, 1.0,
 * "1" and the symbol 1x stay apart (1 and 1.0 are the same number). */
static const char *lit_key(arena *a, const ast_lit *l, uint32_t *len)
{
    char buf[48];
    const char *text = buf;
    size_t n;
    switch (l->type) {
    case TY_INT:
    case TY_FLOAT: {
        double x = l->type == TY_INT ? (double)l->u.i : l->u.f;
        n = (size_t)snprintf(buf, sizeof buf, "n%.17g", x);
        break;
    }
    default: {
        char *k = arena_alloc(a, l->len + 2);
        k[0] = l->type == TY_SYMBOL ? 's' : 't';
        memcpy(k + 1, l->u.s, l->len);
        *len = l->len + 1;
        return k;
    }
    }
    *len = (uint32_t)n;
    return arena_strndup(a, text, n);
}

static void produced(checker *c, slot_info *s, const ast_expr *value)
{
    if (!value || value->kind != EX_LIT) {
        s->produced_any = true;
        return;
    }
    if (!s->produced.cap)
        map_init(&s->produced, c->a, 4);
    uint32_t len;
    const char *key = lit_key(c->a, &value->u.lit, &len);
    map_put(&s->produced, key, len, (void *)&value->u.lit);
}

static bool was_produced(checker *c, slot_info *s, const ast_lit *l)
{
    if (!s->produced.cap)
        return false;
    uint32_t len;
    const char *key = lit_key(c->a, l, &len);
    return map_get(&s->produced, key, len) != NULL;
}

/* A value put into slot S: its type and its ask domain. */
static void check_put(checker *c, const tmpl_info *t, slot_info *s, const ast_expr *value)
{
    if (value->kind != EX_LIT || !s->type_ok)
        return;
    const ast_lit *l = &value->u.lit;
    const char *slot = s->decl->name.text;
    const char *tname = t->decl->u.tmpl.name.text;
    if (!type_fits(s->type, l->type)) {
        ERR(c, E_TYPE, l->sp, "slot '%s' holds %s, not %s", slot, a_type(s->type),
            a_type(l->type));
        return;
    }
    if (s->ask && !in_domain(s->ask, l)) {
        char text[64];
        lit_text(l, text, sizeof text);
        ERR(c, E_DOMAIN, l->sp, "%s is not an allowed answer for '%s.%s'", text, tname, slot);
        note_domain(c, s->ask);
    }
}

/* Slot values of a fact (facts, given, assert, conclude) or a modify of
 * template T. GROUND: values must be constants. */
static void check_slotvals(checker *c, tmpl_info *t, const ast_slotval *args, span sp,
                           bool ground)
{
    bool named = false, positional = false;
    uint32_t pos = 0;
    bool given[256] = {0};
    for (const ast_slotval *a = args; a; a = a->next) {
        if (ground) {
            /* report variables before anything else about the value */
            if (a->value->kind == EX_VAR) {
                ERR(c, E_NOT_CONSTANT, a->value->sp,
                    "a fact here must be constant, but '?%s' is a variable",
                    a->value->u.var.text);
            } else {
                check_expr(c, a->value);
            }
        } else {
            check_expr(c, a->value);
        }
        if (!t)
            continue;
        slot_info *s = NULL;
        if (a->name.text) {
            named = true;
            if (name_eq(&a->name, "cf")) {
                ERR(c, E_UNKNOWN_SLOT, a->name.sp, "'cf' is not a slot of '%s'",
                    t->decl->u.tmpl.name.text);
                diag_note(c->d, NULL, "to give a certainty, write 'conclude %s(...) cf N'",
                          t->decl->u.tmpl.name.text);
                continue;
            }
            s = find_slot(t, &a->name);
            if (!s) {
                unknown_slot(c, t, &a->name);
                continue;
            }
        } else {
            positional = true;
            if (pos >= t->nslots) {
                if (pos == t->nslots)
                    ERR(c, E_POSITIONAL, a->sp, "template '%s' has %u slot%s, but %u values "
                        "are given", t->decl->u.tmpl.name.text, t->nslots,
                        t->nslots == 1 ? "" : "s", pos + 1);
                pos++;
                continue;
            }
            s = &t->slots[pos++];
        }
        uint32_t idx = (uint32_t)(s - t->slots);
        if (idx < 256) {
            if (given[idx]) {
                ERR(c, E_DUP_SLOT, a->name.text ? a->name.sp : a->sp, "slot '%s' is given twice",
                    s->decl->name.text);
                continue;
            }
            given[idx] = true;
        }
        if (!(ground && a->value->kind == EX_VAR))
            check_put(c, t, s, a->value);
        produced(c, s, a->value);
    }
    if (named && positional)
        ERR(c, E_POSITIONAL, sp, "a fact gives its values either all by name or all by "
            "position, not both");
    if (!t)
        return;
    /* slots left out take their default */
    for (uint32_t i = 0; i < t->nslots && i < 256; i++)
        if (!given[i]) {
            slot_info *s = &t->slots[i];
            if (s->decl->dflt) {
                ast_expr *e = arena_alloc(c->a, sizeof *e);
                e->kind = EX_LIT;
                e->u.lit = *s->decl->dflt;
                produced(c, s, e);
            } else {
                s->produced_any = true; /* the type's empty value */
            }
        }
}

static void check_fact(checker *c, const ast_fact *f, bool ground)
{
    tmpl_info *t = lookup_template(c, &f->tmpl);
    if (t)
        t->producers++;
    check_slotvals(c, t, f->args, f->sp, ground);
}

static var *fact_var(checker *c, const ast_name *n, const char *action)
{
    var *v = find_var(c, n);
    if (!v) {
        ERR(c, E_UNBOUND, n->sp, "variable '?%s' is used but never bound", n->text);
        diag_note(c->d, NULL, "bind a fact with '?%s <- template(...)' in the conditions",
                  n->text);
        return NULL;
    }
    v->count++;
    if (v->state != V_FACT) {
        ERR(c, E_NOT_FACT_VAR, n->sp, "'%s' needs a fact, but '?%s' holds a value", action,
            n->text);
        diag_note(c->d, &v->first, "bind a fact with '?%s <- template(...)'; here '?%s' "
                                   "takes a slot's value", n->text, n->text);
        return NULL;
    }
    return v;
}

static void check_action(checker *c, const ast_action *a)
{
    switch (a->kind) {
    case ACT_ASSERT:
        check_fact(c, &a->u.fact, false);
        break;
    case ACT_CONCLUDE: {
        check_fact(c, &a->u.conclude.fact, false);
        const ast_expr *cf = a->u.conclude.cf;
        double x;
        if (cf && !const_number(cf, &x)) {
            check_expr(c, cf);
            ERR(c, E_CF, cf->sp, "a certainty factor must be a number from -1 to 1");
        } else if (cf && (x < -1 || x > 1)) {
            ERR(c, E_CF, cf->sp, "certainty factor %g is outside -1 .. 1", x);
        }
        break;
    }
    case ACT_RETRACT:
        for (const ast_expr *v = a->u.vars; v; v = v->next)
            fact_var(c, &v->u.var, "retract");
        break;
    case ACT_MODIFY: {
        var *v = fact_var(c, &a->u.modify.var, "modify");
        tmpl_info *t = NULL;
        if (v && v->fact_pat)
            t = map_get(&c->tmpls, v->fact_pat->tmpl.text, v->fact_pat->tmpl.len);
        for (const ast_slotval *s = a->u.modify.args; s; s = s->next)
            if (!s->name.text) {
                ERR(c, E_POSITIONAL, s->sp, "'modify' names each slot it changes");
                return;
            }
        check_slotvals(c, t, a->u.modify.args, a->sp, false);
        /* the slots it leaves alone keep their values: not new defaults */
        break;
    }
    case ACT_BIND: {
        check_expr(c, a->u.bind.value);
        var *v = find_var(c, &a->u.bind.var);
        if (v && v->state == V_FACT) {
            v->count++;
            ERR(c, E_FACT_VAR_MISUSE, a->u.bind.var.sp, "'?%s' names a fact; 'bind' cannot "
                "change it", a->u.bind.var.text);
        } else if (v) {
            v->count++;
            v->state = V_BOUND;
        } else {
            add_var(c, &a->u.bind.var, V_BOUND)->count = 1;
        }
        break;
    }
    case ACT_PRINT:
        for (const ast_expr *e = a->u.args; e; e = e->next)
            check_expr(c, e);
        break;
    case ACT_RECOMMEND:
        check_expr(c, a->u.recommend.text);
        break;
    case ACT_HALT:
        break;
    }
}

/* ---- conditions ---- */

static void check_ces(checker *c, const ast_ce *ce, bool negated);

static void open_region(checker *c)
{
    c->open[c->nopen++] = ++c->regions;
}

static void check_ce(checker *c, const ast_ce *ce, bool negated)
{
    switch (ce->kind) {
    case CE_PATTERN:
        check_pattern(c, &ce->u.pat, negated, false);
        break;
    case CE_NOT:
    case CE_EXISTS:
        open_region(c);
        check_ce(c, ce->u.sub, true);
        c->nopen--;
        break;
    case CE_FORALL:
        open_region(c);
        check_ce(c, ce->u.forall.domain, true);
        check_ce(c, ce->u.forall.body, true);
        c->nopen--;
        break;
    case CE_AND:
        check_ces(c, ce->u.list, negated);
        break;
    case CE_TEST:
        check_expr(c, ce->u.test);
        break;
    case CE_OR: {
        /* Each alternative starts from the same bindings; a variable is
         * bound after the `or` when every alternative binds it. */
        uint32_t base = c->nvars;
        var *found = NULL; /* new variables of the alternatives so far */
        uint32_t nfound = 0, nalts = 0;
        uint32_t *hits = NULL;
        for (const ast_ce *alt = ce->u.list; alt; alt = alt->next, nalts++) {
            check_ce(c, alt, negated);
            for (uint32_t i = base; i < c->nvars; i++) {
                uint32_t j = 0;
                while (j < nfound && !(found[j].len == c->vars[i].len &&
                                       memcmp(found[j].name, c->vars[i].name, found[j].len) == 0))
                    j++;
                if (j == nfound) {
                    var *grown = arena_alloc(c->a, (nfound + 1) * sizeof *grown);
                    uint32_t *gh = arena_alloc(c->a, (nfound + 1) * sizeof *gh);
                    if (nfound) {
                        memcpy(grown, found, nfound * sizeof *grown);
                        memcpy(gh, hits, nfound * sizeof *gh);
                    }
                    found = grown;
                    hits = gh;
                    found[nfound] = c->vars[i];
                    hits[nfound++] = 0;
                } else {
                    found[j].count += c->vars[i].count;
                }
                if (c->vars[i].state == V_BOUND || c->vars[i].state == V_FACT)
                    hits[j]++;
            }
            c->nvars = base;
        }
        for (uint32_t j = 0; j < nfound; j++) {
            var *v = add_var(c, &(ast_name){found[j].name, found[j].len, found[j].first},
                             found[j].state);
            *v = found[j];
            if (hits[j] < nalts && v->state == V_BOUND)
                v->state = V_PARTIAL;
        }
        break;
    }
    }
}

static void check_ces(checker *c, const ast_ce *ce, bool negated)
{
    for (; ce; ce = ce->next)
        check_ce(c, ce, negated);
}

/* ---- declarations ---- */

static void check_rule(checker *c, const ast_rule *r)
{
    c->rule = r;
    c->nvars = 0;
    c->nopen = 0;
    c->regions = 0;
    if (r->salience) {
        const ast_lit *s = r->salience;
        if (s->type != TY_INT)
            ERR(c, E_SALIENCE, s->sp, "salience must be a whole number from -10000 to 10000");
        else if (s->u.i < -10000 || s->u.i > 10000)
            ERR(c, E_SALIENCE, s->sp, "salience %lld is outside -10000 .. 10000",
                (long long)s->u.i);
    }
    check_ces(c, r->conds, false);
    for (const ast_action *a = r->actions; a; a = a->next)
        check_action(c, a);
    for (uint32_t i = 0; i < c->nvars; i++) {
        const var *v = &c->vars[i];
        if (v->count == 1 && v->name[0] != '_') {
            if (v->state == V_FACT)
                WARN(c, W_UNUSED_VAR, v->first, "fact variable '?%s' is bound but never used",
                     v->name);
            else
                WARN(c, W_UNUSED_VAR, v->first, "variable '?%s' is bound but never used",
                     v->name);
            diag_note(c->d, NULL, v->state == V_FACT
                                      ? "leave out '?%s <-' if the rule does not change the fact"
                                      : "write '?' for a value you do not need, or '?_%s'",
                      v->name);
        }
    }
    c->rule = NULL;
}

static void check_case(checker *c, const ast_case *k)
{
    c->nvars = 0;
    c->nopen = 0;
    for (const ast_fact *f = k->given; f; f = f->next)
        check_fact(c, f, true);
    for (const ast_expect *e = k->expects; e; e = e->next)
        check_pattern(c, &e->pat, e->negated, true);
}

static void unique_name(checker *c, name_map *m, const ast_name *n, const char *what,
                        diag_code code)
{
    if (!n->text)
        return;
    ast_name *copy = arena_alloc(c->a, sizeof *copy);
    *copy = *n;
    const ast_name *old = map_put(m, n->text, n->len, copy);
    if (old) {
        ERR(c, code, n->sp, "%s '%s' is defined twice", what, n->text);
        first_defined(c, "it was", old->sp);
    }
}

/* ---- sweep 3: lint over the whole program ---- */

static void judge_const_tests(checker *c)
{
    for (const const_test *t = c->tests; t; t = t->next) {
        slot_info *s = t->s;
        if (!s->type_ok || !type_fits(s->type, t->lit->type) || s->produced_any ||
            was_produced(c, s, t->lit))
            continue;
        char text[64];
        lit_text(t->lit, text, sizeof text);
        const char *tname = t->t->decl->u.tmpl.name.text;
        if (s->ask) {
            if (in_domain(s->ask, t->lit))
                continue;
            WARN(c, W_NEVER_FIRES, t->lit->sp,
                 "rule '%s' can never fire: %s is not an allowed answer for '%s.%s'",
                 t->rule->name.text, text, tname, s->decl->name.text);
            note_domain(c, s->ask);
        } else if (!t->t->asked && t->t->producers > 0) {
            WARN(c, W_NEVER_FIRES, t->lit->sp,
                 "rule '%s' can never fire: nothing gives '%s.%s' the value %s",
                 t->rule->name.text, tname, s->decl->name.text, text);
        }
    }
}

void check_program(const ast_program *prog, diag_list *d)
{
    checker c = {.prog = prog, .a = prog->arena, .d = d};
    unsigned errors_before = d->nerrors;
    uint32_t ntemplates = 0, nrules = 0;
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        ntemplates += x->kind == DECL_TEMPLATE;
        nrules += x->kind != DECL_TEMPLATE;
    }
    map_init(&c.tmpls, c.a, ntemplates);
    map_init(&c.unknown, c.a, 8);

    /* sweep 1 */
    for (const ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_TEMPLATE)
            collect_template(&c, x);
    for (const ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_ASK)
            collect_ask(&c, x);

    /* sweep 2 */
    name_map rules, cases, facts;
    map_init(&rules, c.a, nrules);
    map_init(&cases, c.a, 16);
    map_init(&facts, c.a, 16);
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        switch (x->kind) {
        case DECL_RULE:
            unique_name(&c, &rules, &x->u.rule.name, "rule", E_DUP_RULE);
            check_rule(&c, &x->u.rule);
            break;
        case DECL_FACTS:
            unique_name(&c, &facts, &x->u.facts.name, "facts block", E_DUP_DECL);
            for (const ast_fact *f = x->u.facts.facts; f; f = f->next)
                check_fact(&c, f, true);
            break;
        case DECL_CASE:
            unique_name(&c, &cases, &x->u.kase.name, "case", E_DUP_DECL);
            check_case(&c, &x->u.kase);
            break;
        case DECL_TEMPLATE:
        case DECL_ASK:
            break;
        }
    }

    /* sweep 3: judging what can reach a slot is only sound in a program
     * without errors (a value of the wrong type reaches nothing). */
    if (d->nerrors == errors_before)
        judge_const_tests(&c);
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_TEMPLATE)
            continue;
        const tmpl_info *t = map_get(&c.tmpls, x->u.tmpl.name.text, x->u.tmpl.name.len);
        if (t && t->decl == x && !t->used)
            WARN(&c, W_UNUSED_TEMPLATE, x->u.tmpl.name.sp, "template '%s' is never used",
                 x->u.tmpl.name.text);
    }
}
