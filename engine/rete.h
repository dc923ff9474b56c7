/* rete.h — the Rete network (rete.c). Private to the engine. */
#ifndef SINEW_RETE_H
#define SINEW_RETE_H

#include "internal.h"

/* Facts in and out of the network; a fact whose cf changed is
 * re-judged against every threshold test. */
void rete_add_fact(engine *, struct fact *);
void rete_remove_fact(engine *, struct fact *);
void rete_refresh_fact(engine *, struct fact *);
bool amem_accepts(engine *, const amem *, const struct fact *);
/* Nodes, shared by key: an existing node with the same inputs and tests
 * is returned with one more reference. */
amem *amem_get(engine *, struct tmpl *, int32_t key_slot, const value *keyv, uint32_t nkeyv, cexpr *test,
               bool tests_cf, const int32_t *hash_slots, uint32_t nhash);
node *node_get(engine *, node *parent, nkind, uint32_t level, amem *, const jkey *keys,
               uint32_t nkeys, cexpr *test, bool exists);
node *node_partner(engine *, node *ncc_parent_branch_end, node *ncc, uint32_t level);
node *node_term(engine *, node *parent, uint32_t level, struct prod *);
void node_release(engine *, node *);
/* Tokens that died during an operation are recycled when it ends. */
void rete_free_dead(engine *);
/* Empty every memory at once (working memory is about to be emptied). */
void rete_clear(engine *);
struct fact *token_fact(const token *, uint32_t level);
void tokens_free_all(engine *);

/* What the network tells the engine, the only calls it makes upward:
 * a match reached a production (it becomes an activation), and a
 * production's match died (its activation goes; what its firing
 * concluded is withdrawn). Implemented in fire.c. */
void rete_matched(engine *, token *, struct prod *);
void rete_unmatched(engine *, token *);

#endif
