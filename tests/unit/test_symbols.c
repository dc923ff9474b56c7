/* test_symbols.c — a long run of cases holds what its current case needs,
 * not every value the cases before it brought in: the symbols a case
 * interns (free values given, strings rules make, the constants of a
 * query or a whynot) go when working memory is next emptied; those a
 * load compiled stay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/sinew.h"
#include "calls.h"
#include "unit.h"

static const char kb[] =
    "template sign { name: symbol }\n"
    "template note { text: string }\n"
    "rule seen when sign(name: ?n) then assert note(text: concat(\"seen \", ?n)) end\n"
    "query named(?n) when sign(name: ?n) end\n"
    "case first given sign(name: given_one) expect note(text: \"seen given_one\") end\n";

static size_t bytes(const sn_engine *e)
{
    sn_stats s;
    sn_get_stats(e, &s);
    return s.bytes;
}

/* One case with values never seen before, through every way in: a slot
 * set from outside, a typed fact, a rule's concat, a query's argument, a
 * pattern of sn_query and of whynot. */
static bool one_case(sn_engine *e, FILE *sink, unsigned i, bool from_case)
{
    char text[96], err[128];
    bool ok = from_case ? sn_case_start(e, 0) == SN_OK : sn_reset(e) == SN_OK;
    snprintf(text, sizeof text, "slot_%u", i);
    sn_value v = {.text = text};
    ok = ok && t_assert_slot(e, "sign", "name", v, err, sizeof err) != NULL;
    snprintf(text, sizeof text, "sign(name: typed_%u)", i);
    ok = ok && t_assert(e, text, NULL) != NULL;
    ok = ok && t_run(e, -1, NULL) == SN_STOP_EMPTY;
    snprintf(text, sizeof text, "asked_%u", i);
    sn_value arg = {.text = text};
    sn_rows rows = {0};
    ok = ok && sn_query_run(e, "named", &arg, 1, &rows, err, sizeof err) == SN_OK &&
         rows.nrows == 0;
    sn_rows_free(&rows);
    snprintf(text, sizeof text, "sign(name: pattern_%u)", i);
    sn_fact *f[1];
    ok = ok && t_query(e, text, f, 1, NULL) == 0;
    snprintf(text, sizeof text, "note(text: \"whynot %u\")", i);
    ok = ok && sn_explain_whynot(e, text, SN_TEXT, sink, NULL) == SN_OK;
    return ok;
}

static void flat_over_cases(bool from_case)
{
    sn_engine *e = t_load(kb);
    FILE *sink = fopen("/dev/null", "w");
    CHECK(sink != NULL);
    if (!sink) {
        sn_free(e);
        return;
    }
    bool ok = true;
    unsigned i = 0;
    for (; i < 300 && ok; i++)
        ok = one_case(e, sink, i, from_case);
    size_t early = bytes(e);
    for (; i < 3000 && ok; i++)
        ok = one_case(e, sink, i, from_case);
    size_t late = bytes(e);
    CHECK(ok);
    /* 2,700 cases with six new values each kept ~650 KB more */
    if (late > early + 1024)
        UNIT_FAIL("the engine grew from %zu to %zu bytes over 2,700 cases", early, late);
    /* the last case's values are all there */
    CHECK_EQ_INT(t_query(e, "sign(name: typed_2999)", (sn_fact *[1]){0}, 1, NULL), 1);
    CHECK_EQ_INT(t_query(e, "note(text: \"seen slot_2999\")", (sn_fact *[1]){0}, 1, NULL), 1);
    fclose(sink);
    sn_free(e);
}

TEST(reset_forgets_a_cases_values) { flat_over_cases(false); }
TEST(case_start_forgets_a_cases_values) { flat_over_cases(true); }

/* A value a fact brought in, then compiled into a rule by a later load,
 * is the rule's now: a reset does not take it away from the rule. */
TEST(a_load_keeps_what_it_compiled)
{
    sn_engine *e = t_load(kb);
    CHECK(t_assert(e, "sign(name: first_seen_in_a_fact)", NULL) != NULL);
    const char more[] = "rule known when sign(name: first_seen_in_a_fact) then\n"
                        "    assert note(text: \"known\")\nend\n";
    sn_report r = {0};
    CHECK(t_ok(sn_load_string(e, "more.sinew", more, strlen(more), &r)));
    sn_report_free(&r);
    for (unsigned k = 0; k < 3; k++) {
        CHECK(t_ok(sn_reset(e)));
        CHECK(t_assert(e, "sign(name: other)", NULL) != NULL);
        CHECK(t_assert(e, "sign(name: first_seen_in_a_fact)", NULL) != NULL);
        CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
        CHECK_EQ_INT(t_query(e, "note(text: \"known\")", (sn_fact *[1]){0}, 1, NULL), 1);
    }
    sn_free(e);
}

/* A case of the knowledge base runs the same after many others. */
TEST(cases_still_pass)
{
    sn_engine *e = t_load(kb);
    FILE *sink = fopen("/dev/null", "w");
    for (unsigned i = 0; sink && i < 50; i++)
        one_case(e, sink, i, i % 2);
    sn_case_result res;
    CHECK(t_ok(sn_case_run(e, 0, &res)));
    CHECK(res.passed);
    free(res.detail);
    if (sink)
        fclose(sink);
    sn_free(e);
}

int main(void)
{
    RUN(reset_forgets_a_cases_values);
    RUN(case_start_forgets_a_cases_values);
    RUN(a_load_keeps_what_it_compiled);
    RUN(cases_still_pass);
    return UNIT_END();
}
