/* jsonl.c — a consultation another program drives: `sinew consult --jsonl`.
 *
 * One JSON object a line each way, each named by its schema (those below
 * "schema":"sinew.consult/1", docs/schema/consult.json; the report
 * "sinew.result/1"). sinew writes a question:
 *   {"schema":"sinew.consult/1","template":"site","slot":"value","text":"Where is the pain?",
 *    "answers":["groin",...],"multiple":true}
 * (a grouped question adds "items": [{"template":"bulge","answer":"yes"},
 * ...], its slot is "" and its answers are the items' names and "none"),
 * and reads one line: an answer, several separated by commas, or a
 * command — unknown, why, back [TEMPLATE], more, quit — as plain text or
 * as a JSON string or array of strings. What it answers with:
 *   {"error":"...","template":"site"}   the line was not taken; the same
 *                                        question follows
 *   {"why":[{"rule":...,"red_flag":...,"held":1,"conditions":2,
 *            "blocks":false,"condition":"...","cites":[...]}]}
 *   {"back":"site"}                      that answer was taken back
 * and, when the consultation is over (no question left, quit, or the end
 * of the input), the report: the result object `sinew batch` writes for a
 * case, with the id "consultation" and as line the lines read.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consult.h"

enum { MAX_ANSWERS = 64, MAX_REASONS = 64 };

/* A line's object, named by its schema (docs/schema/consult.json). */
static json_t *line_new(void)
{
    json_t *v = json_object();
    json_object_set_new(v, "schema", json_string("sinew.consult/1"));
    return v;
}

static void emit(FILE *out, json_t *v)
{
    json_dumpf(v, out, JSON_COMPACT | JSON_ENSURE_ASCII);
    fputc('\n', out);
    fflush(out);
    json_decref(v);
}

static void question(FILE *out, const sn_ask *k)
{
    json_t *q = line_new(), *answers = json_array();
    json_object_set_new(q, "template", json_string(sn_ask_template(k)));
    json_object_set_new(q, "slot", json_string(sn_ask_slot(k)));
    json_object_set_new(q, "text", json_string(sn_ask_question(k)));
    for (unsigned i = 0; i < sn_ask_nanswers(k); i++)
        json_array_append_new(answers, json_string(sn_ask_answer(k, i)));
    json_object_set_new(q, "answers", answers);
    json_object_set_new(q, "multiple", json_boolean(sn_ask_multiple(k)));
    if (sn_ask_nitems(k)) {
        json_t *items = json_array();
        for (unsigned i = 0; i < sn_ask_nitems(k); i++) {
            json_t *it = json_object();
            json_object_set_new(it, "template", json_string(sn_ask_template(sn_ask_item(k, i))));
            const char *a = sn_ask_item_answer(k, i);
            json_object_set_new(it, "answer", a ? json_string(a) : json_null());
            json_array_append_new(items, it);
        }
        json_object_set_new(q, "items", items);
    }
    emit(out, q);
}

static void error_line(FILE *out, const sn_ask *k, const char *msg)
{
    json_t *v = line_new();
    json_object_set_new(v, "error", json_string(msg));
    if (k)
        json_object_set_new(v, "template", json_string(sn_ask_template(k)));
    emit(out, v);
}

static void why(FILE *out, sn_engine *e, const sn_ask *k)
{
    sn_reason r[MAX_REASONS];
    unsigned n = 0;
    if (sn_ask_reasons(e, k, r, MAX_REASONS, &n) != SN_OK) {
        error_line(out, k, sn_errmsg(e));
        return;
    }
    json_t *v = json_array();
    for (unsigned i = 0; i < n && i < MAX_REASONS; i++) {
        json_t *x = json_object(), *cites = json_array();
        json_object_set_new(x, "rule", json_string(sn_rule_name(r[i].rule)));
        json_object_set_new(x, "red_flag", json_boolean(sn_rule_red_flag(r[i].rule)));
        json_object_set_new(x, "held", json_integer(r[i].held));
        json_object_set_new(x, "conditions", json_integer(r[i].conditions));
        json_object_set_new(x, "blocks", json_boolean(r[i].blocks));
        json_object_set_new(x, "condition", json_string(r[i].condition));
        for (unsigned j = 0; j < sn_rule_ncites(r[i].rule); j++)
            json_array_append_new(cites, json_string(sn_rule_cite(r[i].rule, j)));
        json_object_set_new(x, "cites", cites);
        json_array_append_new(v, x);
    }
    json_t *o = line_new();
    json_object_set_new(o, "why", v);
    emit(out, o);
}

/* The words of LINE: a JSON string or array of strings, else plain text
 * split at commas and spaces. Into WORDS (pointing into BUF); how many, or
 * -1 with *ERR set. */
static int words_of(const char *line, char *buf, size_t size, char **words, const char **err)
{
    const char *p = line + strspn(line, " \t");
    if (*p == '"' || *p == '[') {
        json_error_t je;
        json_t *v = json_loads(p, JSON_DECODE_ANY, &je);
        if (!v) {
            *err = "the line is not JSON, nor plain words";
            return -1;
        }
        int n = 0;
        size_t at = 0;
        json_t *one = json_is_array(v) ? NULL : v;
        size_t count = json_is_array(v) ? json_array_size(v) : 1;
        for (size_t i = 0; i < count; i++) {
            json_t *x = one ? one : json_array_get(v, i);
            const char *s = json_string_value(x);
            size_t len = s ? strlen(s) : 0;
            if (!s || len == 0 || at + len + 1 > size || n == MAX_ANSWERS) {
                json_decref(v);
                *err = s ? "too many answers, or too long" : "an answer is a string";
                return -1;
            }
            memcpy(buf + at, s, len + 1);
            words[n++] = buf + at;
            at += len + 1;
        }
        json_decref(v);
        return n;
    }
    if (strlen(p) >= size) {
        *err = "the line is too long; nothing was taken";
        return -1;
    }
    snprintf(buf, size, "%s", p);
    int n = 0;
    for (char *w = strtok(buf, ", \t"); w; w = strtok(NULL, ", \t")) {
        if (n == MAX_ANSWERS) {
            *err = "too many answers";
            return -1;
        }
        words[n++] = w;
    }
    return n;
}

static void report(FILE *out, sn_engine *e, unsigned long lines)
{
    batch *b = batch_new(e, out, true);
    if (!b)
        return;
    /* a result's line counts from 1 (docs/schema/result.json), also when
     * no line was read */
    batch_result(b, "consultation", lines ? lines : 1, sn_fired_total(e), SN_STOP_EMPTY, NULL);
    batch_free(b);
    fflush(out);
}

/* A consultation driven a line at a time (consult.h). */
struct jsonl {
    sn_engine *e;
    const sn_ask **settled;  /* answered questions, the last answered last */
    unsigned nsettled, cap;
    const sn_ask *again;     /* ask this one next (after more, back) */
    const sn_ask *k;         /* the question shown */
    bool more, ask, over;
    unsigned long lines;
};

jsonl *jsonl_new(sn_engine *e)
{
    jsonl *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->settled = calloc(1, sizeof *j->settled);
    if (!j->settled) {
        free(j);
        return NULL;
    }
    j->e = e;
    j->cap = 1;
    j->ask = true;
    sn_run(e, -1, NULL, NULL); /* a failed run shows in what the questions find */
    return j;
}

void jsonl_free(jsonl *j)
{
    if (!j)
        return;
    free(j->settled);
    free(j);
}

bool jsonl_next(jsonl *j, FILE *out)
{
    if (j->over)
        return false;
    if (j->ask) {
        sn_engine *e = j->e;
        sn_status st = SN_OK;
        j->k = j->again;
        if (!j->k)
            st = j->more ? sn_next_question_any(e, &j->k, NULL, 0, NULL)
                         : sn_next_question(e, &j->k, NULL, 0, NULL);
        j->again = NULL;
        if (st != SN_OK) {
            error_line(out, NULL, sn_errmsg(e));
            j->over = true;
            return false;
        }
        if (!j->k) {
            j->over = true;
            return false;
        }
        question(out, j->k);
    }
    j->ask = false;
    return true;
}

const sn_ask *jsonl_question(const jsonl *j) { return j->over ? NULL : j->k; }

void jsonl_repeat(const jsonl *j, FILE *out)
{
    if (!j->over && !j->ask && j->k)
        question(out, j->k);
}

bool jsonl_line(jsonl *j, const char *line, size_t len, FILE *out)
{
    sn_engine *e = j->e;
    const sn_ask *k = j->k;
    if (j->over)
        return false;
    j->lines++;
    if (memchr(line, '\0', len)) {
        error_line(out, k, "the line holds a NUL byte; nothing was taken");
        question(out, k);
        return true;
    }
    char *text = malloc(len + 1);
    if (!text) {
        j->over = true;
        return false;
    }
    memcpy(text, line, len);
    text[len] = '\0';
    text[strcspn(text, "\r\n")] = '\0';
    char buf[4096], *words[MAX_ANSWERS];
    const char *err = NULL;
    int n = words_of(text, buf, sizeof buf, words, &err);
    free(text);
    if (n == 0)
        err = "no answer given ('unknown' when it is not known)";
    if (n <= 0) {
        error_line(out, k, err);
        question(out, k);
        return true;
    }
    const char *cmd = words[0];
    if (strcmp(cmd, "quit") == 0 && n == 1) {
        j->over = true;
        return false;
    }
    if (strcmp(cmd, "why") == 0 && n == 1) {
        why(out, e, k);
        question(out, k);
    } else if (strcmp(cmd, "more") == 0 && n == 1) {
        j->more = true;
        j->ask = true;
        j->again = k;
    } else if (strcmp(cmd, "unknown") == 0 && n == 1) {
        if (sn_ask_set_unknown(e, k) != SN_OK) {
            error_line(out, k, sn_errmsg(e));
            question(out, k);
            return true;
        }
        j->ask = true;
    } else if (strcmp(cmd, "back") == 0 && n <= 2) {
        const sn_ask *b = n == 2 ? sn_ask_find(e, words[1]) : j->nsettled ? j->settled[j->nsettled - 1] : NULL;
        if (!b || sn_ask_state_of(e, b) == SN_ASK_OPEN) {
            error_line(out, k, n == 2 ? "no answered question is about that" : "nothing has been answered yet");
            question(out, k);
            return true;
        }
        if (sn_ask_clear(e, b) != SN_OK) {
            error_line(out, k, sn_errmsg(e));
            question(out, k);
            return true;
        }
        sn_run(e, -1, NULL, NULL);
        for (unsigned i = 0; i < j->nsettled; i++)
            if (j->settled[i] == b) {
                memmove(&j->settled[i], &j->settled[i + 1], (j->nsettled - i - 1) * sizeof *j->settled);
                j->nsettled--;
                break;
            }
        json_t *v = line_new();
        json_object_set_new(v, "back", json_string(sn_ask_template(b)));
        emit(out, v);
        j->again = b;
        j->ask = true;
    } else {
        char msg[256];
        if (sn_ask_set(e, k, (const char *const *)words, (unsigned)n, msg, sizeof msg) != SN_OK) {
            error_line(out, k, sn_errmsg(e));
            question(out, k);
            return true;
        }
        sn_run(e, -1, NULL, NULL);
        j->ask = true;
    }
    if (j->ask && k && sn_ask_state_of(e, k) != SN_ASK_OPEN) {
        unsigned i = 0;
        while (i < j->nsettled && j->settled[i] != k)
            i++;
        if (i < j->nsettled)
            memmove(&j->settled[i], &j->settled[i + 1], (j->nsettled - i - 1) * sizeof *j->settled);
        else if (j->nsettled == j->cap) {
            const sn_ask **w = realloc(j->settled, j->cap * 2 * sizeof *j->settled);
            if (!w) {
                j->over = true;
                return false;
            }
            j->settled = w;
            j->cap *= 2;
        }
        j->nsettled -= i < j->nsettled;
        j->settled[j->nsettled++] = k;
    }
    return true;
}

void jsonl_report(const jsonl *j, FILE *out)
{
    report(out, j->e, j->lines);
}

int consult_jsonl(sn_engine *e, FILE *in, FILE *out)
{
    jsonl *j = jsonl_new(e);
    if (!j)
        return EXIT_FAILURE;
    char *line = NULL;
    size_t lcap = 0;
    while (jsonl_next(j, out)) {
        ssize_t len = getline(&line, &lcap, in);
        if (len < 0 || !jsonl_line(j, line, (size_t)len, out))
            break;
    }
    free(line);
    jsonl_report(j, out);
    jsonl_free(j);
    return 0;
}
