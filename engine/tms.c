/* tms.c — truth maintenance and certainty; see tms.h.
 *
 * Certainty (MYCIN, as EMYCIN combines it): a fact's positive evidence
 * (being given counts as 1.0) combines as a + b(1 - a), its negative
 * evidence likewise on magnitudes, and the two meet as
 * (MB - MD) / (1 - min(MB, MD)), so the order in which evidence came does
 * not matter. A conclusion's contribution is cf(rule) x the smallest cf of
 * the facts its rule matched.
 *
 * Truth maintenance: a `conclude` hangs its justification on the match
 * (the terminal token). When the match goes, the justification is
 * withdrawn and the fact queued; engine_settle then recomputes its
 * certainty, or retracts it when nothing holds it up any more. Settling
 * happens after every action, so a rule's next action sees a consistent
 * working memory.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"
#include "rete.h"
#include "tms.h"
#include "verify.h"
#include "watch.h"
#include "witness.h"
#include "wm.h"

/* A combined certainty is kept to nine decimal places, so evidence that
 * sums to the threshold in decimal reaches it: 0.6 with -0.5 is 0.2 (in
 * binary floating point, 0.19999999999999996), and a fact at the
 * threshold matches (the threshold is a bound it must reach, not pass). */
double cf_decimal(double cf)
{
    return round(cf * 1e9) / 1e9;
}

double fact_cf_of(const struct fact *f)
{
    double mb = f->asserted ? 1.0 : 0.0, md = 0.0;
    for (const struct just *j = f->justs; j; j = j->next) {
        if (!j->active || j->kind != J_CONCLUDE)
            continue;
        if (j->cf >= 0)
            mb = mb + j->cf * (1 - mb);
        else
            md = md - j->cf * (1 - md);
    }
    if (mb >= 1.0 && md >= 1.0)
        return 0.0;
    double m = mb < md ? mb : md;
    return cf_decimal((mb - md) / (1.0 - m));
}

/* The smallest cf of the facts of a match. */
double token_min_cf(const token *t, const prod *p)
{
    double m = 1.0;
    for (; t; t = t->parent)
        if (t->f && p->positive[t->level] && t->f->cf < m)
            m = t->f->cf;
    return m;
}

/* A fact's certainty changed: the conclusions drawn from matches that
 * hold it (T and the tokens made from it) change their contribution. */
static void refresh_supports(engine *e, token *t)
{
    if (t->dead)
        return;
    if (t->owner->kind == N_TERM) {
        for (struct just *j = t->sup; j; j = j->tnext) {
            if (j->kind != J_CONCLUDE || !j->active)
                continue;
            double m = token_min_cf(t, j->p);
            double cf = j->rule_cf * m;
            if (cf != j->cf) {
                j->cf = cf;
                j->min_cf = m;
                fact_cause(j->target, j, CAUSE_REFRESH);
                fact_enqueue(e, j->target);
            }
        }
    }
    for (token *k = token_kids(t); k; k = k->snext)
        refresh_supports(e, k);
}

void engine_settle(engine *e)
{
    while (e->queue) {
        struct fact *f = e->queue;
        e->queue = f->qnext;
        f->qnext = NULL;
        f->dirty = false;
        if (!f->live) {
            f->cause = NULL;
            continue;
        }
        if (!f->asserted && f->nsupport == 0) {
            fact_retract(e, f);
            f->cause = NULL;
            continue;
        }
        double cf = fact_cf_of(f);
        if (cf != f->cf) {
            double before = f->cf;
            f->cf = cf;
            watch_cf(e, f, before);
            rete_refresh_fact(e, f);
            for (token *t = f->tokens; t; t = t->fnext)
                refresh_supports(e, t);
        }
        f->cause = NULL;
    }
}

/* Between operations: settle, then free what died. */
void engine_quiesce(engine *e)
{
    engine_settle(e);
    rete_free_dead(e);
    zombies_free(e);
    if (!e->in_run)
        SN_VERIFY(e);
}

/* ---- justifications --------------------------------------------------------------- */

/* The negated condition of P that now stops MATCH, and the fact that
 * stops it, into BUF: "fact 7 matches not finding(name: numbness)". */
static bool negation_blocked(engine *e, const prod *p, const token *match, char *buf, size_t size)
{
    for (uint32_t l = 1; l <= p->depth; l++) {
        const node *n = p->chain[l - 1];
        if (cond_kind_of(n) != C_NOT)
            continue;
        const token *u = token_at_level(match, l - 1);
        struct fact *v[1];
        if (u && witness_blocked(e, n, u, v, 1)) {
            snprintf(buf, size, "fact %llu matches %s", (unsigned long long)v[0]->id,
                     p->cond_text[l] ? p->cond_text[l] : "a negated condition");
            return true;
        }
    }
    return false;
}

void just_withdraw(engine *e, struct just *j, token *match)
{
    if (!j->active)
        return;
    j->active = false;
    if (j->kind == J_RECOMMEND) {
        if (j->rprev)
            j->rprev->rnext = j->rnext;
        else
            e->recs_first = j->rnext;
        if (j->rnext)
            j->rnext->rprev = j->rprev;
        else
            e->recs_last = j->rprev;
        just_free(e, j);
        return;
    }
    struct fact *f = j->target;
    if (f->nsupport)
        f->nsupport--;
    if (e->recording || watch_wants_reasons(e)) {
        char buf[320];
        const struct fact *gone = NULL, *weak = NULL;
        const token *agg = NULL; /* an aggregate's result: a fact at a level matching none */
        for (const token *t = match; t; t = t->parent)
            if (t->f && j->p->positive[t->level]) {
                if (!t->f->live)
                    gone = t->f;
                else if (t->f->cf < e->threshold)
                    weak = t->f;
            } else if (t->f) {
                agg = t;
            }
        if (gone)
            snprintf(buf, sizeof buf, "fact %llu was retracted", (unsigned long long)gone->id);
        else if (weak)
            snprintf(buf, sizeof buf, "the certainty of fact %llu fell below %g",
                     (unsigned long long)weak->id, e->threshold);
        else if (j->r->removed)
            snprintf(buf, sizeof buf, "rule %s was removed", j->r->name->text);
        else if (agg) {
            char v[40];
            value_format(v, sizeof v, agg->f->slots[0]);
            snprintf(buf, sizeof buf, "%.120s is no longer %.39s", j->p->cond_text[agg->level], v);
        } else if (negation_blocked(e, j->p, match, buf, sizeof buf))
            ;
        else
            snprintf(buf, sizeof buf, "a negated condition of rule %s became matched", j->r->name->text);
        e_free(e, j->withdrawn);
        j->withdrawn = mem_strndup(&e->mem, buf, strlen(buf));
    }
    fact_cause(f, j, CAUSE_WITHDRAWN);
    fact_enqueue(e, f);
}

struct just *just_new(engine *e, just_kind kind, prod *p, struct fact *const *lv,
                      const value *locals, const firing_conds *fc)
{
    /* the record and what it matched, bound and found, in one block */
    bool record = e->recording && kind != J_RECOMMEND;
    uint32_t nwit = record && fc ? fc->at[p->depth] : 0;
    size_t size = sizeof(struct just);
    if (record)
        size += (p->nvars + 1) * sizeof(value) + (p->depth + 1 + nwit) * sizeof(uint64_t) +
                (p->depth + 1) * sizeof(uint32_t) + p->depth + 1;
    struct just *j = e_calloc(e, 1, size);
    j->kind = kind;
    j->r = p->r;
    j->p = p;
    j->active = true;
    j->firing = e->fired;
    if (record) {
        j->binds = (value *)(j + 1);
        j->facts = (uint64_t *)(j->binds + p->nvars + 1);
        j->wit = j->facts + p->depth + 1;
        j->wit_at = (uint32_t *)(j->wit + nwit);
        j->kinds = (uint8_t *)(j->wit_at + p->depth + 1);
        j->nfacts = p->depth;
        for (uint32_t l = 1; l <= p->depth; l++)
            j->facts[l - 1] = p->positive[l] && lv[l] ? lv[l]->id : 0;
        if (fc) {
            memcpy(j->kinds, fc->kinds, p->depth);
            memcpy(j->wit_at, fc->at, (p->depth + 1) * sizeof(uint32_t));
            if (nwit)
                memcpy(j->wit, fc->ids, nwit * sizeof(uint64_t));
        } else {
            for (uint32_t l = 1; l <= p->depth; l++)
                j->kinds[l - 1] = p->positive[l] ? C_PATTERN : C_OTHER;
        }
        for (uint32_t i = 0; i < p->nvars; i++) {
            const varloc *v = &p->vars[i];
            if (v->slot == -2)
                j->binds[i] = locals ? locals[v->level] : v_nil();
            else if (lv[v->level])
                j->binds[i] = v->slot == -1 ? v_float(lv[v->level]->cf) : lv[v->level]->slots[v->slot];
        }
    }
    return j;
}
