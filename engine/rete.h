/* rete.h — the Rete network at run time (rete.c): facts in and out, tokens
 * made and deleted. Building it is network.h's. Private to the engine. */
#ifndef SINEW_RETE_H
#define SINEW_RETE_H

#include "alpha.h" /* amem_accepts, dispatch_find: network.c and verify.c read them here */
#include "internal.h"

/* Facts in and out of the network; a fact whose cf changed is
 * re-judged against every threshold test. */
void rete_add_fact(engine *, struct fact *);
void rete_remove_fact(engine *, struct fact *);
void rete_refresh_fact(engine *, struct fact *);
/* Tokens that died during an operation are recycled when it ends. */
void rete_free_dead(engine *);
/* Empty every memory at once (working memory is about to be emptied). */
void rete_clear(engine *);

/* For network.c, which builds on the same memories. */
bool node_hashed(const node *);          /* its memory is hashed on a key */
bool node_joins(engine *, const node *, token *parent, struct fact *f);
/* How many alpha entries join with T at N (a not or exists node). */
uint32_t node_count_matches(engine *, const node *n, const token *t);
aentry *am_bucket(const amem *, uint32_t hash);
void amem_add(engine *, amem *, struct fact *f);
void entry_free(engine *, struct fact *f, aentry *a);
/* A match PARENT (+ F) arrives at N from above. */
void left_activate(engine *, node *n, token *parent, struct fact *f);
void token_delete(engine *, token *);

/* What the network tells the engine, the only calls it makes upward:
 * a match reached a production (it becomes an activation), and a
 * production's match died (its activation goes; what its firing
 * concluded is withdrawn). Implemented in fire.c. */
void rete_matched(engine *, token *, struct prod *);
void rete_unmatched(engine *, token *);

#endif
