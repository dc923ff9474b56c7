/* fuzz_serve.c — libFuzzer harness for the requests of `sinew serve`.
 *
 * The request layer (repl/webapi.c: routes, sessions, limits) is driven
 * without HTTP, as serve.c drives it. An input is a request: its first
 * line "METHOD PATH", the rest its body; @SESSION@ in the line or the
 * body stands for a live session's id (one is started when there is
 * none). Every answer must be a page file or a JSON document with an
 * HTTP status, never a crash, a leak or a hang. Proofs are not drawn (no
 * dot child per input); fuzz/seeds/serve holds the seed corpus, which
 * tests/browser.sh also sends to a running server.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_LINE = 512 };

static webapi *api(void)
{
    static webapi *w;
    static const char *const rules[] = {"rules"};
    if (!w) {
        /* the knowledge base, loaded once: sessions are clones of it */
        sn_engine *base = sn_new();
        if (!base || sn_load_files(base, rules, 1, NULL) != SN_OK)
            abort();
        sn_set_output(base, NULL);
        webapi_config cfg = {.base = base, .max_sessions = 4, .idle_seconds = 3600,
                             .render = false};
        w = webapi_new(&cfg);
        if (!w)
            abort();
    }
    return w;
}

/* The id of a live session, started when needed, into ID. */
static void live_session(webapi *w, char id[33])
{
    webapi_reply r;
    char path[64];
    snprintf(path, sizeof path, "/api/s/%s", id);
    if (id[0]) {
        webapi_handle(w, "GET", path, NULL, 0, 0, &r);
        int status = r.status;
        webapi_reply_fini(&r);
        if (status == 200)
            return;
    }
    if (webapi_sessions(w) == 4)
        webapi_sweep(w, 1 << 30); /* all idle by then */
    webapi_handle(w, "POST", "/api/session", NULL, 0, 0, &r);
    json_t *v = r.status == 201 ? json_loadb(r.body, r.len, 0, NULL) : NULL;
    const char *s = json_string_value(json_object_get(v, "session"));
    if (!s || strlen(s) != 32)
        abort(); /* a session must start when there is room */
    memcpy(id, s, 33);
    json_decref(v);
    webapi_reply_fini(&r);
}

/* TEXT with @SESSION@ replaced by ID, malloc'd; its length in *LEN. */
static char *substitute(const char *text, size_t n, const char *id, size_t *len)
{
    static const char mark[] = "@SESSION@";
    char *out = malloc(n * 4 + 1), *o = out;
    if (!out)
        abort();
    for (size_t i = 0; i < n;) {
        if (n - i >= sizeof mark - 1 && memcmp(text + i, mark, sizeof mark - 1) == 0) {
            memcpy(o, id, 32);
            o += 32;
            i += sizeof mark - 1;
        } else {
            *o++ = text[i++];
        }
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char id[33];
    webapi *w = api();
    const char *nl = memchr(data, '\n', size);
    size_t first = nl ? (size_t)(nl - (const char *)data) : size;
    if (first == 0 || first > MAX_LINE)
        return 0;
    live_session(w, id);
    size_t llen, blen;
    char *line = substitute((const char *)data, first, id, &llen);
    const char *rest = nl ? nl + 1 : (const char *)data + size;
    char *body = substitute(rest, size - (size_t)(rest - (const char *)data), id, &blen);
    char *sp = strchr(line, ' ');
    if (sp && !memchr(line, '\0', llen)) {
        *sp = '\0';
        webapi_reply r;
        webapi_handle(w, line, sp + 1, blen ? body : NULL, blen, 0, &r);
        if (r.status < 200 || r.status > 599 || !r.type || (r.len && !r.body))
            abort();
        if (strcmp(r.type, "application/json") == 0) {
            json_error_t je;
            json_t *v = json_loadb(r.body, r.len, 0, &je);
            if (!v)
                abort(); /* every JSON answer is JSON */
            json_decref(v);
        }
        webapi_reply_fini(&r);
    }
    free(line);
    free(body);
    return 0;
}
