/* repl.h — the interactive session (repl/repl.c).
 *
 * repl_main loads PATHS (or the shipped knowledge base) and reads commands:
 * with GNU readline on a terminal (prompt, completion, history, Ctrl-C),
 * plain lines from standard input otherwise, so it can be scripted. It
 * uses only the public engine API. Returns the process exit status.
 */
#ifndef SINEW_REPL_H
#define SINEW_REPL_H

int repl_main(int npaths, char **paths, const char *default_rules);

#endif
