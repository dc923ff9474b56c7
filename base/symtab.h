/* symtab.h — interned symbols.
 *
 * Equal text gives the same `sym` pointer, so equality is a pointer
 * comparison and hashing is free (the hash is stored). A symtab owns every
 * sym it hands out. Its memory comes from the sn_mem it was made with.
 *
 * A sym lives until symtab_free, unless it is recent: interned since the
 * last symtab_keep. The owner frees the recent ones with
 * symtab_drop_recent at a moment it knows nothing holds them (the engine:
 * when working memory has just been emptied, so the free values a case
 * brought in go with the case). symtab_keep makes every sym interned so
 * far lasting (the engine: after a load, whose compiled rules hold theirs).
 */
#ifndef SINEW_SYMTAB_H
#define SINEW_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct sym {
    uint32_t hash;
    uint32_t len;
    struct sym *next;   /* in the table's bucket */
    struct sym *older;  /* when recent: the recent one interned before it */
    char text[];        /* NUL-terminated */
} sym;

typedef struct sn_mem sn_mem;

typedef struct symtab {
    sn_mem *mem;
    sym **buckets;
    uint32_t mask;      /* buckets - 1 (a power of two) */
    uint32_t n;
    sym *recent;        /* interned since the last symtab_keep, newest first */
    uint32_t nrecent;
} symtab;

void symtab_init(symtab *, sn_mem *);
void symtab_free(symtab *);
const sym *sym_intern(symtab *, const char *text, size_t len);
/* The symbol with this text, or NULL when there is none (nothing added). */
const sym *sym_lookup(const symtab *, const char *text, size_t len);
/* Every sym interned so far lives until symtab_free. */
void symtab_keep(symtab *);
/* Free the syms interned since the last symtab_keep (the caller knows
 * nothing holds one); returns how many went. */
uint32_t symtab_drop_recent(symtab *);

#endif
