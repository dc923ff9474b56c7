/* fuzz_batch.c — libFuzzer harness for `sinew batch` input lines.
 *
 * The shipped knowledge base is loaded once; each input is read as batch
 * input (JSON cases, one a line) by the code `sinew batch` uses, and the
 * results written to /dev/null. A bad line must get an error record, never
 * a crash, a leak or a hang (each run is held to a few thousand firings).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"

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
        fprintf(stderr, "fuzz_batch: cannot load rules/ (run it from the project's folder)\n%s",
                r.text ? r.text : "");
        exit(2);
    }
    sn_report_free(&r);
    sn_set_output(e, NULL);
    sn_set_max_firings(e, 5000);
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    if (size == 0)
        return 0;
    FILE *in = fmemopen((void *)data, size, "r");
    if (!in)
        return 0;
    unsigned long long cases, errors;
    batch_lines(engine(), in, sink, true, NULL, &cases, &errors);
    fclose(in);
    return 0;
}
