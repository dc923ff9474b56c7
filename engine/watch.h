/* watch.h — the lines `watch` prints, and the log of what one step
 * changed (watch.c). Private to the engine.
 *
 * Working memory tells this module of every fact in and out and every
 * certainty that changed, with the record that caused it; it prints a
 * line for what is watched and, while sn_step fires, logs the change.
 */
#ifndef SINEW_WATCH_H
#define SINEW_WATCH_H

#include "internal.h"

/* Why a queued fact's certainty is about to change (fact.cause_kind). */
typedef enum watch_cause {
    CAUSE_GIVEN,     /* it became given (typed, a case) */
    CAUSE_NEW,       /* a rule concluded it once more */
    CAUSE_WITHDRAWN, /* a conclusion of it was withdrawn */
    CAUSE_REFRESH,   /* the facts a conclusion of it matched changed certainty */
} watch_cause;

/* Remember that J (KIND) changed F, for the line its new certainty gets. */
static inline void fact_cause(struct fact *f, struct just *j, watch_cause kind)
{
    f->cause = j;
    f->cause_kind = (uint8_t)kind;
}

/* Does anyone want the reasons (watching facts, or a step logging)? */
bool watch_wants_reasons(const engine *);
void watch_fact(engine *, const struct fact *, bool added);
/* F's certainty went from BEFORE to its cf now, for F's cause. */
void watch_cf(engine *, const struct fact *, double before);
void watch_activation(engine *, const struct activation *, bool added);
void watch_firing(engine *, const struct activation *);

#endif
