/* fuzz_repl.c — libFuzzer harness for the REPL's command lines.
 *
 * The shipped knowledge base is loaded once and kept untouched; every
 * engine an input runs on is a clone of it (sn_clone), which costs a
 * fraction of a load. Each input is fed, line by line, to a fresh session
 * (repl/repl.h) as if piped in: commands, constructs typed over several
 * lines, consultations and their answers. The harness works in a scratch
 * folder of its own (so give libFuzzer absolute paths: build.sh does), and
 * an input holding a '/' is not run, so no command can read or write a
 * file outside it. Working memory goes back to the facts blocks after
 * each input. When an input took rules or templates away (clear), the
 * next input starts on a new clone; once inputs only added some (load, a
 * typed rule), the 256th input after takes a new clone. Not at every
 * change: under the sanitizers a clone of the shipped knowledge base
 * costs some ten milliseconds (every arena object is an allocation of
 * its own), and most inputs type a rule; what they added stays small.
 * Runs are held to a few thousand firings.
 *
 * libFuzzer runs an input again when it made more allocations than it
 * freed, and when the second run does too it stops everything for a
 * leak check of the whole heap (a tenth of a second here). So what an
 * input leaves in the engine must be there after its first run: caches
 * the engine fills lazily on a later call (the what-if copy catching up
 * with rules typed before it, a check's undo log) would make the second
 * run grow again, and the engine brings them up to date in the call that
 * makes them stale instead.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count_rules(const sn_engine *e)
{
    unsigned n = 0;
    for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r))
        n++;
    for (const sn_template *t = sn_template_next(e, NULL); t; t = sn_template_next(e, t))
        n++;
    return n;
}

static char rules_dir[4096];
static unsigned nrules;

/* The shipped knowledge base, loaded once: every engine an input runs on
 * is a clone of it. */
static sn_engine *pristine(void)
{
    static sn_engine *e;
    if (e)
        return e;
    if (!getcwd(rules_dir, sizeof rules_dir - 8)) {
        perror("fuzz_repl: getcwd");
        exit(2);
    }
    strcat(rules_dir, "/rules");
    char scratch[] = "/tmp/fuzz_repl.XXXXXX";
    if (!mkdtemp(scratch) || chdir(scratch) != 0) {
        perror("fuzz_repl: a scratch folder");
        exit(2);
    }
    if (!freopen("/dev/null", "w", stdout)) {
        perror("fuzz_repl: /dev/null");
        exit(2);
    }
    e = sn_new();
    const char *rules[] = {rules_dir};
    sn_report r = {0};
    if (!e || sn_load_files(e, rules, 1, &r) != SN_OK) {
        fprintf(stderr, "fuzz_repl: cannot load %s\n%s", rules_dir, r.text ? r.text : "");
        exit(2);
    }
    sn_report_free(&r);
    sn_set_max_firings(e, 5000);
    nrules = count_rules(e);
    return e;
}

static sn_engine *fresh(void)
{
    sn_engine *e = sn_clone(pristine());
    if (!e) {
        fprintf(stderr, "fuzz_repl: cannot clone the knowledge base\n");
        exit(2);
    }
    return e;
}

/* Feed TEXT to a fresh session on the shipped knowledge base; the next
 * input starts from the same engine. Shared with fuzz_consult.c. */
void fuzz_repl_feed(const char *text, size_t len);
void fuzz_repl_feed(const char *text, size_t len)
{
    static sn_engine *e;
    if (!e)
        e = fresh();
    if (memchr(text, '/', len))
        return;
    repl_session *s = repl_session_new(e);
    if (!s)
        return;
    repl_session_feed(s, text, len);
    repl_session_free(s);
    sn_set_watch(e, 0, NULL);
    static unsigned added;
    unsigned n = count_rules(e);
    if (n < nrules || (n > nrules && ++added % 256 == 0)) {
        sn_free(e);
        e = fresh();
    } else {
        sn_reset(e);
    }
}

#ifndef FUZZ_REPL_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_repl_feed((const char *)data, size);
    return 0;
}
#endif
