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
    p->rules = p->names ? arena_new(mem) : NULL;
    if (!p->rules) {
        arena_free(p->names);
        arena_free(p->scratch);
        arena_free(a);
        return NULL;
    }
    return p;
}

void ast_program_free(ast_program *p)
{
    if (p) {
        arena_free(p->rules);
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
 * A packed fact's args: a u16 count, then for each arg
 *   u8 the value's type, with PACK_NAMED set when the arg is named;
 *   named only: u8 the name's length, u16 where it starts, its bytes
 *   and a NUL;
 *   u16 where the value starts and where it ends, i32 its slot (check),
 *   and its int64 or double, or its length (u32), bytes and a NUL
 *   (symbol, string), so that an opened fact's texts point into the
 *   bytes.
 * Places are offsets from the fact's start, in the fact's file; the arg
 * runs from its name (or its value) to its value's end, as the grammar
 * makes it. What does not fit (a fact of 64 KiB or more, a name of 256
 * bytes or more) is not packed. Fields are copied with memcpy: the bytes
 * need no alignment. */

enum { PACK_NAMED = 0x80, PACK_FAR = 0xffff };

static bool same_span(span a, span b)
{
    return a.start == b.start && a.end == b.end && a.file == b.file;
}

bool ast_fact_packable(const ast_fact *f)
{
    uint32_t n = 0;
    for (const ast_slotval *a = f->args; a; a = a->next, n++) {
        const ast_expr *v = a->value;
        if (!v || v->kind != EX_LIT || v->depth != 1 || v->next || !same_span(v->sp, v->u.lit.sp) ||
            a->name.slot != 0 ||
            v->sp.file != f->sp.file || (a->name.text && a->name.sp.file != f->sp.file))
            return false;
        /* the places the bytes can say */
        if (v->sp.start < f->sp.start ||
            v->sp.end - f->sp.start >= PACK_FAR || v->sp.end < v->sp.start ||
            (a->name.text && (a->name.len > 255 || a->name.sp.start < f->sp.start ||
                              a->name.sp.end != a->name.sp.start + a->name.len)))
            return false;
    }
    return n < PACK_FAR;
}

static void put_bytes(ast_packer *p, const void *x, size_t n)
{
    if (p->full || (size_t)(p->end - p->at) < n) {
        p->full = true;
        return;
    }
    memcpy(p->at, x, n);
    p->at += n;
}

static void put_u16(ast_packer *p, uint32_t v)
{
    uint16_t x = (uint16_t)v;
    put_bytes(p, &x, sizeof x);
}

void ast_pack_begin(ast_packer *p, unsigned char *buf, size_t size, uint32_t fact_start)
{
    *p = (ast_packer){.at = buf, .end = buf + size, .start = buf, .base = fact_start};
    put_u16(p, 0); /* the count, when it is known */
}

/* Writing where room was made sure of: each puts V at W, returns past it. */
static unsigned char *w_u8(unsigned char *w, uint32_t v)
{
    *w = (unsigned char)v;
    return w + 1;
}
static unsigned char *w_u16(unsigned char *w, uint32_t v)
{
    uint16_t x = (uint16_t)v;
    memcpy(w, &x, sizeof x);
    return w + sizeof x;
}
static unsigned char *w_u32(unsigned char *w, uint32_t v)
{
    memcpy(w, &v, sizeof v);
    return w + sizeof v;
}
static unsigned char *w_text(unsigned char *w, const char *text, uint32_t len)
{
    memcpy(w, text, len);
    w[len] = 0;
    return w + len + 1;
}

bool ast_pack_arg(ast_packer *p, const ast_name *name, const ast_lit *l)
{
    bool named = name && name->text;
    bool text = l->type != TY_INT && l->type != TY_FLOAT;
    /* the most an arg takes: see the layout above */
    size_t need = 1 + (named ? 4 + (size_t)name->len : 0) + 8 + (text ? 5 + (size_t)l->len : 8);
    if (l->sp.start < p->base || l->sp.end < l->sp.start || l->sp.end - p->base >= PACK_FAR ||
        ++p->n >= PACK_FAR || (size_t)(p->end - p->at) < need ||
        (named && (name->len > 255 || name->sp.start < p->base || name->sp.start >= l->sp.start)))
        p->full = true;
    if (p->full)
        return false;
    unsigned char *w = w_u8(p->at, (uint32_t)l->type | (named ? PACK_NAMED : 0));
    if (named) {
        w = w_u8(w, name->len);
        w = w_u16(w, name->sp.start - p->base);
        w = w_text(w, name->text, name->len);
    }
    w = w_u16(w, l->sp.start - p->base);
    w = w_u16(w, l->sp.end - p->base);
    w = w_u32(w, 0); /* the slot: the checker's */
    if (l->type == TY_INT) {
        memcpy(w, &l->u.i, sizeof l->u.i);
        w += sizeof l->u.i;
    } else if (l->type == TY_FLOAT) {
        memcpy(w, &l->u.f, sizeof l->u.f);
        w += sizeof l->u.f;
    } else {
        w = w_u32(w, l->len);
        w = w_text(w, l->u.s, l->len);
    }
    p->at = w;
    return true;
}

size_t ast_pack_end(ast_packer *p)
{
    if (p->full)
        return 0;
    uint16_t n = (uint16_t)p->n;
    memcpy(p->start, &n, sizeof n);
    return (size_t)(p->at - p->start);
}

size_t ast_fact_pack(const ast_fact *f, unsigned char *buf, size_t size)
{
    ast_packer p;
    ast_pack_begin(&p, buf, size, f->sp.start);
    for (const ast_slotval *a = f->args; a; a = a->next)
        if (!ast_pack_arg(&p, &a->name, &a->value->u.lit))
            return 0;
    return ast_pack_end(&p);
}

static uint32_t get_u32(const unsigned char **p)
{
    uint32_t v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

static uint32_t get_u16(const unsigned char **p)
{
    uint16_t v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

/* The arg at *P of the fact at F (its file and start) into A and V (their
 * texts pointing into the packed bytes); *P moves past it, *SLOT_AT to
 * its slot's bytes. */
static void unpack_arg(const unsigned char **p, span f, ast_slotval *a, ast_expr *v,
                       unsigned char **slot_at)
{
    uint32_t tag = *(*p)++;
    ast_lit *l = &v->u.lit;
    l->type = (ast_type)(tag & ~PACK_NAMED);
    if (tag & PACK_NAMED) {
        a->name.len = *(*p)++;
        a->name.sp.file = f.file;
        a->name.sp.start = f.start + get_u16(p);
        a->name.sp.end = a->name.sp.start + a->name.len;
        a->name.text = (const char *)*p;
        *p += a->name.len + 1;
    }
    l->sp.file = f.file;
    l->sp.start = f.start + get_u16(p);
    l->sp.end = f.start + get_u16(p);
    *slot_at = (unsigned char *)*p;
    memcpy(&a->name.slot, *p, sizeof a->name.slot);
    *p += sizeof a->name.slot;
    if (l->type == TY_INT) {
        memcpy(&l->u.i, *p, sizeof l->u.i);
        *p += sizeof l->u.i;
    } else if (l->type == TY_FLOAT) {
        memcpy(&l->u.f, *p, sizeof l->u.f);
        *p += sizeof l->u.f;
    } else {
        l->len = get_u32(p);
        l->u.s = (const char *)*p;
        *p += l->len + 1;
    }
    v->kind = EX_LIT;
    v->depth = 1;
    v->sp = l->sp;
}

ast_packed ast_packed_args(const ast_fact *f)
{
    ast_packed it = {.at = f->packed, .sp = f->sp};
    if (it.at)
        it.left = get_u16(&it.at);
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
    unpack_arg(&it->at, it->sp, a, v, &slot_at);
    a->value = v;
    return true;
}

/* An opened fact's arg, in the block after the opened fact. */
typedef struct opened_arg {
    ast_slotval a;
    ast_expr v;
    unsigned char *slot_at; /* its slot's bytes in the packed fact */
} opened_arg;

ast_fact *ast_fact_open(const ast_fact *f, arena *scratch)
{
    if (!f->packed)
        return (ast_fact *)f;
    ast_packed it = ast_packed_args(f);
    ast_fact *u = arena_alloc(scratch, sizeof *u + (size_t)it.left * sizeof(opened_arg));
    *u = *f;
    u->packed = NULL;
    opened_arg *args = (opened_arg *)(u + 1);
    ast_slotval **tail = &u->args;
    for (uint32_t i = 0; it.left > 0; i++) {
        it.left--;
        unpack_arg(&it.at, it.sp, &args[i].a, &args[i].v, &args[i].slot_at);
        args[i].a.value = &args[i].v;
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
    const opened_arg *args = (const opened_arg *)(u + 1);
    uint32_t i = 0;
    for (const ast_slotval *a = u->args; a; a = a->next, i++)
        memcpy(args[i].slot_at, &a->name.slot, sizeof a->name.slot);
}
