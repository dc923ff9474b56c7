/* near.h — how near two names are, for "did you mean" suggestions.
 *
 * The edit distance (insert, delete or change one byte) between two
 * names, computed only as far as a limit: one band of the table, given up
 * as soon as no path can stay within the limit. A name far longer than
 * the other is ruled out by the difference in length alone, so trying
 * every name of a big knowledge base costs little. Owns nothing and
 * allocates nothing.
 */
#ifndef SINEW_NEAR_H
#define SINEW_NEAR_H

#include <stddef.h>

/* The largest limit near_distance honours; a larger one is taken as it. */
#define NEAR_MAX_LIMIT 8u

/* The edits from A (LA bytes) to B (LB bytes) when there are at most
 * LIMIT of them; LIMIT + 1 when there are more. */
unsigned near_distance(const char *a, size_t la, const char *b, size_t lb, unsigned limit);

#endif
