/* run.c — `sinew run` and `sinew test`: load, run, report.
 *
 * Both use only the public API (engine/sinew.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sinew.h"
#include "cli.h"
#include "commands.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static bool load(sn_engine *e, char **paths, int n, const char *def)
{
    const char *one[] = {def};
    sn_report r = {0};
    bool ok = (n > 0 ? sn_load_files(e, (const char *const *)paths, (unsigned)n, &r)
                     : sn_load_files(e, one, 1, &r)) == SN_OK;
    fputs(r.text ? r.text : "", stderr);
    if (!ok)
        fprintf(stderr, "sinew: nothing loaded: %u %s\n", r.nerrors, r.nerrors == 1 ? "error" : "errors");
    sn_report_free(&r);
    return ok;
}

static int by_cf(const void *a, const void *b)
{
    double x = sn_fact_cf(*(sn_fact *const *)a), y = sn_fact_cf(*(sn_fact *const *)b);
    if (x != y)
        return x < y ? 1 : -1;
    uint64_t i = sn_fact_id(*(sn_fact *const *)a), j = sn_fact_id(*(sn_fact *const *)b);
    return (i > j) - (i < j);
}

size_t ranked_conclusions(sn_engine *e, sn_fact ***out)
{
    size_t n = 0, cap = 64;
    sn_fact **v = malloc(cap * sizeof *v);
    for (sn_fact *f = sn_fact_next(e, NULL); f && v; f = sn_fact_next(e, f))
        if (sn_fact_concluded(f) && sn_fact_cf(f) >= sn_threshold(e)) {
            if (n == cap) {
                sn_fact **w = realloc(v, (cap *= 2) * sizeof *v);
                if (!w)
                    break;
                v = w;
            }
            v[n++] = f;
        }
    if (v)
        qsort(v, n, sizeof *v, by_cf);
    *out = v;
    return v ? n : 0;
}

void print_conclusions(sn_engine *e, FILE *out)
{
    sn_fact **v;
    size_t n = ranked_conclusions(e, &v);
    if (!v)
        return;
    /* red flags first, whatever their certainty */
    for (int pass = 0; pass < 2; pass++) {
        bool head = false;
        for (size_t i = 0; i < n; i++) {
            if (sn_fact_red_flag(v[i]) != (pass == 0))
                continue;
            if (!head)
                fprintf(out, pass == 0 ? "red flags:\n" : "conclusions:\n");
            head = true;
            fprintf(out, "  %5.2f  #%llu ", sn_fact_cf(v[i]), (unsigned long long)sn_fact_id(v[i]));
            sn_fact_write(out, v[i]);
            fputc('\n', out);
        }
    }
    free(v);
    unsigned nr = sn_recommendations(e, NULL, NULL, 0);
    if (nr) {
        const char **texts = malloc(nr * sizeof *texts);
        const sn_rule **rules = malloc(nr * sizeof *rules);
        if (texts && rules) {
            sn_recommendations(e, texts, rules, nr);
            fprintf(out, "recommendations:\n");
            for (unsigned i = 0; i < nr; i++) {
                fprintf(out, "  - %s [%s", texts[i], sn_rule_name(rules[i]));
                for (unsigned j = 0; j < sn_rule_ncites(rules[i]); j++)
                    fprintf(out, "%s%s", j ? ", " : "; ", sn_rule_cite(rules[i], j));
                fprintf(out, "]\n");
            }
        }
        free(texts);
        free(rules);
    }
}

/* Assert the facts in PATH (as in a facts block, one after another). */
static bool assert_file(sn_engine *e, const char *path)
{
    FILE *f = fopen(path, "r");
    struct stat st;
    const char *why = !f || fstat(fileno(f), &st) != 0 ? strerror(errno)
                      : !S_ISREG(st.st_mode) ? "it is not a regular file" /* e.g. /dev/zero */
                                             : NULL;
    if (why) {
        fprintf(stderr, "sinew: cannot read %s: %s\n", path, why);
        if (f)
            fclose(f);
        return false;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    char buf[4096];
    size_t n;
    while (m && (n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, m);
    bool read_ok = m && !ferror(f);
    int err = errno;
    fclose(f);
    if (m && fclose(m) != 0)
        read_ok = false;
    if (!read_ok) {
        fprintf(stderr, "sinew: cannot read %s: %s\n", path, m ? strerror(err) : "out of memory");
        free(text);
        return false;
    }
    sn_report r = {0};
    sn_status rc = sn_assert_facts(e, path, text ? text : "", text ? len : 0, NULL, 0, NULL, &r);
    fputs(r.text ? r.text : "", stderr);
    if (rc == SN_ERR_NOMEM)
        fprintf(stderr, "sinew: %s: no facts asserted from %s\n", sn_errmsg(e), path);
    else if (rc != SN_OK)
        fprintf(stderr, "sinew: no facts asserted from %s\n", path);
    sn_report_free(&r);
    free(text);
    return rc == SN_OK;
}

static const char *stop_word(sn_stop s)
{
    switch (s) {
    case SN_STOP_EMPTY: return "done";
    case SN_STOP_LIMIT: return "limit";
    case SN_STOP_HALT: return "halt";
    case SN_STOP_INTERRUPT: return "interrupted";
    case SN_STOP_ERROR: return "error";
    }
    return "";
}

/* The run as one JSON object (docs/schema/run.json): how it stopped, what
 * the rules printed, the conclusions at or above the threshold and the
 * recommendations with their sources. */
static bool print_json(sn_engine *e, sn_stop stop, const char *error, uint64_t fired,
                       const char *printed, char *call, char *qerr, size_t qerrsize)
{
    printf("{\"schema\":\"sinew.run/1\",\"fired\":%llu,\"stopped\":\"%s\"", (unsigned long long)fired,
           stop_word(stop));
    if (stop == SN_STOP_ERROR) {
        printf(",\"error\":");
        sn_json_string(stdout, error);
    }
    printf(",\"printed\":");
    sn_json_string(stdout, printed);
    printf(",\"conclusions\":[");
    bool first = true;
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f))
        if (sn_fact_concluded(f) && sn_fact_cf(f) >= sn_threshold(e)) {
            if (!first)
                putchar(',');
            first = false;
            sn_fact_json(stdout, f);
        }
    printf("],\"recommendations\":[");
    unsigned nr = sn_recommendations(e, NULL, NULL, 0);
    const char **texts = malloc((nr + 1) * sizeof *texts);
    const sn_rule **rules = malloc((nr + 1) * sizeof *rules);
    if (texts && rules) {
        sn_recommendations(e, texts, rules, nr);
        for (unsigned i = 0; i < nr; i++) {
            printf("%s{\"text\":", i ? "," : "");
            sn_json_string(stdout, texts[i]);
            printf(",\"rule\":");
            sn_json_string(stdout, sn_rule_name(rules[i]));
            printf(",\"cites\":[");
            for (unsigned c = 0; c < sn_rule_ncites(rules[i]); c++) {
                if (c)
                    putchar(',');
                sn_json_string(stdout, sn_rule_cite(rules[i], c));
            }
            printf("]}");
        }
    }
    free(texts);
    free(rules);
    printf("]");
    bool ok = !call || query_print(e, call, stdout, ",\"query\":", qerr, qerrsize);
    printf("}\n");
    return ok;
}

/* The facts matching PATTERN, however they came, one a line (after a run:
 * --facts-out). False, with the report on standard error, for a pattern
 * that does not check. */
static bool facts_out(sn_engine *e, const char *pattern)
{
    sn_report r = {0};
    size_t n = 0;
    sn_status st = sn_query(e, pattern, NULL, 0, &n, &r);
    if (st != SN_OK) {
        fputs(r.text ? r.text : "", stderr);
        if (st == SN_ERR_NOMEM)
            fprintf(stderr, "sinew: --facts-out: %s\n", sn_errmsg(e));
        else
            fprintf(stderr, "sinew: --facts-out takes a pattern, like 'diagnosis(cf: > 0.5)'\n");
        sn_report_free(&r);
        return false;
    }
    sn_fact **v = malloc((n + 1) * sizeof *v);
    if (!v || sn_query(e, pattern, v, n, &n, &r) != SN_OK) {
        fprintf(stderr, "sinew: --facts-out: out of memory\n");
        free(v);
        sn_report_free(&r);
        return false;
    }
    printf("facts matching %s: %zu\n", pattern, n);
    for (size_t i = 0; i < n; i++) {
        printf("  ");
        sn_fact_write(stdout, v[i]);
        if (sn_fact_cf(v[i]) != 1.0)
            printf("  cf %.2f", sn_fact_cf(v[i]));
        putchar('\n');
    }
    free(v);
    sn_report_free(&r);
    return true;
}

static int by_time(const void *a, const void *b)
{
    const sn_rule *x = *(const sn_rule *const *)a, *y = *(const sn_rule *const *)b;
    double s = sn_rule_seconds(x), t = sn_rule_seconds(y);
    if (s != t)
        return s < t ? 1 : -1;
    return strcmp(sn_rule_name(x), sn_rule_name(y));
}

/* --stats: each rule that fired, the most time first: its firings and the
 * time in them (CLIPS's profile). */
static void print_rule_stats(sn_engine *e)
{
    size_t n = 0;
    for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r))
        n += sn_rule_fired(r) > 0;
    const sn_rule **v = malloc((n + 1) * sizeof *v);
    if (!v)
        return;
    n = 0;
    for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r))
        if (sn_rule_fired(r) > 0)
            v[n++] = r;
    qsort(v, n, sizeof *v, by_time);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "rule %s fired %llu ms %.3f\n", sn_rule_name(v[i]),
                (unsigned long long)sn_rule_fired(v[i]), sn_rule_seconds(v[i]) * 1000);
    free(v);
}

/* --focus A,B: push B, then A, so that A runs first. An unknown name is
 * an error that lists the modules there are. */
static bool focus_modules(sn_engine *e, const char *list)
{
    size_t n = strlen(list);
    for (size_t end = n; end > 0;) {
        size_t start = end;
        while (start > 0 && list[start - 1] != ',')
            start--;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(end - start), list + start);
        if (sn_focus(e, name) != SN_OK) {
            fprintf(stderr, "sinew: --focus: no module '%s' in the knowledge base; its modules "
                            "are ", name);
            for (unsigned i = 0; sn_module_name(e, i); i++)
                fprintf(stderr, "%s%s", i ? ", " : "", sn_module_name(e, i));
            fputc('\n', stderr);
            return false;
        }
        end = start ? start - 1 : 0;
    }
    return true;
}

int cmd_run(int argc, char **argv, const char *def)
{
    const char *facts_file = NULL, *focus = NULL;
    bool json = false;
    sn_strategy strategy = SN_DEPTH;
    double threshold = 0.2;
    long limit = -1;
    unsigned long long max_firings = SN_MAX_FIRINGS, max_memory = 0;
    bool record = true, stats = false, quiet = false;
    const char *query = NULL, *facts_pattern = NULL;
    cli_parse p;
    cli_begin(&p, "run", argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        char *end;
        switch (c) {
        case 's':
            if (!sn_strategy_parse(p.arg, &strategy))
                return cli_usage("run", "--strategy is one of depth, breadth, lex, mea, not '%s'", p.arg);
            break;
        case 't':
            threshold = strtod(p.arg, &end);
            if (*end || end == p.arg || !(threshold >= -1 && threshold <= 1)) /* nan is neither */
                return cli_usage("run", "--threshold is a number in -1 .. 1, not '%s'", p.arg);
            break;
        case 'l':
            limit = strtol(p.arg, &end, 10);
            if (*end || end == p.arg || limit < 0)
                return cli_usage("run", "--limit is a number of firings, not '%s'", p.arg);
            break;
        case 'M':
            if (!cli_count_parse(p.arg, &max_firings))
                return cli_usage("run", "--max-firings is a whole number of firings, not '%s'", p.arg);
            break;
        case 'X':
            if (!cli_size_parse(p.arg, &max_memory))
                return cli_usage("run", "--max-memory is a size in bytes (or with K, M, G), not '%s'",
                                 p.arg);
            break;
        case 'R': record = false; break;
        case 'S': stats = true; break;
        case 'q': quiet = true; break;
        case 'F': facts_file = p.arg; break;
        case 'J': json = true; break;
        case 'Q': query = p.arg; break;
        case 'O': facts_pattern = p.arg; break;
        case 'o':
            if (!*p.arg || strstr(p.arg, ",,") || p.arg[0] == ',' || p.arg[strlen(p.arg) - 1] == ',')
                return cli_usage("run", "--focus is a list of modules, such as screening,advice, "
                                        "not '%s'", p.arg);
            focus = p.arg;
            break;
        case CLI_EXIT: return p.status;
        }
    }
    if (json && facts_pattern)
        return cli_usage("run", "--facts-out lists facts as text; with --json, use --query");
    int first = p.optind;
    sn_engine *e = sn_new();
    if (!e)
        return EXIT_ERRORS;
    /* a new engine has the memory for these */
    sn_set_strategy(e, strategy);
    sn_set_threshold(e, threshold);
    sn_set_recording(e, record);
    sn_set_profile(e, stats);
    sn_set_max_firings(e, max_firings);
    sn_set_memory_limit(e, (size_t)max_memory);
    interrupted = 0;
    sn_set_interrupt(e, &interrupted);
    if (!load(e, argv + first, argc - first, def)) {
        sn_free(e);
        return EXIT_ERRORS;
    }
    if (facts_file && !assert_file(e, facts_file)) {
        sn_free(e);
        return EXIT_ERRORS;
    }
    if (focus && !focus_modules(e, focus)) {
        sn_free(e);
        return EXIT_ERRORS;
    }
    char *printed = NULL;
    size_t printed_len = 0;
    FILE *capture = json ? open_memstream(&printed, &printed_len) : NULL;
    if (json)
        sn_set_output(e, capture);
    signal(SIGINT, on_sigint);
    uint64_t fired;
    sn_stop stop;
    sn_run(e, limit, &fired, &stop);
    /* the run's error, kept: the query asked after it is a call of its own */
    char run_error[512];
    snprintf(run_error, sizeof run_error, "%s", sn_errmsg(e));
    signal(SIGINT, SIG_DFL);
    fflush(stdout);
    int status = 0;
    /* the query's rows are written as they are read, none kept */
    char *call = query ? strdup(query) : NULL;
    char qerr[256] = "out of memory";
    bool qok = !query || call;
    if (capture) {
        fclose(capture);
        sn_set_output(e, NULL);
        qok = print_json(e, stop, run_error, fired, printed ? printed : "", qok ? call : NULL,
                         qerr, sizeof qerr) && qok;
        free(printed);
        quiet = true;
    } else if (query) {
        qok = qok && query_print(e, call, stdout, NULL, qerr, sizeof qerr);
        quiet = true;
    }
    if (!qok) {
        fprintf(stderr, "sinew: --query: %s\n", qerr);
        status = EXIT_ERRORS;
    }
    free(call);

    if (stop == SN_STOP_ERROR) {
        fprintf(stderr, "sinew: the run stopped: %s\n", run_error);
        status = EXIT_ERRORS;
    } else if (stop == SN_STOP_INTERRUPT) {
        fprintf(stderr, "sinew: interrupted after %llu firings\n", (unsigned long long)fired);
        status = 130;
    }
    if (!quiet)
        print_conclusions(e, stdout);
    if (facts_pattern && !capture && !facts_out(e, facts_pattern))
        status = EXIT_ERRORS;
    if (stats) {
        sn_stats s;
        sn_get_stats(e, &s);
        fprintf(stderr, "fired %llu\nfacts %llu\nalpha memories %llu\nbeta nodes %llu\npeak bytes %zu\n",
                (unsigned long long)fired, (unsigned long long)s.facts,
                (unsigned long long)s.alpha_memories, (unsigned long long)s.beta_nodes, s.peak_bytes);
        print_rule_stats(e);
    }
    sn_free(e);
    return status;
}

/* Case I's given facts as a JSON case line: the input of `sinew batch`.
 * A finding with an ask is keyed by its template, its value a string (an
 * array when the ask takes several); other facts are objects, slot by
 * slot. */
static void export_case(sn_engine *e, unsigned i, FILE *out)
{
    sn_case_start(e, i);
    fputs("{\"schema\":\"sinew.case/1\",\"id\":", out);
    sn_json_string(out, sn_case_name(e, i));
    for (const sn_template *t = sn_template_next(e, NULL); t; t = sn_template_next(e, t)) {
        const char *name = sn_template_name(t);
        const sn_ask *k = sn_ask_find(e, name);
        unsigned n = 0;
        for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f))
            n += sn_fact_origin(f) == SN_ORIGIN_CASE && strcmp(sn_fact_template(f), name) == 0;
        if (n == 0)
            continue;
        fputc(',', out);
        sn_json_string(out, name);
        fputc(':', out);
        bool array = n > 1 || (k && sn_ask_multiple(k)) || !k;
        if (array)
            fputc('[', out);
        unsigned done = 0;
        for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
            if (sn_fact_origin(f) != SN_ORIGIN_CASE || strcmp(sn_fact_template(f), name) != 0)
                continue;
            if (done++)
                fputc(',', out);
            char buf[512];
            if (k) {
                unsigned slot = 0;
                while (strcmp(sn_template_slot(t, slot), sn_ask_slot(k)) != 0)
                    slot++;
                sn_json_string(out, sn_fact_value(f, slot, buf, sizeof buf));
                continue;
            }
            fputc('{', out);
            for (unsigned s = 0; s < sn_template_nslots(t); s++) {
                if (s)
                    fputc(',', out);
                sn_json_string(out, sn_template_slot(t, s));
                fputc(':', out);
                sn_fact_value_json(out, f, s);
            }
            fputc('}', out);
        }
        if (array)
            fputc(']', out);
    }
    fputs("}\n", out);
}

/* How case R came out, as more members of its result line:
 * ,"test":{"passed":false,"expectations":3,"failed":1,"failures":["..."]}
 * where each failure is a line of the report: what was expected and what
 * was there instead. The caller frees it; NULL when memory ran out. */
static char *test_json(const sn_case_result *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return NULL;
    fprintf(m, ",\"test\":{\"passed\":%s,\"expectations\":%u,\"failed\":%u,\"failures\":[",
            r->passed ? "true" : "false", r->nexpect, r->nfailed);
    unsigned k = 0;
    for (const char *p = r->detail ? r->detail : ""; *p;) {
        size_t n = strcspn(p, "\n");
        const char *q = p;
        while (q < p + n && (*q == ' ' || *q == '\t'))
            q++;
        if (q < p + n) {
            char *one = strndup(q, (size_t)(p + n - q));
            if (one) {
                fputs(k++ ? "," : "", m);
                sn_json_string(m, one);
                free(one);
            }
        }
        p += n + (p[n] == '\n');
    }
    fputs("]}", m);
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int cmd_test(int argc, char **argv, const char *def)
{
    bool verbose = false, coverage = false, json = false, export = false;
    unsigned long long max_firings = SN_MAX_FIRINGS, max_memory = 0;
    cli_parse p;
    cli_begin(&p, "test", argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        switch (c) {
        case 'M':
            if (!cli_count_parse(p.arg, &max_firings))
                return cli_usage("test", "--max-firings is a whole number of firings, not '%s'", p.arg);
            break;
        case 'X':
            if (!cli_size_parse(p.arg, &max_memory))
                return cli_usage("test", "--max-memory is a size in bytes (or with K, M, G), not '%s'",
                                 p.arg);
            break;
        case 'v': verbose = true; break;
        case 'c': coverage = true; break;
        case 'J': json = true; break;
        case 'E': export = true; break;
        case CLI_EXIT: return p.status;
        }
    }
    int first = p.optind;
    if (json && export)
        return cli_usage("test", "--json runs the cases, --export only writes them: one or the other");
    sn_engine *e = sn_new();
    if (!e)
        return EXIT_ERRORS;
    sn_set_output(e, NULL);
    sn_set_max_firings(e, max_firings);
    sn_set_memory_limit(e, (size_t)max_memory);
    interrupted = 0;
    sn_set_interrupt(e, &interrupted);
    if (!load(e, argv + first, argc - first, def)) {
        sn_free(e);
        return EXIT_ERRORS;
    }
    unsigned n = sn_case_count(e), passed = 0, failed = 0;
    if (export) {
        for (unsigned i = 0; i < n; i++)
            export_case(e, i, stdout);
        sn_free(e);
        return 0;
    }
    batch *w = json ? batch_new(e, stdout, true) : NULL;
    FILE *report = w ? stderr : stdout; /* with --json, stdout holds only the results */
    signal(SIGINT, on_sigint);
    for (unsigned i = 0; i < n && !interrupted; i++) {
        sn_case_result r;
        sn_case_run(e, i, &r);
        if (w) {
            /* the case's run as `sinew batch` reports it, and how the test
             * came out */
            char *extra = test_json(&r);
            uint64_t fired = 0;
            sn_stop stop = SN_STOP_ERROR;
            if (sn_case_start(e, i) == SN_OK)
                sn_run(e, -1, &fired, &stop);
            batch_result(w, sn_case_name(e, i), i + 1, fired, stop, extra);
            free(extra);
        }
        if (r.passed) {
            passed++;
            if (verbose && !w)
                printf("pass  %s\n", r.name);
        } else {
            failed++;
            fprintf(report, "FAIL  %s (%s): %u of %u expectations failed\n%s", r.name, r.where,
                    r.nfailed, r.nexpect, r.detail ? r.detail : "");
        }
        free(r.detail);
    }
    signal(SIGINT, SIG_DFL);
    unsigned unfired = 0;
    if (coverage) {
        unsigned nrules = 0;
        for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r)) {
            nrules++;
            if (sn_rule_fired(r) == 0) {
                if (unfired++ == 0)
                    fprintf(report, "rules no case fired:\n");
                fprintf(report, "  %s (%s)\n", sn_rule_name(r), sn_rule_where(r));
            }
        }
        fprintf(report, "coverage: %u of %u rules fired by the cases\n", nrules - unfired, nrules);
    }
    fprintf(report, "%u %s: %u passed, %u failed\n", n, n == 1 ? "case" : "cases", passed, failed);
    batch_free(w);
    sn_free(e);
    return failed || unfired || interrupted ? EXIT_ERRORS : 0;
}
