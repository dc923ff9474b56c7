/* aggregate.c — what one changed fact costs an aggregate over a large
 * group: the cost must not grow with the group. Uses sinew.h only.
 *
 *   aggregate N...
 *
 * For each N: an engine with one rule reading four aggregates of the same
 * group (count, sum, max and avg of v(x: ?x)) and concluding a total from
 * them, N facts asserted and the rule run; then changes, each a fact
 * retracted and a copy with a new value asserted (what `modify` does) and
 * the rule run again: it fires once, and truth maintenance withdraws the
 * total it concluded before. Every 16th change retracts the largest
 * value, so max has to find the next. Prints the time to build the group
 * and microseconds per change (median of 5 rounds of 2,000 changes), and
 * checks the last total concluded against a count kept here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sinew.h"

enum { ROUNDS = 5, CHANGES = 2000 };

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

static const char *const PROGRAM =
    "template v { x: int }\n"
    "template total { n: int, sum: int, max: int, avg: float }\n"
    "rule totals when\n"
    "    ?n = count v()\n"
    "    ?s = sum(?x) v(x: ?x)\n"
    "    ?m = max(?x) v(x: ?x)\n"
    "    ?a = avg(?x) v(x: ?x)\n"
    "then\n"
    "    conclude total(n: ?n, sum: ?s, max: ?m, avg: ?a)\n"
    "end\n";

static sn_fact *put(sn_engine *e, long x)
{
    char text[64];
    snprintf(text, sizeof text, "v(x: %ld)", x);
    sn_report r = {0};
    sn_fact *f = NULL;
    if (sn_assert_string(e, text, &f, &r) != SN_OK || !f) {
        fprintf(stderr, "aggregate: %s: %s", text, r.text ? r.text : "not asserted\n");
        exit(1);
    }
    sn_report_free(&r);
    return f;
}

static long value_of(const sn_fact *f, unsigned slot)
{
    char buf[64];
    return atol(sn_fact_value(f, slot, buf, sizeof buf));
}

static int bench(long n)
{
    sn_engine *e = sn_new();
    sn_report r = {0};
    if (sn_load_string(e, "aggregate.sinew", PROGRAM, strlen(PROGRAM), &r) != SN_OK) {
        fprintf(stderr, "aggregate: %s", r.text);
        return 1;
    }
    sn_report_free(&r);
    sn_set_recording(e, false);
    sn_set_output(e, NULL);
    /* the fact of value x is facts[x]; values 0 .. n-1 at first */
    long cap = n + (long)ROUNDS * CHANGES + 1;
    sn_fact **facts = calloc((size_t)cap, sizeof *facts);
    long count = 0, sum = 0, top = -1;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        facts[i] = put(e, i);
        count++, sum += i, top = i;
    }
    sn_run(e, -1, NULL, NULL);
    double build = now() - t0;
    double per[ROUNDS];
    uint64_t fired0 = sn_fired_total(e);
    unsigned long seed = 12345;
    for (int k = 0; k < ROUNDS; k++) {
        double s0 = now();
        for (int c = 0; c < CHANGES; c++) {
            /* one fact changed (retracted, and a copy with a new value
             * asserted, as `modify` does): now and then the largest value,
             * so max has to find the next one, else any */
            long x = top;
            if (c % 16) {
                seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                x = (long)((seed >> 33) % (unsigned long)(top + 1));
                while (!facts[x])
                    x = (x + 1) % (top + 1);
            }
            sn_retract(e, facts[x]);
            facts[x] = NULL;
            sum -= x;
            while (top >= 0 && !facts[top])
                top--;
            long y = top + 1;
            facts[y] = put(e, y);
            sum += y;
            top = y;
            sn_run(e, -1, NULL, NULL);
        }
        per[k] = (now() - s0) / CHANGES * 1e6;
    }
    qsort(per, ROUNDS, sizeof *per, cmp);
    /* what the rule concluded last agrees with what is here */
    sn_fact *t[2];
    size_t nt = 0;
    int bad = sn_query(e, "total()", t, 2, &nt, NULL) != SN_OK || nt != 1 || value_of(t[0], 0) != count ||
              value_of(t[0], 1) != sum || value_of(t[0], 2) != top;
    printf("  %7ld facts: group built in %.2f s; one change %.1f us (median of %d rounds of "
           "%d), %llu firings; count %ld, sum %ld, max %ld%s\n",
           n, build, per[ROUNDS / 2], ROUNDS, CHANGES,
           (unsigned long long)(sn_fired_total(e) - fired0), count, sum, top,
           bad ? " (the engine's totals DIFFER)" : "");
    free(facts);
    sn_free(e);
    return bad;
}

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= bench(atol(argv[i]));
    return status;
}
