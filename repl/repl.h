/* repl.h — the interactive session (repl/repl.c).
 *
 * repl_main loads PATHS (or the shipped knowledge base) and reads commands:
 * with GNU readline on a terminal (prompt, completion, history, Ctrl-C),
 * plain lines from standard input otherwise, so it can be scripted. It
 * uses only the public engine API. `consult` hands the lines to a
 * consultation (consult.h) until it is over. Returns the process exit
 * status.
 */
#ifndef SINEW_REPL_H
#define SINEW_REPL_H

#include <stdbool.h>
#include <stddef.h>

#include "sinew.h"

/* How to begin: with a consultation (sinew consult), perhaps resuming
 * the answers saved in RESUME, or at the prompt. SCRIPT: read the
 * commands from this file, not standard input. BAIL: without a terminal,
 * stop at the first command that fails. COLOR: a CLI_COLOR_ mode (cli.h). */
typedef struct repl_start {
    bool consult;
    const char *resume;
    const char *script;
    bool bail;
    int color;
    bool max_firings_set;
    unsigned long long max_firings; /* --max-firings, when set */
    unsigned long long max_memory;  /* --max-memory; 0: no limit */
    unsigned width;         /* the report's columns; 0: the terminal's, or 80 */
    unsigned top;           /* diagnoses the consultation settles; 0: the engine's default */
    bool jsonl;             /* questions and the report as JSON lines */
} repl_start;

int repl_main(int npaths, char **paths, const char *default_rules, const repl_start *start);

/* A session on E (loaded already, not owned) fed lines by a program, as
 * from a pipe, with no terminal and no history: the fuzzing harness of the
 * REPL's lines. Output goes to standard output and error. feed hands it
 * TEXT (LEN bytes, lines ended by newlines); false once a `quit` was read.
 * free finishes a construct still open and frees the session, not E. */
typedef struct session repl_session;
repl_session *repl_session_new(sn_engine *e);
bool repl_session_feed(repl_session *, const char *text, size_t len);
void repl_session_free(repl_session *);

#endif
