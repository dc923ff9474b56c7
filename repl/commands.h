/* commands.h — the `sinew` subcommands beyond `check` (repl/run.c).
 *
 * Each takes the arguments after the command name (argv[0] is the
 * command) and returns the process exit status.
 */
#ifndef SINEW_COMMANDS_H
#define SINEW_COMMANDS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sinew.h"

/* The concluded facts at or above the threshold, by cf, then the
 * recommendations (run.c; used by `sinew run` and the REPL). */
void print_conclusions(sn_engine *, FILE *out);
/* Those facts, most certain first (then by id), in *OUT (the caller
 * frees it; NULL when memory ran out); returns how many. */
size_t ranked_conclusions(sn_engine *, sn_fact ***out);

/* query.c: CALL, a query's name and its arguments as typed (`by_site
 * groin 3`: numbers, "strings" and symbols; CALL is cut into words in
 * place), run on E and its rows written to OUT as they come, none kept:
 * a table (a header of ?variables, a line a row, a count), or, with JSON
 * set, JSON (the text before it, then the "query" object of
 * docs/schema/run.json). False with a reason in ERR (nothing written,
 * unless memory ran out on the way). */
bool query_print(sn_engine *e, char *call, FILE *out, const char *json, char *err,
                 size_t errsize);

int cmd_run(int argc, char **argv, const char *default_rules);
int cmd_test(int argc, char **argv, const char *default_rules);
/* fmt.c: rule files in the one layout */
int cmd_fmt(int argc, char **argv);
/* lsp.c: a language server on standard input and output */
int cmd_lsp(int argc, char **argv);
/* batch.c: JSON cases in, JSON results out */
int cmd_batch(int argc, char **argv, const char *default_rules);

/* The writer of batch results (docs/schema/result.json), for `sinew test
 * --json` too: after a run, batch_result writes the line for the case
 * named ID (at LINE); EXTRA, when not NULL, is more members of the object
 * (",\"test\":{...}"), already JSON. */
typedef struct batch batch;
batch *batch_new(sn_engine *, FILE *out, bool explain);
void batch_result(batch *, const char *id, unsigned long line, uint64_t fired, sn_stop stop,
                  const char *extra);
void batch_free(batch *);
/* The cases of IN, one a line, through the rules loaded in E; a result
 * line each on OUT (`sinew batch` and the fuzzing harness). Reading stops
 * when *STOP is set (STOP may be NULL). *CASES and *ERRORS get how many
 * cases and error records there were. */
void batch_lines(sn_engine *, FILE *in, FILE *out, bool explain, volatile sig_atomic_t *stop,
                 unsigned long long *cases, unsigned long long *errors);

#endif
