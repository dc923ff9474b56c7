/* fuzz_repl.c — libFuzzer harness for the REPL's command lines.
 *
 * The shipped knowledge base is loaded once and kept untouched; every
 * engine an input runs on is a clone of it (sn_clone), which costs a
 * fraction of a load. Each input is fed, line by line, to a fresh session
 * (repl/repl.h) as if piped in: commands, constructs typed over several
 * lines, consultations and their answers. Runs are held to a few
 * thousand firings.
 *
 * Files: the harness works in a scratch folder of its own, in /dev/shm
 * when it can (`save` syncs what it writes, which on a disk costs more
 * than the rest of an input), emptied every 4,096 inputs and removed at
 * the end. An input holding a '/' is not run, so no command reads or
 * writes a file outside it; give libFuzzer absolute paths (build.sh does).
 *
 * Engines: working memory goes back to the facts blocks after each input.
 * When an input took rules or templates away (clear), the next input
 * starts on a new clone; once inputs only added some (load, a typed rule),
 * the 256th input after takes a new clone. Not at every change: a clone
 * costs a few milliseconds under the sanitizers, and most inputs type a
 * rule.
 *
 * Leaks: libFuzzer runs an input again when it made more allocations than
 * it freed, and when the second run does too it stops everything for a
 * leak check of the whole heap (a tenth of a second here, a third of all
 * the time when it was left to do so). See fuzz_repl_feed for what the
 * harness does instead. What an input leaves in the engine should be
 * there after its first run: caches the engine fills lazily on a later
 * call (the what-if copy catching up with rules typed before it, a check's
 * undo log) would make the second run grow again, and the engine brings
 * them up to date in the call that makes them stale instead.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ftw.h>
#include <sys/stat.h>
#include <sanitizer/allocator_interface.h>
#include <sanitizer/lsan_interface.h>

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
static char scratch[64];
static unsigned nrules;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

/* What the inputs saved (save, consult's save), and at the end the
 * folder itself, removed. */
static void empty_scratch(bool and_folder)
{
    if (!*scratch)
        return;
    if (chdir("/") == 0) {
        nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
        if (!and_folder && (mkdir(scratch, 0700) != 0 || chdir(scratch) != 0)) {
            perror("fuzz_repl: the scratch folder");
            exit(2);
        }
    }
}

static void remove_scratch(void) { empty_scratch(true); }

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
    static const char *const where[] = {"/dev/shm", "/tmp"};
    for (size_t i = 0; i < 2 && !*scratch; i++) {
        snprintf(scratch, sizeof scratch, "%s/fuzz_repl.XXXXXX", where[i]);
        if (!mkdtemp(scratch))
            *scratch = '\0';
    }
    if (!*scratch || chdir(scratch) != 0) {
        perror("fuzz_repl: a scratch folder");
        exit(2);
    }
    atexit(remove_scratch);
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

/* Blocks made and freed while an input runs (the sanitizer's hooks). */
static bool counting;
static uint64_t made, freed;
static void on_malloc(const volatile void *p, size_t size)
{
    (void)p;
    (void)size;
    made += counting;
}
static void on_free(const volatile void *p)
{
    (void)p;
    freed += counting;
}

static uint64_t hash_of(const char *text, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 0x100000001b3u;
    return h;
}

/* Feed TEXT to a fresh session on the shipped knowledge base; the next
 * input starts from the same engine. Shared with fuzz_consult.c.
 *
 * An input run again at once after it grew the heap is libFuzzer's leak
 * test: should the second run grow it too, libFuzzer would stop for a
 * check of the whole heap. What grows there is nearly always what the
 * engine keeps of the input (a typed rule's text, memories of nodes
 * first reached), so the harness frees the engine within that run and
 * starts the next input on a new clone. Then every block the inputs made
 * should be gone; when more are left than after the last clone, something
 * outside the engine kept them, and the harness runs the leak check
 * itself: a leak stops the run with LeakSanitizer's report. */
void fuzz_repl_feed(const char *text, size_t len);
void fuzz_repl_feed(const char *text, size_t len)
{
    static sn_engine *e;
    static uint64_t last_hash, live_after_clone;
    static size_t last_len;
    static bool last_grew, hooked;
    if (!hooked)
        hooked = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) != 0;
    static unsigned inputs;
    if (++inputs % 4096 == 0)
        empty_scratch(false);
    uint64_t hash = hash_of(text, len), made0 = made, freed0 = freed;
    bool again = last_grew && hash == last_hash && len == last_len;
    last_grew = false;
    counting = true;
    if (!e) {
        e = fresh();
        live_after_clone = made - freed;
    }
    if (memchr(text, '/', len)) {
        counting = false;
        return;
    }
    repl_session *s = repl_session_new(e);
    if (s) {
        repl_session_feed(s, text, len);
        repl_session_free(s);
    }
    sn_set_watch(e, 0, NULL);
    static unsigned added;
    unsigned n = count_rules(e);
    bool renew = n < nrules || (n > nrules && ++added % 256 == 0);
    if (!renew)
        sn_reset(e);
    bool grew = made - made0 > freed - freed0;
    if (renew || (again && grew)) {
        sn_free(e);
        e = fresh();
        if (again && grew && made - freed > live_after_clone &&
            __lsan_do_recoverable_leak_check() != 0) {
            fprintf(stderr, "fuzz_repl: the input leaked (above)\n");
            abort();
        }
        live_after_clone = made - freed;
    }
    counting = false;
    last_hash = hash;
    last_len = len;
    last_grew = hooked && grew;
}

#ifndef FUZZ_REPL_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_repl_feed((const char *)data, size);
    return 0;
}
#endif
