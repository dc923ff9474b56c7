/* normal.h — a rule's conditions in disjunctive normal form (normal.c).
 * Private to the engine.
 *
 * `or` makes alternatives (each becomes a production of its rule);
 * `not {A or B}` becomes `not A, not B`; `exists {A or B}` holds once
 * however many alternatives hold (exists { not { not A, not B } });
 * `forall D { B }` is `not { D, not B }`. Everything is allocated from the
 * arena given, and lives as long as it.
 */
#ifndef SINEW_NORMAL_H
#define SINEW_NORMAL_H

#include "internal.h"

typedef enum fkind { F_PAT, F_NOT, F_EXISTS, F_TEST, F_AGG } fkind;

typedef struct fconj fconj;

typedef struct fce {
    fkind kind;
    const ast_pattern *pat;   /* F_PAT; F_NOT/F_EXISTS of one pattern */
    const ast_expr *test;     /* F_TEST */
    fconj *sub;               /* F_NOT/F_EXISTS/F_AGG of a group */
    const ast_ce *agg;        /* F_AGG: the aggregate (its pattern in pat, or
                                 its group's alternatives in sub) */
    span sp;                  /* the condition as written */
} fce;

struct fconj {
    fce *items;
    uint32_t n, cap;
    fconj *next;              /* in a list of alternatives */
};

/* The alternatives of the conditions LIST, one conjunction each. */
fconj *normal_form(arena *, const ast_ce *list);

#endif
