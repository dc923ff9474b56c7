/* verify.h — checking the engine's invariants (verify.c). Private to the
 * engine.
 *
 * SN_ASSERT is for broken invariants only, never for bad input. It is
 * active in debug builds (SINEW_DEBUG: the unit tests' objects and the
 * sanitizer build) and costs nothing otherwise. In a debug build every
 * public call that changes the engine ends by walking the whole engine
 * (verify_engine, from engine_quiesce and the end of sn_run), so a test
 * that breaks an invariant stops where it broke it.
 */
#ifndef SINEW_VERIFY_H
#define SINEW_VERIFY_H

#include "internal.h"

/* NULL when everything holds, else what does not (the engine's scratch
 * text: valid until the next engine call). */
const char *verify_engine(engine *);

void engine_assert_failed(const char *what, const char *file, int line)
    __attribute__((noreturn));

#if defined(SINEW_DEBUG)
#define SN_ASSERT(cond) ((cond) ? (void)0 : engine_assert_failed(#cond, __FILE__, __LINE__))
/* Between public calls: the whole engine walked. */
#define SN_VERIFY(e)                                                  \
    do {                                                              \
        const char *verify_why_ = verify_engine(e);                   \
        if (verify_why_)                                              \
            engine_assert_failed(verify_why_, __FILE__, __LINE__);    \
    } while (0)
#else
#define SN_ASSERT(cond) ((void)0)
#define SN_VERIFY(e) ((void)0)
#endif

#endif
