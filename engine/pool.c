/* pool.c — objects of one size from chunks; see pool.h. */
#include "pool.h"
#include "alloc.h"

/* A chunk: this header, then its objects. */
struct pool_chunk {
    struct pool_chunk *next;
    size_t pad;           /* the header is 16 bytes */
};

enum { POOL_FIRST = 16, POOL_MOST = 4096 }; /* objects per chunk */

void pool_init(pool *p, size_t size, size_t align)
{
    p->align = align;
    p->size = (size + align - 1) & ~(align - 1);
    p->chunks = NULL;
    p->next = p->end = NULL;
    p->grow = POOL_FIRST;
}

void *pool_take(engine *e, pool *p)
{
    if (p->next == p->end) {
        /* chunks grow from a few objects (a small engine stays small) to
         * POOL_MOST */
        struct pool_chunk *c = e_alloc(e, sizeof *c + p->align + (size_t)p->grow * p->size);
        c->next = p->chunks;
        p->chunks = c;
        uintptr_t at = (uintptr_t)(c + 1);
        p->next = (char *)(c + 1) + ((p->align - at % p->align) % p->align);
        p->end = p->next + (size_t)p->grow * p->size;
        if (p->grow < POOL_MOST)
            p->grow *= 2;
    }
    void *x = p->next;
    p->next += p->size;
    return x;
}

void pool_fini(engine *e, pool *p)
{
    for (struct pool_chunk *c = p->chunks, *next; c; c = next) {
        next = c->next;
        e_free(e, c);
    }
    pool_init(p, p->size, p->align);
}
