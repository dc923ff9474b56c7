/* alloc.c — the engine's memory and scratch text; see alloc.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"

void engine_out_of_memory(void)
{
    fputs("sinew: out of memory\n", stderr);
    abort();
}

void *e_alloc(engine *e, size_t size)
{
    void *p = mem_alloc(&e->mem, size ? size : 1);
    if (!p)
        engine_out_of_memory();
    return p;
}

void *e_calloc(engine *e, size_t n, size_t size)
{
    void *p = mem_calloc(&e->mem, n ? n : 1, size ? size : 1);
    if (!p)
        engine_out_of_memory();
    return p;
}

void *e_realloc(engine *e, void *p, size_t size)
{
    void *q = p ? mem_realloc(&e->mem, p, size ? size : 1) : mem_alloc(&e->mem, size ? size : 1);
    if (!q)
        engine_out_of_memory();
    return q;
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

void engine_error(engine *e, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e_free(e, e->error);
    e->error = mem_strndup(&e->mem, buf, strlen(buf));
}


