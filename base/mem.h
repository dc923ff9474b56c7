/* mem.h — the library's one allocation seam.
 *
 * Every byte the library allocates (the arena's chunks, the scanner's
 * buffers, the parser's stack, diagnostics) goes through a sn_mem. It
 * counts what is live and the peak, enforces an optional byte limit and
 * can be told to fail the Nth allocation, so tests can prove that running
 * out of memory is reported, not crashed on.
 *
 * When an allocation fails and `oom` is set, mem_alloc longjmps there: the
 * load boundary that set it frees whatever the load had built (the arena,
 * the scanner) and reports SINEW_E_NOMEM. With `oom` unset it returns NULL.
 *
 * The caller owns the sn_mem; it must outlive everything allocated from it.
 */
#ifndef SINEW_MEM_H
#define SINEW_MEM_H

#include <setjmp.h>
#include <stddef.h>

enum { MEM_SMALL = 256, MEM_CLASSES = MEM_SMALL / 8 };

typedef struct sn_mem {
    size_t used;       /* bytes live now (payload only) */
    size_t peak;       /* highest `used` seen */
    size_t limit;      /* 0 = no limit */
    long fail_after;   /* < 0: never; else this many allocations succeed, then all fail */
    unsigned long count; /* allocations made */
    jmp_buf *oom;      /* where to go when an allocation fails; NULL: return NULL */
    /* With `cache` set, freed blocks of up to MEM_SMALL bytes are kept by
     * size (8-byte classes) and handed out again: the engine makes and
     * drops many small objects of a few sizes. mem_fini releases them. */
    int cache;
    void *free_small[MEM_CLASSES + 1];
} sn_mem;

void mem_init(sn_mem *);
/* Release the blocks kept for reuse (nothing live is touched). */
void mem_fini(sn_mem *);

/* Allocate SIZE bytes (uninitialised), or zeroed with mem_calloc. The
 * result is freed with mem_free on the same sn_mem. */
void *mem_alloc(sn_mem *, size_t size);
void *mem_calloc(sn_mem *, size_t n, size_t size);
void *mem_realloc(sn_mem *, void *p, size_t size);
void mem_free(sn_mem *, void *p);
char *mem_strndup(sn_mem *, const char *s, size_t len);

/* Called when an allocation fails: longjmps to mem->oom if set. */
void mem_failed(sn_mem *);

#endif
