/* relevance.h — what an answer could still change in the report
 * (relevance.c). Private to the engine.
 *
 * An analysis of the rules as things stand, read from the network's
 * partial matches without running anything: which productions are dead
 * (a condition no answer can fill), how far each live one holds, which
 * could change the report (a red flag, the top of the differential), and
 * the bounds of each diagnosis's certainty. docs/engine.md,
 * "Consultation", step 1, says how it is judged.
 *
 * A relevance owns its arrays (relevance_fini frees them); the
 * productions, facts and asks it points at belong to the engine and must
 * not change while it is in use.
 */
#ifndef SINEW_RELEVANCE_H
#define SINEW_RELEVANCE_H

#include "internal.h"

/* A diagnosis's certainty as it could still turn out: its evidence for
 * (mb) and against (md) that no answer can take away, and what answers
 * could still add or take away (opt_mb, opt_md: the most each could
 * reach); lo and hi, the certainties they combine to. */
typedef struct bound {
    const struct tmpl *t;
    value vals[4];
    double mb, md, opt_mb, opt_md;
    double lo, hi;
    bool open;           /* an answer could change it at all */
    bool matters;        /* a change could change the top of the differential */
} bound;

/* An action that makes facts of a template (conclude, assert, modify),
 * and the production it is in. */
typedef struct maker {
    uint32_t prod;       /* index into prods */
    const cact *a;
} maker;

/* While the dead are found: for an alpha memory, the first of its
 * template's makers (from `at` on) that could fill it, while `found`. */
typedef struct fill_memo {
    const amem *am;      /* NULL: a free place */
    uint32_t at;
    bool found;
} fill_memo;

typedef struct relevance {
    engine *e;
    prod **prods;        /* every live rule's productions */
    uint32_t nprods;
    /* the actions that make facts, by template: template id T's are
     * makers[make_at[T] .. make_at[T + 1]) */
    maker *makers;
    uint32_t *make_at;
    bool *dead;          /* per production: it can never fire as things stand */
    fill_memo *memo;     /* while the dead are found: by alpha memory, hashed */
    uint32_t memo_mask;
    uint32_t *held;      /* conditions held in its closest match */
    bool *blockable;     /* it holds, and an answer could block a `not` of it */
    bool *matters;       /* completing or blocking it could change the report */
    const struct tmpl *dx; /* the template `diagnosis`, or NULL */
    bound *bounds;       /* every diagnosis there is or could be */
    uint32_t nbounds;
} relevance;

/* The analysis of E now. ALL: every live production matters (what a
 * consultation asks after `more`). */
void relevance_init(relevance *, engine *e, bool all);
void relevance_fini(relevance *);

/* The node that holds condition LEVEL (1-based) of P. */
const node *relevance_cond(const prod *p, uint32_t level);
/* Conditions of P that hold in its closest partial match. */
uint32_t relevance_held(const prod *p);
/* Is T a finding whose question is open? */
bool relevance_open(const engine *, const struct tmpl *t);
/* Would a fact with the slot values VALS pass AM's tests? */
bool relevance_accepts(engine *, const amem *am, const value *vals);
/* Could the group under NCC still match: none of its patterns is on a
 * finding settled without a fact that passes it. */
bool relevance_group_possible(engine *, const node *ncc);
/* The slot values action A would give, when they are all constants. */
bool relevance_const_target(const cact *a, value *vals);
/* The certainty factor of A's conclusion: 2 when it is computed. */
double relevance_const_cf(const cact *a);

#endif
