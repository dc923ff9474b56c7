/* test_query.c — queries (`query NAME(?a) when ... end`) through the API:
 * rows kept up to date under assert, retract, modify and truth
 * maintenance; parameters; alternatives; errors. */
#include <stdlib.h>
#include <string.h>

#include "../../engine/sinew.h"
#include "calls.h"
#include "unit.h"

static bool add(sn_engine *e, const char *text)
{
    sn_report r = {0};
    bool ok = t_ok(sn_load_string(e, "more.sinew", text, strlen(text), &r));
    if (!ok)
        printf("report: %s\n", r.text ? r.text : "(none)");
    sn_report_free(&r);
    return ok;
}

/* The rows of query NAME with one symbol argument ARG (NULL: none), as
 * "a b; c d; " (cells by spaces, rows by "; "), in BUF. */
static const char *rows_of(sn_engine *e, const char *name, const char *arg, char *buf, size_t size)
{
    sn_value v = {.text = arg};
    sn_rows r;
    char err[128];
    buf[0] = '\0';
    if (!t_ok(sn_query_run(e, name, &v, arg ? 1 : 0, &r, err, sizeof err))) {
        snprintf(buf, size, "error: %s", err);
        return buf;
    }
    size_t at = 0;
    for (unsigned i = 0; i < r.nrows; i++)
        for (unsigned k = 0; k < r.ncols; k++)
            at += (size_t)snprintf(buf + at, at < size ? size - at : 0, "%s%s",
                                   r.cells[i * r.ncols + k].text, k + 1 < r.ncols ? " " : "; ");
    sn_rows_free(&r);
    return buf;
}

static const char *kb =
    "template person { name: symbol, city: symbol, age: int }\n"
    "template adult { name: symbol }\n"
    "rule adult when person(name: ?n, age: >= 18) then conclude adult(name: ?n) end\n"
    "query in_city(?c) when person(name: ?n, city: ?c) end\n"
    "query adults() when adult(name: ?n) end\n"
    "query either() when person(name: ?n, city: oslo) or adult(name: ?n) end\n";

TEST(rows_follow_working_memory)
{
    char buf[256];
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, kb));
    sn_fact *ann = t_assert(e, "person(name: ann, city: oslo, age: 40)", NULL);
    t_assert(e, "person(name: bob, city: rome, age: 12)", NULL);
    CHECK(strcmp(rows_of(e, "in_city", "rome", buf, sizeof buf), "bob rome; ") == 0);
    CHECK(strcmp(rows_of(e, "in_city", "paris", buf, sizeof buf), "") == 0);
    /* a query fires nothing: the agenda holds the rule's activation only */
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    CHECK(strcmp(rows_of(e, "adults", NULL, buf, sizeof buf), "ann; ") == 0);
    /* retract: the rows go, and what was concluded from the fact too */
    CHECK(ann && t_ok(sn_retract(e, ann)));
    CHECK(strcmp(rows_of(e, "in_city", "oslo", buf, sizeof buf), "") == 0);
    CHECK(strcmp(rows_of(e, "adults", NULL, buf, sizeof buf), "") == 0);
    sn_free(e);
}

TEST(columns_and_alternatives)
{
    char buf[256];
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, kb));
    t_assert(e, "person(name: cy, city: oslo, age: 10)", NULL);
    t_assert(e, "person(name: dee, city: rome, age: 30)", NULL);
    CHECK(t_run(e, -1, NULL) == SN_STOP_EMPTY);
    sn_rows r;
    char err[128];
    sn_value v = {.text = "oslo"};
    CHECK(t_ok(sn_query_run(e, "in_city", &v, 1, &r, err, sizeof err)));
    CHECK_EQ_INT(r.ncols, 2);
    CHECK(r.ncols == 2 && strcmp(r.cols[0], "n") == 0 && strcmp(r.cols[1], "c") == 0);
    sn_rows_free(&r);
    /* each alternative gives its rows: cy by the city, dee as an adult */
    CHECK(strcmp(rows_of(e, "either", NULL, buf, sizeof buf), "cy; dee; ") == 0);
    sn_free(e);
}

TEST(numbers_and_strings_as_arguments)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "template t { n: int, x: float, s: string }\n"
                 "query by_n(?n) when t(n: ?n, x: ?x, s: ?s) end\n"
                 "query by_s(?s) when t(n: ?n, s: ?s) end\n"));
    t_assert(e, "t(n: 3, x: 1.5, s: \"three\")", NULL);
    t_assert(e, "t(n: 4, x: 2.0, s: \"four\")", NULL);
    sn_rows r;
    char err[128];
    sn_value three = {.is_number = true, .number = 3};
    CHECK(t_ok(sn_query_run(e, "by_n", &three, 1, &r, err, sizeof err)));
    CHECK_EQ_INT(r.nrows, 1);
    if (r.nrows == 1) {
        CHECK(r.cells[1].is_number && r.cells[1].number == 1.5 && strcmp(r.cells[1].text, "1.5") == 0);
        CHECK(r.cells[2].is_string && strcmp(r.cells[2].text, "three") == 0);
    }
    sn_rows_free(&r);
    /* a string argument matches the string, not the symbol of that name */
    sn_value four = {.text = "four", .is_string = true}, sym = {.text = "four"};
    CHECK(t_ok(sn_query_run(e, "by_s", &four, 1, &r, err, sizeof err)) && r.nrows == 1);
    sn_rows_free(&r);
    CHECK(t_ok(sn_query_run(e, "by_s", &sym, 1, &r, err, sizeof err)) && r.nrows == 0);
    sn_rows_free(&r);
    sn_free(e);
}

TEST(inputs_are_read_by_tests)
{
    char buf[256];
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "template person { name: symbol, age: int }\n"
                 "function per(?a, ?b) = ?a / ?b\n"
                 "query older(?limit) when person(name: ?n, age: ?a) test ?a > ?limit end\n"
                 "query ratio(?d) when person(name: ?n, age: ?a) test per(?a, ?d) > 2 end\n"));
    t_assert(e, "person(name: ann, age: 40)", NULL);
    t_assert(e, "person(name: bob, age: 25)", NULL);
    sn_value v = {.is_number = true, .number = 30};
    sn_rows r;
    char err[128];
    CHECK(t_ok(sn_query_run(e, "older", &v, 1, &r, err, sizeof err)) && r.nrows == 1 &&
          strcmp(r.cells[0].text, "ann") == 0);
    sn_rows_free(&r);
    v.number = 10;
    CHECK(t_ok(sn_query_run(e, "older", &v, 1, &r, err, sizeof err)) && r.nrows == 2);
    sn_rows_free(&r);
    /* the same query, another value: nothing of the last call is kept */
    v.number = 50;
    CHECK(t_ok(sn_query_run(e, "older", &v, 1, &r, err, sizeof err)) && r.nrows == 0);
    sn_rows_free(&r);
    v.number = 10;
    CHECK(strcmp(rows_of(e, "ratio", NULL, buf, sizeof buf), "error: query 'ratio' takes 1 argument, found 0") == 0);
    CHECK(t_ok(sn_query_run(e, "ratio", &v, 1, &r, err, sizeof err)) && r.nrows == 1);
    sn_rows_free(&r);
    /* a runtime error in a test fails the call with its reason */
    v.number = 0;
    CHECK(!t_ok(sn_query_run(e, "ratio", &v, 1, &r, err, sizeof err)));
    CHECK(strstr(err, "query 'ratio'") && strstr(err, "division by zero"));
    sn_free(e);
}

TEST(errors_and_listing)
{
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, kb));
    sn_rows r;
    char err[128];
    CHECK(!t_ok(sn_query_run(e, "nope", NULL, 0, &r, err, sizeof err)));
    CHECK(strstr(err, "no query named 'nope'") != NULL);
    CHECK(!t_ok(sn_query_run(e, "in_city", NULL, 0, &r, err, sizeof err)));
    CHECK(strstr(err, "takes 1 argument, found 0") != NULL);
    unsigned np = 9;
    CHECK(sn_query_at(e, 0, &np) && strcmp(sn_query_at(e, 0, NULL), "in_city") == 0 && np == 1);
    CHECK(sn_query_at(e, 3, NULL) == NULL);
    CHECK(sn_query_param(e, "in_city", 0) && strcmp(sn_query_param(e, "in_city", 0), "c") == 0);
    /* a query is not a rule */
    CHECK(sn_rule_find(e, "in_city") == NULL);
    /* parameters must be bound by a pattern; names are unique */
    sn_report rep = {0};
    const char *bad = "query local(?x) when not person(name: ?x) end\n"
                      "query in_city(?c) when person(city: ?c) end\n";
    CHECK(!t_ok(sn_load_string(e, "bad.sinew", bad, strlen(bad), &rep)));
    CHECK(rep.text && strstr(rep.text, "error[E159]") && strstr(rep.text, "query 'in_city' is defined twice"));
    sn_report_free(&rep);
    sn_free(e);
}

/* Integers written into rows as the language writes them, the extremes
 * included (value_format writes them without printf). */
TEST(integers_in_rows)
{
    char buf[512];
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, "template n { v: int }\n"
                 "rule least when n(v: -9223372036854775807) then assert n(v: -9223372036854775807 - 1) end\n"
                 "query ns() when n(v: ?v) end\n"));
    const char *facts[] = {"n(v: 0)", "n(v: -42)", "n(v: 7)", "n(v: 9223372036854775807)",
                           "n(v: -9223372036854775807)"};
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
        t_assert(e, facts[i], NULL);
    t_run(e, 100, NULL);
    rows_of(e, "ns", NULL, buf, sizeof buf);
    const char *want[] = {"0; ", "-42; ", "7; ", "9223372036854775807; ", "-9223372036854775807; ",
                          "-9223372036854775808; "};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        /* each cell whole: preceded by the start or the last row's "; " */
        bool found = strncmp(buf, want[i], strlen(want[i])) == 0;
        for (const char *p = buf; !found && (p = strstr(p, want[i])); p++)
            found = p >= buf + 2 && p[-2] == ';' && p[-1] == ' ';
        CHECK(found);
    }
    sn_free(e);
}

/* What sn_query_each hands over, as rows_of writes it, and how often it
 * was called. */
typedef struct seen {
    char buf[512];
    size_t at;
    unsigned calls, columns, stop_after;
} seen;

static bool see_row(void *ctx, const sn_rows *row)
{
    seen *s = ctx;
    s->calls++;
    if (row->nrows == 0) {
        s->columns = row->ncols;
        return true;
    }
    for (unsigned k = 0; k < row->ncols; k++)
        s->at += (size_t)snprintf(s->buf + s->at, s->at < sizeof s->buf ? sizeof s->buf - s->at : 0,
                                  "%s%s", row->cells[k].text, k + 1 < row->ncols ? " " : "; ");
    return s->stop_after == 0 || s->calls < s->stop_after;
}

/* The rows one at a time: the same rows in the same order as
 * sn_query_run's, the columns first (also with no rows), a stop when the
 * caller says so, and errors before any row. */
TEST(rows_one_at_a_time)
{
    char buf[512];
    sn_engine *e = sn_new();
    sn_set_output(e, NULL);
    CHECK(add(e, kb));
    const char *people[] = {"person(name: cy, city: oslo, age: 30)",
                            "person(name: ann, city: oslo, age: 40)",
                            "person(name: bob, city: rome, age: 12)",
                            "person(name: di, city: oslo, age: 8)"};
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        t_assert(e, people[i], NULL);
    t_run(e, 100, NULL);
    char err[128];
    const char *names[] = {"either", "adults"};
    for (size_t i = 0; i < 2; i++) {
        seen s = {0};
        CHECK(t_ok(sn_query_each(e, names[i], NULL, 0, see_row, &s, err, sizeof err)));
        rows_of(e, names[i], NULL, buf, sizeof buf);
        CHECK_STR(s.buf, buf);
        CHECK(s.columns == 1 && s.buf[0] != '\0');
    }
    /* no rows: the columns alone */
    seen none = {0};
    sn_value paris = {.text = "paris"};
    CHECK(t_ok(sn_query_each(e, "in_city", &paris, 1, see_row, &none, err, sizeof err)));
    CHECK(none.calls == 1 && none.columns == 2 && none.buf[0] == '\0');
    /* stopped after the columns and one row */
    seen one = {.stop_after = 2};
    sn_value oslo = {.text = "oslo"};
    CHECK(t_ok(sn_query_each(e, "in_city", &oslo, 1, see_row, &one, err, sizeof err)));
    CHECK(one.calls == 2);
    CHECK_STR(one.buf, "cy oslo; ");
    /* errors: nothing handed over */
    seen bad = {0};
    CHECK(sn_query_each(e, "nope", NULL, 0, see_row, &bad, err, sizeof err) == SN_ERR_INPUT);
    CHECK(bad.calls == 0 && strstr(err, "no query named 'nope'") != NULL);
    CHECK(sn_query_each(e, "in_city", NULL, 0, see_row, &bad, err, sizeof err) == SN_ERR_INPUT);
    CHECK(bad.calls == 0);
    sn_free(e);
}

int main(void)
{
    RUN(rows_follow_working_memory);
    RUN(columns_and_alternatives);
    RUN(numbers_and_strings_as_arguments);
    RUN(inputs_are_read_by_tests);
    RUN(errors_and_listing);
    RUN(integers_in_rows);
    RUN(rows_one_at_a_time);
    return UNIT_END();
}
