/* decimal.h — integers written in decimal without printf.
 *
 * Owns nothing: the caller gives the buffer. Numbers are written by the
 * thousand (query rows, a knowledge base's constants for the lint), and
 * snprintf's "%" PRId64 costs several times what this does.
 */
#ifndef SINEW_DECIMAL_H
#define SINEW_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* Room for any int64_t in decimal, its sign and a NUL. */
enum { DECIMAL_INT64_MAX = 21 };

/* V in decimal into BUF, NUL-terminated, as "%" PRId64 writes it;
 * returns its length. */
size_t decimal_int64(char buf[DECIMAL_INT64_MAX], int64_t v);

#endif
