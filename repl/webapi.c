/* webapi.c — the routes of `sinew serve` and its sessions. See webapi.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "session.h"
#include "web.h"
#include "webapi.h"

enum { ID_HEX = 32 };

typedef struct slot {
    char id[ID_HEX + 1];
    session *s;
    time_t used;
} slot;

struct webapi {
    webapi_config cfg;
    slot *slots;          /* cfg.max_sessions of them; S NULL when free */
    unsigned open;
};

static const char JSON_TYPE[] = "application/json";

webapi *webapi_new(const webapi_config *cfg)
{
    webapi *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cfg = *cfg;
    if (w->cfg.max_sessions == 0)
        w->cfg.max_sessions = 1;
    w->slots = calloc(w->cfg.max_sessions, sizeof *w->slots);
    if (!w->slots) {
        free(w);
        return NULL;
    }
    return w;
}

static void slot_end(webapi *w, slot *sl)
{
    session_free(sl->s);
    memset(sl, 0, sizeof *sl);
    w->open--;
}

void webapi_free(webapi *w)
{
    if (!w)
        return;
    for (unsigned i = 0; i < w->cfg.max_sessions; i++)
        if (w->slots[i].s)
            slot_end(w, &w->slots[i]);
    free(w->slots);
    free(w);
}

unsigned webapi_sweep(webapi *w, time_t now)
{
    unsigned n = 0;
    for (unsigned i = 0; i < w->cfg.max_sessions; i++)
        if (w->slots[i].s && now - w->slots[i].used >= (time_t)w->cfg.idle_seconds) {
            slot_end(w, &w->slots[i]);
            n++;
        }
    return n;
}

unsigned webapi_sessions(const webapi *w) { return w->open; }

void webapi_reply_fini(webapi_reply *r)
{
    if (!r->static_body)
        free(r->body);
    r->body = NULL;
}

/* ---- replies -------------------------------------------------------- */

static void reply_json(webapi_reply *out, int status, json_t *v)
{
    out->status = status;
    out->type = JSON_TYPE;
    out->static_body = false;
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(v);
    if (!text) {
        static const char oom[] = "{\"schema\":\"sinew.serve/1\",\"error\":\"out of memory\",\"status\":500}\n";
        out->status = 500;
        out->body = (char *)oom;
        out->len = sizeof oom - 1;
        out->static_body = true;
        return;
    }
    size_t n = strlen(text);
    char *body = realloc(text, n + 2);
    if (body) {
        body[n++] = '\n';
        body[n] = '\0';
        text = body;
    }
    out->body = text;
    out->len = n;
}

static void reply_error(webapi_reply *out, int status, const char *msg)
{
    json_t *v = json_object();
    json_object_set_new(v, "schema", json_string("sinew.serve/1"));
    /* a message may quote the request: made valid UTF-8 by Jansson or
     * replaced */
    json_t *m = json_string(msg);
    json_object_set_new(v, "error", m ? m : json_string("the request cannot be answered"));
    json_object_set_new(v, "status", json_integer(status));
    reply_json(out, status, v);
}

/* Run FN's answer through a memory stream into OUT. */
typedef int (*answer_fn)(session *, const char *arg, size_t len, unsigned long k, FILE *out, char *err,
                         size_t errsize);

static void reply_with(webapi_reply *out, session *s, answer_fn fn, const char *arg, size_t len,
                       unsigned long k, const char *type)
{
    char *text = NULL, err[512] = "";
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f) {
        reply_error(out, 500, "out of memory");
        return;
    }
    int status = fn(s, arg, len, k, f, err, sizeof err);
    if (fclose(f) != 0 && status == 200) {
        status = 500;
        snprintf(err, sizeof err, "out of memory");
    }
    if (status != 200) {
        free(text);
        reply_error(out, status, err);
        return;
    }
    out->status = 200;
    out->type = type;
    out->body = text;
    out->len = n;
    out->static_body = false;
}

/* The session calls, in one shape. */
static int do_state(session *s, const char *a, size_t n, unsigned long k, FILE *f, char *e, size_t es)
{
    (void)a, (void)n, (void)k;
    return session_state(s, f, e, es);
}
static int do_line(session *s, const char *a, size_t n, unsigned long k, FILE *f, char *e, size_t es)
{
    (void)k;
    return session_line(s, a ? a : "", n, f, e, es);
}
static int do_why(session *s, const char *a, size_t n, unsigned long k, FILE *f, char *e, size_t es)
{
    (void)k;
    return session_why(s, a ? a : "", n, f, e, es);
}
static int do_how(session *s, const char *a, size_t n, unsigned long k, FILE *f, char *e, size_t es)
{
    (void)k;
    return session_how(s, a ? a : "", n, f, e, es);
}
static int do_proof(session *s, const char *a, size_t n, unsigned long k, FILE *f, char *e, size_t es)
{
    return session_proof(s, a ? a : "", n, (unsigned)k, f, e, es);
}
static int do_whynot(session *s, const char *a, size_t n, unsigned long k, FILE *f, char *e, size_t es)
{
    (void)k;
    return session_whynot(s, a ? a : "", n, f, e, es);
}
static int do_step(session *s, const char *a, size_t n, unsigned long k, FILE *f, char *e, size_t es)
{
    (void)a, (void)n;
    return session_step(s, k, f, e, es);
}

/* ---- sessions -------------------------------------------------------- */

static bool new_id(char *id)
{
    unsigned char raw[ID_HEX / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(id + 2 * i, 3, "%02x", raw[i]);
    return true;
}

static slot *find(webapi *w, const char *id)
{
    for (unsigned i = 0; i < w->cfg.max_sessions; i++)
        if (w->slots[i].s && memcmp(w->slots[i].id, id, ID_HEX) == 0)
            return &w->slots[i];
    return NULL;
}

static void start(webapi *w, time_t now, webapi_reply *out)
{
    slot *sl = NULL;
    for (int pass = 0; pass < 2 && !sl; pass++) {
        if (pass == 1)
            webapi_sweep(w, now);
        for (unsigned i = 0; i < w->cfg.max_sessions && !sl; i++)
            if (!w->slots[i].s)
                sl = &w->slots[i];
    }
    if (!sl) {
        reply_error(out, 503, "too many sessions are open; try again when one ends");
        return;
    }
    char err[512];
    if (!new_id(sl->id)) {
        reply_error(out, 500, "no random bytes for a session id");
        return;
    }
    sl->s = session_new(w->cfg.base, err, sizeof err);
    if (!sl->s) {
        memset(sl, 0, sizeof *sl);
        reply_error(out, 500, err);
        return;
    }
    sl->used = now;
    w->open++;
    reply_with(out, sl->s, do_state, NULL, 0, 0, JSON_TYPE);
    if (out->status != 200)
        return;
    /* the state, with the session's id first */
    json_t *v = json_loadb(out->body, out->len, 0, NULL);
    webapi_reply_fini(out);
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string("sinew.serve/1"));
    json_object_set_new(o, "session", json_string(sl->id));
    json_object_update(o, v);
    json_decref(v);
    reply_json(out, 201, o);
}

static void stats(webapi *w, webapi_reply *out)
{
    size_t bytes = 0;
    for (unsigned i = 0; i < w->cfg.max_sessions; i++)
        if (w->slots[i].s)
            bytes += session_bytes(w->slots[i].s);
    json_t *v = json_object();
    json_object_set_new(v, "schema", json_string("sinew.serve/1"));
    json_object_set_new(v, "sessions", json_integer(w->open));
    json_object_set_new(v, "max_sessions", json_integer(w->cfg.max_sessions));
    json_object_set_new(v, "bytes", json_integer((json_int_t)bytes));
    reply_json(out, 200, v);
}

/* ---- routes ---------------------------------------------------------- */

static bool is_hex_id(const char *p)
{
    for (int i = 0; i < ID_HEX; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

/* K of "/step/K": a whole number from 1, at most 9 digits; 0 when not. */
static unsigned long step_number(const char *p)
{
    size_t n = strspn(p, "0123456789");
    if (n == 0 || n > 9 || p[n] != '\0')
        return 0;
    return strtoul(p, NULL, 10);
}

void webapi_handle(webapi *w, const char *method, const char *path, const char *body, size_t len,
                   time_t now, webapi_reply *out)
{
    memset(out, 0, sizeof *out);
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    if (len > WEBAPI_MAX_BODY) {
        reply_error(out, 413, "the request's body is too long");
        return;
    }
    if (strncmp(path, "/api/", 5) != 0) {
        const char *want = strcmp(path, "/") == 0 ? "/index.html" : path;
        for (const web_asset *a = web_assets; a->path; a++)
            if (strcmp(a->path, want) == 0) {
                if (!get) {
                    reply_error(out, 405, "the page's files are read with GET");
                    return;
                }
                out->status = 200;
                out->type = a->type;
                out->body = (char *)a->data;
                out->len = a->len;
                out->static_body = true;
                return;
            }
        reply_error(out, 404, "no such page");
        return;
    }
    if (strcmp(path, "/api/session") == 0) {
        if (!post)
            reply_error(out, 405, "a session is started with POST");
        else
            start(w, now, out);
        return;
    }
    if (strcmp(path, "/api/stats") == 0) {
        if (!get)
            reply_error(out, 405, "the statistics are read with GET");
        else
            stats(w, out);
        return;
    }
    if (strncmp(path, "/api/s/", 7) != 0 || strlen(path) < 7 + ID_HEX || !is_hex_id(path + 7) ||
        (path[7 + ID_HEX] != '\0' && path[7 + ID_HEX] != '/')) {
        reply_error(out, 404, "no such request");
        return;
    }
    slot *sl = find(w, path + 7);
    if (!sl) {
        reply_error(out, 404, "no such session (it may have ended after being idle)");
        return;
    }
    sl->used = now;
    const char *verb = path + 7 + ID_HEX;
    if (*verb == '\0') {
        if (strcmp(method, "DELETE") == 0)
            goto end;
        if (!get)
            reply_error(out, 405, "a session's state is read with GET");
        else
            reply_with(out, sl->s, do_state, NULL, 0, 0, JSON_TYPE);
        return;
    }
    verb++;
    if (strncmp(verb, "step/", 5) == 0) {
        unsigned long k = step_number(verb + 5);
        if (!get)
            reply_error(out, 405, "a step is read with GET");
        else if (k == 0)
            reply_error(out, 404, "a step is a number from 1");
        else
            reply_with(out, sl->s, do_step, NULL, 0, k, JSON_TYPE);
        return;
    }
    static const struct {
        const char *verb;
        answer_fn fn;
        const char *type;
    } posts[] = {
        {"answer", do_line, JSON_TYPE},        {"why", do_why, JSON_TYPE},
        {"how", do_how, JSON_TYPE},            {"proof", do_proof, "image/svg+xml"},
        {"whynot", do_whynot, JSON_TYPE},
    };
    if (strcmp(verb, "end") == 0) {
        if (!post) {
            reply_error(out, 405, "a session is ended with POST or DELETE");
            return;
        }
        goto end;
    }
    for (size_t i = 0; i < sizeof posts / sizeof *posts; i++)
        if (strcmp(verb, posts[i].verb) == 0) {
            if (!post) {
                reply_error(out, 405, "this request is a POST");
                return;
            }
            if (posts[i].fn == do_proof && !w->cfg.render) {
                reply_error(out, 503, "pictures are not drawn here");
                return;
            }
            reply_with(out, sl->s, posts[i].fn, body, len,
                       posts[i].fn == do_proof ? WEBAPI_DOT_TIMEOUT_MS : 0, posts[i].type);
            return;
        }
    reply_error(out, 404, "no such request");
    return;
end:
    slot_end(w, sl);
    json_t *v = json_object();
    json_object_set_new(v, "schema", json_string("sinew.serve/1"));
    json_object_set_new(v, "ended", json_true());
    reply_json(out, 200, v);
}
