/* func.h — functions of the language (`function NAME(?a) = EXPR`):
 * compiled once, called by evaluation. Private to the engine.
 *
 * The engine owns each function's entry (e->lfns, freed with the engine);
 * the body is compiled into the engine's code arena. A function's number
 * is the one the checker gave it (ast_function.id): the environment and
 * the engine count the same functions in the same order.
 */
#ifndef SINEW_FUNC_H
#define SINEW_FUNC_H

#include "internal.h"

typedef struct lfunc {
    const sym *name;
    uint32_t nparams;
    cexpr *body;         /* parameters read as CX_PARAM */
} lfunc;

/* F, checked, as the engine's next function. */
void func_compile(engine *, const ast_function *f);
/* A call of a function of the language (CX_FUNC). */
value func_call(ectx *, const cexpr *);

#endif
