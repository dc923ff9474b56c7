/* network.h — building and releasing the Rete network (network.c).
 * Private to the engine.
 *
 * Nodes and alpha memories are shared by key: asking for one with the same
 * inputs and tests as an existing one returns it with one more reference.
 * The keys are structural (pointers to the inputs, the compiled tests
 * compared node by node) and hashed, so finding one costs O(1) whatever
 * the size of the network.
 * A new node is brought up to date from its parent at once, so rules can
 * come after facts.
 */
#ifndef SINEW_NETWORK_H
#define SINEW_NETWORK_H

#include "internal.h"

/* The alpha memory of facts of T passing the constant equalities EQ (as
 * written: the first orders the memories a fact enters) and TEST, its
 * entries hashed on HASH_SLOTS. EQ is copied. */
amem *amem_get(engine *, struct tmpl *t, const aeq *eq, uint32_t neq, cexpr *test, bool tests_cf,
               const int32_t *hash_slots, uint32_t nhash);
node *node_get(engine *, node *parent, nkind, uint32_t level, amem *, const jkey *keys,
               uint32_t nkeys, cexpr *test, bool exists);
node *node_agg(engine *, node *parent, uint32_t level, amem *, const jkey *keys, uint32_t nkeys,
               cexpr *test, struct agg_node *);
/* An aggregate over a group: a partner for each alternative (VALUE: what
 * it reads from each result), then the node itself attached. */
void node_agg_partner(engine *, node *branch_end, node *agg, uint32_t level, cexpr *read);
void node_agg_attach(engine *, node *agg);
node *node_partner(engine *, node *ncc_parent_branch_end, node *ncc, uint32_t level);
node *node_term(engine *, node *parent, uint32_t level, struct prod *);
/* One reference fewer: a node (and the nodes above it) no rule uses any
 * more leaves the network, with its tokens. */
void node_release(engine *, node *);
/* T's alpha discrimination tree freed (the engine is going). */
void network_free_alpha(engine *, struct tmpl *t);
/* Every token of the network freed (the engine is going). */
void tokens_free_all(engine *);

/* Reading the network, for those that draw or count it (netdot.c): the
 * nodes fed by the root, each node's kind, parent, kids and entries, and
 * its alpha memory's template, constants and entries. All borrowed. */
uint32_t network_nroots(const engine *);
const node *network_root(const engine *, uint32_t i);
nkind node_kind_of(const node *);
const node *node_parent_of(const node *);     /* NULL: fed by the root */
uint32_t node_nkids_of(const node *);
const node *node_kid_of(const node *, uint32_t i);
const node *node_partner_of(const node *);    /* a group: its end; a group's end: the group */
bool node_is_exists(const node *);            /* a group that is `exists { }` */
uint32_t node_entries(const node *);          /* partial matches in its memory */
const amem *node_alpha(const node *);         /* join, not, exists: its facts; else NULL */
uint32_t node_nkeys_of(const node *);
const jkey *node_key(const node *, uint32_t i);
const struct prod *node_production(const node *); /* a terminal's */
const struct tmpl *amem_template(const amem *);
uint32_t amem_entries(const amem *);          /* facts in it */
uint32_t amem_nconsts(const amem *);
const aeq *amem_const(const amem *, uint32_t i); /* a constant it discriminates on */
bool amem_has_test(const amem *);             /* it tests facts beyond its constants */

#endif
