/* consult.h — a consultation: the system asks, the person answers
 * (repl/consult.c).
 *
 * A consult object walks one engine through a consultation, one line at a
 * time, so the REPL can drive it from readline's callback loop or from a
 * script: consult_ask shows the next question (chosen by the engine's
 * sn_next_question), consult_line takes what was typed (answers, or why,
 * unknown, back, save, quit, help). When no question is left, or on quit,
 * the report is printed and consult_ask returns false.
 *
 * What is already in working memory counts as answered. The caller owns
 * the consult (consult_free) and the engine, which must outlive it.
 */
#ifndef SINEW_CONSULT_H
#define SINEW_CONSULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sinew.h"

typedef struct consult consult;

/* Where a consultation's error messages go: FN gets each one, without
 * "error: " or a newline. With no FN they are printed on stdout. */
typedef void (*consult_error_fn)(void *ctx, const char *message);

consult *consult_new(sn_engine *, bool color, consult_error_fn, void *ctx);
void consult_free(consult *);

/* Show the question to answer next; false, after the report, when the
 * consultation is over. */
bool consult_ask(consult *);
/* The prompt for the question shown: "site? ". */
const char *consult_prompt(const consult *);
/* A line typed at the question. */
void consult_line(consult *, const char *line);
/* The words that can be typed now: the answers, then the commands. */
void consult_words(const consult *, void (*fn)(const char *word, void *ctx), void *ctx);

/* Write the given facts of working memory as a case block named after
 * PATH, expecting what is concluded now; false, with why in ERR, when
 * PATH cannot be written (nothing of it is left behind). */
bool consult_save(sn_engine *, const char *path, char *err, size_t size);

#endif
