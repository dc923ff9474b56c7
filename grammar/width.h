/* width.h — how many terminal columns a character takes, as wcwidth(3)
 * says in a UTF-8 locale, without needing one: East Asian wide and
 * full-width characters take two, combining marks and zero-width
 * characters none, every other printable character one. Diagnostics place
 * their carets by it (diag.c). tests/unit/test_width.c checks it against
 * the C library's wcwidth.
 */
#ifndef SINEW_WIDTH_H
#define SINEW_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Columns of code point CP: 0, 1 or 2. */
int uc_width(uint32_t cp);

/* Columns of the UTF-8 character starting at S (its lead byte; the
 * continuation bytes that follow are read while there are any, at most
 * three). A byte that starts no valid character takes one. */
int utf8_char_width(const char *s);

#endif
