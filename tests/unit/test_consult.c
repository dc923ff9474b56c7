/* test_consult.c — the question chooser on the shipped knowledge base.
 *
 * For every case of rules/, a consultation is played with the case's
 * findings as the answers ("unknown" for a finding the case does not
 * give). It must
 *  - reach the report of running the case with all its findings: the same
 *    red flags, the same top diagnoses in the same order (the top one, or
 *    the top three when the consultation is set to settle three);
 *  - ask no question whose answer cannot change the report: for each
 *    question, some allowed answer (one value, or two where it takes
 *    several), alone or with an answer to one other open question, tried
 *    in a second engine, changes a red flag or those top diagnoses;
 *  - never ask a question twice.
 * And sn_assert_slot, sn_ask_set, sn_ask_clear keep their contracts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/sinew.h"
#include "calls.h"
#include "unit.h"

static sn_engine *kb(void)
{
    sn_engine *e = sn_new();
    const char *paths[] = {"rules"};
    sn_report r = {0};
    if (!t_ok(sn_load_files(e, paths, 1, &r)))
        printf("load failed:\n%s", r.text);
    sn_report_free(&r);
    sn_set_output(e, NULL);
    return e;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The answers of a case: per ask, its values (none: unknown). */
typedef struct answers {
    const sn_ask *ask[128];
    const char *val[128][24];
    unsigned nval[128];
    unsigned n;
} answers;

static void case_answers(sn_engine *e, unsigned i, answers *a)
{
    memset(a, 0, sizeof *a);
    sn_case_start(e, i);
    static char pool[128 * 24][64];
    unsigned np = 0;
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        if (sn_fact_origin(f) != SN_ORIGIN_CASE)
            continue;
        const sn_ask *k = sn_ask_find(e, sn_fact_template(f));
        if (!k)
            continue;
        unsigned j = 0;
        while (j < a->n && a->ask[j] != k)
            j++;
        if (j == a->n)
            a->ask[a->n++] = k;
        unsigned slot = 0;
        while (strcmp(sn_ask_slot(k), sn_template_slot(sn_template_find(e, sn_fact_template(f)), slot)) != 0)
            slot++;
        if (a->nval[j] < 24 && np < 128 * 24)
            a->val[j][a->nval[j]++] = sn_fact_value(f, slot, pool[np++], 64);
    }
}

static int find_answers(const answers *a, const sn_ask *k)
{
    for (unsigned j = 0; j < a->n; j++)
        if (strcmp(sn_ask_template(a->ask[j]), sn_ask_template(k)) == 0)
            return (int)j;
    return -1;
}

/* A grouped question: the items the case gives (with the item's answer,
 * or any answer but no or none), none, or unknown when the case gives
 * none of its findings. */
static void give_group(sn_engine *e, const answers *a, const sn_ask *k)
{
    const char *ticked[64];
    unsigned n = 0;
    bool any = false;
    for (unsigned i = 0; i < sn_ask_nitems(k) && n < 64; i++) {
        int j = find_answers(a, sn_ask_item(k, i));
        if (j < 0)
            continue;
        any = true;
        const char *want = sn_ask_item_answer(k, i);
        bool yes = false;
        for (unsigned v = 0; v < a->nval[j]; v++)
            yes |= want ? strcmp(a->val[j][v], want) == 0
                        : strcmp(a->val[j][v], "no") != 0 && strcmp(a->val[j][v], "none") != 0;
        if (yes)
            ticked[n++] = sn_ask_answer(k, i);
    }
    char err[200];
    const char *none[] = {"none"};
    if (!any)
        sn_ask_set_unknown(e, k);
    else if (!t_ok(sn_ask_set(e, k, n ? ticked : none, n ? n : 1, err, sizeof err)))
        printf("answer refused: %s\n", err);
}

/* Set ASK's answer in E: the case's values, or unknown. */
static void give(sn_engine *e, const answers *a, const sn_ask *k)
{
    k = sn_ask_find(e, sn_ask_template(k));
    if (sn_ask_nitems(k)) {
        give_group(e, a, k);
        return;
    }
    for (unsigned j = 0; j < a->n; j++)
        if (strcmp(sn_ask_template(a->ask[j]), sn_ask_template(k)) == 0) {
            char err[200];
            if (!t_ok(sn_ask_set(e, sn_ask_find(e, sn_ask_template(k)), a->val[j], a->nval[j], err, sizeof err)))
                printf("answer refused: %s\n", err);
            return;
        }
    sn_ask_set_unknown(e, sn_ask_find(e, sn_ask_template(k)));
}

/* What the report is judged by: the red flags (sorted) and the
 * diagnoses at or above the threshold, most certain first (ties by
 * text), one per line: "flag ..." lines, then "dx ..." lines. TOP limits
 * the diagnoses. */
static int by_rank(const void *a, const void *b)
{
    sn_fact *x = *(sn_fact *const *)a, *y = *(sn_fact *const *)b;
    if (fabs(sn_fact_cf(x) - sn_fact_cf(y)) > 1e-9)
        return sn_fact_cf(x) < sn_fact_cf(y) ? 1 : -1;
    char bx[200], by[200];
    sn_fact_format(x, bx, sizeof bx);
    sn_fact_format(y, by, sizeof by);
    return strcmp(bx, by);
}

static char *report_key(sn_engine *e, unsigned top)
{
    char *flags[64];
    sn_fact *dx[256];
    unsigned nf = 0, nd = 0;
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        if (!sn_fact_concluded(f) || sn_fact_cf(f) < sn_threshold(e))
            continue;
        if (sn_fact_red_flag(f) && nf < 64) {
            flags[nf] = malloc(200);
            sn_fact_format(f, flags[nf++], 200);
        } else if (strcmp(sn_fact_template(f), "diagnosis") == 0 && nd < 256) {
            dx[nd++] = f;
        }
    }
    qsort(flags, nf, sizeof *flags, cmp_str);
    qsort(dx, nd, sizeof *dx, by_rank);
    char *out = malloc(64 * 210 + 3 * 210 + 1);
    out[0] = '\0';
    for (unsigned i = 0; i < nf; i++) {
        strcat(out, "flag ");
        strcat(out, flags[i]);
        strcat(out, "\n");
        free(flags[i]);
    }
    for (unsigned i = 0; i < nd && i < top; i++) {
        char buf[200];
        sn_fact_format(dx[i], buf, sizeof buf);
        strcat(out, "dx ");
        strcat(out, buf);
        strcat(out, "\n");
    }
    return out;
}

/* E2 replays the questions settled so far in E (with their answers). */
static void replay(sn_engine *e2, const answers *a, const sn_ask *const *asked, unsigned nasked)
{
    sn_reset(e2);
    for (unsigned i = 0; i < nasked; i++)
        give(e2, a, asked[i]);
    t_run(e2, -1, NULL);
}

/* Does the report change with the answer I to K (and, when Q is not
 * NULL, the answer J to Q; when Q is K, a question that takes several,
 * the answer I and J)? E2 is as it was afterwards. */
static bool changes(sn_engine *e2, const char *base, const sn_ask *k, unsigned i, const sn_ask *q, unsigned j)
{
    const char *one[] = {sn_ask_answer(k, i), q == k ? sn_ask_answer(k, j) : NULL};
    const char *two[] = {q ? sn_ask_answer(q, j) : NULL};
    char err[200];
    sn_ask_set(e2, k, one, q == k ? 2 : 1, err, sizeof err);
    if (q && q != k)
        sn_ask_set(e2, q, two, 1, err, sizeof err);
    t_run(e2, -1, NULL);
    char *now = report_key(e2, sn_consult_top(e2));
    bool changed = strcmp(now, base) != 0;
    free(now);
    sn_ask_clear(e2, k);
    if (q && q != k)
        sn_ask_clear(e2, q);
    t_run(e2, -1, NULL);
    return changed;
}

/* Could K's answer change the report: some answer alone (for a question
 * that takes several, one value or two), or with an answer to one other
 * open question (a rule that waits on both)? */
static bool useful(sn_engine *e2, const answers *a, const sn_ask *const *asked, unsigned nasked, const sn_ask *k)
{
    replay(e2, a, asked, nasked);
    char *base = report_key(e2, sn_consult_top(e2));
    const sn_ask *k2 = sn_ask_find(e2, sn_ask_template(k));
    bool changed = false;
    for (unsigned i = 0; i < sn_ask_nanswers(k2) && !changed; i++)
        changed = changes(e2, base, k2, i, NULL, 0);
    for (unsigned i = 0; sn_ask_multiple(k2) && i < sn_ask_nanswers(k2) && !changed; i++)
        for (unsigned j = i + 1; j < sn_ask_nanswers(k2) && !changed; j++)
            changed = changes(e2, base, k2, i, k2, j);
    for (const sn_ask *q = sn_ask_next(e2, NULL); q && !changed; q = sn_ask_next(e2, q)) {
        if (q == k2 || sn_ask_state_of(e2, q) != SN_ASK_OPEN)
            continue;
        for (unsigned i = 0; i < sn_ask_nanswers(k2) && !changed; i++)
            for (unsigned j = 0; j < sn_ask_nanswers(q) && !changed; j++)
                changed = changes(e2, base, k2, i, q, j);
    }
    free(base);
    return changed;
}

/* A consultation settling the TOP diagnoses on every case. */
static void consult_every_case(unsigned top)
{
    sn_engine *full = kb(), *e = kb(), *e2 = kb();
    sn_set_consult_top(e, top);
    sn_set_consult_top(e2, top);
    unsigned ncases = sn_case_count(full);
    CHECK(ncases >= 60);
    unsigned total_q = 0, nasks = 0;
    for (const sn_ask *k = sn_ask_next(e, NULL); k; k = sn_ask_next(e, k))
        nasks++;
    for (unsigned i = 0; i < ncases; i++) {
        answers a;
        case_answers(full, i, &a);
        t_run(full, -1, NULL);
        char *want = report_key(full, top);

        sn_reset(e);
        const sn_ask *asked[128];
        unsigned nasked = 0;
        for (const sn_ask *k; (k = t_next_question(e, NULL, 0, NULL)) != NULL;) {
            for (unsigned j = 0; j < nasked; j++)
                if (asked[j] == k)
                    UNIT_FAIL("case %s: %s asked twice", sn_case_name(full, i), sn_ask_template(k));
            if (nasked == 128 || nasked > nasks)
                break;
            CHECK(t_ask_relevant(e, k));
            if (!useful(e2, &a, asked, nasked, k))
                UNIT_FAIL("case %s: question %u, %s: no answer (alone or with another) changes the report",
                          sn_case_name(full, i), nasked + 1, sn_ask_template(k));
            give(e, &a, k);
            asked[nasked++] = k;
            t_run(e, -1, NULL);
        }
        total_q += nasked;
        char *got = report_key(e, top);
        if (strcmp(got, want) != 0)
            UNIT_FAIL("case %s: the consultation's report\n%sbut the full run's\n%s", sn_case_name(full, i), got,
                      want);
        free(got);
        free(want);
    }
    /* it leaves most of the findings unasked */
    CHECK(total_q < ncases * nasks / 4);
    printf("    top %u: %u cases, %.1f questions a case (of %u)\n", top, ncases, (double)total_q / ncases, nasks);
    sn_free(full);
    sn_free(e);
    sn_free(e2);
}

TEST(consult_settling_the_top_diagnosis_asks_only_what_could_change_it)
{
    consult_every_case(1);
}

TEST(consult_settling_the_top_three_reaches_them_in_order)
{
    consult_every_case(3);
}

TEST(answers_are_checked_and_taken_back)
{
    sn_engine *e = kb();
    const sn_ask *site = sn_ask_find(e, "site");
    CHECK(site != NULL);
    CHECK(sn_ask_multiple(site));
    CHECK(sn_ask_state_of(e, site) == SN_ASK_OPEN);
    char err[200];
    const char *bad[] = {"groin", "grion"};
    CHECK(!t_ok(sn_ask_set(e, site, bad, 2, err, sizeof err)));
    CHECK(strstr(err, "grion") != NULL);
    sn_fact *none[1];
    CHECK_EQ_INT(t_query(e, "site()", none, 1, NULL), 0); /* all or nothing */
    CHECK(sn_ask_state_of(e, site) == SN_ASK_OPEN);
    const char *two[] = {"hip_point", "groin"};
    CHECK(t_ok(sn_ask_set(e, site, two, 2, err, sizeof err)));
    CHECK(sn_ask_state_of(e, site) == SN_ASK_ANSWERED);
    t_run(e, -1, NULL);
    sn_fact *out[4];
    CHECK_EQ_INT(t_query(e, "red_flag(code: F02)", out, 4, NULL), 1);
    /* taking the answer back withdraws what rested on it */
    sn_ask_clear(e, site);
    CHECK(sn_ask_state_of(e, site) == SN_ASK_OPEN);
    CHECK_EQ_INT(t_query(e, "red_flag(code: F02)", out, 4, NULL), 0);
    CHECK_EQ_INT(t_query(e, "site()", out, 4, NULL), 0);
    /* one answer only where the ask is not multiple */
    const sn_ask *pop = sn_ask_find(e, "pop");
    const char *yn[] = {"yes", "no"};
    CHECK(!t_ok(sn_ask_set(e, pop, yn, 2, err, sizeof err)));
    sn_ask_set_unknown(e, pop);
    CHECK(sn_ask_state_of(e, pop) == SN_ASK_UNKNOWN);
    CHECK_EQ_INT(t_query(e, "pop()", out, 4, NULL), 0); /* unknown is no finding */
    sn_reset(e);
    CHECK(sn_ask_state_of(e, pop) == SN_ASK_OPEN);
    /* facts from outside: checked like typed facts */
    sn_value v = {.text = "sudden"};
    CHECK(t_assert_slot(e, "onset", NULL, v, err, sizeof err) != NULL);
    CHECK(sn_ask_state_of(e, sn_ask_find(e, "onset")) == SN_ASK_ANSWERED);
    v.text = "suddenly";
    CHECK(!t_ok(sn_check_slot(e, "onset", NULL, v, err, sizeof err)));
    CHECK(strstr(err, "not an allowed answer") != NULL);
    CHECK(!t_ok(sn_check_slot(e, "onsett", NULL, v, err, sizeof err)));
    CHECK(strstr(err, "unknown template") != NULL);
    v = (sn_value){.is_number = true, .number = 3};
    CHECK(!t_ok(sn_check_slot(e, "onset", NULL, v, err, sizeof err)));
    CHECK(!t_ok(sn_check_slot(e, "onset", "nope", v, err, sizeof err)));
    sn_free(e);
}

TEST(grouped_questions_record_their_items)
{
    sn_engine *e = kb();
    const sn_ask *g = sn_ask_find(e, "screening");
    CHECK(g != NULL);
    CHECK(sn_ask_nitems(g) > 3);
    CHECK(sn_ask_group(sn_ask_find(e, "bulge")) == g);
    CHECK(strcmp(sn_ask_answer(g, sn_ask_nanswers(g) - 1), "none") == 0);
    CHECK(sn_ask_state_of(e, g) == SN_ASK_OPEN);
    char err[200];
    sn_fact *out[8];
    /* a finding answered before is left alone */
    const char *pop_yes[] = {"yes"};
    CHECK(t_ok(sn_ask_set(e, sn_ask_find(e, "pop"), pop_yes, 1, err, sizeof err)));
    /* ticked: its answer; ticked without one: its own question stays open;
     * not ticked: no or none, else not known */
    const char *two[] = {"bulge", "numbness"};
    CHECK(t_ok(sn_ask_set(e, g, two, 2, err, sizeof err)));
    CHECK(sn_ask_state_of(e, g) == SN_ASK_ANSWERED);
    CHECK_EQ_INT(t_query(e, "bulge(value: yes)", out, 8, NULL), 1);
    CHECK_EQ_INT(t_query(e, "fever(value: no)", out, 8, NULL), 1);
    CHECK_EQ_INT(t_query(e, "weakness(value: none)", out, 8, NULL), 1);
    CHECK_EQ_INT(t_query(e, "pop()", out, 8, NULL), 1);
    CHECK_EQ_INT(t_query(e, "pop(value: yes)", out, 8, NULL), 1);
    CHECK(sn_ask_state_of(e, sn_ask_find(e, "numbness")) == SN_ASK_OPEN);
    CHECK(sn_ask_state_of(e, sn_ask_find(e, "walking")) == SN_ASK_UNKNOWN);
    t_run(e, -1, NULL);
    CHECK_EQ_INT(t_query(e, "red_flag(code: F03)", out, 8, NULL), 1);
    /* taken back: what it settled, not what was answered before */
    sn_ask_clear(e, g);
    CHECK(sn_ask_state_of(e, g) == SN_ASK_OPEN);
    CHECK_EQ_INT(t_query(e, "bulge()", out, 8, NULL), 0);
    CHECK_EQ_INT(t_query(e, "fever()", out, 8, NULL), 0);
    CHECK(sn_ask_state_of(e, sn_ask_find(e, "walking")) == SN_ASK_OPEN);
    CHECK_EQ_INT(t_query(e, "pop(value: yes)", out, 8, NULL), 1);
    CHECK_EQ_INT(t_query(e, "red_flag(code: F03)", out, 8, NULL), 0);
    /* bad answers change nothing */
    const char *bad[] = {"bulge", "headache"};
    CHECK(!t_ok(sn_ask_set(e, g, bad, 2, err, sizeof err)));
    CHECK(strstr(err, "headache") != NULL);
    const char *mixed[] = {"none", "fever"};
    CHECK(!t_ok(sn_ask_set(e, g, mixed, 2, err, sizeof err)));
    CHECK(strstr(err, "none") != NULL);
    CHECK_EQ_INT(t_query(e, "bulge()", out, 8, NULL), 0);
    CHECK(sn_ask_state_of(e, g) == SN_ASK_OPEN);
    /* none: every open item says no; unknown: every open item unknown */
    const char *none[] = {"none"};
    CHECK(t_ok(sn_ask_set(e, g, none, 1, err, sizeof err)));
    CHECK_EQ_INT(t_query(e, "bulge(value: no)", out, 8, NULL), 1);
    CHECK_EQ_INT(t_query(e, "numbness(value: none)", out, 8, NULL), 1);
    sn_ask_clear(e, g);
    sn_ask_set_unknown(e, g);
    CHECK(sn_ask_state_of(e, g) == SN_ASK_UNKNOWN);
    CHECK(sn_ask_state_of(e, sn_ask_find(e, "fever")) == SN_ASK_UNKNOWN);
    CHECK_EQ_INT(t_query(e, "fever()", out, 8, NULL), 0);
    sn_reset(e);
    CHECK(sn_ask_state_of(e, g) == SN_ASK_OPEN);
    CHECK(sn_ask_state_of(e, sn_ask_find(e, "fever")) == SN_ASK_OPEN);
    sn_free(e);
}

/* Every fact as "id text cf" lines: to see that nothing changed. */
/* A small knowledge base where a diagnosis reaches the top only with the
 * evidence of two rules together: each alone leaves it below (or level
 * with) the one there; `exists { A or B }` waits on either. */
static const char small_kb[] =
    "template diagnosis { name: symbol }\n"
    "template red_flag { code: symbol }\n"
    "template sudden { value: symbol }\n"
    "ask sudden.value \"Sudden?\" yes, no\n"
    "template both { value: symbol }\n"
    "ask both.value \"Both legs equally?\" yes, no\n"
    "template soon { value: symbol }\n"
    "ask soon.value \"Gone soon after?\" yes, no\n"
    "template back { value: symbol }\n"
    "ask back.value \"Low back pain?\" yes, no\n"
    "template buttock { value: symbol }\n"
    "ask buttock.value \"Buttock pain?\" yes, no\n"
    "template spreads { value: symbol }\n"
    "ask spreads.value \"Spreads down the leg?\" yes, no\n"
    "rule strain when sudden(value: yes) then conclude diagnosis(name: strain) cf 0.6 end\n"
    "rule soreness_both when both(value: yes) then conclude diagnosis(name: wear) cf 0.6 end\n"
    "rule soreness_soon when soon(value: yes) then conclude diagnosis(name: wear) cf 0.3 end\n"
    "rule sciatica when spreads(value: yes) exists { back(value: yes) or buttock(value: yes) }\n"
    "    then conclude diagnosis(name: sciatica) cf 0.9 end\n";

static sn_engine *small(void)
{
    return t_load(small_kb);
}

static void answer(sn_engine *e, const char *tmpl, const char *value)
{
    char err[200];
    const char *v[] = {value};
    if (!t_ok(sn_ask_set(e, sn_ask_find(e, tmpl), v, 1, err, sizeof err)))
        printf("answer refused: %s\n", err);
    t_run(e, -1, NULL);
}

static const char *top_name(sn_engine *e)
{
    static char buf[200];
    double best = -2;
    buf[0] = '\0';
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f))
        if (strcmp(sn_fact_template(f), "diagnosis") == 0 && sn_fact_concluded(f) && sn_fact_cf(f) > best) {
            best = sn_fact_cf(f);
            sn_fact_value(f, 0, buf, sizeof buf);
        }
    return buf;
}

TEST(evidence_from_two_rules_together_keeps_the_consultation_going)
{
    sn_engine *e = small();
    answer(e, "sudden", "yes");
    answer(e, "spreads", "no");
    CHECK(strcmp(top_name(e), "strain") == 0);
    /* wear: 0.6 alone (level with strain, second by name), 0.3 alone;
     * 0.72 together, over strain. Its two questions are still worth
     * asking, one at a time. */
    const sn_ask *k = t_next_question(e, NULL, 0, NULL);
    CHECK(k != NULL);
    CHECK(k && (strcmp(sn_ask_template(k), "both") == 0 || strcmp(sn_ask_template(k), "soon") == 0));
    CHECK(t_ask_relevant(e, sn_ask_find(e, "both")));
    CHECK(t_ask_relevant(e, sn_ask_find(e, "soon")));
    answer(e, "both", "yes");
    k = t_next_question(e, NULL, 0, NULL);
    CHECK(k && strcmp(sn_ask_template(k), "soon") == 0);
    answer(e, "soon", "yes");
    CHECK(strcmp(top_name(e), "wear") == 0);
    CHECK(t_next_question(e, NULL, 0, NULL) == NULL);
    sn_free(e);
}

TEST(a_rule_waiting_on_either_of_two_findings_and_another)
{
    sn_engine *e = small();
    answer(e, "sudden", "yes");
    answer(e, "both", "no");
    answer(e, "soon", "no");
    /* sciatica waits on spreads and on back or buttock: neither alone
     * changes the top, the two together do */
    CHECK(t_ask_relevant(e, sn_ask_find(e, "spreads")));
    CHECK(t_ask_relevant(e, sn_ask_find(e, "back")));
    answer(e, "back", "no");
    CHECK(t_ask_relevant(e, sn_ask_find(e, "buttock")));
    answer(e, "buttock", "yes");
    const sn_ask *k = t_next_question(e, NULL, 0, NULL);
    CHECK(k && strcmp(sn_ask_template(k), "spreads") == 0);
    answer(e, "spreads", "yes");
    CHECK(strcmp(top_name(e), "sciatica") == 0);
    CHECK(t_next_question(e, NULL, 0, NULL) == NULL);
    sn_free(e);
}

/* Rules die in rounds: one dead can take away the last maker of what
 * another waits on. Here the readers come before their makers, so the
 * first round finds `step(n: 1)` made by r4 and `step(n: 2)` by r1; only
 * later rounds see that both makers of step 1 died, and with them r1 and
 * r2: then no live rule waits on h (`more` has nothing to ask). */
static const char *any_question(sn_engine *e)
{
    const sn_ask *k = NULL;
    if (!t_ok(sn_next_question_any(e, &k, NULL, 0, NULL)))
        return "(failed)";
    return k ? sn_ask_template(k) : "(none)";
}

TEST(rules_that_die_in_later_rounds_take_their_readers_with_them)
{
    sn_engine *e = t_load("template diagnosis { name: symbol }\n"
                          "template step { n: int }\n"
                          "template h { value: symbol }\n"
                          "ask h.value \"H?\" yes, no\n"
                          "template a { value: symbol }\n"
                          "ask a.value \"A?\" yes, no\n"
                          "template b { value: symbol }\n"
                          "ask b.value \"B?\" yes, no\n"
                          "rule r1_next when step(n: 1) then conclude step(n: 2) end\n"
                          "rule r2_dx when h(value: yes) step(n: 2)\n"
                          "    then conclude diagnosis(name: x) cf 0.8 end\n"
                          "rule r4_from_a when a(value: yes) then conclude step(n: 1) end\n"
                          "rule r5_from_b when b(value: yes) then conclude step(n: 1) end\n");
    CHECK_STR(any_question(e), "a");
    answer(e, "a", "no");
    CHECK_STR(any_question(e), "b"); /* b could still make step 1 */
    answer(e, "b", "no");
    CHECK_STR(any_question(e), "(none)");
    sn_free(e);
}

static char *state(sn_engine *e)
{
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (sn_fact *f = sn_fact_next(e, NULL); f && n + 400 < cap; f = sn_fact_next(e, f)) {
        char buf[300];
        sn_fact_format(f, buf, sizeof buf);
        n += (size_t)snprintf(out + n, cap - n, "%llu %s %.6f\n", (unsigned long long)sn_fact_id(f), buf,
                              sn_fact_cf(f));
    }
    return out;
}

/* An answer to a number question is a decimal number and a finite one:
 * strtod alone took inf, nan, 0x26.8 and 1e400 (as inf). */
TEST(number_answers_are_decimal_and_finite)
{
    static const char text[] = "template temp { c: float }\n"
                               "ask temp.c \"Temperature?\" 36.5, 38.5\n";
    sn_engine *e = sn_new();
    sn_report r = {0};
    CHECK(t_ok(sn_load_string(e, "numbers", text, sizeof text - 1, &r)));
    sn_report_free(&r);
    const sn_ask *k = sn_ask_find(e, "temp");
    char err[200];
    const char *bad[] = {"inf", "nan", "-nan", "0x26.8", "infinity", "38.5x", "e5", "."};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(!t_ok(sn_ask_set(e, k, &bad[i], 1, err, sizeof err)));
        CHECK(strstr(err, "is not a number") != NULL);
    }
    const char *huge[] = {"1e400"};
    CHECK(!t_ok(sn_ask_set(e, k, huge, 1, err, sizeof err)));
    CHECK_STR(err, "'1e400' is too large for a number");
    CHECK(sn_ask_state_of(e, k) == SN_ASK_OPEN);
    const char *good[] = {"3.85e1"};
    CHECK(t_ok(sn_ask_set(e, k, good, 1, err, sizeof err)));
    sn_fact *f[2];
    CHECK_EQ_INT(t_query(e, "temp(c: 38.5)", f, 2, NULL), 1);
    sn_free(e);
}

TEST(whatif_tries_an_answer_and_changes_nothing)
{
    sn_engine *e = kb();
    char err[200];
    const char *site[] = {"posterior_thigh"};
    CHECK(t_ok(sn_ask_set(e, sn_ask_find(e, "site"), site, 1, err, sizeof err)));
    t_run(e, -1, NULL);
    char *before = state(e);
    uint64_t fired = sn_fired_total(e), top_id = 0;
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f))
        top_id = sn_fact_id(f) > top_id ? sn_fact_id(f) : top_id;
    for (sn_fact *f = sn_withdrawn_next(e, NULL); f; f = sn_withdrawn_next(e, f))
        top_id = sn_fact_id(f) > top_id ? sn_fact_id(f) : top_id;
    const sn_ask *pop = sn_ask_find(e, "pop");
    const char *yes[] = {"yes"};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK(t_ok(sn_whatif(e, pop, yes, 1, out, err, sizeof err)));
    /* an answered question is tried as if answered otherwise */
    const char *groin[] = {"groin", "hip_point"};
    CHECK(t_ok(sn_whatif(e, sn_ask_find(e, "site"), groin, 2, out, err, sizeof err)));
    /* a bad answer: an error, nothing tried */
    const char *bad[] = {"maybe"};
    CHECK(!t_ok(sn_whatif(e, pop, bad, 1, out, err, sizeof err)));
    CHECK(strstr(err, "maybe") != NULL);
    fclose(out);
    CHECK(strstr(text, "red flag raised:     red_flag(code: F09)") != NULL);
    CHECK(strstr(text, "red flag raised:     red_flag(code: F02)") != NULL);
    CHECK(strstr(text, "hip_bursitis") != NULL);
    char *after = state(e);
    CHECK(strcmp(before, after) == 0);
    CHECK(sn_fired_total(e) == fired);
    CHECK(sn_ask_state_of(e, pop) == SN_ASK_OPEN);
    /* the next answer gets the next fact id, as if nothing had been tried */
    CHECK(t_ok(sn_ask_set(e, pop, yes, 1, err, sizeof err)));
    sn_fact *out1[2];
    CHECK_EQ_INT(t_query(e, "pop(value: yes)", out1, 2, NULL), 1);
    CHECK(sn_fact_id(out1[0]) == top_id + 1);
    free(text);
    free(before);
    free(after);
    sn_free(e);
}

/* What-if, asked again after rules were loaded or removed (a session
 * typing rules in), tries answers on the rules as they are now. */
static char *whatif_text(sn_engine *e, const sn_ask *k, const char *answer)
{
    char err[200], *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!t_ok(sn_whatif(e, k, &answer, 1, out, err, sizeof err)))
        fprintf(out, "failed: %s", err);
    fclose(out);
    return text;
}

TEST(whatif_follows_rules_loaded_and_removed)
{
    sn_engine *e = kb();
    const sn_ask *pop = sn_ask_find(e, "pop");
    char *text = whatif_text(e, pop, "yes");
    CHECK(strstr(text, "red_flag(code: F09)") && !strstr(text, "ZZ1"));
    free(text);
    const char more[] = "rule typed_flag when pop(value: yes) then conclude red_flag(code: ZZ1) end\n";
    sn_report r = {0};
    sn_stats st;
    sn_get_stats(e, &st);
    size_t before = st.whatif_bytes;
    CHECK(t_ok(sn_load_string_at(e, "<stdin>", 40, more, strlen(more), &r)));
    sn_report_free(&r);
    /* the copy took the rule with the load, not at its next use */
    sn_get_stats(e, &st);
    CHECK(st.whatif_bytes > before);
    text = whatif_text(e, pop, "yes");
    CHECK(strstr(text, "red flag raised:     red_flag(code: ZZ1)") != NULL);
    CHECK(strstr(text, "red_flag(code: F09)") != NULL);
    free(text);
    CHECK(t_ok(sn_remove_rule(e, "typed_flag")));
    text = whatif_text(e, pop, "yes");
    CHECK(strstr(text, "red_flag(code: F09)") && !strstr(text, "ZZ1"));
    free(text);
    const char again[] = "rule typed_flag_2 when pop(value: yes) then conclude red_flag(code: ZZ2) end\n";
    CHECK(t_ok(sn_load_string(e, "more.sinew", again, strlen(again), &r)));
    sn_report_free(&r);
    text = whatif_text(e, pop, "yes");
    CHECK(strstr(text, "red_flag(code: ZZ2)") && !strstr(text, "ZZ1"));
    free(text);
    sn_free(e);
}

/* The copy what-if tries answers on keeps its network between calls but
 * no working memory: what a session holds for what-if does not grow with
 * what it tried, and trying a question again costs the same bytes. */
TEST(whatif_copy_holds_no_facts_between_calls)
{
    sn_engine *e = kb();
    sn_stats st;
    sn_get_stats(e, &st);
    CHECK(st.whatif_bytes == 0 && st.whatif_facts == 0);
    const sn_ask *pop = sn_ask_find(e, "pop");
    char *text = whatif_text(e, pop, "yes");
    CHECK(strstr(text, "red_flag(code: F09)") != NULL);
    free(text);
    sn_get_stats(e, &st);
    CHECK(st.whatif_bytes > 0);
    CHECK(st.whatif_facts == 0);
    size_t rest = st.whatif_bytes;
    const char *tries[] = {"no", "yes", "no", "yes"};
    for (unsigned i = 0; i < 4; i++) {
        text = whatif_text(e, pop, tries[i]);
        CHECK(strncmp(text, "failed", 6) != 0);
        free(text);
        sn_get_stats(e, &st);
        CHECK(st.whatif_facts == 0);
        CHECK(st.whatif_bytes == rest);
    }
    /* choosing a question tries answers on the copy too */
    const sn_ask *next = NULL;
    CHECK(t_ok(sn_next_question(e, &next, NULL, 0, NULL)));
    CHECK(next != NULL);
    sn_get_stats(e, &st);
    CHECK(st.whatif_facts == 0 && st.whatif_bytes > 0);
    /* the session itself is untouched: its facts are its own */
    CHECK(st.facts > 0);
    sn_free(e);
}

int main(void)
{
    RUN(consult_settling_the_top_diagnosis_asks_only_what_could_change_it);
    RUN(consult_settling_the_top_three_reaches_them_in_order);
    RUN(answers_are_checked_and_taken_back);
    RUN(grouped_questions_record_their_items);
    RUN(whatif_tries_an_answer_and_changes_nothing);
    RUN(whatif_follows_rules_loaded_and_removed);
    RUN(whatif_copy_holds_no_facts_between_calls);
    RUN(number_answers_are_decimal_and_finite);
    RUN(evidence_from_two_rules_together_keeps_the_consultation_going);
    RUN(a_rule_waiting_on_either_of_two_findings_and_another);
    RUN(rules_that_die_in_later_rounds_take_their_readers_with_them);
    return UNIT_END();
}
