/* session.h — one browser tab's consultation, for `sinew serve`
 * (repl/session.c).
 *
 * A session owns an engine with the knowledge base (a clone of the one
 * the server loaded), the
 * consultation running on it (jsonl.c, the code of `consult --jsonl`),
 * and, once the page asks to step through the firings, a second engine
 * on which the run is replayed from the findings given. Every answer is
 * a JSON document in the CLI's forms (docs/schema: consult, result, why,
 * how, whynot), or an SVG picture, written to a FILE the caller gives;
 * nothing here knows HTTP. The caller owns the session (session_free).
 *
 * Each call returns an HTTP status: 200 with the document written, or an
 * error status (400, 404, 500, 503) with a one-line reason in ERR and
 * nothing written.
 */
#ifndef SINEW_SESSION_H
#define SINEW_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sinew.h"

typedef struct session session;

/* A session on BASE, the knowledge base loaded once for every session
 * (borrowed: it must outlive the session): its engines are clones of BASE
 * (sn_clone), so a session costs no load, and what it changes stays its
 * own. NULL with ERR when memory runs out. */
session *session_new(const sn_engine *base, char *err, size_t errsize);
void session_free(session *);
/* Bytes the session's engines hold (sn_get_stats). */
size_t session_bytes(const session *);

/* The consultation: {"schema":"sinew.serve/1", "lines":[...],
 * "question":{...}|null, "over":bool, "result":{...}}. LINES are what
 * `consult --jsonl` writes for LINE (LEN bytes: an answer or unknown, why,
 * back, more, quit); session_state writes the same with no line taken
 * (LINES empty). QUESTION is the question to answer now (a
 * sinew.consult/1 question line), RESULT the report of working memory as
 * it stands (sinew.result/1; the final report once OVER). */
int session_state(session *, FILE *out, char *err, size_t errsize);
int session_line(session *, const char *line, size_t len, FILE *out, char *err, size_t errsize);

/* A fact named by FACT (LEN bytes): "#12", or a pattern such as
 * "diagnosis(name: hamstring_strain)" (its first match). why and how as
 * `why --json` and `how --json` write them; proof: the how tree drawn
 * by dot as SVG (TIMEOUT_MS the bound on dot). */
int session_why(session *, const char *fact, size_t len, FILE *out, char *err, size_t errsize);
int session_how(session *, const char *fact, size_t len, FILE *out, char *err, size_t errsize);
int session_proof(session *, const char *fact, size_t len, unsigned timeout_ms, FILE *out, char *err,
                  size_t errsize);
/* whynot PATTERN, as `whynot --json` writes it. */
int session_whynot(session *, const char *pattern, size_t len, FILE *out, char *err, size_t errsize);

/* Firing K (from 1) of the run replayed from the findings given so far,
 * on a fresh working memory: {"schema":"sinew.serve/1","step":K,
 * "steps":N,"rule":...,"agenda_before":[...],"agenda_after":[...],
 * "trace":[...]}; the agenda as it was before and after the firing, and
 * what the engine's watch printed for it. */
int session_step(session *, unsigned long k, FILE *out, char *err, size_t errsize);

#endif
