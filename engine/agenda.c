/* agenda.c — activations waiting to fire, in firing order.
 *
 * The agenda is an array of salience levels, highest first; each level is a
 * list in firing order. Within a level the strategy decides:
 *   depth    newest activation first (the default)
 *   breadth  oldest first
 *   lex      the activation whose facts are most recent first: the fact ids
 *            of each, sorted newest first, compared in turn; more facts
 *            first when one list is the start of the other
 *   mea      the fact of the first pattern most recent first, then lex
 * and every tie falls to the activation made last, so a run is the same
 * every time. An activation fires once (refraction): firing removes it,
 * and only a new match makes a new one.
 */
#include <stdlib.h>
#include <string.h>

#include "agenda.h"
#include "alloc.h"
#include "internal.h"
#include "watch.h"

static alevel *find_level(engine *e, int salience, bool create)
{
    uint32_t lo = 0, hi = e->nlevels;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (e->levels[mid].salience == salience)
            return &e->levels[mid];
        if (e->levels[mid].salience > salience)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!create)
        return NULL;
    if (e->nlevels == e->caplevels) {
        uint32_t cap = e->caplevels ? e->caplevels * 2 : 8;
        alevel *nl = e_alloc(e, cap * sizeof *nl);
        if (e->nlevels)
            memcpy(nl, e->levels, e->nlevels * sizeof *nl);
        /* activations point at their level: move them */
        for (uint32_t i = 0; i < e->nlevels; i++)
            for (struct activation *a = nl[i].head; a; a = a->next)
                a->lvl = &nl[i];
        e_free(e, e->levels);
        e->levels = nl;
        e->caplevels = cap;
    }
    memmove(&e->levels[lo + 1], &e->levels[lo], (e->nlevels - lo) * sizeof *e->levels);
    e->nlevels++;
    for (uint32_t i = lo + 1; i < e->nlevels; i++)
        for (struct activation *a = e->levels[i].head; a; a = a->next)
            a->lvl = &e->levels[i];
    alevel *l = &e->levels[lo];
    l->salience = salience;
    l->head = l->tail = NULL;
    return l;
}

static int cmp_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x < y) - (x > y);
}

/* Fact ids of A's match, newest first, into OUT (at most 64). */
static uint32_t recency(const struct activation *a, uint64_t *out, uint64_t *first)
{
    uint32_t n = 0;
    *first = 0;
    for (const token *t = a->tok; t; t = t->parent)
        if (t->f && n < 64) {
            out[n++] = t->f->id;
            if (t->level == 1)
                *first = t->f->id;
        }
    qsort(out, n, sizeof *out, cmp_desc);
    return n;
}

/* Negative when A fires before B. */
static int compare(const engine *e, const struct activation *a, const struct activation *b)
{
    uint64_t ra[64], rb[64], fa, fb;
    uint32_t na = recency(a, ra, &fa), nb = recency(b, rb, &fb);
    if (e->strategy == SN_MEA && fa != fb)
        return fa > fb ? -1 : 1;
    for (uint32_t i = 0; i < na && i < nb; i++)
        if (ra[i] != rb[i])
            return ra[i] > rb[i] ? -1 : 1;
    if (na != nb)
        return na > nb ? -1 : 1;
    return a->seq > b->seq ? -1 : 1;
}

static void insert(engine *e, alevel *l, struct activation *a)
{
    struct activation *at = NULL; /* insert before this; NULL: at the end */
    switch (e->strategy) {
    case SN_DEPTH: at = l->head; break;
    case SN_BREADTH: at = NULL; break;
    case SN_LEX:
    case SN_MEA:
        for (at = l->head; at && compare(e, at, a) < 0; at = at->next)
            ;
        break;
    }
    a->lvl = l;
    a->next = at;
    a->prev = at ? at->prev : l->tail;
    if (a->prev)
        a->prev->next = a;
    else
        l->head = a;
    if (at)
        at->prev = a;
    else
        l->tail = a;
}

void agenda_add(engine *e, token *t, struct prod *p)
{
    struct activation *a = e_alloc(e, sizeof *a);
    a->tok = t;
    a->p = p;
    a->salience = p->r->salience;
    a->seq = ++e->act_seq;
    t->act = a;
    insert(e, find_level(e, a->salience, true), a);
    e->nacts++;
    watch_activation(e, a, true);
}

static void unlink_act(struct activation *a)
{
    alevel *l = a->lvl;
    if (a->prev)
        a->prev->next = a->next;
    else
        l->head = a->next;
    if (a->next)
        a->next->prev = a->prev;
    else
        l->tail = a->prev;
}

void agenda_remove(engine *e, struct activation *a)
{
    unlink_act(a);
    a->tok->act = NULL;
    e->nacts--;
    e_free(e, a);
}

struct activation *agenda_first(engine *e)
{
    for (uint32_t i = 0; i < e->nlevels; i++)
        if (e->levels[i].head)
            return e->levels[i].head;
    return NULL;
}

static int by_seq(const void *a, const void *b)
{
    uint64_t x = (*(struct activation *const *)a)->seq, y = (*(struct activation *const *)b)->seq;
    return (x > y) - (x < y);
}

/* The strategy changed: put every level in its new order. */
void agenda_resort(engine *e)
{
    for (uint32_t i = 0; i < e->nlevels; i++) {
        alevel *l = &e->levels[i];
        size_t n = 0;
        for (struct activation *a = l->head; a; a = a->next)
            n++;
        if (n == 0)
            continue;
        struct activation **v = e_alloc(e, n * sizeof *v);
        n = 0;
        for (struct activation *a = l->head; a; a = a->next)
            v[n++] = a;
        qsort(v, n, sizeof *v, by_seq);
        l->head = l->tail = NULL;
        for (size_t j = 0; j < n; j++) /* oldest first, as they came */
            insert(e, l, v[j]);
        e_free(e, v);
    }
}

void agenda_clear(engine *e)
{
    for (uint32_t i = 0; i < e->nlevels; i++) {
        struct activation *a = e->levels[i].head;
        while (a) {
            struct activation *next = a->next;
            a->tok->act = NULL;
            e_free(e, a);
            a = next;
        }
        e->levels[i].head = e->levels[i].tail = NULL;
    }
    e->nacts = 0;
}
