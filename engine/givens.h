/* givens.h — the facts of facts blocks and cases, kept for reset.
 *
 * A load keeps each facts block's (and each case's) facts so that reset
 * can assert them again. They are kept packed: a fact's slot values one
 * after another in a few bytes each (a small integer in one byte, a
 * symbol or string as its symbol, a float as its 8 bytes), not as an
 * array of 16-byte values, since a data file may hold many thousands.
 *
 * Owns nothing: a given lives in the arena it was packed into (the
 * engine's perm arena), and its symbols in the engine's symbol table.
 */
#ifndef SINEW_GIVENS_H
#define SINEW_GIVENS_H

#include "internal.h"

/* A given of template T with values VALS (T->nslots of them), from
 * SOURCE, packed into A; NULL when memory ran out. */
given *given_pack(arena *a, struct tmpl *t, const value *vals, const sym *source);

/* G's values, into OUT (G->t->nslots of them). */
void given_values(const given *g, value *out);

#endif
