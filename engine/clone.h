/* clone.h — a copy of a loaded engine's program without loading again
 * (clone.c; the public call is sn_clone in sinew.h). Private to the engine.
 *
 * The copy is deep: the clone has its own symbols, arenas, pools and
 * tables, and nothing of it points into the original, so either may be
 * freed first. What is copied is the program (templates, asks, facts
 * blocks, cases, modules, functions, rules and queries with their
 * network, the sources), the check environment later text is judged
 * against (check_env_clone, grammar/check.h) and the settings; what is
 * derived afresh is working memory (the clone's is as sn_reset leaves
 * it).
 *
 * Ownership: the clone is the caller's (sn_free). The temporary maps from
 * the original's objects to the clone's are clone.c's own, freed before
 * it returns.
 */
#ifndef SINEW_CLONE_H
#define SINEW_CLONE_H

#include "internal.h"

/* A clone of E whose memory fails from its FAIL_AFTER-th allocation on
 * (< 0: never; the allocation-failure tests), or NULL. Unlike sn_clone it
 * may be called inside a public call on E, between steps (what-if). */
sn_engine *clone_engine(const engine *e, long fail_after);

#endif
