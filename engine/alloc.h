/* alloc.h — the engine's memory and scratch text (alloc.c). Private to the
 * engine. Every module uses it; it uses none. */
#ifndef SINEW_ALLOC_H
#define SINEW_ALLOC_H

#include "internal.h"

/* Every allocation of the engine goes through these, and so through its
 * sn_mem. They never return NULL: when memory runs out they draw on the
 * engine's reserve (mem.h), and when that is spent too they land at the
 * outermost public call (CALL_ENTER below), which marks the engine broken. */
void *e_alloc(engine *, size_t);
/* The engine's sn_mem `fail` hook: what any allocation from its memory
 * (arenas, symbols, sources) does when even the reserve is spent. */
void engine_mem_failed(void *engine);
void *e_calloc(engine *, size_t n, size_t size);
void e_free(engine *, void *);
void *e_realloc(engine *, void *, size_t);

/* The engine's scratch buffer: text built piece by piece (sharing keys,
 * formatted values). Reset before use; valid until the next reset. */
void scratch_reset(engine *);
void scratch_add(engine *, const char *s, size_t len);
void scratch_printf(engine *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A runtime error (owned by the engine until the next): stops the run. */
void engine_error(engine *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- public calls -------------------------------------------------------------
 *
 * Every public call that may allocate begins with CALL_ENTER(e) (or
 * CALL_ENTER_REPAIR for sn_reset, which also mends a broken engine and
 * frees before it takes the reserve back with mem_refill itself) and
 * leaves through call_leave, which returns the status. The
 * outermost call first takes the reserve back (mem_refill); while memory
 * is still short it fails at once with SN_ERR_NOMEM, having changed
 * nothing. Within the call, call_short says memory ran out and the reserve
 * was drawn on: the call finishes its step, undoes what it can, and
 * leaves with SN_ERR_NOMEM (call_leave turns an SN_OK into that unless the
 * call keeps its result, call_leave_kept). Inner calls (a public call made
 * by another) pass their status through untouched. */
#define CALL_ENTER_(e, repair)                                                                     \
    do {                                                                                           \
        if ((e)->calls++ == 0) {                                                                   \
            if (setjmp((e)->landing))                                                              \
                return call_landed(e);                                                             \
            if (!call_open((e), (repair)))                                                         \
                return call_leave((e), SN_ERR_NOMEM);                                              \
        }                                                                                          \
    } while (0)
#define CALL_ENTER(e) CALL_ENTER_(e, false)
#define CALL_ENTER_REPAIR(e) CALL_ENTER_(e, true)

bool call_open(engine *, bool repair);
sn_status call_landed(engine *);
sn_status call_leave(engine *, sn_status);
sn_status call_leave_kept(engine *, sn_status);
static inline bool call_short(const engine *e) { return e->mem.tapped != 0; }
/* Fail the call with ST and a message (sn_errmsg); returns ST. */
sn_status call_error(engine *, sn_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
