/* wm.h — working memory (wm.c). Private to the engine. */
#ifndef SINEW_WM_H
#define SINEW_WM_H

#include "internal.h"

/* Facts are a set: asserting a fact equal to a live one returns that one
 * (*ADDED false). The engine owns every fact; a retracted fact stays
 * readable until the operation ends (engine_quiesce), then it is freed, or
 * kept on the withdrawn list when it was only concluded and records are
 * kept. */
struct fact *fact_assert(engine *, struct tmpl *, const value *vals, sn_origin, const sym *source,
                         bool *added);
void fact_retract(engine *, struct fact *);
/* Retract every fact made after id AFTER, newest first: a call taking
 * back what it asserted when memory ran out (the caller quiesces). */
void wm_take_back(engine *, uint64_t after);
/* The live fact of T equal to VALS (coerced to the slots' types first), or
 * NULL; *HASH gets the values' hash for fact_new_concluded. */
struct fact *wm_lookup(engine *, struct tmpl *t, value *vals, uint32_t *hash);
/* A fact made by a conclusion alone (no support hung on it yet): in
 * working memory, not yet in the network. */
struct fact *fact_new_concluded(engine *, struct tmpl *t, const value *vals, uint32_t hash,
                                double cf);
/* A fact whose support or certainty changed waits for engine_settle. */
void fact_enqueue(engine *, struct fact *);
/* Free the facts retracted during this operation (engine_quiesce). */
void zombies_free(engine *);
void just_free(engine *, struct just *);
/* Every fact gone, the network's memories emptied; ids count from 1. */
void wm_clear(engine *);
/* Free every fact (the engine is going). */
void wm_free_all(engine *);

/* Templates by number: the checker's numbering (check_env) and the
 * engine's are the same, since both count the templates in the order
 * loads declared them. */
static inline struct tmpl *tmpl_of(engine *e, uint32_t id)
{
    return id < e->ntmpls ? e->tmpl_by_id[id] : NULL;
}
/* By name, for the calls that name a template or slot (the API). */
struct tmpl *tmpl_find(const engine *, const char *name, size_t len);
int32_t slot_index(const struct tmpl *, const char *name, size_t len);
/* Does F pass a pattern's one-fact TEST (and the threshold, unless the
 * pattern tests cf)? */
bool fact_matches(engine *, const struct tmpl *t, cexpr *test, bool tests_cf, struct fact *f);

#endif
