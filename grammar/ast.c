/* ast.c — the program object and names of AST enums; see ast.h, front.h. */
#include "ast.h"
#include "front.h"

ast_program *ast_program_new(sn_mem *mem)
{
    arena *a = arena_new(mem);
    if (!a)
        return NULL;
    ast_program *p = arena_alloc(a, sizeof *p);
    if (!p) {
        arena_free(a);
        return NULL;
    }
    p->arena = a;
    return p;
}

void ast_program_free(ast_program *p)
{
    if (p)
        arena_free(p->arena);
}

const char *ast_type_name(ast_type t)
{
    switch (t) {
    case TY_SYMBOL: return "symbol";
    case TY_STRING: return "string";
    case TY_INT: return "int";
    case TY_FLOAT: return "float";
    }
    return "?";
}

const char *ast_op_text(ast_op op)
{
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_AND: return "&&";
    case OP_OR: return "||";
    case OP_NOT: return "!";
    case OP_NEG: return "-";
    }
    return "?";
}
