/* typed.c — what a typed fact, a query and a load cost, against the
 * size of what is loaded. Uses sinew.h only.
 *
 *   typed RULES... -- FACT       (a file or folder per argument)
 *   typed --loads FILE...
 *
 * Loads RULES, then times N typed asserts of FACT with a different number
 * in it each time ("%d" in FACT, or the fact as it is), each followed by a
 * retract, and N queries of the fact's template; prints microseconds per
 * call (median of 5 rounds) and the engine's live bytes before and after
 * all rounds (the facts are retracted, so nothing should be left). N is
 * 10,000, or TYPED_N.
 *
 * With --loads, loads the files one after another into one engine, and
 * each file alone into a fresh engine that holds the files before it
 * (loaded untimed): the two totals should be equal, since a load reads
 * only its own text. Median of 5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sinew.h"

enum { ROUNDS = 5 };
static unsigned N = 10000; /* calls a round: TYPED_N in the environment */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t live(sn_engine *e)
{
    sn_stats s;
    sn_get_stats(e, &s);
    return s.bytes;
}

/* One round of N asserts and retracts; seconds. */
static double round_assert(sn_engine *e, const char *fact, unsigned base)
{
    char text[512];
    double t0 = now();
    for (unsigned i = 0; i < N; i++) {
        snprintf(text, sizeof text, fact, base + i);
        sn_report r = {0};
        sn_fact *f = NULL;
        if (sn_assert_string(e, text, &f, &r) != SN_OK || !f) {
            fprintf(stderr, "typed: %s: %s", text, r.text ? r.text : "not asserted\n");
            exit(1);
        }
        sn_retract(e, f);
        sn_report_free(&r);
    }
    return now() - t0;
}

static double round_query(sn_engine *e, const char *pattern)
{
    sn_fact *out[4];
    double t0 = now();
    for (unsigned i = 0; i < N; i++) {
        sn_report r = {0};
        if (sn_query(e, pattern, out, 4, NULL, &r) != SN_OK) {
            fprintf(stderr, "typed: query %s: %s", pattern, r.text ? r.text : "\n");
            exit(1);
        }
        sn_report_free(&r);
    }
    return now() - t0;
}

static double median(double *v)
{
    qsort(v, ROUNDS, sizeof *v, cmp);
    return v[ROUNDS / 2];
}

static void load_or_die(sn_engine *e, const char *path)
{
    sn_report r = {0};
    if (sn_load_files(e, &path, 1, &r) != SN_OK) {
        fprintf(stderr, "%s", r.text);
        exit(1);
    }
    sn_report_free(&r);
}

static int loads(int n, char **files)
{
    double seq[ROUNDS], alone[ROUNDS];
    for (unsigned k = 0; k < ROUNDS; k++) {
        sn_engine *e = sn_new();
        double t0 = now();
        for (int i = 0; i < n; i++)
            load_or_die(e, files[i]);
        seq[k] = now() - t0;
        sn_free(e);
        alone[k] = 0;
        for (int i = 0; i < n; i++) {
            e = sn_new();
            for (int j = 0; j < i; j++)
                load_or_die(e, files[j]);
            t0 = now();
            load_or_die(e, files[i]);
            alone[k] += now() - t0;
            sn_free(e);
        }
    }
    double a = median(seq), b = median(alone);
    printf("%d files one after another %.4f s; each load alone, summed %.4f s (ratio %.2f)\n", n,
           a, b, a / b);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--loads") == 0)
        return loads(argc - 2, argv + 2);
    const char *fact = NULL;
    int nfiles = argc - 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
            fact = argv[i + 1];
            nfiles = i - 1;
        }
    if (!fact || nfiles < 1) {
        fprintf(stderr, "usage: typed RULES... -- FACT\n");
        return 2;
    }
    if (getenv("TYPED_N"))
        N = (unsigned)strtoul(getenv("TYPED_N"), NULL, 10);
    if (N == 0)
        N = 1;
    sn_engine *e = sn_new();
    sn_report r = {0};
    if (sn_load_files(e, (const char *const *)argv + 1, (unsigned)nfiles, &r) != SN_OK) {
        fprintf(stderr, "%s", r.text);
        return 1;
    }
    sn_report_free(&r);
    char pattern[256];
    snprintf(pattern, sizeof pattern, "%.*s()", (int)strcspn(fact, "("), fact);

    double ta[ROUNDS], tq[ROUNDS];
    size_t before = live(e);
    for (unsigned k = 0; k < ROUNDS; k++) {
        ta[k] = round_assert(e, fact, k * N);
        tq[k] = round_query(e, pattern);
    }
    size_t after = live(e);
    printf("typed assert+retract %.2f us, query %.2f us; live bytes %zu -> %zu after %u of each\n",
           median(ta) / N * 1e6, median(tq) / N * 1e6, before, after, ROUNDS * N);
    sn_free(e);
    return 0;
}
