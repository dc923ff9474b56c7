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

/* The table of live facts is open-addressed: a fact sits at its hash's
 * place or the first free one after it (linear probing), and the table
 * is never more than half full, so every probe ends at a free place. */

static uint32_t fact_hash(const struct tmpl *t, const value *vals)
{
    uint32_t h = t->id * 0x9e3779b1u;
    for (uint32_t i = 0; i < t->nslots; i++)
        h = (h ^ value_hash(vals[i])) * 0x01000193u;
    /* the low bits pick the place: mixed with the high ones */
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h;
}

static struct fact *wm_find(engine *e, const struct tmpl *t, const value *vals, uint32_t h)
{
    for (uint32_t i = h & e->wm_mask;; i = (i + 1) & e->wm_mask) {
        const wmslot *s = &e->wm[i];
        if (!s->f)
            return NULL;
        if (s->hash != h || s->f->t != t)
            continue;
        uint32_t k = 0;
        while (k < t->nslots && value_same(s->f->slots[k], vals[k]))
            k++;
        if (k == t->nslots)
            return s->f;
    }
}

static void wm_place(wmslot *wm, uint32_t mask, uint32_t h, struct fact *f)
{
    uint32_t i = h & mask;
    while (wm[i].f)
        i = (i + 1) & mask;
    wm[i] = (wmslot){h, f};
}

static void wm_grow(engine *e)
{
    uint32_t nmask = e->wm_mask * 2 + 1;
    wmslot *nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
    for (uint32_t i = 0; i <= e->wm_mask; i++)
        if (e->wm[i].f)
            wm_place(nb, nmask, e->wm[i].hash, e->wm[i].f);
    e_free(e, e->wm);
    e->wm = nb;
    e->wm_mask = nmask;
}

/* F out of the table: the facts after its place that probed past it move
 * back, so that no probe meets a hole before its fact. */
static void wm_unplace(engine *e, const struct fact *f)
{
    uint32_t mask = e->wm_mask, i = f->hash & mask;
    while (e->wm[i].f != f)
        i = (i + 1) & mask;
    for (uint32_t j = (i + 1) & mask; e->wm[j].f; j = (j + 1) & mask) {
        uint32_t home = e->wm[j].hash & mask;
        /* can the fact at j move to the hole at i (is i between its home
         * and j, going round)? */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            e->wm[i] = e->wm[j];
            i = j;
        }
    }
    e->wm[i] = (wmslot){0, NULL};
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
    if (2 * (e->nfacts + 1) > e->wm_mask + 1)
        wm_grow(e);
    wm_place(e->wm, e->wm_mask, h, f);
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
    wm_unplace(e, f);
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

