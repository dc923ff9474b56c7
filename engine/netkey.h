/* netkey.h — the structural keys of the network's shared parts: what makes
 * two join, not, exists or test nodes one node, and two alpha memories
 * one memory (the same inputs, keys and tests), as a hash and as a
 * comparison. network.c finds a part to share by them; clone_net.c
 * hashes a copied network again (its keys name the copy's addresses).
 * Owns nothing; reads only.
 */
#ifndef SINEW_NETKEY_H
#define SINEW_NETKEY_H

#include "internal.h"

/* Do A and B compute the same thing from the same inputs? */
bool cx_same(const cexpr *a, const cexpr *b);

/* The key of a node made from these, and whether N is that node. */
uint32_t node_key_hash(const node *parent, nkind kind, uint32_t level, const amem *am,
                       const jkey *keys, uint32_t nkeys, const cexpr *test, bool exists);
bool node_key_same(const node *n, const node *parent, nkind kind, uint32_t level,
                   const amem *am, const jkey *keys, uint32_t nkeys, const cexpr *test,
                   bool exists);

/* The key of an alpha memory made from these, and whether AM is it. */
uint32_t amem_key_hash(const struct tmpl *t, const aeq *eq, uint32_t neq, int32_t key_slot,
                       const cexpr *test, bool tests_cf, const int32_t *hash_slots,
                       uint32_t nhash);
bool amem_key_same(const amem *am, const struct tmpl *t, const aeq *eq, uint32_t neq,
                   int32_t key_slot, const cexpr *test, bool tests_cf,
                   const int32_t *hash_slots, uint32_t nhash);

/* The keys of a node and of an alpha memory as they stand. */
uint32_t node_sighash(const node *n);
uint32_t amem_sighash(const amem *am);

#endif
