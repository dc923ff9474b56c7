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
 *
 * Each module has its own levels (focus.h): the array is ordered by
 * module, then by salience. A run takes the modules in the order of the
 * focus stack, which it reads here and focus.c keeps.
 */
#include <stdlib.h>
#include <string.h>

#include "agenda.h"
#include "alloc.h"
#include "focus.h"
#include "internal.h"
#include "watch.h"

/* Whether level L comes before (module, salience). */
static bool level_before(const alevel *l, uint32_t module, int salience)
{
    return l->module != module ? l->module < module : l->salience > salience;
}

static alevel *find_level(engine *e, uint32_t module, int salience, bool create)
{
    uint32_t lo = 0, hi = e->nlevels;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (e->levels[mid].module == module && e->levels[mid].salience == salience)
            return &e->levels[mid];
        if (level_before(&e->levels[mid], module, salience))
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
    l->module = module;
    l->head = l->tail = l->root = NULL;
    return l;
}

static int cmp_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x < y) - (x > y);
}

/* A's recency, once: the fact ids of its match, newest first. */
static void key(engine *e, struct activation *a)
{
    if (a->lex) {
        a->lex->tl = a->lex->tr = NULL;
        return;
    }
    uint32_t n = 0;
    for (const token *t = a->tok; t; t = t->parent)
        n += t->f != NULL;
    lexkey *k = e_alloc(e, sizeof *k + n * sizeof *k->rec);
    k->tl = k->tr = NULL;
    k->nrec = 0;
    k->first = 0;
    for (const token *t = a->tok; t; t = t->parent)
        if (t->f) {
            k->rec[k->nrec++] = t->f->id;
            if (t->level == 1)
                k->first = t->f->id;
        }
    if (k->nrec > 1) /* a match of no facts (a rule of `not`s) has none to sort */
        qsort(k->rec, k->nrec, sizeof *k->rec, cmp_desc);
    a->lex = k;
}

/* Negative when A fires before B (lex and mea). */
static int compare(const engine *e, const struct activation *a, const struct activation *b)
{
    const lexkey *x = a->lex, *y = b->lex;
    if (e->strategy == SN_MEA && x->first != y->first)
        return x->first > y->first ? -1 : 1;
    for (uint32_t i = 0; i < x->nrec && i < y->nrec; i++)
        if (x->rec[i] != y->rec[i])
            return x->rec[i] > y->rec[i] ? -1 : 1;
    if (x->nrec != y->nrec)
        return x->nrec > y->nrec ? -1 : 1;
    return a->seq > b->seq ? -1 : 1;
}

/* ---- lex and mea: each level's activations also form a treap (a search
 * tree in firing order, balanced by a priority drawn from the sequence
 * number), so an activation finds its place in O(log n), not by walking
 * the level. The order itself is the list's; the tree only finds places. */

static uint32_t prio(const struct activation *a)
{
    uint64_t x = a->seq * 0x9E3779B97F4A7C15u;
    return (uint32_t)(x >> 32);
}

/* Insert A under ROOT; *BEFORE gets the activation A goes before in the
 * list (NULL: it goes last). */
static struct activation *tree_insert(const engine *e, struct activation *root,
                                      struct activation *a, struct activation **before)
{
    if (!root)
        return a;
    if (compare(e, a, root) < 0) {
        *before = root;
        root->lex->tl = tree_insert(e, root->lex->tl, a, before);
        if (prio(root->lex->tl) > prio(root)) {
            struct activation *l = root->lex->tl;
            root->lex->tl = l->lex->tr;
            l->lex->tr = root;
            return l;
        }
    } else {
        root->lex->tr = tree_insert(e, root->lex->tr, a, before);
        if (prio(root->lex->tr) > prio(root)) {
            struct activation *r = root->lex->tr;
            root->lex->tr = r->lex->tl;
            r->lex->tl = root;
            return r;
        }
    }
    return root;
}

static struct activation *tree_merge(struct activation *l, struct activation *r)
{
    if (!l)
        return r;
    if (!r)
        return l;
    if (prio(l) > prio(r)) {
        l->lex->tr = tree_merge(l->lex->tr, r);
        return l;
    }
    r->lex->tl = tree_merge(l, r->lex->tl);
    return r;
}

static struct activation *tree_remove(const engine *e, struct activation *root,
                                      struct activation *a)
{
    if (!root)
        return NULL;
    if (root == a)
        return tree_merge(a->lex->tl, a->lex->tr);
    if (compare(e, a, root) < 0)
        root->lex->tl = tree_remove(e, root->lex->tl, a);
    else
        root->lex->tr = tree_remove(e, root->lex->tr, a);
    return root;
}

static void insert(engine *e, alevel *l, struct activation *a)
{
    struct activation *at = NULL; /* insert before this; NULL: at the end */
    switch (e->strategy) {
    case SN_DEPTH: at = l->head; break;
    case SN_BREADTH: at = NULL; break;
    case SN_LEX:
    case SN_MEA:
        key(e, a);
        l->root = tree_insert(e, l->root, a, &at);
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

/* An activation from the free list, or fresh from the pool. */
static struct activation *act_take(engine *e)
{
    struct activation *a = e->free_acts;
    if (a)
        e->free_acts = a->next;
    else
        a = pool_take(e, &e->act_pool);
    memset(a, 0, sizeof *a);
    return a;
}

/* A's room back on the free list; its record of facts freed. */
static void act_give(engine *e, struct activation *a)
{
    e_free(e, a->lex);
    a->lex = NULL;
    a->next = e->free_acts;
    e->free_acts = a;
}

void agenda_add(engine *e, token *t, struct prod *p)
{
    struct activation *a = act_take(e);
    a->tok = t;
    a->p = p;
    a->salience = p->r->salience;
    a->module = p->r->module;
    a->seq = ++e->act_seq;
    t->act = a;
    insert(e, find_level(e, a->module, a->salience, true), a);
    e->nacts++;
    watch_activation(e, a, true);
}

static void unlink_act(engine *e, struct activation *a)
{
    alevel *l = a->lvl;
    if (l->root)
        l->root = tree_remove(e, l->root, a);
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
    unlink_act(e, a);
    a->tok->act = NULL;
    e->nacts--;
    act_give(e, a);
}

struct activation *agenda_first(engine *e)
{
    uint32_t m;
    for (uint32_t i = 0; (m = focus_run_at(e, i)) != UINT32_MAX; i++) {
        struct activation *a = agenda_first_in(e, m);
        if (a)
            return a;
    }
    return NULL;
}

struct activation *agenda_next_to_fire(engine *e)
{
    uint32_t m;
    while ((m = focus_top(e)) != UINT32_MAX) {
        struct activation *a = agenda_first_in(e, m);
        if (a)
            return a;
        focus_pop(e);
    }
    return NULL;
}

/* The first level of MODULE (or where it would go). */
static uint32_t module_start(const engine *e, uint32_t module)
{
    uint32_t lo = 0, hi = e->nlevels;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (e->levels[mid].module < module)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct activation *agenda_first_in(const engine *e, uint32_t module)
{
    for (uint32_t i = module_start(e, module); i < e->nlevels && e->levels[i].module == module;
         i++)
        if (e->levels[i].head)
            return e->levels[i].head;
    return NULL;
}

struct activation *agenda_next(const engine *e, const struct activation *a)
{
    if (a && a->next)
        return a->next;
    uint32_t m;
    if (a) {
        for (uint32_t i = (uint32_t)(a->lvl - e->levels) + 1;
             i < e->nlevels && e->levels[i].module == a->module; i++)
            if (e->levels[i].head)
                return e->levels[i].head;
        m = focus_after(e, a->module);
    } else {
        m = focus_after(e, UINT32_MAX);
    }
    for (; m != UINT32_MAX; m = focus_after(e, m)) {
        struct activation *first = agenda_first_in(e, m);
        if (first)
            return first;
    }
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
        l->head = l->tail = l->root = NULL;
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
            act_give(e, a);
            a = next;
        }
        e->levels[i].head = e->levels[i].tail = e->levels[i].root = NULL;
    }
    e->nacts = 0;
}
