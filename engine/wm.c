/* wm.c — working memory: facts as a set (hashed on template and values),
 * asserting, retracting, and freeing the facts that died; see wm.h.
 */
#include <stdlib.h>
#include <string.h>

#include "agenda.h"
#include "alloc.h"
#include "eval.h"
#include "focus.h"
#include "internal.h"
#include "rete.h"
#include "watch.h"
#include "wm.h"

/* ---- working memory ------------------------------------------------------------ */

static uint32_t fact_hash(const struct tmpl *t, const value *vals)
{
    uint32_t h = t->id * 0x9e3779b1u;
    for (uint32_t i = 0; i < t->nslots; i++)
        h = (h ^ value_hash(vals[i])) * 0x01000193u;
    return h;
}

static struct fact *wm_find(engine *e, const struct tmpl *t, const value *vals, uint32_t h)
{
    for (struct fact *f = e->wm[h & e->wm_mask]; f; f = f->hnext) {
        if (f->hash != h || f->t != t)
            continue;
        uint32_t i = 0;
        while (i < t->nslots && value_same(f->slots[i], vals[i]))
            i++;
        if (i == t->nslots)
            return f;
    }
    return NULL;
}

static void wm_grow(engine *e)
{
    uint32_t nmask = e->wm_mask * 2 + 1;
    struct fact **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
    for (uint32_t i = 0; i <= e->wm_mask; i++)
        for (struct fact *f = e->wm[i], *next; f; f = next) {
            next = f->hnext;
            f->hnext = nb[f->hash & nmask];
            nb[f->hash & nmask] = f;
        }
    e_free(e, e->wm);
    e->wm = nb;
    e->wm_mask = nmask;
}

static void coerce(const struct tmpl *t, value *vals)
{
    for (uint32_t i = 0; i < t->nslots; i++)
        if (t->slots[i].type == V_FLOAT && vals[i].type == V_INT)
            vals[i] = v_float((double)vals[i].u.i);
}

/* A new fact in working memory, not yet in the network. */
static struct fact *fact_new(engine *e, struct tmpl *t, const value *vals, uint32_t h, double cf,
                             sn_origin origin, const sym *source)
{
    struct fact *f = e_calloc(e, 1, sizeof *f + t->nslots * sizeof(value));
    f->id = ++e->next_id;
    f->t = t;
    f->hash = h;
    f->cf = cf;
    f->live = true;
    f->asserted = origin != SN_ORIGIN_CONCLUDED;
    f->origin = origin;
    f->source = source;
    memcpy(f->slots, vals, t->nslots * sizeof(value));
    if (e->nfacts >= e->wm_mask)
        wm_grow(e);
    f->hnext = e->wm[h & e->wm_mask];
    e->wm[h & e->wm_mask] = f;
    f->tprev = t->last;
    if (t->last)
        t->last->tnext = f;
    else
        t->first = f;
    t->last = f;
    t->nfacts++;
    f->gprev = e->all_last;
    if (e->all_last)
        e->all_last->gnext = f;
    else
        e->all_first = f;
    e->all_last = f;
    e->nfacts++;
    return f;
}


struct fact *wm_lookup(engine *e, struct tmpl *t, value *vals, uint32_t *hash)
{
    coerce(t, vals);
    *hash = fact_hash(t, vals);
    return wm_find(e, t, vals, *hash);
}

struct fact *fact_new_concluded(engine *e, struct tmpl *t, const value *vals, uint32_t hash,
                                double cf)
{
    return fact_new(e, t, vals, hash, cf, SN_ORIGIN_CONCLUDED, NULL);
}

void fact_enqueue(engine *e, struct fact *f)
{
    if (f->dirty || !f->live)
        return;
    f->dirty = true;
    f->qnext = e->queue;
    e->queue = f;
}

struct fact *fact_assert(engine *e, struct tmpl *t, const value *in, sn_origin origin,
                         const sym *source, bool *added)
{
    value vals[t->nslots + 1];
    memcpy(vals, in, t->nslots * sizeof *vals);
    coerce(t, vals);
    uint32_t h = fact_hash(t, vals);
    struct fact *f = wm_find(e, t, vals, h);
    if (added)
        *added = f == NULL;
    if (f) {
        if (!f->asserted) {
            f->asserted = true;
            f->origin = origin;
            f->source = source;
            fact_cause(f, NULL, CAUSE_GIVEN);
            fact_enqueue(e, f);
        }
        return f;
    }
    f = fact_new(e, t, vals, h, 1.0, origin, source);
    watch_fact(e, f, true);
    rete_add_fact(e, f);
    return f;
}

void just_free(engine *e, struct just *j)
{
    e_free(e, j->withdrawn); /* facts and binds live in j's block */
    e_free(e, (char *)j->text);
    e_free(e, j);
}

static void fact_free(engine *e, struct fact *f)
{
    while (f->justs) {
        struct just *j = f->justs;
        f->justs = j->next;
        just_free(e, j);
    }
    e_free(e, f);
}

/* Facts retracted during a firing stay readable until it ends (its
 * actions may still read their slots); then they are freed, or kept on
 * the withdrawn list when they were concluded and records are kept. */
static void fact_bury(engine *e, struct fact *f)
{
    bool keep = e->recording && !f->asserted;
    if (keep) {
        for (struct just *j = f->justs; j; j = j->next)
            if (j->kind != J_CONCLUDE)
                keep = false;
    }
    if (keep && f->justs) {
        f->gnext = e->withdrawn;
        f->gprev = NULL;
        e->withdrawn = f;
        return;
    }
    fact_free(e, f);
}

void wm_take_back(engine *e, uint64_t after)
{
    /* facts are listed in order of id */
    for (struct fact *f = e->all_last; f && f->id > after; f = e->all_last)
        fact_retract(e, f);
}

void fact_retract(engine *e, struct fact *f)
{
    if (!f->live)
        return;
    watch_fact(e, f, false);
    f->live = false;
    struct fact **pp = &e->wm[f->hash & e->wm_mask];
    while (*pp != f)
        pp = &(*pp)->hnext;
    *pp = f->hnext;
    struct tmpl *t = f->t;
    if (f->tprev)
        f->tprev->tnext = f->tnext;
    else
        t->first = f->tnext;
    if (f->tnext)
        f->tnext->tprev = f->tprev;
    else
        t->last = f->tprev;
    t->nfacts--;
    if (f->gprev)
        f->gprev->gnext = f->gnext;
    else
        e->all_first = f->gnext;
    if (f->gnext)
        f->gnext->gprev = f->gprev;
    else
        e->all_last = f->gprev;
    e->nfacts--;
    rete_remove_fact(e, f);
    /* what still held it up lets go */
    for (struct just *j = f->justs; j; j = j->next) {
        if (j->tok) {
            struct just **q = &j->tok->sup;
            while (*q && *q != j)
                q = &(*q)->tnext;
            if (*q)
                *q = j->tnext;
            j->tok = NULL;
        }
        if (j->active && j->kind == J_CONCLUDE && !j->withdrawn && e->recording) {
            char buf[96];
            snprintf(buf, sizeof buf, "retracted at firing %llu", (unsigned long long)e->fired);
            j->withdrawn = mem_strndup(&e->mem, buf, strlen(buf));
        }
        j->active = false;
    }
    f->nsupport = 0;
    f->gnext = e->zombies;
    e->zombies = f;
}

void zombies_free(engine *e)
{
    while (e->zombies) {
        struct fact *f = e->zombies;
        e->zombies = f->gnext;
        fact_bury(e, f);
    }
}

void wm_free_all(engine *e)
{
    for (struct fact *f = e->all_first, *next; f; f = next) {
        next = f->gnext;
        /* aentries go with the tokens' pools below */
        fact_free(e, f);
    }
    e->all_first = e->all_last = NULL;
    for (struct fact *f = e->withdrawn, *next; f; f = next) {
        next = f->gnext;
        fact_free(e, f);
    }
    e->withdrawn = NULL;
    for (struct fact *f = e->zombies, *next; f; f = next) {
        next = f->gnext;
        fact_free(e, f);
    }
    e->zombies = NULL;
}


void wm_clear(engine *e)
{
    agenda_clear(e);
    for (struct just *j = e->recs_first, *next; j; j = next) {
        next = j->rnext;
        just_free(e, j);
    }
    e->recs_first = e->recs_last = NULL;
    e->queue = NULL;
    rete_clear(e);
    wm_free_all(e);
    memset(e->wm, 0, ((size_t)e->wm_mask + 1) * sizeof *e->wm);
    for (struct tmpl *t = e->tmpls; t; t = t->next) {
        t->first = t->last = NULL;
        t->nfacts = 0;
    }
    for (ask *k = e->asks; k; k = k->next) {
        k->unknown = false;
        k->done = false;
    }
    e->nfacts = 0;
    e->next_id = 0;
    e->fired = 0;
    e->halted = false;
    focus_clear(e);
}


/* ---- names, for the calls that take them ---- */

/* The slot index of NAME in T, or -1. */
int32_t slot_index(const struct tmpl *t, const char *name, size_t len)
{
    for (uint32_t i = 0; i < t->nslots; i++)
        if (t->slots[i].name->len == len && memcmp(t->slots[i].name->text, name, len) == 0)
            return (int32_t)i;
    return -1;
}

struct tmpl *tmpl_find(const engine *e, const char *name, size_t len)
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

/* ---- working memory: the public calls ---- */


sn_fact *sn_fact_by_id(const sn_engine *e, uint64_t id)
{
    for (struct fact *f = e->all_first; f; f = f->gnext)
        if (f->id == id)
            return f;
    for (struct fact *f = e->withdrawn; f; f = f->gnext)
        if (f->id == id)
            return f;
    return NULL;
}

sn_fact *sn_fact_next(const sn_engine *e, const sn_fact *f)
{
    return f ? f->gnext : e->all_first;
}

sn_fact *sn_withdrawn_next(const sn_engine *e, const sn_fact *f)
{
    return f ? f->gnext : e->withdrawn;
}

bool fact_matches(engine *e, const struct tmpl *t, cexpr *test, bool tests_cf, struct fact *f)
{
    if (f->t != t || (!tests_cf && f->cf < e->threshold))
        return false;
    if (!test)
        return true;
    ectx c = {.e = e, .f = f};
    return cx_truth(cx_eval(&c, test)) && !c.failed;
}

