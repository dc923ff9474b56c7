/* keys.h — a beta node's join keys at run time: reading a token's key
 * values, hashing them (as the alpha memory hashes its facts) and
 * comparing them with a fact's; and the hash of a parent token and fact
 * that an NCC's memory is keyed on. Private to rete.c, and inline: these
 * are the network's hottest steps. A node's keys go deepest level first
 * (compile.c), so one walk up a token's chain finds all their values.
 * Nothing here allocates or keeps anything.
 */
#ifndef SINEW_KEYS_H
#define SINEW_KEYS_H

#include "internal.h"
#include "jtest.h"
#include "verify.h"

static inline uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
    return h;
}

static inline uint32_t ptr_hash(const void *a, const void *b)
{
    uint64_t x = (uint64_t)(uintptr_t)a * 0x9e3779b97f4a7c15ULL;
    x ^= (uint64_t)(uintptr_t)b * 0xc2b2ae3d27d4eb4fULL;
    x ^= x >> 29;
    return (uint32_t)x;
}

/* value_hash, with symbols' and strings' (most join keys) inline */
static inline uint32_t key_hash(value v)
{
    if (v.type == V_SYMBOL || v.type == V_STRING)
        return v.u.s->hash ^ (uint32_t)v.type;
    if (v.type == V_INT)
        return value_hash_bits((uint64_t)v.u.i);
    return value_hash(v);
}

static inline uint32_t fact_key_hash(const amem *am, const struct fact *f)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < am->nhash; i++)
        h = mix(h, key_hash(f->slots[am->hash_slots[i]]));
    return h;
}

/* The values of N's keys in the chain of T, into OUT (N's keys go deepest
 * first: one walk up the chain finds them all). */
static inline void token_keys(const node *n, const token *t, const value **out)
{
    for (uint32_t i = 0; i < n->nkeys; i++) {
        uint32_t level = n->keys[i].level;
        while (t->level > level)
            t = t->parent;
        SN_ASSERT(t->level == level && t->f); /* a chain has a token at every level */
        out[i] = &t->f->slots[n->keys[i].lslot];
    }
}

static inline uint32_t keys_hash(const node *n, const value *const *lv)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < n->nkeys; i++)
        h = mix(h, key_hash(*lv[i]));
    return h;
}

/* Do the key values LV of a token equal F's? */
static inline bool keys_match(const node *n, const value *const *lv, const struct fact *f)
{
    for (uint32_t i = 0; i < n->nkeys; i++) {
        value a = *lv[i], b = f->slots[n->keys[i].rslot];
        /* most keys are of one type on both sides: compared inline */
        if (a.type == b.type ? !value_same(a, b) : !value_eq(a, b))
            return false;
    }
    return true;
}

/* N's tests beyond its keys (most nodes have none: no call then). */
static inline bool join_tests(engine *e, const node *n, token *t, const struct fact *f)
{
    return !n->njt || jtest_run(e, n->jt, n->njt, t, f);
}

static inline uint32_t token_key_hash(const node *n, const token *t)
{
    const value *lv[32];
    token_keys(n, t, lv);
    return keys_hash(n, lv);
}

#endif
