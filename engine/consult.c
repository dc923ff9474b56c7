/* consult.c — findings from outside, and which question to ask next.
 *
 * Facts from outside the language (a JSON case, an answer typed at a
 * question) are checked here as a typed fact is checked by the front end:
 * template, slot, type, and the ask's domain. Symbols are looked up, not
 * interned, when the slot has a domain, so bad input never grows the
 * symbol table.
 *
 * Grouped questions ("any of these?") are asks without a template: their
 * answers settle the asks of their items.
 *
 * The question chooser reads the network's partial matches for the
 * questions whose answers could matter to the report (red flags, the top
 * of the differential), then tries their answers on a copy of the engine
 * (whatif.c) and asks the one expected to change the report most: see
 * docs/engine.md, "Consultation", for the rules of the choice.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "eval.h"
#include "internal.h"
#include "tms.h"
#include "whatif.h"
#include "wm.h"

/* ---- asks ------------------------------------------------------------------ */

const sn_ask *sn_ask_next(const sn_engine *e, const sn_ask *k) { return k ? k->next : e->asks; }

const sn_ask *sn_ask_find(const sn_engine *e, const char *tmpl)
{
    for (const ask *k = e->asks; k; k = k->next)
        if (strcmp(k->t ? k->t->name->text : k->name, tmpl) == 0)
            return k;
    return NULL;
}

const char *sn_ask_template(const sn_ask *k) { return k->t ? k->t->name->text : k->name; }
const char *sn_ask_slot(const sn_ask *k) { return k->t ? k->t->slots[k->slot].name->text : ""; }
const char *sn_ask_question(const sn_ask *k) { return k->question; }
bool sn_ask_multiple(const sn_ask *k) { return k->multiple; }
unsigned sn_ask_nanswers(const sn_ask *k) { return k->nanswers; }
const char *sn_ask_answer(const sn_ask *k, unsigned i) { return i < k->nanswers ? k->answer_text[i] : NULL; }
unsigned sn_ask_nitems(const sn_ask *k) { return k->nitems; }
const sn_ask *sn_ask_item(const sn_ask *k, unsigned i) { return i < k->nitems ? k->items[i] : NULL; }
const char *sn_ask_item_answer(const sn_ask *k, unsigned i)
{
    return i < k->nitems && k->item_answer[i] >= 0 ? k->items[i]->answer_text[k->item_answer[i]] : NULL;
}
const sn_ask *sn_ask_group(const sn_ask *k) { return k->group; }

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
    if (!k->t) {
        /* a group is open until answered, while an item is open */
        if (k->done)
            return k->unknown ? SN_ASK_UNKNOWN : SN_ASK_ANSWERED;
        for (uint32_t i = 0; i < k->nitems; i++)
            if (sn_ask_state_of(e, k->items[i]) == SN_ASK_OPEN)
                return SN_ASK_OPEN;
        return SN_ASK_ANSWERED;
    }
    if (k->unknown)
        return SN_ASK_UNKNOWN;
    return has_given(k->t) ? SN_ASK_ANSWERED : SN_ASK_OPEN;
}

/* The question K is asked as now: its group while that is open. */
static const ask *asked_as(const engine *e, const ask *k)
{
    return k->group && sn_ask_state_of(e, k->group) == SN_ASK_OPEN ? k->group : k;
}

/* ---- for the report ---------------------------------------------------------- */

const sn_fact *sn_recommendation_flag(const sn_engine *e, const char *text)
{
    for (const struct just *j = e->recs_first; j; j = j->rnext) {
        if (j->text != text)
            continue;
        for (const token *t = j->tok; t; t = t->parent)
            if (t->f && t->f->t->red_flag)
                return t->f;
        return NULL;
    }
    return NULL;
}

bool sn_template_advice(const sn_engine *e, const sn_template *t)
{
    if (t->red_flag || strcmp(t->name->text, "diagnosis") == 0)
        return false;
    bool read = false;
    for (const struct rule *r = e->rules; r; r = r->next) {
        if (r->removed)
            continue;
        for (uint32_t i = 0; i < r->nprods; i++) {
            const prod *p = r->prods[i];
            bool recommends = false, reads = false;
            for (const cact *a = p->actions; a && !recommends; a = a->next)
                recommends = a->kind == A_RECOMMEND;
            for (uint32_t l = 1; l <= p->depth && !reads; l++) {
                const node *n = p->chain[l - 1];
                reads = (n->kind == N_JOIN || n->kind == N_EXISTS) && n->am->t == t;
            }
            if (reads && !recommends)
                return false; /* a rule reasons with it: a conclusion */
            read |= reads;
        }
    }
    return read;
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

/* The answer of K that says no: `no`, else `none`; -1 when there is none. */
static int32_t negative_answer(const ask *k)
{
    static const char *const words[] = {"no", "none"};
    for (unsigned w = 0; w < 2; w++)
        for (uint32_t i = 0; i < k->nanswers; i++)
            if (strcmp(k->answer_text[i], words[w]) == 0)
                return (int32_t)i;
    return -1;
}

/* A grouped question's answer: the items ticked (by name), or `none`.
 * An item ticked records its answer (or, without one, leaves its own
 * question open to ask which); an item not ticked records its question's
 * `no` or `none`, or without one is not known. Items settled before are
 * left as they are. */
static bool group_set(engine *e, ask *k, const char *const *answers, unsigned n, char *err, size_t errsize)
{
    bool *ticked = e_calloc(e, k->nitems + 1, sizeof *ticked);
    bool none = false;
    for (unsigned a = 0; a < n; a++) {
        uint32_t i = 0;
        while (i < k->nanswers && strcmp(k->answer_text[i], answers[a]) != 0)
            i++;
        if (i == k->nanswers) {
            snprintf(err, errsize, "%s is not one of the items of '%s'", answers[a], k->name);
            e_free(e, ticked);
            return false;
        }
        if (i == k->nitems)
            none = true;
        else
            ticked[i] = true;
    }
    if (none && n > 1) {
        snprintf(err, errsize, "'none' goes alone: it says that no item applies");
        e_free(e, ticked);
        return false;
    }
    for (uint32_t i = 0; i < k->nitems; i++) {
        ask *m = k->items[i];
        k->item_set[i] = false;
        if (sn_ask_state_of(e, m) != SN_ASK_OPEN)
            continue;
        int32_t a;
        if (ticked[i]) {
            a = k->item_answer[i];
            if (a < 0)
                continue; /* its own question asks which */
        } else {
            a = negative_answer(m);
        }
        if (a >= 0)
            assert_one(e, m->t, m->slot, m->answers[a]);
        else
            m->unknown = true;
        k->item_set[i] = true;
    }
    e_free(e, ticked);
    k->done = true;
    k->unknown = false;
    engine_quiesce(e);
    return true;
}

bool sn_ask_set(sn_engine *e, const sn_ask *kc, const char *const *answers, unsigned n, char *err, size_t errsize)
{
    ask *k = (ask *)kc;
    if (n == 0 || (n > 1 && !k->multiple)) {
        snprintf(err, errsize, n ? "one answer only" : "no answer given");
        return false;
    }
    if (!k->t)
        return group_set(e, k, answers, n, err, errsize);
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
    ask *k = (ask *)kc;
    for (uint32_t i = 0; i < k->nitems; i++) {
        k->item_set[i] = sn_ask_state_of(e, k->items[i]) == SN_ASK_OPEN;
        if (k->item_set[i])
            k->items[i]->unknown = true;
    }
    if (!k->t)
        k->done = true;
    k->unknown = true;
}

void sn_ask_clear(sn_engine *e, const sn_ask *kc)
{
    ask *k = (ask *)kc;
    if (!k->t) {
        /* the items its answer settled */
        for (uint32_t i = 0; i < k->nitems; i++)
            if (k->done && k->item_set[i])
                sn_ask_clear(e, k->items[i]);
        k->done = false;
        k->unknown = false;
        return;
    }
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
    uint32_t *held;      /* per production: conditions held in its closest match */
    bool *blockable;     /* it holds, and an answer could block a `not` of it */
    bool *matters;       /* completing or blocking it could change the report */
} chooser;

/* Would a fact with the slot values VALS pass AM's tests? */
static bool am_accepts(engine *e, const amem *am, const value *vals)
{
    const struct tmpl *t = am->t;
    if (am->key_slot >= 0) {
        uint32_t i = 0;
        while (i < am->nkeyv && !value_eq(vals[am->key_slot], am->keyv[i]))
            i++;
        if (i == am->nkeyv)
            return false;
    }
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
    return am_accepts(e, am, vals);
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

/* ---- what could change the report ------------------------------------------ */

/* The report a consultation is judged by: the red flags (facts of the
 * template `red_flag`) and the differential (facts of the template
 * `diagnosis` at or above the threshold, most certain first), of which the
 * top (sn_consult_top) and their order. A production matters when completing it, or
 * blocking it once it holds, could change one of them, directly or through
 * a fact that a production that matters reads. docs/engine.md,
 * "Consultation", says how this is judged. */

static bool group_possible(engine *e, const node *ncc);

static bool held_prod(const chooser *ch, uint32_t i) { return ch->held[i] == ch->prods[i]->depth; }

static bool group_has_open(engine *e, const node *ncc)
{
    if (!group_possible(e, ncc))
        return false;
    for (const node *n = ncc->partner->parent; n && n != ncc->parent; n = n->parent)
        if (n->am && open_ask(e, n->am->t))
            return true;
    return false;
}

/* Holds, and a `not` (or `not { }`) on an open finding could still block it. */
static bool can_block(engine *e, const prod *p)
{
    for (uint32_t l = 1; l <= p->depth; l++) {
        const node *n = cond_node(p, l);
        if (n->kind == N_NEG && open_ask(e, n->am->t))
            return true;
        if (n->kind == N_NCC && !n->exists && group_has_open(e, n))
            return true;
    }
    return false;
}

/* The slot values action A would give, when they are all constants. */
static bool const_target(const cact *a, value *vals)
{
    const struct tmpl *t = a->t;
    for (uint32_t i = 0; i < t->nslots; i++) {
        const cexpr *x = a->vals ? a->vals[i] : NULL;
        if (x && x->kind != CX_CONST)
            return false;
        vals[i] = x ? x->k : t->slots[i].dflt;
    }
    return true;
}

static struct fact *find_fact(const struct tmpl *t, const value *vals)
{
    for (struct fact *f = t->first; f; f = f->tnext) {
        uint32_t i = 0;
        while (i < t->nslots && value_eq(f->slots[i], vals[i]))
            i++;
        if (i == t->nslots)
            return f;
    }
    return NULL;
}

/* A conclusion's certainty as it could still turn out: its evidence for
 * (mb) and against (md) that no answer can take away, and what answers
 * could still add or take away (opt_mb, opt_md: the most each could
 * reach). */
typedef struct bound {
    const struct tmpl *t;
    value vals[4];
    double mb, md, opt_mb, opt_md;
    double lo, hi;
    bool open;           /* an answer could change it at all */
} bound;

static double cf_of(double mb, double md)
{
    if (mb >= 1.0 && md >= 1.0)
        return 0.0;
    double m = mb < md ? mb : md;
    return (mb - md) / (1.0 - m);
}

static void add_ev(double *to, double x) { *to = *to + x * (1 - *to); }

static bound *bound_find(bound *v, uint32_t n, const struct tmpl *t, const value *vals)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t s = 0;
        while (s < t->nslots && value_eq(v[i].vals[s], vals[s]))
            s++;
        if (s == t->nslots)
            return &v[i];
    }
    return NULL;
}

static bool fixed_just(const chooser *ch, const struct just *j, const bool *blockable_rule, int depth);

/* Can no answer change F's certainty: it is given, or every rule holding
 * it up is fixed and no live rule could add to it? */
static bool fact_stable(const chooser *ch, const struct fact *f, const bool *blockable_rule, int depth)
{
    if (f->asserted && f->origin != SN_ORIGIN_RULE)
        return true;
    if (depth > 6)
        return false;
    for (const struct just *j = f->justs; j; j = j->next)
        if (j->active && j->kind == J_CONCLUDE && !fixed_just(ch, j, blockable_rule, depth + 1))
            return false;
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i] || ch->held[i] == ch->prods[i]->depth)
            continue;
        for (const cact *a = ch->prods[i]->actions; a; a = a->next) {
            if (a->kind != A_CONCLUDE || a->t != f->t)
                continue;
            value vals[8];
            if (f->t->nslots > 8 || !const_target(a, vals))
                return false;
            uint32_t s = 0;
            while (s < f->t->nslots && value_eq(vals[s], f->slots[s]))
                s++;
            if (s == f->t->nslots)
                return false;
        }
    }
    return true;
}

/* Is the contribution of J fixed: its production cannot be blocked and
 * every fact it matched is stable, so its certainty cannot move? */
static bool fixed_just(const chooser *ch, const struct just *j, const bool *blockable_rule, int depth)
{
    if (!j->p || blockable_rule[j->p->r->rank])
        return false;
    for (const token *t = j->tok; t; t = t->parent)
        if (t->f && j->p->positive[t->level] && !fact_stable(ch, t->f, blockable_rule, depth))
            return false;
    return true;
}

static double const_cf(const cact *a)
{
    if (!a->cf)
        return 1.0;
    if (a->cf->kind != CX_CONST)
        return 2.0; /* anything */
    value v = a->cf->k;
    return v.type == V_FLOAT ? v.u.f : v.type == V_INT ? (double)v.u.i : 1.0;
}

/* The differential: the bounds of every diagnosis there is or could be. */
static uint32_t differential(chooser *ch, const struct tmpl *dx, bound **out)
{
    engine *e = ch->e;
    uint32_t n = 0, cap = dx->nfacts + 16;
    bound *v = e_calloc(e, cap, sizeof *v);
    bool *blockable_rule = e_calloc(e, e->nrules + 1, sizeof *blockable_rule);
    for (uint32_t i = 0; i < ch->nprods; i++)
        if (ch->blockable[i])
            blockable_rule[ch->prods[i]->r->rank] = true;
    for (struct fact *f = dx->first; f; f = f->tnext) {
        if (n == cap)
            v = e_realloc(e, v, (cap *= 2) * sizeof *v);
        bound *b = &v[n++];
        *b = (bound){.t = dx};
        memcpy(b->vals, f->slots, dx->nslots * sizeof(value));
        b->mb = f->asserted ? 1.0 : 0.0;
        for (const struct just *j = f->justs; j; j = j->next) {
            if (!j->active || j->kind != J_CONCLUDE)
                continue;
            if (fixed_just(ch, j, blockable_rule, 0)) {
                add_ev(j->cf >= 0 ? &b->mb : &b->md, j->cf >= 0 ? j->cf : -j->cf);
            } else {
                double rc = j->rule_cf;
                add_ev(rc >= 0 ? &b->opt_mb : &b->opt_md, rc >= 0 ? rc : -rc);
                b->open = true;
            }
        }
    }
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i] || held_prod(ch, i))
            continue;
        for (const cact *a = ch->prods[i]->actions; a; a = a->next) {
            if (a->kind != A_CONCLUDE || a->t != dx)
                continue;
            value vals[4];
            if (!const_target(a, vals))
                continue; /* judged by the caller: it matters */
            bound *b = bound_find(v, n, dx, vals);
            if (!b) {
                if (n == cap)
                    v = e_realloc(e, v, (cap *= 2) * sizeof *v);
                b = &v[n++];
                *b = (bound){.t = dx};
                memcpy(b->vals, vals, dx->nslots * sizeof(value));
            }
            double c = const_cf(a);
            if (c > 1.0) {
                b->opt_mb = b->opt_md = 1.0;
            } else {
                add_ev(c >= 0 ? &b->opt_mb : &b->opt_md, c >= 0 ? c : -c);
            }
            b->open = true;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        bound *b = &v[i];
        double mbx = b->mb, mdx = b->md;
        add_ev(&mbx, b->opt_mb);
        add_ev(&mdx, b->opt_md);
        b->hi = cf_of(mbx, b->md);
        b->lo = cf_of(b->mb, mdx);
    }
    e_free(e, blockable_rule);
    *out = v;
    return n;
}

/* Could a change in B's certainty change the TOP diagnoses at the top of
 * the differential, or whether it is shown at all? */
static bool bound_matters(const bound *v, uint32_t n, const bound *b, double threshold, uint32_t top)
{
    if (!b->open || b->hi < threshold || b->lo == b->hi)
        return false;
    uint32_t above = 0;
    for (uint32_t i = 0; i < n; i++)
        if (&v[i] != b && v[i].lo >= threshold && v[i].lo > b->hi)
            above++;
    if (above >= top)
        return false; /* TOP others are surely more certain */
    if (b->lo < threshold)
        return true; /* it may be shown or not */
    for (uint32_t i = 0; i < n; i++) {
        const bound *o = &v[i];
        if (o == b || o->hi < threshold || o->hi < b->lo || o->lo > b->hi)
            continue;
        uint32_t over = 0;
        for (uint32_t j = 0; j < n; j++)
            if (&v[j] != o && v[j].lo >= threshold && v[j].lo > o->hi)
                over++;
        if (over < top)
            return true; /* the two could swap places at the top */
    }
    return false;
}

/* Could completing (or blocking) production I change a red flag? */
static bool flag_matters(chooser *ch, uint32_t i, const cact *a, const bool *blockable_rule)
{
    value vals[8];
    if (a->t->nslots > 8 || !const_target(a, vals))
        return true;
    const struct fact *f = find_fact(a->t, vals);
    if (held_prod(ch, i))
        return ch->blockable[i];
    if (!f || f->cf < ch->e->threshold)
        return true; /* it would raise it */
    for (const struct just *j = f->justs; j; j = j->next)
        if (j->active && (!j->p || blockable_rule[j->p->r->rank]))
            return true; /* raised now, but it could be withdrawn */
    return false;
}

static void find_what_matters(chooser *ch)
{
    engine *e = ch->e;
    const struct tmpl *dx = tmpl_find(e, "diagnosis", 9);
    bound *v = NULL;
    uint32_t nb = dx && dx->nslots <= 4 ? differential(ch, dx, &v) : 0;
    bool *blockable_rule = e_calloc(e, e->nrules + 1, sizeof *blockable_rule);
    for (uint32_t i = 0; i < ch->nprods; i++)
        if (ch->blockable[i])
            blockable_rule[ch->prods[i]->r->rank] = true;
    /* directly: a red flag or the differential */
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i] || (held_prod(ch, i) && !ch->blockable[i]))
            continue;
        for (const cact *a = ch->prods[i]->actions; a && !ch->matters[i]; a = a->next) {
            if (a->kind != A_CONCLUDE && a->kind != A_ASSERT && a->kind != A_MODIFY)
                continue;
            if (a->kind == A_MODIFY) {
                ch->matters[i] = true;
            } else if (a->t->red_flag) {
                ch->matters[i] = flag_matters(ch, i, a, blockable_rule);
            } else if (a->t == dx) {
                value vals[4];
                if (dx->nslots > 4 || !const_target(a, vals)) {
                    ch->matters[i] = true;
                } else {
                    const bound *b = bound_find(v, nb, dx, vals);
                    ch->matters[i] = b && bound_matters(v, nb, b, e->threshold, sn_consult_top(e));
                }
            }
        }
    }
    /* through what those read: to a fixed point */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 0; i < ch->nprods; i++) {
            if (ch->matters[i] || ch->dead[i] || (held_prod(ch, i) && !ch->blockable[i]))
                continue;
            for (uint32_t j = 0; j < ch->nprods && !ch->matters[i]; j++) {
                if (!ch->matters[j])
                    continue;
                const prod *q = ch->prods[j];
                for (uint32_t l = 1; l <= q->depth && !ch->matters[i]; l++) {
                    const node *n = cond_node(q, l);
                    if (n->kind != N_JOIN && n->kind != N_EXISTS && n->kind != N_NEG)
                        continue;
                    for (const cact *a = ch->prods[i]->actions; a; a = a->next)
                        if (a->t == n->am->t && could_fill(e, a, n->am)) {
                            ch->matters[i] = changed = true;
                            break;
                        }
                }
            }
        }
    }
    e_free(e, blockable_rule);
    e_free(e, v);
}

typedef struct cand {
    const ask *k;
    bool red;            /* a red-flag rule waits on it */
    double close;        /* the closest rule's fraction of conditions held */
    uint32_t nrules;
} cand;

static void note(const engine *e, cand *cv, const ask *k, const prod *p, double close)
{
    k = asked_as(e, k);
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
            note(e, cv, n->am->t->ask, p, close);
            if (fn)
                fn(ctx, p, n->am->t->ask, held, blocks, level);
        } else if (n->kind == N_NCC) {
            /* a group in the group: `exists { A or B }` is
             * `exists { not { not A, not B } }`, its asks two levels down */
            group_asks(e, n, p, held, blocks, level, cv, fn, ctx);
        }
}

static void analyse(engine *e, bool all, cand *cv, reason_fn fn, void *ctx)
{
    chooser ch = {.e = e};
    uint32_t cap = 0;
    for (const struct rule *r = e->rules; r; r = r->next)
        if (!r->removed)
            cap += r->nprods;
    ch.prods = e_alloc(e, (cap + 1) * sizeof *ch.prods);
    ch.dead = e_calloc(e, cap + 1, sizeof *ch.dead);
    ch.held = e_calloc(e, cap + 1, sizeof *ch.held);
    ch.blockable = e_calloc(e, cap + 1, sizeof *ch.blockable);
    ch.matters = e_calloc(e, cap + 1, sizeof *ch.matters);
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
        ch.held[i] = prod_held(ch.prods[i]);
        ch.blockable[i] = ch.held[i] == ch.prods[i]->depth && can_block(e, ch.prods[i]);
    }
    if (all)
        memset(ch.matters, 1, ch.nprods * sizeof *ch.matters);
    else
        find_what_matters(&ch);
    for (uint32_t i = 0; i < ch.nprods; i++) {
        if (ch.dead[i] || !ch.matters[i])
            continue;
        const prod *p = ch.prods[i];
        uint32_t held = ch.held[i];
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
                note(e, cv, n->am->t->ask, p, close);
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
                note(e, cv, n->am->t->ask, p, 1.0);
                if (fn)
                    fn(ctx, p, n->am->t->ask, held, true, l);
            } else if (n->kind == N_NCC && !n->exists) {
                group_asks(e, n, p, held, true, l, cv, fn, ctx);
            }
        }
    }
    e_free(e, ch.prods);
    e_free(e, ch.dead);
    e_free(e, ch.held);
    e_free(e, ch.blockable);
    e_free(e, ch.matters);
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
    if (k != rs->k && k->group != rs->k)
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
    analyse(e, false, cv, collect, &rs);
    if (rs.n == 0) /* asked by `more`: any rule it could decide */
        analyse(e, true, cv, collect, &rs);
    unsigned n = rs.n < rs.max ? rs.n : rs.max;
    qsort(all, n, sizeof *all, by_reason);
    for (unsigned i = 0; i < n && i < max; i++)
        why[i] = all[i];
    e_free(e, all);
    e_free(e, cv);
    return n;
}

/* A rule that waits on two or more answers: no one answer changes the
 * report, the answers together may. */
typedef struct waiting {
    const prod *p;
    uint32_t held;
    const ask *k;
} waiting;

typedef struct waitlist {
    waiting *v;
    uint32_t n, cap;
    engine *e;
} waitlist;

static void note_waiting(void *ctx, const prod *p, const ask *k, uint32_t held, bool blocks, uint32_t level)
{
    waitlist *w = ctx;
    if (blocks || level != held + 1 || p->depth - held < 2)
        return;
    if (w->n == w->cap)
        w->v = e_realloc(w->e, w->v, (w->cap = w->cap ? 2 * w->cap : 32) * sizeof *w->v);
    w->v[w->n++] = (waiting){p, held, k};
}

/* The answers that would complete P from condition HELD+1 on, one
 * allowed answer per pattern on an open finding (the first that passes
 * its tests): into ASKS and ANSWERS; how many, or 0 when P waits on
 * something an answer cannot give. */
static uint32_t completing(engine *e, const prod *p, uint32_t held, const ask **asks, uint32_t *answers,
                           double *chance)
{
    uint32_t n = 0;
    *chance = 1;
    for (uint32_t l = held + 1; l <= p->depth; l++) {
        const node *nd = cond_node(p, l);
        if (nd->kind != N_JOIN && nd->kind != N_EXISTS)
            continue; /* a `not` of an open finding holds while it is open */
        const amem *am = nd->am;
        const struct tmpl *t = am->t;
        if (am->idx.n > 0)
            continue; /* a fact passes already */
        if (!t->ask || !open_ask(e, t) || t->nslots > 16)
            return 0;
        const ask *k = t->ask;
        value vals[17];
        for (uint32_t s = 0; s < t->nslots; s++)
            vals[s] = t->slots[s].dflt;
        uint32_t a = 0;
        for (; a < k->nanswers; a++) {
            vals[k->slot] = k->answers[a];
            if (am_accepts(e, am, vals))
                break;
        }
        if (a == k->nanswers)
            return 0;
        uint32_t i = 0;
        while (i < n && asks[i] != k)
            i++;
        if (i < n && answers[i] != a && !k->multiple)
            return 0;
        if (i == n || answers[i] != a) {
            asks[n] = k;
            answers[n++] = a;
            *chance /= k->nanswers;
        }
    }
    return n;
}

/* The mean change K's answers would make to the report, tried one by
 * one; *CAN: one of them changes a red flag or the top of the differential. For a
 * group: `none`, and each item ticked with each answer it could record
 * (the items' means, and none, weigh the same). */
static double answers_value(engine *e, whatif *w, const ask *k, bool *can)
{
    bool report;
    *can = false;
    if (!k->nitems) {
        double sum = 0;
        for (uint32_t a = 0; a < k->nanswers; a++) {
            sum += whatif_try(w, &k, &a, 1, &report);
            *can |= report;
        }
        return k->nanswers ? sum / k->nanswers : 0;
    }
    uint32_t none = k->nitems;
    double sum = whatif_try(w, &k, &none, 1, &report);
    *can |= report;
    uint32_t n = 1;
    for (uint32_t i = 0; i < k->nitems; i++) {
        const ask *m = k->items[i];
        if (sn_ask_state_of(e, m) != SN_ASK_OPEN)
            continue;
        const ask *two[] = {m, k};
        double item = 0;
        uint32_t tried = 0;
        int32_t no = negative_answer(m);
        for (uint32_t a = 0; a < m->nanswers; a++) {
            if (k->item_answer[i] >= 0 ? (int32_t)a != k->item_answer[i] : (int32_t)a == no)
                continue;
            uint32_t ans[] = {a, none};
            item += whatif_try(w, two, ans, 2, &report);
            *can |= report;
            tried++;
        }
        sum += tried ? item / tried : 0;
        n++;
    }
    return sum / n;
}

/* The question to ask: among the open questions some rule that matters
 * waits on, the one whose answers would change the report most on
 * average, of those with an answer (or, for a rule that waits on several,
 * the answers that would complete it) that changes a red flag or the top
 * of the differential: tried on a copy (whatif.c). With ALL, any question a live rule
 * waits on, by the rules' progress alone. *CAN (may be NULL): whether it
 * could change the report. */
static const ask *choose(engine *e, bool all, const ask *only, bool *can_change)
{
    cand *cv = e_calloc(e, e->nasks + 1, sizeof *cv);
    waitlist wl = {.e = e};
    analyse(e, all, cv, all ? NULL : note_waiting, &wl);
    const ask *best = NULL;
    bool best_can = false;
    if (all) {
        const cand *b = &(cand){0};
        for (uint32_t i = 0; i < e->nasks; i++)
            if (cv[i].k && (!only || cv[i].k == only) && better(&cv[i], b))
                b = &cv[i];
        best = b->k;
        best_can = best != NULL;
    } else {
        double *val = e_calloc(e, e->nasks + 1, sizeof *val);
        bool *can = e_calloc(e, e->nasks + 1, sizeof *can);
        whatif *w = whatif_begin(e);
        for (uint32_t i = 0; w && i < e->nasks; i++) {
            const ask *k = cv[i].k;
            if (!k || (only && k != only))
                continue;
            val[i] = answers_value(e, w, k, &can[i]);
        }
        /* rules that wait on several answers: the answers that would
         * complete them, together */
        const ask **asks = e_alloc(e, (e->nasks + 1) * 8 * sizeof *asks);
        uint32_t *answers = e_alloc(e, (e->nasks + 1) * 8 * sizeof *answers);
        for (uint32_t j = 0; w && j < wl.n; j++) {
            const ask *k = asked_as(e, wl.v[j].k);
            if (can[k->index] || (only && k != only))
                continue;
            double chance;
            uint32_t n = completing(e, wl.v[j].p, wl.v[j].held, asks, answers, &chance);
            if (n < 2 || n > (e->nasks + 1) * 8)
                continue;
            bool report;
            double d = whatif_try(w, asks, answers, n, &report);
            if (report) {
                can[k->index] = true;
                val[k->index] += d * chance;
            }
        }
        e_free(e, asks);
        e_free(e, answers);
        whatif_end(w);
        for (uint32_t i = 0; i < e->nasks; i++) {
            if (!can[i])
                continue;
            if (!best || val[i] > val[best->index] + 1e-12 ||
                (val[i] > val[best->index] - 1e-12 && better(&cv[i], &cv[best->index])))
                best = cv[i].k;
        }
        best_can = best != NULL;
        e_free(e, val);
        e_free(e, can);
    }
    e_free(e, wl.v);
    e_free(e, cv);
    if (can_change)
        *can_change = best_can;
    return best;
}

static const sn_ask *next_question(sn_engine *e, bool all, sn_reason *why, unsigned max, unsigned *nwhy)
{
    const ask *k = choose(e, all, NULL, NULL);
    unsigned n = k && (why || nwhy) ? sn_ask_reasons(e, k, why, why ? max : 0) : 0;
    if (nwhy)
        *nwhy = n;
    return k;
}

const sn_ask *sn_next_question(sn_engine *e, sn_reason *why, unsigned max, unsigned *nwhy)
{
    return next_question(e, false, why, max, nwhy);
}

const sn_ask *sn_next_question_any(sn_engine *e, sn_reason *why, unsigned max, unsigned *nwhy)
{
    return next_question(e, true, why, max, nwhy);
}

void sn_set_consult_top(sn_engine *e, unsigned n) { e->consult_top = n; }
unsigned sn_consult_top(const sn_engine *e) { return e->consult_top ? e->consult_top : 1; }

bool sn_ask_relevant(sn_engine *e, const sn_ask *k)
{
    bool can = false;
    choose(e, false, k, &can);
    return can;
}
