/* near.c — the edit distance between two names, up to a limit (near.h). */
#include "near.h"

/* The table d[i][j] (edits from A's first i bytes to B's first j) is
 * computed a row at a time and only where |i - j| <= limit: no path
 * through a cell farther from the diagonal can end within the limit.
 * Row i keeps the band's cells in row[k] with k = j - i + limit; a cell
 * outside the table or the band holds limit + 1 ("too far"). */
unsigned near_distance(const char *a, size_t la, const char *b, size_t lb, unsigned limit)
{
    if (limit > NEAR_MAX_LIMIT)
        limit = NEAR_MAX_LIMIT;
    const unsigned far = limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit)
        return far;
    const size_t width = 2 * (size_t)limit + 1;
    unsigned prev[2 * NEAR_MAX_LIMIT + 1], cur[2 * NEAR_MAX_LIMIT + 1];
    /* row 0: d[0][j] = j */
    for (size_t k = 0; k < width; k++) {
        size_t j = k - limit; /* wraps for k < limit: ruled out below */
        prev[k] = k >= limit && j <= lb ? (unsigned)j : far;
    }
    for (size_t i = 1; i <= la; i++) {
        unsigned best = far;
        for (size_t k = 0; k < width; k++) {
            if (k + i < limit || k + i - limit > lb) {
                cur[k] = far;
                continue;
            }
            size_t j = k + i - limit;
            unsigned c;
            if (j == 0) {
                c = i < far ? (unsigned)i : far;
            } else {
                /* change (or keep): d[i-1][j-1], the same k in the row above */
                c = prev[k] + (a[i - 1] != b[j - 1]);
                /* delete A's byte: d[i-1][j], one to the right above */
                if (k + 1 < width && prev[k + 1] + 1 < c)
                    c = prev[k + 1] + 1;
                /* insert B's byte: d[i][j-1], one to the left here */
                if (k > 0 && cur[k - 1] + 1 < c)
                    c = cur[k - 1] + 1;
                if (c > far)
                    c = far;
            }
            cur[k] = c;
            if (c < best)
                best = c;
        }
        if (best > limit)
            return far;
        for (size_t k = 0; k < width; k++)
            prev[k] = cur[k];
    }
    unsigned d = prev[lb - la + limit];
    return d < far ? d : far;
}
