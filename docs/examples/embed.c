/* embed.c — sinew inside another program: define a function the rules
 * can call, load rules, assert facts, run, read the conclusions and ask
 * why. Every call that can fail says so with an sn_status; sn_errmsg
 * says what went wrong. Built by the tests against the
 * library (tests/library.sh) and against an installed one with pkg-config
 * (tests/install.sh):
 *
 *   cc embed.c $(pkg-config --cflags --libs sinew) -o embed
 */
#include <stdio.h>
#include <string.h>

#include "sinew.h"

/* pace(km, minutes): minutes per kilometre, for the rules to call. */
static bool pace(void *ctx, const sn_value *args, unsigned n, sn_value *result, char *err,
                 size_t errsize)
{
    (void)ctx;
    (void)n; /* sinew checked the rules' calls: always 2 */
    if (!args[0].is_number || !args[1].is_number || args[0].number <= 0) {
        snprintf(err, errsize, "takes a distance over 0 and a time, in numbers");
        return false;
    }
    *result = (sn_value){.is_number = true, .number = args[1].number / args[0].number};
    return true;
}

static const char rules[] =
    "template reading { value: int }\n"
    "template alert { level: symbol }\n"
    "rule doubled \"A reading below 50 is doubled until it is not.\"\n"
    "when reading(value: ?x & < 50) then assert reading(value: ?x * 2) end\n"
    "rule high \"A reading over 90 is an alert.\"\n"
    "when reading(value: > 90) then conclude alert(level: high) cf 0.8 end\n"
    "template run { km: float  minutes: float }\n"
    "template pace { per_km: float }\n"
    "rule pace_of_a_run when run(km: ?k, minutes: ?m) then assert pace(per_km: pace(?k, ?m)) end\n";

int main(void)
{
    sn_engine *e = sn_new();
    sn_report r = {0};
    if (!e) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    if (sn_define_function(e, "pace", 2, 2, pace, NULL) != SN_OK ||
        sn_load_string(e, "embed.sinew", rules, strlen(rules), &r) != SN_OK ||
        sn_assert_string(e, "reading(value: 3) run(km: 10, minutes: 45)", NULL, &r) != SN_OK) {
        fprintf(stderr, "%s\n%s", sn_errmsg(e), r.text ? r.text : "");
        sn_report_free(&r);
        sn_free(e);
        return 1;
    }
    uint64_t fired = 0;
    if (sn_run(e, -1, &fired, NULL) != SN_OK)
        fprintf(stderr, "the run stopped: %s\n", sn_errmsg(e));
    sn_fact *out[16];
    size_t n = 0;
    sn_query(e, "reading(value: > 50)", out, 16, &n, NULL);
    char buf[32];
    printf("fired %llu, %zu reading over 50: %s\n", (unsigned long long)fired, n,
           n == 1 ? sn_fact_value(out[0], 0, buf, sizeof buf) : "?");
    if (sn_query(e, "pace()", out, 16, &n, NULL) == SN_OK && n == 1)
        printf("pace %s min/km\n", sn_fact_value(out[0], 0, buf, sizeof buf));
    if (sn_query(e, "alert()", out, 16, &n, NULL) == SN_OK && n == 1) {
        printf("alert cf %.2f\n", sn_fact_cf(out[0]));
        sn_explain_why(e, out[0], SN_TEXT, stdout);
    }
    sn_report_free(&r);
    sn_free(e);
    return 0;
}
