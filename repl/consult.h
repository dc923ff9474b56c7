/* consult.h — a consultation: the system asks, the person answers
 * (repl/consult.c).
 *
 * A consult object walks one engine through a consultation, one line at a
 * time, so the REPL can drive it from readline's callback loop or from a
 * script: consult_ask shows the next question (chosen by the engine's
 * sn_next_question), consult_line takes what was typed (answers, or why,
 * unknown, whatif, more, back, save, quit, help). When no question could
 * change the report any more, or on quit, the report is printed and
 * consult_ask returns false.
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
 * "error: " or a newline. With no FN they are printed on stdout. MORE:
 * every question a rule waits on, not only those that could change the
 * report. */
typedef void (*consult_error_fn)(void *ctx, const char *message);

consult *consult_new(sn_engine *, bool color, bool more, consult_error_fn, void *ctx);
void consult_free(consult *);

/* Show the question to answer next; false, after the report, when the
 * consultation is over. */
bool consult_ask(consult *);
/* Wrap the report at WIDTH columns (default: the terminal's, or 80). */
void consult_set_width(consult *, unsigned width);
/* The prompt for the question shown: "site? ". */
const char *consult_prompt(const consult *);
/* A line typed at the question. */
void consult_line(consult *, const char *line);
/* A line that cannot be taken (WHY: it holds a NUL byte): the error, and
 * the question again. */
void consult_reject(consult *, const char *why);
/* What the finding ARG would change in the report (whatif.c), without
 * changing anything: "ANSWER" for the question CUR (may be NULL),
 * "TEMPLATE ANSWER" or "TEMPLATE(ANSWER)" for any; wrapped at WIDTH.
 * Errors go to ON_ERROR (with no ON_ERROR, "error: ..." on stdout). */
void consult_whatif(sn_engine *, const sn_ask *cur, const char *arg, unsigned width,
                    consult_error_fn, void *ctx);
/* The columns to wrap at: the terminal's, or 80. */
unsigned consult_terminal_width(void);
/* The words that can be typed now: the answers, then the commands. */
void consult_words(const consult *, void (*fn)(const char *word, void *ctx), void *ctx);

/* A consultation driven by another program (jsonl.c): questions as JSON
 * lines to OUT, one answer a line from IN, the report as a batch result
 * line at the end. Returns the exit status. */
int consult_jsonl(sn_engine *, FILE *in, FILE *out);

/* The same a line at a time, for a caller with its own input (the web
 * page of `sinew serve`): jsonl_new runs the rules; jsonl_next writes the
 * question to answer (once: again only after a line took it), false when
 * the consultation is over; jsonl_line takes one line of LEN bytes (an
 * answer or a command, as consult --jsonl reads it) and writes what it
 * answers with, false on quit; jsonl_report writes the report. The
 * caller owns the jsonl (jsonl_free) and the engine, which must outlive
 * it. */
typedef struct jsonl jsonl;
jsonl *jsonl_new(sn_engine *);
void jsonl_free(jsonl *);
bool jsonl_next(jsonl *, FILE *out);
bool jsonl_line(jsonl *, const char *line, size_t len, FILE *out);
/* The question shown, or NULL once the consultation is over. */
const sn_ask *jsonl_question(const jsonl *);
/* The question shown written again (nothing once it is over). */
void jsonl_repeat(const jsonl *, FILE *out);
void jsonl_report(const jsonl *, FILE *out);

/* Write the given facts of working memory as a case block named after
 * PATH, expecting what is concluded now; false, with why in ERR, when
 * PATH cannot be written (nothing of it is left behind). */
bool consult_save(sn_engine *, const char *path, char *err, size_t size);

#endif
