/* aggregate.h — the aggregate node at run time (aggregate.c): `?n = count
 * P`, `?m = max(?s) { ... }`. Private to the engine.
 *
 * An N_AGG node sits in a rule's chain like a `not`: each token of its
 * memory is a partial match from above, and gets an accumulator (token.acc)
 * over the matches of the aggregate's source that join it — facts of one
 * alpha memory (n->am), or results of subnetworks, one per alternative of
 * the group, each ending in a partner node (agg.partners; n->partner is the
 * first), as a `not { }` group's are. A partner's test is the value read
 * from its results, compiled for its alternative's variables. rete.c finds which matches join
 * which tokens and calls agg_add / agg_remove; this module keeps the
 * accumulator, then agg_settle passes the result down: the node's kids get
 * the token with a result fact (one slot, the value; never in working
 * memory) at the next level, where the rule's variable reads it. When the
 * value changes, the kids' tokens go (truth maintenance withdraws what
 * they held up) and new ones come with the new value. An aggregate right
 * below another, over one pattern that reads nothing of the first's value
 * (agg_node.keeps), keeps its tokens and accumulators then: only what is
 * below it goes and comes again, so aggregates one after another cost no
 * more per change than one.
 *
 * Costs per match added or removed, whatever the group's size: count, sum
 * and avg O(1); min and max O(log n) (a binary heap of the items, each
 * knowing its place); collect O(n), since its value is the whole group.
 *
 * Ownership: the node's agg_node lives in the engine's arena, except its
 * item table (e_alloc, freed by agg_node_fini). An accumulator and its
 * items belong to their token: made by agg_begin, freed by agg_end or
 * agg_drop. The result fact is the accumulator's.
 */
#ifndef SINEW_AGGREGATE_H
#define SINEW_AGGREGATE_H

#include "internal.h"

typedef struct agg_item agg_item;

typedef struct agg_node {
    ast_agg_fn fn;
    cexpr *arg;           /* over one pattern: the value read from each match;
                             NULL for count (over a group: each partner's test) */
    node **partners;      /* over a group: one partner per alternative of it */
    uint32_t npartners;
    struct tmpl *rt;      /* result facts' template: one slot, "value" */
    bool reads_cf;        /* over one pattern, its value reads the fact's cf */
    bool keeps;           /* over one pattern, right below another aggregate,
                             and reading nothing of that one's value: its
                             tokens stay when that value changes */
    bucketed items;       /* agg_item chains by (token, match) */
} agg_node;

typedef struct agg_acc {
    uint64_t n;           /* matches */
    uint64_t nnum;        /* matches whose value is a number */
    __int128 isum;        /* their integers, exactly (so an accumulator comes
                             from the heap, never an arena: arena.h) */
    double fsum;          /* their floats */
    uint64_t nfloat;
    agg_item **heap;      /* min or max: numeric items, best first */
    uint32_t nheap, capheap;
    agg_item *first, *last; /* every item; collect: in order of value */
    struct fact *result;  /* what the kids see (NULL until first needed) */
    bool out;             /* the kids have it */
} agg_acc;

/* A node's descriptor, in the engine's arena, for a rule compiled now. */
agg_node *agg_node_new(engine *, ast_agg_fn fn);
void agg_node_fini(engine *, node *n);

/* A token T arrived in N's memory: its accumulator, empty. */
void agg_begin(engine *, node *n, token *t);
/* The match M (a fact joined with T, or a partner token of a group)
 * joins T, or no longer does (false if it was not counted). */
void agg_add(engine *, node *n, token *t, struct fact *f, token *r);
bool agg_remove(engine *, node *n, token *t, const void *match);
/* The fact of A leaves the alpha memory of N: out of the accumulators it
 * was counted in (found by their items, not by joining again). */
void agg_leave(engine *, node *n, aentry *a);
/* The fact of A stays in its alpha memory, but its cf changed: the
 * aggregates over it that read the cf take its value again. */
void agg_reread(engine *, aentry *a);
/* Pass T's result down if it changed (agg_add/remove only count). */
void agg_settle(engine *, node *n, token *t);
/* The fact N's kids get with T, or NULL when the aggregate has no value
 * (min, max and avg of no numbers). */
struct fact *agg_result(const token *t);
/* T is going: its kids are gone already; its items and accumulator go. */
void agg_end(engine *, node *n, token *t);
/* The same, when every memory is being emptied at once (nothing is told). */
void agg_drop(engine *, node *n, token *t);

/* For verify.c: how many items T's accumulator holds, and whether its
 * totals and heap agree with them (else a message in e->verify_why). */
bool agg_check(engine *, const node *n, const token *t, uint64_t *nitems);

#endif
