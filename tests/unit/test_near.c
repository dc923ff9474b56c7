/* test_near.c — the edit distance up to a limit (base/near.c) against the
 * whole table computed the plain way. */
#include <stdint.h>
#include <stdlib.h>

#include "near.h"
#include "unit.h"

/* The whole table, every cell. */
static unsigned full(const char *a, size_t la, const char *b, size_t lb)
{
    unsigned *d = malloc((la + 1) * (lb + 1) * sizeof *d);
    if (!d)
        abort();
#define D(i, j) d[(i) * (lb + 1) + (j)]
    for (size_t i = 0; i <= la; i++)
        D(i, 0) = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        D(0, j) = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned c = D(i - 1, j - 1) + (a[i - 1] != b[j - 1]);
            if (D(i - 1, j) + 1 < c)
                c = D(i - 1, j) + 1;
            if (D(i, j - 1) + 1 < c)
                c = D(i, j - 1) + 1;
            D(i, j) = c;
        }
    unsigned r = D(la, lb);
#undef D
    free(d);
    return r;
}

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 16;
}

/* A name of up to MAX bytes over a small alphabet, so near ones are common. */
static size_t random_name(char *s, size_t max)
{
    size_t n = next() % (max + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + next() % 3);
    s[n] = '\0';
    return n;
}

TEST(agrees_with_the_whole_table)
{
    char a[40], b[40];
    for (int round = 0; round < 20000; round++) {
        size_t la = random_name(a, 12), lb;
        if (next() % 2) {
            /* B: A with a few edits, so distances within the limit are many */
            lb = la;
            memcpy(b, a, la + 1);
            for (uint32_t e = next() % 4; e > 0 && lb < 30; e--) {
                size_t at = lb ? next() % lb : 0;
                switch (next() % 3) {
                case 0: /* change */
                    if (lb)
                        b[at] = (char)('a' + next() % 4);
                    break;
                case 1: /* insert */
                    memmove(b + at + 1, b + at, lb - at + 1);
                    b[at] = (char)('a' + next() % 4);
                    lb++;
                    break;
                default: /* delete */
                    if (lb) {
                        memmove(b + at, b + at + 1, lb - at);
                        lb--;
                    }
                }
            }
        } else {
            lb = random_name(b, 12);
        }
        unsigned want = full(a, la, b, lb);
        for (unsigned limit = 0; limit <= 5; limit++) {
            unsigned got = near_distance(a, la, b, lb, limit);
            unsigned expect = want <= limit ? want : limit + 1;
            if (got != expect) {
                UNIT_FAIL("'%s' to '%s' within %u: %u, the whole table says %u", a, b, limit, got,
                          want);
                return;
            }
        }
    }
}

TEST(edges)
{
    CHECK_EQ_INT(near_distance("", 0, "", 0, 2), 0);
    CHECK_EQ_INT(near_distance("", 0, "ab", 2, 2), 2);
    CHECK_EQ_INT(near_distance("", 0, "abc", 3, 2), 3);
    CHECK_EQ_INT(near_distance("abc", 3, "abc", 3, 0), 0);
    CHECK_EQ_INT(near_distance("abc", 3, "abd", 3, 0), 1);
    CHECK_EQ_INT(near_distance("assert", 6, "asert", 5, 2), 1);
    CHECK_EQ_INT(near_distance("retract", 7, "rectract", 8, 2), 1);
    CHECK_EQ_INT(near_distance("kitten", 6, "sitting", 7, 3), 3);
    CHECK_EQ_INT(near_distance("kitten", 6, "sitting", 7, 2), 3);
    /* a limit past the largest is taken as the largest */
    CHECK_EQ_INT(near_distance("a", 1, "bbbbbbbbbbbbbbbbbbbb", 20, 100), NEAR_MAX_LIMIT + 1);
    CHECK_EQ_INT(near_distance("abcdefgh", 8, "hgfedcba", 8, 100), 8);
    /* long names cost only their band */
    char x[5000], y[5000];
    memset(x, 'q', sizeof x);
    memcpy(y, x, sizeof y);
    y[2500] = 'r';
    CHECK_EQ_INT(near_distance(x, sizeof x, y, sizeof y, 2), 1);
    CHECK_EQ_INT(near_distance(x, sizeof x, y, sizeof y - 1, 2), 2);
}

int main(void)
{
    RUN(agrees_with_the_whole_table);
    RUN(edges);
    return UNIT_END();
}
