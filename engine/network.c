/* network.c — building and releasing the network: alpha memories and
 * their dispatch, beta nodes shared by key, a new node brought up to date
 * from its parent, a rule's nodes released when it is removed, and every
 * token freed when the engine goes. See network.h.
 */
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "alloc.h"
#include "eval.h"
#include "internal.h"
#include "jtest.h"
#include "netkey.h"
#include "network.h"
#include "rete.h"
#include "verify.h"
/* ---- building ------------------------------------------------------------ */

/* ---- structural keys ------------------------------------------------------ */

static bool node_shared(const node *n)
{
    return n->kind == N_JOIN || n->kind == N_NEG || n->kind == N_EXISTS || n->kind == N_TEST;
}

static void nodesig_add(engine *e, node *n)
{
    if (!e->nodesig) {
        e->nodesig_mask = 255;
        e->nodesig = e_calloc(e, 256, sizeof *e->nodesig);
    } else if (e->nnodesig > e->nodesig_mask) {
        uint32_t nmask = e->nodesig_mask * 2 + 1;
        node **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
        for (uint32_t i = 0; i <= e->nodesig_mask; i++)
            for (node *x = e->nodesig[i], *next; x; x = next) {
                next = x->signext;
                x->signext = nb[x->sighash & nmask];
                nb[x->sighash & nmask] = x;
            }
        e_free(e, e->nodesig);
        e->nodesig = nb;
        e->nodesig_mask = nmask;
    }
    n->signext = e->nodesig[n->sighash & e->nodesig_mask];
    e->nodesig[n->sighash & e->nodesig_mask] = n;
    e->nnodesig++;
}

static void nodesig_remove(engine *e, node *n)
{
    node **pp = &e->nodesig[n->sighash & e->nodesig_mask];
    while (*pp != n)
        pp = &(*pp)->signext;
    *pp = n->signext;
    e->nnodesig--;
}

static void amvec_add(engine *e, amem ***v, uint32_t *n, uint32_t *cap, amem *am)
{
    for (uint32_t i = 0; i < *n; i++)
        if ((*v)[i] == am)
            return; /* two choices equal as values (1 | 1.0) reach one node */
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 2;
        *v = e_realloc(e, *v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = am;
}

static void amvec_remove(amem **v, uint32_t *n, const amem *am)
{
    for (uint32_t i = 0; i < *n; i++)
        if (v[i] == am) {
            memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
            (*n)--;
            return;
        }
}

static void dnode_add(engine *e, dnode *x, amem *am)
{
    if (x->cap == 0 && x->n == 0) {
        x->ams.one = am;
        x->n = 1;
        return;
    }
    if (x->cap == 0) {
        if (x->ams.one == am)
            return;
        amem *first = x->ams.one;
        x->ams.many = NULL;
        x->n = 0;
        amvec_add(e, &x->ams.many, &x->n, &x->cap, first);
    }
    amvec_add(e, &x->ams.many, &x->n, &x->cap, am);
}

static void dnode_remove(dnode *x, const amem *am)
{
    if (x->cap == 0) {
        if (x->n == 1 && x->ams.one == am)
            x->n = 0;
        return;
    }
    amvec_remove(x->ams.many, &x->n, am);
}

/* The branch on SLOT among *BR (made when MAKE). */
static dispatch *branch_get(engine *e, dispatch **br, int32_t slot, bool make)
{
    dispatch *d = *br;
    for (; d && d->slot != slot; d = d->next)
        br = &d->next;
    if (!d && make) {
        d = arena_alloc(e->perm, sizeof *d);
        d->slot = slot;
        *br = d;
    }
    return d;
}

/* The node under V in branch D (made when MAKE). */
static dnode *child_get(engine *e, dispatch *d, value v, bool make)
{
    uint32_t h = value_hash(v);
    dnode *x = dispatch_find(d, v, h);
    if (x || !make)
        return x;
    if (!d->idx.b) {
        /* most branches deep in the tree hold a value or two */
        d->idx.mask = 1;
        d->idx.b = e_calloc(e, 2, sizeof *d->idx.b);
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
    return x;
}

/* AM goes into (ADD) or out of its template's discrimination tree below
 * node X (NULL: the root) whose branches are *BR, from its I-th constant
 * equality on (EQ: sorted by slot). */
static void tree_place(engine *e, amem *am, const aeq *eq, uint32_t i, dispatch **br, dnode *at,
                       bool add)
{
    if (i == am->neq) {
        struct tmpl *t = am->t;
        if (at && add)
            dnode_add(e, at, am);
        else if (at)
            dnode_remove(at, am);
        else if (add)
            amvec_add(e, &t->plain, &t->nplain, &t->capplain, am);
        else
            amvec_remove(t->plain, &t->nplain, am);
        return;
    }
    dispatch *d = branch_get(e, br, eq[i].slot, add);
    const value *vals = aeq_values(&eq[i]);
    for (uint32_t k = 0; d && k < eq[i].nv; k++) {
        dnode *x = child_get(e, d, vals[k], add);
        if (x)
            tree_place(e, am, eq, i + 1, &x->sub, x, add);
    }
}

static int eq_by_slot(const void *a, const void *b)
{
    const aeq *x = a, *y = b;
    return (x->slot > y->slot) - (x->slot < y->slot);
}

static void dispatch_place(engine *e, amem *am, bool add)
{
    struct tmpl *t = am->t;
    aeq sorted[am->neq + 1];
    if (am->neq > 0) {
        memcpy(sorted, am->eq, am->neq * sizeof *sorted);
        qsort(sorted, am->neq, sizeof *sorted, eq_by_slot);
    }
    if (add && am->key_slot >= 0) {
        if (!t->key_rank) {
            t->key_rank = e_alloc(e, (t->nslots + 1) * sizeof *t->key_rank);
            for (uint32_t i = 0; i <= t->nslots; i++)
                t->key_rank[i] = UINT32_MAX;
        }
        if (t->key_rank[am->key_slot] == UINT32_MAX)
            t->key_rank[am->key_slot] = t->nkeyed++;
    }
    tree_place(e, am, sorted, 0, &t->dispatch, NULL, add);
}

static void dispatch_free(engine *e, dispatch *d)
{
    for (; d; d = d->next) {
        for (uint32_t i = 0; d->idx.b && i <= d->idx.mask; i++)
            for (dnode *x = d->idx.b[i]; x; x = x->next) {
                if (x->cap)
                    e_free(e, x->ams.many);
                dispatch_free(e, x->sub);
            }
        e_free(e, d->idx.b);
    }
}

void network_free_alpha(engine *e, struct tmpl *t)
{
    dispatch_free(e, t->dispatch);
    t->dispatch = NULL;
    e_free(e, t->plain);
    t->plain = NULL;
    t->nplain = t->capplain = 0;
    e_free(e, t->key_rank);
    t->key_rank = NULL;
}

amem *amem_get(engine *e, struct tmpl *t, const aeq *eq, uint32_t neq, cexpr *test, bool tests_cf,
               const int32_t *hash_slots, uint32_t nhash)
{
    int32_t key_slot = neq ? eq[0].slot : -1;
    uint32_t h = amem_key_hash(t, eq, neq, key_slot, test, tests_cf, hash_slots, nhash);
    if (!e->amsig) {
        e->amsig_mask = 255;
        e->amsig = e_calloc(e, 256, sizeof *e->amsig);
    }
    for (amem *am = e->amsig[h & e->amsig_mask]; am; am = am->signext)
        if (am->sighash == h &&
            amem_key_same(am, t, eq, neq, key_slot, test, tests_cf, hash_slots, nhash)) {
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
    am->neq = neq;
    am->eq = neq ? arena_alloc(e->perm, neq * sizeof *am->eq) : NULL;
    for (uint32_t i = 0; i < neq; i++) {
        am->eq[i] = eq[i];
        if (eq[i].nv > 1) {
            am->eq[i].u.many = arena_alloc(e->perm, eq[i].nv * sizeof *eq[i].u.many);
            memcpy(am->eq[i].u.many, eq[i].u.many, eq[i].nv * sizeof *eq[i].u.many);
        }
    }
    am->key_slot = key_slot;
    am->seq = e->amem_seq++;
    am->test = test;
    am->tests_cf = tests_cf;
    am->nhash = nhash;
    am->hash_slots = arena_alloc(e->perm, (nhash + 1) * sizeof *am->hash_slots);
    memcpy(am->hash_slots, hash_slots, nhash * sizeof *hash_slots);
    am->sighash = h;
    am->refs = 1;
    am->signext = e->amsig[h & e->amsig_mask];
    e->amsig[h & e->amsig_mask] = am;
    e->namems++;
    dispatch_place(e, am, true);
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
    dispatch_place(e, am, false);
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
        *cap = *cap ? *cap * 2 : 1;
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
        /* a join at the top has no memory: it joins the top token */
        if (n->kind != N_JOIN)
            left_activate(e, n, NULL, NULL);
        return;
    }
    if (!p->parent && p->kind == N_JOIN) {
        bucketed *m = &p->am->idx;
        for (uint32_t i = 0; m->b && i <= m->mask; i++)
            for (aentry *a = m->b[i], *an; a; a = an) {
                an = a->bnext;
                if (node_joins(e, p, &e->top, a->f))
                    left_activate(e, n, &e->top, a->f);
            }
        return;
    }
    if (!p->mem.b)
        return;
    for (uint32_t i = 0; i <= p->mem.mask; i++) {
        for (token *t = p->mem.b[i].head, *next; t; t = next) {
            next = t->bnext;
            if (t->dead)
                continue;
            switch (p->kind) {
            case N_JOIN:
                for (aentry *a = am_bucket(p->am, t->hash), *an; a; a = an) {
                    an = a->bnext;
                    if (a->hash == t->hash && node_joins(e, p, t, a->f))
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
            case N_AGG:
                if (agg_result(t))
                    left_activate(e, n, t, agg_result(t));
                break;
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
    if (n->parent) {
        add_kid(e, &n->parent->kids, &n->parent->nkids, &n->parent->capkids, n);
    } else {
        /* the roots' order means nothing (each is activated once, when
         * made): appended, so that a network of N rules is built in O(N) */
        if (e->nroots == e->caproots) {
            uint32_t cap = e->caproots ? e->caproots * 2 : 64;
            e->roots = e_realloc(e, e->roots, cap * sizeof *e->roots);
            e->caproots = cap;
        }
        e->roots[e->nroots++] = n;
    }
    if (!n->parent && n->kind != N_JOIN)
        add_kid(e, &e->special_roots, &e->nspecial, &e->capspecial, n);
    if (n->am) {
        amem *am = n->am;
        if (am->nsucc == am->capsucc) {
            uint32_t cap = am->capsucc ? am->capsucc * 2 : 1;
            am->succ = e_realloc(e, am->succ, cap * sizeof *am->succ);
            am->capsucc = cap;
        }
        /* appended; rete.c puts them in order of level before the
         * memory is next used, in one pass however many were added */
        uint32_t i = am->nsucc;
        am->succ_unsorted = true;
        am->succ[i] = n;
        am->nsucc++;
    }
}

node *node_get(engine *e, node *parent, nkind kind, uint32_t level, amem *am, const jkey *keys,
               uint32_t nkeys, cexpr *test, bool exists)
{
    uint32_t h = node_key_hash(parent, kind, level, am, keys, nkeys, test, exists);
    if (kind != N_NCC && e->nodesig)
        for (node *x = e->nodesig[h & e->nodesig_mask]; x; x = x->signext)
            if (x->sighash == h &&
                node_key_same(x, parent, kind, level, am, keys, nkeys, test, exists)) {
                x->refs++;
                if (am)
                    am->refs--; /* the caller's reference is the node's */
                return x;
            }
    /* a join at the top joins the top token: nothing to key on */
    SN_ASSERT(parent || kind != N_JOIN || (nkeys == 0 && level == 0));
    node *n = node_new(e, parent, kind, level);
    n->sighash = h;
    n->am = am;
    n->nkeys = nkeys;
    if (nkeys) {
        n->keys = arena_alloc(e->perm, nkeys * sizeof *keys);
        memcpy(n->keys, keys, nkeys * sizeof *keys);
    }
    n->test = test;
    n->jt = jtest_compile(e, test, &n->njt);
    n->exists = exists;
    if (node_hashed(n)) {
        n->mem.mask = 15;
        n->mem.b = e_calloc(e, 16, sizeof *n->mem.b);
    }
    if (kind == N_NCC)
        return n; /* attached by node_partner's caller once the partner exists */
    nodesig_add(e, n);
    attach(e, n);
    update_from_above(e, n);
    return n;
}

/* Aggregate nodes are never shared (their key would have to compare what
 * they compute); one over a group is attached by node_agg_attach once its
 * partners are there. */
node *node_agg(engine *e, node *parent, uint32_t level, amem *am, const jkey *keys,
               uint32_t nkeys, cexpr *test, struct agg_node *g)
{
    node *n = node_new(e, parent, N_AGG, level);
    n->am = am;
    n->agg = g;
    n->nkeys = nkeys;
    if (nkeys) {
        n->keys = arena_alloc(e->perm, nkeys * sizeof *keys);
        memcpy(n->keys, keys, nkeys * sizeof *keys);
    }
    n->test = test;
    n->jt = jtest_compile(e, test, &n->njt);
    n->mem.mask = 15;
    n->mem.b = e_calloc(e, 16, sizeof *n->mem.b);
    if (!am)
        return n;
    attach(e, n);
    update_from_above(e, n);
    return n;
}

void node_agg_partner(engine *e, node *branch_end, node *agg, uint32_t level, cexpr *read)
{
    node *p = node_new(e, branch_end, N_PARTNER, level);
    p->partner = agg;
    p->test = read;
    p->mem.mask = 15;
    p->mem.b = e_calloc(e, 16, sizeof *p->mem.b);
    agg->agg->partners[agg->agg->npartners++] = p;
    attach(e, p);
    update_from_above(e, p);
}

void node_agg_attach(engine *e, node *agg)
{
    agg->partner = agg->agg->partners[0];
    attach(e, agg);
    update_from_above(e, agg);
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
        while (n->mem.b[i].head)
            token_delete(e, n->mem.b[i].head);
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
        if (node_shared(n))
            nodesig_remove(e, n);
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
        if (n->kind == N_AGG && n->partner) {
            n->partner = NULL;
            for (uint32_t k = 0; k < n->agg->npartners; k++) {
                n->agg->partners[k]->partner = NULL;
                release_upto(e, n->agg->partners[k], parent);
            }
        }
        if (n->kind == N_NCC && n->partner) {
            node *p = n->partner;
            n->partner = NULL;
            p->partner = NULL;
            release_upto(e, p, parent);
        }
        agg_node_fini(e, n);
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
        /* the tokens themselves go with their pool */
        for (uint32_t i = 0; n->kind == N_AGG && i <= n->mem.mask; i++)
            for (token *t = n->mem.b[i].head; t; t = t->bnext)
                agg_drop(e, n, t);
        e_free(e, n->mem.b);
        n->mem.b = NULL;
    }
    agg_node_fini(e, n);
    e_free(e, n->kids);
    n->kids = NULL;
    n->nkids = 0;
}

void tokens_free_all(engine *e)
{
    for (uint32_t i = 0; i < e->nroots; i++)
        free_node_tokens(e, e->roots[i]);
    e_free(e, e->nodesig);
    e->nodesig = NULL;
    e->nnodesig = 0;
    e_free(e, e->roots);
    e->roots = NULL;
    e->nroots = 0;
    e_free(e, e->special_roots);
    e->special_roots = NULL;
    e->nspecial = 0;
    e_free(e, e->tstack);
    e->tstack = e->tdead = NULL;
    e->nfree = e->capstack = e->tmade = 0;
    e->free_entries = NULL;
    pool_fini(e, &e->token_pool);
    pool_fini(e, &e->entry_pool);
}


/* ---- reading the network ------------------------------------------------- */

uint32_t network_nroots(const engine *e) { return e->nroots; }
const node *network_root(const engine *e, uint32_t i) { return e->roots[i]; }
nkind node_kind_of(const node *n) { return n->kind; }
const node *node_parent_of(const node *n) { return n->parent; }
uint32_t node_nkids_of(const node *n) { return n->nkids; }
const node *node_kid_of(const node *n, uint32_t i) { return n->kids[i]; }
const node *node_partner_of(const node *n) { return n->partner; }
bool node_is_exists(const node *n) { return n->kind == N_NCC && n->exists; }
uint32_t node_entries(const node *n) { return n->ntokens; }
const amem *node_alpha(const node *n) { return n->am; }
uint32_t node_nkeys_of(const node *n) { return n->nkeys; }
const jkey *node_key(const node *n, uint32_t i) { return &n->keys[i]; }
const struct prod *node_production(const node *n) { return n->prod; }
const struct tmpl *amem_template(const amem *am) { return am->t; }
uint32_t amem_entries(const amem *am) { return am->idx.n; }
uint32_t amem_nconsts(const amem *am) { return am->neq; }
const aeq *amem_const(const amem *am, uint32_t i) { return &am->eq[i]; }
bool amem_has_test(const amem *am) { return am->test != NULL; }
