/* alloc.c — the engine's memory and scratch text; see alloc.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"
#include "verify.h"

/* An allocation failed with the reserve spent: land at the outermost
 * public call. Outside one (which no caller should be: SN_ASSERT in
 * e_alloc) there is nowhere to go. */
static void *landing(engine *e)
{
    if (e->calls > 0)
        longjmp(e->landing, 1);
    fputs("sinew: out of memory outside an engine call\n", stderr);
    abort();
}

void engine_mem_failed(void *ctx)
{
    landing(ctx);
}

void *e_alloc(engine *e, size_t size)
{
    SN_ASSERT(e->calls > 0);
    void *p = mem_alloc(&e->mem, size ? size : 1);
    return p ? p : landing(e);
}

void *e_calloc(engine *e, size_t n, size_t size)
{
    SN_ASSERT(e->calls > 0);
    void *p = mem_calloc(&e->mem, n ? n : 1, size ? size : 1);
    return p ? p : landing(e);
}

void *e_realloc(engine *e, void *p, size_t size)
{
    SN_ASSERT(e->calls > 0);
    void *q = p ? mem_realloc(&e->mem, p, size ? size : 1) : mem_alloc(&e->mem, size ? size : 1);
    return q ? q : landing(e);
}

void e_free(engine *e, void *p)
{
    if (p)
        mem_free(&e->mem, p);
}

void scratch_reset(engine *e)
{
    e->scratch_len = 0;
    if (e->scratch)
        e->scratch[0] = '\0';
}

void scratch_add(engine *e, const char *s, size_t len)
{
    if (e->scratch_len + len + 1 > e->scratch_cap) {
        size_t cap = e->scratch_cap ? e->scratch_cap : 256;
        while (e->scratch_len + len + 1 > cap)
            cap *= 2;
        e->scratch = e_realloc(e, e->scratch, cap);
        e->scratch_cap = cap;
    }
    memcpy(e->scratch + e->scratch_len, s, len);
    e->scratch_len += len;
    e->scratch[e->scratch_len] = '\0';
}

void scratch_printf(engine *e, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        scratch_add(e, buf, (size_t)n);
        return;
    }
    char *big = e_alloc(e, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    scratch_add(e, big, (size_t)n);
    e_free(e, big);
}

static void set_error(engine *e, const char *fmt, va_list ap)
{
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    e_free(e, e->error);
    /* a message that finds no memory is lost, not the call: sn_errmsg
     * then says what the status does */
    void (*fail)(void *) = e->mem.fail;
    e->mem.fail = NULL;
    e->error = mem_strndup(&e->mem, buf, strlen(buf));
    e->mem.fail = fail;
}

void engine_error(engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(e, fmt, ap);
    va_end(ap);
}

/* ---- public calls ------------------------------------------------------------ */

static const char *const status_names[] = {"ok", "input error", "out of memory",
                                           "runtime error"};

const char *sn_status_name(sn_status st)
{
    return (unsigned)st < sizeof status_names / sizeof *status_names ? status_names[st] : "?";
}

const char *sn_errmsg(const sn_engine *e) { return e->error ? e->error : ""; }

void sn_set_memory_limit(sn_engine *e, size_t bytes) { e->mem.limit = bytes; }
size_t sn_memory_limit(const sn_engine *e) { return e->mem.limit; }

bool call_open(engine *e, bool repair)
{
    e_free(e, e->error);
    e->error = NULL;
    if (e->broken && (!repair || e->needs_clear)) {
        engine_error(e, "out of memory: the engine was left broken by a change it could not "
                        "finish; %s it", e->needs_clear ? "clear" : "reset or clear");
        return false;
    }
    /* a repair frees first, then takes the reserve back itself */
    return repair || mem_refill(&e->mem) != 0;
}

/* A step could not be finished even on the reserve: what it was building
 * stays linked where it got to, so the engine can still be freed, reset or
 * cleared, and nothing else. What the step held only in its locals (a
 * buffer, an array of values) is lost: it stays counted until sn_free. */
sn_status call_landed(engine *e)
{
    e->calls = 1;
    e->broken = true;
    e->landed = true;
    /* rules half laid down: a reset cannot mend the network, a clear can */
    e->needs_clear |= e->compiling;
    e->compiling = false;
    e->in_run = false;
    e->steplog = NULL;
    e->modify_of = 0;
    e->code = e->perm;
    return call_leave(e, SN_ERR_NOMEM);
}

static sn_status leave(engine *e, sn_status st, bool kept)
{
    SN_ASSERT(e->calls > 0);
    if (--e->calls > 0)
        return st;
    if (st == SN_OK && call_short(e) && !kept)
        st = SN_ERR_NOMEM;
    if (st == SN_ERR_NOMEM && !e->error) {
        if (e->broken)
            engine_error(e, "out of memory: the engine was left broken by a change it could not "
                            "finish; %s it", e->needs_clear ? "clear" : "reset or clear");
        else if (e->mem.limit)
            engine_error(e, "out of memory: the limit of %zu bytes was reached", e->mem.limit);
        else
            engine_error(e, "out of memory");
    }
    return st;
}

sn_status call_leave(engine *e, sn_status st) { return leave(e, st, false); }
sn_status call_leave_kept(engine *e, sn_status st) { return leave(e, st, true); }

sn_status call_error(engine *e, sn_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(e, fmt, ap);
    va_end(ap);
    return st;
}


