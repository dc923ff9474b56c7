/* symtab.c — interned symbols; see symtab.h. */
#include "symtab.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void symtab_init(symtab *t, sn_mem *m)
{
    t->mem = m;
    t->mask = 255;
    t->n = 0;
    t->recent = NULL;
    t->nrecent = 0;
    t->buckets = mem_calloc(m, t->mask + 1, sizeof *t->buckets);
}

void symtab_free(symtab *t)
{
    if (!t->buckets)
        return;
    for (uint32_t i = 0; i <= t->mask; i++) {
        sym *s = t->buckets[i];
        while (s) {
            sym *next = s->next;
            mem_free(t->mem, s);
            s = next;
        }
    }
    mem_free(t->mem, t->buckets);
    t->buckets = NULL;
}

static void grow(symtab *t)
{
    uint32_t nmask = t->mask * 2 + 1;
    sym **nb = mem_calloc(t->mem, (size_t)nmask + 1, sizeof *nb);
    for (uint32_t i = 0; i <= t->mask; i++) {
        sym *s = t->buckets[i];
        while (s) {
            sym *next = s->next;
            s->next = nb[s->hash & nmask];
            nb[s->hash & nmask] = s;
            s = next;
        }
    }
    mem_free(t->mem, t->buckets);
    t->buckets = nb;
    t->mask = nmask;
}

const sym *sym_lookup(const symtab *t, const char *text, size_t len)
{
    uint32_t h = hash_bytes(text, len);
    for (const sym *s = t->buckets[h & t->mask]; s; s = s->next)
        if (s->hash == h && s->len == len && memcmp(s->text, text, len) == 0)
            return s;
    return NULL;
}

const sym *sym_intern(symtab *t, const char *text, size_t len)
{
    uint32_t h = hash_bytes(text, len);
    for (sym *s = t->buckets[h & t->mask]; s; s = s->next)
        if (s->hash == h && s->len == len && memcmp(s->text, text, len) == 0)
            return s;
    sym *s = mem_alloc(t->mem, sizeof *s + len + 1);
    s->hash = h;
    s->len = (uint32_t)len;
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->next = t->buckets[h & t->mask];
    t->buckets[h & t->mask] = s;
    s->older = t->recent;
    t->recent = s;
    t->nrecent++;
    if (++t->n > t->mask)
        grow(t);
    return s;
}


void symtab_keep(symtab *t)
{
    t->recent = NULL;
    t->nrecent = 0;
}

uint32_t symtab_drop_recent(symtab *t)
{
    uint32_t dropped = t->nrecent;
    for (sym *s = t->recent, *older; s; s = older) {
        older = s->older;
        /* a bucket holds about one sym: finding its link is cheap */
        sym **at = &t->buckets[s->hash & t->mask];
        while (*at != s)
            at = &(*at)->next;
        *at = s->next;
        mem_free(t->mem, s);
        t->n--;
    }
    t->recent = NULL;
    t->nrecent = 0;
    return dropped;
}
