/* mem.c — counting allocator; see mem.h. */
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Each block is preceded by its header: its payload size, and whether it
 * was carved from a slab (freed with the slab, never by free()), padded
 * to keep the payload aligned for any type. */
typedef union header {
    struct {
        size_t size;
        size_t slab;
    };
    max_align_t align;
} header;

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
 * full), or NULL when malloc has no slab to give. */
static header *slab_carve(sn_mem *m, size_t k)
{
    size_t need = sizeof(header) + k * 8;
    need = (need + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if ((size_t)(m->slab_end - m->slab_next) < need) {
        slab *s = malloc(SLAB_BYTES);
        if (!s)
            return NULL;
        s->next = m->slabs;
        m->slabs = s;
        m->slab_next = (char *)s->align;
        m->slab_end = (char *)s + SLAB_BYTES;
    }
    header *h = (header *)m->slab_next;
    m->slab_next += need;
    h->slab = 1;
    return h;
}

void *mem_alloc(sn_mem *m, size_t size)
{
    if (size > SIZE_MAX - sizeof(header) || (refuse(m, size) && !draw(m, size))) {
        mem_failed(m);
        return NULL;
    }
    header *h = NULL;
    size_t k = size_class(size);
    if (m->cache && size <= MEM_SMALL) {
        h = m->free_small[k];
        if (h)
            m->free_small[k] = *(void **)(h + 1);
        else
            h = slab_carve(m, k);
    }
    if (!h) {
        h = malloc(sizeof *h + capacity(size));
        if (!h && draw(m, size))
            h = malloc(sizeof *h + capacity(size));
        if (h)
            h->slab = 0;
    }
    if (!h) {
        mem_failed(m);
        return NULL;
    }
    m->count++;
    h->size = size;
    m->used += size;
    if (m->used > m->peak)
        m->peak = m->used;
    return h + 1;
}

/* A slab block given back: kept for the next block of its class while the
 * cache is on (its capacity is its class's); else left to its slab. */
static void slab_release(sn_mem *m, header *h)
{
    if (!m->cache)
        return;
    size_t k = size_class(h->size);
    *(void **)(h + 1) = m->free_small[k];
    m->free_small[k] = h;
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
    header *h = (header *)p - 1;
    size_t old = h->size;
    if (size > SIZE_MAX - sizeof(header) ||
        (size > old && refuse(m, size - old) && !draw(m, size - old))) {
        mem_failed(m);
        return NULL;
    }
    if (size <= old || capacity(size) == capacity(old)) {
        /* it fits where it is */
        m->count++;
        h->size = size;
        m->used = m->used - old + size;
        if (m->used > m->peak)
            m->peak = m->used;
        return p;
    }
    header *n;
    if (h->slab) {
        /* a slab block cannot be realloc'd: moved to a block of its own */
        n = malloc(sizeof *n + capacity(size));
        if (!n && draw(m, size - old))
            n = malloc(sizeof *n + capacity(size));
        if (!n) {
            mem_failed(m);
            return NULL;
        }
        memcpy(n + 1, p, old);
        n->slab = 0;
        slab_release(m, h);
    } else {
        n = realloc(h, sizeof *n + capacity(size));
        if (!n && draw(m, size - old))
            n = realloc(h, sizeof *n + capacity(size));
        if (!n) {
            mem_failed(m);
            return NULL;
        }
    }
    m->count++;
    n->size = size;
    m->used = m->used - old + size;
    if (m->used > m->peak)
        m->peak = m->used;
    return n + 1;
}

void mem_free(sn_mem *m, void *p)
{
    if (!p)
        return;
    header *h = (header *)p - 1;
    m->used -= h->size;
    if (h->slab)
        slab_release(m, h);
    else
        free(h);
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
