/* consult_bench.c — consultations on every case of a knowledge base.
 *
 *   consult_bench RULES_DIR [TOP]
 *
 * For each case, a consultation is answered from the case (a finding the
 * case does not give is answered `unknown`; a grouped question gets the
 * items the case gives) and compared with the full run of the same case:
 * the same red flags, the same top diagnosis, the same top three in
 * order. TOP (default 1) is how many diagnoses the consultation settles
 * (sn_set_consult_top). Prints one line: questions asked (median and
 * max), the agreements, and the time to choose a question (median and max
 * over every choice). Exits 1 when a consultation disagrees on the red
 * flags or on the TOP diagnoses it settles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../engine/sinew.h"

enum { MAX_ANSWERS = 32, MAX_ASKS = 256, MAX_ITEMS = 64 };

typedef struct answers {
    const sn_ask *ask[MAX_ASKS];
    char val[MAX_ASKS][MAX_ANSWERS][64];
    unsigned nval[MAX_ASKS];
    unsigned n;
} answers;

/* What a report is judged by: the red flags (sorted) and the diagnoses
 * at or above the threshold, most certain first. */
typedef struct key {
    char flags[MAX_ITEMS][64];
    unsigned nflags;
    char dx[MAX_ITEMS][128];
    double dxcf[MAX_ITEMS];
    unsigned ndx;
} key;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static void key_of(sn_engine *e, key *k)
{
    memset(k, 0, sizeof *k);
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        if (!sn_fact_concluded(f) || sn_fact_cf(f) < sn_threshold(e))
            continue;
        char buf[128];
        sn_fact_format(f, buf, sizeof buf);
        if (sn_fact_red_flag(f) && k->nflags < MAX_ITEMS)
            snprintf(k->flags[k->nflags++], 64, "%s", buf);
        else if (strcmp(sn_fact_template(f), "diagnosis") == 0 && k->ndx < MAX_ITEMS) {
            /* insertion by certainty, then text */
            unsigned i = k->ndx++;
            while (i > 0 && (k->dxcf[i - 1] < sn_fact_cf(f) ||
                             (k->dxcf[i - 1] == sn_fact_cf(f) && strcmp(k->dx[i - 1], buf) > 0))) {
                memcpy(k->dx[i], k->dx[i - 1], sizeof k->dx[i]);
                k->dxcf[i] = k->dxcf[i - 1];
                i--;
            }
            snprintf(k->dx[i], 128, "%s", buf);
            k->dxcf[i] = sn_fact_cf(f);
        }
    }
    qsort(k->flags, k->nflags, sizeof k->flags[0], cmp_str);
}

static bool same_flags(const key *a, const key *b)
{
    if (a->nflags != b->nflags)
        return false;
    for (unsigned i = 0; i < a->nflags; i++)
        if (strcmp(a->flags[i], b->flags[i]) != 0)
            return false;
    return true;
}

static bool same_top(const key *a, const key *b, unsigned n)
{
    unsigned na = a->ndx < n ? a->ndx : n, nb = b->ndx < n ? b->ndx : n;
    if (na != nb)
        return false;
    for (unsigned i = 0; i < na; i++)
        if (strcmp(a->dx[i], b->dx[i]) != 0)
            return false;
    return true;
}

static void case_answers(sn_engine *e, unsigned i, answers *a)
{
    a->n = 0;
    sn_case_start(e, i);
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        if (sn_fact_origin(f) != SN_ORIGIN_CASE)
            continue;
        const sn_ask *k = sn_ask_find(e, sn_fact_template(f));
        if (!k)
            continue;
        unsigned j = 0;
        while (j < a->n && a->ask[j] != k)
            j++;
        if (j == a->n && a->n < MAX_ASKS) {
            a->ask[a->n] = k;
            a->nval[a->n++] = 0;
        }
        const sn_template *t = sn_template_find(e, sn_fact_template(f));
        unsigned slot = 0;
        while (strcmp(sn_ask_slot(k), sn_template_slot(t, slot)) != 0)
            slot++;
        if (j < a->n && a->nval[j] < MAX_ANSWERS)
            sn_fact_value(f, slot, a->val[j][a->nval[j]++], 64);
    }
}

static int find_answers(const answers *a, const sn_ask *k)
{
    for (unsigned j = 0; j < a->n; j++)
        if (strcmp(sn_ask_template(a->ask[j]), sn_ask_template(k)) == 0)
            return (int)j;
    return -1;
}

/* A grouped question answered from the case: the items the case gives
 * (with the item's answer, or any answer but no or none), "none" when it
 * gives only negatives, unknown when it gives none of them. */
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
    char err[256];
    if (!any)
        sn_ask_set_unknown(e, k);
    else if (sn_ask_set(e, k, n ? ticked : (const char *[]){"none"}, n ? n : 1, err, sizeof err) !=
             SN_OK)
        fprintf(stderr, "consult_bench: answer refused: %s\n", err);
}

/* Answer K in E from the case A: its values, or unknown. */
static void give(sn_engine *e, const answers *a, const sn_ask *k)
{
    if (sn_ask_nitems(k)) {
        give_group(e, a, k);
        return;
    }
    for (unsigned j = 0; j < a->n; j++)
        if (strcmp(sn_ask_template(a->ask[j]), sn_ask_template(k)) == 0) {
            const char *v[MAX_ANSWERS];
            for (unsigned i = 0; i < a->nval[j]; i++)
                v[i] = a->val[j][i];
            char err[256];
            if (sn_ask_set(e, k, v, a->nval[j], err, sizeof err) != SN_OK)
                fprintf(stderr, "consult_bench: answer refused: %s\n", err);
            return;
        }
    sn_ask_set_unknown(e, k);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && atoi(argv[2]) < 1)) {
        fprintf(stderr, "usage: consult_bench RULES_DIR [TOP]\n");
        return 2;
    }
    unsigned top = argc == 3 ? (unsigned)atoi(argv[2]) : 1;
    sn_engine *full = sn_new(), *e = sn_new();
    const char *paths[] = {argv[1]};
    sn_report r = {0};
    if (sn_load_files(full, paths, 1, &r) != SN_OK || sn_load_files(e, paths, 1, NULL) != SN_OK) {
        fprintf(stderr, "%s", r.text ? r.text : "consult_bench: cannot load\n");
        return 2;
    }
    sn_report_free(&r);
    sn_set_output(full, NULL);
    sn_set_output(e, NULL);
    sn_set_consult_top(e, top);
    unsigned ncases = sn_case_count(full);
    unsigned *questions = calloc(ncases + 1, sizeof *questions);
    size_t nchoices = 0, capchoices = 1024;
    double *choice = malloc(capchoices * sizeof *choice);
    unsigned agree_flags = 0, agree_top = 0, agree_top3 = 0, failed = 0;
    static answers a;
    /* the first choice also compiles the copy answers are tried on */
    double f0 = now_ms();
    sn_next_question(e, NULL, NULL, 0, NULL);
    double first = now_ms() - f0;
    for (unsigned i = 0; i < ncases; i++) {
        if (getenv("CONSULT_BENCH_CASE") && strcmp(getenv("CONSULT_BENCH_CASE"), sn_case_name(full, i)) != 0)
            continue;
        case_answers(full, i, &a);
        sn_run(full, -1, NULL, NULL);
        key want, got;
        key_of(full, &want);
        sn_reset(e);
        sn_run(e, -1, NULL, NULL);
        unsigned n = 0;
        for (;;) {
            double t0 = now_ms();
            const sn_ask *k = NULL;
            if (sn_next_question(e, &k, NULL, 0, NULL) != SN_OK) {
                fprintf(stderr, "consult bench: %s\n", sn_errmsg(e));
                exit(1);
            }
            double t1 = now_ms();
            if (nchoices == capchoices)
                choice = realloc(choice, (capchoices *= 2) * sizeof *choice);
            choice[nchoices++] = t1 - t0;
            if (getenv("CONSULT_BENCH_TRACE") && t1 - t0 > 10)
                fprintf(stderr, "slow choice: %.1f ms at question %u of %s\n", t1 - t0, n + 1, sn_case_name(full, i));
            if (!k || n == MAX_ASKS)
                break;
            if (getenv("CONSULT_BENCH_TRACE"))
                fprintf(stderr, "Q %s\n", sn_ask_template(k));
            give(e, &a, sn_ask_find(e, sn_ask_template(k)));
            sn_run(e, -1, NULL, NULL);
            n++;
        }
        questions[i] = n;
        if (getenv("CONSULT_BENCH_TRACE"))
            fprintf(stderr, "  <- %s\n", sn_case_name(full, i));
        key_of(e, &got);
        bool f = same_flags(&got, &want), t = same_top(&got, &want, 1), t3 = same_top(&got, &want, 3);
        bool settled = same_top(&got, &want, top);
        agree_flags += f;
        agree_top += t;
        agree_top3 += t3;
        failed += !f || !settled;
        if (!f || !settled)
            fprintf(stderr, "consult_bench: case %s: %s%s%s differ from the full run\n", sn_case_name(full, i),
                    f ? "" : "red flags ", t ? "" : "top diagnosis ", t3 ? "" : "top three");
    }
    qsort(questions, ncases, sizeof *questions, cmp_unsigned);
    qsort(choice, nchoices, sizeof *choice, cmp_double);
    double pct = ncases ? 100.0 / ncases : 0;
    printf("consult, settling the top %u: %u cases: questions median %u, max %u; agreement with the full run: red flags %.0f %%, "
           "top diagnosis %.0f %%, top three in order %.0f %%; choosing a question: median %.2f ms, max %.2f ms (the first, making "
           "the copy: %.0f ms)\n",
           top, ncases, ncases ? questions[ncases / 2] : 0, ncases ? questions[ncases - 1] : 0, agree_flags * pct,
           agree_top * pct, agree_top3 * pct, nchoices ? choice[nchoices / 2] : 0,
           nchoices ? choice[nchoices - 1] : 0, first);
    free(questions);
    free(choice);
    sn_free(full);
    sn_free(e);
    return failed ? 1 : 0;
}
