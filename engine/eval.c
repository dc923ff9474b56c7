/* eval.c — evaluating compiled expressions, and the builtin functions.
 *
 * Arithmetic on two integers gives an integer (division truncates), with a
 * float a float. Errors — division by zero, integer or float overflow, a
 * float that is not a number, a number expected and text found — set
 * ctx->failed and record the engine's last error; the value is then nil
 * and a test with it is false.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "eval.h"
#include "func.h"
#include "internal.h"

bool cx_truth(value v)
{
    return v.type == V_SYMBOL && v.u.s->len == 4 && memcmp(v.u.s->text, "true", 4) == 0;
}

static value boolean(ectx *c, bool b)
{
    return v_sym(b ? c->e->s_true : c->e->s_false);
}

static value fail(ectx *c, const char *fmt, const char *what)
{
    if (!c->failed)
        engine_error(c->e, fmt, what);
    c->failed = true;
    return v_nil();
}

static value var_value(ectx *c, const cexpr *x)
{
    struct fact *f;
    if (c->lv)
        f = c->lv[x->level];
    else
        f = token_fact(c->tok, x->level);
    if (!f)
        return v_nil();
    return x->slot < 0 ? v_float(f->cf) : f->slots[x->slot];
}

/* A float computed by WHAT: too large to hold, or not a number, is an
 * error as integer overflow is, so no fact holds inf or nan. */
static value float_result(ectx *c, double r, const char *what)
{
    if (isnan(r))
        return fail(c, "%s gives no number", what);
    if (isinf(r))
        return fail(c, "float overflow in %s", what);
    return v_float(r);
}

static value arith(ectx *c, ast_op op, value a, value b)
{
    if (!value_is_number(a) || !value_is_number(b))
        return fail(c, "%s needs two numbers", ast_op_text(op));
    if (a.type == V_INT && b.type == V_INT) {
        int64_t x = a.u.i, y = b.u.i, r = 0;
        bool over = false;
        switch (op) {
        case OP_ADD: over = __builtin_add_overflow(x, y, &r); break;
        case OP_SUB: over = __builtin_sub_overflow(x, y, &r); break;
        case OP_MUL: over = __builtin_mul_overflow(x, y, &r); break;
        case OP_DIV:
        case OP_MOD:
            if (y == 0)
                return fail(c, "%s", op == OP_DIV ? "division by zero" : "remainder of a division by zero");
            if (x == INT64_MIN && y == -1)
                over = true;
            else
                r = op == OP_DIV ? x / y : x % y;
            break;
        default: break;
        }
        if (over)
            return fail(c, "integer overflow in %s", ast_op_text(op));
        return v_int(r);
    }
    double x = value_num(a), y = value_num(b);
    const char *what = ast_op_text(op);
    switch (op) {
    case OP_ADD: return float_result(c, x + y, what);
    case OP_SUB: return float_result(c, x - y, what);
    case OP_MUL: return float_result(c, x * y, what);
    case OP_DIV:
        if (y == 0)
            return fail(c, "%s", "division by zero");
        return float_result(c, x / y, what);
    case OP_MOD: return fail(c, "%s needs two integers", "%");
    default: return v_nil();
    }
}

static const char *text_of(value v, char *buf, size_t size)
{
    if (v.type == V_SYMBOL || v.type == V_STRING)
        return v.u.s->text;
    value_format(buf, size, v);
    return buf;
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Byte offset of character I (0-based) of S, or strlen(s). */
static size_t utf8_offset(const char *s, size_t i)
{
    size_t b = 0;
    for (; s[b] && i > 0; i--) {
        b++;
        while (((unsigned char)s[b] & 0xC0) == 0x80)
            b++;
    }
    return b;
}

static value make_text(ectx *c, vtype type, const char *s, size_t len)
{
    const sym *y = sym_intern(&c->e->syms, s, len);
    return type == V_SYMBOL ? v_sym(y) : v_str(y);
}

static bool parse_number(const char *s, value *out)
{
    char *end;
    errno = 0;
    long long i = strtoll(s, &end, 10);
    if (*s && *end == '\0' && errno == 0) {
        *out = v_int(i);
        return true;
    }
    errno = 0;
    double d = strtod(s, &end);
    if (*s && *end == '\0' && errno == 0 && isfinite(d)) {
        *out = v_float(d);
        return true;
    }
    return false;
}

/* A call of a function the embedder defined (sn_define_function). */
static value call_user(ectx *c, const cexpr *x)
{
    engine *e = c->e;
    const userfn *u = &e->fns[x->fn - FN_COUNT_];
    sn_value small[8];
    sn_value *args = x->nargs <= 8 ? small : e_alloc(e, x->nargs * sizeof *args);
    for (uint32_t i = 0; i < x->nargs; i++) {
        value v = cx_eval(c, x->args[i]);
        if (c->failed)
            break;
        switch (v.type) {
        case V_INT: args[i] = (sn_value){.is_number = true, .number = (double)v.u.i}; break;
        case V_FLOAT: args[i] = (sn_value){.is_number = true, .number = v.u.f}; break;
        case V_STRING: args[i] = (sn_value){.text = v.u.s->text, .is_string = true}; break;
        case V_SYMBOL: args[i] = (sn_value){.text = v.u.s->text}; break;
        default: args[i] = (sn_value){.text = "nil"}; break;
        }
    }
    sn_value r = {0};
    char err[256] = "";
    bool ok = !c->failed && u->fn(u->ctx, args, x->nargs, &r, err, sizeof err);
    if (args != small)
        e_free(e, args);
    if (c->failed)
        return v_nil();
    if (!ok) {
        if (!c->failed)
            engine_error(e, "%s: %s", u->name, err[0] ? err : "failed");
        c->failed = true;
        return v_nil();
    }
    if (r.is_number) {
        if (!isfinite(r.number))
            return fail(c, "%s gave a number that is not finite", u->name);
        if (r.number == floor(r.number) && fabs(r.number) < 9.2e18)
            return v_int((int64_t)r.number);
        return v_float(r.number);
    }
    if (!r.text)
        return fail(c, "%s gave no value", u->name);
    const sym *s = sym_intern(&e->syms, r.text, strlen(r.text));
    return r.is_string ? v_str(s) : v_sym(s);
}

static value call(ectx *c, const cexpr *x)
{
    if (x->fn >= FN_COUNT_)
        return call_user(c, x);
    value a[3];
    uint32_t n = x->nargs;
    for (uint32_t i = 0; i < n && i < 3; i++) {
        a[i] = cx_eval(c, x->args[i]);
        if (c->failed)
            return v_nil();
    }
    char b1[64], b2[64];
    switch (x->fn) {
    case FN_ABS:
        if (a[0].type == V_INT) {
            if (a[0].u.i == INT64_MIN)
                return fail(c, "integer overflow in %s", "abs");
            return v_int(a[0].u.i < 0 ? -a[0].u.i : a[0].u.i);
        }
        if (a[0].type == V_FLOAT)
            return v_float(fabs(a[0].u.f));
        return fail(c, "%s needs a number", "abs");
    case FN_MIN:
    case FN_MAX: {
        value best = v_nil();
        for (uint32_t i = 0; i < n; i++) {
            value v = cx_eval(c, x->args[i]);
            if (c->failed)
                return v_nil();
            if (!value_is_number(v))
                return fail(c, "%s needs numbers", x->fn == FN_MIN ? "min" : "max");
            bool ok;
            if (i == 0 || (x->fn == FN_MIN ? value_cmp(v, best, &ok) < 0 : value_cmp(v, best, &ok) > 0))
                best = v;
        }
        return best;
    }
    case FN_SQRT:
        if (!value_is_number(a[0]) || value_num(a[0]) < 0)
            return fail(c, "%s needs a number not below zero", "sqrt");
        return v_float(sqrt(value_num(a[0])));
    case FN_POW:
        if (!value_is_number(a[0]) || !value_is_number(a[1]))
            return fail(c, "%s needs two numbers", "pow");
        return float_result(c, pow(value_num(a[0]), value_num(a[1])), "pow");
    case FN_ROUND:
    case FN_FLOOR:
    case FN_CEIL: {
        if (a[0].type == V_INT)
            return a[0];
        if (a[0].type != V_FLOAT)
            return fail(c, "%s needs a number", "round, floor and ceil");
        double d = x->fn == FN_ROUND ? round(a[0].u.f) : x->fn == FN_FLOOR ? floor(a[0].u.f) : ceil(a[0].u.f);
        if (!(d > -9.2e18 && d < 9.2e18))
            return fail(c, "%s: the result does not fit an integer", "round");
        return v_int((int64_t)d);
    }
    case FN_INT:
    case FN_FLOAT: {
        value v = a[0];
        if (v.type == V_STRING || v.type == V_SYMBOL) {
            if (!parse_number(v.u.s->text, &v))
                return fail(c, "'%s' is not a number", a[0].u.s->text);
        }
        if (!value_is_number(v))
            return fail(c, "%s needs a number", x->fn == FN_INT ? "int" : "float");
        if (x->fn == FN_FLOAT)
            return v_float(value_num(v));
        if (v.type == V_INT)
            return v;
        if (!(v.u.f > -9.2e18 && v.u.f < 9.2e18))
            return fail(c, "%s: the number does not fit an integer", "int");
        return v_int((int64_t)v.u.f);
    }
    case FN_BETWEEN: {
        bool ok1, ok2;
        int lo = value_cmp(a[0], a[1], &ok1), hi = value_cmp(a[0], a[2], &ok2);
        return boolean(c, ok1 && ok2 && lo >= 0 && hi <= 0);
    }
    case FN_CONCAT: {
        engine *e = c->e;
        size_t cap = 64, len = 0;
        char *buf = e_alloc(e, cap);
        for (uint32_t i = 0; i < n; i++) {
            value v = cx_eval(c, x->args[i]);
            if (c->failed) {
                e_free(e, buf);
                return v_nil();
            }
            const char *t = text_of(v, b1, sizeof b1);
            size_t tl = strlen(t);
            if (len + tl + 1 > cap) {
                while (len + tl + 1 > cap)
                    cap *= 2;
                buf = e_realloc(e, buf, cap);
            }
            memcpy(buf + len, t, tl);
            len += tl;
        }
        value r = make_text(c, V_STRING, buf, len);
        e_free(e, buf);
        return r;
    }
    case FN_LENGTH: return v_int((int64_t)utf8_len(text_of(a[0], b1, sizeof b1)));
    case FN_UPPER:
    case FN_LOWER: {
        const char *t = text_of(a[0], b1, sizeof b1);
        size_t len = strlen(t);
        char *buf = e_alloc(c->e, len + 1);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)(x->fn == FN_UPPER ? toupper((unsigned char)t[i]) : tolower((unsigned char)t[i]));
        value r = make_text(c, a[0].type == V_SYMBOL ? V_SYMBOL : V_STRING, buf, len);
        e_free(c->e, buf);
        return r;
    }
    case FN_SUBSTR: {
        if (a[1].type != V_INT || a[2].type != V_INT)
            return fail(c, "%s needs integer start and length", "substr");
        const char *t = text_of(a[0], b1, sizeof b1);
        int64_t start = a[1].u.i < 1 ? 1 : a[1].u.i, count = a[2].u.i < 0 ? 0 : a[2].u.i;
        size_t from = utf8_offset(t, (size_t)(start - 1));
        size_t to = from + utf8_offset(t + from, (size_t)count);
        return make_text(c, a[0].type == V_SYMBOL ? V_SYMBOL : V_STRING, t + from, to - from);
    }
    case FN_CONTAINS:
    case FN_STARTS_WITH:
    case FN_ENDS_WITH: {
        const char *s = text_of(a[0], b1, sizeof b1), *t = text_of(a[1], b2, sizeof b2);
        size_t ls = strlen(s), lt = strlen(t);
        bool r = x->fn == FN_CONTAINS ? strstr(s, t) != NULL
                 : x->fn == FN_STARTS_WITH ? strncmp(s, t, lt) == 0
                                           : ls >= lt && memcmp(s + ls - lt, t, lt) == 0;
        return boolean(c, r);
    }
    case FN_SYMBOL:
    case FN_STRING: {
        const char *t = text_of(a[0], b1, sizeof b1);
        return make_text(c, x->fn == FN_SYMBOL ? V_SYMBOL : V_STRING, t, strlen(t));
    }
    case FN_IS_INT: return boolean(c, a[0].type == V_INT);
    case FN_IS_FLOAT: return boolean(c, a[0].type == V_FLOAT);
    case FN_IS_NUMBER: return boolean(c, value_is_number(a[0]));
    case FN_IS_SYMBOL: return boolean(c, a[0].type == V_SYMBOL);
    case FN_IS_STRING: return boolean(c, a[0].type == V_STRING);
    case FN_COUNT_: break;
    }
    return v_nil();
}

value cx_eval(ectx *c, const cexpr *x)
{
    switch (x->kind) {
    case CX_CONST: return x->k;
    case CX_SLOT: return c->f->slots[x->slot];
    case CX_CF: return v_float(c->f->cf);
    case CX_VAR: return var_value(c, x);
    case CX_LOCAL: return c->locals ? c->locals[x->slot] : v_nil();
    case CX_CALL: return call(c, x);
    case CX_FUNC: return func_call(c, x);
    case CX_PARAM: return c->params ? c->params[x->slot] : v_nil();
    case CX_UN: {
        value a = cx_eval(c, x->args[0]);
        if (c->failed)
            return v_nil();
        if (x->op == OP_NOT)
            return boolean(c, !cx_truth(a));
        if (a.type == V_INT) {
            if (a.u.i == INT64_MIN)
                return fail(c, "integer overflow in %s", "-");
            return v_int(-a.u.i);
        }
        if (a.type == V_FLOAT)
            return v_float(-a.u.f);
        return fail(c, "%s needs a number", "-");
    }
    case CX_BIN: {
        ast_op op = (ast_op)x->op;
        value a = cx_eval(c, x->args[0]);
        if (c->failed)
            return v_nil();
        if (op == OP_AND && !cx_truth(a))
            return v_sym(c->e->s_false);
        if (op == OP_OR && cx_truth(a))
            return v_sym(c->e->s_true);
        value b = cx_eval(c, x->args[1]);
        if (c->failed)
            return v_nil();
        switch (op) {
        case OP_AND:
        case OP_OR: return boolean(c, cx_truth(b));
        case OP_EQ: return boolean(c, value_eq(a, b));
        case OP_NE: return boolean(c, !value_eq(a, b));
        case OP_LT:
        case OP_LE:
        case OP_GT:
        case OP_GE: {
            bool ok;
            int r = value_cmp(a, b, &ok);
            if (!ok)
                return v_sym(c->e->s_false);
            return boolean(c, op == OP_LT ? r < 0 : op == OP_LE ? r <= 0 : op == OP_GT ? r > 0 : r >= 0);
        }
        default: return arith(c, op, a, b);
        }
    }
    }
    return v_nil();
}

void cx_key(engine *e, const cexpr *x)
{
    char buf[96];
    switch (x->kind) {
    case CX_CONST:
        value_format(buf, sizeof buf, x->k);
        scratch_printf(e, "k%d:%s", (int)x->k.type, buf);
        return;
    case CX_SLOT: scratch_printf(e, "s%d", x->slot); return;
    case CX_CF: scratch_add(e, "cf", 2); return;
    case CX_VAR: scratch_printf(e, "v%u.%d", x->level, x->slot); return;
    case CX_LOCAL: scratch_printf(e, "l%d", x->slot); return;
    case CX_CALL: scratch_printf(e, "f%d", (int)x->fn); break;
    case CX_FUNC: scratch_printf(e, "F%d", (int)x->fn); break;
    case CX_PARAM: scratch_printf(e, "p%d", x->slot); return;
    case CX_BIN: scratch_printf(e, "b%d", x->op); break;
    case CX_UN: scratch_printf(e, "u%d", x->op); break;
    }
    scratch_add(e, "(", 1);
    for (uint32_t i = 0; i < x->nargs; i++) {
        if (i)
            scratch_add(e, ",", 1);
        cx_key(e, x->args[i]);
    }
    scratch_add(e, ")", 1);
}
