/* test_explain.c — explanations true to the firing, one step at a time,
 * and the network drawn, through the public API: what an `exists` was
 * held by when its rule fired (not what holds it now), a withdrawal's
 * cause, what sn_step reports, and sn_network_dot's picture.
 */
#include <stdlib.h>
#include <string.h>

#include "../../engine/sinew.h"
#include "calls.h"
#include "unit.h"

static const char *const KB =
    "template f { name: symbol }\n"
    "template site { value: symbol }\n"
    "template stage { value: int }\n"
    "template d { name: symbol }\n"
    "rule r when f(name: a) exists site(value: x | y) not f(name: no) then conclude d(name: t) cf 0.8 end\n"
    "rule weak when f(name: a) then conclude d(name: t) cf 0.5 end\n"
    "rule up when ?s <- stage(value: ?n & < 1) d(name: t) then modify ?s (value: ?n + 1) end\n";

/* What FN wrote about F (or the network), as a string the caller frees. */
static char *why_text(sn_engine *e, const sn_fact *f, sn_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    sn_explain_why(e, f, fmt, m);
    fclose(m);
    return buf;
}

static sn_fact *one(sn_engine *e, const char *pattern)
{
    sn_fact *f[2];
    return t_query(e, pattern, f, 2, NULL) == 1 ? f[0] : NULL;
}

TEST(exists_is_explained_by_the_fact_of_its_firing)
{
    sn_engine *e = t_load(KB);
    sn_fact *x = t_assert(e, "site(value: x)", NULL);
    t_assert(e, "f(name: a)", NULL);
    t_run(e, -1, NULL);
    uint64_t xid = sn_fact_id(x);
    /* another site keeps the exists true, so the rule does not fire again;
     * the explanation still names the fact that held it when it fired */
    t_assert(e, "site(value: y)", NULL);
    sn_retract(e, x);
    sn_fact *d = one(e, "d(name: t)");
    CHECK(d != NULL);
    char *t = why_text(e, d, SN_TEXT);
    char want[64];
    snprintf(want, sizeof want, "exists site(value: x | y): #%llu (since retracted)",
             (unsigned long long)xid);
    CHECK(t && strstr(t, want));
    CHECK(t && strstr(t, "held   not f(name: no): no fact matched"));
    free(t);
    /* the same through the API: the record of rule r, condition 2 */
    const sn_just *jr = NULL;
    for (const sn_just *j = sn_fact_justs(d); j; j = sn_just_next(j))
        if (strcmp(sn_rule_name(sn_just_rule(j)), "r") == 0)
            jr = j;
    sn_cond c;
    CHECK(jr && sn_just_nconds(jr) == 3);
    CHECK(jr && sn_just_cond(jr, 0, &c) && c.kind == SN_COND_PATTERN && c.fact != 0);
    CHECK(jr && sn_just_cond(jr, 1, &c) && c.kind == SN_COND_EXISTS && c.nfacts == 1 &&
          c.facts[0] == xid && strcmp(c.text, "exists site(value: x | y)") == 0);
    CHECK(jr && sn_just_cond(jr, 2, &c) && c.kind == SN_COND_NOT && c.nfacts == 0);
    CHECK(jr && !sn_just_cond(jr, 3, &c));
    t = why_text(e, d, SN_JSON);
    CHECK(t && strstr(t, "\"kind\":\"exists\""));
    snprintf(want, sizeof want, "{\"id\":%llu,\"retracted\":true}", (unsigned long long)xid);
    CHECK(t && strstr(t, want));
    free(t);
    sn_free(e);
}

TEST(withdrawal_names_the_fact_that_blocks_the_not)
{
    sn_engine *e = t_load(KB);
    t_assert(e, "site(value: x)", NULL);
    t_assert(e, "f(name: a)", NULL);
    t_run(e, -1, NULL);
    sn_fact *no = t_assert(e, "f(name: no)", NULL);
    sn_fact *d = one(e, "d(name: t)");
    CHECK(d != NULL);
    const sn_just *withdrawn = NULL;
    for (const sn_just *j = sn_fact_justs(d); j; j = sn_just_next(j))
        if (!sn_just_active(j))
            withdrawn = j;
    CHECK(withdrawn != NULL);
    char want[80];
    snprintf(want, sizeof want, "fact %llu matches not f(name: no)", (unsigned long long)sn_fact_id(no));
    CHECK(withdrawn && strcmp(sn_just_withdrawn(withdrawn), want) == 0);
    sn_free(e);
}

TEST(step_reports_what_one_firing_changed)
{
    sn_engine *e = t_load(KB);
    t_assert(e, "site(value: x)", NULL);
    t_assert(e, "f(name: a)", NULL);
    sn_fact *s0 = t_assert(e, "stage(value: 0)", NULL);
    uint64_t s0id = sn_fact_id(s0);
    sn_step_result r;
    /* r first (the strategy's order), then up (its match is newest), then weak */
    CHECK(t_step(e, &r) == SN_STOP_LIMIT);
    CHECK(r.rule && strcmp(sn_rule_name(r.rule), "r") == 0);
    CHECK_EQ_INT(r.firing, 1);
    CHECK_EQ_INT(r.n, 1);
    CHECK(r.n == 1 && r.changes[0].kind == SN_CHANGE_ADDED && strcmp(r.changes[0].fact, "d(name: t)") == 0);
    sn_step_free(&r);
    t_step(e, &r);
    CHECK(r.rule && strcmp(sn_rule_name(r.rule), "up") == 0);
    /* up: the stage is modified (removed, then its replacement added) */
    CHECK_EQ_INT(r.n, 2);
    CHECK(r.n == 2 && r.changes[0].kind == SN_CHANGE_REMOVED && r.changes[0].id == s0id &&
          !r.changes[0].withdrawn);
    CHECK(r.n == 2 && r.changes[1].kind == SN_CHANGE_ADDED && r.changes[1].replaces == s0id);
    sn_step_free(&r);
    t_step(e, &r);
    CHECK(r.rule && strcmp(sn_rule_name(r.rule), "weak") == 0);
    CHECK(r.n == 1 && r.changes[0].kind == SN_CHANGE_CF && r.changes[0].before == 0.8 &&
          r.changes[0].after == 0.9 && r.changes[0].cause &&
          strcmp(r.changes[0].cause, "by rule weak, firing 3") == 0);
    sn_step_free(&r);
    CHECK(t_step(e, &r) == SN_STOP_EMPTY);
    CHECK(r.rule == NULL && r.n == 0 && r.firing == 0);
    sn_step_free(&r);
    sn_free(e);
}

TEST(network_picture_has_every_node_and_count)
{
    sn_engine *e = t_load(KB);
    t_assert(e, "f(name: a)", NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    CHECK(t_ok(sn_network_dot(e, "r", m)));
    fclose(m);
    CHECK(buf && strstr(buf, "digraph rete {"));
    CHECK(buf && strstr(buf, "rule r\\n0 matches"));
    CHECK(buf && strstr(buf, "join: f(name: a)"));
    CHECK(buf && strstr(buf, "exists site(value: x | y)"));
    CHECK(buf && strstr(buf, "not f(name: no)"));
    CHECK(buf && strstr(buf, "f(name: a)\\nalpha memory: 1 fact\""));
    CHECK(buf && strstr(buf, "site(value: x | y)\\nalpha memory: 0 facts\""));
    CHECK(buf && !strstr(buf, "rule weak"));
    free(buf);
    buf = NULL;
    m = open_memstream(&buf, &len);
    CHECK(t_ok(sn_network_dot(e, NULL, m)));
    fclose(m);
    CHECK(buf && strstr(buf, "rule weak") && strstr(buf, "rule up") && strstr(buf, "rule r\\n"));
    free(buf);
    CHECK(!t_ok(sn_network_dot(e, "no_such_rule", stdout)));
    sn_free(e);
}

TEST(why_of_a_removed_rule_still_reads)
{
    sn_engine *e = t_load(KB);
    t_assert(e, "site(value: x)", NULL);
    t_assert(e, "f(name: a)", NULL);
    t_run(e, -1, NULL);
    CHECK(t_ok(sn_remove_rule(e, "r")));
    sn_fact *d = one(e, "d(name: t)");
    char *t = d ? why_text(e, d, SN_TEXT) : NULL;
    CHECK(t && strstr(t, "rule r was removed") && strstr(t, "held   not f(name: no)"));
    free(t);
    sn_free(e);
}

/* A query or a whynot keeps nothing once its values are known: each
 * once added 160-380 bytes to the engine for its life. (A value never
 * seen before is interned, and stays: that is left to a later change.) */
TEST(queries_and_whynot_keep_no_memory)
{
    sn_engine *e = t_load(KB);
    CHECK(t_assert(e, "f(name: a)", NULL) != NULL);
    t_run(e, -1, NULL);
    FILE *null = fopen("/dev/null", "w");
    sn_fact *out[4];
    sn_stats before = {0}, after = {0};
    for (int round = 0; round < 3; round++) {
        if (round == 1)
            sn_get_stats(e, &before);
        for (int i = 0; i < 5000; i++) {
            char pattern[64];
            snprintf(pattern, sizeof pattern, "d(name: seen_%d)", i);
            CHECK_EQ_INT(t_query(e, pattern, out, 4, NULL), 0);
            sn_explain_whynot(e, pattern, SN_TEXT, null, NULL);
        }
    }
    sn_get_stats(e, &after);
    CHECK(after.bytes <= before.bytes + 4096);
    fclose(null);
    sn_free(e);
}

int main(void)
{
    RUN(exists_is_explained_by_the_fact_of_its_firing);
    RUN(withdrawal_names_the_fact_that_blocks_the_not);
    RUN(step_reports_what_one_firing_changed);
    RUN(network_picture_has_every_node_and_count);
    RUN(why_of_a_removed_rule_still_reads);
    RUN(queries_and_whynot_keep_no_memory);
    return UNIT_END();
}
