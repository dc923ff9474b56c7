/* engine.h — the engine's life and the operations between public calls
 * (engine.c). Private to the engine. */
#ifndef SINEW_ENGINE_H
#define SINEW_ENGINE_H

#include "internal.h"

/* Assert the facts of G (a facts block, a case's given facts), then settle. */
void engine_assert_given(engine *, const given *g, sn_origin);
/* Assert the facts of G with ORIGIN, in order, without settling: the
 * first MAX of them into OUT (when OUT is not NULL), how many into *COUNT
 * and the last into *LAST (when not NULL). Memory that runs out stops
 * the list; the caller sees it (call_short). */
void engine_assert_each(engine *, const given *g, sn_origin, sn_fact **out, size_t max,
                        size_t *count, sn_fact **last);
/* Working memory was just emptied (wm_clear): free the symbols interned
 * since the last load (a case's free values, strings rules made), so a
 * long run of cases holds only what its current case needs. */
void forget_case_symbols(engine *);

#endif
