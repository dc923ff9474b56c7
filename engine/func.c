/* func.c — functions of the language; see func.h.
 *
 * A call evaluates its arguments, then the body with them as its
 * parameters. Functions cannot call themselves and calls nest at most
 * SINEW_MAX_CALL_DEPTH deep (the checker sees to both), so a call needs
 * no count of its own.
 */
#include <string.h>

#include "alloc.h"
#include "cexpr.h"
#include "compile.h"
#include "eval.h"
#include "func.h"

/* A body's expression: its variables are the parameters the checker
 * numbered (ast_name.var), its calls resolved as a rule's are. */
static cexpr *compile_body(engine *e, const ast_expr *x)
{
    cexpr *r;
    switch (x->kind) {
    case EX_LIT:
        r = cx_new(e, CX_CONST, 0);
        r->k = lit_value(e, &x->u.lit);
        return r;
    case EX_VAR:
        r = cx_new(e, CX_PARAM, 0);
        r->slot = (int32_t)x->u.var.var;
        return r;
    case EX_CALL: {
        bool lang = x->u.call->func != 0;
        r = cx_new(e, lang ? CX_FUNC : CX_CALL, x->u.call->nargs);
        r->fn = lang ? x->u.call->func - 1 : x->u.call->builtin;
        uint32_t i = 0;
        for (const ast_expr *a = x->u.call->args; a; a = a->next)
            r->args[i++] = compile_body(e, a);
        return r;
    }
    case EX_BINARY:
        r = cx_new(e, CX_BIN, 2);
        r->op = (uint8_t)x->u.op.op;
        r->args[0] = compile_body(e, x->u.op.lhs);
        r->args[1] = compile_body(e, x->u.op.rhs);
        return r;
    case EX_UNARY:
        r = cx_new(e, CX_UN, 1);
        r->op = (uint8_t)x->u.op.op;
        r->args[0] = compile_body(e, x->u.op.lhs);
        return r;
    }
    return cx_new(e, CX_CONST, 0);
}

void func_compile(engine *e, const ast_function *f)
{
    if (e->nlfns == e->caplfns) {
        uint32_t cap = e->caplfns ? e->caplfns * 2 : 8;
        e->lfns = e_realloc(e, e->lfns, cap * sizeof *e->lfns);
        e->caplfns = cap;
    }
    lfunc *l = &e->lfns[e->nlfns++];
    l->name = sym_intern(&e->syms, f->name.text, f->name.len);
    l->nparams = f->nparams;
    l->body = compile_body(e, f->body);
}

value func_call(ectx *c, const cexpr *x)
{
    engine *e = c->e;
    const lfunc *f = &e->lfns[x->fn];
    value small[8];
    value *args = x->nargs <= 8 ? small : e_alloc(e, x->nargs * sizeof *args);
    for (uint32_t i = 0; i < x->nargs && !c->failed; i++)
        args[i] = cx_eval(c, x->args[i]);
    value r = v_nil();
    if (!c->failed) {
        value *outer = c->params;
        c->params = args;
        r = cx_eval(c, f->body);
        c->params = outer;
    }
    if (args != small)
        e_free(e, args);
    return c->failed ? v_nil() : r;
}
