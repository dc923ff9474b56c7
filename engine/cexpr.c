/* cexpr.c — compiled expressions built and copied; see cexpr.h. */
#include "cexpr.h"

cexpr *cx_new(engine *e, cx_kind kind, uint32_t nargs)
{
    cexpr *x = arena_alloc(e->code, sizeof *x);
    x->kind = kind;
    x->nargs = nargs;
    if (nargs)
        x->args = arena_alloc(e->code, nargs * sizeof *x->args);
    return x;
}

cexpr *cx_const(engine *e, value v)
{
    cexpr *x = cx_new(e, CX_CONST, 0);
    x->k = v;
    return x;
}

cexpr *cx_bin(engine *e, ast_op op, cexpr *a, cexpr *b)
{
    cexpr *x = cx_new(e, CX_BIN, 2);
    x->op = (uint8_t)op;
    x->args[0] = a;
    x->args[1] = b;
    return x;
}

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
