/* test_consult.c — the question chooser on the shipped knowledge base.
 *
 * For every case of rules/, a consultation is played with the case's
 * findings as the answers ("unknown" for a finding the case does not
 * give). It must
 *  - reach exactly the conclusions (and certainties) of running the case
 *    with all its findings: the questions it did not ask did not matter;
 *  - ask no question whose answer cannot change an open rule: for each
 *    question, some allowed answer, tried in a second engine, changes how
 *    far some rule got (its conditions held) or what is concluded;
 *  - never ask a question twice.
 * And sn_assert_slot, sn_ask_set, sn_ask_clear keep their contracts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/sinew.h"
#include "unit.h"

static sn_engine *kb(void)
{
    sn_engine *e = sn_new();
    const char *paths[] = {"rules"};
    sn_report r = {0};
    if (!sn_load_files(e, paths, 1, &r))
        printf("load failed:\n%s", r.text);
    sn_report_free(&r);
    sn_set_output(e, NULL);
    return e;
}

/* What is concluded, with its certainty (below the threshold too: a
 * disbelief is a conclusion), as "text cf" lines, sorted. */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *conclusions(sn_engine *e)
{
    char *lines[512];
    size_t n = 0, total = 1;
    for (sn_fact *f = sn_fact_next(e, NULL); f && n < 512; f = sn_fact_next(e, f))
        if (sn_fact_concluded(f)) {
            char buf[300];
            size_t k = sn_fact_format(f, buf, sizeof buf);
            lines[n] = malloc(k + 32);
            snprintf(lines[n], k + 32, "%s %.6f", buf, sn_fact_cf(f));
            total += strlen(lines[n]) + 1;
            n++;
        }
    qsort(lines, n, sizeof *lines, cmp_str);
    char *out = malloc(total);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
        free(lines[i]);
    }
    return out;
}

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

/* Set ASK's answer in E: the case's values, or unknown. */
static void give(sn_engine *e, const answers *a, const sn_ask *k)
{
    for (unsigned j = 0; j < a->n; j++)
        if (strcmp(sn_ask_template(a->ask[j]), sn_ask_template(k)) == 0) {
            char err[200];
            if (!sn_ask_set(e, sn_ask_find(e, sn_ask_template(k)), a->val[j], a->nval[j], err, sizeof err))
                printf("answer refused: %s\n", err);
            return;
        }
    sn_ask_set_unknown(e, sn_ask_find(e, sn_ask_template(k)));
}

/* How far every rule got, and what is concluded: a fingerprint. */
static char *progress(sn_engine *e)
{
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r)) {
        unsigned c;
        unsigned h = sn_rule_held(e, r, &c);
        if (n + 8 >= cap)
            out = realloc(out, cap *= 2);
        n += (size_t)snprintf(out + n, cap - n, "%u,", h);
    }
    char *cs = conclusions(e);
    out = realloc(out, n + strlen(cs) + 1);
    strcpy(out + n, cs);
    free(cs);
    return out;
}

/* E2 replays the questions settled so far in E (with their answers). */
static void replay(sn_engine *e2, const answers *a, const sn_ask *const *asked, unsigned nasked)
{
    sn_reset(e2);
    for (unsigned i = 0; i < nasked; i++)
        give(e2, a, asked[i]);
    sn_run(e2, -1, NULL);
}

/* Does some allowed answer to K change how far a rule got? */
static bool useful(sn_engine *e2, const answers *a, const sn_ask *const *asked, unsigned nasked, const sn_ask *k)
{
    replay(e2, a, asked, nasked);
    char *base = progress(e2);
    bool changed = false;
    const sn_ask *k2 = sn_ask_find(e2, sn_ask_template(k));
    for (unsigned i = 0; i < sn_ask_nanswers(k2) && !changed; i++) {
        replay(e2, a, asked, nasked);
        const char *one[] = {sn_ask_answer(k2, i)};
        char err[200];
        sn_ask_set(e2, k2, one, 1, err, sizeof err);
        sn_run(e2, -1, NULL);
        char *now = progress(e2);
        changed = strcmp(now, base) != 0;
        free(now);
    }
    free(base);
    return changed;
}

TEST(consult_reaches_the_full_conclusions_asking_only_useful_questions)
{
    sn_engine *full = kb(), *e = kb(), *e2 = kb();
    unsigned ncases = sn_case_count(full);
    CHECK(ncases >= 60);
    unsigned total_q = 0, nasks = 0;
    for (const sn_ask *k = sn_ask_next(e, NULL); k; k = sn_ask_next(e, k))
        nasks++;
    for (unsigned i = 0; i < ncases; i++) {
        answers a;
        case_answers(full, i, &a);
        sn_run(full, -1, NULL);
        char *want = conclusions(full);

        sn_reset(e);
        const sn_ask *asked[128];
        unsigned nasked = 0;
        for (const sn_ask *k; (k = sn_next_question(e, NULL, 0, NULL)) != NULL;) {
            for (unsigned j = 0; j < nasked; j++)
                if (asked[j] == k)
                    UNIT_FAIL("case %s: %s asked twice", sn_case_name(full, i), sn_ask_template(k));
            if (nasked == 128 || nasked > nasks)
                break;
            CHECK(sn_ask_relevant(e, k));
            if (!useful(e2, &a, asked, nasked, k)) {
                sn_reason why[4];
                unsigned nwhy;
                sn_next_question(e, why, 4, &nwhy);
                UNIT_FAIL("case %s: question %u, %s: no answer changes any rule; it was asked for %u rules, "
                          "%s first (%u of %u held; %s%s)",
                          sn_case_name(full, i), nasked + 1, sn_ask_template(k), nwhy,
                          nwhy ? sn_rule_name(why[0].rule) : "-", nwhy ? why[0].held : 0,
                          nwhy ? why[0].conditions : 0, nwhy ? why[0].condition : "-",
                          nwhy && why[0].blocks ? ", blocks" : "");
            }
            give(e, &a, k);
            asked[nasked++] = k;
            sn_run(e, -1, NULL);
        }
        total_q += nasked;
        char *got = conclusions(e);
        if (strcmp(got, want) != 0)
            UNIT_FAIL("case %s: the consultation concluded\n%sbut the case concludes\n%s", sn_case_name(full, i),
                      got, want);
        free(got);
        free(want);
    }
    /* it leaves a good part of the findings unasked */
    CHECK(total_q < ncases * nasks * 3 / 4);
    printf("    %u cases, %.1f questions a case (of %u)\n", ncases, (double)total_q / ncases, nasks);
    sn_free(full);
    sn_free(e);
    sn_free(e2);
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
    CHECK(!sn_ask_set(e, site, bad, 2, err, sizeof err));
    CHECK(strstr(err, "grion") != NULL);
    sn_fact *none[1];
    CHECK_EQ_INT(sn_query(e, "site()", none, 1, NULL), 0); /* all or nothing */
    CHECK(sn_ask_state_of(e, site) == SN_ASK_OPEN);
    const char *two[] = {"hip_point", "groin"};
    CHECK(sn_ask_set(e, site, two, 2, err, sizeof err));
    CHECK(sn_ask_state_of(e, site) == SN_ASK_ANSWERED);
    sn_run(e, -1, NULL);
    sn_fact *out[4];
    CHECK_EQ_INT(sn_query(e, "red_flag(code: F02)", out, 4, NULL), 1);
    /* taking the answer back withdraws what rested on it */
    sn_ask_clear(e, site);
    CHECK(sn_ask_state_of(e, site) == SN_ASK_OPEN);
    CHECK_EQ_INT(sn_query(e, "red_flag(code: F02)", out, 4, NULL), 0);
    CHECK_EQ_INT(sn_query(e, "site()", out, 4, NULL), 0);
    /* one answer only where the ask is not multiple */
    const sn_ask *pop = sn_ask_find(e, "pop");
    const char *yn[] = {"yes", "no"};
    CHECK(!sn_ask_set(e, pop, yn, 2, err, sizeof err));
    sn_ask_set_unknown(e, pop);
    CHECK(sn_ask_state_of(e, pop) == SN_ASK_UNKNOWN);
    CHECK_EQ_INT(sn_query(e, "pop()", out, 4, NULL), 0); /* unknown is no finding */
    sn_reset(e);
    CHECK(sn_ask_state_of(e, pop) == SN_ASK_OPEN);
    /* facts from outside: checked like typed facts */
    sn_value v = {.text = "sudden"};
    CHECK(sn_assert_slot(e, "onset", NULL, v, err, sizeof err) != NULL);
    CHECK(sn_ask_state_of(e, sn_ask_find(e, "onset")) == SN_ASK_ANSWERED);
    v.text = "suddenly";
    CHECK(!sn_check_slot(e, "onset", NULL, v, err, sizeof err));
    CHECK(strstr(err, "not an allowed answer") != NULL);
    CHECK(!sn_check_slot(e, "onsett", NULL, v, err, sizeof err));
    CHECK(strstr(err, "unknown template") != NULL);
    v = (sn_value){.is_number = true, .number = 3};
    CHECK(!sn_check_slot(e, "onset", NULL, v, err, sizeof err));
    CHECK(!sn_check_slot(e, "onset", "nope", v, err, sizeof err));
    sn_free(e);
}

int main(void)
{
    RUN(consult_reaches_the_full_conclusions_asking_only_useful_questions);
    RUN(answers_are_checked_and_taken_back);
    return UNIT_END();
}
