/* srctext.h — text from the loaded sources, kept in the engine's arena
 * (srctext.c). Private to the engine; it calls no other module. */
#ifndef SINEW_SRCTEXT_H
#define SINEW_SRCTEXT_H

#include "internal.h"

/* "file:line" of SP. */
char *where_of(engine *, const struct srcset *src, span sp);
/* SP's text with white space squeezed: a pattern over lines reads as one. */
char *span_text(engine *, const struct srcset *src, span sp);
/* TEXT with every run of white space one space (a doc string as one
 * paragraph). */
char *squeeze(engine *, const char *text, size_t len);

#endif
