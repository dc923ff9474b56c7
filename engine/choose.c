/* choose.c — which question a consultation asks next.
 *
 * The candidates are the open questions a production that matters
 * (relevance.c) waits on: the condition its closest partial match stops
 * at, or a `not` that could still block it. Each candidate's answers are
 * tried on a copy of the engine (whatif.c), and so are the answers that
 * would complete a production waiting on several; before giving up, the
 * answers that would complete every production raising (or lowering) a
 * diagnosis that could still change places at the top of the
 * differential, together.
 * The question asked is the one expected to change the report most among
 * those with an answer that changes it; there is none when no answer
 * can. docs/engine.md, "Consultation", gives the rules of the choice.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ask.h"
#include "choose.h"
#include "relevance.h"
#include "whatif.h"

typedef struct cand {
    const ask *k;
    bool red;            /* a red-flag rule waits on it */
    double close;        /* the closest rule's fraction of conditions held */
    uint32_t nrules;
} cand;

static void note(const engine *e, cand *cv, const ask *k, const prod *p, double close)
{
    k = ask_asked_as(e, k);
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
            for (const token *t = term->mem.b[b].head; t; t = t->bnext)
                for (const struct just *j = t->sup; j; j = j->tnext)
                    if (j->target && j->target->cf > -1.0 && j->target->cf < 1.0)
                        return false;
    }
    return true;
}

/* What an answer could decide: FN(ctx, p, ask, held, blocks, level) for
 * each production P an answer to ASK could complete (at condition LEVEL)
 * or block (BLOCKS). */
typedef void (*reason_fn)(void *ctx, const prod *p, const ask *k, uint32_t held, bool blocks,
                          uint32_t level);

/* The open asks for templates in the group NCC's subnetwork. */
static void group_asks(engine *e, const node *ncc, const prod *p, uint32_t held, bool blocks,
                       uint32_t level, cand *cv, reason_fn fn, void *ctx)
{
    if (!relevance_group_possible(e, ncc))
        return;
    double close = blocks ? 1.0 : (double)(held + 1) / p->depth;
    for (const node *n = ncc->partner->parent; n && n != ncc->parent; n = n->parent)
        if (n->am && relevance_open(e, n->am->t)) {
            note(e, cv, n->am->t->ask, p, close);
            if (fn)
                fn(ctx, p, n->am->t->ask, held, blocks, level);
        } else if (n->kind == N_NCC) {
            /* a group in the group: `exists { A or B }` is
             * `exists { not { not A, not B } }`, its asks two levels down */
            group_asks(e, n, p, held, blocks, level, cv, fn, ctx);
        }
}

/* The candidates of the analysis CH: notes into CV (one per ask, by
 * index), and FN (may be NULL) called for each reason. */
static void analyse(const relevance *ch, cand *cv, reason_fn fn, void *ctx)
{
    engine *e = ch->e;
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i] || !ch->matters[i])
            continue;
        const prod *p = ch->prods[i];
        uint32_t held = ch->held[i];
        /* once one alternative of an `or` holds and what it made is certain
         * (cf 1 or -1), another alternative adds nothing, and blocking one
         * of two that hold withdraws nothing */
        uint32_t holding = 0;
        for (uint32_t j = 0; j < p->r->nprods; j++)
            holding += relevance_held(p->r->prods[j]) == p->r->prods[j]->depth;
        if (((held < p->depth && holding > 0) || (held == p->depth && holding > 1)) && settled_rule(p->r))
            continue;
        if (held < p->depth) {
            /* the condition it stopped at: an answer could complete it */
            const node *n = relevance_cond(p, held + 1);
            double close = (double)(held + 1) / p->depth;
            if ((n->kind == N_JOIN || n->kind == N_EXISTS) && relevance_open(e, n->am->t)) {
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
            const node *n = relevance_cond(p, l);
            if (n->kind == N_NEG && relevance_open(e, n->am->t)) {
                note(e, cv, n->am->t->ask, p, 1.0);
                if (fn)
                    fn(ctx, p, n->am->t->ask, held, true, l);
            } else if (n->kind == N_NCC && !n->exists) {
                group_asks(e, n, p, held, true, l, cv, fn, ctx);
            }
        }
    }
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

static unsigned ask_reasons(engine *e, const sn_ask *k, sn_reason *why, unsigned max)
{
    cand *cv = e_calloc(e, e->nasks + 1, sizeof *cv);
    sn_reason *all = e_alloc(e, (e->nrules + 1) * sizeof *all);
    reasons rs = {.k = k, .v = all, .max = e->nrules};
    relevance ch;
    relevance_init(&ch, e, false);
    analyse(&ch, cv, collect, &rs);
    relevance_fini(&ch);
    if (rs.n == 0) { /* asked by `more`: any rule it could decide */
        relevance_init(&ch, e, true);
        analyse(&ch, cv, collect, &rs);
        relevance_fini(&ch);
    }
    unsigned n = rs.n < rs.max ? rs.n : rs.max;
    qsort(all, n, sizeof *all, by_reason);
    for (unsigned i = 0; i < n && i < max; i++)
        why[i] = all[i];
    e_free(e, all);
    e_free(e, cv);
    return n;
}

/* ---- answers tried together ------------------------------------------------ */

/* Answers tried together: ASKS[i] answered ANSWERS[i] (an index into its
 * answers; an ask that takes several may come more than once), and the
 * chance of all of them, each answer of a question taken as likely as
 * another. */
typedef struct answerset {
    engine *e;
    const ask **asks;
    uint32_t *answers;
    double *weight;      /* what each answer adds: its rule's certainty, shared */
    uint32_t n, cap;
    double chance;
} answerset;

static void set_fini(answerset *s)
{
    e_free(s->e, s->asks);
    e_free(s->e, s->answers);
    e_free(s->e, s->weight);
}

/* Add answer A of K; false when K takes one answer and has another. */
static bool set_add(answerset *s, const ask *k, uint32_t a)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->asks[i] == k && (s->answers[i] == a || !k->multiple))
            return s->answers[i] == a;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->asks = e_realloc(s->e, s->asks, s->cap * sizeof *s->asks);
        s->answers = e_realloc(s->e, s->answers, s->cap * sizeof *s->answers);
        s->weight = e_realloc(s->e, s->weight, s->cap * sizeof *s->weight);
    }
    s->weight[s->n] = 0;
    s->asks[s->n] = k;
    s->answers[s->n++] = a;
    s->chance /= k->nanswers;
    return true;
}

/* An answer that puts a fact into AM, into S: one S has already when it
 * passes, else the first of the ask's answers that passes AM's tests.
 * True when a fact passes already; false when no answer can give one. */
static bool want_pattern(answerset *s, const amem *am)
{
    engine *e = s->e;
    const struct tmpl *t = am->t;
    if (am->idx.n > 0)
        return true;
    if (!t->ask || !relevance_open(e, t) || t->nslots > 16)
        return false;
    const ask *k = t->ask;
    value vals[17];
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->asks[i] != k)
            continue;
        vals[k->slot] = k->answers[s->answers[i]];
        if (relevance_accepts(e, am, vals))
            return true;
    }
    for (uint32_t a = 0; a < k->nanswers; a++) {
        vals[k->slot] = k->answers[a];
        if (relevance_accepts(e, am, vals))
            return set_add(s, k, a);
    }
    return false;
}

/* The nodes of the group under NCC, in the order they were written:
 * into V (at most MAX); how many. */
static uint32_t group_nodes(const node *ncc, const node **v, uint32_t max)
{
    uint32_t n = 0;
    for (const node *x = ncc->partner ? ncc->partner->parent : NULL; x && x != ncc->parent; x = x->parent)
        if (n < max)
            v[n++] = x;
    for (uint32_t i = 0; i < n / 2; i++) {
        const node *t = v[i];
        v[i] = v[n - 1 - i];
        v[n - 1 - i] = t;
    }
    return n;
}

/* Is the `not` group NCC an `or`: `A or B` is `not { not A, not B }`,
 * made of negations only (a `not { A, B }` has patterns)? */
static bool is_or(const node *ncc)
{
    const node *v[32];
    uint32_t n = group_nodes(ncc, v, 32);
    for (uint32_t i = 0; i < n; i++)
        if (v[i]->kind != N_NEG && v[i]->kind != N_NCC)
            return false;
    return n > 0 && n < 32;
}

static bool want_all(answerset *s, const node *ncc);

/* One alternative of the `or` NCC: one that holds already, else the
 * first that answers can make hold. */
static bool want_one(answerset *s, const node *ncc)
{
    const node *v[32];
    uint32_t n = group_nodes(ncc, v, 32);
    for (uint32_t i = 0; i < n; i++)
        if (v[i]->kind == N_NEG && v[i]->am->idx.n > 0)
            return true;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t before = s->n;
        double chance = s->chance;
        if (v[i]->kind == N_NEG ? want_pattern(s, v[i]->am) : want_all(s, v[i]))
            return true;
        s->n = before;
        s->chance = chance;
    }
    return false;
}

/* Every condition of the group NCC (`exists { ... }`, or an alternative
 * `{ A, B }` of an `or`). A `not` holds while its finding is open. */
static bool want_all(answerset *s, const node *ncc)
{
    const node *v[32];
    uint32_t n = group_nodes(ncc, v, 32);
    if (n == 0 || n == 32 || !relevance_group_possible(s->e, ncc))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        const node *x = v[i];
        bool ok = true;
        if (x->kind == N_JOIN || x->kind == N_EXISTS)
            ok = want_pattern(s, x->am);
        else if (x->kind == N_NCC && x->exists)
            ok = want_all(s, x);
        else if (x->kind == N_NCC && is_or(x))
            ok = want_one(s, x);
        if (!ok)
            return false;
    }
    return true;
}

/* The answers that would complete P from condition HELD+1 on, into S:
 * one answer per pattern on an open finding; for `exists { A or B }`,
 * one of them. False (S as it was) when P waits on something no answer
 * can give, or on two answers to a question that takes one. */
static bool completing(answerset *s, const prod *p, uint32_t held)
{
    uint32_t before = s->n;
    double chance = s->chance;
    for (uint32_t l = held + 1; l <= p->depth; l++) {
        const node *x = relevance_cond(p, l);
        bool ok = true;
        if (x->kind == N_JOIN || x->kind == N_EXISTS)
            ok = want_pattern(s, x->am);
        else if (x->kind == N_NCC && x->exists)
            ok = want_all(s, x);
        /* a `not` of an open finding holds while it is open */
        if (!ok) {
            s->n = before;
            s->chance = chance;
            return false;
        }
    }
    return true;
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

/* ---- the value of a question ------------------------------------------------ */

/* What the choice keeps per ask (by index): its value, and whether an
 * answer (alone or with others) changes a red flag or the top of the
 * differential. */
typedef struct values {
    cand *cv;
    double *val;
    bool *can;
    const ask *only;     /* the one ask judged, or NULL */
} values;

/* The mean change K's answers would make to the report, tried one by
 * one; *CAN: one of them changes a red flag or the top of the
 * differential. For a group: `none`, and each item ticked with each
 * answer it could record (the items' means, and none, weigh the same). */
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
        int32_t no = ask_negative(m);
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

/* Does S hold an answer to a question not yet known to change the report
 * (and, judging one question, to that one)? */
static bool set_new(const engine *e, const answerset *s, const values *vs)
{
    for (uint32_t i = 0; i < s->n; i++) {
        const ask *k = ask_asked_as(e, s->asks[i]);
        if (!vs->can[k->index] && (!vs->only || k == vs->only))
            return true;
    }
    return false;
}

/* The questions of S change the report together (by D): each could. */
static void set_credit(const engine *e, const answerset *s, double d, values *vs)
{
    for (uint32_t i = 0; i < s->n; i++) {
        const ask *k = ask_asked_as(e, s->asks[i]);
        if (vs->can[k->index] || (vs->only && k != vs->only))
            continue;
        vs->can[k->index] = true;
        vs->val[k->index] += d * s->chance;
        if (!vs->cv[k->index].k)
            vs->cv[k->index].k = k;
    }
}

/* How much P concludes the diagnosis of B, raising it (DIR 1) or
 * lowering it (DIR -1): its certainty factor's size, 0 when it does
 * not. A certainty computed does either, by up to 1. */
static double concludes(const prod *p, const bound *b, int dir)
{
    for (const cact *a = p->actions; a; a = a->next) {
        value vals[4];
        if (a->kind != A_CONCLUDE || a->t != b->t || !relevance_const_target(a, vals))
            continue;
        uint32_t i = 0;
        while (i < a->t->nslots && value_eq(vals[i], b->vals[i]))
            i++;
        double c = relevance_const_cf(a);
        if (i == a->t->nslots && (c > 1.0 || (dir > 0 ? c > 0 : c < 0)))
            return c > 1.0 ? 1.0 : c < 0 ? -c : c;
    }
    return 0;
}

/* Evidence from several rules at once. A diagnosis that could still
 * change places at the top of the differential may get there only when
 * two or more rules add to it (or take from it) together, none enough
 * alone: laterality and the course of the pain, each short of the top,
 * past it together. For each such diagnosis and direction, the answers
 * that would complete every live production concluding it that way are
 * tried together (a production whose answers clash with those taken
 * already is left out). When they change the report they are pared down,
 * one question at a time, to those without which they would not, and
 * each of those could change the report. */
static void try_together(relevance *ch, whatif *w, values *vs)
{
    engine *e = ch->e;
    answerset s = {.e = e}, t = {.e = e};
    bool *out = NULL; /* per answer of S: left out */
    uint32_t nout = 0;
    for (uint32_t b = 0; b < ch->nbounds; b++) {
        const bound *bd = &ch->bounds[b];
        for (int dir = 1; bd->matters && dir >= -1; dir -= 2) {
            s.n = 0;
            s.chance = 1;
            for (uint32_t i = 0; i < ch->nprods; i++) {
                double c;
                if (ch->dead[i] || !ch->matters[i] || ch->held[i] == ch->prods[i]->depth ||
                    (c = concludes(ch->prods[i], bd, dir)) == 0)
                    continue;
                uint32_t before = s.n;
                if (completing(&s, ch->prods[i], ch->held[i]))
                    for (uint32_t j = before; j < s.n; j++)
                        s.weight[j] = c / (s.n - before);
            }
            if (s.n == 0 || !set_new(e, &s, vs))
                continue;
            bool report;
            double d = whatif_try(w, s.asks, s.answers, s.n, &report);
            if (!report)
                continue;
            /* pared down: the answers that add least left out first, each
             * out for good when the rest still change the report */
            if (t.cap < s.n) {
                t.cap = s.n;
                t.asks = e_realloc(e, t.asks, t.cap * sizeof *t.asks);
                t.answers = e_realloc(e, t.answers, t.cap * sizeof *t.answers);
                t.weight = e_realloc(e, t.weight, t.cap * sizeof *t.weight);
            }
            if (nout < s.n)
                out = e_realloc(e, out, (nout = s.n) * sizeof *out);
            memset(out, 0, s.n * sizeof *out);
            uint32_t left = s.n;
            for (uint32_t round = 0; round < s.n && left > 1; round++) {
                uint32_t i = s.n;
                for (uint32_t j = 0; j < s.n; j++)
                    if (!out[j] && s.weight[j] >= 0 && (i == s.n || s.weight[j] < s.weight[i]))
                        i = j;
                if (i == s.n)
                    break;
                t.n = 0;
                for (uint32_t j = 0; j < s.n; j++)
                    if (!out[j] && j != i) {
                        t.asks[t.n] = s.asks[j];
                        t.answers[t.n++] = s.answers[j];
                    }
                double dt = whatif_try(w, t.asks, t.answers, t.n, &report);
                if (report) {
                    out[i] = true;
                    left--;
                    d = dt;
                } else {
                    s.weight[i] = -1; /* it stays */
                }
            }
            if (left > 2)
                continue; /* no question that could, with one other's answer */
            t.n = 0;
            t.chance = 1;
            for (uint32_t j = 0; j < s.n; j++)
                if (!out[j])
                    set_add(&t, s.asks[j], s.answers[j]);
            set_credit(e, &t, d, vs);
        }
    }
    e_free(e, out);
    set_fini(&s);
    set_fini(&t);
}

/* ---- the choice ------------------------------------------------------------- */

/* The question to ask: among the open questions some production that
 * matters waits on, the one whose answers would change the report most
 * on average, of those with an answer (alone, or with the answers that
 * would complete a production, or every production moving a diagnosis)
 * that changes a red flag or the top of the differential: tried on a
 * copy (whatif.c). With ALL, any question a live rule waits on, by the
 * rules' progress alone. ONLY: judge that question alone. *CAN (may be
 * NULL): whether it could change the report. */
static const ask *choose(engine *e, bool all, const ask *only, bool *can_change)
{
    cand *cv = e_calloc(e, e->nasks + 1, sizeof *cv);
    waitlist wl = {.e = e};
    relevance ch;
    relevance_init(&ch, e, all);
    analyse(&ch, cv, all ? NULL : note_waiting, &wl);
    const ask *best = NULL;
    if (all) {
        const cand *b = &(cand){0};
        for (uint32_t i = 0; i < e->nasks; i++)
            if (cv[i].k && (!only || cv[i].k == only) && better(&cv[i], b))
                b = &cv[i];
        best = b->k;
    } else {
        values vs = {.cv = cv,
                     .val = e_calloc(e, e->nasks + 1, sizeof *vs.val),
                     .can = e_calloc(e, e->nasks + 1, sizeof *vs.can),
                     .only = only};
        whatif *w = whatif_begin(e);
        for (uint32_t i = 0; w && i < e->nasks; i++) {
            const ask *k = cv[i].k;
            if (k && (!only || k == only))
                vs.val[i] = answers_value(e, w, k, &vs.can[i]);
        }
        /* a production that waits on several answers: those that would
         * complete it, together */
        answerset s = {.e = e};
        for (uint32_t j = 0; w && j < wl.n; j++) {
            const ask *k = ask_asked_as(e, wl.v[j].k);
            if (vs.can[k->index] || (only && k != only))
                continue;
            s.n = 0;
            s.chance = 1;
            if (!completing(&s, wl.v[j].p, wl.v[j].held) || s.n < 2)
                continue;
            bool report;
            double d = whatif_try(w, s.asks, s.answers, s.n, &report);
            if (report) {
                vs.can[k->index] = true;
                vs.val[k->index] += d * s.chance;
            }
        }
        set_fini(&s);
        /* evidence that only adds up: the last resort before stopping */
        bool any = false;
        for (uint32_t i = 0; i < e->nasks; i++)
            any |= vs.can[i];
        if (w && !any)
            try_together(&ch, w, &vs);
        whatif_end(w);
        for (uint32_t i = 0; i < e->nasks; i++) {
            if (!vs.can[i])
                continue;
            if (!best || vs.val[i] > vs.val[best->index] + 1e-12 ||
                (vs.val[i] > vs.val[best->index] - 1e-12 && better(&cv[i], &cv[best->index])))
                best = cv[i].k;
        }
        e_free(e, vs.val);
        e_free(e, vs.can);
    }
    relevance_fini(&ch);
    e_free(e, wl.v);
    e_free(e, cv);
    if (can_change)
        *can_change = best != NULL;
    return best;
}

sn_status sn_ask_reasons(sn_engine *e, const sn_ask *k, sn_reason *why, unsigned max, unsigned *n)
{
    CALL_ENTER(e);
    unsigned got = ask_reasons(e, k, why, max);
    if (n)
        *n = call_short(e) ? 0 : got;
    return call_leave(e, SN_OK);
}

/* Memory ran out in this call, here or in the copy answers are tried on. */
static bool ran_short(const engine *e) { return call_short(e) || e->whatif_lost; }

static sn_status next_question(sn_engine *e, bool all, const sn_ask **out, sn_reason *why,
                               unsigned max, unsigned *nwhy)
{
    CALL_ENTER(e);
    e->whatif_lost = false;
    const ask *k = choose(e, all, NULL, NULL);
    unsigned n = k && (why || nwhy) ? ask_reasons(e, k, why, why ? max : 0) : 0;
    sn_status st = ran_short(e) ? SN_ERR_NOMEM : SN_OK;
    if (nwhy)
        *nwhy = st == SN_OK ? n : 0;
    if (out)
        *out = st == SN_OK ? k : NULL;
    return call_leave(e, st);
}

sn_status sn_next_question(sn_engine *e, const sn_ask **out, sn_reason *why, unsigned max,
                           unsigned *nwhy)
{
    return next_question(e, false, out, why, max, nwhy);
}

sn_status sn_next_question_any(sn_engine *e, const sn_ask **out, sn_reason *why, unsigned max,
                               unsigned *nwhy)
{
    return next_question(e, true, out, why, max, nwhy);
}

void sn_set_consult_top(sn_engine *e, unsigned n) { e->consult_top = n; }
unsigned sn_consult_top(const sn_engine *e) { return e->consult_top ? e->consult_top : 1; }

sn_status sn_ask_relevant(sn_engine *e, const sn_ask *k, bool *out)
{
    CALL_ENTER(e);
    e->whatif_lost = false;
    bool can = false;
    choose(e, false, k, &can);
    sn_status st = ran_short(e) ? SN_ERR_NOMEM : SN_OK;
    if (out)
        *out = st == SN_OK && can;
    return call_leave(e, st);
}
