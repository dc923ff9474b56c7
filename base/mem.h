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
 * the scanner) and reports E008. With `oom` unset it first draws on the
 * reserve, if one is set (mem_set_reserve): a block held back so that a
 * change already under way (a fact half through the Rete network) can
 * finish and leave everything whole. The reserve is a budget of RESERVE
 * bytes past the failure, whatever failed (the limit, the Nth allocation
 * or malloc itself), and the block is given back to malloc at once.
 * `tapped` says the reserve was drawn on; mem_refill takes it back when
 * memory allows. Only when the reserve is spent too does mem_alloc return
 * NULL.
 *
 * The caller owns the sn_mem; it must outlive everything allocated from it.
 */
#ifndef SINEW_MEM_H
#define SINEW_MEM_H

#include <setjmp.h>
#include <stddef.h>

enum { MEM_SMALL = 512, MEM_CLASSES = MEM_SMALL / 8 };

typedef struct sn_mem {
    size_t used;       /* bytes live now (payload only) */
    size_t peak;       /* highest `used` seen */
    size_t limit;      /* 0 = no limit */
    long fail_after;   /* < 0: never; else this many allocations succeed, then all fail */
    unsigned long count; /* allocations made */
    jmp_buf *oom;      /* where to go when an allocation fails; NULL: return NULL */
    /* With `cache` set, blocks of up to MEM_SMALL bytes are carved from
     * 64 KiB slabs, and when freed are kept by size (8-byte classes) and
     * handed out again: the engine makes and drops many small objects of
     * a few sizes. A slab block freed with the cache off stays in its
     * slab. mem_fini frees the slabs, and with them every block carved
     * from them: the owner must have no use for any of them by then. */
    int cache;
    void *free_small[MEM_CLASSES + 1];
    struct slab *slabs;
    char *slab_next, *slab_end; /* the room left in the newest slab */
    size_t reserve;    /* bytes held back for finishing a change; 0: none */
    void *reserve_block; /* those bytes, while not drawn on */
    size_t drawn;      /* bytes allocated on the reserve since it was tapped */
    int tapped;        /* the reserve was drawn on (mem_refill clears it) */
    /* Called when an allocation fails with no `oom` set and the reserve
     * spent, before NULL is returned; it may longjmp (the engine lands at
     * its outermost call), or return to let the caller see NULL. */
    void (*fail)(void *ctx);
    void *fail_ctx;
} sn_mem;

void mem_init(sn_mem *);
/* Release the slabs and the blocks kept for reuse. */
void mem_fini(sn_mem *);

/* Allocate SIZE bytes (uninitialised), or zeroed with mem_calloc. The
 * result is freed with mem_free on the same sn_mem. */
void *mem_alloc(sn_mem *, size_t size);
void *mem_calloc(sn_mem *, size_t n, size_t size);
void *mem_realloc(sn_mem *, void *p, size_t size);
void mem_free(sn_mem *, void *p);
char *mem_strndup(sn_mem *, const char *s, size_t len);

/* Hold back BYTES as the reserve (0: none). False when malloc cannot
 * give them (nothing changes). */
int mem_set_reserve(sn_mem *, size_t bytes);
/* Take the reserve back after it was tapped: true when it is whole again
 * (or there is none); false while memory is still short — the limit
 * reached, the Nth allocation failing, or malloc refusing the block. */
int mem_refill(sn_mem *);

/* Called when an allocation fails: longjmps to mem->oom if set, else
 * calls mem->fail if set. */
void mem_failed(sn_mem *);

#endif
