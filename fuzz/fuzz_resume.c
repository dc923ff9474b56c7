/* fuzz_resume.c — libFuzzer harness for resumed consultations.
 *
 * Each input is written to a file and read back as a saved consultation
 * (sn_case_resume, as `sinew consult --resume FILE` does) against the
 * shipped knowledge base; when it reads, the rules run (a few thousand
 * firings at most) and working memory goes back to the facts blocks. A
 * bad file must be refused with its errors and leave the engine as it
 * was: the count of rules and templates is checked after each input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sinew.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count_decls(const sn_engine *e)
{
    unsigned n = sn_case_count(e);
    for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r))
        n++;
    for (const sn_template *t = sn_template_next(e, NULL); t; t = sn_template_next(e, t))
        n++;
    return n;
}

static char path[] = "/tmp/fuzz_resume.XXXXXX";
static unsigned ndecls;

static sn_engine *engine(void)
{
    static sn_engine *e;
    if (e)
        return e;
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("fuzz_resume: a scratch file");
        exit(2);
    }
    close(fd);
    e = sn_new();
    const char *rules[] = {"rules"};
    sn_report r = {0};
    if (!e || sn_load_files(e, rules, 1, &r) != SN_OK) {
        fprintf(stderr, "fuzz_resume: cannot load rules/ (run it from the project's folder)\n%s",
                r.text ? r.text : "");
        exit(2);
    }
    sn_report_free(&r);
    sn_set_output(e, NULL);
    sn_set_max_firings(e, 5000);
    ndecls = count_decls(e);
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sn_engine *e = engine();
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    size_t wrote = fwrite(data, 1, size, f);
    if (fclose(f) != 0 || wrote != size)
        return 0;
    char name[256];
    sn_report r = {0};
    if (sn_case_resume(e, path, name, sizeof name, &r) == SN_OK)
        sn_run(e, -1, NULL, NULL);
    sn_report_free(&r);
    if (count_decls(e) != ndecls)
        abort(); /* a resumed file must leave nothing behind */
    sn_reset(e);
    return 0;
}
