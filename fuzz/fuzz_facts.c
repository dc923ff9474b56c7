/* fuzz_facts.c — libFuzzer harness for facts files (`sinew run --facts`).
 *
 * The shipped knowledge base is loaded once; each input is asserted as a
 * facts file (all or none), the rules run (a few thousand firings at
 * most), and working memory goes back to the facts blocks for the next.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sinew.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sn_engine *engine(void)
{
    static sn_engine *e;
    if (e)
        return e;
    e = sn_new();
    const char *rules[] = {"rules"};
    sn_report r = {0};
    if (!e || sn_load_files(e, rules, 1, &r) != SN_OK) {
        fprintf(stderr, "fuzz_facts: cannot load rules/ (run it from the project's folder)\n%s",
                r.text ? r.text : "");
        exit(2);
    }
    sn_report_free(&r);
    FILE *sink = fopen("/dev/null", "w");
    sn_set_output(e, sink);
    sn_set_max_firings(e, 5000);
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sn_engine *e = engine();
    sn_fact *out[4];
    sn_report r = {0};
    sn_status st = sn_assert_facts(e, "fuzz.facts", (const char *)data, size, out, 4, NULL, &r);
    sn_report_free(&r);
    if (st == SN_OK)
        sn_run(e, -1, NULL, NULL);
    sn_reset(e);
    return 0;
}
