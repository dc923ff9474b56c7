/* givens.c — facts blocks' and cases' facts, packed; see givens.h.
 *
 * Each value is a tag byte, then what the tag says follows:
 *   low 3 bits: the type (vtype), or TAG_SMALL;
 *   TAG_SMALL: an integer in -16 .. 15, in the high 5 bits, nothing after;
 *   V_INT: the integer, zigzag-encoded, 7 bits a byte, low bits first;
 *   V_FLOAT: its 8 bytes; V_SYMBOL, V_STRING: the symbol's address;
 *   V_NIL: nothing.
 */
#include <string.h>

#include "givens.h"

enum { TAG_SMALL = 7, SMALL_MIN = -16, SMALL_MAX = 15 };

/* The most one value takes: a tag and ten bytes of a 64-bit varint. */
enum { VALUE_MOST = 11 };

static size_t put_value(unsigned char *out, const value *v)
{
    switch (v->type) {
    case V_INT: {
        int64_t i = v->u.i;
        if (i >= SMALL_MIN && i <= SMALL_MAX) {
            out[0] = (unsigned char)(TAG_SMALL | (unsigned)(i - SMALL_MIN) << 3);
            return 1;
        }
        uint64_t z = ((uint64_t)i << 1) ^ (uint64_t)(i >> 63);
        size_t n = 0;
        out[n++] = V_INT;
        do {
            out[n++] = (unsigned char)((z & 0x7f) | (z > 0x7f ? 0x80 : 0));
            z >>= 7;
        } while (z);
        return n;
    }
    case V_FLOAT:
        out[0] = V_FLOAT;
        memcpy(out + 1, &v->u.f, sizeof v->u.f);
        return 1 + sizeof v->u.f;
    case V_SYMBOL:
    case V_STRING:
        out[0] = (unsigned char)v->type;
        memcpy(out + 1, &v->u.s, sizeof v->u.s);
        return 1 + sizeof v->u.s;
    case V_NIL: break;
    }
    out[0] = V_NIL;
    return 1;
}

static const unsigned char *get_value(const unsigned char *in, value *v)
{
    unsigned tag = in[0] & 7;
    in++;
    switch (tag) {
    case TAG_SMALL: *v = v_int((int64_t)(in[-1] >> 3) + SMALL_MIN); return in;
    case V_INT: {
        uint64_t z = 0;
        for (unsigned shift = 0;; shift += 7) {
            unsigned char b = *in++;
            z |= (uint64_t)(b & 0x7f) << shift;
            if (!(b & 0x80))
                break;
        }
        *v = v_int((int64_t)(z >> 1) ^ -(int64_t)(z & 1));
        return in;
    }
    case V_FLOAT: {
        double f;
        memcpy(&f, in, sizeof f);
        *v = v_float(f);
        return in + sizeof f;
    }
    case V_SYMBOL:
    case V_STRING: {
        const sym *s;
        memcpy(&s, in, sizeof s);
        *v = tag == V_SYMBOL ? v_sym(s) : v_str(s);
        return in + sizeof s;
    }
    default: *v = v_nil(); return in;
    }
}

given *given_pack(arena *a, struct tmpl *t, const value *vals, const sym *source)
{
    size_t len = 0;
    unsigned char scratch[VALUE_MOST];
    for (uint32_t i = 0; i < t->nslots; i++)
        len += put_value(scratch, &vals[i]);
    given *g = arena_alloc(a, sizeof *g + len);
    if (!g)
        return NULL;
    g->t = t;
    g->source = source;
    size_t at = 0;
    for (uint32_t i = 0; i < t->nslots; i++)
        at += put_value(g->packed + at, &vals[i]);
    return g;
}

void given_values(const given *g, value *out)
{
    const unsigned char *in = g->packed;
    for (uint32_t i = 0; i < g->t->nslots; i++)
        in = get_value(in, &out[i]);
}
