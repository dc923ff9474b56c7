/* test_engine.c — the inference engine through its public API: the network
 * constructs and their edge cases, the agenda, truth maintenance and
 * certainty factors, justifications, atomic loads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/jtest.h"
#include "../../engine/sinew.h"
#include "../../engine/verify.h"
#include "calls.h"
#include "unit.h"

static bool add(sn_engine *e, const char *text)
{
    sn_report r = {0};
    bool ok = t_ok(sn_load_string(e, "more.sinew", text, strlen(text), &r));
    sn_report_free(&r);
    return ok;
}

/* Run, capturing what `print` writes. Caller frees. */
static char *run(sn_engine *e, long limit)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    sn_set_output(e, m);
    t_run(e, limit, NULL);
    fclose(m);
    sn_set_output(e, NULL);
    return buf;
}

static long count(sn_engine *e, const char *pattern)
{
    sn_fact *f[1];
    return t_query(e, pattern, f, 1, NULL);
}

/* The cf of the one fact matching PATTERN (whatever its certainty), or -9. */
static double cf_of(sn_engine *e, const char *pattern)
{
    char buf[256];
    size_t n = strlen(pattern);
    /* add a cf test so facts below the threshold are seen too */
    snprintf(buf, sizeof buf, "%.*s%scf: >= -1)", (int)(n - 1), pattern,
             pattern[n - 2] == '(' ? "" : ", ");
    sn_fact *f[2];
    return t_query(e, buf, f, 2, NULL) == 1 ? sn_fact_cf(f[0]) : -9;
}

static sn_fact *find(sn_engine *e, const char *pattern)
{
    sn_fact *f[2];
    return t_query(e, pattern, f, 2, NULL) == 1 ? f[0] : NULL;
}

static unsigned agenda_len(sn_engine *e)
{
    unsigned n = 0;
    for (sn_activation *a = sn_agenda_next(e, NULL); a; a = sn_agenda_next(e, a))
        n++;
    return n;
}

#define CHECK_CF(e, pat, want)                                                                 \
    do {                                                                                       \
        double got_ = cf_of(e, pat);                                                           \
        if (fabs(got_ - (want)) > 1e-9)                                                        \
            UNIT_FAIL("cf of %s: %.6f, expected %.6f", pat, got_, (double)(want));             \
    } while (0)

#define CHECK_OUT(got, want)                                                                   \
    do {                                                                                       \
        char *g_ = (got);                                                                      \
        CHECK_STR(g_, want);                                                                   \
        free(g_);                                                                              \
    } while (0)

static const char *const T_AB = "template a { x: int }\n"
                                "template b { x: int }\n"
                                "template c { x: int }\n";

static char *cat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

static sn_engine *load2(const char *tmpl, const char *rules)
{
    char *s = cat(tmpl, rules);
    sn_engine *e = t_load(s);
    free(s);
    return e;
}

TEST(join_on_shared_variable)
{
    sn_engine *e = load2(T_AB, "facts { a(1) a(2) a(3) b(2) b(3) b(4) }\n"
                               "rule r when a(x: ?x) b(x: ?x) then print ?x end\n");
    CHECK_EQ_INT(agenda_len(e), 2);
    CHECK_OUT(run(e, -1), "3\n2\n");
    sn_free(e);
}

/* Working memory is a set through many asserts and retracts: a fact asserted
 * again is the one there, one retracted comes back new. (That every live
 * fact is in its hash chain is checked at every call by the debug build's
 * walk, verify.c.) */
TEST(working_memory_through_retracts)
{
    sn_engine *e = t_load("template p { x: int, y: int }\n");
    CHECK(e != NULL);
    enum { N = 3000 };
    static sn_fact *f[N];
    char text[64];
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "p(x: %d, y: %d)", i, i % 7);
        CHECK((f[i] = t_assert(e, text, NULL)) != NULL);
    }
    /* every third, in an order unlike the asserts' */
    for (int k = 0; k < N; k++) {
        int i = (int)(((long)k * 1009) % N);
        if (i % 3 == 0)
            CHECK(t_ok(sn_retract(e, f[i])));
    }
    sn_stats st;
    sn_get_stats(e, &st);
    CHECK_EQ_INT(st.facts, N - N / 3);
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "p(x: %d, y: %d)", i, i % 7);
        sn_fact *g = t_assert(e, text, NULL);
        CHECK(g != NULL);
        if (i % 3 != 0)
            CHECK(g == f[i]);
        else
            CHECK(sn_fact_id(g) > (uint64_t)N);
    }
    sn_get_stats(e, &st);
    CHECK_EQ_INT(st.facts, N);
    sn_free(e);
}

/* A facts block's facts are kept packed for reset (givens.c): every value
 * comes back as written, at the edges of each encoding too, reset after
 * reset. */
TEST(facts_blocks_come_back_whole_at_reset)
{
    static const char *const want[] = {
        "v(i: 0, f: 0.0, s: a, t: \"\")",
        "v(i: -16, f: -0.5, s: b, t: \"x\")",
        "v(i: 15, f: 1e+300, s: c, t: \"caf\u00e9 \\\"q\\\"\")", /* é: UTF-8 */
        "v(i: -17, f: 0.1, s: d, t: \"tab\\there\")",
        "v(i: 16, f: 2.0, s: e, t: \"y\")",
        "v(i: 127, f: 3.0, s: f, t: \"y\")",
        "v(i: 128, f: 4.0, s: g, t: \"y\")",
        "v(i: -8193, f: 5.0, s: h, t: \"y\")",
        "v(i: 9223372036854775807, f: 6.0, s: i, t: \"y\")",
        "v(i: -9223372036854775807, f: 7.0, s: j, t: \"y\")",
    };
    enum { N = sizeof want / sizeof *want };
    char text[4096] = "template v { i: int  f: float  s: symbol  t: string }\nfacts {\n";
    for (int i = 0; i < N; i++) {
        strcat(text, want[i]);
        strcat(text, "\n");
    }
    strcat(text, "}\n");
    sn_engine *e = t_load(text);
    CHECK(e != NULL);
    /* as loaded, then after each reset: each fact printed as written */
    for (int round = 0; round < 3; round++) {
        char got[256];
        int n = 0;
        for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f), n++) {
            sn_fact_format(f, got, sizeof got);
            if (n < N)
                CHECK_STR(got, want[n]);
        }
        CHECK_EQ_INT(n, N);
        CHECK(t_ok(sn_reset(e)));
    }
    sn_free(e);
}

TEST(negation_toggles_on_assert_and_retract)
{
    sn_engine *e = load2(T_AB, "facts { a(1) }\n"
                               "rule r when a(x: ?x) not b(x: ?x) then print \"alone \", ?x end\n");
    CHECK_EQ_INT(agenda_len(e), 1);
    sn_fact *b = t_assert(e, "b(1)", NULL);
    CHECK(b != NULL);
    CHECK_EQ_INT(agenda_len(e), 0);
    t_assert(e, "b(2)", NULL); /* blocks nothing */
    CHECK_EQ_INT(agenda_len(e), 0);
    CHECK(t_ok(sn_retract(e, b)));
    CHECK_EQ_INT(agenda_len(e), 1);
    CHECK_OUT(run(e, -1), "alone 1\n");
    sn_free(e);
}

TEST(modify_inside_a_loop)
{
    sn_engine *e = t_load("template counter { n: int }\n"
                        "facts { counter(0) }\n"
                        "rule step when ?c <- counter(n: ?n & < 10) then modify ?c (n: ?n + 1) end\n"
                        "rule done when counter(n: 10) then print \"done\" end\n");
    CHECK_OUT(run(e, -1), "done\n");
    CHECK_EQ_INT(sn_fired_total(e), 11);
    CHECK_EQ_INT(count(e, "counter(n: 10)"), 1);
    CHECK_EQ_INT(count(e, "counter()"), 1);
    sn_free(e);
}

TEST(rules_loaded_after_facts_see_them)
{
    sn_engine *e = load2(T_AB, "facts { a(1) a(2) b(2) }\n");
    CHECK(add(e, "rule r when a(x: ?x) b(x: ?x) then print ?x end\n"));
    CHECK_EQ_INT(agenda_len(e), 1);
    /* a second rule sharing the first pattern: a shared node, brought up to date */
    CHECK(add(e, "rule s when a(x: ?x) not b(x: ?x) then print \"s\", ?x end\n"));
    CHECK_EQ_INT(agenda_len(e), 2);
    CHECK_OUT(run(e, -1), "s1\n2\n");
    sn_free(e);
}

TEST(or_with_shared_variables)
{
    sn_engine *e = load2(T_AB, "facts { a(1) b(2) c(1) c(2) c(3) }\n"
                               "rule r when a(x: ?v) or b(x: ?v)  c(x: ?v) then print ?v end\n");
    char *out = run(e, -1);
    CHECK(out && (strcmp(out, "1\n2\n") == 0 || strcmp(out, "2\n1\n") == 0));
    free(out);
    CHECK_EQ_INT(sn_rule_fired(sn_rule_find(e, "r")), 2);
    sn_free(e);
}

TEST(exists_fires_once)
{
    sn_engine *e = load2(T_AB, "facts { a(1) a(2) a(3) }\n"
                               "rule r when exists a(x: > 0) then print \"some\" end\n");
    CHECK_EQ_INT(agenda_len(e), 1);
    t_assert(e, "a(4)", NULL);
    CHECK_EQ_INT(agenda_len(e), 1);
    CHECK_OUT(run(e, -1), "some\n");
    t_assert(e, "a(5)", NULL); /* refraction: still once */
    CHECK_EQ_INT(agenda_len(e), 0);
    sn_free(e);
}

TEST(exists_of_alternatives_counts_once)
{
    /* however many alternatives hold, the rule fires once and its
     * certainty is not combined with itself */
    sn_engine *e = t_load("template a { v: symbol }\n"
                        "template b { v: symbol }\n"
                        "template d { name: symbol }\n"
                        "facts { a(v: x) b(v: y) }\n"
                        "rule r when exists { a(v: x) or b(v: y) } then conclude d(name: z) cf 0.5 end\n");
    CHECK_EQ_INT(agenda_len(e), 1);
    free(run(e, -1));
    CHECK_EQ_INT(sn_rule_fired(sn_rule_find(e, "r")), 1);
    CHECK_CF(e, "d(name: z)", 0.5);
    /* one alternative gone: still held by the other, not fired again */
    sn_retract(e, find(e, "a(v: x)"));
    free(run(e, -1));
    CHECK_EQ_INT(sn_rule_fired(sn_rule_find(e, "r")), 1);
    CHECK_CF(e, "d(name: z)", 0.5);
    /* both gone: the conclusion is withdrawn; one back: it fires again */
    sn_retract(e, find(e, "b(v: y)"));
    free(run(e, -1));
    CHECK_EQ_INT(count(e, "d(name: z)"), 0);
    t_assert(e, "b(v: y)", NULL);
    t_assert(e, "a(v: x)", NULL);
    CHECK_EQ_INT(agenda_len(e), 1);
    free(run(e, -1));
    CHECK_EQ_INT(sn_rule_fired(sn_rule_find(e, "r")), 2);
    CHECK_CF(e, "d(name: z)", 0.5);
    sn_free(e);
}

TEST(exists_of_alternatives_with_groups_and_variables)
{
    /* an alternative may be a group; a variable bound before the exists
     * is read inside every alternative */
    sn_engine *e = load2(T_AB, "facts { c(1) c(2) a(1) b(1) a(3) }\n"
                               "rule r when c(x: ?v) exists { a(x: ?v) or { b(x: ?v) a(x: > 0) } }\n"
                               "  then print ?v end\n");
    CHECK_OUT(run(e, -1), "1\n");
    CHECK_EQ_INT(sn_rule_fired(sn_rule_find(e, "r")), 1);
    t_assert(e, "b(2)", NULL);
    CHECK_OUT(run(e, -1), "2\n");
    sn_free(e);
}

TEST(exists_of_a_group_and_not_of_a_group)
{
    sn_engine *e = load2(T_AB, "facts { a(1) b(2) }\n"
                               "rule ex when exists { a(x: ?x) b(x: ?x) } then print \"pair\" end\n"
                               "rule nx when not { a(x: ?x) b(x: ?x) } then print \"no pair\" end\n");
    CHECK_OUT(run(e, -1), "no pair\n");
    sn_fact *b = t_assert(e, "b(1)", NULL);
    CHECK_OUT(run(e, -1), "pair\n");
    sn_retract(e, b);
    CHECK_OUT(run(e, -1), "no pair\n");
    sn_free(e);
}

TEST(forall)
{
    sn_engine *e = load2(T_AB, "facts { a(1) a(2) b(1) }\n"
                               "rule all when forall a(x: ?x) { b(x: ?x) } then print \"all\" end\n");
    CHECK_EQ_INT(agenda_len(e), 0);
    sn_fact *b2 = t_assert(e, "b(2)", NULL);
    CHECK_EQ_INT(agenda_len(e), 1);
    sn_retract(e, b2);
    CHECK_EQ_INT(agenda_len(e), 0);
    t_assert(e, "b(2)", NULL);
    t_assert(e, "a(3)", NULL); /* a new domain fact without its body */
    CHECK_EQ_INT(agenda_len(e), 0);
    sn_free(e);
}

TEST(test_condition_and_predicates)
{
    sn_engine *e = load2(T_AB, "facts { a(1) a(2) a(3) a(4) b(3) }\n"
                               "rule r when a(x: ?x) b(x: ?y) test ?x > ?y then print ?x end\n"
                               "rule p when a(x: ?x & between(?x, 2, 3) | 4) then print \"p\", ?x end\n"
                               "rule q when b(x: ?y) a(x: ?x & (?y + 1)) then print \"q\", ?x end\n");
    char *out = run(e, -1);
    CHECK(out && strstr(out, "4\n") && !strstr(out, "\n3\n") && strstr(out, "p4") &&
          strstr(out, "p2") && strstr(out, "p3") && !strstr(out, "p1") && strstr(out, "q4") &&
          !strstr(out, "q3"));
    free(out);
    sn_free(e);
}

TEST(working_memory_is_a_set)
{
    sn_engine *e = load2(T_AB, "facts { a(1) a(1) }\n");
    CHECK_EQ_INT(count(e, "a()"), 1);
    sn_fact *x = t_assert(e, "a(1)", NULL);
    sn_fact *y = t_assert(e, "a(x: 1)", NULL);
    CHECK(x == y);
    CHECK_EQ_INT(count(e, "a()"), 1);
    sn_free(e);
}

static const char *const T_TMS = "template finding { name: symbol }\n"
                                 "template dx { name: symbol }\n"
                                 "template advice { name: symbol }\n";

TEST(truth_maintenance_two_levels_deep)
{
    sn_engine *e = load2(T_TMS, "facts { finding(pain) }\n"
                                "rule r1 when finding(name: pain) then conclude dx(name: strain) cf 0.8 end\n"
                                "rule r2 when dx(name: strain) then conclude advice(name: rest) cf 0.5 end\n");
    free(run(e, -1));
    CHECK_CF(e, "dx(name: strain)", 0.8);
    CHECK_CF(e, "advice(name: rest)", 0.4); /* 0.5 x min(0.8) */
    sn_fact *f = find(e, "finding(name: pain)");
    CHECK(f != NULL);
    sn_retract(e, f);
    CHECK_EQ_INT(count(e, "dx()"), 0);
    CHECK_EQ_INT(count(e, "advice()"), 0);
    /* the withdrawn conclusions are kept, with why */
    const sn_fact *w = sn_withdrawn_next(e, NULL);
    CHECK(w != NULL);
    bool said = false;
    for (; w; w = sn_withdrawn_next(e, w))
        for (const sn_just *j = sn_fact_justs(w); j; j = sn_just_next(j))
            said |= !sn_just_active(j) && strlen(sn_just_withdrawn(j)) > 0;
    CHECK(said);
    sn_free(e);
}

TEST(asserted_fact_survives_losing_logical_support)
{
    sn_engine *e = load2(T_TMS, "facts { finding(pain) }\n"
                                "rule r1 when finding(name: pain) then conclude dx(name: strain) cf 0.6 end\n");
    free(run(e, -1));
    t_assert(e, "dx(strain)", NULL);
    CHECK_CF(e, "dx(name: strain)", 1.0);
    sn_retract(e, find(e, "finding(name: pain)"));
    CHECK_EQ_INT(count(e, "dx(name: strain)"), 1);
    sn_free(e);
}

static const char *const CF_RULES =
    "template e { name: symbol }\n"
    "template dx { name: symbol }\n"
    "rule p1 when e(name: p1) then conclude dx(name: x) cf 0.6 end\n"
    "rule p2 when e(name: p2) then conclude dx(name: x) cf 0.5 end\n"
    "rule n1 when e(name: n1) then conclude dx(name: x) cf -0.6 end\n"
    "rule n2 when e(name: n2) then conclude dx(name: x) cf -0.5 end\n"
    "rule m1 when e(name: m1) then conclude dx(name: x) cf 0.8 end\n";

TEST(cf_positive_evidence_combines)
{
    sn_engine *e = t_load(CF_RULES);
    t_assert(e, "e(p1)", NULL);
    t_assert(e, "e(p2)", NULL);
    free(run(e, -1));
    CHECK_CF(e, "dx(name: x)", 0.8); /* 0.6 + 0.5 (1 - 0.6) */
    /* a support goes: recomputed from what is left */
    sn_retract(e, find(e, "e(name: p1)"));
    CHECK_CF(e, "dx(name: x)", 0.5);
    sn_free(e);
}

TEST(cf_negative_evidence_combines)
{
    sn_engine *e = t_load(CF_RULES);
    t_assert(e, "e(n1)", NULL);
    t_assert(e, "e(n2)", NULL);
    free(run(e, -1));
    CHECK_CF(e, "dx(name: x)", -0.8);
    /* below the threshold: no plain pattern sees it */
    CHECK_EQ_INT(count(e, "dx(name: x)"), 0);
    CHECK_EQ_INT(count(e, "dx(name: x, cf: < 0)"), 1);
    sn_free(e);
}

TEST(cf_mixed_evidence)
{
    sn_engine *e = t_load(CF_RULES);
    t_assert(e, "e(m1)", NULL);
    t_assert(e, "e(n2)", NULL);
    free(run(e, -1));
    CHECK_CF(e, "dx(name: x)", 0.6); /* (0.8 - 0.5) / (1 - 0.5) */
    t_assert(e, "e(p1)", NULL); /* 0.8, 0.6 -> 0.92; with -0.5: 0.84 */
    free(run(e, -1));
    CHECK_CF(e, "dx(name: x)", (0.92 - 0.5) / 0.5);
    sn_free(e);
}

TEST(cf_of_a_chain_is_rule_times_min)
{
    sn_engine *e = t_load("template e { name: symbol }\n"
                        "template dx { name: symbol }\n"
                        "template g { name: symbol }\n"
                        "rule a when e(name: a) then conclude dx(name: a) cf 0.5 end\n"
                        "rule b when e(name: b) then conclude dx(name: b) cf 0.9 end\n"
                        "rule c when dx(name: a) dx(name: b) then conclude g(name: c) cf 0.8 end\n");
    t_assert(e, "e(a)", NULL);
    t_assert(e, "e(b)", NULL);
    free(run(e, -1));
    CHECK_CF(e, "g(name: c)", 0.4);
    /* more evidence for dx(a) raises it, and g follows without firing again */
    CHECK(add(e, "rule a2 when e(name: a) then conclude dx(name: a) cf 0.5 end\n"));
    free(run(e, -1));
    CHECK_CF(e, "dx(name: a)", 0.75);
    CHECK_CF(e, "g(name: c)", 0.8 * 0.75);
    sn_free(e);
}

TEST(threshold_and_cf_patterns)
{
    sn_engine *e = t_load("template e { name: symbol }\n"
                        "template dx { name: symbol }\n"
                        "rule weak when e(name: w) then conclude dx(name: w) cf 0.1 end\n"
                        "rule sees when dx(name: w) then print \"plain\" end\n"
                        "rule low when dx(name: w, cf: < 0.2) then print \"low\" end\n");
    t_assert(e, "e(w)", NULL);
    CHECK_OUT(run(e, -1), "low\n");
    sn_set_threshold(e, 0.05);
    CHECK_OUT(run(e, -1), "plain\n");
    sn_free(e);
}

TEST(threshold_is_reached_at_equal_certainty)
{
    /* 0.6 with -0.5 is 0.2 (not 0.19999999999999996): at the threshold
     * a fact matches, and it is printed as 0.20 */
    sn_engine *e = t_load("template e { name: symbol }\n"
                        "template dx { name: symbol }\n"
                        "rule for when e(name: x) then conclude dx(name: x) cf 0.6 end\n"
                        "rule against when e(name: x) then conclude dx(name: x) cf -0.5 end\n"
                        "rule sees when dx(name: x) then print \"seen\" end\n");
    t_assert(e, "e(x)", NULL);
    CHECK_OUT(run(e, -1), "seen\n");
    sn_fact *d = find(e, "dx(name: x)");
    CHECK(d && sn_fact_cf(d) >= sn_threshold(e));
    CHECK(d && sn_fact_cf(d) == 0.2);
    /* a threshold just above it: the fact no longer matches */
    sn_set_threshold(e, 0.21);
    CHECK_EQ_INT(count(e, "dx(name: x)"), 0);
    /* a threshold computed in binary is kept as the decimal it means */
    sn_set_threshold(e, 0.7 - 0.5);
    CHECK(sn_threshold(e) == 0.2);
    CHECK_EQ_INT(count(e, "dx(name: x)"), 1);
    sn_free(e);
}

TEST(salience_and_strategies)
{
    static const char *prog = "template a { x: int }\n"
                              "facts { a(1) a(2) a(3) }\n"
                              "rule r when a(x: ?x) then print ?x end\n"
                              "rule first salience 10 when a(x: 2) then print \"s\" end\n";
    sn_engine *e = t_load(prog);
    CHECK_OUT(run(e, -1), "s\n3\n2\n1\n");
    sn_reset(e);
    sn_set_strategy(e, SN_BREADTH);
    CHECK_OUT(run(e, -1), "s\n1\n2\n3\n");
    sn_reset(e);
    sn_set_strategy(e, SN_LEX);
    CHECK_OUT(run(e, -1), "s\n3\n2\n1\n");
    sn_free(e);
}

TEST(lex_and_mea_order)
{
    static const char *prog = "template g { n: int }\n"
                              "template h { n: int }\n"
                              "rule r when g(n: ?a) h(n: ?b) then print ?a, \"-\", ?b end\n";
    sn_engine *e = t_load(prog);
    sn_set_strategy(e, SN_MEA);
    t_assert(e, "g(1)", NULL);
    t_assert(e, "h(1)", NULL);
    t_assert(e, "g(2)", NULL);
    t_assert(e, "h(2)", NULL);
    /* mea: the newest first-pattern fact first (g2), then recency */
    CHECK_OUT(run(e, -1), "2-2\n2-1\n1-2\n1-1\n");
    sn_free(e);
    e = t_load(prog);
    sn_set_strategy(e, SN_LEX);
    t_assert(e, "g(1)", NULL);
    t_assert(e, "h(1)", NULL);
    t_assert(e, "g(2)", NULL);
    t_assert(e, "h(2)", NULL);
    /* lex: ids g1=1 h1=2 g2=3 h2=4: {4,3} {4,1} {3,2} {2,1} */
    CHECK_OUT(run(e, -1), "2-2\n1-2\n2-1\n1-1\n");
    sn_free(e);
}

TEST(reproducible_tie_breaks)
{
    static const char *prog = "template a { x: int }\ntemplate b { x: int }\n"
                              "facts { a(1) a(2) a(3) b(1) b(2) b(3) }\n"
                              "rule r when a(x: ?x) b(x: ?y) then print ?x, ?y end\n"
                              "rule s when b(x: ?y) a(x: ?x) then print \"s\", ?x, ?y end\n";
    sn_engine *e1 = t_load(prog), *e2 = t_load(prog);
    char *o1 = run(e1, -1), *o2 = run(e2, -1);
    CHECK_STR(o1, o2);
    CHECK(o1 && strlen(o1) > 30);
    free(o1);
    free(o2);
    sn_free(e1);
    sn_free(e2);
}

TEST(run_limit_and_halt)
{
    sn_engine *e = t_load("template a { x: int }\nfacts { a(1) a(2) a(3) a(4) }\n"
                        "rule r when a(x: ?x) then print ?x end\n"
                        "rule stop salience -1 when a(x: 1) then halt end\n"
                        "rule after salience -2 when a(x: 1) then print \"after\" end\n");
    uint64_t n;
    CHECK_EQ_INT(t_run(e, 2, &n), SN_STOP_LIMIT);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(t_run(e, -1, &n), SN_STOP_HALT);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(t_run(e, -1, &n), SN_STOP_EMPTY);
    CHECK_EQ_INT(n, 1);
    sn_free(e);
}

TEST(interrupt_stops_between_firings)
{
    sn_engine *e = t_load("template a { x: int }\nfacts { a(0) }\n"
                        "rule loop when ?f <- a(x: ?x) then modify ?f (x: ?x + 1) end\n");
    volatile sig_atomic_t flag = 1;
    sn_set_interrupt(e, &flag);
    uint64_t n;
    CHECK_EQ_INT(t_run(e, -1, &n), SN_STOP_INTERRUPT);
    CHECK_EQ_INT(n, 0);
    flag = 0;
    CHECK_EQ_INT(t_run(e, 5, &n), SN_STOP_LIMIT);
    CHECK_EQ_INT(count(e, "a(x: 5)"), 1);
    sn_free(e);
}

TEST(runtime_error_stops_the_run)
{
    sn_engine *e = t_load("template a { x: int }\nfacts { a(0) }\n"
                        "rule r when a(x: ?x) then print 10 / ?x end\n");
    CHECK_EQ_INT(t_run(e, -1, NULL), SN_STOP_ERROR);
    CHECK(strstr(sn_errmsg(e), "division by zero") != NULL);
    sn_free(e);
}

TEST(load_is_atomic)
{
    sn_engine *e = load2(T_AB, "facts { a(1) }\nrule r when a(x: ?x) then print ?x end\n");
    sn_report r = {0};
    const char *bad = "rule s when a(x: ?x) then print ?x end\nrule t when nope() then halt end\n";
    CHECK(!t_ok(sn_load_string(e, "bad.sinew", bad, strlen(bad), &r)));
    CHECK(r.nerrors >= 1);
    CHECK(r.n >= 1 && strcmp(r.items[0].file, "bad.sinew") == 0 && r.items[0].line == 2);
    CHECK(strstr(r.text, "bad.sinew:2:") != NULL);
    sn_report_free(&r);
    CHECK(sn_rule_find(e, "s") == NULL);
    CHECK_EQ_INT(agenda_len(e), 1);
    /* redefining a loaded rule is an error too, and changes nothing */
    CHECK(!add(e, "rule r when a(x: 1) then halt end\n"));
    CHECK_EQ_INT(agenda_len(e), 1);
    sn_free(e);
}

/* Ctrl-C (the interrupt flag) during a load: an E010, nothing kept, and
 * the same text loads once the flag is down. */
TEST(interrupted_load_keeps_nothing)
{
    sn_engine *e = t_load(T_AB);
    volatile sig_atomic_t flag = 1;
    sn_set_interrupt(e, &flag);
    const char *more = "template q { z: int }\nrule s when q(z: ?z) then print ?z end\n";
    sn_report r = {0};
    CHECK(!t_ok(sn_load_string(e, "more.sinew", more, strlen(more), &r)));
    CHECK(r.nerrors == 1 && r.n == 1 && strcmp(r.items[0].code, "E010") == 0);
    sn_report_free(&r);
    CHECK(sn_rule_find(e, "s") == NULL);
    flag = 0;
    CHECK(add(e, more));
    CHECK(sn_rule_find(e, "s") != NULL);
    sn_free(e);
}

/* A load of many rules sizes the environment's tables for them at once
 * and logs nothing of what it puts there: when it fails, the tables it
 * made go whole and the names it added with them. */
static char *many_rules(unsigned first, unsigned n, bool broken)
{
    size_t cap = (size_t)n * 80 + 64, len = 0;
    char *t = malloc(cap);
    for (unsigned i = first; i < first + n; i++)
        len += (size_t)snprintf(t + len, cap - len,
                                "rule m%u when a(x: %u) then assert b(y: v%u) end\n", i, i, i);
    snprintf(t + len, cap - len, "%s", broken ? "rule broken when nope() then halt end\n" : "");
    return t;
}

TEST(a_failed_load_of_many_rules_is_forgotten)
{
    sn_engine *e = t_load("template a { x: int }\ntemplate b { y: symbol }\n"
                          "rule m0 when a(x: 0) then assert b(y: v0) end\n");
    sn_report r = {0};
    char *bad = many_rules(1, 600, true), *good = many_rules(1, 600, false);
    CHECK(!t_ok(sn_load_string(e, "bad.sinew", bad, strlen(bad), &r)));
    CHECK(r.nerrors == 1 && strstr(r.text, "error[E101]: unknown template 'nope'") != NULL);
    sn_report_free(&r);
    CHECK(sn_rule_find(e, "m0") != NULL && sn_rule_find(e, "m300") == NULL);
    /* the same rules again: no duplicates left over from the failed load */
    CHECK(t_ok(sn_load_string(e, "good.sinew", good, strlen(good), &r)));
    CHECK(r.nerrors == 0);
    sn_report_free(&r);
    CHECK(sn_rule_find(e, "m600") != NULL);
    /* and the names it added are known now */
    const char *dup = "rule m450 when a(x: 1) then halt end\n";
    CHECK(!t_ok(sn_load_string(e, "dup.sinew", dup, strlen(dup), &r)));
    CHECK(r.nerrors == 1 && strcmp(r.items[0].code, "E106") == 0);
    sn_report_free(&r);
    CHECK(t_assert(e, "a(x: 450)", NULL) != NULL);
    uint64_t fired = 0;
    t_run(e, -1, &fired);
    CHECK_EQ_INT(fired, 1);
    CHECK_EQ_INT(count(e, "b(y: v450)"), 1);
    free(bad);
    free(good);
    sn_free(e);
}

/* Each load is checked against what earlier loads declared, and only a
 * load that succeeds adds to it: a failed load's templates, rules and
 * sources are forgotten, so the same text loads cleanly afterwards. */
TEST(loads_check_against_what_is_loaded)
{
    sn_engine *e = t_load("template a { x: int }\nsource 001 \"The first\"\n");
    sn_report r = {0};
    /* a template, a source and the constants of an earlier load are known */
    CHECK(add(e, "template b { y: symbol }\n"
                 "rule r \"uses a\" cites 001 when a(x: ?x) then assert b(y: seen) end\n"));
    CHECK(sn_rule_find(e, "r") != NULL && strcmp(sn_rule_cite(sn_rule_find(e, "r"), 0),
                                                 "[001] The first") == 0);
    /* a failed load that declares a template leaves nothing behind */
    const char *bad = "template c { z: int }\nrule s when c(z: ?z) nope() then halt end\n";
    CHECK(!t_ok(sn_load_string(e, "bad.sinew", bad, strlen(bad), &r)));
    CHECK(r.nerrors == 1 && strstr(r.text, "error[E101]: unknown template 'nope'") != NULL);
    sn_report_free(&r);
    CHECK(sn_template_find(e, "c") == NULL);
    CHECK(t_assert(e, "c(z: 1)", &r) == NULL && r.nerrors == 1);
    sn_report_free(&r);
    const char *good = "template c { z: int }\nrule s when c(z: ?z) then halt end\n";
    CHECK(t_ok(sn_load_string(e, "good.sinew", good, strlen(good), &r)));
    CHECK(r.nerrors == 0);
    sn_report_free(&r);
    /* a duplicate across loads names where the first was */
    CHECK(!t_ok(sn_load_string(e, "dup.sinew", "template a { q: int }\n", 22, &r)));
    CHECK(r.nerrors == 1 && strcmp(r.items[0].code, "E107") == 0);
    CHECK(strstr(r.text, "t.sinew:1:10: note: it was first defined here") != NULL);
    sn_report_free(&r);
    /* typed facts and queries check against it all, and add nothing */
    CHECK(t_assert(e, "c(z: 4)", NULL) != NULL);
    CHECK(t_assert(e, "b(y: typed)", NULL) != NULL);
    CHECK_EQ_INT(count(e, "c(z: 4)"), 1);
    CHECK_EQ_INT(count(e, "c(zz: 4)"), -1);
    sn_stats before, after;
    sn_get_stats(e, &before);
    for (int i = 0; i < 200; i++) {
        sn_fact *f = t_assert(e, "a(x: 7)", NULL);
        CHECK(f != NULL);
        sn_retract(e, f);
        CHECK_EQ_INT(count(e, "a(x: 7)"), 0);
    }
    sn_get_stats(e, &after);
    CHECK(after.bytes <= before.bytes + 256);
    sn_free(e);
}

/* The walk that debug builds run after every public call finds what is
 * broken, and says what. */
/* How many lines of OUT are LINE. */
static int lines_of(const char *out, const char *line)
{
    int n = 0;
    size_t len = strlen(line);
    for (const char *p = out; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        n += l == len && strncmp(p, line, len) == 0;
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

/* A node (depth first from the roots) whose first compiled join step
 * compares with OP, or NULL. */
static node *node_with_step(node *n, int op)
{
    if (n->njt > 0 && n->jt[0].op == op)
        return n;
    for (uint32_t i = 0; i < n->nkids; i++) {
        node *x = node_with_step(n->kids[i], op);
        if (x)
            return x;
    }
    return NULL;
}

TEST(join_tests_compiled_to_comparisons)
{
    /* join tests of every compiled shape (slot or cf against an earlier
     * fact's, int against float, strings, a symbol against a string)
     * and one left to the interpreter; the debug build's verifier also
     * checks every step against the expression after each call */
    sn_engine *e = t_load("template p { n: int, x: float, s: symbol, t: string }\n"
                        "template q { n: int, x: float, s: symbol, t: string }\n"
                        "facts { p(n: 1, x: 1.0, s: a, t: \"a\") p(n: 2, x: 2.5, s: b, t: \"b\")\n"
                        "        q(n: 1, x: 1.0, s: b, t: \"a\") q(n: 3, x: 2.0, s: a, t: \"c\") }\n"
                        "rule ne when p(n: ?a) q(n: != ?a) then print \"ne\" end\n"
                        "rule lt when p(x: ?v) q(n: < ?v) then print \"lt\" end\n"
                        "rule ne_float when p(x: ?v) q(n: != ?v) then print \"ne_float\" end\n"
                        "rule ge_text when p(t: ?w) q(t: >= ?w) then print \"ge_text\" end\n"
                        "rule kinds when p(s: ?y) q(t: > ?y) then print \"kinds\" end\n"
                        "rule certainty when p(cf: ?c) q(cf: >= ?c) then print \"cf\" end\n"
                        "rule both when p(n: ?a, s: ?y) q(s: != ?y & ?z, n: > ?a) then print \"both\" end\n"
                        "rule sum when p(n: ?a) q(n: > (?a + 1)) then print \"sum\" end\n");
    CHECK(verify_engine(e) == NULL);
    char *out = run(e, -1);
    CHECK_EQ_INT(lines_of(out, "ne"), 3);       /* 1-3, 2-1, 2-3 */
    CHECK_EQ_INT(lines_of(out, "lt"), 1);       /* 1 < 2.5 */
    CHECK_EQ_INT(lines_of(out, "ne_float"), 3); /* 1 == 1.0 is equal */
    CHECK_EQ_INT(lines_of(out, "ge_text"), 3);  /* "a"-"a", "a"-"c", "b"-"c" */
    CHECK_EQ_INT(lines_of(out, "kinds"), 0);    /* a symbol and a string do not compare */
    CHECK_EQ_INT(lines_of(out, "cf"), 4);
    CHECK_EQ_INT(lines_of(out, "both"), 1);     /* p(2, b) with q(3, a) */
    CHECK_EQ_INT(lines_of(out, "sum"), 1);      /* 3 > 1 + 1 */
    free(out);
    CHECK(verify_engine(e) == NULL);
    /* a compiled step that no longer says what its expression says */
    node *n = NULL;
    for (uint32_t i = 0; i < e->nroots && !n; i++)
        n = node_with_step(e->roots[i], OP_NE);
    CHECK(n != NULL);
    if (n) {
        n->jt[0].op = OP_EQ;
        const char *why = verify_engine(e);
        CHECK(why && strstr(why, "compiled tests"));
        n->jt[0].op = OP_NE;
        CHECK(verify_engine(e) == NULL);
    }
    sn_free(e);
}

TEST(verifier_finds_broken_invariants)
{
    sn_engine *e = t_load("template a { x: int }\ntemplate b { x: int }\n"
                        "rule r when a(x: ?x) not b(x: ?x) then assert b(x: ?x) end\n"
                        "facts { a(1) a(2) b(2) }\n");
    CHECK(verify_engine(e) == NULL);
    t_run(e, -1, NULL);
    CHECK(verify_engine(e) == NULL);
    struct tmpl *t = (struct tmpl *)sn_template_find(e, "a");
    t->nfacts++;
    const char *why = verify_engine(e);
    CHECK(why && strstr(why, "template a holds 2 facts but counts 3"));
    t->nfacts--;
    sn_fact *f[1];
    CHECK(t_query(e, "b(x: 1)", f, 1, NULL) == 1);
    struct fact *b1 = f[0];
    b1->nsupport = 1;
    why = verify_engine(e);
    CHECK(why && strstr(why, "active conclusions but counts 1"));
    b1->nsupport = 0;
    CHECK(verify_engine(e) == NULL);
    e->nnodesig++;
    why = verify_engine(e);
    CHECK(why && strstr(why, "the table of shared nodes counts"));
    e->nnodesig--;
    CHECK(verify_engine(e) == NULL);
    CHECK_EQ_INT(t->nplain, 1); /* a(x: ?x): no constant */
    t->nplain--;
    why = verify_engine(e);
    CHECK(why && strstr(why, "not at the end of the path of its constants"));
    t->nplain++;
    CHECK(verify_engine(e) == NULL);
    sn_free(e);
}

/* twice(x) for numbers; fails on anything else */
static bool twice(void *ctx, const sn_value *a, unsigned n, sn_value *r, char *err, size_t size)
{
    (*(int *)ctx)++;
    if (n != 1 || !a[0].is_number) {
        snprintf(err, size, "takes one number");
        return false;
    }
    *r = (sn_value){.is_number = true, .number = a[0].number * 2};
    return true;
}

/* greet(...): its arguments' text joined, as a string */
static bool greet(void *ctx, const sn_value *a, unsigned n, sn_value *r, char *err, size_t size)
{
    (void)ctx, (void)err, (void)size;
    static char buf[128];
    size_t at = 0;
    for (unsigned i = 0; i < n && at < sizeof buf - 40; i++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", i ? "-" : "",
                               a[i].is_number ? "#" : a[i].is_string ? "s:" : a[i].text);
    *r = (sn_value){.text = buf, .is_string = true};
    return true;
}

TEST(functions_defined_by_the_embedder)
{
    char err_buf[256];
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    int calls = 0;
    CHECK(t_ok(sn_define_function(e, "twice", 1, 1, twice, &calls)));
    CHECK(t_ok(sn_define_function(e, "greet", 0, -1, greet, NULL)));
    CHECK(!t_ok(sn_define_function(e, "twice", 1, 1, twice, &calls))); /* defined already */
    CHECK(!t_ok(sn_define_function(e, "abs", 1, 1, twice, &calls)));   /* a builtin's */
    CHECK(!t_ok(sn_define_function(e, "no-dash", 1, 1, twice, &calls)));
    CHECK(!t_ok(sn_define_function(e, "bad", 2, 1, twice, &calls)));
    CHECK(add(e, "template t { v: int }\ntemplate u { v: int  s: string = \"\" }\n"
                 "rule r when t(v: ?x & < 10) then assert u(v: twice(?x), s: greet(a, \"b\", 3)) end\n"));
    t_assert(e, "t(v: 4)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    CHECK_EQ_INT(count(e, "u(v: 8, s: \"a-s:-#\")"), 1);
    CHECK_EQ_INT(calls, 1);
    /* calls are checked against what is defined: arity, unknown names */
    sn_report r = {0};
    const char *bad = "rule w when t(v: ?x) then assert u(v: twice(?x, 1)) end\n"
                      "rule z when t(v: ?x) then assert u(v: twise(?x)) end\n";
    CHECK(!t_ok(sn_load_string(e, "bad.sinew", bad, strlen(bad), &r)));
    CHECK(strstr(r.text, "error[E114]: 'twice' takes 1 argument, found 2") != NULL);
    CHECK(strstr(r.text, "error[E113]: unknown function 'twise'") &&
          strstr(r.text, "did you mean 'twice'?"));
    sn_report_free(&r);
    /* a function that fails stops the run with its reason */
    CHECK(add(e, "template s { x: symbol }\nrule q when s(x: ?y) then assert u(v: twice(?y)) end\n"));
    t_assert(e, "s(x: oops)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_ERROR);
    CHECK(strstr(sn_errmsg(e), "twice: takes one number") != NULL);
    /* what-if tries answers on a copy of the engine: the copy can call them too */
    CHECK(add(e, "template pain { value: symbol }\nask pain.value \"Pain?\" low, high\n"
                 "template red_flag { code: symbol }\n"
                 "rule p when pain(value: high) test twice(2) == 4 then conclude red_flag(code: F1) end\n"));
    const sn_ask *k = sn_ask_find(e, "pain");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    CHECK(k && t_ok(sn_whatif(e, k, (const char *[]){"high"}, 1, m, err_buf, sizeof err_buf)));
    fclose(m);
    CHECK(buf && strstr(buf, "red_flag(code: F1)") != NULL);
    free(buf);
    /* sn_clear forgets the knowledge, not the embedder's functions */
    sn_clear(e);
    CHECK(add(e, "template t { v: int }\nrule r when t(v: ?x) then halt end\n"
                 "rule r2 when t(v: ?x) test twice(?x) > 4 then halt end\n"));
    sn_free(e);
}

TEST(two_engines_are_independent)
{
    sn_engine *e1 = load2(T_AB, "facts { a(1) }\n");
    sn_engine *e2 = load2(T_AB, "facts { a(2) a(3) }\n");
    CHECK_EQ_INT(count(e1, "a()"), 1);
    CHECK_EQ_INT(count(e2, "a()"), 2);
    t_assert(e1, "a(9)", NULL);
    CHECK_EQ_INT(count(e2, "a(x: 9)"), 0);
    sn_free(e1);
    CHECK_EQ_INT(count(e2, "a()"), 2);
    sn_free(e2);
}

TEST(justification_records)
{
    sn_engine *e = t_load("template pain { site: symbol, severity: int }\n"
                        "template dx { name: symbol }\n"
                        "facts { pain(groin, 7) }\n"
                        "rule r \"doc text\" cites \"001.txt\"\n"
                        "when pain(site: ?s, severity: ?v & > 5) then conclude dx(name: strain) cf 0.7 end\n");
    free(run(e, -1));
    sn_fact *d = find(e, "dx(name: strain)");
    CHECK(d != NULL);
    if (!d) {
        sn_free(e);
        return;
    }
    CHECK_EQ_INT(sn_fact_origin(d), SN_ORIGIN_CONCLUDED);
    const sn_just *j = sn_fact_justs(d);
    CHECK(j && sn_just_active(j) && sn_just_logical(j));
    CHECK_STR(sn_rule_name(sn_just_rule(j)), "r");
    CHECK_STR(sn_rule_doc(sn_just_rule(j)), "doc text");
    CHECK_STR(sn_rule_cite(sn_just_rule(j), 0), "001.txt");
    CHECK_EQ_INT(sn_just_nfacts(j), 1);
    CHECK_EQ_INT(sn_just_fact(j, 0), sn_fact_id(find(e, "pain()")));
    CHECK_EQ_INT(sn_just_nbindings(j), 2);
    char buf[64];
    CHECK_STR(sn_just_var(j, 0), "s");
    CHECK_STR(sn_just_binding(j, 0, buf, sizeof buf), "groin");
    CHECK_STR(sn_just_binding(j, 1, buf, sizeof buf), "7");
    CHECK(fabs(sn_just_cf(j) - 0.7) < 1e-9);
    CHECK_EQ_INT(sn_just_firing(j), 1);
    sn_free(e);
}

TEST(remove_rule)
{
    sn_engine *e = load2(T_TMS, "facts { finding(pain) }\n"
                                "rule r1 when finding(name: pain) then conclude dx(name: strain) end\n"
                                "rule r2 when finding(name: pain) then print \"x\" end\n");
    free(run(e, -1));
    CHECK_EQ_INT(count(e, "dx()"), 1);
    CHECK(t_ok(sn_remove_rule(e, "r1")));
    CHECK(sn_rule_find(e, "r1") == NULL);
    CHECK_EQ_INT(count(e, "dx()"), 0); /* its conclusions go with it */
    sn_reset(e);
    CHECK_EQ_INT(agenda_len(e), 1);
    CHECK(!t_ok(sn_remove_rule(e, "r1")));
    sn_free(e);
}

/* A choice of constants is found by the fact's value (dispatch on each
 * constant): the rule sees exactly the facts with one of them, whether
 * they came before or after it, shares its memory with an equal pattern,
 * and leaves the dispatch clean when removed. */
/* Memories found by every constant-tested slot: each fact reaches exactly
 * the rules whose constants it matches, whatever the slots, the order they
 * are written in, choices, other tests beside them, rules that come
 * after the facts or go, and facts that change. */
TEST(discrimination_on_every_constant_slot)
{
    sn_engine *e = t_load("template item { id: int  a: symbol  b: int  c: symbol }\n"
                        "facts { item(1, x, 1, p) item(2, x, 2, p) item(3, y, 1, q) item(4, x, 1, q) }\n"
                        "rule ab when item(id: ?i, a: x, b: 1) then print \"ab \", ?i end\n"
                        "rule ba when item(id: ?i, b: 1, a: x) then print \"ba \", ?i end\n"
                        "rule abc when item(id: ?i, a: x, b: 1, c: q) then print \"abc \", ?i end\n"
                        "rule bc when item(id: ?i, b: 2 | 1, c: p) then print \"bc \", ?i end\n"
                        "rule c when item(id: ?i, c: q, a: != y) then print \"c \", ?i end\n");
    /* one fact's activations come in an order that does not depend on the
     * tree's shape: by the slot each rule's first constant tests, then age */
    CHECK_OUT(run(e, -1), "c 4\nba 4\nabc 4\nab 4\nbc 2\nbc 1\nba 1\nab 1\n");
    CHECK(add(e, "rule none when item(id: ?i, a: x, b: 1, c: r) then print \"none \", ?i end\n"
                 "rule late when item(id: ?i, a: y, b: 1) then print \"late \", ?i end\n"));
    CHECK_OUT(run(e, -1), "late 3\n");
    CHECK(t_ok(sn_remove_rule(e, "ab")));
    CHECK(t_ok(sn_remove_rule(e, "abc")));
    CHECK(t_assert(e, "item(5, x, 1, q)", NULL) != NULL);
    CHECK(t_assert(e, "item(6, x, 1, r)", NULL) != NULL);
    CHECK_OUT(run(e, -1), "ba 6\nnone 6\nc 5\nba 5\n");
    CHECK(verify_engine(e) == NULL);
    sn_free(e);
}

TEST(choice_of_constants)
{
    sn_engine *e = t_load("template site { value: symbol }\n"
                        "template hit { by: symbol  site: symbol = none }\n"
                        "facts { site(groin) site(buttock) site(sit_bone) }\n"
                        "rule a when site(value: ?v & groin | buttock) then assert hit(by: a, site: ?v) end\n");
    CHECK(add(e, "rule b when site(value: buttock | low_back) then assert hit(by: b) end\n"
                 "rule c when site(value: groin | buttock) not site(value: low_back) then assert hit(by: c) end\n"));
    free(run(e, -1));
    CHECK_EQ_INT(count(e, "hit(by: a)"), 2);
    CHECK_EQ_INT(count(e, "hit(by: a, site: sit_bone)"), 0);
    CHECK_EQ_INT(count(e, "hit(by: a, site: buttock)"), 1);
    CHECK_EQ_INT(count(e, "hit(by: b)"), 1);
    CHECK_EQ_INT(count(e, "hit(by: c)"), 1);
    sn_report r = {0};
    CHECK(t_assert(e, "site(low_back)", &r) != NULL);
    sn_report_free(&r);
    free(run(e, -1));
    CHECK_EQ_INT(agenda_len(e), 0);
    CHECK(t_ok(sn_remove_rule(e, "a")));
    sn_reset(e);
    free(run(e, -1));
    CHECK_EQ_INT(count(e, "hit(by: a)"), 0);
    CHECK_EQ_INT(count(e, "hit(by: b)"), 1);
    CHECK(t_ok(sn_remove_rule(e, "b")));
    CHECK(t_ok(sn_remove_rule(e, "c")));
    CHECK(add(e, "rule d when site(value: sit_bone | groin) then assert hit(by: d) end\n"));
    free(run(e, -1));
    CHECK_EQ_INT(count(e, "hit(by: d)"), 1);
    sn_report r2 = {0};
    CHECK(t_assert(e, "site(sit_bone)", &r2) != NULL); /* already there: a set */
    sn_report_free(&r2);
    CHECK_EQ_INT(count(e, "site()"), 3);
    sn_free(e);
}

/* A rule at the limits of grammar/ast.h builds in space linear in
 * its size: 1000 conditions once took 65 MB (each was copied with all the
 * ones before it), and matches all the way down; 1024 alternatives give
 * 1024 productions, each firing. */
static char *repeat(const char *head, const char *line, unsigned n, const char *tail)
{
    size_t lh = strlen(head), ll = strlen(line), lt = strlen(tail);
    char *s = malloc(lh + ll * n + lt + 1), *p = s;
    memcpy(p, head, lh);
    p += lh;
    for (unsigned i = 0; i < n; i++, p += ll)
        memcpy(p, line, ll);
    memcpy(p, tail, lt + 1);
    return s;
}

TEST(rules_at_the_size_limits)
{
    char *text = repeat("template t { n: int }\nfacts { t(n: 1) }\nrule deep when\n",
                        "  t(n: ?)\n", 1000, "then print \"deep\" end\n");
    sn_engine *e = t_load(text);
    free(text);
    sn_stats st;
    sn_get_stats(e, &st);
    CHECK(st.peak_bytes < (size_t)8 << 20);
    CHECK_OUT(run(e, -1), "deep\n");
    sn_free(e);

    text = repeat("template t { n: int }\nfacts { t(n: 1) t(n: 2) }\nrule wide when\n",
                  "  t(n: 1) or t(n: 2)\n", 10, "then print \"x\" end\n");
    e = t_load(text);
    free(text);
    char *out = run(e, -1);
    size_t lines = 0;
    for (const char *c = out; *c; c++)
        lines += *c == '\n';
    CHECK_EQ_INT(lines, 1024);
    free(out);
    sn_free(e);
}

/* n(i) rests on p(i-1) and q(i-1), both on n(i-1): 2^20 paths to n(0),
 * 41 facts. The proof shows each fact's derivation once (it once printed
 * one per path, 3 million lines), and an interrupt stops it. */
static char *how_of(sn_engine *e, const char *pattern, sn_format fmt)
{
    sn_fact *f[1];
    if (t_query(e, pattern, f, 1, NULL) != 1)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    sn_explain_how(e, f[0], fmt, m);
    fclose(m);
    return buf;
}

TEST(how_shows_a_shared_derivation_once)
{
    sn_engine *e = t_load("template n { i: int }\ntemplate p { i: int }\ntemplate q { i: int }\n"
                        "facts { n(0) }\n"
                        "rule split when n(i: ?i & < 20) then conclude p(i: ?i) conclude q(i: ?i) end\n"
                        "rule join when p(i: ?i) q(i: ?i) then conclude n(i: ?i + 1) end\n");
    free(run(e, -1));
    char *text = how_of(e, "n(i: 20)", SN_TEXT);
    CHECK(text != NULL);
    size_t lines = 0;
    for (const char *c = text ? text : ""; *c; c++)
        lines += *c == '\n';
    CHECK(lines > 100 && lines < 200);
    CHECK(text && strstr(text, "#4 n(i: 1) cf 1.00 (see above)"));
    free(text);
    char *json = how_of(e, "n(i: 20)", SN_JSON);
    CHECK(json && strlen(json) < 100000 && strstr(json, "\"shown\":true"));
    free(json);

    volatile sig_atomic_t stop = 1;
    sn_set_interrupt(e, &stop);
    text = how_of(e, "n(i: 20)", SN_TEXT);
    CHECK(text && strstr(text, "(interrupted: the rest of the proof is left out)"));
    CHECK(text && strchr(text, '\n') == text + strlen(text) - 1); /* one line, then it stops */
    free(text);
    json = how_of(e, "n(i: 20)", SN_JSON);
    CHECK(json && strstr(json, "\"interrupted\":true}") && !strstr(json, "justifications"));
    free(json);
    sn_set_interrupt(e, NULL);
    sn_free(e);
}

/* Under lex and mea an activation finds its place in a search tree (it
 * once walked its level: 30,000 facts and two rules took 71 s). The order
 * is the walk's: newest facts first, ties to the later activation; and a
 * change of strategy puts every activation in the new order. */
TEST(lex_agenda_in_a_search_tree)
{
    enum { N = 3000 };
    size_t cap = 64 + 12 * N;
    char *text = malloc(cap);
    size_t at = (size_t)snprintf(text, cap, "template t { i: int }\nfacts {");
    for (int i = 1; i <= N; i++)
        at += (size_t)snprintf(text + at, cap - at, " t(%d)", i);
    snprintf(text + at, cap - at, " }\n");
    sn_engine *e = t_load(text);
    free(text);
    sn_set_strategy(e, SN_LEX);
    CHECK(add(e, "rule one when t(i: ?i) then print \"one \", ?i end\n"));
    CHECK(add(e, "rule two when t(i: ?i) then print \"two \", ?i end\n"));
    CHECK_EQ_INT(agenda_len(e), 2 * N);
    CHECK_OUT(run(e, 4), "two 3000\none 3000\ntwo 2999\none 2999\n");
    sn_set_strategy(e, SN_MEA);
    CHECK_OUT(run(e, 2), "two 2998\none 2998\n");
    sn_set_strategy(e, SN_BREADTH);
    CHECK_OUT(run(e, 2), "one 1\none 2\n");
    sn_set_strategy(e, SN_LEX);
    CHECK(t_ok(sn_retract(e, find(e, "t(i: 2997)"))));
    CHECK_OUT(run(e, 2), "two 2996\none 2996\n");
    CHECK_EQ_INT(agenda_len(e), 2 * N - 12);
    sn_free(e);
}

TEST(recommendations_are_withdrawn_with_their_match)
{
    sn_engine *e = load2(T_TMS, "facts { finding(pain) }\n"
                                "rule r when finding(name: pain) then recommend \"rest\" end\n");
    free(run(e, -1));
    const char *text;
    CHECK_EQ_INT(sn_recommendations(e, &text, NULL, 1), 1);
    CHECK_STR(text, "rest");
    sn_retract(e, find(e, "finding()"));
    CHECK_EQ_INT(sn_recommendations(e, NULL, NULL, 0), 0);
    sn_free(e);
}

TEST(case_tests_run_and_fail)
{
    sn_engine *e = t_load("template f { name: symbol }\ntemplate dx { name: symbol }\n"
                        "rule r when f(name: a) then conclude dx(name: x) cf 0.5 end\n"
                        "case good given f(a) expect dx(name: x, cf: 0.5) not dx(name: y) end\n"
                        "case bad given f(b) expect dx(name: x) end\n");
    CHECK_EQ_INT(sn_case_count(e), 2);
    sn_case_result r;
    sn_case_run(e, 0, &r);
    CHECK(r.passed);
    CHECK_EQ_INT(r.nexpect, 2);
    free(r.detail);
    sn_case_run(e, 1, &r);
    CHECK(!r.passed);
    CHECK_EQ_INT(r.nfailed, 1);
    CHECK(r.detail && strstr(r.detail, "expected dx(name: x)"));
    free(r.detail);
    CHECK_EQ_INT(count(e, "f()"), 0); /* reset after */
    sn_free(e);
}

TEST(query_reports_bad_patterns)
{
    sn_engine *e = load2(T_AB, "facts { a(1) a(5) }\n");
    sn_report r = {0};
    sn_fact *f[4];
    CHECK_EQ_INT(t_query(e, "a(x: > 2)", f, 4, &r), 1);
    CHECK_EQ_INT(t_query(e, "nope(x: 1)", f, 4, &r), -1);
    CHECK(r.nerrors >= 1);
    sn_report_free(&r);
    CHECK(t_assert(e, "a(x: oops)", &r) == NULL);
    CHECK(r.nerrors >= 1);
    sn_report_free(&r);
    CHECK_EQ_INT(count(e, "a()"), 2);
    sn_free(e);
}

/* A piece of a longer script, loaded as beginning at its line: the
 * diagnostics and the rules' places give the script's lines. */
TEST(load_a_piece_at_its_line)
{
    sn_engine *e = t_load("template t { n: int }\n");
    const char good[] = "rule r when t(n: 1) then\n    assert t(n: 2)\nend\n";
    sn_report r = {0};
    CHECK(t_ok(sn_load_string_at(e, "script.txt", 500, good, strlen(good), &r)));
    sn_report_free(&r);
    CHECK_STR(sn_rule_where(sn_rule_find(e, "r")), "script.txt:500");
    const char bad[] = "rule s when t(n: 1) then\n    assert t(n: ])\nend\n";
    CHECK(sn_load_string_at(e, "script.txt", 700, bad, strlen(bad), &r) == SN_ERR_INPUT);
    CHECK(r.n >= 1 && r.items[0].line == 701 && r.items[0].col == 17);
    CHECK(r.text && strstr(r.text, "script.txt:701:17: error[E001]"));
    CHECK(r.text && strstr(r.text, "  701 |     assert t(n: ])\n"));
    sn_report_free(&r);
    CHECK(sn_load_string_at(e, "script.txt", 0, good, strlen(good), &r) == SN_ERR_INPUT);
    sn_report_free(&r);
    sn_free(e);
}

/* Rules loaded one at a time, in no order, and some removed: orders that
 * go by rule name still do (recommendations of the same salience). */
TEST(rules_in_name_order_across_loads)
{
    sn_engine *e = t_load("template t { n: int }\n");
    const char *names[] = {"m", "c", "x", "a", "q", "b", "z", "k"};
    char text[128];
    for (unsigned i = 0; i < 8; i++) {
        snprintf(text, sizeof text, "rule %s when t(n: 1) then recommend \"%s\" end\n", names[i],
                 names[i]);
        CHECK(add(e, text));
    }
    CHECK(t_ok(sn_remove_rule(e, "c")));
    CHECK(t_ok(sn_remove_rule(e, "x")));
    CHECK(add(e, "rule d when t(n: 1) then recommend \"d\" end\n"
                 "rule aa when t(n: 1) then recommend \"aa\" end\n"));
    CHECK(t_assert(e, "t(n: 1)", NULL) != NULL);
    t_run(e, -1, NULL);
    const char *texts[16];
    unsigned n = sn_recommendations(e, texts, NULL, 16);
    CHECK_EQ_INT(n, 8);
    const char *want[] = {"a", "aa", "b", "d", "k", "m", "q", "z"};
    for (unsigned i = 0; i < n && i < 8; i++)
        CHECK_STR(texts[i], want[i]);
    sn_free(e);
}

int main(void)
{
    RUN(join_on_shared_variable);
    RUN(working_memory_through_retracts);
    RUN(facts_blocks_come_back_whole_at_reset);
    RUN(negation_toggles_on_assert_and_retract);
    RUN(modify_inside_a_loop);
    RUN(rules_loaded_after_facts_see_them);
    RUN(or_with_shared_variables);
    RUN(exists_fires_once);
    RUN(exists_of_alternatives_counts_once);
    RUN(exists_of_alternatives_with_groups_and_variables);
    RUN(exists_of_a_group_and_not_of_a_group);
    RUN(forall);
    RUN(test_condition_and_predicates);
    RUN(working_memory_is_a_set);
    RUN(truth_maintenance_two_levels_deep);
    RUN(asserted_fact_survives_losing_logical_support);
    RUN(cf_positive_evidence_combines);
    RUN(cf_negative_evidence_combines);
    RUN(cf_mixed_evidence);
    RUN(cf_of_a_chain_is_rule_times_min);
    RUN(threshold_and_cf_patterns);
    RUN(threshold_is_reached_at_equal_certainty);
    RUN(salience_and_strategies);
    RUN(lex_and_mea_order);
    RUN(reproducible_tie_breaks);
    RUN(run_limit_and_halt);
    RUN(interrupted_load_keeps_nothing);
    RUN(interrupt_stops_between_firings);
    RUN(runtime_error_stops_the_run);
    RUN(load_is_atomic);
    RUN(a_failed_load_of_many_rules_is_forgotten);
    RUN(loads_check_against_what_is_loaded);
    RUN(join_tests_compiled_to_comparisons);
    RUN(verifier_finds_broken_invariants);
    RUN(functions_defined_by_the_embedder);
    RUN(two_engines_are_independent);
    RUN(justification_records);
    RUN(remove_rule);
    RUN(discrimination_on_every_constant_slot);
    RUN(choice_of_constants);
    RUN(rules_at_the_size_limits);
    RUN(how_shows_a_shared_derivation_once);
    RUN(lex_agenda_in_a_search_tree);
    RUN(recommendations_are_withdrawn_with_their_match);
    RUN(case_tests_run_and_fail);
    RUN(query_reports_bad_patterns);
    RUN(load_a_piece_at_its_line);
    RUN(rules_in_name_order_across_loads);
    return UNIT_END();
}
