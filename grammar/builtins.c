/* builtins.c — the function table; see builtins.h. */
#include "builtins.h"

#include <string.h>

static const builtin table[] = {
    {"abs", FN_ABS, 1, 1, "absolute value of a number"},
    {"min", FN_MIN, 1, -1, "smallest of its numbers"},
    {"max", FN_MAX, 1, -1, "largest of its numbers"},
    {"sqrt", FN_SQRT, 1, 1, "square root, a float"},
    {"pow", FN_POW, 2, 2, "first number raised to the second, a float"},
    {"round", FN_ROUND, 1, 1, "nearest integer, halves away from zero"},
    {"floor", FN_FLOOR, 1, 1, "largest integer not above the number"},
    {"ceil", FN_CEIL, 1, 1, "smallest integer not below the number"},
    {"int", FN_INT, 1, 1, "a number or numeric string as an integer (truncated)"},
    {"float", FN_FLOAT, 1, 1, "a number or numeric string as a float"},
    {"between", FN_BETWEEN, 3, 3, "true when lo <= x <= hi: between(x, lo, hi)"},
    {"concat", FN_CONCAT, 1, -1, "its arguments' text joined, as a string"},
    {"length", FN_LENGTH, 1, 1, "number of characters in a string or symbol"},
    {"upper", FN_UPPER, 1, 1, "a string or symbol in upper case"},
    {"lower", FN_LOWER, 1, 1, "a string or symbol in lower case"},
    {"substr", FN_SUBSTR, 3, 3, "substr(s, start, length), counting from 1"},
    {"contains", FN_CONTAINS, 2, 2, "true when the first text contains the second"},
    {"starts_with", FN_STARTS_WITH, 2, 2, "true when the first text starts with the second"},
    {"ends_with", FN_ENDS_WITH, 2, 2, "true when the first text ends with the second"},
    {"symbol", FN_SYMBOL, 1, 1, "its argument's text as a symbol"},
    {"string", FN_STRING, 1, 1, "its argument's text as a string"},
    {"is_int", FN_IS_INT, 1, 1, "true for an integer"},
    {"is_float", FN_IS_FLOAT, 1, 1, "true for a float"},
    {"is_number", FN_IS_NUMBER, 1, 1, "true for an integer or a float"},
    {"is_symbol", FN_IS_SYMBOL, 1, 1, "true for a symbol"},
    {"is_string", FN_IS_STRING, 1, 1, "true for a string"},
};

const builtin *builtin_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0)
            return &table[i];
    return NULL;
}

const builtin *builtin_at(size_t i)
{
    return i < sizeof table / sizeof table[0] ? &table[i] : NULL;
}
