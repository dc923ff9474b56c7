/* alloc.h — the engine's memory and scratch text (alloc.c). Private to the
 * engine. Every module uses it; it uses none. */
#ifndef SINEW_ALLOC_H
#define SINEW_ALLOC_H

#include "internal.h"

/* Every allocation of the engine goes through these, and so through its
 * sn_mem. They never return NULL: running out of memory ends the process
 * (engine_out_of_memory). */
void engine_out_of_memory(void);
void *e_alloc(engine *, size_t);
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

#endif
