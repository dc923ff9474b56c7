/* pool.h — objects of one size carved from chunks (pool.c). Private to
 * the engine: its tokens and alpha-memory entries come from two pools.
 *
 * A pool hands out fresh objects one after another from its current chunk
 * (so objects made together sit together in memory); the chunks come from
 * the engine's allocator (e_alloc) and the pool owns them until pool_fini,
 * which frees them all at once. Objects are never given back one by one:
 * the caller keeps its own free list of the objects it is done with and
 * takes from it before asking the pool for a fresh one.
 */
#ifndef SINEW_POOL_H
#define SINEW_POOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct sn_engine engine;

typedef struct pool {
    size_t size;          /* bytes per object, a multiple of align */
    size_t align;         /* a power of two, at least 8 */
    struct pool_chunk *chunks;
    char *next, *end;     /* the rest of the newest chunk */
    uint32_t grow;        /* objects in the next chunk */
} pool;

/* Objects of SIZE bytes, each starting at a multiple of ALIGN (a power of
 * two, at least 8): SIZE is rounded up to it, so an object of 128 bytes
 * aligned to 64 fills two cache lines, never three. */
void pool_init(pool *, size_t size, size_t align);
/* A fresh object (uninitialised). The chunk it needs, if any, is
 * allocated before anything is handed out. */
void *pool_take(engine *, pool *);
/* Every chunk freed: every object taken from the pool is gone. */
void pool_fini(engine *, pool *);

#endif
