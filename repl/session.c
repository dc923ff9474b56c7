/* session.c — one tab's consultation and its explanations. See
 * session.h.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consult.h"
#include "render.h"
#include "session.h"

enum {
    MAX_PATTERN = 1024,  /* bytes of a fact or pattern taken from a request */
    MAX_LISTED = 200,    /* agenda entries, trace lines shown for a step */
    MAX_FACT_TEXT = 512,
};

struct session {
    const sn_engine *base;
    sn_engine *e;
    jsonl *j;
    sn_engine *replay;   /* cloned the first time a step is asked for */
};

/* A clone of the knowledge base, writing nowhere. */
static sn_engine *load(const sn_engine *base, char *err, size_t errsize)
{
    sn_engine *e = sn_clone(base);
    if (!e) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    sn_set_output(e, NULL);
    return e;
}

session *session_new(const sn_engine *base, char *err, size_t errsize)
{
    session *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    s->base = base;
    s->e = load(base, err, errsize);
    if (s->e)
        s->j = jsonl_new(s->e);
    if (!s->j) {
        if (s->e)
            snprintf(err, errsize, "out of memory");
        session_free(s);
        return NULL;
    }
    return s;
}

void session_free(session *s)
{
    if (!s)
        return;
    jsonl_free(s->j);
    sn_free(s->e);
    sn_free(s->replay);
    free(s);
}

size_t session_bytes(const session *s)
{
    sn_stats st;
    sn_get_stats(s->e, &st);
    size_t n = st.bytes;
    if (s->replay) {
        sn_get_stats(s->replay, &st);
        n += st.bytes;
    }
    return n;
}

/* ---- output helpers ------------------------------------------------- */

/* What FN wrote to a memory stream: malloc'd text (the caller frees it),
 * or NULL when memory ran out. */
typedef struct mem {
    FILE *f;
    char *p;
    size_t n;
} mem;

static bool mem_open(mem *m)
{
    m->p = NULL;
    m->n = 0;
    m->f = open_memstream(&m->p, &m->n);
    return m->f != NULL;
}

static char *mem_close(mem *m)
{
    if (fclose(m->f) != 0) {
        free(m->p);
        return NULL;
    }
    return m->p;
}

/* Every JSON object line of TEXT appended to ARRAY. */
static void lines_into(json_t *array, const char *text)
{
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        json_t *v = json_loadb(p, len, 0, NULL);
        if (v)
            json_array_append_new(array, v);
        p = nl ? nl + 1 : p + len;
    }
}

static json_t *envelope(void)
{
    json_t *v = json_object();
    json_object_set_new(v, "schema", json_string("sinew.serve/1"));
    return v;
}

static int dump(json_t *v, FILE *out, char *err, size_t errsize)
{
    int rc = json_dumpf(v, out, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(v);
    if (rc != 0) {
        snprintf(err, errsize, "cannot write the answer");
        return 500;
    }
    fputc('\n', out);
    return 200;
}

/* ---- the consultation ----------------------------------------------- */

/* The envelope around the lines LINES (text, one JSON object a line). */
static int consultation(session *s, const char *lines, FILE *out, char *err, size_t errsize)
{
    json_t *v = envelope(), *arr = json_array();
    lines_into(arr, lines);
    json_object_set_new(v, "lines", arr);
    mem m;
    if (!mem_open(&m)) {
        json_decref(v);
        snprintf(err, errsize, "out of memory");
        return 500;
    }
    bool over = !jsonl_next(s->j, m.f);
    if (!over) {
        /* the question shown, whether asked now or before */
        fflush(m.f);
        if (m.n == 0)
            jsonl_repeat(s->j, m.f);
        fflush(m.f);
        size_t asked = m.n;
        jsonl_report(s->j, m.f);
        char *text = mem_close(&m);
        json_t *q = text ? json_loadb(text, asked, 0, NULL) : NULL;
        json_t *res = text ? json_loads(text + asked, 0, NULL) : NULL;
        json_object_set_new(v, "question", q ? q : json_null());
        json_object_set_new(v, "result", res ? res : json_null());
        free(text);
    } else {
        jsonl_report(s->j, m.f);
        char *text = mem_close(&m);
        json_t *res = text ? json_loads(text, 0, NULL) : NULL;
        json_object_set_new(v, "question", json_null());
        json_object_set_new(v, "result", res ? res : json_null());
        free(text);
    }
    json_object_set_new(v, "over", json_boolean(over));
    return dump(v, out, err, errsize);
}

int session_state(session *s, FILE *out, char *err, size_t errsize)
{
    return consultation(s, "", out, err, errsize);
}

int session_line(session *s, const char *line, size_t len, FILE *out, char *err, size_t errsize)
{
    if (!jsonl_question(s->j)) {
        /* over: the report stands; nothing more is taken */
        return consultation(s, "", out, err, errsize);
    }
    mem m;
    if (!mem_open(&m)) {
        snprintf(err, errsize, "out of memory");
        return 500;
    }
    jsonl_line(s->j, line, len, m.f);
    char *text = mem_close(&m);
    if (!text) {
        snprintf(err, errsize, "out of memory");
        return 500;
    }
    int status = consultation(s, text, out, err, errsize);
    free(text);
    return status;
}

/* ---- explanations ---------------------------------------------------- */

/* The fact FACT names in E: "#12" or "12", or the first match of a
 * pattern. NULL with the status in *STATUS and why in ERR. */
static const sn_fact *find_fact(sn_engine *e, const char *fact, size_t len, int *status, char *err,
                                size_t errsize)
{
    char text[MAX_PATTERN + 1];
    *status = 400;
    if (len == 0 || len > MAX_PATTERN || memchr(fact, '\0', len)) {
        snprintf(err, errsize, "name a fact: #ID or a pattern of at most %d bytes", MAX_PATTERN);
        return NULL;
    }
    memcpy(text, fact, len);
    text[len] = '\0';
    const char *p = text + (text[0] == '#');
    if (*p >= '0' && *p <= '9' && strspn(p, "0123456789") == strlen(p) && strlen(p) <= 19) {
        sn_fact *f = sn_fact_by_id(e, strtoull(p, NULL, 10));
        if (!f) {
            *status = 404;
            snprintf(err, errsize, "no fact #%s", p);
        }
        return f;
    }
    sn_fact *found[1];
    sn_report r = {0};
    size_t n = 0;
    sn_status st = sn_query(e, text, found, 1, &n, &r);
    if (st != SN_OK) {
        snprintf(err, errsize, "%s", st == SN_ERR_NOMEM ? sn_errmsg(e)
                                     : r.n             ? r.items[0].message
                                                       : "not a pattern");
        if (st == SN_ERR_NOMEM)
            *status = 500;
        sn_report_free(&r);
        return NULL;
    }
    sn_report_free(&r);
    if (n == 0) {
        *status = 404;
        snprintf(err, errsize, "no fact matches %.200s", text);
        return NULL;
    }
    return found[0];
}

static int explain(session *s, const char *fact, size_t len, bool how, FILE *out, char *err,
                   size_t errsize)
{
    int status;
    const sn_fact *f = find_fact(s->e, fact, len, &status, err, errsize);
    if (!f)
        return status;
    sn_status st = how ? sn_explain_how(s->e, f, SN_JSON, out) : sn_explain_why(s->e, f, SN_JSON, out);
    if (st != SN_OK) {
        snprintf(err, errsize, "%s", sn_errmsg(s->e));
        return 500;
    }
    return 200;
}

int session_why(session *s, const char *fact, size_t len, FILE *out, char *err, size_t errsize)
{
    return explain(s, fact, len, false, out, err, errsize);
}

int session_how(session *s, const char *fact, size_t len, FILE *out, char *err, size_t errsize)
{
    return explain(s, fact, len, true, out, err, errsize);
}

int session_proof(session *s, const char *fact, size_t len, unsigned timeout_ms, FILE *out, char *err,
                  size_t errsize)
{
    int status;
    const sn_fact *f = find_fact(s->e, fact, len, &status, err, errsize);
    if (!f)
        return status;
    mem m;
    if (!mem_open(&m)) {
        snprintf(err, errsize, "out of memory");
        return 500;
    }
    sn_status st = sn_explain_how(s->e, f, SN_DOT, m.f);
    char *dot = mem_close(&m);
    if (dot && st != SN_OK) {
        free(dot);
        dot = NULL;
    }
    if (!dot) {
        snprintf(err, errsize, "out of memory");
        return 500;
    }
    char *svg;
    size_t svg_len;
    bool ok = render_svg(dot, m.n, timeout_ms, &svg, &svg_len, err, errsize);
    free(dot);
    if (!ok)
        return 503;
    fwrite(svg, 1, svg_len, out);
    free(svg);
    return 200;
}

int session_whynot(session *s, const char *pattern, size_t len, FILE *out, char *err, size_t errsize)
{
    char text[MAX_PATTERN + 1];
    if (len == 0 || len > MAX_PATTERN || memchr(pattern, '\0', len)) {
        snprintf(err, errsize, "whynot takes a pattern of at most %d bytes", MAX_PATTERN);
        return 400;
    }
    memcpy(text, pattern, len);
    text[len] = '\0';
    mem m;
    if (!mem_open(&m)) {
        snprintf(err, errsize, "out of memory");
        return 500;
    }
    sn_report r = {0};
    sn_status st = sn_explain_whynot(s->e, text, SN_JSON, m.f, &r);
    char *json = mem_close(&m);
    if (st != SN_OK || !json) {
        snprintf(err, errsize, "%s", !json || st == SN_ERR_NOMEM ? "out of memory"
                                     : r.n                       ? r.items[0].message
                                                                 : "not a pattern");
        sn_report_free(&r);
        free(json);
        return json ? 400 : 500;
    }
    sn_report_free(&r);
    fputs(json, out);
    free(json);
    return 200;
}

/* ---- stepping through the firings ------------------------------------ */

/* The findings given so far (typed answers, a case's facts), as facts
 * text, into *TEXT (malloc'd). */
static bool given_text(sn_engine *e, char **text, size_t *len)
{
    mem m;
    if (!mem_open(&m))
        return false;
    char buf[MAX_FACT_TEXT];
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        sn_origin o = sn_fact_origin(f);
        if (o != SN_ORIGIN_TYPED && o != SN_ORIGIN_CASE)
            continue;
        size_t need = sn_fact_format(f, buf, sizeof buf);
        if (need >= sizeof buf)
            continue; /* cannot be longer than an answer allows */
        fprintf(m.f, "%s\n", buf);
    }
    *text = mem_close(&m);
    *len = m.n;
    return *text != NULL;
}

/* The replay engine with working memory back to the facts blocks and the
 * findings given. */
static bool replay_start(session *s, char *err, size_t errsize)
{
    if (!s->replay) {
        s->replay = load(s->base, err, errsize);
        if (!s->replay)
            return false;
    }
    sn_reset(s->replay);
    char *text;
    size_t len;
    if (!given_text(s->e, &text, &len)) {
        snprintf(err, errsize, "out of memory");
        return false;
    }
    sn_report r = {0};
    sn_status st = sn_assert_facts(s->replay, "findings", text, len, NULL, 0, NULL, &r);
    free(text);
    if (st != SN_OK) {
        snprintf(err, errsize, "the findings do not replay: %s", r.n ? r.items[0].message : "?");
        sn_report_free(&r);
        return false;
    }
    sn_report_free(&r);
    return true;
}

static json_t *fact_json(const sn_fact *f)
{
    char *text = sn_fact_text(f);
    json_t *v = json_object();
    json_object_set_new(v, "id", json_integer((json_int_t)sn_fact_id(f)));
    json_object_set_new(v, "fact", json_string(text ? text : ""));
    free(text);
    json_object_set_new(v, "cf", json_real(sn_fact_cf(f)));
    return v;
}

static json_t *activation_json(const sn_activation *a)
{
    const sn_rule *r = sn_activation_rule(a);
    json_t *v = json_object(), *facts = json_array();
    json_object_set_new(v, "rule", json_string(sn_rule_name(r)));
    json_object_set_new(v, "where", json_string(sn_rule_where(r)));
    json_object_set_new(v, "salience", json_integer(sn_activation_salience(a)));
    json_object_set_new(v, "red_flag", json_boolean(sn_rule_red_flag(r)));
    const sn_fact *fs[32];
    unsigned n = sn_activation_facts(a, fs, 32);
    for (unsigned i = 0; i < n && i < 32; i++)
        json_array_append_new(facts, fact_json(fs[i]));
    json_object_set_new(v, "facts", facts);
    return v;
}

static json_t *agenda_json(sn_engine *e, unsigned long *count)
{
    json_t *v = json_array();
    unsigned long n = 0;
    for (sn_activation *a = sn_agenda_next(e, NULL); a; a = sn_agenda_next(e, a), n++)
        if (n < MAX_LISTED)
            json_array_append_new(v, activation_json(a));
    *count = n;
    return v;
}

int session_step(session *s, unsigned long k, FILE *out, char *err, size_t errsize)
{
    if (!replay_start(s, err, errsize))
        return 500;
    uint64_t steps = 0;
    if (sn_run(s->replay, -1, &steps, NULL) == SN_ERR_NOMEM) {
        snprintf(err, errsize, "%s", sn_errmsg(s->replay));
        return 500;
    }
    if (k < 1 || k > steps) {
        snprintf(err, errsize, "there %s %llu firing%s: step 1 to %llu", steps == 1 ? "is" : "are",
                 (unsigned long long)steps, steps == 1 ? "" : "s", (unsigned long long)steps);
        return 404;
    }
    if (!replay_start(s, err, errsize))
        return 500;
    sn_run(s->replay, (long)k - 1, NULL, NULL);
    json_t *v = envelope();
    json_object_set_new(v, "step", json_integer((json_int_t)k));
    json_object_set_new(v, "steps", json_integer((json_int_t)steps));
    unsigned long nb, na;
    json_t *before = agenda_json(s->replay, &nb);
    sn_activation *first = sn_agenda_next(s->replay, NULL);
    json_object_set_new(v, "firing", first ? activation_json(first) : json_null());
    mem m;
    if (!mem_open(&m)) {
        json_decref(before);
        json_decref(v);
        snprintf(err, errsize, "out of memory");
        return 500;
    }
    sn_set_watch(s->replay, SN_WATCH_FACTS | SN_WATCH_RULES | SN_WATCH_ACTIVATIONS, m.f);
    sn_run(s->replay, 1, NULL, NULL);
    sn_set_watch(s->replay, 0, NULL);
    char *trace = mem_close(&m);
    json_t *lines = json_array();
    unsigned listed = 0;
    for (char *p = trace, *nl; p && *p && listed < MAX_LISTED; p = nl + 1, listed++) {
        nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p) - 1;
        json_array_append_new(lines, json_stringn(p, (size_t)(nl - p) + (*nl != '\n')));
    }
    free(trace);
    json_t *after = agenda_json(s->replay, &na);
    json_object_set_new(v, "agenda_before", before);
    json_object_set_new(v, "agenda_before_size", json_integer((json_int_t)nb));
    json_object_set_new(v, "agenda_after", after);
    json_object_set_new(v, "agenda_after_size", json_integer((json_int_t)na));
    json_object_set_new(v, "trace", lines);
    return dump(v, out, err, errsize);
}
