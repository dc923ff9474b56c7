/* cexpr.c — compiled expressions built and copied; see cexpr.h. */
#include "cexpr.h"

/* As deep as X: the same recursion as the compiler's other walks of a
 * pattern's tests (the parser bounds the nesting). */
cexpr *cx_copy(engine *e, const cexpr *x)
{
    if (!x)
        return NULL;
    cexpr *y = arena_alloc(e->code, sizeof *y);
    *y = *x;
    if (x->nargs) {
        y->args = arena_alloc(e->code, x->nargs * sizeof *y->args);
        for (uint32_t i = 0; i < x->nargs; i++)
            y->args[i] = cx_copy(e, x->args[i]);
    }
    return y;
}
