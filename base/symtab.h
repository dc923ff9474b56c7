/* symtab.h — interned symbols.
 *
 * Equal text gives the same `sym` pointer, so equality is a pointer
 * comparison and hashing is free (the hash is stored). A symtab owns every
 * sym it hands out; they live until symtab_free. Its memory comes from the
 * sn_mem it was made with.
 */
#ifndef SINEW_SYMTAB_H
#define SINEW_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct sym {
    uint32_t hash;
    uint32_t len;
    struct sym *next;   /* in the table's bucket */
    char text[];        /* NUL-terminated */
} sym;

typedef struct sn_mem sn_mem;

typedef struct symtab {
    sn_mem *mem;
    sym **buckets;
    uint32_t mask;      /* buckets - 1 (a power of two) */
    uint32_t n;
} symtab;

void symtab_init(symtab *, sn_mem *);
void symtab_free(symtab *);
const sym *sym_intern(symtab *, const char *text, size_t len);
/* The symbol with this text, or NULL when there is none (nothing added). */
const sym *sym_lookup(const symtab *, const char *text, size_t len);

#endif
