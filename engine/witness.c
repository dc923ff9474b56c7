/* witness.c — the facts behind `exists`, `not` and groups, found again
 * from the network's memories; see witness.h.
 *
 * A group (`not { }`, `exists { }`) is an NCC node whose subnetwork
 * starts beside it, from the same parent, and ends in its partner: a
 * partial match O in the NCC's memory has a twin at the first node of
 * the subnetwork (same parent token, same fact), and the group matches
 * O when a chain of tokens leads from that twin down to the partner.
 * Those chains are what is walked here.
 */
#include "rete.h"
#include "witness.h"

/* Groups inside groups are followed this deep (the nesting is the
 * rule's, so a real rule never comes near it). */
enum { MAX_NEST = 16, MAX_PATH = 64 };

typedef struct found {
    struct fact **v;
    uint32_t n, max;
} found;

static void found_add(found *o, struct fact *f)
{
    if (!f)
        return;
    for (uint32_t i = 0; i < o->n; i++)
        if (o->v[i] == f)
            return;
    if (o->n < o->max)
        o->v[o->n++] = f;
}

const token *token_at_level(const token *t, uint32_t level)
{
    while (t && t->level > level)
        t = t->parent;
    return t && t->level == level ? t : NULL;
}

static void passed(engine *e, const node *n, const token *u, found *o, unsigned nest);
static void blocked(engine *e, const node *n, const token *u, found *o, unsigned nest);

/* The first fact of N's alpha memory that joins U. */
static void joining(engine *e, const node *n, const token *u, found *o)
{
    if (!n->am)
        return;
    for (aentry *a = am_bucket(n->am, u->hash); a; a = a->bnext)
        if (a->hash == u->hash && node_joins(e, n, (token *)u, a->f)) {
            found_add(o, a->f);
            return;
        }
}

/* The subnetwork of group N, first node first, into PATH; how many. */
static uint32_t group_path(const node *n, const node **path)
{
    const node *v[MAX_PATH];
    uint32_t k = 0;
    if (!n->partner)
        return 0;
    for (const node *x = n->partner->parent; x && x != n->parent && k < MAX_PATH; x = x->parent)
        v[k++] = x;
    for (uint32_t i = 0; i < k; i++)
        path[i] = v[k - 1 - i];
    return k;
}

/* O's twin at FIRST, the subnetwork's first node. */
static const token *group_twin(const node *first, const token *o)
{
    if (o->parent) {
        for (const token *k = o->parent->kids; k; k = k->snext)
            if (k->owner == first && k->f == o->f && !k->dead)
                return k;
        return NULL;
    }
    for (uint32_t i = 0; first->mem.b && i <= first->mem.mask; i++)
        for (const token *k = first->mem.b[i].head; k; k = k->bnext)
            if (!k->parent && k->f == o->f && !k->dead)
                return k;
    return NULL;
}

/* A chain from U (at PATH[K]) to the partner: the facts it joined and
 * what let it through each node, into O. False when there is none (O as
 * it was). */
static bool chain_to_partner(engine *e, const node **path, uint32_t np, uint32_t k,
                             const node *partner, const token *u, found *o, unsigned nest)
{
    const node *next = k + 1 < np ? path[k + 1] : partner;
    for (const token *v = u->kids; v; v = v->snext) {
        if (v->dead || v->owner != next)
            continue;
        uint32_t mark = o->n;
        passed(e, path[k], u, o, nest);
        found_add(o, v->f);
        if (next == partner || chain_to_partner(e, path, np, k + 1, partner, v, o, nest))
            return true;
        o->n = mark;
    }
    return false;
}

/* Group N matches its partial match O: the facts of one match of it. */
static void group_match(engine *e, const node *n, const token *o, found *out, unsigned nest)
{
    const node *path[MAX_PATH];
    uint32_t np = group_path(n, path);
    const token *s = np ? group_twin(path[0], o) : NULL;
    if (s)
        chain_to_partner(e, path, np, 0, n->partner, s, out, nest);
}

/* Group N does not match O: what stops its inside, on the first way in. */
static void group_block(engine *e, const node *n, const token *o, found *out, unsigned nest)
{
    const node *path[MAX_PATH];
    uint32_t np = group_path(n, path);
    const token *u = np ? group_twin(path[0], o) : NULL;
    for (uint32_t k = 0; u && k < np; k++) {
        const node *next = k + 1 < np ? path[k + 1] : n->partner;
        const token *v = u->kids;
        while (v && (v->dead || v->owner != next))
            v = v->snext;
        if (!v) {
            blocked(e, path[k], u, out, nest);
            return;
        }
        u = v;
    }
}

static void passed(engine *e, const node *n, const token *u, found *o, unsigned nest)
{
    if (nest >= MAX_NEST)
        return;
    switch (n->kind) {
    case N_EXISTS: joining(e, n, u, o); break;
    case N_NCC:
        if (n->exists)
            group_match(e, n, u, o, nest + 1);
        else
            group_block(e, n, u, o, nest + 1);
        break;
    default: break;
    }
}

static void blocked(engine *e, const node *n, const token *u, found *o, unsigned nest)
{
    if (nest >= MAX_NEST)
        return;
    if (n->kind == N_NEG && u->count > 0)
        joining(e, n, u, o);
    else if (n->kind == N_NCC && !n->exists && u->count > 0)
        group_match(e, n, u, o, nest + 1);
}

uint32_t witness_passed(engine *e, const node *n, const token *tok, struct fact **out, uint32_t max)
{
    found o = {out, 0, max};
    passed(e, n, tok, &o, 0);
    return o.n;
}

uint32_t witness_blocked(engine *e, const node *n, const token *tok, struct fact **out, uint32_t max)
{
    found o = {out, 0, max};
    blocked(e, n, tok, &o, 0);
    return o.n;
}

cond_kind cond_kind_of(const node *n)
{
    switch (n->kind) {
    case N_JOIN: return C_PATTERN;
    case N_NEG: return C_NOT;
    case N_EXISTS: return C_EXISTS;
    case N_NCC: return n->exists ? C_EXISTS : C_NOT;
    case N_TEST: return C_TEST;
    case N_AGG: return C_AGG;
    default: return C_OTHER;
    }
}

void witness_record(engine *e, const prod *p, const token *tok, uint8_t *kinds, uint64_t *ids,
                    uint32_t *at, uint32_t max)
{
    uint32_t n = 0;
    at[0] = 0;
    for (uint32_t l = 1; l <= p->depth; l++) {
        const node *x = p->chain[l - 1];
        kinds[l - 1] = (uint8_t)cond_kind_of(x);
        const token *u = kinds[l - 1] == C_EXISTS ? token_at_level(tok, l - 1) : NULL;
        if (u && n < max) {
            struct fact *v[8];
            uint32_t k = witness_passed(e, x, u, v, max - n < 8 ? max - n : 8);
            for (uint32_t i = 0; i < k; i++)
                ids[n++] = v[i]->id;
        }
        at[l] = n;
    }
}
