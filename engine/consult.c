/* consult.c — findings from outside, and which question to ask next.
 *
 * Facts from outside the language (a JSON case, an answer typed at a
 * question) are checked here as a typed fact is checked by the front end:
 * template, slot, type, and the ask's domain. Symbols are looked up, not
 * interned, when the slot has a domain, so bad input never grows the
 * symbol table.
 *
 * The question chooser reads the network's partial matches: see
 * docs/engine.md, "Consultation", for the rules of the choice.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "eval.h"
#include "internal.h"
#include "tms.h"
#include "wm.h"

/* ---- asks ------------------------------------------------------------------ */

const sn_ask *sn_ask_next(const sn_engine *e, const sn_ask *k) { return k ? k->next : e->asks; }

const sn_ask *sn_ask_find(const sn_engine *e, const char *tmpl)
{
    for (const ask *k = e->asks; k; k = k->next)
        if (strcmp(k->t->name->text, tmpl) == 0)
            return k;
    return NULL;
}

const char *sn_ask_template(const sn_ask *k) { return k->t->name->text; }
const char *sn_ask_slot(const sn_ask *k) { return k->t->slots[k->slot].name->text; }
const char *sn_ask_question(const sn_ask *k) { return k->question; }
bool sn_ask_multiple(const sn_ask *k) { return k->multiple; }
unsigned sn_ask_nanswers(const sn_ask *k) { return k->nanswers; }
const char *sn_ask_answer(const sn_ask *k, unsigned i) { return i < k->nanswers ? k->answer_text[i] : NULL; }

bool sn_template_red_flag(const sn_template *t) { return t->red_flag; }
bool sn_rule_red_flag(const sn_rule *r) { return r->red_flag; }
bool sn_fact_red_flag(const sn_fact *f) { return f->t->red_flag; }

const sn_template *sn_template_find(const sn_engine *e, const char *name)
{
    return tmpl_find(e, name, strlen(name));
}

static bool given_fact(const struct fact *f)
{
    return f->live && f->asserted && f->origin != SN_ORIGIN_RULE;
}

static bool has_given(const struct tmpl *t)
{
    for (const struct fact *f = t->first; f; f = f->tnext)
        if (given_fact(f))
            return true;
    return false;
}

sn_ask_state sn_ask_state_of(const sn_engine *e, const sn_ask *k)
{
    (void)e;
    if (k->unknown)
        return SN_ASK_UNKNOWN;
    return has_given(k->t) ? SN_ASK_ANSWERED : SN_ASK_OPEN;
}

/* ---- facts from outside ------------------------------------------------------ */

/* Letters, digits and _, not all digits: what a symbol can be written as
 * (1_to_4_weeks is one). */
static bool is_name(const char *s)
{
    bool digits = true;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
        digits &= *s >= '0' && *s <= '9';
    }
    return !digits;
}

static const char *type_word(vtype t)
{
    switch (t) {
    case V_STRING: return "a string";
    case V_INT: return "an integer";
    case V_FLOAT: return "a number";
    default: return "a symbol";
    }
}

/* The template, slot and value V stands for, checked. */
static bool resolve(engine *e, const char *tname, const char *sname, sn_value v, struct tmpl **tp,
                    uint32_t *sp, value *out, char *err, size_t errsize)
{
    struct tmpl *t = tmpl_find(e, tname, strlen(tname));
    if (!t) {
        snprintf(err, errsize, "unknown template '%s'", tname);
        return false;
    }
    int32_t s;
    if (sname) {
        s = slot_index(t, sname, strlen(sname));
        if (s < 0) {
            snprintf(err, errsize, "template '%s' has no slot '%s'", tname, sname);
            return false;
        }
    } else if (t->ask) {
        s = (int32_t)t->ask->slot;
    } else if (t->nslots == 1) {
        s = 0;
    } else {
        snprintf(err, errsize, "template '%s' has %u slots: say which", tname, t->nslots);
        return false;
    }
    const slotdef *d = &t->slots[s];
    value x;
    switch (d->type) {
    case V_INT:
        if (!v.is_number || v.number != (double)(int64_t)v.number) {
            snprintf(err, errsize, "%s.%s takes an integer", tname, d->name->text);
            return false;
        }
        x = v_int((int64_t)v.number);
        break;
    case V_FLOAT:
        if (!v.is_number) {
            snprintf(err, errsize, "%s.%s takes a number", tname, d->name->text);
            return false;
        }
        x = v_float(v.number);
        break;
    default: {
        if (v.is_number || !v.text) {
            snprintf(err, errsize, "%s.%s takes %s", tname, d->name->text, type_word(d->type));
            return false;
        }
        size_t len = strlen(v.text);
        if (d->type == V_SYMBOL && !is_name(v.text)) {
            snprintf(err, errsize, "'%s' is not a symbol (%s.%s takes one)", v.text, tname, d->name->text);
            return false;
        }
        const sym *y = d->ask ? sym_lookup(&e->syms, v.text, len) : sym_intern(&e->syms, v.text, len);
        if (!y) {
            snprintf(err, errsize, "%s is not an allowed answer for '%s.%s'", v.text, tname, d->name->text);
            return false;
        }
        x = d->type == V_STRING ? v_str(y) : v_sym(y);
        break;
    }
    }
    if (d->ask) {
        uint32_t i = 0;
        while (i < d->ask->nanswers && !value_eq(d->ask->answers[i], x))
            i++;
        if (i == d->ask->nanswers) {
            char vb[128];
            value_format(vb, sizeof vb, x);
            snprintf(err, errsize, "%s is not an allowed answer for '%s.%s'", vb, tname, d->name->text);
            return false;
        }
    }
    *tp = t;
    *sp = (uint32_t)s;
    *out = x;
    return true;
}

bool sn_check_slot(sn_engine *e, const char *tmpl, const char *slot, sn_value v, char *err, size_t errsize)
{
    struct tmpl *t;
    uint32_t s;
    value x;
    return resolve(e, tmpl, slot, v, &t, &s, &x, err, errsize);
}

static struct fact *assert_one(engine *e, struct tmpl *t, uint32_t s, value x)
{
    value vals[t->nslots + 1];
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    vals[s] = x;
    return fact_assert(e, t, vals, SN_ORIGIN_TYPED, NULL, NULL);
}

sn_fact *sn_assert_slot(sn_engine *e, const char *tmpl, const char *slot, sn_value v, char *err,
                        size_t errsize)
{
    struct tmpl *t;
    uint32_t s;
    value x;
    if (!resolve(e, tmpl, slot, v, &t, &s, &x, err, errsize))
        return NULL;
    struct fact *f = assert_one(e, t, s, x);
    engine_quiesce(e);
    return f->live ? f : NULL;
}

sn_fact *sn_assert_slots(sn_engine *e, const char *tmpl, const char *const *slots, const sn_value *v,
                         unsigned n, char *err, size_t errsize)
{
    struct tmpl *t = tmpl_find(e, tmpl, strlen(tmpl));
    if (!t) {
        snprintf(err, errsize, "unknown template '%s'", tmpl);
        return NULL;
    }
    value vals[t->nslots + 1];
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    for (unsigned i = 0; i < n; i++) {
        struct tmpl *u;
        uint32_t s;
        value x;
        if (!resolve(e, tmpl, slots[i], v[i], &u, &s, &x, err, errsize))
            return NULL; /* nothing asserted yet */
        vals[s] = x;
    }
    struct fact *f = fact_assert(e, t, vals, SN_ORIGIN_TYPED, NULL, NULL);
    engine_quiesce(e);
    return f->live ? f : NULL;
}

/* ---- answers ----------------------------------------------------------------- */

bool sn_ask_set(sn_engine *e, const sn_ask *kc, const char *const *answers, unsigned n, char *err,
                size_t errsize)
{
    ask *k = (ask *)kc;
    if (n == 0 || (n > 1 && !k->multiple)) {
        snprintf(err, errsize, n ? "one answer only" : "no answer given");
        return false;
    }
    value *vals = e_alloc(e, n * sizeof *vals);
    for (unsigned i = 0; i < n; i++) {
        struct tmpl *t;
        uint32_t s;
        sn_value v = {.text = answers[i]};
        vtype type = k->t->slots[k->slot].type;
        if (type == V_INT || type == V_FLOAT) {
            /* a number slot: the answer is written as one */
            char *end;
            double d = strtod(answers[i], &end);
            if (end != answers[i] && *end == '\0')
                v = (sn_value){.is_number = true, .number = d};
        }
        if (!resolve(e, k->t->name->text, k->t->slots[k->slot].name->text, v, &t, &s, &vals[i], err,
                     errsize)) {
            e_free(e, vals);
            return false;
        }
    }
    for (unsigned i = 0; i < n; i++)
        assert_one(e, k->t, k->slot, vals[i]);
    e_free(e, vals);
    k->unknown = false;
    engine_quiesce(e);
    return true;
}

void sn_ask_set_unknown(sn_engine *e, const sn_ask *kc)
{
    (void)e;
    ((ask *)kc)->unknown = true;
}

void sn_ask_clear(sn_engine *e, const sn_ask *kc)
{
    ask *k = (ask *)kc;
    for (struct fact *f = k->t->first, *next; f; f = next) {
        next = f->tnext;
        if (given_fact(f))
            fact_retract(e, f);
    }
    k->unknown = false;
    engine_quiesce(e);
}

/* ---- which question next --------------------------------------------------- */

/* The condition at LEVEL (1-based) of P is held by this node. */
static const node *cond_node(const prod *p, uint32_t level) { return p->chain[level - 1]; }

/* Conditions of P that hold in its closest partial match. */
static uint32_t prod_held(const prod *p)
{
    for (uint32_t l = 1; l <= p->depth; l++)
        if (p->chain[l]->ntokens == 0)
            return l - 1;
    return p->depth;
}

unsigned sn_rule_held(const sn_engine *e, const sn_rule *r, unsigned *conditions)
{
    (void)e;
    unsigned best = 0, depth = 0;
    double frac = -1;
    for (uint32_t i = 0; i < r->nprods; i++) {
        const prod *p = r->prods[i];
        uint32_t h = prod_held(p);
        double f = p->depth ? (double)h / p->depth : 1;
        if (f > frac) {
            frac = f;
            best = h;
            depth = p->depth;
        }
    }
    if (conditions)
        *conditions = depth;
    return best;
}

static bool open_ask(const engine *e, const struct tmpl *t)
{
    return t->ask && sn_ask_state_of(e, t->ask) == SN_ASK_OPEN;
}

/* The state of the analysis: which productions can never fire as things
 * stand. */
typedef struct chooser {
    engine *e;
    prod **prods;
    uint32_t nprods;
    bool *dead;
} chooser;

/* Could action A of a live rule put a fact into AM? Only constants are
 * compared; anything computed could be anything. */
static bool could_fill(engine *e, const cact *a, const amem *am)
{
    if ((a->kind != A_CONCLUDE && a->kind != A_ASSERT && a->kind != A_MODIFY) || a->t != am->t)
        return false;
    if (a->kind == A_MODIFY || !a->vals)
        return true;
    const struct tmpl *t = am->t;
    value vals[t->nslots + 1];
    for (uint32_t i = 0; i < t->nslots; i++) {
        const cexpr *x = a->vals[i];
        if (x && x->kind != CX_CONST)
            return true;
        vals[i] = x ? x->k : t->slots[i].dflt;
    }
    if (!amem_consts_match(am, vals))
        return false;
    if (!am->test)
        return true;
    struct fact *f = calloc(1, sizeof *f + t->nslots * sizeof(value));
    if (!f)
        return true;
    f->t = (struct tmpl *)t;
    f->cf = 1.0;
    memcpy(f->slots, vals, t->nslots * sizeof(value));
    ectx c = {.e = e, .f = f};
    bool ok = cx_truth(cx_eval(&c, am->test)) && !c.failed;
    free(f);
    return ok;
}

static bool someone_makes(chooser *ch, const amem *am)
{
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i])
            continue;
        for (const cact *a = ch->prods[i]->actions; a; a = a->next)
            if (could_fill(ch->e, a, am))
                return true;
    }
    return false;
}

/* Can P never fire as things stand: a condition no fact passes, on a
 * finding already answered (or unknown), or on a conclusion no live rule
 * can make; or a `not` a given finding blocks outright. */
static bool blocked(chooser *ch, const prod *p)
{
    engine *e = ch->e;
    for (uint32_t l = 1; l <= p->depth; l++) {
        const node *n = cond_node(p, l);
        if (n->kind != N_JOIN && n->kind != N_EXISTS && n->kind != N_NEG)
            continue;
        const amem *am = n->am;
        const struct tmpl *t = am->t;
        if (n->kind == N_NEG) {
            if (am->idx.n > 0 && !n->nkeys && !n->test && t->ask && !open_ask(e, t))
                return true;
            continue;
        }
        if (am->idx.n > 0)
            continue;
        if (t->ask ? !open_ask(e, t) : !someone_makes(ch, am))
            return true;
    }
    return false;
}

typedef struct cand {
    const ask *k;
    bool red;            /* a red-flag rule waits on it */
    double close;        /* the closest rule's fraction of conditions held */
    uint32_t nrules;
} cand;

static void note(cand *cv, const ask *k, const prod *p, double close)
{
    cand *c = &cv[k->index];
    c->k = k;
    c->nrules++;
    if (p->r->red_flag)
        c->red = true;
    if (close > c->close)
        c->close = close;
}

/* Is everything the holding alternatives of R made certain already? */
static bool settled_rule(const struct rule *r)
{
    for (uint32_t i = 0; i < r->nprods; i++) {
        const node *term = r->prods[i]->term;
        for (uint32_t b = 0; term->mem.b && b <= term->mem.mask; b++)
            for (const token *t = term->mem.b[b]; t; t = t->bnext)
                for (const struct just *j = t->sup; j; j = j->tnext)
                    if (j->target && j->target->cf > -1.0 && j->target->cf < 1.0)
                        return false;
    }
    return true;
}

/* Could the group under NCC still match: none of its patterns is on a
 * finding settled without a fact that passes it. */
static bool group_possible(engine *e, const node *ncc)
{
    if (!ncc->partner)
        return false;
    for (const node *n = ncc->partner->parent; n && n != ncc->parent; n = n->parent)
        if ((n->kind == N_JOIN || n->kind == N_EXISTS) && n->am->idx.n == 0 && n->am->t->ask &&
            !open_ask(e, n->am->t))
            return false;
    return true;
}

/* What an answer to each open ask could change: notes into CV (one per
 * ask, by index). Calls FN(ctx, p, ask, held, blocks) for each reason. */
typedef void (*reason_fn)(void *ctx, const prod *p, const ask *k, uint32_t held, bool blocks,
                          uint32_t level);

/* The open asks for templates in the group NCC's subnetwork. */
static void group_asks(engine *e, const node *ncc, const prod *p, uint32_t held, bool blocks,
                       uint32_t level, cand *cv, reason_fn fn, void *ctx)
{
    if (!group_possible(e, ncc))
        return;
    double close = blocks ? 1.0 : (double)(held + 1) / p->depth;
    for (const node *n = ncc->partner->parent; n && n != ncc->parent; n = n->parent)
        if (n->am && open_ask(e, n->am->t)) {
            note(cv, n->am->t->ask, p, close);
            if (fn)
                fn(ctx, p, n->am->t->ask, held, blocks, level);
        } else if (n->kind == N_NCC) {
            /* a group in the group: `exists { A or B }` is
             * `exists { not { not A, not B } }`, its asks two levels down */
            group_asks(e, n, p, held, blocks, level, cv, fn, ctx);
        }
}

static void analyse(engine *e, cand *cv, reason_fn fn, void *ctx)
{
    chooser ch = {.e = e};
    uint32_t cap = 0;
    for (const struct rule *r = e->rules; r; r = r->next)
        if (!r->removed)
            cap += r->nprods;
    ch.prods = e_alloc(e, (cap + 1) * sizeof *ch.prods);
    ch.dead = e_calloc(e, cap + 1, sizeof *ch.dead);
    for (const struct rule *r = e->rules; r; r = r->next)
        if (!r->removed)
            for (uint32_t i = 0; i < r->nprods; i++)
                ch.prods[ch.nprods++] = r->prods[i];
    /* the dead make others dead: to a fixed point */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 0; i < ch.nprods; i++)
            if (!ch.dead[i] && blocked(&ch, ch.prods[i]))
                ch.dead[i] = changed = true;
    }
    for (uint32_t i = 0; i < ch.nprods; i++) {
        if (ch.dead[i])
            continue;
        const prod *p = ch.prods[i];
        uint32_t held = prod_held(p);
        /* once one alternative of an `or` holds and what it made is certain
         * (cf 1 or -1), another alternative adds nothing, and blocking one
         * of two that hold withdraws nothing */
        uint32_t holding = 0;
        for (uint32_t j = 0; j < p->r->nprods; j++)
            holding += prod_held(p->r->prods[j]) == p->r->prods[j]->depth;
        if (((held < p->depth && holding > 0) || (held == p->depth && holding > 1)) && settled_rule(p->r))
            continue;
        if (held < p->depth) {
            /* the condition it stopped at: an answer could complete it */
            const node *n = cond_node(p, held + 1);
            double close = (double)(held + 1) / p->depth;
            if ((n->kind == N_JOIN || n->kind == N_EXISTS) && open_ask(e, n->am->t)) {
                note(cv, n->am->t->ask, p, close);
                if (fn)
                    fn(ctx, p, n->am->t->ask, held, false, held + 1);
            } else if (n->kind == N_NCC && n->exists) {
                group_asks(e, n, p, held, false, held + 1, cv, fn, ctx);
            }
            continue;
        }
        /* it holds: an answer could block a `not` and withdraw what it made */
        for (uint32_t l = 1; l <= p->depth; l++) {
            const node *n = cond_node(p, l);
            if (n->kind == N_NEG && open_ask(e, n->am->t)) {
                note(cv, n->am->t->ask, p, 1.0);
                if (fn)
                    fn(ctx, p, n->am->t->ask, held, true, l);
            } else if (n->kind == N_NCC && !n->exists) {
                group_asks(e, n, p, held, true, l, cv, fn, ctx);
            }
        }
    }
    e_free(e, ch.prods);
    e_free(e, ch.dead);
}

static bool better(const cand *a, const cand *b)
{
    if (!b->k)
        return true;
    if (a->red != b->red)
        return a->red;
    if (a->close != b->close)
        return a->close > b->close;
    if (a->nrules != b->nrules)
        return a->nrules > b->nrules;
    return a->k->index < b->k->index;
}

typedef struct reasons {
    const ask *k;
    sn_reason *v;
    unsigned max, n;
} reasons;

static void collect(void *ctx, const prod *p, const ask *k, uint32_t held, bool blocks, uint32_t level)
{
    reasons *rs = ctx;
    if (k != rs->k)
        return;
    for (unsigned i = 0; i < rs->n && i < rs->max; i++)
        if (rs->v[i].rule == p->r)
            return; /* one line per rule: its first alternative */
    if (rs->n < rs->max)
        rs->v[rs->n] = (sn_reason){.rule = p->r,
                                   .held = held,
                                   .conditions = p->depth,
                                   .blocks = blocks,
                                   .condition = p->cond_text[level]};
    rs->n++;
}

static int by_reason(const void *a, const void *b)
{
    const sn_reason *x = a, *y = b;
    if (x->rule->red_flag != y->rule->red_flag)
        return x->rule->red_flag ? -1 : 1;
    double fx = (double)x->held / (x->conditions ? x->conditions : 1);
    double fy = (double)y->held / (y->conditions ? y->conditions : 1);
    if (fx != fy)
        return fx > fy ? -1 : 1;
    return strcmp(x->rule->name->text, y->rule->name->text);
}

unsigned sn_ask_reasons(sn_engine *e, const sn_ask *k, sn_reason *why, unsigned max)
{
    cand *cv = e_calloc(e, e->nasks + 1, sizeof *cv);
    sn_reason *all = e_alloc(e, (e->nrules + 1) * sizeof *all);
    reasons rs = {.k = k, .v = all, .max = e->nrules};
    analyse(e, cv, collect, &rs);
    unsigned n = rs.n < rs.max ? rs.n : rs.max;
    qsort(all, n, sizeof *all, by_reason);
    for (unsigned i = 0; i < n && i < max; i++)
        why[i] = all[i];
    e_free(e, all);
    e_free(e, cv);
    return n;
}

const sn_ask *sn_next_question(sn_engine *e, sn_reason *why, unsigned max, unsigned *nwhy)
{
    cand *cv = e_calloc(e, e->nasks + 1, sizeof *cv);
    analyse(e, cv, NULL, NULL);
    const cand *best = &(cand){0};
    for (uint32_t i = 0; i < e->nasks; i++)
        if (cv[i].k && better(&cv[i], best))
            best = &cv[i];
    const ask *k = best->k;
    e_free(e, cv);
    unsigned n = k && (why || nwhy) ? sn_ask_reasons(e, k, why, why ? max : 0) : 0;
    if (nwhy)
        *nwhy = n;
    return k;
}

bool sn_ask_relevant(sn_engine *e, const sn_ask *k)
{
    cand *cv = e_calloc(e, e->nasks + 1, sizeof *cv);
    analyse(e, cv, NULL, NULL);
    bool yes = cv[k->index].k != NULL;
    e_free(e, cv);
    return yes;
}
