/* engine.h — the engine's life and the operations between public calls
 * (engine.c). Private to the engine. */
#ifndef SINEW_ENGINE_H
#define SINEW_ENGINE_H

#include "internal.h"

/* Assert the facts of G (a facts block, a case's given facts), then settle. */
void engine_assert_given(engine *, const given *g, sn_origin);
/* Working memory was just emptied (wm_clear): free the symbols interned
 * since the last load (a case's free values, strings rules made), so a
 * long run of cases holds only what its current case needs. */
void forget_case_symbols(engine *);

#endif
