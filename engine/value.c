/* value.c — value operations; see value.h. */
#include "value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/decimal.h"


bool value_is_number(value v)
{
    return v.type == V_INT || v.type == V_FLOAT;
}

double value_num(value v)
{
    return v.type == V_INT ? (double)v.u.i : v.type == V_FLOAT ? v.u.f : 0.0;
}

bool value_eq(value a, value b)
{
    if (a.type == V_INT && b.type == V_FLOAT)
        return (double)a.u.i == b.u.f;
    if (a.type == V_FLOAT && b.type == V_INT)
        return a.u.f == (double)b.u.i;
    return value_same(a, b);
}

int value_cmp(value a, value b, bool *ok)
{
    *ok = true;
    if (a.type == V_INT && b.type == V_INT)
        return (a.u.i > b.u.i) - (a.u.i < b.u.i);
    if (value_is_number(a) && value_is_number(b)) {
        double x = value_num(a), y = value_num(b);
        return (x > y) - (x < y);
    }
    if ((a.type == V_SYMBOL || a.type == V_STRING) && a.type == b.type) {
        int c = strcmp(a.u.s->text, b.u.s->text);
        return (c > 0) - (c < 0);
    }
    *ok = false;
    return 0;
}

uint32_t value_hash(value v)
{
    uint64_t x;
    switch (v.type) {
    case V_SYMBOL:
    case V_STRING: return v.u.s->hash ^ (uint32_t)v.type;
    case V_INT: x = (uint64_t)v.u.i; break;
    case V_FLOAT:
        /* equal numbers hash alike: an integral float hashes as its int */
        if (v.u.f == floor(v.u.f) && fabs(v.u.f) < 9.2e18) {
            x = (uint64_t)(int64_t)v.u.f;
            break;
        }
        memcpy(&x, &v.u.f, sizeof x);
        break;
    default: return 0;
    }
    return value_hash_bits(x);
}

/* TEXT (LEN bytes) into BUF as snprintf's "%s" would put it: cut to fit
 * SIZE, NUL-terminated; returns LEN. (Rows of numbers and names are
 * written by the thousand: this is several times cheaper.) */
static size_t put_text(char *buf, size_t size, const char *text, size_t len)
{
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
    return len;
}

/* I in decimal into BUF as "%" PRId64 would put it. */
static size_t put_int(char *buf, size_t size, int64_t i)
{
    char tmp[DECIMAL_INT64_MAX];
    size_t n = decimal_int64(tmp, i);
    return put_text(buf, size, tmp, n);
}

size_t value_format(char *buf, size_t size, value v)
{
    size_t n = 0;
    switch (v.type) {
    case V_NIL: n = put_text(buf, size, "nil", 3); break;
    case V_SYMBOL: n = put_text(buf, size, v.u.s->text, v.u.s->len); break;
    case V_INT: n = put_int(buf, size, v.u.i); break;
    case V_FLOAT: {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.15g", v.u.f);
        if (!strpbrk(tmp, ".eEn"))
            strcat(tmp, ".0");
        n = (size_t)snprintf(buf, size, "%s", tmp);
        break;
    }
    case V_STRING: {
        size_t o = 0;
        if (size)
            buf[0] = '\0';
        if (o + 1 < size)
            buf[o] = '"';
        o++;
        for (const char *c = v.u.s->text; *c; c++) {
            /* as the string would be written: control characters escaped,
             * so none reaches a terminal */
            const char *esc = NULL;
            char hex[5];
            switch (*c) {
            case '"': esc = "\\\""; break;
            case '\\': esc = "\\\\"; break;
            case '\n': esc = "\\n"; break;
            case '\t': esc = "\\t"; break;
            case '\r': esc = "\\r"; break;
            default:
                if ((unsigned char)*c < 0x20 || *c == 0x7f) {
                    snprintf(hex, sizeof hex, "\\x%02x", (unsigned char)*c);
                    esc = hex;
                }
                break;
            }
            if (esc) {
                for (; *esc; esc++, o++)
                    if (o + 1 < size)
                        buf[o] = *esc;
            } else {
                if (o + 1 < size)
                    buf[o] = *c;
                o++;
            }
        }
        if (o + 1 < size)
            buf[o] = '"';
        o++;
        if (size)
            buf[o < size ? o : size - 1] = '\0';
        n = o;
        break;
    }
    }
    return n;
}

void value_write(FILE *out, value v)
{
    char small[256];
    size_t n = value_format(small, sizeof small, v);
    if (n < sizeof small) {
        fputs(small, out);
        return;
    }
    char *big = malloc(n + 1);
    if (!big)
        return;
    value_format(big, n + 1, v);
    fputs(big, out);
    free(big);
}

void value_display(FILE *out, value v)
{
    if (v.type == V_STRING || v.type == V_SYMBOL)
        fputs(v.u.s->text, out);
    else
        value_write(out, v);
}
