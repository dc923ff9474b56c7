/* builtins.h — the functions a rule may call, by name and arity.
 *
 * One table, shared by the checker (unknown function, wrong number of
 * arguments) and the engine (which evaluates them by their id). The table
 * is static and read-only.
 */
#ifndef SINEW_BUILTINS_H
#define SINEW_BUILTINS_H

#include <stddef.h>

typedef enum builtin_id {
    FN_ABS, FN_MIN, FN_MAX, FN_SQRT, FN_POW, FN_ROUND, FN_FLOOR, FN_CEIL,
    FN_INT, FN_FLOAT, FN_BETWEEN,
    FN_CONCAT, FN_LENGTH, FN_UPPER, FN_LOWER, FN_SUBSTR, FN_CONTAINS,
    FN_STARTS_WITH, FN_ENDS_WITH, FN_SYMBOL, FN_STRING,
    FN_IS_INT, FN_IS_FLOAT, FN_IS_NUMBER, FN_IS_SYMBOL, FN_IS_STRING,
    FN_COUNT_ /* number of builtins */
} builtin_id;

typedef struct builtin {
    const char *name;
    builtin_id id;
    int min_args;
    int max_args;       /* -1: no upper bound */
    const char *summary;
} builtin;

/* The builtin called NAME (LEN bytes), or NULL. */
const builtin *builtin_find(const char *name, size_t len);
/* The Ith builtin in table order, or NULL past the end. */
const builtin *builtin_at(size_t i);

#endif
