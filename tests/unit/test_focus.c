/* test_focus.c — modules and the focus stack through the public API: the
 * order a run takes the modules in, popping a module whose agenda is
 * empty, the focus action, reset and halt, salience inside a module,
 * truth maintenance across modules, the stack's limit.
 */
#include <stdlib.h>
#include <string.h>

#include "../../engine/sinew.h"
#include "calls.h"
#include "unit.h"

/* Run (LIMIT firings, < 0: to the end), capturing what `print` writes, one
 * line a firing. Caller frees. */
static char *run(sn_engine *e, long limit, sn_stop *why)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    sn_set_output(e, m);
    sn_stop s = t_run(e, limit, NULL);
    if (why)
        *why = s;
    fclose(m);
    sn_set_output(e, NULL);
    return buf;
}

/* The focus stack, top first, as "a b main" ("" when empty). */
static const char *stack(sn_engine *e)
{
    static char buf[256];
    const char *names[16];
    unsigned n = sn_focus_stack(e, names, 16);
    buf[0] = '\0';
    for (unsigned i = 0; i < n && i < 16; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, names[i]);
    }
    return buf;
}

/* Three modules and main, one rule each on the same fact; the starting
 * focus is b, then a (c is left out: only a `focus` runs it). */
#define THREE                                                                                      \
    "template n { v: int }\n"                                                                      \
    "module a\nmodule b\nmodule c\n"                                                               \
    "focus b, a\n"                                                                                 \
    "rule in_main when n(v: ?x) then print \"main \", ?x end\n"                                    \
    "rule in_a module a when n(v: ?x) then print \"a \", ?x end\n"                                 \
    "rule in_b module b when n(v: ?x) then print \"b \", ?x end\n"                                 \
    "rule in_c module c when n(v: ?x) then print \"c \", ?x end\n"                                 \
    "facts { n(v: 1) }\n"

TEST(run_takes_the_starting_focus_then_main)
{
    sn_engine *e = t_load(THREE);
    CHECK_STR(stack(e), "");
    char *out = run(e, -1, NULL);
    CHECK_STR(out, "b 1\na 1\nmain 1\n");
    free(out);
    CHECK_STR(stack(e), "");
    /* c's activation waits: it is still on the agenda */
    unsigned n = 0;
    for (sn_activation *a = sn_agenda_next(e, NULL); a; a = sn_agenda_next(e, a)) {
        CHECK_STR(sn_module_name(e, sn_rule_module(sn_activation_rule(a))), "c");
        n++;
    }
    CHECK_EQ_INT(n, 1);
    sn_free(e);
}

TEST(focus_pushes_on_the_stack_first_named_on_top)
{
    sn_engine *e = t_load(THREE);
    CHECK(t_ok(sn_focus(e, "a")));
    CHECK(t_ok(sn_focus(e, "c")));
    CHECK(!t_ok(sn_focus(e, "nope")));
    /* filled as a run fills it (b, a, main), then a, then c on top */
    CHECK_STR(stack(e), "c a b a main");
    char *out = run(e, -1, NULL);
    CHECK_STR(out, "c 1\na 1\nb 1\nmain 1\n");
    free(out);
    sn_free(e);
}

TEST(a_module_with_an_empty_agenda_is_popped)
{
    sn_engine *e = t_load(THREE);
    char *out = run(e, 1, NULL);
    CHECK_STR(out, "b 1\n");
    free(out);
    /* b's agenda is empty now, but it is popped only when the run looks */
    CHECK_STR(stack(e), "b a main");
    out = run(e, 1, NULL);
    CHECK_STR(out, "a 1\n");
    free(out);
    CHECK_STR(stack(e), "a main");
    /* the agenda lists what is left in the order the run takes it */
    sn_activation *first = sn_agenda_next(e, NULL);
    CHECK(first && strcmp(sn_rule_name(sn_activation_rule(first)), "in_main") == 0);
    out = run(e, -1, NULL);
    CHECK_STR(out, "main 1\n");
    free(out);
    CHECK_STR(stack(e), "");
    sn_free(e);
}

TEST(focus_action_runs_the_module_then_comes_back)
{
    sn_engine *e = t_load("template n { v: int }\n"
                        "module a\nmodule b\n"
                        "rule first salience 10 when n(v: 1) then print \"main first\" "
                        "focus a, b end\n"
                        "rule second when n(v: 1) then print \"main second\" end\n"
                        "rule in_a module a when n(v: ?x) then print \"a\" end\n"
                        "rule in_b module b when n(v: ?x) then print \"b\" end\n"
                        "facts { n(v: 1) }\n");
    char *out = run(e, -1, NULL);
    CHECK_STR(out, "main first\na\nb\nmain second\n");
    free(out);
    sn_free(e);
}

TEST(focus_of_the_module_on_top_pushes_nothing)
{
    sn_engine *e = t_load("template n { v: int }\n"
                        "module a\nfocus a\n"
                        "rule in_a module a when n(v: ?x) then focus a print ?x end\n"
                        "facts { n(v: 1) n(v: 2) }\n");
    char *out = run(e, 1, NULL);
    CHECK_STR(out, "2\n");
    free(out);
    CHECK_STR(stack(e), "a main");
    sn_free(e);
}

TEST(salience_orders_inside_a_module_only)
{
    sn_engine *e = t_load("template n { v: int }\n"
                        "module a\nfocus a\n"
                        "rule main_high salience 100 when n(v: ?x) then print \"main 100\" end\n"
                        "rule a_low salience -5 module a when n(v: ?x) then print \"a -5\" end\n"
                        "rule a_high salience 5 module a when n(v: ?x) then print \"a 5\" end\n"
                        "rule a_zero module a when n(v: ?x) then print \"a 0\" end\n"
                        "facts { n(v: 1) }\n");
    char *out = run(e, -1, NULL);
    CHECK_STR(out, "a 5\na 0\na -5\nmain 100\n");
    free(out);
    sn_free(e);
}

TEST(reset_empties_the_stack_and_halt_keeps_it)
{
    sn_engine *e = t_load("template n { v: int }\n"
                        "module a\nmodule b\nfocus a, b\n"
                        "rule stop module a when n(v: ?x) then print \"a \", ?x halt end\n"
                        "rule in_b module b when n(v: ?x) then print \"b \", ?x end\n"
                        "facts { n(v: 1) n(v: 2) }\n");
    sn_stop why;
    char *out = run(e, -1, &why);
    CHECK_STR(out, "a 2\n");
    free(out);
    CHECK_EQ_INT(why, SN_STOP_HALT);
    CHECK_STR(stack(e), "a b main");
    /* the next run goes on from where halt stopped */
    out = run(e, -1, &why);
    CHECK_STR(out, "a 1\n");
    free(out);
    sn_reset(e);
    CHECK_STR(stack(e), "");
    out = run(e, -1, &why);
    CHECK_STR(out, "a 2\n");
    free(out);
    sn_free(e);
}

TEST(truth_maintenance_does_not_wait_for_the_focus)
{
    sn_engine *e = t_load("template f { v: int }\ntemplate flag { v: int }\n"
                        "module screening\nmodule advice\nfocus screening, advice\n"
                        "rule flag_it module screening when f(v: ?x) then conclude flag(v: ?x) end\n"
                        "rule advise module advice when flag(v: ?x) then print \"advice \", ?x end\n"
                        "facts { f(v: 1) }\n");
    char *out = run(e, -1, NULL);
    CHECK_STR(out, "advice 1\n");
    free(out);
    sn_fact *fs[2];
    CHECK_EQ_INT(t_query(e, "flag(v: 1)", fs, 2, NULL), 1);
    /* retracting the finding withdraws the conclusion at once, with no
     * module in focus and no run */
    CHECK_EQ_INT(t_query(e, "f(v: 1)", fs, 2, NULL), 1);
    CHECK(t_ok(sn_retract(e, fs[0])));
    CHECK_EQ_INT(t_query(e, "flag(v: 1)", fs, 2, NULL), 0);
    /* an advice activation made while screening had the focus goes with
     * its match too */
    CHECK(t_assert(e, "f(v: 2)", NULL) != NULL);
    out = run(e, 1, NULL);
    CHECK_STR(out, "");
    free(out);
    CHECK_STR(stack(e), "screening advice main");
    CHECK(sn_agenda_next(e, NULL) != NULL);
    CHECK_EQ_INT(t_query(e, "f(v: 2)", fs, 2, NULL), 1);
    CHECK(t_ok(sn_retract(e, fs[0])));
    CHECK(sn_agenda_next(e, NULL) == NULL);
    sn_free(e);
}

TEST(the_stack_has_a_limit)
{
    /* each firing focuses the other module: the stack grows by one a firing */
    sn_engine *e = t_load("template count { n: int }\n"
                        "module a\nmodule b\nfocus a\n"
                        "rule ping module a when ?c <- count(n: ?n) then modify ?c (n: ?n + 1) "
                        "focus b end\n"
                        "rule pong module b when ?c <- count(n: ?n) then modify ?c (n: ?n + 1) "
                        "focus a end\n"
                        "facts { count(n: 0) }\n");
    sn_stop why;
    char *out = run(e, -1, &why);
    free(out);
    CHECK_EQ_INT(why, SN_STOP_ERROR);
    CHECK(strstr(sn_errmsg(e), "focus stack") != NULL);
    sn_free(e);
}

TEST(without_modules_everything_is_main)
{
    sn_engine *e = t_load("template n { v: int }\n"
                        "rule low salience -1 when n(v: ?x) then print \"low\" end\n"
                        "rule high salience 1 when n(v: ?x) then print \"high\" end\n"
                        "facts { n(v: 1) }\n");
    CHECK_STR(sn_module_name(e, 0), "main");
    CHECK(sn_module_name(e, 1) == NULL);
    char *out = run(e, -1, NULL);
    CHECK_STR(out, "high\nlow\n");
    free(out);
    CHECK(t_ok(sn_focus(e, "main")));
    CHECK_STR(stack(e), "main");
    sn_free(e);
}

TEST(modules_of_a_later_load_number_on)
{
    sn_engine *e = t_load("template n { v: int }\nmodule a\n");
    sn_report r = {0};
    const char *more = "module b\nrule in_b module b when n(v: ?x) then print \"b\" end\n";
    CHECK(t_ok(sn_load_string(e, "more.sinew", more, strlen(more), &r)));
    sn_report_free(&r);
    CHECK_STR(sn_module_name(e, 2), "b");
    const char *dup = "module a\n";
    CHECK(!t_ok(sn_load_string(e, "dup.sinew", dup, strlen(dup), &r)));
    CHECK(r.text && strstr(r.text, "E180"));
    sn_report_free(&r);
    /* the failed load left the modules as they were */
    CHECK(sn_module_name(e, 3) == NULL);
    const char *c = "module c\nfocus c\n";
    CHECK(t_ok(sn_load_string(e, "c.sinew", c, strlen(c), &r)));
    sn_report_free(&r);
    CHECK_STR(sn_module_name(e, 3), "c");
    const char *again = "focus a\n";
    CHECK(!t_ok(sn_load_string(e, "again.sinew", again, strlen(again), &r)));
    CHECK(r.text && strstr(r.text, "E182"));
    sn_report_free(&r);
    sn_free(e);
}

/* The module main of an engine that has loaded nothing since it was made
 * or cleared: a reset (which forgets the names working memory brought in)
 * keeps it. Under the sanitizers a use of the freed name is an error. */
TEST(main_outlives_a_reset_after_a_clear)
{
    sn_engine *e = t_load("module a\n");
    CHECK(t_ok(sn_clear(e)));
    CHECK(t_ok(sn_reset(e)));
    CHECK_STR(sn_module_name(e, 0), "main");
    CHECK(t_ok(sn_focus(e, "main")));
    CHECK_STR(stack(e), "main");
    sn_free(e);
    e = sn_new();
    CHECK(e && t_ok(sn_reset(e)));
    CHECK(e && strcmp(sn_module_name(e, 0), "main") == 0);
    sn_free(e);
}

int main(void)
{
    RUN(run_takes_the_starting_focus_then_main);
    RUN(focus_pushes_on_the_stack_first_named_on_top);
    RUN(a_module_with_an_empty_agenda_is_popped);
    RUN(focus_action_runs_the_module_then_comes_back);
    RUN(focus_of_the_module_on_top_pushes_nothing);
    RUN(salience_orders_inside_a_module_only);
    RUN(reset_empties_the_stack_and_halt_keeps_it);
    RUN(truth_maintenance_does_not_wait_for_the_focus);
    RUN(the_stack_has_a_limit);
    RUN(without_modules_everything_is_main);
    RUN(modules_of_a_later_load_number_on);
    RUN(main_outlives_a_reset_after_a_clear);
    return UNIT_END();
}
