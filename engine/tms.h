/* tms.h — truth maintenance and certainty (tms.c). Private to the engine. */
#ifndef SINEW_TMS_H
#define SINEW_TMS_H

#include "internal.h"

/* Recompute the queued facts' certainty; retract those nothing holds. */
void engine_settle(engine *);
/* Between operations: settle truth maintenance, then free what died. */
void engine_quiesce(engine *);
/* CF kept to nine decimal places, as every combined certainty and the
 * threshold are. */
double cf_decimal(double cf);
/* F's certainty from its active justifications (given counts as 1). */
double fact_cf_of(const struct fact *);
/* The smallest cf of the facts P matched at TOK. */
double token_min_cf(const token *tok, const struct prod *p);
/* J's match (MATCH) went: it no longer holds its fact up. */
void just_withdraw(engine *, struct just *, token *match);
/* What a firing found behind its conditions before its actions ran
 * (witness_record fills it): each condition's kind, and the facts that
 * let each `exists` through, condition l's at ids[at[l - 1] .. at[l]). */
typedef struct firing_conds {
    const uint8_t *kinds;
    const uint64_t *ids;
    const uint32_t *at;
} firing_conds;

/* A record of firing P on the facts LV (by level) with LOCALS bound:
 * what it matched and bound, and FC (may be NULL), are copied in when
 * recording. */
struct just *just_new(engine *, just_kind, struct prod *p, struct fact *const *lv,
                      const value *locals, const firing_conds *fc);

#endif
