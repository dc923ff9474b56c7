/* whatif.h — answers tried on a copy of the engine (whatif.c). Private to
 * the engine.
 *
 * The copy is compiled from the engine's sources once and kept (freed by
 * whatif_free); it is brought to the session's facts by whatif_begin and
 * its working memory emptied again by whatif_end.
 */
#ifndef SINEW_WHATIF_H
#define SINEW_WHATIF_H

#include "internal.h"

void whatif_free(engine *);
/* E just kept a load: its copy, if it has one, loads the same text now
 * (dropped, to be made again when next needed, if it cannot), so the
 * copy never lags behind the calls that changed E. */
void whatif_follow(engine *);
/* Answers tried on a copy of the engine (synchronised by whatif_begin,
 * NULL when it cannot be made): whatif_try gives how much answering
 * ASKS[i] with their ANSWERS[i] (indices into each ask's answers; one ask
 * may come several times when it takes several) would change the report,
 * and *REPORT whether a red flag or the top of the differential
 * (sn_consult_top) would change. */
typedef struct whatif whatif;
whatif *whatif_begin(engine *);
double whatif_try(whatif *, const struct ask *const *asks, const uint32_t *answers, uint32_t n, bool *report);
void whatif_end(whatif *);

#endif
