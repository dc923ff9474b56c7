/* aggregate.c — the accumulators of aggregate nodes; see aggregate.h. */
#include <string.h>

#include "aggregate.h"
#include "alloc.h"
#include "eval.h"
#include "internal.h"
#include "rete.h"

/* One match counted by one token's accumulator. */
struct agg_item {
    token *owner;
    const void *match;    /* the fact, or the partner token of a group */
    uint32_t hash;
    value v;              /* read when it came (NIL for count) */
    bool num;             /* v is a number */
    uint32_t heap;        /* its place in owner's heap (min, max) */
    agg_item *hnext;      /* in the node's table */
    agg_item *prev, *next; /* in the accumulator's list */
};

static uint32_t item_hash(const token *t, const void *match)
{
    uint64_t x = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ULL;
    x ^= (uint64_t)(uintptr_t)match * 0xc2b2ae3d27d4eb4fULL;
    x ^= x >> 29;
    return (uint32_t)x;
}

agg_node *agg_node_new(engine *e, ast_agg_fn fn)
{
    agg_node *g = arena_alloc(e->perm, sizeof *g);
    g->fn = fn;
    struct tmpl *t = arena_alloc(e->perm, sizeof *t);
    t->name = sym_intern(&e->syms, "aggregate", 9);
    t->id = UINT32_MAX; /* in no table: its facts are never in working memory */
    t->nslots = 1;
    t->slots = arena_alloc(e->perm, sizeof *t->slots);
    t->slots[0].name = sym_intern(&e->syms, "value", 5);
    t->slots[0].dflt = v_nil();
    g->rt = t;
    return g;
}

void agg_node_fini(engine *e, node *n)
{
    if (n->kind != N_AGG || !n->agg)
        return;
    e_free(e, n->agg->items.b);
    n->agg->items.b = NULL;
    n->agg->items.mask = 0;
    n->agg->items.n = 0;
}

/* ---- the node's table of items ------------------------------------------ */

static void table_put(engine *e, agg_node *g, agg_item *it)
{
    bucketed *m = &g->items;
    if (!m->b) {
        m->mask = 15;
        m->b = e_calloc(e, 16, sizeof *m->b);
    } else if (m->n > 2 * (m->mask + 1)) {
        uint32_t nmask = m->mask * 2 + 1;
        void **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
        for (uint32_t i = 0; i <= m->mask; i++)
            for (agg_item *x = m->b[i], *next; x; x = next) {
                next = x->hnext;
                x->hnext = nb[x->hash & nmask];
                nb[x->hash & nmask] = x;
            }
        e_free(e, m->b);
        m->b = nb;
        m->mask = nmask;
    }
    it->hnext = m->b[it->hash & m->mask];
    m->b[it->hash & m->mask] = it;
    m->n++;
}

static agg_item **table_find(agg_node *g, const token *t, const void *match, uint32_t h)
{
    if (!g->items.b)
        return NULL;
    for (agg_item **pp = (agg_item **)&g->items.b[h & g->items.mask]; *pp; pp = &(*pp)->hnext)
        if ((*pp)->owner == t && (*pp)->match == match)
            return pp;
    return NULL;
}

/* ---- min and max: a binary heap of the numeric items ------------------- */

static int num_cmp(value a, value b)
{
    if (a.type == V_INT && b.type == V_INT)
        return (a.u.i > b.u.i) - (a.u.i < b.u.i);
    double x = value_num(a), y = value_num(b);
    return (x > y) - (x < y);
}

/* Does A belong above B in the heap of FN? */
static bool heap_above(ast_agg_fn fn, const agg_item *a, const agg_item *b)
{
    int c = num_cmp(a->v, b->v);
    return fn == AGG_MIN ? c < 0 : c > 0;
}

static void heap_set(agg_acc *a, uint32_t i, agg_item *it)
{
    a->heap[i] = it;
    it->heap = i;
}

static void heap_up(ast_agg_fn fn, agg_acc *a, uint32_t i)
{
    agg_item *it = a->heap[i];
    while (i > 0 && heap_above(fn, it, a->heap[(i - 1) / 2])) {
        heap_set(a, i, a->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(a, i, it);
}

static void heap_down(ast_agg_fn fn, agg_acc *a, uint32_t i)
{
    agg_item *it = a->heap[i];
    for (;;) {
        uint32_t l = 2 * i + 1, best = i;
        const agg_item *top = it;
        if (l < a->nheap && heap_above(fn, a->heap[l], top))
            best = l, top = a->heap[l];
        if (l + 1 < a->nheap && heap_above(fn, a->heap[l + 1], top))
            best = l + 1;
        if (best == i)
            break;
        heap_set(a, i, a->heap[best]);
        i = best;
    }
    heap_set(a, i, it);
}

static void heap_push(engine *e, ast_agg_fn fn, agg_acc *a, agg_item *it)
{
    if (a->nheap == a->capheap) {
        uint32_t cap = a->capheap ? a->capheap * 2 : 8;
        a->heap = e_realloc(e, a->heap, cap * sizeof *a->heap);
        a->capheap = cap; /* after: memory that runs out leaves it as it was */
    }
    heap_set(a, a->nheap++, it);
    heap_up(fn, a, it->heap);
}

static void heap_remove(ast_agg_fn fn, agg_acc *a, agg_item *it)
{
    uint32_t i = it->heap;
    agg_item *last = a->heap[--a->nheap];
    if (i == a->nheap)
        return;
    heap_set(a, i, last);
    heap_up(fn, a, i);
    heap_down(fn, a, last->heap);
}

/* ---- collect: the items in order of value ---------------------------- */

/* Numbers first, by value; then text by bytes (symbols and strings alike:
 * the collected text does not tell them apart). */
static int collect_cmp(value a, value b)
{
    bool na = value_is_number(a), nb = value_is_number(b);
    if (na || nb)
        return na && nb ? num_cmp(a, b) : na ? -1 : 1;
    const char *x = a.type == V_NIL ? "" : a.u.s->text;
    const char *y = b.type == V_NIL ? "" : b.u.s->text;
    return strcmp(x, y);
}

static void list_insert(const agg_node *g, agg_acc *a, agg_item *it)
{
    agg_item *after = a->last;
    if (g->fn == AGG_COLLECT) /* from the end: values often come in order */
        while (after && collect_cmp(after->v, it->v) > 0)
            after = after->prev;
    it->prev = after;
    it->next = after ? after->next : a->first;
    if (it->next)
        it->next->prev = it;
    else
        a->last = it;
    if (after)
        after->next = it;
    else
        a->first = it;
}

static void list_unlink(agg_acc *a, agg_item *it)
{
    if (it->prev)
        it->prev->next = it->next;
    else
        a->first = it->next;
    if (it->next)
        it->next->prev = it->prev;
    else
        a->last = it->prev;
}

/* ---- adding and removing ------------------------------------------------ */

void agg_begin(engine *e, node *n, token *t)
{
    (void)n;
    t->acc = e_calloc(e, 1, sizeof *t->acc);
}

static void totals_add(agg_acc *a, const agg_item *it, int sign)
{
    if (!it->num)
        return;
    a->nnum += sign;
    if (it->v.type == V_INT) {
        a->isum += sign * (__int128)it->v.u.i;
    } else {
        a->nfloat += sign;
        a->fsum += sign * it->v.u.f;
        if (a->nfloat == 0)
            a->fsum = 0; /* no float left: no rounding left over either */
    }
}

void agg_add(engine *e, node *n, token *t, struct fact *f, token *r)
{
    agg_node *g = n->agg;
    agg_acc *a = t->acc;
    agg_item *it = e_calloc(e, 1, sizeof *it);
    it->owner = t;
    it->match = r ? (const void *)r : (const void *)f;
    it->hash = item_hash(t, it->match);
    const cexpr *arg = r ? r->owner->test : g->arg;
    if (arg) {
        ectx c = {.e = e, .tok = r ? r : t, .f = f};
        it->v = cx_eval(&c, arg);
        /* a value that cannot be computed counts as a match, not a number */
        it->num = !c.failed && value_is_number(it->v);
        if (c.failed)
            it->v = v_nil();
    }
    a->n++;
    totals_add(a, it, 1);
    list_insert(g, a, it);
    if ((g->fn == AGG_MIN || g->fn == AGG_MAX) && it->num)
        heap_push(e, g->fn, a, it);
    table_put(e, g, it);
}

static void item_free(engine *e, agg_node *g, agg_acc *a, agg_item *it, agg_item **pp)
{
    *pp = it->hnext;
    g->items.n--;
    a->n--;
    totals_add(a, it, -1);
    list_unlink(a, it);
    if ((g->fn == AGG_MIN || g->fn == AGG_MAX) && it->num)
        heap_remove(g->fn, a, it);
    e_free(e, it);
}

bool agg_remove(engine *e, node *n, token *t, const void *match)
{
    agg_item **pp = table_find(n->agg, t, match, item_hash(t, match));
    if (!pp)
        return false;
    item_free(e, n->agg, t->acc, *pp, pp);
    return true;
}

static token *bucket_of(const node *n, uint32_t h)
{
    return n->mem.b ? n->mem.b[h & n->mem.mask].head : NULL;
}

void agg_leave(engine *e, node *n, aentry *a)
{
    for (token *t = bucket_of(n, a->hash), *next; t; t = next) {
        next = t->bnext;
        if (!t->dead && t->hash == a->hash && agg_remove(e, n, t, a->f))
            agg_settle(e, n, t);
    }
}

void agg_reread(engine *e, aentry *a)
{
    for (uint32_t i = 0; i < a->am->nsucc; i++) {
        node *n = a->am->succ[i];
        if (n->kind != N_AGG || !n->agg->reads_cf)
            continue;
        for (token *t = bucket_of(n, a->hash), *next; t; t = next) {
            next = t->bnext;
            if (!t->dead && t->hash == a->hash && agg_remove(e, n, t, a->f)) {
                agg_add(e, n, t, a->f, NULL);
                agg_settle(e, n, t);
            }
        }
    }
}

/* ---- the result ------------------------------------------------------------ */

/* The text of collect: the values in order, ", " between them; past
 * AGG_COLLECT_MAX bytes, the rest only counted (every text made is kept
 * with the engine's symbols, so a large group must not make large ones). */
enum { AGG_COLLECT_MAX = 4000 };

static value collect_text(engine *e, const agg_acc *a)
{
    size_t len = 0, cap = 64;
    char *s = e_alloc(e, cap);
    char buf[64];
    uint64_t i = 0;
    for (const agg_item *it = a->first; it; it = it->next, i++) {
        const char *p = buf;
        size_t k;
        if (it->v.type == V_SYMBOL || it->v.type == V_STRING) {
            p = it->v.u.s->text;
            k = strlen(p);
        } else {
            k = value_format(buf, sizeof buf, it->v);
            if (k >= sizeof buf)
                k = sizeof buf - 1;
        }
        if (len + k > AGG_COLLECT_MAX) {
            k = (size_t)snprintf(buf, sizeof buf, "... (%llu more)",
                                 (unsigned long long)(a->n - i));
            p = buf;
            it = a->last; /* the last piece */
        }
        if (len + k + 3 > cap) {
            while (len + k + 3 > cap)
                cap *= 2;
            s = e_realloc(e, s, cap);
        }
        if (it != a->first) {
            memcpy(s + len, ", ", 2);
            len += 2;
        }
        memcpy(s + len, p, k);
        len += k;
    }
    value v = v_str(sym_intern(&e->syms, s, len));
    e_free(e, s);
    return v;
}

/* The value of A under FN; false when it has none. */
static bool acc_value(engine *e, const agg_node *g, const agg_acc *a, value *out)
{
    switch (g->fn) {
    case AGG_COUNT: *out = v_int((int64_t)a->n); return true;
    case AGG_SUM:
        if (a->nfloat == 0 && a->isum >= INT64_MIN && a->isum <= INT64_MAX)
            *out = v_int((int64_t)a->isum);
        else
            *out = v_float((double)a->isum + a->fsum);
        return true;
    case AGG_AVG:
        if (a->nnum == 0)
            return false;
        *out = v_float(((double)a->isum + a->fsum) / (double)a->nnum);
        return true;
    case AGG_MIN:
    case AGG_MAX:
        if (a->nheap == 0)
            return false;
        *out = a->heap[0]->v;
        return true;
    case AGG_COLLECT: *out = collect_text(e, a); return true;
    }
    return false;
}

struct fact *agg_result(const token *t)
{
    return t->acc && t->acc->out ? t->acc->result : NULL;
}

/* T's value is about to change: what is below it goes, but the tokens of
 * aggregates that keep theirs stay, emptied below in turn. */
static void withdraw_below(engine *e, token *t)
{
    t->acc->out = false;
    for (token *k = t->kids, *next; k; k = next) {
        next = k->snext;
        if (k->owner->kind == N_AGG && k->owner->agg->keeps && k->acc && k->acc->out)
            withdraw_below(e, k);
        else if (k->owner->kind != N_AGG || !k->owner->agg->keeps)
            token_delete(e, k);
    }
}

void agg_settle(engine *e, node *n, token *t)
{
    agg_acc *a = t->acc;
    if (t->dead || !a)
        return;
    value v;
    bool has = acc_value(e, n->agg, a, &v);
    if (a->out && has && value_same(a->result->slots[0], v))
        return; /* the same value: the matches below stand */
    if (a->out && has) {
        withdraw_below(e, t);
    } else if (a->out) {
        a->out = false;
        while (t->kids)
            token_delete(e, t->kids);
    }
    if (!has)
        return;
    if (!a->result) {
        a->result = e_calloc(e, 1, sizeof *a->result + sizeof(value));
        a->result->t = n->agg->rt;
        a->result->live = true;
        a->result->cf = 1.0;
    }
    a->result->slots[0] = v;
    a->out = true;
    for (uint32_t i = 0; i < n->nkids && !t->dead; i++) {
        token *kept = NULL;
        if (n->kids[i]->kind == N_AGG && n->kids[i]->agg->keeps)
            for (token *k = t->kids; k && !kept; k = k->snext)
                if (k->owner == n->kids[i])
                    kept = k;
        if (kept)
            agg_settle(e, kept->owner, kept); /* its value, to what is below it again */
        else
            left_activate(e, n->kids[i], t, a->result);
    }
}

static void acc_free(engine *e, node *n, token *t)
{
    agg_acc *a = t->acc;
    if (!a)
        return;
    agg_node *g = n->agg;
    while (a->first) {
        agg_item *it = a->first;
        agg_item **pp = table_find(g, t, it->match, it->hash);
        if (pp) {
            item_free(e, g, a, it, pp);
        } else { /* not in the table: a broken invariant, but free it */
            list_unlink(a, it);
            e_free(e, it);
        }
    }
    e_free(e, a->heap);
    e_free(e, a->result);
    e_free(e, a);
    t->acc = NULL;
}

void agg_end(engine *e, node *n, token *t)
{
    acc_free(e, n, t);
}

void agg_drop(engine *e, node *n, token *t)
{
    acc_free(e, n, t);
}

/* ---- checking ------------------------------------------------------------- */

bool agg_check(engine *e, const node *n, const token *t, uint64_t *nitems)
{
    const agg_acc *a = t->acc;
    const agg_node *g = n->agg;
    if (!a) {
        snprintf(e->verify_why, sizeof e->verify_why, "an aggregate token without its accumulator");
        return false;
    }
    uint64_t count = 0, nnum = 0, nfloat = 0;
    __int128 isum = 0;
    for (const agg_item *it = a->first; it; it = it->next) {
        count++;
        if (it->owner != t || !table_find((agg_node *)g, t, it->match, it->hash)) {
            snprintf(e->verify_why, sizeof e->verify_why, "an aggregate item missing from its node's table");
            return false;
        }
        if (g->fn == AGG_COLLECT && it->next && collect_cmp(it->v, it->next->v) > 0) {
            snprintf(e->verify_why, sizeof e->verify_why, "collected values out of order");
            return false;
        }
        nnum += it->num;
        nfloat += it->num && it->v.type == V_FLOAT;
        if (it->num && it->v.type == V_INT)
            isum += it->v.u.i;
    }
    *nitems = count;
    if (count != a->n || nnum != a->nnum || nfloat != a->nfloat || isum != a->isum) {
        snprintf(e->verify_why, sizeof e->verify_why, "an aggregate's totals disagree with its %llu items",
                       (unsigned long long)count);
        return false;
    }
    if (g->fn == AGG_MIN || g->fn == AGG_MAX) {
        if (a->nheap != nnum) {
            snprintf(e->verify_why, sizeof e->verify_why, "an aggregate heap holds %u of %llu numbers", a->nheap,
                           (unsigned long long)nnum);
            return false;
        }
        for (uint32_t i = 0; i < a->nheap; i++)
            if (a->heap[i]->heap != i || (i && heap_above(g->fn, a->heap[i], a->heap[(i - 1) / 2]))) {
                snprintf(e->verify_why, sizeof e->verify_why, "an aggregate heap out of order at %u", i);
                return false;
            }
    }
    value v;
    bool has = acc_value(e, g, a, &v);
    if (has != a->out || (has && !value_same(v, a->result->slots[0]))) {
            snprintf(e->verify_why, sizeof e->verify_why, "an aggregate's result is not the value of its items");
        return false;
    }
    if (!a->out && t->kids) {
        snprintf(e->verify_why, sizeof e->verify_why, "tokens below an aggregate that has no value");
        return false;
    }
    for (const token *k = t->kids; k; k = k->snext)
        if (k->f != a->result) {
            snprintf(e->verify_why, sizeof e->verify_why, "a token below an aggregate without its result");
            return false;
        }
    return true;
}
