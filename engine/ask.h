/* ask.h — questions and their answers (ask.c). Private to the engine.
 *
 * The asks belong to the engine (decls.c makes them, the engine frees
 * them); this module owns only their marks (unknown, a group's answer and
 * the items it settled), cleared at reset. The public calls are
 * sn_ask_* in sinew.h.
 */
#ifndef SINEW_ASK_H
#define SINEW_ASK_H

#include "internal.h"

/* A fact that answers a question: live, asserted, not made by a rule. */
bool ask_given_fact(const struct fact *);
/* The question K is asked as now: its group while that is open, else K. */
const ask *ask_asked_as(const engine *, const ask *k);
/* The answer of K that says no: `no`, else `none`; -1 when there is none. */
int32_t ask_negative(const ask *k);

#endif
