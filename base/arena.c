/* arena.c — chunked bump allocator; see arena.h. */
#include "arena.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* An arena's first chunk is small and each next one twice the last, up to
 * CHUNK_SIZE: the many arenas of a little text (a typed fact, a pattern:
 * four for its tree) take a few kilobytes, a program's the big chunks. */
enum { FIRST_CHUNK = 1024, CHUNK_SIZE = 64 * 1024 };

/* Under AddressSanitizer (without SINEW_ARENA_MALLOC) a chunk's room is
 * poisoned until it is handed out, and each block is followed by a
 * poisoned redzone: an access past a block's end, into room not yet
 * handed out or into what a rollback took back is reported as it would
 * be for a heap block, without a heap block (and its recorded stack) per
 * object. The fuzzing harnesses are built so; SINEW_ARENA_MALLOC, which
 * makes every block an allocation that can fail, is for the tests of
 * running out of memory. */
#if ARENA_REDZONE > 0
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

typedef struct chunk {
    struct chunk *prev;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} chunk;

/* HEAD is the chunk being filled, with the older ones behind it; a block
 * too big for a chunk has its own, on the BIG list, so that a mark can
 * tell what came after it. SPARE is one chunk a rollback emptied, kept for
 * the next chunk needed: work that marks, fills past a chunk's end and
 * rolls back, again and again (a fact opened at a time), would otherwise
 * get and free a chunk each time. GROW is the size of the next chunk. */
struct arena {
    sn_mem *mem;
    chunk *head;
    chunk *big;
    chunk *spare;
    size_t handed;
    size_t grow;
};

arena *arena_new(sn_mem *mem)
{
    arena *a = mem_alloc(mem, sizeof *a);
    if (!a)
        return NULL;
    a->mem = mem;
    a->head = NULL;
    a->big = NULL;
    a->spare = NULL;
    a->handed = 0;
    a->grow = FIRST_CHUNK;
    return a;
}

/* Free the chunks of list *L down to (not including) STOP; the first
 * whole chunk freed becomes the spare when there is none. */
static void free_down_to(arena *a, chunk **l, chunk *stop)
{
    while (*l && *l != stop) {
        chunk *prev = (*l)->prev;
#ifdef SINEW_ARENA_MALLOC
        bool keep = false; /* a block each: none to be reused */
#else
        bool keep = !a->spare && (*l)->size <= CHUNK_SIZE;
#endif
        if (keep) {
            a->spare = *l;
            POISON(a->spare->data, a->spare->size);
        } else {
            mem_free(a->mem, *l);
        }
        *l = prev;
    }
}

void arena_free(arena *a)
{
    if (!a)
        return;
    free_down_to(a, &a->head, NULL);
    free_down_to(a, &a->big, NULL);
    mem_free(a->mem, a->spare);
    mem_free(a->mem, a);
}

arena_mark arena_get_mark(const arena *a)
{
    return (arena_mark){.head = a->head, .big = a->big,
                        .used = a->head ? a->head->used : 0, .handed = a->handed};
}

void arena_rollback(arena *a, arena_mark m)
{
    free_down_to(a, &a->head, m.head);
    free_down_to(a, &a->big, m.big);
    if (a->head) {
        POISON(a->head->data + m.used, a->head->used - m.used);
        a->head->used = m.used;
    }
    a->handed = m.handed;
}

/* Free the chunks behind C (older than it) on its list. */
static void free_behind(arena *a, chunk *c)
{
    if (!c)
        return;
    for (chunk *p = c->prev, *prev; p; p = prev) {
        prev = p->prev;
        a->handed -= p->used;
        mem_free(a->mem, p);
    }
    c->prev = NULL;
}

void arena_free_before(arena *a, arena_mark m)
{
    free_behind(a, m.head);
    free_behind(a, m.big);
}

void *arena_alloc(arena *a, size_t size)
{
    const size_t align = ARENA_ALIGN;
    size_t asked = size;
    if (size > SIZE_MAX / 2) {
        mem_failed(a->mem);
        return NULL;
    }
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
#ifdef SINEW_ARENA_MALLOC
    /* One block per object: the sanitizers see each allocation. */
    chunk *c = mem_alloc(a->mem, sizeof *c + size);
    if (!c)
        return NULL;
    c->prev = a->head;
    c->size = c->used = size;
    a->head = c;
    a->handed += size;
    memset(c->data, 0, size);
    return c->data;
#else
    /* the block's exact size is what is unpoisoned; the rest of its
     * granule and the redzone after it stay poisoned */
    size_t exact = asked;
    size += ARENA_REDZONE;
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        /* a block bigger than a quarter chunk has a chunk of its own */
        bool own = size > CHUNK_SIZE / 4;
        size_t want = own ? size : a->grow;
        while (want < size)
            want *= 2;
        if (want > SIZE_MAX - sizeof *c) {
            mem_failed(a->mem);
            return NULL;
        }
        chunk *n;
        if (!own && a->spare && a->spare->size >= want) {
            n = a->spare;
            a->spare = NULL;
            want = n->size;
        } else if (!(n = mem_alloc(a->mem, sizeof *n + want))) {
            return NULL;
        } else if (!own && a->grow < CHUNK_SIZE) {
            a->grow = want < CHUNK_SIZE ? 2 * want : CHUNK_SIZE;
        }
        POISON(n->data, want);
        n->size = want;
        n->used = 0;
        if (c && own) {
            /* the current chunk keeps its room */
            n->prev = a->big;
            a->big = n;
            n->used = size;
            a->handed += size;
            UNPOISON(n->data, exact);
            memset(n->data, 0, exact);
            return n->data;
        }
        n->prev = c;
        a->head = c = n;
    }
    void *p = c->data + c->used;
    c->used += size;
    a->handed += size;
    UNPOISON(p, exact);
    memset(p, 0, exact);
    return p;
#endif
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *d = arena_alloc(a, len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

size_t arena_used(const arena *a) { return a->handed; }
sn_mem *arena_mem(arena *a) { return a->mem; }
