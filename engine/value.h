/* value.h — values: what a slot holds.
 *
 * Symbols and strings are interned (../base/symtab.h) and share the table,
 * but never compare equal: a value's type tells them apart.
 *
 * A value is small and passed by copy. It never owns memory.
 */
#ifndef SINEW_VALUE_H
#define SINEW_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../base/symtab.h"

typedef enum vtype { V_NIL, V_SYMBOL, V_STRING, V_INT, V_FLOAT } vtype;

typedef struct value {
    vtype type;
    union {
        const sym *s;   /* V_SYMBOL, V_STRING */
        int64_t i;
        double f;
    } u;
} value;

static inline value v_int(int64_t i) { value v; v.type = V_INT; v.u.i = i; return v; }
static inline value v_float(double f) { value v; v.type = V_FLOAT; v.u.f = f; return v; }
static inline value v_sym(const sym *s) { value v; v.type = V_SYMBOL; v.u.s = s; return v; }
static inline value v_str(const sym *s) { value v; v.type = V_STRING; v.u.s = s; return v; }
static inline value v_nil(void) { value v; v.type = V_NIL; v.u.i = 0; return v; }

/* Identity: same type and same content (an int never equals a float). */
static inline bool value_same(value a, value b)
{
    if (a.type != b.type)
        return false;
    switch (a.type) {
    case V_NIL: return true;
    case V_SYMBOL:
    case V_STRING: return a.u.s == b.u.s;
    case V_INT: return a.u.i == b.u.i;
    case V_FLOAT: return a.u.f == b.u.f;
    }
    return false;
}

/* Equality as `==` and a constraint see it: numbers compare by value
 * (2 == 2.0), everything else by identity. */
bool value_eq(value a, value b);
/* Ordering for < <= > >=: numbers by value, text by bytes; a number and a
 * text do not compare (returns false through *ok). */
int value_cmp(value a, value b, bool *ok);
uint32_t value_hash(value v);
/* value_hash of an integer (and of a float equal to one), inline for the
 * network's join keys */
static inline uint32_t value_hash_bits(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x;
}
bool value_is_number(value v);
double value_num(value v);

/* Print as a rule would write it in a fact: symbols bare, strings quoted
 * with escapes, floats always with a point. */
void value_write(FILE *, value v);
/* Print for `print`: strings and symbols bare. */
void value_display(FILE *, value v);
/* value_write into BUF (always NUL-terminated; truncated to SIZE). */
size_t value_format(char *buf, size_t size, value v);

#endif
