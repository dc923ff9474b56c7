/* clone_env.h — the check environment of a clone (clone_env.c): made
 * from the copied sources when the clone first reads text, and shared,
 * for reading, between the clones of one program. Private to the engine.
 *
 * A clone is made without a check environment of its own (e->env_stale;
 * e->env is an empty one). Text that is only checked and never kept — a
 * typed fact, a pattern (sn_query, whynot), a case resumed — is checked
 * against a shared environment: one per program, made from the sources
 * of the first clone that needs it and kept while any engine of that
 * program holds it (struct env_share, with its own memory; the checks'
 * transactions on it are always rolled back, so it never changes). Text
 * that is kept — a load — and a function defined need the engine's own
 * environment: it is made then (env_ready), at about the cost of
 * checking the sources once, and the share is let go.
 *
 * Ownership: an engine holds one reference to its share (e->share), let
 * go by env_share_release (engine_fini); the last one frees it. The
 * engines that share one must be used from one thread at a time.
 */
#ifndef SINEW_CLONE_ENV_H
#define SINEW_CLONE_ENV_H

#include "internal.h"

/* E's own check environment, up to date: made from E's sources when E is
 * a clone that has none yet. False when memory ran out (the environment
 * is then as it was, still to be made). Runs inside a public call. */
bool env_ready(engine *e);

/* The environment to check text against that will not be kept (the
 * caller rolls its transaction back, then calls env_read_end), or NULL
 * when memory ran out. Runs inside a public call. */
check_env *env_read(engine *e);
void env_read_end(engine *e);

/* The clone C of E reads E's share (one is made for E's program, if E
 * has none that is up to date: E keeps it too, for its later clones). */
void env_share_clone(engine *c, engine *e);
void env_share_release(engine *e);

#endif
