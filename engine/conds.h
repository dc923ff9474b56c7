/* conds.h — a justification's conditions, every one with what held it
 * (conds.c). Private to the engine.
 *
 * A rule's conditions are the levels of its match: a pattern with the
 * fact it matched, a `not` (or `not { }`) that no fact matched, an
 * `exists` (or `exists { }`) with the facts that let it through when the
 * rule fired (recorded then, so the answer is the firing's, not today's),
 * a `test` with the values of its variables. why, how and the picture
 * (explain.c) read them through these calls. Everything is borrowed from
 * the justification, which keeps it while it lives.
 */
#ifndef SINEW_CONDS_H
#define SINEW_CONDS_H

#include <stdio.h>

#include "internal.h"

typedef struct cond_view {
    uint32_t level;         /* 1-based: the condition's place in the rule */
    cond_kind kind;
    const char *text;       /* as written */
    uint64_t fact;          /* C_PATTERN: the fact matched */
    const uint64_t *wit;    /* C_EXISTS: the facts that let it through */
    uint32_t nwit;
} cond_view;

/* How many conditions J's record shows (0: J keeps no record). */
uint32_t just_nconds(const struct just *);
/* Condition LEVEL (1 .. just_nconds) of J into *OUT. */
void just_cond(const struct just *, uint32_t level, cond_view *out);
/* The variables TEXT names (?v), with their values when J fired:
 * "?v = 9, ?n = 2" into BUF ("" when it names none). */
void just_cond_vars(const struct just *, const char *text, char *buf, size_t size);
/* One condition's outcome in words, for text and pictures: "no fact
 * matched", "true (?v = 9)", "a fact matched" (an exists's facts are
 * listed apart). */
const char *cond_outcome(const struct just *, const cond_view *, char *buf, size_t size);
/* why's lines for J's conditions under INDENT: a pattern's matched fact,
 * then each other condition with its outcome. */
void conds_text(engine *, FILE *, const struct just *, const char *indent);
/* "pattern", "not", "exists", "test". */
const char *cond_kind_word(cond_kind);
/* ,"value":true,"bindings":{...} for test C of J: the variables it names. */
void conds_json_bindings(FILE *, const struct just *, const cond_view *c);
/* ,"conditions":[...] for J (nothing when J keeps no record). */
void conds_json(engine *, FILE *, const struct just *);

#endif
