/* batch.c — `sinew batch`: one JSON case per line in, one JSON result per
 * line out.
 *
 * The knowledge base is compiled once; between cases working memory is
 * reset at once (sn_reset), so a case costs what its own facts cost. Lines
 * are parsed with Jansson (libjansson, a Debian package): it reports the
 * column of a syntax error and rejects what is not JSON, which a
 * hand-written reader would have to earn. A malformed line, or a case
 * whose findings the knowledge base does not know, gets an error record
 * with its line number, and the run goes on.
 *
 * A case (../shared/findings.md): {"id": "c1", "site": ["groin"], "pop":
 * "no"}: each key but "id" names a template; a string (or number) is the
 * value of its asked slot (or only slot), an array gives one fact per
 * element, an object gives slot: value pairs for one fact.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../engine/sinew.h"
#include "commands.h"

enum { EXIT_ERRORS = 1, EXIT_USAGE = 2 };

/* One fact to assert: template, slot (NULL: the asked one), value. */
typedef struct pending {
    const char *tmpl, *slot;
    sn_value v;
} pending;

typedef struct batch {
    sn_engine *e;
    FILE *out;
    bool explain;
    pending *facts;
    size_t nfacts, cap;
    char **text;           /* fact texts by id, for this case */
    size_t ntext;
    unsigned long long cases, errors;
} batch;

static void error_record(batch *b, unsigned long line, json_t *id, const char *msg)
{
    fprintf(b->out, "{\"line\":%lu,", line);
    if (id) {
        fputs("\"id\":", b->out);
        char *s = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
        fputs(s ? s : "null", b->out);
        free(s);
        fputc(',', b->out);
    }
    fputs("\"error\":", b->out);
    sn_json_string(b->out, msg);
    fputs("}\n", b->out);
    b->errors++;
}

static bool push(batch *b, const char *tmpl, const char *slot, json_t *v, char *err, size_t size)
{
    pending p = {.tmpl = tmpl, .slot = slot};
    if (json_is_string(v))
        p.v.text = json_string_value(v);
    else if (json_is_number(v))
        p.v = (sn_value){.is_number = true, .number = json_number_value(v)};
    else if (json_is_boolean(v))
        p.v.text = json_is_true(v) ? "true" : "false";
    else {
        snprintf(err, size, "\"%s\": a value is a string, a number or true/false", tmpl);
        return false;
    }
    char why[256];
    if (!sn_check_slot(b->e, tmpl, slot, p.v, why, sizeof why)) {
        snprintf(err, size, "\"%s\": %s", tmpl, why);
        return false;
    }
    if (b->nfacts == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        pending *w = realloc(b->facts, cap * sizeof *w);
        if (!w) {
            snprintf(err, size, "out of memory");
            return false;
        }
        b->facts = w;
        b->cap = cap;
    }
    b->facts[b->nfacts++] = p;
    return true;
}

/* The findings of case OBJ, checked; nothing is asserted yet. */
static bool read_case(batch *b, json_t *obj, char *err, size_t size)
{
    const char *key;
    json_t *v;
    b->nfacts = 0;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "id") == 0)
            continue;
        if (json_is_array(v)) {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x) if (!push(b, key, NULL, x, err, size)) return false;
        } else if (json_is_object(v)) {
            /* one fact, slot by slot: checked one slot at a time, then whole */
            const char *slot;
            json_t *x;
            size_t first = b->nfacts;
            json_object_foreach(v, slot, x) if (!push(b, key, slot, x, err, size)) return false;
            if (b->nfacts == first) {
                snprintf(err, size, "\"%s\": an empty object", key);
                return false;
            }
            /* the slots of one fact are marked by sharing the template
             * pointer; assert_case joins them */
        } else if (!push(b, key, NULL, v, err, size)) {
            return false;
        }
    }
    return true;
}

/* Fact texts by id for this case (ids start again at 1 after a reset). */
static const char *fact_text(batch *b, uint64_t id)
{
    if (id == 0)
        return NULL;
    if (id > b->ntext) {
        size_t n = b->ntext ? b->ntext : 64;
        while (n < id)
            n *= 2;
        char **w = realloc(b->text, n * sizeof *w);
        if (!w)
            return NULL;
        memset(w + b->ntext, 0, (n - b->ntext) * sizeof *w);
        b->text = w;
        b->ntext = n;
    }
    if (!b->text[id - 1]) {
        sn_fact *f = sn_fact_by_id(b->e, id);
        if (!f)
            return NULL;
        char buf[512];
        sn_fact_format(f, buf, sizeof buf);
        b->text[id - 1] = strdup(buf);
    }
    return b->text[id - 1];
}

static void texts_clear(batch *b)
{
    for (size_t i = 0; i < b->ntext; i++) {
        free(b->text[i]);
        b->text[i] = NULL;
    }
}

static bool concluded(const sn_fact *f)
{
    for (const sn_just *j = sn_fact_justs(f); j; j = sn_just_next(j))
        if (sn_just_logical(j) && sn_just_active(j))
            return true;
    return false;
}

static void cites(FILE *out, const sn_rule *r)
{
    fputs(",\"cites\":[", out);
    for (unsigned i = 0; i < sn_rule_ncites(r); i++) {
        if (i)
            fputc(',', out);
        sn_json_string(out, sn_rule_cite(r, i));
    }
    fputc(']', out);
}

static void conclusion(batch *b, sn_fact *f)
{
    FILE *out = b->out;
    char buf[512];
    sn_fact_format(f, buf, sizeof buf);
    fputs("{\"fact\":", out);
    sn_json_string(out, buf);
    fputs(",\"template\":", out);
    sn_json_string(out, sn_fact_template(f));
    fprintf(out, ",\"cf\":%.4g", sn_fact_cf(f));
    if (b->explain) {
        /* the explanation as data: each rule that holds it up */
        fputs(",\"because\":[", out);
        bool first = true;
        for (const sn_just *j = sn_fact_justs(f); j; j = sn_just_next(j)) {
            if (!sn_just_logical(j) || !sn_just_active(j))
                continue;
            if (!first)
                fputc(',', out);
            first = false;
            fputs("{\"rule\":", out);
            sn_json_string(out, sn_rule_name(sn_just_rule(j)));
            fprintf(out, ",\"cf\":%.4g,\"rule_cf\":%.4g,\"min_cf\":%.4g,\"matched\":[", sn_just_cf(j),
                    sn_just_rule_cf(j), sn_just_min_cf(j));
            bool mfirst = true;
            for (unsigned i = 0; i < sn_just_nfacts(j); i++) {
                const char *t = fact_text(b, sn_just_fact(j, i));
                if (!t)
                    continue;
                if (!mfirst)
                    fputc(',', out);
                mfirst = false;
                sn_json_string(out, t);
            }
            fputc(']', out);
            cites(out, sn_just_rule(j));
            fputc('}', out);
        }
        fputc(']', out);
    }
    fputc('}', out);
}

static int by_cf(const void *a, const void *c)
{
    const sn_fact *x = *(sn_fact *const *)a, *y = *(sn_fact *const *)c;
    if (sn_fact_cf(x) != sn_fact_cf(y))
        return sn_fact_cf(x) < sn_fact_cf(y) ? 1 : -1;
    return sn_fact_id(x) < sn_fact_id(y) ? -1 : 1;
}

static void result(batch *b, unsigned long line, json_t *id, uint64_t fired, sn_stop stop)
{
    FILE *out = b->out;
    sn_engine *e = b->e;
    fputs("{\"id\":", out);
    char *s = id ? json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    fputs(s ? s : "null", out);
    free(s);
    fprintf(out, ",\"line\":%lu,\"fired\":%llu", line, (unsigned long long)fired);
    if (stop == SN_STOP_ERROR) {
        fputs(",\"error\":", out);
        sn_json_string(out, sn_last_error(e));
    }
    /* conclusions at or above the threshold, most certain first */
    sn_fact *v[256];
    size_t n = 0;
    for (sn_fact *f = sn_fact_next(e, NULL); f && n < 256; f = sn_fact_next(e, f))
        if (concluded(f) && sn_fact_cf(f) >= sn_threshold(e))
            v[n++] = f;
    qsort(v, n, sizeof *v, by_cf);
    for (int pass = 0; pass < 2; pass++) {
        fputs(pass == 0 ? ",\"red_flags\":[" : ",\"conclusions\":[", out);
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if (sn_fact_red_flag(v[i]) != (pass == 0))
                continue;
            if (!first)
                fputc(',', out);
            first = false;
            conclusion(b, v[i]);
        }
        fputc(']', out);
    }
    fputs(",\"recommendations\":[", out);
    enum { MAXR = 256 };
    const char *texts[MAXR];
    const sn_rule *rules[MAXR];
    unsigned nr = sn_recommendations(e, texts, rules, MAXR);
    for (unsigned i = 0; i < nr && i < MAXR; i++) {
        fputs(i ? ",{\"text\":" : "{\"text\":", out);
        sn_json_string(out, texts[i]);
        fputs(",\"rule\":", out);
        sn_json_string(out, sn_rule_name(rules[i]));
        cites(out, rules[i]);
        fputc('}', out);
    }
    fputs("]}\n", out);
}

static void one_line(batch *b, const char *text, size_t len, unsigned long line)
{
    json_error_t jerr;
    json_t *obj = json_loadb(text, len, 0, &jerr);
    if (!obj) {
        char msg[320];
        snprintf(msg, sizeof msg, "column %d: %s", jerr.column, jerr.text);
        error_record(b, line, NULL, msg);
        return;
    }
    json_t *id = json_is_object(obj) ? json_object_get(obj, "id") : NULL;
    char err[320];
    if (!json_is_object(obj)) {
        error_record(b, line, NULL, "a case is a JSON object: {\"id\": ..., \"finding\": value, ...}");
    } else if (id && !json_is_string(id) && !json_is_integer(id)) {
        error_record(b, line, NULL, "\"id\" is a string or an integer");
    } else if (!read_case(b, obj, err, sizeof err)) {
        error_record(b, line, id, err);
    } else {
        sn_reset(b->e);
        texts_clear(b);
        bool ok = true;
        for (size_t i = 0; i < b->nfacts && ok; i++) {
            const pending *p = &b->facts[i];
            /* slot:value objects: the slots of one fact set together */
            size_t k = i;
            while (p->slot && k + 1 < b->nfacts && b->facts[k + 1].slot && b->facts[k + 1].tmpl == p->tmpl)
                k++;
            if (k > i) {
                const char *slots[64];
                sn_value vals[64];
                unsigned n = 0;
                for (size_t j = i; j <= k && n < 64; j++, n++) {
                    slots[n] = b->facts[j].slot;
                    vals[n] = b->facts[j].v;
                }
                ok = sn_assert_slots(b->e, p->tmpl, slots, vals, n, err, sizeof err) != NULL;
                i = k;
            } else {
                ok = sn_assert_slot(b->e, p->tmpl, p->slot, p->v, err, sizeof err) != NULL;
            }
        }
        if (!ok) {
            error_record(b, line, id, err);
        } else {
            uint64_t fired;
            sn_stop stop = sn_run(b->e, -1, &fired);
            result(b, line, id, fired, stop);
            b->cases++;
        }
    }
    json_decref(obj);
}

int cmd_batch(int argc, char **argv, const char *def)
{
    static const struct option opts[] = {
        {"threshold", required_argument, NULL, 't'},
        {"no-explain", no_argument, NULL, 'n'},
        {0, 0, 0, 0},
    };
    double threshold = 0.2;
    bool explain = true;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 't':
            threshold = strtod(optarg, &end);
            if (*end || threshold < -1 || threshold > 1) {
                fprintf(stderr, "sinew batch: --threshold is a number in -1 .. 1\n");
                return EXIT_USAGE;
            }
            break;
        case 'n': explain = false; break;
        default:
            fprintf(stderr, "sinew batch: unknown option\ntry 'sinew --help' for more\n");
            return EXIT_USAGE;
        }
    }
    sn_engine *e = sn_new();
    if (!e)
        return EXIT_ERRORS;
    sn_set_output(e, NULL); /* rules' print output is not part of a result */
    sn_set_threshold(e, threshold);
    sn_set_recording(e, explain);
    const char *one[] = {def};
    sn_report r = {0};
    bool ok = argc > optind ? sn_load_files(e, (const char *const *)argv + optind, (unsigned)(argc - optind), &r)
                            : sn_load_files(e, one, 1, &r);
    fputs(r.text ? r.text : "", stderr);
    sn_report_free(&r);
    if (!ok) {
        fprintf(stderr, "sinew batch: nothing loaded\n");
        sn_free(e);
        return EXIT_ERRORS;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    batch b = {.e = e, .out = stdout, .explain = explain};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t k = 0;
        while (k < (size_t)len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == (size_t)len)
            continue; /* a blank line is no case */
        one_line(&b, line, (size_t)len, lineno);
    }
    free(line);
    texts_clear(&b);
    free(b.text);
    free(b.facts);
    fflush(stdout);
    fprintf(stderr, "sinew batch: %llu case%s, %llu error%s\n", b.cases, b.cases == 1 ? "" : "s", b.errors,
            b.errors == 1 ? "" : "s");
    sn_free(e);
    return b.errors ? EXIT_ERRORS : 0;
}
