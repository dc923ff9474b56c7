/* test_func.c — functions of the language (`function NAME(?a) = EXPR`):
 * calls across loads, loads that fail, the embedder's names, errors at
 * run time, and tests that must not be shared between functions. */
#include <stdlib.h>
#include <string.h>

#include "../../engine/sinew.h"
#include "calls.h"
#include "unit.h"

static bool add(sn_engine *e, const char *text)
{
    sn_report r = {0};
    bool ok = t_ok(sn_load_string(e, "more.sinew", text, strlen(text), &r));
    sn_report_free(&r);
    return ok;
}

/* Load TEXT, which must fail; true when the report says WANT. */
static bool refused(sn_engine *e, const char *text, const char *want)
{
    sn_report r = {0};
    bool ok = t_ok(sn_load_string(e, "bad.sinew", text, strlen(text), &r));
    bool said = r.text && strstr(r.text, want) != NULL;
    if (!said)
        printf("report: %s\n", r.text ? r.text : "(none)");
    sn_report_free(&r);
    return !ok && said;
}

static long count(sn_engine *e, const char *pattern)
{
    sn_fact *f[1];
    return t_query(e, pattern, f, 1, NULL);
}

static bool shout(void *ctx, const sn_value *a, unsigned n, sn_value *r, char *err, size_t size)
{
    (void)ctx, (void)a, (void)n, (void)err, (void)size;
    *r = (sn_value){.text = "loud"};
    return true;
}

TEST(functions_are_called_from_later_loads)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "function sq(?x) = ?x * ?x\n"
                 "template n { v: int }\ntemplate out { v: int }\n"));
    CHECK(add(e, "function sum_sq(?a, ?b) = sq(?a) + sq(?b)\n"
                 "rule r when n(v: ?x) test sq(?x) > 10 then assert out(v: sum_sq(?x, 1)) end\n"));
    t_assert(e, "n(v: 2)", NULL);
    t_assert(e, "n(v: 4)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    CHECK_EQ_INT(count(e, "out(v: 17)"), 1);
    CHECK_EQ_INT(count(e, "out()"), 1);
    sn_free(e);
}

TEST(a_failed_load_forgets_its_functions)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "template n { v: int }\ntemplate out { v: int }\n"));
    /* f is defined, but the load fails: f is forgotten */
    CHECK(refused(e, "function f(?x) = ?x + 100\nrule bad when n(v: ?x) then assert nope() end\n",
                  "E101"));
    CHECK(refused(e, "rule uses_f when n(v: ?x) then assert out(v: f(?x)) end\n",
                  "unknown function 'f'"));
    /* numbering goes on from what was kept: g is the first function */
    CHECK(add(e, "function f(?x) = ?x + 1\nfunction g(?x) = f(?x) * 10\n"
                 "rule r when n(v: ?x) then assert out(v: g(?x)) end\n"));
    t_assert(e, "n(v: 4)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    CHECK_EQ_INT(count(e, "out(v: 50)"), 1);
    /* a second definition in a later load is a duplicate */
    CHECK(refused(e, "function g(?y) = ?y\n", "function 'g' is defined twice"));
    sn_free(e);
}

TEST(names_the_embedder_defines)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(t_ok(sn_define_function(e, "shout", 0, 0, shout, NULL)));
    CHECK(refused(e, "function shout() = 1\n", "error[E150]"));
    CHECK(add(e, "function whisper(?x) = lower(?x)\n"));
    /* the embedder cannot take a name the language already has */
    CHECK(!t_ok(sn_define_function(e, "whisper", 1, 1, shout, NULL)));
    /* clearing the engine forgets the program's functions, not the embedder's */
    sn_clear(e);
    CHECK(refused(e, "function shout(?x) = ?x\n", "error[E150]"));
    CHECK(add(e, "function whisper(?x, ?y) = concat(?x, ?y)\n"));
    sn_free(e);
}

TEST(errors_in_a_body_stop_the_run)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "function per(?a, ?b) = ?a / ?b\n"
                 "template n { a: int, b: int }\ntemplate out { v: int }\n"
                 "rule r when n(a: ?a, b: ?b) then assert out(v: per(?a, ?b)) end\n"));
    t_assert(e, "n(a: 6, b: 3)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    CHECK_EQ_INT(count(e, "out(v: 2)"), 1);
    t_assert(e, "n(a: 6, b: 0)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_ERROR);
    CHECK(strstr(sn_errmsg(e), "division by zero") != NULL);
    sn_free(e);
}

TEST(tests_of_different_functions_are_not_shared)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "function big(?x) = ?x > 10\nfunction small(?x) = ?x < 3\n"
                 "template n { v: int }\ntemplate big_one { v: int }\ntemplate small_one { v: int }\n"
                 "rule a when n(v: ?x & big(?x)) then assert big_one(v: ?x) end\n"
                 "rule b when n(v: ?x & small(?x)) then assert small_one(v: ?x) end\n"));
    t_assert(e, "n(v: 1)", NULL);
    t_assert(e, "n(v: 5)", NULL);
    t_assert(e, "n(v: 20)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    CHECK_EQ_INT(count(e, "big_one()"), 1);
    CHECK_EQ_INT(count(e, "big_one(v: 20)"), 1);
    CHECK_EQ_INT(count(e, "small_one()"), 1);
    CHECK_EQ_INT(count(e, "small_one(v: 1)"), 1);
    sn_free(e);
}

TEST(many_arguments)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "function s10(?a, ?b, ?c, ?d, ?e, ?f, ?g, ?h, ?i, ?j) = "
                 "?a + ?b + ?c + ?d + ?e + ?f + ?g + ?h + ?i + ?j * 100\n"
                 "template n { v: int }\ntemplate out { v: int }\n"
                 "rule r when n(v: ?x) then assert out(v: s10(?x, 1, 1, 1, 1, 1, 1, 1, 1, ?x)) end\n"));
    t_assert(e, "n(v: 2)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    CHECK_EQ_INT(count(e, "out(v: 210)"), 1);
    sn_free(e);
}

int main(void)
{
    RUN(functions_are_called_from_later_loads);
    RUN(a_failed_load_forgets_its_functions);
    RUN(names_the_embedder_defines);
    RUN(errors_in_a_body_stop_the_run);
    RUN(tests_of_different_functions_are_not_shared);
    RUN(many_arguments);
    return UNIT_END();
}
