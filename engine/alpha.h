/* alpha.h — the alpha side of the network at run time (alpha.c): which
 * alpha memories a fact belongs in. Private to the engine. rete.c enters
 * the fact into them; network.c and verify.c judge one memory at a time.
 */
#ifndef SINEW_ALPHA_H
#define SINEW_ALPHA_H

#include "internal.h"

/* A list of alpha memories, on the caller's stack: a fact enters few, so
 * the first AMLIST_HERE sit in the list itself and only more take memory
 * (amlist_fini frees it). */
enum { AMLIST_HERE = 16 };
typedef struct amlist {
    amem **v;           /* here, or from e_alloc when more are needed */
    uint32_t n, cap;
    amem *here[AMLIST_HERE];
} amlist;
void amlist_init(amlist *);
void amlist_fini(engine *, amlist *);

/* The alpha memories F belongs in, appended to OUT: down the template's
 * discrimination tree, then the memories at its root, ordered by the place
 * of the slot of each memory's first constant equality among the
 * template's keyed slots (memories with none last), then by age. That
 * order decides which of the activations one change makes comes first,
 * so it does not depend on the tree's shape. */
void alpha_memberships(engine *, const struct fact *f, amlist *out);
/* Does F pass all of AM's one-fact tests? */
bool amem_accepts(engine *, const amem *, const struct fact *);
/* The node of discrimination branch D for value V (of hash HASH), or NULL. */
dnode *dispatch_find(const dispatch *, value v, uint32_t hash);

#endif
