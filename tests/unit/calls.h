/* calls.h — the engine's calls in the shape most unit tests look at them.
 *
 * Every fallible call of sinew.h returns an sn_status; a test that asserts
 * a fact or runs the rules mostly wants the fact, the stop or a yes/no.
 * These wrappers give that: a fact or NULL, a count or -1, true for SN_OK.
 * Tests of the status itself (test_nomem.c) call the API directly.
 */
#ifndef SINEW_TEST_CALLS_H
#define SINEW_TEST_CALLS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sinew.h"

static inline sn_fact *t_assert(sn_engine *e, const char *text, sn_report *r)
{
    sn_fact *f = NULL;
    return sn_assert_string(e, text, &f, r) == SN_OK ? f : NULL;
}

static inline long t_assert_facts(sn_engine *e, const char *name, const char *text, size_t len,
                                  sn_fact **out, size_t max, sn_report *r)
{
    size_t n = 0;
    return sn_assert_facts(e, name, text, len, out, max, &n, r) == SN_OK ? (long)n : -1;
}

static inline sn_fact *t_assert_slot(sn_engine *e, const char *tmpl, const char *slot, sn_value v,
                                     char *err, size_t errsize)
{
    sn_fact *f = NULL;
    return sn_assert_slot(e, tmpl, slot, v, &f, err, errsize) == SN_OK ? f : NULL;
}

static inline sn_fact *t_assert_slots(sn_engine *e, const char *tmpl, const char *const *slots,
                                      const sn_value *vals, unsigned n, char *err, size_t errsize)
{
    sn_fact *f = NULL;
    return sn_assert_slots(e, tmpl, slots, vals, n, &f, err, errsize) == SN_OK ? f : NULL;
}

static inline sn_stop t_run(sn_engine *e, long limit, uint64_t *fired)
{
    sn_stop stop = SN_STOP_ERROR;
    sn_run(e, limit, fired, &stop);
    return stop;
}

static inline sn_stop t_step(sn_engine *e, sn_step_result *out)
{
    sn_stop stop = SN_STOP_ERROR;
    sn_step(e, out, &stop);
    return stop;
}

static inline long t_query(sn_engine *e, const char *pattern, sn_fact **out, size_t max,
                           sn_report *r)
{
    size_t n = 0;
    return sn_query(e, pattern, out, max, &n, r) == SN_OK ? (long)n : -1;
}

static inline const sn_ask *t_next_question(sn_engine *e, sn_reason *why, unsigned max,
                                            unsigned *nwhy)
{
    const sn_ask *k = NULL;
    return sn_next_question(e, &k, why, max, nwhy) == SN_OK ? k : NULL;
}

static inline const sn_ask *t_next_question_any(sn_engine *e, sn_reason *why, unsigned max,
                                                unsigned *nwhy)
{
    const sn_ask *k = NULL;
    return sn_next_question_any(e, &k, why, max, nwhy) == SN_OK ? k : NULL;
}

static inline bool t_ask_relevant(sn_engine *e, const sn_ask *k)
{
    bool can = false;
    return sn_ask_relevant(e, k, &can) == SN_OK && can;
}

static inline unsigned t_ask_reasons(sn_engine *e, const sn_ask *k, sn_reason *why, unsigned max)
{
    unsigned n = 0;
    return sn_ask_reasons(e, k, why, max, &n) == SN_OK ? n : 0;
}

/* yes/no: SN_OK */
#define t_ok(call) ((call) == SN_OK)

/* A fresh engine with TEXT loaded (what went wrong printed) and its
 * output off. */
static inline sn_engine *t_load(const char *text)
{
    sn_engine *e = sn_new();
    sn_report r = {0};
    if (!t_ok(sn_load_string(e, "t.sinew", text, strlen(text), &r)))
        printf("load failed:\n%s", r.text);
    sn_report_free(&r);
    sn_set_output(e, NULL);
    return e;
}

#endif
