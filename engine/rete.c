/* rete.c — the network at run time: alpha dispatch, alpha memories, beta
 * nodes, tokens. See internal.h for the shapes and who owns what.
 *
 * Order matters in two places, and both are fixed so runs are
 * reproducible:
 * - an alpha memory's successors are kept deepest first, so a fact that
 *   enters a memory feeding two nodes of one rule reaches the lower node
 *   before tokens made from it by the upper node do (no double matches);
 *   among nodes at one level, the one added last comes first;
 * - buckets keep their entries oldest first, and rehashing keeps that
 *   order. With the depth strategy (newest activation first) the match
 *   with the newest facts, made last, fires first.
 */
#include <string.h>

#include "engine.h"
#include "eval.h"
#include "internal.h"
#include "rete.h"

/* ---- hashing ------------------------------------------------------------ */

static inline uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
    return h;
}

static uint32_t ptr_hash(const void *a, const void *b)
{
    uint64_t x = (uint64_t)(uintptr_t)a * 0x9e3779b97f4a7c15ULL;
    x ^= (uint64_t)(uintptr_t)b * 0xc2b2ae3d27d4eb4fULL;
    x ^= x >> 29;
    return (uint32_t)x;
}

static uint32_t fact_key_hash(const amem *am, const struct fact *f)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < am->nhash; i++)
        h = mix(h, value_hash(f->slots[am->hash_slots[i]]));
    return h;
}

struct fact *token_fact(const token *t, uint32_t level)
{
    while (t && t->level > level)
        t = t->parent;
    return t && t->level == level ? t->f : NULL;
}

static uint32_t token_key_hash(const node *n, const token *t)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < n->nkeys; i++) {
        struct fact *f = token_fact(t, n->keys[i].level);
        h = mix(h, value_hash(f->slots[n->keys[i].lslot]));
    }
    return h;
}

/* The token of an NCC's memory that a subnetwork result belongs to is the
 * one made from the same parent token and fact. */
static token *result_anchor(const node *partner, const token *r)
{
    if (!partner->partner)
        return NULL;
    uint32_t level = partner->partner->level;
    while (r && r->level > level)
        r = r->parent;
    return (token *)r;
}

/* ---- buckets ------------------------------------------------------------ */

static bool hashed(const node *n)
{
    return n->nkeys > 0 || n->kind == N_NCC || n->kind == N_PARTNER;
}

/* Buckets keep their entries oldest first: a bucket's head points back to
 * its tail (head->bprev), so appending is O(1); the tail's bnext is NULL.
 * The two list kinds (tokens, alpha entries) share the shape. */
#define BUCKET_APPEND(T, headp, x)                                                                 \
    do {                                                                                           \
        T *h_ = *(headp);                                                                          \
        (x)->bnext = NULL;                                                                         \
        if (!h_) {                                                                                 \
            *(headp) = (x);                                                                        \
            (x)->bprev = (x);                                                                      \
        } else {                                                                                   \
            h_->bprev->bnext = (x);                                                                \
            (x)->bprev = h_->bprev;                                                                \
            h_->bprev = (x);                                                                       \
        }                                                                                          \
    } while (0)

#define BUCKET_UNLINK(T, headp, x)                                                                 \
    do {                                                                                           \
        T *h_ = *(headp);                                                                          \
        if ((x) == h_) {                                                                           \
            *(headp) = (x)->bnext;                                                                 \
            if ((x)->bnext)                                                                        \
                (x)->bnext->bprev = (x)->bprev;                                                    \
        } else {                                                                                   \
            (x)->bprev->bnext = (x)->bnext;                                                        \
            if ((x)->bnext)                                                                        \
                (x)->bnext->bprev = (x)->bprev;                                                    \
            else                                                                                   \
                h_->bprev = (x)->bprev;                                                            \
        }                                                                                          \
    } while (0)

static void mem_grow_tokens(engine *e, bucketed *m)
{
    uint32_t nmask = m->mask * 2 + 1;
    void **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
    for (uint32_t i = 0; i <= m->mask; i++) {
        for (token *t = m->b[i], *next; t; t = next) {
            next = t->bnext;
            BUCKET_APPEND(token, (token **)&nb[t->hash & nmask], t);
        }
    }
    e_free(e, m->b);
    m->b = nb;
    m->mask = nmask;
}

static void mem_insert(engine *e, node *n, token *t)
{
    bucketed *m = &n->mem;
    if (!m->b)
        m->b = e_calloc(e, 1, sizeof *m->b);
    else if (hashed(n) && m->n > 2 * (m->mask + 1))
        mem_grow_tokens(e, m);
    BUCKET_APPEND(token, (token **)&m->b[t->hash & m->mask], t);
    m->n++;
    n->ntokens++;
}

static void mem_unlink(node *n, token *t)
{
    bucketed *m = &n->mem;
    BUCKET_UNLINK(token, (token **)&m->b[t->hash & m->mask], t);
    m->n--;
    n->ntokens--;
}

static token *mem_bucket(const node *n, uint32_t h)
{
    return n->mem.b ? n->mem.b[h & n->mem.mask] : NULL;
}

static void am_grow(engine *e, bucketed *m)
{
    uint32_t nmask = m->mask * 2 + 1;
    void **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
    for (uint32_t i = 0; i <= m->mask; i++) {
        for (aentry *a = m->b[i], *next; a; a = next) {
            next = a->bnext;
            BUCKET_APPEND(aentry, (aentry **)&nb[a->hash & nmask], a);
        }
    }
    e_free(e, m->b);
    m->b = nb;
    m->mask = nmask;
}

static aentry *am_bucket(const amem *am, uint32_t h)
{
    return am->idx.b ? am->idx.b[h & am->idx.mask] : NULL;
}

/* ---- tokens ------------------------------------------------------------- */

static token *token_new(engine *e)
{
    token *t = e->free_tokens;
    if (t)
        e->free_tokens = t->dnext;
    else
        t = e_alloc(e, sizeof *t);
    memset(t, 0, sizeof *t);
    e->ntokens++;
    return t;
}

void rete_free_dead(engine *e)
{
    /* the dead and the free lists share the dnext link: one splice */
    if (e->dead_tokens) {
        e->dead_last->dnext = e->free_tokens;
        e->free_tokens = e->dead_tokens;
        e->dead_tokens = e->dead_last = NULL;
    }
}

static void left_activate(engine *e, node *n, token *parent, struct fact *f);
static void token_delete(engine *e, token *t);

static void delete_kids(engine *e, token *t)
{
    while (t->kids)
        token_delete(e, t->kids);
}

static void propagate(engine *e, node *n, token *t, struct fact *f)
{
    for (uint32_t i = 0; i < n->nkids; i++)
        left_activate(e, n->kids[i], t, f);
}

/* Does token T join with fact F at node N (keys, then the other tests)? */
static bool joins(engine *e, const node *n, token *t, struct fact *f)
{
    for (uint32_t i = 0; i < n->nkeys; i++) {
        struct fact *g = token_fact(t, n->keys[i].level);
        if (!value_eq(g->slots[n->keys[i].lslot], f->slots[n->keys[i].rslot]))
            return false;
    }
    if (!n->test)
        return true;
    ectx c = {.e = e, .tok = t, .f = f};
    return cx_truth(cx_eval(&c, n->test)) && !c.failed;
}

static uint32_t count_matches(engine *e, const node *n, token *t)
{
    uint32_t c = 0;
    for (aentry *a = am_bucket(n->am, t->hash); a; a = a->bnext)
        if (a->hash == t->hash && joins(e, n, t, a->f))
            c++;
    return c;
}

static bool same_anchor(const token *a, const token *owner)
{
    return a && a->parent == owner->parent && a->f == owner->f;
}

static void partner_changed(engine *e, node *partner, token *r, bool added)
{
    token *a = result_anchor(partner, r);
    if (!a)
        return;
    node *ncc = partner->partner;
    uint32_t h = ptr_hash(a->parent, a->f);
    for (token *o = mem_bucket(ncc, h); o; o = o->bnext) {
        if (o->dead || !same_anchor(a, o))
            continue;
        if (o->parent && o->parent->dead)
            return;
        if (added) {
            if (o->count++ == 0) {
                if (ncc->exists)
                    propagate(e, ncc, o, NULL);
                else
                    delete_kids(e, o);
            }
        } else if (o->count > 0 && --o->count == 0) {
            if (ncc->exists)
                delete_kids(e, o);
            else
                propagate(e, ncc, o, NULL);
        }
        return;
    }
}

/* A top join's root token got its first kid: reset will look there. */
static void note_busy(engine *e, token *root)
{
    if (e->nbusy == e->capbusy) {
        e->capbusy = e->capbusy ? e->capbusy * 2 : 64;
        e->busy = e_realloc(e, e->busy, e->capbusy * sizeof *e->busy);
    }
    e->busy[e->nbusy++] = root;
    root->listed = true;
}

static void left_activate(engine *e, node *n, token *parent, struct fact *f)
{
    token *t = token_new(e);
    t->parent = parent;
    t->f = f;
    t->owner = n;
    t->level = n->level;
    if (parent) {
        t->snext = parent->kids;
        if (parent->kids)
            parent->kids->sprev = t;
        parent->kids = t;
        if (!parent->parent && !parent->listed && parent->owner->kind == N_JOIN)
            note_busy(e, parent);
    }
    if (f) {
        t->fnext = f->tokens;
        if (f->tokens)
            f->tokens->fprev = t;
        f->tokens = t;
    }
    switch (n->kind) {
    case N_NCC: t->hash = ptr_hash(parent, f); break;
    case N_PARTNER: {
        token *a = result_anchor(n, t);
        t->hash = a ? ptr_hash(a->parent, a->f) : 0;
        break;
    }
    default: t->hash = n->nkeys ? token_key_hash(n, t) : 0; break;
    }
    mem_insert(e, n, t);

    switch (n->kind) {
    case N_JOIN:
        for (aentry *a = am_bucket(n->am, t->hash), *next; a; a = next) {
            next = a->bnext;
            if (a->hash == t->hash && joins(e, n, t, a->f))
                propagate(e, n, t, a->f);
            if (t->dead)
                return;
        }
        break;
    case N_NEG:
        t->count = count_matches(e, n, t);
        if (t->count == 0)
            propagate(e, n, t, NULL);
        break;
    case N_EXISTS:
        t->count = count_matches(e, n, t);
        if (t->count > 0)
            propagate(e, n, t, NULL);
        break;
    case N_TEST: {
        ectx c = {.e = e, .tok = t};
        bool ok = cx_truth(cx_eval(&c, n->test)) && !c.failed;
        if (ok)
            propagate(e, n, t, NULL);
        break;
    }
    case N_NCC: {
        node *p = n->partner;
        uint32_t c = 0;
        for (token *r = mem_bucket(p, t->hash); r; r = r->bnext)
            if (!r->dead && same_anchor(result_anchor(p, r), t))
                c++;
        t->count = c;
        if ((c > 0) == n->exists)
            propagate(e, n, t, NULL);
        break;
    }
    case N_PARTNER: partner_changed(e, n, t, true); break;
    case N_TERM: rete_matched(e, t, n->prod); break;
    }
}

static void token_delete(engine *e, token *t)
{
    if (t->dead)
        return;
    t->dead = true;
    if (t->listed) {
        /* a root token going with its node (rule removal): off the list */
        for (uint32_t i = 0; i < e->nbusy; i++)
            if (e->busy[i] == t) {
                e->busy[i] = e->busy[--e->nbusy];
                break;
            }
        t->listed = false;
    }
    delete_kids(e, t);
    node *n = t->owner;
    if (n->kind == N_TERM) {
        rete_unmatched(e, t);
    } else if (n->kind == N_PARTNER) {
        partner_changed(e, n, t, false);
    }
    mem_unlink(n, t);
    if (t->parent) {
        if (t->sprev)
            t->sprev->snext = t->snext;
        else
            t->parent->kids = t->snext;
        if (t->snext)
            t->snext->sprev = t->sprev;
    }
    if (t->f) {
        if (t->fprev)
            t->fprev->fnext = t->fnext;
        else
            t->f->tokens = t->fnext;
        if (t->fnext)
            t->fnext->fprev = t->fprev;
    }
    e->ntokens--;
    t->dnext = e->dead_tokens; /* bnext stays: a loop may step on from here */
    if (!e->dead_tokens)
        e->dead_last = t;
    e->dead_tokens = t;
}

/* ---- alpha memories ------------------------------------------------------ */

bool amem_accepts(engine *e, const amem *am, const struct fact *f)
{
    if (!am->tests_cf && f->cf < e->threshold)
        return false;
    if (am->key_slot >= 0) {
        uint32_t i = 0;
        while (i < am->nkeyv && !value_eq(f->slots[am->key_slot], am->keyv[i]))
            i++;
        if (i == am->nkeyv)
            return false;
    }
    if (!am->test)
        return true;
    ectx c = {.e = e, .f = (struct fact *)f};
    return cx_truth(cx_eval(&c, am->test)) && !c.failed;
}

static void right_activate(engine *e, node *n, aentry *a)
{
    struct fact *f = a->f;
    for (token *t = mem_bucket(n, a->hash), *next; t; t = next) {
        next = t->bnext;
        if (t->dead || t->hash != a->hash || !joins(e, n, t, f))
            continue;
        switch (n->kind) {
        case N_JOIN: propagate(e, n, t, f); break;
        case N_NEG:
            if (t->count++ == 0)
                delete_kids(e, t);
            break;
        case N_EXISTS:
            if (t->count++ == 0)
                propagate(e, n, t, NULL);
            break;
        default: break;
        }
        if (!f->live)
            return;
    }
}

static void right_deactivate(engine *e, node *n, aentry *a)
{
    for (token *t = mem_bucket(n, a->hash), *next; t; t = next) {
        next = t->bnext;
        if (t->dead || t->hash != a->hash || t->count == 0 || !joins(e, n, t, a->f))
            continue;
        if (--t->count == 0) {
            if (n->kind == N_NEG)
                propagate(e, n, t, NULL);
            else
                delete_kids(e, t);
        }
    }
}

static void amem_add(engine *e, amem *am, struct fact *f)
{
    aentry *a = e->free_entries;
    if (a)
        e->free_entries = a->fnext;
    else
        a = e_alloc(e, sizeof *a);
    a->f = f;
    a->am = am;
    a->hash = fact_key_hash(am, f);
    a->fnext = f->entries;
    f->entries = a;
    bucketed *m = &am->idx;
    if (!m->b)
        m->b = e_calloc(e, 1, sizeof *m->b);
    else if (am->nhash && m->n > 2 * (m->mask + 1))
        am_grow(e, m);
    BUCKET_APPEND(aentry, (aentry **)&m->b[a->hash & m->mask], a);
    m->n++;
    for (uint32_t i = 0; i < am->nsucc && f->live; i++)
        right_activate(e, am->succ[i], a);
}

/* Take F out of A's memory: the tokens joined with it go, negations it
 * blocked are released. */
static void amem_remove(engine *e, aentry *a)
{
    amem *am = a->am;
    struct fact *f = a->f;
    bucketed *m = &am->idx;
    BUCKET_UNLINK(aentry, (aentry **)&m->b[a->hash & m->mask], a);
    m->n--;
    for (token *t = f->tokens, *next; t; t = next) {
        next = t->fnext;
        node *maker = t->owner->parent;
        if (!t->dead && maker && maker->kind == N_JOIN && maker->am == am)
            token_delete(e, t);
    }
    for (uint32_t i = 0; i < am->nsucc; i++)
        if (am->succ[i]->kind != N_JOIN)
            right_deactivate(e, am->succ[i], a);
}

static void entry_free(engine *e, struct fact *f, aentry *a)
{
    aentry **pp = &f->entries;
    while (*pp != a)
        pp = &(*pp)->fnext;
    *pp = a->fnext;
    a->fnext = e->free_entries;
    e->free_entries = a;
}

/* The alpha memories F belongs in, by dispatch then the plain list. */
typedef struct amlist {
    amem **v;
    uint32_t n, cap;
} amlist;

static void amlist_push(engine *e, amlist *l, amem *am)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = e_realloc(e, l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = am;
}

static dnode *dispatch_find(const dispatch *d, value v, uint32_t h)
{
    if (!d->idx.b)
        return NULL;
    for (dnode *x = d->idx.b[h & d->idx.mask]; x; x = x->next)
        if (x->hash == h && value_eq(x->v, v))
            return x;
    return NULL;
}

static void memberships(engine *e, struct fact *f, amlist *out)
{
    struct tmpl *t = f->t;
    for (dispatch *d = t->dispatch; d; d = d->next) {
        value v = f->slots[d->slot];
        dnode *x = dispatch_find(d, v, value_hash(v));
        if (!x)
            continue;
        for (uint32_t i = 0; i < x->n; i++)
            if (amem_accepts(e, x->ams[i], f))
                amlist_push(e, out, x->ams[i]);
    }
    for (uint32_t i = 0; i < t->nplain; i++)
        if (amem_accepts(e, t->plain[i], f))
            amlist_push(e, out, t->plain[i]);
}

void rete_add_fact(engine *e, struct fact *f)
{
    amlist l = {0};
    memberships(e, f, &l);
    for (uint32_t i = 0; i < l.n && f->live; i++)
        amem_add(e, l.v[i], f);
    e_free(e, l.v);
}

void rete_remove_fact(engine *e, struct fact *f)
{
    while (f->entries) {
        aentry *a = f->entries;
        amem_remove(e, a);
        entry_free(e, f, a);
    }
    /* tokens that hold it through no alpha memory: none should remain */
    while (f->tokens)
        token_delete(e, f->tokens);
}

void rete_refresh_fact(engine *e, struct fact *f)
{
    amlist l = {0};
    memberships(e, f, &l);
    /* leave the memories it no longer passes */
    for (aentry *a = f->entries, *next; a; a = next) {
        next = a->fnext;
        bool keep = false;
        for (uint32_t i = 0; i < l.n && !keep; i++)
            keep = l.v[i] == a->am;
        if (!keep) {
            amem_remove(e, a);
            entry_free(e, f, a);
        }
    }
    /* enter the new ones */
    for (uint32_t i = 0; i < l.n && f->live; i++) {
        bool in = false;
        for (aentry *a = f->entries; a && !in; a = a->fnext)
            in = a->am == l.v[i];
        if (!in)
            amem_add(e, l.v[i], f);
    }
    e_free(e, l.v);
}

/* ---- building ------------------------------------------------------------ */

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void dispatch_add_one(engine *e, amem *am, dispatch *d, value v)
{
    uint32_t h = value_hash(v);
    dnode *x = dispatch_find(d, v, h);
    if (!x) {
        if (!d->idx.b) {
            d->idx.mask = 15;
            d->idx.b = e_calloc(e, 16, sizeof *d->idx.b);
        } else if (d->idx.n > d->idx.mask) {
            uint32_t nmask = d->idx.mask * 2 + 1;
            void **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
            for (uint32_t i = 0; i <= d->idx.mask; i++)
                for (dnode *y = d->idx.b[i], *next; y; y = next) {
                    next = y->next;
                    y->next = nb[y->hash & nmask];
                    nb[y->hash & nmask] = y;
                }
            e_free(e, d->idx.b);
            d->idx.b = nb;
            d->idx.mask = nmask;
        }
        x = arena_alloc(e->perm, sizeof *x);
        x->v = v;
        x->hash = h;
        x->next = d->idx.b[h & d->idx.mask];
        d->idx.b[h & d->idx.mask] = x;
        d->idx.n++;
    }
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 2;
        x->ams = e_realloc(e, x->ams, x->cap * sizeof *x->ams);
    }
    x->ams[x->n++] = am;
}

/* AM joins its template's dispatch: under each of its key's values, or
 * with the plain memories every fact is tested against. */
static void dispatch_add(engine *e, amem *am)
{
    struct tmpl *t = am->t;
    if (am->key_slot < 0) {
        if (t->nplain == t->capplain) {
            t->capplain = t->capplain ? t->capplain * 2 : 8;
            t->plain = e_realloc(e, t->plain, t->capplain * sizeof *t->plain);
        }
        t->plain[t->nplain++] = am;
        return;
    }
    dispatch *d = t->dispatch, **pp = &t->dispatch;
    for (; d && d->slot != am->key_slot; d = d->next)
        pp = &d->next;
    if (!d) {
        d = arena_alloc(e->perm, sizeof *d);
        d->slot = am->key_slot;
        *pp = d;
    }
    for (uint32_t i = 0; i < am->nkeyv; i++)
        dispatch_add_one(e, am, d, am->keyv[i]);
}

static void remove_am(amem **v, uint32_t *n, const amem *am)
{
    for (uint32_t i = 0; i < *n; i++)
        if (v[i] == am) {
            memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
            (*n)--;
            return;
        }
}

static void dispatch_remove(engine *e, amem *am)
{
    (void)e;
    struct tmpl *t = am->t;
    if (am->key_slot < 0) {
        remove_am(t->plain, &t->nplain, am);
        return;
    }
    dispatch *d = t->dispatch;
    while (d && d->slot != am->key_slot)
        d = d->next;
    for (uint32_t i = 0; d && i < am->nkeyv; i++) {
        dnode *x = dispatch_find(d, am->keyv[i], value_hash(am->keyv[i]));
        if (x)
            remove_am(x->ams, &x->n, am);
    }
}

amem *amem_get(engine *e, struct tmpl *t, int32_t key_slot, const value *keyv, uint32_t nkeyv,
               cexpr *test, bool tests_cf, const int32_t *hash_slots, uint32_t nhash)
{
    scratch_reset(e);
    scratch_printf(e, "%u|%d|", t->id, key_slot);
    for (uint32_t i = 0; key_slot >= 0 && i < nkeyv; i++) {
        char buf[128];
        value_format(buf, sizeof buf, keyv[i]);
        scratch_printf(e, "%d:%s|", (int)keyv[i].type, buf);
    }
    scratch_printf(e, "%d|", tests_cf);
    for (uint32_t i = 0; i < nhash; i++)
        scratch_printf(e, "%d,", hash_slots[i]);
    scratch_add(e, "|", 1);
    if (test)
        cx_key(e, test);
    uint32_t h = str_hash(e->scratch);
    if (!e->amsig) {
        e->amsig_mask = 255;
        e->amsig = e_calloc(e, 256, sizeof *e->amsig);
    }
    for (amem *am = e->amsig[h & e->amsig_mask]; am; am = am->signext)
        if (am->sighash == h && strcmp(am->sig, e->scratch) == 0) {
            am->refs++;
            return am;
        }
    if (e->namems > e->amsig_mask) {
        uint32_t nmask = e->amsig_mask * 2 + 1;
        amem **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
        for (uint32_t i = 0; i <= e->amsig_mask; i++)
            for (amem *a = e->amsig[i], *next; a; a = next) {
                next = a->signext;
                a->signext = nb[a->sighash & nmask];
                nb[a->sighash & nmask] = a;
            }
        e_free(e, e->amsig);
        e->amsig = nb;
        e->amsig_mask = nmask;
    }
    amem *am = arena_alloc(e->perm, sizeof *am);
    am->t = t;
    am->key_slot = key_slot;
    am->nkeyv = key_slot >= 0 ? nkeyv : 0;
    am->keyv = arena_alloc(e->perm, (am->nkeyv + 1) * sizeof *am->keyv);
    memcpy(am->keyv, keyv, am->nkeyv * sizeof *keyv);
    am->test = test;
    am->tests_cf = tests_cf;
    am->nhash = nhash;
    am->hash_slots = arena_alloc(e->perm, (nhash + 1) * sizeof *am->hash_slots);
    memcpy(am->hash_slots, hash_slots, nhash * sizeof *hash_slots);
    am->sig = arena_strndup(e->perm, e->scratch, e->scratch_len);
    am->sighash = h;
    am->refs = 1;
    am->signext = e->amsig[h & e->amsig_mask];
    e->amsig[h & e->amsig_mask] = am;
    e->namems++;
    dispatch_add(e, am);
    /* facts already there */
    for (struct fact *f = t->first; f; f = f->tnext)
        if (amem_accepts(e, am, f))
            amem_add(e, am, f);
    return am;
}

static void amem_release(engine *e, amem *am)
{
    if (--am->refs > 0)
        return;
    while (am->idx.n) {
        for (uint32_t i = 0; i <= am->idx.mask; i++)
            while (am->idx.b[i]) {
                aentry *a = am->idx.b[i];
                am->idx.b[i] = a->bnext;
                am->idx.n--;
                entry_free(e, a->f, a);
            }
    }
    e_free(e, am->idx.b);
    am->idx.b = NULL;
    e_free(e, am->succ);
    am->succ = NULL;
    dispatch_remove(e, am);
    amem **pp = &e->amsig[am->sighash & e->amsig_mask];
    while (*pp != am)
        pp = &(*pp)->signext;
    *pp = am->signext;
    e->namems--;
}

/* A new kid goes first: a fact or token reaches the rule added last first,
 * so with the depth strategy the rule added first fires first among
 * activations made at once. */
static void add_kid(engine *e, node ***v, uint32_t *n, uint32_t *cap, node *k)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        *v = e_realloc(e, *v, *cap * sizeof **v);
    }
    memmove(*v + 1, *v, *n * sizeof **v);
    (*v)[0] = k;
    (*n)++;
}

static void remove_kid(node **v, uint32_t *n, node *k)
{
    for (uint32_t i = 0; i < *n; i++)
        if (v[i] == k) {
            memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
            (*n)--;
            return;
        }
}

/* Bring a new node N up to date with what its parent already produces. */
static void update_from_above(engine *e, node *n)
{
    node *p = n->parent;
    if (!p) {
        left_activate(e, n, NULL, NULL);
        return;
    }
    if (!p->mem.b)
        return;
    for (uint32_t i = 0; i <= p->mem.mask; i++) {
        for (token *t = p->mem.b[i], *next; t; t = next) {
            next = t->bnext;
            if (t->dead)
                continue;
            switch (p->kind) {
            case N_JOIN:
                for (aentry *a = am_bucket(p->am, t->hash), *an; a; a = an) {
                    an = a->bnext;
                    if (a->hash == t->hash && joins(e, p, t, a->f))
                        left_activate(e, n, t, a->f);
                }
                break;
            case N_NEG:
                if (t->count == 0)
                    left_activate(e, n, t, NULL);
                break;
            case N_EXISTS:
                if (t->count > 0)
                    left_activate(e, n, t, NULL);
                break;
            case N_NCC:
                if ((t->count > 0) == p->exists)
                    left_activate(e, n, t, NULL);
                break;
            case N_TEST: {
                ectx c = {.e = e, .tok = t};
                if (cx_truth(cx_eval(&c, p->test)) && !c.failed)
                    left_activate(e, n, t, NULL);
                break;
            }
            default: break;
            }
        }
    }
}

static node *node_new(engine *e, node *parent, nkind kind, uint32_t level)
{
    node *n = arena_alloc(e->perm, sizeof *n);
    n->kind = kind;
    n->level = level;
    n->parent = parent;
    n->refs = 1;
    e->nnodes++;
    return n;
}

static void attach(engine *e, node *n)
{
    if (n->parent)
        add_kid(e, &n->parent->kids, &n->parent->nkids, &n->parent->capkids, n);
    else
        add_kid(e, &e->roots, &e->nroots, &e->caproots, n);
    if (!n->parent && n->kind != N_JOIN)
        add_kid(e, &e->special_roots, &e->nspecial, &e->capspecial, n);
    if (n->am) {
        amem *am = n->am;
        if (am->nsucc == am->capsucc) {
            am->capsucc = am->capsucc ? am->capsucc * 2 : 4;
            am->succ = e_realloc(e, am->succ, am->capsucc * sizeof *am->succ);
        }
        uint32_t i = am->nsucc;
        while (i > 0 && am->succ[i - 1]->level <= n->level) {
            am->succ[i] = am->succ[i - 1];
            i--;
        }
        am->succ[i] = n;
        am->nsucc++;
    }
}

node *node_get(engine *e, node *parent, nkind kind, uint32_t level, amem *am, const jkey *keys,
               uint32_t nkeys, cexpr *test, bool exists)
{
    scratch_reset(e);
    scratch_printf(e, "%d|%u|%p|%d|", (int)kind, level, (void *)am, exists);
    for (uint32_t i = 0; i < nkeys; i++)
        scratch_printf(e, "%d=%u.%d,", keys[i].rslot, keys[i].level, keys[i].lslot);
    scratch_add(e, "|", 1);
    if (test)
        cx_key(e, test);
    node **kids = parent ? parent->kids : e->roots;
    uint32_t nk = parent ? parent->nkids : e->nroots;
    if (kind != N_NCC)
        for (uint32_t i = 0; i < nk; i++)
            if (kids[i]->sig && strcmp(kids[i]->sig, e->scratch) == 0) {
                kids[i]->refs++;
                if (am)
                    am->refs--; /* the caller's reference is the node's */
                return kids[i];
            }
    node *n = node_new(e, parent, kind, level);
    n->sig = arena_strndup(e->perm, e->scratch, e->scratch_len);
    n->am = am;
    n->nkeys = nkeys;
    if (nkeys) {
        n->keys = arena_alloc(e->perm, nkeys * sizeof *keys);
        memcpy(n->keys, keys, nkeys * sizeof *keys);
    }
    n->test = test;
    n->exists = exists;
    if (hashed(n)) {
        n->mem.mask = 15;
        n->mem.b = e_calloc(e, 16, sizeof *n->mem.b);
    }
    if (kind == N_NCC)
        return n; /* attached by node_partner's caller once the partner exists */
    attach(e, n);
    update_from_above(e, n);
    return n;
}

node *node_partner(engine *e, node *branch_end, node *ncc, uint32_t level)
{
    node *p = node_new(e, branch_end, N_PARTNER, level);
    p->partner = ncc;
    ncc->partner = p;
    p->mem.mask = 15;
    p->mem.b = e_calloc(e, 16, sizeof *p->mem.b);
    attach(e, p);
    update_from_above(e, p);
    attach(e, ncc);
    update_from_above(e, ncc);
    return p;
}

node *node_term(engine *e, node *parent, uint32_t level, struct prod *pr)
{
    node *n = node_new(e, parent, N_TERM, level);
    n->prod = pr;
    attach(e, n);
    update_from_above(e, n);
    return n;
}

static void drop_tokens(engine *e, node *n)
{
    if (!n->mem.b)
        return;
    for (uint32_t i = 0; i <= n->mem.mask; i++)
        while (n->mem.b[i])
            token_delete(e, n->mem.b[i]);
}

/* One rule less uses N: when none does, its tokens go and it leaves the
 * network; then its parent, and so on up. */
static void release_upto(engine *e, node *n, node *stop);

void node_release(engine *e, node *n)
{
    release_upto(e, n, NULL);
}

static void release_upto(engine *e, node *n, node *stop)
{
    while (n && n != stop) {
        node *parent = n->parent;
        if (--n->refs > 0) {
            n = parent;
            continue;
        }
        drop_tokens(e, n);
        if (parent)
            remove_kid(parent->kids, &parent->nkids, n);
        else
            remove_kid(e->roots, &e->nroots, n);
        if (!parent && n->kind != N_JOIN)
            remove_kid(e->special_roots, &e->nspecial, n);
        if (n->am) {
            remove_kid(n->am->succ, &n->am->nsucc, n);
            amem_release(e, n->am);
        }
        if (n->kind == N_NCC && n->partner) {
            node *p = n->partner;
            n->partner = NULL;
            p->partner = NULL;
            release_upto(e, p, parent);
        }
        e_free(e, n->mem.b);
        n->mem.b = NULL;
        e_free(e, n->kids);
        n->kids = NULL;
        e->nnodes--;
        n = parent;
    }
}

/* Free every token of every node (engine teardown). */
static void free_node_tokens(engine *e, node *n)
{
    for (uint32_t i = 0; i < n->nkids; i++)
        free_node_tokens(e, n->kids[i]);
    if (n->mem.b) {
        for (uint32_t i = 0; i <= n->mem.mask; i++)
            for (token *t = n->mem.b[i], *next; t; t = next) {
                next = t->bnext;
                e_free(e, t);
            }
        e_free(e, n->mem.b);
        n->mem.b = NULL;
    }
    e_free(e, n->kids);
    n->kids = NULL;
    n->nkids = 0;
}

void tokens_free_all(engine *e)
{
    for (uint32_t i = 0; i < e->nroots; i++)
        free_node_tokens(e, e->roots[i]);
    e_free(e, e->roots);
    e->roots = NULL;
    e->nroots = 0;
    e_free(e, e->special_roots);
    e->special_roots = NULL;
    e->nspecial = 0;
    e_free(e, e->busy);
    e->busy = NULL;
    e->nbusy = 0;
    rete_free_dead(e);
    while (e->free_tokens) {
        token *t = e->free_tokens;
        e->free_tokens = t->dnext;
        e_free(e, t);
    }
    while (e->free_entries) {
        aentry *a = e->free_entries;
        e->free_entries = a->fnext;
        e_free(e, a);
    }
}

/* ---- emptying working memory at once ------------------------------------- */

/* Every token goes back to the free list and every node memory is empty:
 * walking the token trees down from the root tokens reaches them all.
 * Each token clears its own bucket's head, so no empty bucket is visited. */
static void clear_tree(engine *e, token *t)
{
    while (t) {
        token *next = t->snext;
        clear_tree(e, t->kids);
        node *n = t->owner;
        n->mem.b[t->hash & n->mem.mask] = NULL;
        n->mem.n = 0;
        n->ntokens = 0;
        t->dnext = e->free_tokens;
        e->free_tokens = t;
        e->ntokens--;
        t = next;
    }
}

void rete_clear(engine *e)
{
    rete_free_dead(e);
    /* only the top joins whose root token has kids: no walk over them all */
    for (uint32_t i = 0; i < e->nbusy; i++) {
        token *t = e->busy[i];
        clear_tree(e, t->kids);
        t->kids = NULL;
        t->listed = false;
    }
    e->nbusy = 0;
    for (struct fact *f = e->all_first; f; f = f->gnext) {
        while (f->entries) {
            aentry *a = f->entries;
            amem *am = a->am;
            am->idx.b[a->hash & am->idx.mask] = NULL;
            am->idx.n = 0;
            f->entries = a->fnext;
            a->fnext = e->free_entries;
            e->free_entries = a;
        }
        f->tokens = NULL;
    }
    /* A join at the top keeps its root token, which has no state. Any
     * other root node (a `not`, `exists`, group or test first) starts
     * again: in an empty working memory a `not` holds. */
    for (uint32_t i = 0; i < e->nspecial; i++) {
        node *n = e->special_roots[i];
        for (uint32_t k = 0; n->mem.b && k <= n->mem.mask; k++) {
            for (token *t = n->mem.b[k], *next; t; t = next) {
                next = t->bnext;
                clear_tree(e, t->kids);
                t->dnext = e->free_tokens;
                e->free_tokens = t;
                e->ntokens--;
            }
            n->mem.b[k] = NULL;
        }
        n->mem.n = 0;
        n->ntokens = 0;
    }
    for (uint32_t i = 0; i < e->nspecial; i++)
        left_activate(e, e->special_roots[i], NULL, NULL);
}
