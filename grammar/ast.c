/* ast.c — the program object, names of AST enums and packed facts; see
 * ast.h, front.h. */
#include "ast.h"
#include "front.h"

#include <string.h>

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
    p->scratch = arena_new(mem);
    p->names = p->scratch ? arena_new(mem) : NULL;
    if (!p->names) {
        arena_free(p->scratch);
        arena_free(a);
        return NULL;
    }
    return p;
}

void ast_program_free(ast_program *p)
{
    if (p) {
        arena_free(p->names);
        arena_free(p->scratch);
        arena_free(p->arena);
    }
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

/* ---- packed facts ----
 *
 * A packed fact's args: a u32 count, then for each arg
 *   u8 named, u8 the value's type,
 *   u32 name start, end, length and the name's bytes and a NUL (named
 *   only), u32 the arg's start and end, u32 the value's start and end,
 *   i32 its slot (check), u32 the value's length,
 *   and its int64 or double, or its text's bytes and a NUL (symbol,
 *   string), so that an opened fact's texts point into the bytes.
 * Every span is in the fact's file. Fields are copied with memcpy: the
 * bytes need no alignment. */

static bool same_span(span a, span b)
{
    return a.start == b.start && a.end == b.end && a.file == b.file;
}

bool ast_fact_packable(const ast_fact *f)
{
    for (const ast_slotval *a = f->args; a; a = a->next) {
        const ast_expr *v = a->value;
        if (!v || v->kind != EX_LIT || v->depth != 1 || v->next || !same_span(v->sp, v->u.lit.sp) ||
            v->u.lit.next || a->name.var != 0 || a->slot != 0 || a->sp.file != f->sp.file ||
            v->sp.file != f->sp.file || (a->name.text && a->name.sp.file != f->sp.file))
            return false;
    }
    return true;
}

typedef struct packer {
    unsigned char *at, *end;
    bool full;
} packer;

static void put_bytes(packer *p, const void *x, size_t n)
{
    if (p->full || (size_t)(p->end - p->at) < n) {
        p->full = true;
        return;
    }
    memcpy(p->at, x, n);
    p->at += n;
}

static void put_u32(packer *p, uint32_t v) { put_bytes(p, &v, sizeof v); }
static void put_u8(packer *p, uint8_t v) { put_bytes(p, &v, sizeof v); }

size_t ast_fact_pack(const ast_fact *f, unsigned char *buf, size_t size)
{
    packer p = {.at = buf, .end = buf + size};
    uint32_t n = 0;
    for (const ast_slotval *a = f->args; a; a = a->next)
        n++;
    put_u32(&p, n);
    for (const ast_slotval *a = f->args; a; a = a->next) {
        const ast_lit *l = &a->value->u.lit;
        put_u8(&p, a->name.text != NULL);
        put_u8(&p, (uint8_t)l->type);
        if (a->name.text) {
            put_u32(&p, a->name.sp.start);
            put_u32(&p, a->name.sp.end);
            put_u32(&p, a->name.len);
            put_bytes(&p, a->name.text, a->name.len);
            put_u8(&p, 0);
        }
        put_u32(&p, a->sp.start);
        put_u32(&p, a->sp.end);
        put_u32(&p, l->sp.start);
        put_u32(&p, l->sp.end);
        put_bytes(&p, &a->slot, sizeof a->slot);
        put_u32(&p, l->len);
        if (l->type == TY_INT)
            put_bytes(&p, &l->u.i, sizeof l->u.i);
        else if (l->type == TY_FLOAT)
            put_bytes(&p, &l->u.f, sizeof l->u.f);
        else {
            put_bytes(&p, l->u.s, l->len);
            put_u8(&p, 0);
        }
    }
    return p.full ? 0 : (size_t)(p.at - buf);
}

static uint32_t get_u32(const unsigned char **p)
{
    uint32_t v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

/* The arg at *P into A (its texts pointing into the packed bytes); *P
 * moves past it, *SLOT_AT to its slot's bytes. */
static void unpack_arg(const unsigned char **p, uint32_t file, ast_slotval *a, ast_expr *v,
                       unsigned char **slot_at)
{
    bool named = (*p)[0];
    ast_lit *l = &v->u.lit;
    l->type = (ast_type)(*p)[1];
    *p += 2;
    if (named) {
        a->name.sp = (span){.file = file};
        a->name.sp.start = get_u32(p);
        a->name.sp.end = get_u32(p);
        a->name.len = get_u32(p);
        a->name.text = (const char *)*p;
        *p += a->name.len + 1;
    }
    a->sp = (span){.file = file};
    a->sp.start = get_u32(p);
    a->sp.end = get_u32(p);
    l->sp = (span){.file = file};
    l->sp.start = get_u32(p);
    l->sp.end = get_u32(p);
    *slot_at = (unsigned char *)*p;
    memcpy(&a->slot, *p, sizeof a->slot);
    *p += sizeof a->slot;
    l->len = get_u32(p);
    if (l->type == TY_INT) {
        memcpy(&l->u.i, *p, sizeof l->u.i);
        *p += sizeof l->u.i;
    } else if (l->type == TY_FLOAT) {
        memcpy(&l->u.f, *p, sizeof l->u.f);
        *p += sizeof l->u.f;
    } else {
        l->u.s = (const char *)*p;
        *p += l->len + 1;
    }
    v->kind = EX_LIT;
    v->depth = 1;
    v->sp = l->sp;
}

ast_packed ast_packed_args(const ast_fact *f)
{
    ast_packed it = {.at = f->packed, .file = f->sp.file};
    if (it.at)
        it.left = get_u32(&it.at);
    return it;
}

bool ast_packed_next(ast_packed *it, ast_slotval *a, ast_expr *v)
{
    if (it->left == 0)
        return false;
    it->left--;
    memset(a, 0, sizeof *a);
    memset(v, 0, sizeof *v);
    unsigned char *slot_at;
    unpack_arg(&it->at, it->file, a, v, &slot_at);
    a->value = v;
    return true;
}

ast_fact *ast_fact_open(const ast_fact *f, arena *scratch)
{
    if (!f->packed)
        return (ast_fact *)f;
    ast_packed it = ast_packed_args(f);
    /* the copy, its args and their values in one block */
    struct arg {
        ast_slotval a;
        ast_expr v;
    };
    ast_fact *u = arena_alloc(scratch, sizeof *u + (size_t)it.left * sizeof(struct arg));
    *u = *f;
    u->packed = NULL;
    struct arg *args = (struct arg *)(u + 1);
    ast_slotval **tail = &u->args;
    for (uint32_t i = 0; ast_packed_next(&it, &args[i].a, &args[i].v); i++) {
        *tail = &args[i].a;
        tail = &args[i].a.next;
    }
    return u;
}

void ast_fact_close(ast_fact *f, const ast_fact *u)
{
    if (!f->packed || f == u)
        return;
    f->tmpl_id = u->tmpl_id;
    const unsigned char *p = f->packed;
    uint32_t n = get_u32(&p);
    const ast_slotval *a = u->args;
    for (uint32_t i = 0; i < n && a; i++, a = a->next) {
        ast_slotval skip = {0};
        ast_expr v = {0};
        unsigned char *slot_at;
        unpack_arg(&p, f->sp.file, &skip, &v, &slot_at);
        memcpy(slot_at, &a->slot, sizeof a->slot);
    }
}
