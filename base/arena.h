/* arena.h — bump allocation for data that dies all at once.
 *
 * The arena owns every block it hands out; nothing is freed one by one.
 * arena_free releases all of it. Chunks come from the arena's sn_mem, so
 * an arena allocation can longjmp to the load boundary (see mem.h).
 *
 * Under SANITIZE builds (SINEW_ARENA_MALLOC defined) each allocation is its
 * own heap block, so AddressSanitizer sees overruns between objects and
 * every block is a point where memory can run out. Under AddressSanitizer
 * without it (the fuzzing harnesses) the chunks stay, and arena.c poisons
 * what is not handed out: a redzone after each block, the room not yet
 * used, what a rollback took back.
 */
#ifndef SINEW_ARENA_H
#define SINEW_ARENA_H

#include <stddef.h>

#include "mem.h"

typedef struct arena arena;

arena *arena_new(sn_mem *);
void arena_free(arena *);

/* What an arena's blocks are aligned to: 8 bytes, enough for pointers,
 * 64-bit integers and doubles, so that the many small nodes of a program's
 * tree and of the network waste no room to padding. A type that needs more
 * (__int128, long double) comes from mem_alloc, which aligns for any type. */
enum { ARENA_ALIGN = 8 };

/* The room kept poisoned after each block under AddressSanitizer without
 * SINEW_ARENA_MALLOC (arena.c); none otherwise. */
#if defined(SINEW_ARENA_MALLOC)
#define ARENA_REDZONE 0
#elif defined(__SANITIZE_ADDRESS__)
#define ARENA_REDZONE 16
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_REDZONE 16
#endif
#endif
#ifndef ARENA_REDZONE
#define ARENA_REDZONE 0
#endif

/* SIZE bytes, aligned to ARENA_ALIGN, zeroed. Borrowed: valid until
 * arena_free. Returns NULL only when the sn_mem has no oom target. */
void *arena_alloc(arena *, size_t size);
char *arena_strndup(arena *, const char *s, size_t len);
size_t arena_used(const arena *); /* bytes handed out so far */

/* A point in the arena's life: arena_rollback frees everything handed out
 * after it, so a failed piece of work leaves the arena as it found it.
 * Marks nest; rolling back to a mark forgets the marks made after it. */
typedef struct arena_mark {
    void *head, *big;
    size_t used, handed;
} arena_mark;
arena_mark arena_get_mark(const arena *);
void arena_rollback(arena *, arena_mark);
/* The other way: free what was handed out before mark M, as far as it
 * has chunks of its own (the chunk being filled at M stays, and so what
 * shares it). Nothing handed out before M may be used again, and marks
 * taken before M are forgotten. For data read in order and done with in
 * the same order (rules compiled one by one). */
void arena_free_before(arena *, arena_mark);
sn_mem *arena_mem(arena *);

#endif
