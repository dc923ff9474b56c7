/* mem.c — counting allocator; see mem.h. */
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Each block is preceded by a word: its payload size times two, plus one
 * when it was carved from a slab (freed with the slab, never by free()).
 * A block of its own (malloc'd) has BIG_HEAD bytes before its payload,
 * the word last, so that the payload is aligned for any type. A slab
 * block has the word alone: its payload is aligned to 16 when its size
 * class is even, to 8 when it is odd. That is enough, since a type that
 * must be aligned to 16 has a size that is a multiple of 16 (an even
 * class); and a small block costs 8 bytes more than its class, not 16 to
 * 24. */
typedef size_t word;
enum { BIG_HEAD = sizeof(max_align_t) };

static word *word_of(void *p) { return (word *)p - 1; }

/* A slab: one malloc'd chunk that small blocks are carved from, one
 * after another, while the cache is on. */
enum { SLAB_BYTES = 64 * 1024 };
typedef struct slab {
    struct slab *next;
    max_align_t align[];
} slab;

void mem_init(sn_mem *m)
{
    memset(m, 0, sizeof *m);
    m->fail_after = -1;
}

void mem_fini(sn_mem *m)
{
    free(m->reserve_block);
    m->reserve_block = NULL;
    /* the cache holds slab blocks only: they go with their slabs */
    for (int k = 0; k <= MEM_CLASSES; k++)
        m->free_small[k] = NULL;
    for (slab *s = m->slabs, *next; s; s = next) {
        next = s->next;
        free(s);
    }
    m->slabs = NULL;
    m->slab_next = m->slab_end = NULL;
}

/* Small blocks are allocated rounded up to their class, so any block on
 * class K's list holds K * 8 bytes. */
static size_t size_class(size_t size) { return size ? (size + 7) / 8 : 1; }

static size_t capacity(size_t size) { return size <= MEM_SMALL ? size_class(size) * 8 : size; }

void mem_failed(sn_mem *m)
{
    if (m->oom)
        longjmp(*m->oom, 1);
    if (m->fail)
        m->fail(m->fail_ctx);
}

static int refuse(sn_mem *m, size_t grow)
{
    if (m->fail_after >= 0 && m->count >= (unsigned long)m->fail_after)
        return 1;
    if (m->limit && grow > m->limit - (m->used < m->limit ? m->used : m->limit))
        return 1;
    return 0;
}

int mem_set_reserve(sn_mem *m, size_t bytes)
{
    void *b = bytes ? malloc(bytes) : NULL;
    if (bytes && !b)
        return 0;
    free(m->reserve_block);
    m->reserve_block = b;
    m->reserve = bytes;
    m->tapped = 0;
    m->drawn = 0;
    return 1;
}

int mem_refill(sn_mem *m)
{
    if (!m->tapped)
        return 1;
    if (m->fail_after >= 0 && m->count >= (unsigned long)m->fail_after)
        return 0;
    if (m->limit && m->used >= m->limit)
        return 0;
    if (!m->reserve_block && m->reserve && !(m->reserve_block = malloc(m->reserve)))
        return 0;
    m->tapped = 0;
    m->drawn = 0;
    return 1;
}

/* An allocation of SIZE bytes was refused (or malloc failed): may it go
 * ahead on the reserve? Never under a landing (`oom`): that boundary
 * unwinds instead. The block goes back to malloc on the first draw. */
static int draw(sn_mem *m, size_t size)
{
    if (m->oom || !m->reserve || m->drawn > m->reserve || size > m->reserve - m->drawn)
        return 0;
    if (!m->tapped) {
        free(m->reserve_block);
        m->reserve_block = NULL;
        m->tapped = 1;
    }
    m->drawn += size;
    return 1;
}

/* A small block of class K from the current slab (a new slab when it is
 * full): its payload, or NULL when malloc has no slab to give. */
static void *slab_carve(sn_mem *m, size_t k)
{
    for (int fresh = 0;; fresh = 1) {
        /* an even class's payload on a 16-byte boundary (see word) */
        size_t pad = k % 2 == 0 && ((uintptr_t)m->slab_next + sizeof(word)) % 16 ? 8 : 0;
        size_t need = pad + sizeof(word) + k * 8;
        if (m->slab_next && (size_t)(m->slab_end - m->slab_next) >= need) {
            char *p = m->slab_next + pad + sizeof(word);
            m->slab_next += need;
            return p;
        }
        if (fresh)
            return NULL; /* (cannot happen: a slab holds the biggest class) */
        slab *s = malloc(SLAB_BYTES);
        if (!s)
            return NULL;
        s->next = m->slabs;
        m->slabs = s;
        m->slab_next = (char *)s->align;
        m->slab_end = (char *)s + SLAB_BYTES;
    }
}

void *mem_alloc(sn_mem *m, size_t size)
{
    if (size > (SIZE_MAX >> 1) - BIG_HEAD || (refuse(m, size) && !draw(m, size))) {
        mem_failed(m);
        return NULL;
    }
    char *p = NULL;
    size_t k = size_class(size);
    if (m->cache && size <= MEM_SMALL) {
        word *w = m->free_small[k];
        if (w) {
            m->free_small[k] = *(void **)(w + 1);
            p = (char *)(w + 1);
        } else {
            p = slab_carve(m, k);
        }
        if (p)
            *word_of(p) = size * 2 + 1;
    }
    if (!p) {
        char *b = malloc(BIG_HEAD + capacity(size));
        if (!b && draw(m, size))
            b = malloc(BIG_HEAD + capacity(size));
        if (!b) {
            mem_failed(m);
            return NULL;
        }
        p = b + BIG_HEAD;
        *word_of(p) = size * 2;
    }
    m->count++;
    m->used += size;
    if (m->used > m->peak)
        m->peak = m->used;
    return p;
}

/* A slab block given back (its payload P, SIZE bytes): kept for the next
 * block of its class while the cache is on (its capacity is its class's);
 * else left to its slab. A block shrunk from an odd class to an even one
 * is only aligned to 8: it goes on the odd class below. */
static void slab_release(sn_mem *m, char *p, size_t size)
{
    if (!m->cache)
        return;
    size_t k = size_class(size);
    if (k % 2 == 0 && (uintptr_t)p % 16)
        k--;
    word *w = word_of(p);
    *(void **)p = m->free_small[k];
    m->free_small[k] = w;
}

void *mem_calloc(sn_mem *m, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        mem_failed(m);
        return NULL;
    }
    void *p = mem_alloc(m, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *mem_realloc(sn_mem *m, void *p, size_t size)
{
    if (!p)
        return mem_alloc(m, size);
    word w = *word_of(p);
    size_t old = w >> 1;
    if (size > (SIZE_MAX >> 1) - BIG_HEAD ||
        (size > old && refuse(m, size - old) && !draw(m, size - old))) {
        mem_failed(m);
        return NULL;
    }
    if (size <= old || capacity(size) == capacity(old)) {
        /* it fits where it is */
        m->count++;
        *word_of(p) = size * 2 + (w & 1);
        m->used = m->used - old + size;
        if (m->used > m->peak)
            m->peak = m->used;
        return p;
    }
    char *n;
    if (w & 1) {
        /* a slab block cannot be realloc'd: moved to a block of its own */
        n = malloc(BIG_HEAD + capacity(size));
        if (!n && draw(m, size - old))
            n = malloc(BIG_HEAD + capacity(size));
        if (!n) {
            mem_failed(m);
            return NULL;
        }
        memcpy(n + BIG_HEAD, p, old);
        slab_release(m, p, old);
    } else {
        n = realloc((char *)p - BIG_HEAD, BIG_HEAD + capacity(size));
        if (!n && draw(m, size - old))
            n = realloc((char *)p - BIG_HEAD, BIG_HEAD + capacity(size));
        if (!n) {
            mem_failed(m);
            return NULL;
        }
    }
    m->count++;
    *word_of(n + BIG_HEAD) = size * 2;
    m->used = m->used - old + size;
    if (m->used > m->peak)
        m->peak = m->used;
    return n + BIG_HEAD;
}

void mem_free(sn_mem *m, void *p)
{
    if (!p)
        return;
    word w = *word_of(p);
    m->used -= w >> 1;
    if (w & 1)
        slab_release(m, p, w >> 1);
    else
        free((char *)p - BIG_HEAD);
}

char *mem_strndup(sn_mem *m, const char *s, size_t len)
{
    char *d = mem_alloc(m, len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}
