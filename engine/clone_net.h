/* clone_net.h — what clone.c and clone_net.c share while a clone is made:
 * the map from the original's objects to the clone's, and copies of
 * symbols, values, text and expressions into the clone. Private to the
 * two.
 *
 * Ownership: everything copied lives in the clone (its arena, its
 * symbols); the map is the caller's (clone.c), freed when the copy ends.
 */
#ifndef SINEW_CLONE_NET_H
#define SINEW_CLONE_NET_H

#include "internal.h"

typedef struct ptrmap {
    const void **from;
    void **to;
    size_t mask;         /* slots - 1; never full: sized for every object */
} ptrmap;

typedef struct cl {
    engine *c;           /* the clone */
    const engine *e;     /* the original */
    ptrmap map;
} cl;

void clone_map_put(ptrmap *, const void *from, void *to);
/* The clone's object for the original's P (NULL for NULL, or for one
 * that was not copied: a removed rule's nodes). */
void *clone_map_get(const ptrmap *, const void *p);

const sym *clone_sym(cl *, const sym *);
value clone_value(cl *, value);
char *clone_str(cl *, const char *);
void *clone_dup(cl *, const void *, size_t n);
cexpr *clone_cexpr(cl *, const cexpr *);

/* The alpha memories, their dispatch and the nodes, after the templates
 * and productions (clone.c); every memory empty. */
void clone_network(cl *);

#endif
