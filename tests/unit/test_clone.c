/* test_clone.c — sn_clone: a copy of a loaded engine that behaves as the
 * same loads do.
 *
 * The differential test loads a program (the shipped knowledge base, and
 * every language test that loads cleanly), clones it from an engine that
 * has run and holds facts of its own, and drives the clone and a fresh
 * load of the same program through one script: reset, run, facts and
 * their explanations, why not, how far each rule got, questions, what-if,
 * queries, cases, a bad text and a template declared again (diagnostics
 * quoting the loaded files), a rule typed in, a rule removed. Every byte
 * written must be the same, and the clone's network must pass the
 * engine's checker after every step. Half the time the original is freed
 * before the clone is used; the other half the clone is freed first and
 * the original must still give the same output.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/clone.h"
#include "../../engine/internal.h"
#include "../../engine/verify.h"
#include "calls.h"
#include "unit.h"

/* The engine's checker, as a public call runs it (it may allocate). */
static const char *check(sn_engine *e)
{
    e->calls++;
    const char *why = verify_engine(e);
    e->calls--;
    return why;
}

static bool verified(sn_engine *e, FILE *o, const char *step)
{
    const char *why = check(e);
    if (why)
        fprintf(o, "NOT VERIFIED after %s: %s\n", step, why);
    return why == NULL;
}

static void dump(sn_engine *e, FILE *o)
{
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        fprintf(o, "fact ");
        sn_fact_write(o, f);
        fprintf(o, " cf %.4f\n", sn_fact_cf(f));
    }
    for (sn_activation *a = sn_agenda_next(e, NULL); a; a = sn_agenda_next(e, a))
        fprintf(o, "act %s\n", sn_rule_name(sn_activation_rule(a)));
}

static void report(FILE *o, sn_status st, const sn_report *r)
{
    fprintf(o, "status %s\n%s", sn_status_name(st), r->text ? r->text : "");
}

static void run(sn_engine *e, FILE *o)
{
    uint64_t fired = 0;
    sn_stop stop;
    sn_status st = sn_run(e, 500, &fired, &stop);
    fprintf(o, "run %s fired %llu\n", sn_status_name(st), (unsigned long long)fired);
    dump(e, o);
    verified(e, o, "run");
}

static void explain(sn_engine *e, FILE *o)
{
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        sn_explain_why(e, f, SN_TEXT, o);
        sn_explain_how(e, f, SN_TEXT, o);
    }
    for (const sn_template *t = sn_template_next(e, NULL); t; t = sn_template_next(e, t)) {
        char pat[256];
        snprintf(pat, sizeof pat, "%s()", sn_template_name(t));
        sn_report r = {0};
        report(o, sn_explain_whynot(e, pat, SN_TEXT, o, &r), &r);
        sn_report_free(&r);
    }
    for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r)) {
        unsigned n = 0, held = sn_rule_held(e, r, &n);
        fprintf(o, "rule %s %s held %u of %u\n", sn_rule_name(r), sn_rule_where(r), held, n);
    }
    verified(e, o, "explanations");
}

static void consult(sn_engine *e, FILE *o)
{
    const sn_ask *k = sn_ask_next(e, NULL);
    if (k && sn_ask_nanswers(k) > 0) {
        const char *a = sn_ask_answer(k, 0);
        char err[256] = "";
        fprintf(o, "whatif %s\n", sn_status_name(sn_whatif(e, k, &a, 1, o, err, sizeof err)));
        fprintf(o, "%s\n", err);
    }
    for (unsigned i = 0; i < 4; i++) {
        const sn_ask *q = NULL;
        sn_reason why[4];
        unsigned nwhy = 0;
        sn_status st = sn_next_question(e, &q, why, 4, &nwhy);
        fprintf(o, "question %s %s\n", sn_status_name(st), q ? sn_ask_question(q) : "-");
        for (unsigned w = 0; w < nwhy && w < 4; w++)
            fprintf(o, "  because %s %u/%u\n", sn_rule_name(why[w].rule), why[w].held,
                    why[w].conditions);
        if (st != SN_OK || !q || sn_ask_nanswers(q) == 0)
            break;
        const char *a = sn_ask_answer(q, sn_ask_nanswers(q) - 1);
        char err[256] = "";
        fprintf(o, "answer %s %s\n", sn_status_name(sn_ask_set(e, q, &a, 1, err, sizeof err)), err);
        run(e, o);
    }
    verified(e, o, "questions");
}

static void queries_and_cases(sn_engine *e, FILE *o)
{
    unsigned np = 0;
    for (unsigned i = 0; sn_query_at(e, i, &np); i++) {
        if (np)
            continue;
        sn_rows rows = {0};
        char err[256] = "";
        sn_status st = sn_query_run(e, sn_query_at(e, i, NULL), NULL, 0, &rows, err, sizeof err);
        fprintf(o, "query %s %s rows %u %s\n", sn_query_at(e, i, NULL), sn_status_name(st),
                rows.nrows, err);
        for (unsigned c = 0; c < rows.nrows * rows.ncols; c++)
            fprintf(o, " %s", rows.cells[c].is_number ? "#" : rows.cells[c].text);
        fprintf(o, "\n");
        sn_rows_free(&rows);
    }
    for (unsigned i = 0; i < sn_case_count(e); i++) {
        sn_case_result r = {0};
        sn_status st = sn_case_run(e, i, &r);
        fprintf(o, "case %s %s %s\n%s", sn_case_name(e, i), sn_status_name(st),
                r.passed ? "passed" : "failed", r.detail ? r.detail : "");
        free(r.detail);
    }
    verified(e, o, "cases");
}

/* Text typed into E: a bad rule, a template declared again, a new rule
 * on the first template, then the first rule removed. */
static void change(sn_engine *e, FILE *o)
{
    static const char bad[] = "rule clone_bad\nwhen\n    no_such_template()\nthen\n    halt\nend\n";
    sn_report r = {0};
    report(o, sn_load_string(e, "bad.sinew", bad, strlen(bad), &r), &r);
    const sn_template *t = sn_template_next(e, NULL);
    if (t) {
        char text[512];
        int n = snprintf(text, sizeof text, "template %s { x: int }\n", sn_template_name(t));
        report(o, sn_load_string(e, "again.sinew", text, (size_t)n, &r), &r);
        n = snprintf(text, sizeof text,
                     "rule clone_probe\nwhen\n    ?f <- %s()\nthen\n    print \"probe\"\nend\n",
                     sn_template_name(t));
        report(o, sn_load_string(e, "typed.sinew", text, (size_t)n, &r), &r);
        fprintf(o, "nodes %llu\n", (unsigned long long)e->nnodes);
        char fact[300];
        snprintf(fact, sizeof fact, "%s()", sn_template_name(t));
        sn_report_free(&r);
        fprintf(o, "typed fact %s\n", t_assert(e, fact, &r) ? "in" : "refused");
        fprintf(o, "%s", r.text ? r.text : "");
    }
    sn_report_free(&r);
    verified(e, o, "typed");
    sn_reset(e);
    run(e, o);
    const sn_rule *first = sn_rule_next(e, NULL);
    if (first) {
        char name[256];
        snprintf(name, sizeof name, "%s", sn_rule_name(first));
        fprintf(o, "remove %s %s\n", name, sn_status_name(sn_remove_rule(e, name)));
        verified(e, o, "remove");
        sn_reset(e);
        run(e, o);
        explain(e, o);
    }
}

/* The whole script on E; its output. Caller frees. */
static char *script(sn_engine *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&text, &len);
    sn_set_output(e, o);
    verified(e, o, "start");
    dump(e, o);
    fprintf(o, "reset %s\n", sn_status_name(sn_reset(e)));
    dump(e, o);
    run(e, o);
    explain(e, o);
    consult(e, o);
    queries_and_cases(e, o);
    change(e, o);
    sn_set_output(e, NULL);
    fclose(o);
    return text;
}

static sn_engine *load(const char *path)
{
    sn_engine *e = sn_new();
    const char *paths[] = {path};
    if (!e || sn_load_files(e, paths, 1, NULL) != SN_OK) {
        sn_free(e);
        return NULL;
    }
    sn_set_output(e, NULL);
    return e;
}

/* A and B's first difference, shown. */
static bool same(const char *what, const char *a, const char *b)
{
    if (a && b && strcmp(a, b) == 0)
        return true;
    size_t i = 0;
    while (a && b && a[i] && a[i] == b[i])
        i++;
    size_t from = i > 200 ? i - 200 : 0;
    UNIT_FAIL("%s: the clone differs at byte %zu:\n--- load\n%.400s\n--- clone\n%.400s", what, i,
              a ? a + from : "(none)", b ? b + from : "(none)");
    return false;
}

static unsigned compared;

static void differ(const char *path, unsigned turn)
{
    sn_engine *fresh = load(path);
    if (!fresh)
        return; /* a test of errors */
    sn_engine *a = load(path);
    CHECK(a != NULL);
    if (!a) {
        sn_free(fresh);
        return;
    }
    /* the original has run and holds facts of its own: none come along */
    sn_run(a, 100, NULL, NULL);
    sn_engine *c = sn_clone(a);
    CHECK(c != NULL);
    if (!c) {
        sn_free(a);
        sn_free(fresh);
        return;
    }
    sn_reset(fresh);
    char *want = script(fresh);
    if (turn % 2 == 0) {
        sn_free(a);
        char *got = script(c);
        same(path, want, got);
        free(got);
        sn_free(c);
    } else {
        sn_free(c);
        sn_reset(a);
        char *got = script(a);
        same(path, want, got);
        free(got);
        sn_free(a);
    }
    free(want);
    sn_free(fresh);
    compared++;
}

TEST(shipped_rules)
{
    differ("rules", 0);
    differ("rules", 1);
    CHECK_EQ_INT(compared, 2);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(language_tests)
{
    DIR *d = opendir("tests/lang");
    CHECK(d != NULL);
    if (!d)
        return;
    char *names[1024];
    unsigned n = 0;
    for (struct dirent *x; (x = readdir(d)) && n < 1024;) {
        size_t len = strlen(x->d_name);
        if (len > 6 && strcmp(x->d_name + len - 6, ".sinew") == 0)
            names[n++] = strdup(x->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    unsigned before = compared;
    for (unsigned i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "tests/lang/%s", names[i]);
        differ(path, i);
        free(names[i]);
    }
    /* enough of them load to cover every kind of node */
    CHECK(compared - before >= 40);
}

/* Something of each kind a program holds: modules and focus, a function
 * of the language and one of the embedder's, asks and a grouped question,
 * joins, not, exists, a group, an aggregate, a test, a query, a case. */
static const char kb[] =
    "module triage\n"
    "focus main, triage\n"
    "function twice(?x) = ?x * 2\n"
    "template t { k: symbol  v: int }\n"
    "template u { k: symbol  n: int }\n"
    "template block { k: symbol }\n"
    "template flag { k: symbol }\n"
    "template total { k: symbol  n: int }\n"
    "template pain { present: symbol }\n"
    "template fever { present: symbol }\n"
    "ask pain.present \"Pain?\" yes, no\n"
    "ask fever.present \"Fever?\" yes, no\n"
    "rule pair \"a t and a u with one key, not blocked\"\n"
    "when t(k: ?k, v: ?v) u(k: ?k) not block(k: ?k) test(twice(?v) > 1 && ext(?v) >= 0)\n"
    "then conclude flag(k: ?k) cf 0.7 end\n"
    "rule grouped when not { t(k: x) block(k: x) } exists { u(n: 2) or u(n: 3) }\n"
    "then print \"g\" end\n"
    "rule sum when u(k: ?k) ?s = sum(?v) t(k: ?k, v: ?v) then conclude total(k: ?k, n: ?s) end\n"
    "rule hurts module triage when pain(present: yes) then print \"p\" end\n"
    "rule quiet_a when not flag(k: za) then print \"a\" end\n"
    "rule quiet_b when not flag(k: zb) then print \"b\" end\n"
    "rule loud salience 5 when exists t(v: 3) then print \"l\" end\n"
    "query flags(?k) when flag(k: ?k) end\n"
    "facts start { t(a, 1) t(a, 2) t(b, 3) u(a, 0) u(b, 2) block(c) }\n"
    "case grown given t(c, 5) u(c, 1) expect total(k: c, n: 5) end\n";

static bool ext_fn(void *ctx, const sn_value *args, unsigned n, sn_value *out, char *err,
                   size_t errsize)
{
    (void)ctx, (void)n, (void)err, (void)errsize;
    *out = args[0];
    return true;
}

static sn_engine *kb_engine(void)
{
    sn_engine *e = sn_new();
    sn_report r = {0};
    bool ok = e && sn_define_function(e, "ext", 1, 1, ext_fn, NULL) == SN_OK &&
              sn_load_string(e, "kb.sinew", kb, strlen(kb), &r) == SN_OK;
    if (!ok)
        printf("kb did not load:\n%s", r.text ? r.text : "no engine\n");
    sn_report_free(&r);
    if (e)
        sn_set_output(e, NULL);
    return ok ? e : NULL;
}

TEST(every_kind_of_node)
{
    sn_engine *fresh = kb_engine(), *a = kb_engine();
    CHECK(fresh && a);
    if (!fresh || !a)
        return;
    sn_remove_rule(a, "hurts");
    sn_remove_rule(fresh, "hurts");
    sn_set_strategy(a, SN_LEX);
    sn_set_strategy(fresh, SN_LEX);
    sn_set_threshold(a, 0.3);
    sn_set_threshold(fresh, 0.3);
    sn_run(a, 10, NULL, NULL);
    sn_engine *c = sn_clone(a);
    CHECK(c != NULL);
    CHECK(c && sn_strategy_get(c) == SN_LEX && sn_threshold(c) == 0.3);
    CHECK(c && sn_rule_find(c, "hurts") == NULL && sn_rule_find(c, "pair") != NULL);
    sn_reset(fresh);
    char *want = script(fresh);
    sn_free(a);
    char *got = c ? script(c) : NULL;
    same("kb", want, got);
    free(want);
    free(got);
    sn_free(c);
    sn_free(fresh);
}

/* Memory that runs out anywhere in the copy: NULL, nothing kept (the
 * debug build checks at sn_free that every byte came back; the
 * sanitizers check the rest), and the original untouched. */
/* E's working memory, agenda and network as text. Caller frees. */
static char *snapshot(sn_engine *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&text, &len);
    dump(e, o);
    sn_network_dot(e, NULL, o);
    fclose(o);
    return text;
}

TEST(out_of_memory)
{
    sn_engine *fresh = kb_engine(), *a = kb_engine();
    CHECK(fresh && a);
    if (!fresh || !a)
        return;
    sn_reset(fresh);
    char *want = script(fresh);
    sn_free(fresh);
    sn_reset(a);
    char *before = snapshot(a);
    sn_engine *c = NULL;
    long n = 0;
    for (; n < 100000 && !c; n++) {
        c = clone_engine(a, n);
        CHECK(check(a) == NULL);
    }
    CHECK(c != NULL);
    CHECK(n > 50); /* the copy allocates: the loop reached every point */
    char *after = snapshot(a);
    same("the original", before, after);
    char *got = c ? script(c) : NULL;
    same("after out of memory", want, got);
    free(want);
    free(before);
    free(after);
    free(got);
    sn_free(c);
    sn_free(a);
}

/* Allocations a load of TEXT makes in E (it must load): reading the
 * shipped knowledge base's sources again would make some hundred. */
static unsigned long load_cost(sn_engine *e, const char *name, const char *text)
{
    unsigned long before = e->mem.count;
    sn_report r = {0};
    CHECK(sn_load_string(e, name, text, strlen(text), &r) == SN_OK);
    sn_report_free(&r);
    return e->mem.count - before;
}

/* The first text a clone of the shipped knowledge base reads costs what
 * it costs the original: no source is read again. */
TEST(first_text_costs_only_itself)
{
    sn_engine *a = load("rules");
    sn_engine *c = a ? sn_clone(a) : NULL;
    CHECK(a && c);
    if (a && c) {
        static const char one[] = "rule one_more when sign(name: ?x) then print ?x end\n";
        unsigned long in_clone = load_cost(c, "one.sinew", one);
        unsigned long in_original = load_cost(a, "one.sinew", one);
        CHECK(in_clone <= 2 * in_original + 16);
    }
    sn_free(c);
    sn_free(a);
}

/* A clone has its own copy of the check environment: text typed into it
 * is judged as the original would judge it (a name loaded twice, the
 * embedder's function), at the cost of that text alone, and what one of
 * them loads the other does not see. */
TEST(check_environment)
{
    sn_engine *a = kb_engine();
    CHECK(a != NULL);
    if (!a)
        return;
    sn_engine *c = sn_clone(a);
    CHECK(c != NULL);
    if (!c) {
        sn_free(a);
        return;
    }
    CHECK(c->env != a->env);
    sn_report r = {0};
    static const char dup[] = "rule pair when t() then halt end\n";
    CHECK(sn_load_string(c, "dup.sinew", dup, strlen(dup), &r) == SN_ERR_INPUT);
    CHECK(r.text && strstr(r.text, "kb.sinew:13") != NULL);
    sn_report_free(&r);
    /* the embedder's function is known to the clone's checks */
    static const char uses[] = "rule more when t(v: ?v) test(ext(?v) > 100) then halt end\n";
    CHECK(sn_load_string(c, "uses.sinew", uses, strlen(uses), &r) == SN_OK);
    sn_report_free(&r);
    /* two clones: what one loads, the other and the original do not see */
    sn_engine *c1 = sn_clone(a), *c2 = sn_clone(a);
    CHECK(c1 && c2 && c1->env != c2->env);
    if (c1 && c2) {
        static const char mine[] = "template mine { x: int }\nrule r1 when mine() then halt end\n";
        CHECK(sn_load_string(c1, "mine.sinew", mine, strlen(mine), &r) == SN_OK);
        sn_report_free(&r);
        CHECK(t_assert(c1, "mine(x: 1)", NULL) != NULL);
        CHECK(t_assert(c2, "mine(x: 1)", &r) == NULL && r.text && strstr(r.text, "mine") != NULL);
        sn_report_free(&r);
        CHECK(t_assert(a, "mine(x: 1)", NULL) == NULL);
        CHECK(sn_load_string(c2, "mine.sinew", mine, strlen(mine), &r) == SN_OK);
        sn_report_free(&r);
        CHECK(t_assert(c2, "u(k: q, n: x)", &r) == NULL && r.text &&
              strstr(r.text, "<input>:1:") != NULL);
        sn_report_free(&r);
    }
    /* the original freed, its clones still judge */
    sn_free(a);
    a = NULL;
    CHECK(c2 && t_assert(c2, "u(k: q, n: 2)", NULL) != NULL);
    CHECK(c2 && sn_load_string(c2, "uses.sinew", uses, strlen(uses), &r) == SN_OK);
    sn_report_free(&r);
    sn_free(c1);
    sn_free(c2);
    /* a clone of a clone */
    sn_engine *cc = sn_clone(c);
    CHECK(cc && sn_rule_find(cc, "more") != NULL);
    CHECK(cc && sn_load_string(cc, "uses.sinew", uses, strlen(uses), &r) == SN_ERR_INPUT);
    CHECK(r.text && strstr(r.text, "uses.sinew:1") != NULL);
    sn_report_free(&r);
    sn_free(cc);
    sn_free(c);
}

int main(void)
{
    RUN(shipped_rules);
    RUN(language_tests);
    RUN(every_kind_of_node);
    RUN(out_of_memory);
    RUN(first_text_costs_only_itself);
    RUN(check_environment);
    return UNIT_END();
}
