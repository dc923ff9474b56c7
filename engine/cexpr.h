/* cexpr.h — compiled expressions built and copied (cexpr.c). Private to
 * the engine.
 *
 * Every node comes from the engine's code arena (e->code: the engine's
 * arena, or a typed pattern's own while it compiles) and lives as long as
 * it; nothing here is freed one by one.
 */
#ifndef SINEW_CEXPR_H
#define SINEW_CEXPR_H

#include "internal.h"

/* A node of KIND with room for NARGS arguments (unset). Inline: the
 * compiler makes several for every pattern. */
static inline cexpr *cx_new(engine *e, cx_kind kind, uint32_t nargs)
{
    cexpr *x = arena_alloc(e->code, sizeof *x);
    x->kind = kind;
    x->nargs = nargs;
    if (nargs)
        x->args = arena_alloc(e->code, nargs * sizeof *x->args);
    return x;
}

static inline cexpr *cx_const(engine *e, value v)
{
    cexpr *x = cx_new(e, CX_CONST, 0);
    x->k = v;
    return x;
}

static inline cexpr *cx_bin(engine *e, ast_op op, cexpr *a, cexpr *b)
{
    cexpr *x = cx_new(e, CX_BIN, 2);
    x->op = (uint8_t)op;
    x->args[0] = a;
    x->args[1] = b;
    return x;
}

/* X and everything under it copied into the code arena (NULL: NULL), for
 * an expression built in a scratch arena that turns out to be kept. */
cexpr *cx_copy(engine *, const cexpr *x);

#endif
