/* netkey.c — structural keys of shared nodes and alpha memories; see
 * netkey.h. */
#include <string.h>

#include "netkey.h"

static inline uint32_t hmix(uint32_t h, uint64_t v)
{
    v *= 0x9e3779b97f4a7c15ULL;
    v ^= v >> 32;
    return (h ^ (uint32_t)v) * 16777619u + (uint32_t)(v >> 16);
}

/* A constant as a key: its type and exact content (bits, for a float: 0.0
 * and -0.0 are not one constant to an expression that divides by it). */
static uint64_t const_bits(value v)
{
    uint64_t x = 0;
    switch (v.type) {
    case V_NIL: break;
    case V_SYMBOL:
    case V_STRING: x = (uint64_t)(uintptr_t)v.u.s; break;
    case V_INT: x = (uint64_t)v.u.i; break;
    case V_FLOAT: memcpy(&x, &v.u.f, sizeof x); break;
    }
    return x;
}

static bool const_same(value a, value b)
{
    return a.type == b.type && const_bits(a) == const_bits(b);
}

static uint32_t cx_hash(const cexpr *x)
{
    if (!x)
        return 0x51ed27u;
    uint32_t h = hmix((uint32_t)x->kind * 31u + x->op, ((uint64_t)x->level << 32) ^ (uint32_t)x->slot);
    switch (x->kind) {
    case CX_CONST: h = hmix(hmix(h, (uint64_t)x->k.type), const_bits(x->k)); break;
    case CX_CALL:
    case CX_FUNC: h = hmix(h, (uint64_t)x->fn); break;
    default: break;
    }
    h = hmix(h, x->nargs);
    for (uint32_t i = 0; i < x->nargs; i++)
        h = hmix(h, cx_hash(x->args[i]));
    return h;
}

/* Do A and B compute the same thing from the same inputs? */
bool cx_same(const cexpr *a, const cexpr *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind || a->op != b->op || a->level != b->level ||
        a->slot != b->slot || a->nargs != b->nargs)
        return false;
    if (a->kind == CX_CONST && !const_same(a->k, b->k))
        return false;
    if ((a->kind == CX_CALL || a->kind == CX_FUNC) && a->fn != b->fn)
        return false;
    for (uint32_t i = 0; i < a->nargs; i++)
        if (!cx_same(a->args[i], b->args[i]))
            return false;
    return true;
}

uint32_t node_key_hash(const node *parent, nkind kind, uint32_t level, const amem *am,
                              const jkey *keys, uint32_t nkeys, const cexpr *test, bool exists)
{
    uint32_t h = hmix(2166136261u, (uint64_t)(uintptr_t)parent);
    h = hmix(h, ((uint64_t)kind << 40) ^ ((uint64_t)exists << 32) ^ level);
    h = hmix(h, (uint64_t)(uintptr_t)am);
    for (uint32_t i = 0; i < nkeys; i++)
        h = hmix(h, ((uint64_t)(uint32_t)keys[i].rslot << 32) ^ ((uint64_t)keys[i].level << 24) ^
                        (uint32_t)keys[i].lslot);
    return hmix(h, cx_hash(test));
}

bool node_key_same(const node *n, const node *parent, nkind kind, uint32_t level,
                          const amem *am, const jkey *keys, uint32_t nkeys, const cexpr *test,
                          bool exists)
{
    if (n->parent != parent || n->kind != kind || n->level != level || n->am != am ||
        n->exists != exists || n->nkeys != nkeys)
        return false;
    for (uint32_t i = 0; i < nkeys; i++)
        if (n->keys[i].rslot != keys[i].rslot || n->keys[i].level != keys[i].level ||
            n->keys[i].lslot != keys[i].lslot)
            return false;
    return cx_same(n->test, test);
}

uint32_t amem_key_hash(const struct tmpl *t, const aeq *eq, uint32_t neq, int32_t key_slot,
                              const cexpr *test, bool tests_cf, const int32_t *hash_slots,
                              uint32_t nhash)
{
    uint32_t h = hmix(2166136261u, ((uint64_t)t->id << 32) ^ (uint32_t)key_slot);
    h = hmix(h, ((uint64_t)tests_cf << 32) ^ neq);
    for (uint32_t i = 0; i < neq; i++) {
        h = hmix(h, ((uint64_t)(uint32_t)eq[i].slot << 32) ^ eq[i].nv);
        const value *v = aeq_values(&eq[i]);
        for (uint32_t k = 0; k < eq[i].nv; k++)
            h = hmix(hmix(h, v[k].type), const_bits(v[k]));
    }
    for (uint32_t i = 0; i < nhash; i++)
        h = hmix(h, (uint32_t)hash_slots[i]);
    return hmix(h, cx_hash(test));
}

bool amem_key_same(const amem *am, const struct tmpl *t, const aeq *eq, uint32_t neq,
                          int32_t key_slot, const cexpr *test, bool tests_cf,
                          const int32_t *hash_slots, uint32_t nhash)
{
    if (am->t != t || am->neq != neq || am->key_slot != key_slot || am->tests_cf != tests_cf ||
        am->nhash != nhash)
        return false;
    for (uint32_t i = 0; i < neq; i++) {
        if (am->eq[i].slot != eq[i].slot || am->eq[i].nv != eq[i].nv)
            return false;
        const value *a = aeq_values(&am->eq[i]), *b = aeq_values(&eq[i]);
        for (uint32_t k = 0; k < eq[i].nv; k++)
            if (!const_same(a[k], b[k]))
                return false;
    }
    for (uint32_t i = 0; i < nhash; i++)
        if (am->hash_slots[i] != hash_slots[i])
            return false;
    return cx_same(am->test, test);
}

uint32_t node_sighash(const node *n)
{
    return node_key_hash(n->parent, n->kind, n->level, n->am, n->keys, n->nkeys, n->test,
                         n->exists);
}

uint32_t amem_sighash(const amem *am)
{
    return amem_key_hash(am->t, am->eq, am->neq, am->key_slot, am->test, am->tests_cf,
                         am->hash_slots, am->nhash);
}
