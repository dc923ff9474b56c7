/* webapi.h — the requests of `sinew serve`, answered without HTTP
 * (repl/webapi.c): the routes, the table of sessions and the limits. The
 * HTTP server (serve.c) and the fuzzing harness (fuzz/fuzz_serve.c) hand
 * it a method, a path and a body, and send back what it answers.
 *
 *   GET  /, /index.html, /app.js, /style.css      the page (built in)
 *   POST /api/session                  a new session: its id and state
 *   GET  /api/s/ID                     the consultation as it stands
 *   POST /api/s/ID/answer    LINE      an answer or a command (why, back,
 *                                      unknown, more, quit)
 *   POST /api/s/ID/why       FACT      why --json      (FACT: #N or a pattern)
 *   POST /api/s/ID/how       FACT      how --json
 *   POST /api/s/ID/proof     FACT      the proof tree as SVG (Graphviz)
 *   POST /api/s/ID/whynot    PATTERN   whynot --json
 *   GET  /api/s/ID/step/K              firing K replayed, with the agenda
 *   POST /api/s/ID/end, DELETE /api/s/ID   the session ends
 *   GET  /api/stats                    sessions open, the most, bytes held
 *
 * Every error is {"schema":"sinew.serve/1","error":"...","status":N} with
 * that HTTP status. No path of a request names a file: the page's files
 * are looked up in the table built into the program. Session ids are 128
 * random bits (getrandom), written as 32 hex digits; a session not used
 * for the idle time is freed (webapi_sweep), and when the table is full a
 * new session is refused (503).
 *
 * The webapi owns its sessions; a reply's body is the caller's to free
 * (webapi_reply_fini).
 */
#ifndef SINEW_WEBAPI_H
#define SINEW_WEBAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sinew.h"

enum {
    WEBAPI_MAX_BODY = 8192,       /* bytes of a request body */
    WEBAPI_DOT_TIMEOUT_MS = 5000, /* the bound on drawing one picture */
};

typedef struct webapi_config {
    const sn_engine *base;        /* the knowledge base, loaded (borrowed:
                                     it must outlive the webapi); each
                                     session's engines are clones of it */
    unsigned max_sessions;        /* sessions open at once */
    unsigned idle_seconds;        /* a session unused this long is freed */
    bool render;                  /* draw proofs with dot (off: 503) */
} webapi_config;

typedef struct webapi webapi;

webapi *webapi_new(const webapi_config *);
void webapi_free(webapi *);

typedef struct webapi_reply {
    int status;
    const char *type;             /* Content-Type (static) */
    char *body;                   /* malloc'd, or borrowed when STATIC_BODY */
    size_t len;
    bool static_body;
} webapi_reply;

/* Answer METHOD PATH with BODY (LEN bytes; NULL when none) at time NOW.
 * A body longer than WEBAPI_MAX_BODY is the caller's to refuse (413)
 * before it is read; here it is refused too. */
void webapi_handle(webapi *, const char *method, const char *path, const char *body, size_t len,
                   time_t now, webapi_reply *out);
void webapi_reply_fini(webapi_reply *);
/* Free the sessions idle since before NOW - idle_seconds; how many. */
unsigned webapi_sweep(webapi *, time_t now);
unsigned webapi_sessions(const webapi *);

#endif
