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

/* A node of KIND with room for NARGS arguments (unset). */
cexpr *cx_new(engine *, cx_kind kind, uint32_t nargs);
cexpr *cx_const(engine *, value v);
cexpr *cx_bin(engine *, ast_op op, cexpr *a, cexpr *b);
/* X and everything under it copied into the code arena (NULL: NULL), for
 * an expression built in a scratch arena that turns out to be kept. */
cexpr *cx_copy(engine *, const cexpr *x);

#endif
