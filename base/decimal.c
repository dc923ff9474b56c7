/* decimal.c — integers written in decimal; see decimal.h. */
#include "decimal.h"

#include <string.h>

size_t decimal_int64(char buf[DECIMAL_INT64_MAX], int64_t v)
{
    char tmp[DECIMAL_INT64_MAX];
    char *p = tmp + sizeof tmp;
    /* the magnitude as unsigned: INT64_MIN has none as int64_t */
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}
