/* clone_net.c — the network's part of a clone (clone.c): alpha memories
 * and their dispatch, the beta nodes, the links between them; see
 * clone_net.h.
 *
 * The network's tables of shared nodes and alpha memories are keyed on
 * the addresses of the objects a key names (a node's parent and memory,
 * a constant's symbol), so the clone's keys are computed again for its
 * own objects, by the keys network.c shares by (netkey.h): a rule loaded
 * into the clone later shares nodes exactly as it would in the original
 * (test_clone.c counts them).
 */
#include <string.h>

#include "aggregate.h"
#include "alloc.h"
#include "clone_net.h"
#include "internal.h"
#include "jtest.h"
#include "netkey.h"
#include "rete.h"

/* ---- the network ------------------------------------------------------------------- */

static void copy_amems(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    if (!e->amsig)
        return;
    c->amsig_mask = e->amsig_mask;
    c->amsig = e_calloc(c, (size_t)e->amsig_mask + 1, sizeof *c->amsig);
    c->amem_seq = e->amem_seq;
    for (uint32_t b = 0; b <= e->amsig_mask; b++)
        for (const amem *a = e->amsig[b]; a; a = a->signext) {
            amem *m = arena_alloc(c->perm, sizeof *m);
            clone_map_put(&k->map, a, m);
            m->t = clone_map_get(&k->map, a->t);
            m->neq = a->neq;
            m->eq = clone_dup(k, a->eq, a->neq * sizeof *a->eq);
            for (uint32_t i = 0; i < a->neq; i++) {
                if (a->eq[i].nv == 1) {
                    m->eq[i].u.one = clone_value(k, a->eq[i].u.one);
                    continue;
                }
                m->eq[i].u.many = arena_alloc(c->perm, a->eq[i].nv * sizeof(value));
                for (uint32_t x = 0; x < a->eq[i].nv; x++)
                    m->eq[i].u.many[x] = clone_value(k, a->eq[i].u.many[x]);
            }
            m->key_slot = a->key_slot;
            m->seq = a->seq;
            m->test = clone_cexpr(k, a->test);
            m->tests_cf = a->tests_cf;
            m->nhash = a->nhash;
            m->hash_slots = clone_dup(k, a->hash_slots, (a->nhash + 1) * sizeof *a->hash_slots);
            m->refs = a->refs;
            m->sighash = amem_sighash(m);
            m->signext = c->amsig[m->sighash & c->amsig_mask];
            c->amsig[m->sighash & c->amsig_mask] = m;
            c->namems++;
            /* its successors once the nodes are there (link_network) */
            if (a->nsucc) {
                m->succ = e_calloc(c, a->nsucc, sizeof *m->succ);
                m->capsucc = a->nsucc;
            }
        }
}

static dispatch *copy_dispatch(cl *k, const dispatch *d);
static void fill_dispatch(cl *k, const dispatch *d, dispatch *x);

static void copy_dnodes(cl *k, const dispatch *d, dispatch *x)
{
    engine *c = k->c;
    if (!d->idx.b)
        return;
    x->idx.mask = d->idx.mask;
    x->idx.b = e_calloc(c, (size_t)d->idx.mask + 1, sizeof *x->idx.b);
    for (uint32_t b = 0; b <= d->idx.mask; b++) {
        dnode **tail = (dnode **)&x->idx.b[b];
        for (const dnode *a = d->idx.b[b]; a; a = a->next) {
            dnode *y = arena_alloc(c->perm, sizeof *y);
            y->v = clone_value(k, a->v);
            y->hash = value_hash(y->v);
            *tail = y;
            tail = &y->next;
            x->idx.n++;
            if (a->cap == 0) {
                y->n = a->n;
                y->ams.one = clone_map_get(&k->map, a->ams.one);
            } else {
                y->ams.many = e_calloc(c, a->cap, sizeof *y->ams.many);
                y->cap = a->cap;
                y->n = a->n;
                for (uint32_t i = 0; i < a->n; i++)
                    y->ams.many[i] = clone_map_get(&k->map, a->ams.many[i]);
            }
            y->sub = copy_dispatch(k, a->sub);
            fill_dispatch(k, a->sub, y->sub);
        }
    }
}

/* A template's branches D, in order (arena only: the caller links them,
 * then fill_dispatch allocates what they own, so that
 * network_free_alpha finds every table made). */
static dispatch *copy_dispatch(cl *k, const dispatch *d)
{
    dispatch *head = NULL, **tail = &head;
    for (; d; d = d->next) {
        dispatch *x = arena_alloc(k->c->perm, sizeof *x);
        x->slot = d->slot;
        *tail = x;
        tail = &x->next;
    }
    return head;
}

static void fill_dispatch(cl *k, const dispatch *d, dispatch *x)
{
    for (; d && x; d = d->next, x = x->next)
        copy_dnodes(k, d, x);
}

static void copy_alpha(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    for (const struct tmpl *t = e->tmpls; t; t = t->next) {
        struct tmpl *u = clone_map_get(&k->map, t);
        if (t->nplain) {
            u->plain = e_calloc(c, t->nplain, sizeof *u->plain);
            u->capplain = t->nplain;
            u->nplain = t->nplain;
            for (uint32_t i = 0; i < t->nplain; i++)
                u->plain[i] = clone_map_get(&k->map, t->plain[i]);
        }
        if (t->key_rank) {
            u->key_rank = e_alloc(c, (t->nslots + 1) * sizeof *u->key_rank);
            memcpy(u->key_rank, t->key_rank, (t->nslots + 1) * sizeof *u->key_rank);
        }
        u->nkeyed = t->nkeyed;
        u->dispatch = copy_dispatch(k, t->dispatch);
        fill_dispatch(k, t->dispatch, u->dispatch);
    }
}

/* N's copy under PARENT (NULL: fed by the root), its memory empty, not
 * yet linked: arena and symbols only, so the caller links it before
 * fill_node allocates what the engine's teardown frees. */
static node *copy_node(cl *k, const node *n, node *parent)
{
    engine *c = k->c;
    node *m = arena_alloc(c->perm, sizeof *m);
    clone_map_put(&k->map, n, m);
    m->kind = n->kind;
    m->level = n->level;
    m->parent = parent;
    m->am = clone_map_get(&k->map, n->am);
    m->nkeys = n->nkeys;
    m->keys = clone_dup(k, n->keys, n->nkeys * sizeof *n->keys);
    m->test = clone_cexpr(k, n->test);
    m->jt = jtest_compile(c, m->test, &m->njt);
    m->exists = n->exists;
    m->refs = n->refs;
    if (n->kind == N_TERM)
        m->prod = clone_map_get(&k->map, n->prod);
    if (n->kind == N_AGG && n->agg) {
        const agg_node *g = n->agg;
        agg_node *h = agg_node_new(c, g->fn);
        h->arg = clone_cexpr(k, g->arg);
        h->npartners = g->npartners;
        if (g->partners)
            h->partners = arena_alloc(c->perm, (g->npartners + 1) * sizeof *h->partners);
        h->reads_cf = g->reads_cf;
        h->keeps = g->keeps;
        m->agg = h;
    }
    c->nnodes++;
    if (m->kind == N_JOIN || m->kind == N_NEG || m->kind == N_EXISTS || m->kind == N_TEST) {
        m->sighash = node_sighash(m);
        m->signext = c->nodesig[m->sighash & c->nodesig_mask];
        c->nodesig[m->sighash & c->nodesig_mask] = m;
        c->nnodesig++;
    }
    return m;
}

static void fill_node(cl *k, const node *n, node *m)
{
    engine *c = k->c;
    /* a memory as a new node has one (network.c): hashed from the start,
     * or made when its first token comes */
    if (n->kind == N_AGG || n->kind == N_PARTNER || (n->kind != N_TERM && node_hashed(m))) {
        m->mem.mask = 15;
        m->mem.b = e_calloc(c, 16, sizeof *m->mem.b);
    }
    if (!n->nkids)
        return;
    m->kids = e_alloc(c, n->nkids * sizeof *m->kids);
    m->capkids = n->nkids;
    for (uint32_t i = 0; i < n->nkids; i++) {
        node *kid = copy_node(k, n->kids[i], m);
        m->kids[m->nkids++] = kid;
        fill_node(k, n->kids[i], kid);
    }
}

/* The links that may point ahead in the walk: partners, successors. */
static void link_node(cl *k, const node *n)
{
    node *m = clone_map_get(&k->map, n);
    m->partner = clone_map_get(&k->map, n->partner);
    for (uint32_t i = 0; n->kind == N_AGG && n->agg && i < n->agg->npartners; i++)
        m->agg->partners[i] = clone_map_get(&k->map, n->agg->partners[i]);
    for (uint32_t i = 0; i < n->nkids; i++)
        link_node(k, n->kids[i]);
}

static void copy_nodes(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    c->nodesig_mask = e->nodesig ? e->nodesig_mask : 255;
    c->nodesig = e_calloc(c, (size_t)c->nodesig_mask + 1, sizeof *c->nodesig);
    if (e->nroots) {
        c->roots = e_alloc(c, e->nroots * sizeof *c->roots);
        c->caproots = e->nroots;
    }
    for (uint32_t i = 0; i < e->nroots; i++) {
        node *m = copy_node(k, e->roots[i], NULL);
        c->roots[c->nroots++] = m;
        fill_node(k, e->roots[i], m);
    }
    if (e->nspecial) {
        c->special_roots = e_alloc(c, e->nspecial * sizeof *c->special_roots);
        c->capspecial = e->nspecial;
        for (uint32_t i = 0; i < e->nspecial; i++)
            c->special_roots[c->nspecial++] = clone_map_get(&k->map, e->special_roots[i]);
    }
    for (uint32_t i = 0; i < e->nroots; i++)
        link_node(k, e->roots[i]);
    for (uint32_t b = 0; e->amsig && b <= e->amsig_mask; b++)
        for (const amem *a = e->amsig[b]; a; a = a->signext) {
            amem *m = clone_map_get(&k->map, a);
            for (uint32_t i = 0; i < a->nsucc; i++)
                m->succ[i] = clone_map_get(&k->map, a->succ[i]);
            m->nsucc = a->nsucc;
            m->succ_unsorted = a->succ_unsorted;
        }
    /* the productions' ends (a removed rule's are gone: NULL) */
    const struct rule *lists[2] = {e->rules, e->queries};
    for (unsigned x = 0; x < 2; x++)
        for (const struct rule *r = lists[x]; r; r = r->next)
            for (uint32_t i = 0; i < r->nprods; i++) {
                const prod *p = r->prods[i];
                prod *q = clone_map_get(&k->map, p);
                q->term = r->removed ? NULL : clone_map_get(&k->map, p->term);
                for (uint32_t l = 0; l <= p->depth; l++)
                    q->chain[l] = r->removed ? NULL : clone_map_get(&k->map, p->chain[l]);
            }
    /* a join at the top joins the top token (network.c); the other roots
     * get theirs at reset */
}

void clone_network(cl *k)
{
    copy_amems(k);
    copy_alpha(k);
    copy_nodes(k);
}
