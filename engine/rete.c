/* rete.c — the network at run time: alpha dispatch, alpha memories, beta
 * nodes, tokens. See internal.h for the shapes and who owns what.
 *
 * Order matters in two places, and both are fixed so runs are
 * reproducible:
 * - an alpha memory's successors are visited deepest first (they are
 *   kept shallowest first and walked from the end), so a fact that
 *   enters a memory feeding two nodes of one rule reaches the lower node
 *   before tokens made from it by the upper node do (no double matches);
 *   among nodes at one level, the one added last comes first;
 * - buckets keep their entries oldest first, and rehashing keeps that
 *   order. With the depth strategy (newest activation first) the match
 *   with the newest facts, made last, fires first.
 */
#include <string.h>

#include "aggregate.h"
#include "alloc.h"
#include "eval.h"
#include "internal.h"
#include "alpha.h"
#include "jtest.h"
#include "keys.h"
#include "rete.h"
#include "verify.h"

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

bool node_hashed(const node *n)
{
    return n->nkeys > 0 || n->kind == N_NCC || n->kind == N_PARTNER || (n->kind == N_AGG && !n->am);
}

/* Buckets keep their entries oldest first. An alpha memory's bucket is its
 * head, which points back to its tail (head->bprev), so appending is O(1);
 * the tail's bnext is NULL. A node's bucket keeps its head and its tail
 * (tbucket): a token comes and goes without a read of its neighbours or
 * of the bucket, which are seldom in the cache. */
static inline void abucket_append(aentry **head, aentry *x)
{
    aentry *h = *head;
    x->bnext = NULL;
    if (!h) {
        *head = x;
        x->bprev = x;
    } else {
        h->bprev->bnext = x;
        x->bprev = h->bprev;
        h->bprev = x;
    }
}

static inline void abucket_unlink(aentry **head, aentry *x)
{
    if (x == *head) {
        *head = x->bnext;
        if (x->bnext)
            x->bnext->bprev = x->bprev;
    } else {
        x->bprev->bnext = x->bnext;
        if (x->bnext)
            x->bnext->bprev = x->bprev;
        else
            (*head)->bprev = x->bprev;
    }
}

static inline void tbucket_append(tbucket *s, token *t)
{
    t->bnext = NULL;
    t->bprev = s->tail;
    if (s->tail)
        s->tail->bnext = t;
    else
        s->head = t;
    s->tail = t;
}

static inline void tbucket_unlink(tbucket *s, token *t)
{
    if (t->bprev)
        t->bprev->bnext = t->bnext;
    else
        s->head = t->bnext;
    if (t->bnext)
        t->bnext->bprev = t->bprev;
    else
        s->tail = t->bprev;
}

static void mem_grow_tokens(engine *e, tokmem *m)
{
    uint32_t nmask = m->mask * 2 + 1;
    tbucket *nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
    for (uint32_t i = 0; i <= m->mask; i++) {
        for (token *t = m->b[i].head, *next; t; t = next) {
            next = t->bnext;
            tbucket_append(&nb[t->hash & nmask], t);
        }
    }
    e_free(e, m->b);
    m->b = nb;
    m->mask = nmask;
}

/* Room in N's memory for one more token, made (at its first) or grown
 * before the token is made: memory that runs out here leaves no token
 * linked to its parent and fact with no memory to be in. */
static void mem_reserve(engine *e, node *n)
{
    tokmem *m = &n->mem;
    if (!m->b)
        m->b = e_calloc(e, 1, sizeof *m->b);
    else if (m->n > m->mask + 1 && m->mask && node_hashed(n))
        mem_grow_tokens(e, m); /* (an unhashed memory keeps its one bucket) */
}

static void mem_insert(node *n, token *t)
{
    tokmem *m = &n->mem;
    tbucket_append(&m->b[t->hash & m->mask], t);
    m->n++;
    n->ntokens++;
}

static void mem_unlink(node *n, token *t)
{
    tokmem *m = &n->mem;
    tbucket_unlink(&m->b[t->hash & m->mask], t);
    m->n--;
    n->ntokens--;
}

static token *mem_bucket(const node *n, uint32_t h)
{
    return n->mem.b ? n->mem.b[h & n->mem.mask].head : NULL;
}

/* A's entry E goes at the end of its bucket: one more run when the
 * bucket's last entry has another hash. */
static inline void am_append(amem *am, void **bucket, aentry *x)
{
    aentry *h = *bucket;
    if (!h || h->bprev->hash != x->hash)
        am->runs++;
    abucket_append((aentry **)bucket, x);
}

static void am_grow(engine *e, amem *am)
{
    bucketed *m = &am->idx;
    uint32_t nmask = m->mask * 2 + 1;
    void **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
    am->runs = 0;
    for (uint32_t i = 0; i <= m->mask; i++) {
        for (aentry *a = m->b[i], *next; a; a = next) {
            next = a->bnext;
            am_append(am, &nb[a->hash & nmask], a);
        }
    }
    e_free(e, m->b);
    m->b = nb;
    m->mask = nmask;
}

aentry *am_bucket(const amem *am, uint32_t h)
{
    return am->idx.b ? am->idx.b[h & am->idx.mask] : NULL;
}

/* ---- tokens ------------------------------------------------------------- */

/* Room in the stack of unused tokens for one more token made: grown
 * before the token exists. */
static void tstack_reserve(engine *e)
{
    if (e->tmade < e->capstack)
        return;
    uint64_t cap = e->capstack ? e->capstack * 2 : 256;
    uint64_t ndead = e->tstack ? (uint64_t)(e->tstack + e->capstack - e->tdead) : 0;
    token **v = e_realloc(e, e->tstack, cap * sizeof *v);
    /* the dead to the new top */
    memmove(v + cap - ndead, v + e->capstack - ndead, ndead * sizeof *v);
    e->tstack = v;
    e->tdead = v + cap - ndead;
    e->capstack = cap;
}

/* Both cache lines of a token (96 bytes at a 32-byte boundary) asked for
 * at once, before it is read or written. */
static inline void prefetch_token(const token *t)
{
    __builtin_prefetch(t, 1);
    __builtin_prefetch((const char *)t + 64, 1);
}

/* A token whose fields are all to be set (left_activate sets each one:
 * cheaper than clearing it first). */
static token *token_new(engine *e)
{
    token *t;
    if (e->nfree) {
        t = e->tstack[--e->nfree];
        /* recycled tokens are cold: fetch one a few turns ahead */
        if (e->nfree > 4)
            prefetch_token(e->tstack[e->nfree - 4]);
    } else {
        tstack_reserve(e);
        t = pool_take(e, &e->token_pool);
        e->tmade++;
    }
    e->ntokens++;
    return t;
}

static void token_free(engine *e, token *t)
{
    e->tstack[e->nfree++] = t;
    e->ntokens--;
}

void rete_free_dead(engine *e)
{
    /* on top of the free, in order of death: the last to die, the
     * warmest, is reused first */
    if (!e->tstack)
        return;
    token **end = e->tstack + e->capstack, **d = e->tdead;
    if (d == end)
        return;
    /* the dead, the first to die at the top, turned over where they are
     * and then moved down onto the free */
    uint64_t ndead = (uint64_t)(end - d);
    for (uint64_t i = 0, j = ndead - 1; i < j; i++, j--) {
        token *t = d[i];
        d[i] = d[j];
        d[j] = t;
    }
    memmove(e->tstack + e->nfree, d, ndead * sizeof *d);
    e->nfree += ndead;
    e->tdead = end;
}

void left_activate(engine *e, node *n, token *parent, struct fact *f);
void token_delete(engine *e, token *t);

__attribute__((always_inline)) static inline void delete_kids(engine *e, token *t)
{
    if (t->owner->kind == N_TERM)
        return;
    while (t->kids) {
        /* the next kid is fetched while this one's subtree goes */
        if (t->kids->snext)
            prefetch_token(t->kids->snext);
        token_delete(e, t->kids);
    }
}

static void propagate(engine *e, node *n, token *t, struct fact *f)
{
    for (uint32_t i = 0; i < n->nkids; i++)
        left_activate(e, n->kids[i], t, f);
}

/* Does token T join with fact F at node N (keys, then the other tests)? */
bool node_joins(engine *e, const node *n, token *t, struct fact *f)
{
    const value *lv[32];
    token_keys(n, t, lv);
    return keys_match(n, lv, f) && join_tests(e, n, t, f);
}

/* The facts of N's alpha memory that join with T, whose key values are LV
 * (inline: it runs once per new partial match of a `not` or `exists`). */
__attribute__((always_inline)) static inline uint32_t count_matches(engine *e, const node *n,
                                                                    token *t, const value *const *lv)
{
    uint32_t c = 0;
    for (aentry *a = am_bucket(n->am, t->hash); a; a = a->bnext)
        if (a->hash == t->hash && keys_match(n, lv, a->f) && join_tests(e, n, t, a->f))
            c++;
    return c;
}

uint32_t node_count_matches(engine *e, const node *n, const token *t)
{
    const value *lv[32];
    token_keys(n, t, lv);
    return count_matches(e, n, (token *)t, lv); /* read only */
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
        if (ncc->kind == N_AGG) {
            if (added)
                agg_add(e, ncc, o, NULL, r);
            if (added || agg_remove(e, ncc, o, r))
                agg_settle(e, ncc, o);
        } else if (added) {
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

void left_activate(engine *e, node *n, token *parent, struct fact *f)
{
    mem_reserve(e, n);
    token *t = token_new(e);
    t->parent = parent;
    t->f = f;
    t->owner = n;
    t->level = n->level;
    /* the key values, read once for the hash and every join below */
    const value *lv[32];
    switch (n->kind) {
    case N_NCC: t->hash = ptr_hash(parent, f); break;
    case N_AGG: t->hash = n->am ? (n->nkeys ? token_key_hash(n, t) : 0) : ptr_hash(parent, f); break;
    case N_PARTNER: {
        token *a = result_anchor(n, t);
        t->hash = a ? ptr_hash(a->parent, a->f) : 0;
        break;
    }
    default:
        token_keys(n, t, lv);
        t->hash = keys_hash(n, lv);
        break;
    }
    /* its bucket is fetched while the token is linked to its parent and fact */
    __builtin_prefetch(&n->mem.b[t->hash & n->mem.mask], 1);
    t->dead = false;
    t->snext = t->sprev = NULL;
    t->fnext = t->fprev = NULL;
    /* the union: kids and count (or acc), or act and sup */
    t->kids = NULL;
    t->acc = NULL;
    if (parent) {
        t->snext = parent->kids;
        if (parent->kids)
            parent->kids->sprev = t;
        parent->kids = t;
    }
    if (f) {
        t->fnext = f->tokens;
        if (f->tokens)
            f->tokens->fprev = t;
        f->tokens = t;
    }
    mem_insert(n, t);

    switch (n->kind) {
    case N_JOIN:
        for (aentry *a = am_bucket(n->am, t->hash), *next; a; a = next) {
            next = a->bnext;
            if (a->hash == t->hash && keys_match(n, lv, a->f) &&
                join_tests(e, n, t, a->f))
                propagate(e, n, t, a->f);
            if (t->dead)
                return;
        }
        break;
    case N_NEG:
        t->count = count_matches(e, n, t, lv);
        if (t->count == 0)
            propagate(e, n, t, NULL);
        break;
    case N_EXISTS:
        t->count = count_matches(e, n, t, lv);
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
    case N_AGG:
        /* the matches already there, then the result once */
        agg_begin(e, n, t);
        if (n->am) {
            for (aentry *a = am_bucket(n->am, t->hash); a; a = a->bnext)
                if (a->hash == t->hash && node_joins(e, n, t, a->f))
                    agg_add(e, n, t, a->f, NULL);
        } else {
            for (uint32_t k = 0; k < n->agg->npartners; k++) {
                node *p = n->agg->partners[k];
                for (token *r = mem_bucket(p, t->hash); r; r = r->bnext)
                    if (!r->dead && same_anchor(result_anchor(p, r), t))
                        agg_add(e, n, t, NULL, r);
            }
        }
        agg_settle(e, n, t);
        break;
    }
}

void token_delete(engine *e, token *t)
{
    if (t->dead)
        return;
    t->dead = true;
    delete_kids(e, t);
    node *n = t->owner;
    if (n->kind == N_TERM) {
        rete_unmatched(e, t);
    } else if (n->kind == N_PARTNER) {
        partner_changed(e, n, t, false);
    } else if (n->kind == N_AGG) {
        agg_end(e, n, t);
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
    /* unused once the operation ends; bnext stays: a loop may step on */
    *--e->tdead = t;
}

/* ---- alpha memories ------------------------------------------------------ */

static void right_activate(engine *e, node *n, aentry *a)
{
    struct fact *f = a->f;
    if (!n->parent && n->kind == N_JOIN) {
        if (join_tests(e, n, &e->top, f))
            propagate(e, n, &e->top, f);
        return;
    }
    for (token *t = mem_bucket(n, a->hash), *next; t; t = next) {
        next = t->bnext;
        if (t->dead || t->hash != a->hash || !node_joins(e, n, t, f))
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
        case N_AGG:
            agg_add(e, n, t, f, NULL);
            agg_settle(e, n, t);
            break;
        default: break;
        }
        if (!f->live)
            return;
    }
}

static void right_deactivate(engine *e, node *n, aentry *a)
{
    if (n->kind == N_AGG) {
        agg_leave(e, n, a);
        return;
    }
    for (token *t = mem_bucket(n, a->hash), *next; t; t = next) {
        next = t->bnext;
        if (t->dead || t->hash != a->hash || t->count == 0 || !node_joins(e, n, t, a->f))
            continue;
        if (--t->count == 0) {
            if (n->kind == N_NEG)
                propagate(e, n, t, NULL);
            else
                delete_kids(e, t);
        }
    }
}

/* Put AM's successors in order of level, keeping the order of those at
 * one level (a counting sort: linear in successors and levels). */
static void succ_order(engine *e, amem *am)
{
    am->succ_unsorted = false;
    uint32_t top = 0;
    for (uint32_t i = 0; i < am->nsucc; i++)
        if (am->succ[i]->level > top)
            top = am->succ[i]->level;
    uint32_t *at = e_calloc(e, (size_t)top + 2, sizeof *at);
    node **out = e_alloc(e, am->nsucc * sizeof *out);
    for (uint32_t i = 0; i < am->nsucc; i++)
        at[am->succ[i]->level + 1]++;
    for (uint32_t l = 1; l <= top + 1; l++)
        at[l] += at[l - 1];
    for (uint32_t i = 0; i < am->nsucc; i++)
        out[at[am->succ[i]->level]++] = am->succ[i];
    memcpy(am->succ, out, am->nsucc * sizeof *out);
    e_free(e, out);
    e_free(e, at);
}

void amem_add(engine *e, amem *am, struct fact *f)
{
    aentry *a = e->free_entries;
    if (a)
        e->free_entries = a->fnext;
    else
        a = pool_take(e, &e->entry_pool);
    a->f = f;
    a->am = am;
    a->hash = fact_key_hash(am, f);
    a->fnext = f->entries;
    f->entries = a;
    bucketed *m = &am->idx;
    if (!m->b)
        m->b = e_calloc(e, 1, sizeof *m->b);
    else if (am->nhash && am->runs > m->mask + 1)
        am_grow(e, am);
    am_append(am, &m->b[a->hash & m->mask], a);
    m->n++;
    if (am->succ_unsorted)
        succ_order(e, am);
    for (uint32_t i = am->nsucc; i > 0 && f->live; i--)
        right_activate(e, am->succ[i - 1], a);
}

/* Take F out of A's memory: the tokens joined with it go, negations it
 * blocked are released. */
static void amem_remove(engine *e, aentry *a)
{
    amem *am = a->am;
    struct fact *f = a->f;
    bucketed *m = &am->idx;
    aentry **bucket = (aentry **)&m->b[a->hash & m->mask];
    /* a run of one goes, and the runs on either side may become one */
    aentry *before = a == *bucket ? NULL : a->bprev, *after = a->bnext;
    if ((!before || before->hash != a->hash) && (!after || after->hash != a->hash))
        am->runs -= before && after && before->hash == after->hash ? 2 : 1;
    abucket_unlink(bucket, a);
    m->n--;
    for (token *t = f->tokens, *next; t; t = next) {
        next = t->fnext;
        node *maker = t->owner->parent;
        if (!t->dead && maker && maker->kind == N_JOIN && maker->am == am)
            token_delete(e, t);
    }
    if (am->succ_unsorted)
        succ_order(e, am);
    for (uint32_t i = am->nsucc; i > 0; i--)
        if (am->succ[i - 1]->kind != N_JOIN)
            right_deactivate(e, am->succ[i - 1], a);
}

void entry_free(engine *e, struct fact *f, aentry *a)
{
    aentry **pp = &f->entries;
    while (*pp != a)
        pp = &(*pp)->fnext;
    *pp = a->fnext;
    a->fnext = e->free_entries;
    e->free_entries = a;
}

void rete_add_fact(engine *e, struct fact *f)
{
    amlist l;
    amlist_init(&l);
    alpha_memberships(e, f, &l);
    for (uint32_t i = 0; i < l.n && f->live; i++)
        amem_add(e, l.v[i], f);
    amlist_fini(e, &l);
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
    amlist l;
    amlist_init(&l);
    alpha_memberships(e, f, &l);
    /* leave the memories it no longer passes */
    for (aentry *a = f->entries, *next; a; a = next) {
        next = a->fnext;
        bool keep = false;
        for (uint32_t i = 0; i < l.n && !keep; i++)
            keep = l.v[i] == a->am;
        if (!keep) {
            amem_remove(e, a);
            entry_free(e, f, a);
        } else {
            agg_reread(e, a);
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
    amlist_fini(e, &l);
}

/* ---- emptying working memory at once ------------------------------------- */

/* Every token goes back to the free list and every node memory is empty:
 * walking the token trees down from the top token and the other roots'
 * tokens reaches them all.
 * Each token clears its own bucket's head, so no empty bucket is visited. */
static void clear_tree(engine *e, token *t)
{
    while (t) {
        token *next = t->snext;
        clear_tree(e, token_kids(t));
        node *n = t->owner;
        if (n->kind == N_AGG)
            agg_drop(e, n, t);
        n->mem.b[t->hash & n->mem.mask] = (tbucket){NULL, NULL};
        n->mem.n = 0;
        n->ntokens = 0;
        token_free(e, t);
        t = next;
    }
}

void rete_clear(engine *e)
{
    rete_free_dead(e);
    /* what the top joins made hangs below the top token: no walk over them */
    clear_tree(e, e->top.kids);
    e->top.kids = NULL;
    for (struct fact *f = e->all_first; f; f = f->gnext) {
        while (f->entries) {
            aentry *a = f->entries;
            amem *am = a->am;
            am->idx.b[a->hash & am->idx.mask] = NULL;
            am->idx.n = 0;
            am->runs = 0;
            f->entries = a->fnext;
            a->fnext = e->free_entries;
            e->free_entries = a;
        }
        f->tokens = NULL;
    }
    /* A join at the top has no memory (it joins the top token). Any
     * other root node (a `not`, `exists`, group or test first) starts
     * again: in an empty working memory a `not` holds. */
    for (uint32_t i = 0; i < e->nspecial; i++) {
        node *n = e->special_roots[i];
        for (uint32_t k = 0; n->mem.b && k <= n->mem.mask; k++) {
            for (token *t = n->mem.b[k].head, *next; t; t = next) {
                next = t->bnext;
                clear_tree(e, token_kids(t));
                if (n->kind == N_AGG)
                    agg_drop(e, n, t);
                token_free(e, t);
            }
            n->mem.b[k] = (tbucket){NULL, NULL};
        }
        n->mem.n = 0;
        n->ntokens = 0;
    }
    for (uint32_t i = 0; i < e->nspecial; i++)
        left_activate(e, e->special_roots[i], NULL, NULL);
}

