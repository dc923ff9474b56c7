/* repl.c — the interactive session: commands, explanations, completion,
 * history, Ctrl-C. See repl.h.
 *
 * Every command either does what it says or prints one clear message and
 * changes nothing: the engine's loads are atomic, and each command checks
 * its arguments before it calls the engine. Output goes to standard
 * output; errors and diagnostics to standard error (standard output is
 * flushed first, so a transcript of both reads in order). Without a
 * terminal, an error names the script and the line it came from
 * (session.txt:7: error: ...), a construct typed in is loaded under the
 * script's name at its own lines, and the exit status is 1 if any command
 * failed (--bail: stop there).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "sinew.h"
#include "cli.h"
#include "commands.h"
#include "consult.h"
#include "repl.h"
#include "typed.h"

typedef struct session {
    sn_engine *e;
    bool tty;
    bool color;             /* on standard output */
    bool color_err;         /* on standard error */
    bool quit;
    bool bail;              /* stop at the first failure (not on a terminal) */
    bool failed;            /* a command failed */
    FILE *in;               /* the commands, when not on a terminal */
    const char *source;     /* its name: the script, or "<stdin>" */
    unsigned line;          /* the line read last (1-based; 0 before any) */
    unsigned inputs;        /* constructs typed in, to name them */
    char *history;          /* history file, or NULL */
    unsigned hist_new;      /* entries this session added to the history */
    consult *c;             /* a consultation going on, or NULL */
    size_t nul;             /* the line read held a NUL byte: its column; else 0 */
    unsigned width;         /* a consultation's columns (0: the terminal's) */
    typed text;             /* a construct being typed (text.text NULL when none) */
    unsigned text_line;     /* the line it began on */
    char *feed;             /* repl_session_feed's line (its own) */
    size_t feed_cap;
} session;

static volatile sig_atomic_t interrupted;
/* Set by Ctrl-C and never cleared: a session reading a script or a pipe
 * ends at the next line with exit status 130 (at a terminal it goes on). */
static volatile sig_atomic_t ever_interrupted;
static session *the_session; /* for readline's completion callbacks */

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    ever_interrupted = 1;
}

/* ---- output helpers ----------------------------------------------------- */

/* A command failed: MSG on standard error, after what standard output
 * holds; "SCRIPT:LINE: error: MSG" when not on a terminal. */
static void report_error(session *s, const char *msg)
{
    s->failed = true;
    fflush(stdout);
    const char *on = s->color_err ? "\033[31m" : "", *off = s->color_err ? "\033[0m" : "";
    if (!s->tty && s->line > 0)
        fprintf(stderr, "%s:%u: %serror:%s %s\n", s->source, s->line, on, off, msg);
    else if (!s->tty)
        fprintf(stderr, "sinew: %serror:%s %s\n", on, off, msg);
    else
        fprintf(stderr, "%serror:%s %s\n", on, off, msg);
}

static void on_consult_error(void *ctx, const char *msg) { report_error(ctx, msg); }

static void error(session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void error(session *s, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    report_error(s, msg);
}

/* Diagnostics, on standard error after what standard output holds. */
static void show_report(const sn_report *r)
{
    if (r->text && *r->text) {
        fflush(stdout);
        fputs(r->text, stderr);
    }
}

static char *skip_ws(char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static void trim_end(char *p)
{
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
        p[--n] = '\0';
}

/* Take a --json / --dot FILE option out of ARGS. */
static bool take_flag(char *args, const char *flag)
{
    size_t n = strlen(flag);
    for (char *p = strstr(args, flag); p; p = strstr(p + 1, flag)) {
        bool start = p == args || p[-1] == ' ' || p[-1] == '\t';
        bool end = p[n] == '\0' || p[n] == ' ' || p[n] == '\t';
        if (start && end) {
            memmove(p, p + n, strlen(p + n) + 1);
            trim_end(args);
            return true;
        }
    }
    return false;
}

/* A fact named by "#12", "12" or a pattern that matches exactly one. */
static sn_fact *fact_arg(session *s, const char *arg, bool quiet)
{
    const char *p = arg;
    if (*p == '#')
        p++;
    if (*p >= '0' && *p <= '9') {
        char *end;
        errno = 0;
        unsigned long long id = strtoull(p, &end, 10);
        if (*skip_ws(end) == '\0' && errno == 0) {
            sn_fact *f = sn_fact_by_id(s->e, id);
            if (!f && !quiet)
                error(s, "there is no fact #%llu (try 'facts')", id);
            return f;
        }
    }
    sn_report r = {0};
    sn_fact *found[2];
    /* see facts below the threshold too: they have explanations */
    size_t n = 0;
    sn_status st = sn_query(s->e, arg, found, 2, &n, &r);
    if (st == SN_ERR_NOMEM) {
        if (!quiet)
            error(s, "%s", sn_errmsg(s->e));
        sn_report_free(&r);
        return NULL;
    }
    if (st != SN_OK) {
        if (!quiet) {
            error(s, "'%s' is neither a fact id (#12) nor a pattern:", arg);
            show_report(&r);
        }
        sn_report_free(&r);
        return NULL;
    }
    sn_report_free(&r);
    if (n == 1)
        return found[0];
    if (!quiet) {
        if (n == 0)
            error(s, "no fact matches %s (try 'facts', or 'whynot %s')", arg, arg);
        else
            error(s, "%ld facts match %s; name one by its id", n, arg);
    }
    return NULL;
}

/* ---- commands ------------------------------------------------------------ */

typedef struct command {
    const char *name;
    const char *args;
    const char *help;
    void (*fn)(session *, char *args);
} command;

static const command commands[];

static void rc_help(session *s, char *args);

/* The words of ARGS split at SEP, as many as there are: an array (the
 * caller frees it) of pointers into ARGS, which is cut up. NULL when out
 * of memory. */
static char **split_words(char *args, const char *sep, unsigned *n)
{
    unsigned cap = 8;
    char **v = malloc(cap * sizeof *v);
    *n = 0;
    for (char *tok = strtok(args, sep); v && tok; tok = strtok(NULL, sep)) {
        if (*n == cap) {
            char **w = realloc(v, 2 * cap * sizeof *v);
            if (!w) {
                free(v);
                return NULL;
            }
            v = w;
            cap *= 2;
        }
        v[(*n)++] = tok;
    }
    return v;
}

static void rc_load(session *s, char *args)
{
    unsigned n;
    char **paths = split_words(args, " \t", &n);
    if (!paths) {
        error(s, "out of memory");
        return;
    }
    if (n == 0) {
        free(paths);
        error(s, "load needs a file or a folder: load rules/extra.sinew");
        return;
    }
    sn_report r = {0};
    bool ok = sn_load_files(s->e, (const char *const *)paths, n, &r) == SN_OK;
    free(paths);
    show_report(&r);
    if (ok)
        printf("loaded%s\n", r.nwarnings ? " (with warnings)" : "");
    else
        error(s, "nothing loaded: %u error%s", r.nerrors, r.nerrors == 1 ? "" : "s");
    sn_report_free(&r);
}

static void print_fact(const sn_fact *f)
{
    printf("#%-4llu ", (unsigned long long)sn_fact_id(f));
    sn_fact_write(stdout, f);
    if (sn_fact_cf(f) != 1.0)
        printf("  cf %.2f", sn_fact_cf(f));
    switch (sn_fact_origin(f)) {
    case SN_ORIGIN_CONCLUDED: printf("  (concluded)"); break;
    case SN_ORIGIN_RULE: printf("  (asserted by a rule)"); break;
    default: break;
    }
    putchar('\n');
}

static void rc_facts(session *s, char *args)
{
    if (*args == '\0') {
        unsigned n = 0;
        for (sn_fact *f = sn_fact_next(s->e, NULL); f; f = sn_fact_next(s->e, f), n++)
            print_fact(f);
        printf("%u fact%s\n", n, n == 1 ? "" : "s");
        return;
    }
    sn_report r = {0};
    size_t n = 0;
    sn_status st = sn_query(s->e, args, NULL, 0, &n, &r);
    if (st != SN_OK) {
        if (st == SN_ERR_NOMEM)
            error(s, "%s", sn_errmsg(s->e));
        else
            error(s, "facts takes a pattern, like: facts diagnosis(cf: > 0.5)");
        show_report(&r);
        sn_report_free(&r);
        return;
    }
    sn_fact **v = malloc((n + 1) * sizeof *v);
    if (!v) {
        error(s, "out of memory");
        sn_report_free(&r);
        return;
    }
    if (sn_query(s->e, args, v, n, &n, &r) != SN_OK) {
        error(s, "%s", sn_errmsg(s->e));
        n = 0;
    }
    for (size_t i = 0; i < n; i++)
        print_fact(v[i]);
    printf("%zu fact%s\n", n, n == 1 ? "" : "s");
    free(v);
    sn_report_free(&r);
}

/* Assert the facts of ARGS ("a(1) b(x: 2)"), all or none: they are
 * checked together as a facts block before any is asserted. */
static void rc_assert(session *s, char *args)
{
    if (*args == '\0') {
        error(s, "assert needs a fact, like: assert site(value: groin)");
        return;
    }
    /* a fact has its '(': no more facts than that */
    size_t max = 1;
    for (const char *p = args; *p; p++)
        max += *p == '(';
    sn_fact **v = malloc(max * sizeof *v);
    if (!v) {
        error(s, "out of memory");
        return;
    }
    sn_report r = {0};
    size_t n = 0;
    sn_status st = sn_assert_facts(s->e, "<input>", args, strlen(args), v, max, &n, &r);
    if (st == SN_ERR_NOMEM) {
        error(s, "%s: nothing was asserted", sn_errmsg(s->e));
        show_report(&r);
    } else if (st != SN_OK) {
        error(s, "not a fact: %s", args);
        show_report(&r);
    }
    for (size_t i = 0; st == SN_OK && i < n && i < max; i++) {
        if (v[i])
            print_fact(v[i]);
        else
            error(s, "fact %zu of %zu was not kept (truth maintenance withdrew it)", i + 1, n);
    }
    sn_report_free(&r);
    free(v);
}

/* F (one sn_fact_by_id found) still in working memory, not withdrawn. */
static bool in_memory(sn_engine *e, const sn_fact *f)
{
    for (const sn_fact *g = sn_fact_next(e, NULL); g; g = sn_fact_next(e, g))
        if (g == f)
            return true;
    return false;
}

static void rc_retract(session *s, char *args)
{
    if (*args == '\0') {
        error(s, "retract needs fact ids, like: retract #3 #5");
        return;
    }
    /* every id must name a fact before any goes */
    unsigned nw;
    char **words = split_words(args, " \t,", &nw);
    uint64_t *v = words ? malloc((nw + 1) * sizeof *v) : NULL;
    if (!v) {
        free(words);
        error(s, "out of memory");
        return;
    }
    unsigned n = 0;
    for (unsigned w = 0; w < nw; w++) {
        const char *tok = words[w];
        const char *p = *tok == '#' ? tok + 1 : tok;
        char *end;
        unsigned long long id = strtoull(p, &end, 10);
        if (*p < '0' || *p > '9' || *end) {
            error(s, "retract takes fact ids (#3 or 3), not '%s'", tok);
            free(words);
            free(v);
            return;
        }
        sn_fact *f = sn_fact_by_id(s->e, id);
        if (!f || sn_fact_next(s->e, NULL) == NULL) {
            error(s, "there is no fact #%llu", id);
            free(words);
            free(v);
            return;
        }
        if (!in_memory(s->e, f)) {
            error(s, "fact #%llu was already withdrawn", id);
            free(words);
            free(v);
            return;
        }
        v[n++] = id;
    }
    free(words);
    for (unsigned i = 0; i < n; i++) {
        /* by its id: an earlier retraction (of the same fact, or of one
         * it was concluded from) may have withdrawn and freed it */
        uint64_t id = v[i];
        sn_fact *f = sn_fact_by_id(s->e, id);
        if (!f || !in_memory(s->e, f))
            continue;
        if (sn_retract(s->e, f) == SN_OK)
            printf("retracted #%llu\n", (unsigned long long)id);
        else
            error(s, "#%llu was not retracted: %s", (unsigned long long)id, sn_errmsg(s->e));
    }
    free(v);
}

static void rc_run(session *s, char *args)
{
    long limit = -1;
    if (*args) {
        char *end;
        limit = strtol(args, &end, 10);
        if (*skip_ws(end) || limit < 0) {
            error(s, "run takes a number of firings, like: run 10");
            return;
        }
    }
    interrupted = 0;
    uint64_t fired;
    sn_stop why;
    sn_run(s->e, limit, &fired, &why);
    printf("%llu rule%s fired", (unsigned long long)fired, fired == 1 ? "" : "s");
    switch (why) {
    case SN_STOP_EMPTY: printf("\n"); break;
    case SN_STOP_LIMIT: printf(" (the limit; more are waiting: 'agenda')\n"); break;
    case SN_STOP_HALT: printf(" (a rule said halt)\n"); break;
    case SN_STOP_INTERRUPT: printf(" (interrupted: working memory is as it was after the last firing)\n"); break;
    case SN_STOP_ERROR: printf("\n"); error(s, "%s", sn_errmsg(s->e)); break;
    }
    interrupted = 0;
}

/* Whether the knowledge base has modules other than main. */
static bool has_modules(const session *s)
{
    return sn_module_name(s->e, 1) != NULL;
}

/* "screening, advice, main": the focus stack from the top. */
static void print_focus(session *s)
{
    const char *top[64];
    unsigned n = sn_focus_stack(s->e, top, 64);
    for (unsigned i = 0; i < n && i < 64; i++)
        printf("%s%s", i ? ", " : "", top[i]);
    if (n > 64)
        printf(", ... (%u in all)", n);
    if (n == 0)
        printf("none: the next run starts with the starting focus, then main");
}

/* The agenda, one activation a line under INDENT (under a line naming
 * its module when there are modules); at most MAX lines (0: all).
 * Returns how many activations there are. */
static unsigned agenda_lines(session *s, const char *indent, unsigned max)
{
    unsigned n = 0;
    unsigned module = ~0u;
    bool modules = has_modules(s);
    for (sn_activation *a = sn_agenda_next(s->e, NULL); a; a = sn_agenda_next(s->e, a), n++) {
        if (max && n >= max)
            continue;
        const sn_fact *fs[32];
        unsigned k = sn_activation_facts(a, fs, 32);
        unsigned m = sn_rule_module(sn_activation_rule(a));
        if (modules && m != module)
            printf("%smodule %s\n", indent, sn_module_name(s->e, m));
        module = m;
        printf("%s%4d  %s:", indent, sn_activation_salience(a), sn_rule_name(sn_activation_rule(a)));
        for (unsigned i = 0; i < k && i < 32; i++)
            printf("%s#%llu", i ? ", " : " ", (unsigned long long)sn_fact_id(fs[i]));
        putchar('\n');
    }
    if (max && n > max)
        printf("%s... %u more\n", indent, n - max);
    return n;
}

static void rc_agenda(session *s, char *args)
{
    (void)args;
    unsigned n = agenda_lines(s, "", 0);
    printf("%u activation%s (strategy %s", n, n == 1 ? "" : "s",
           sn_strategy_name(sn_strategy_get(s->e)));
    const char *top;
    if (has_modules(s) && sn_focus_stack(s->e, &top, 1) > 0) {
        printf("; focus ");
        print_focus(s);
    }
    printf(")\n");
}

/* focus: the stack; focus A B: A's rules fire next, then B's, then the
 * run goes on as it would have. */
static void rc_focus(session *s, char *args)
{
    char *names[64];
    unsigned n = 0;
    for (char *w = strtok(args, " \t,"); w; w = strtok(NULL, " \t,")) {
        if (n == 64) {
            error(s, "focus takes at most 64 modules at once");
            return;
        }
        names[n++] = w;
    }
    for (unsigned i = 0; i < n; i++) {
        bool known = false;
        for (unsigned m = 0; sn_module_name(s->e, m); m++)
            known |= strcmp(sn_module_name(s->e, m), names[i]) == 0;
        if (!known) {
            char list[512];
            size_t at = 0;
            for (unsigned m = 0; sn_module_name(s->e, m) && at < sizeof list - 1; m++) {
                int w = snprintf(list + at, sizeof list - at, "%s%s", m ? ", " : "",
                                 sn_module_name(s->e, m));
                at += w > 0 ? (size_t)w : 0;
            }
            error(s, "no module '%s'; the modules are %s", names[i], list);
            return;
        }
    }
    for (unsigned i = n; i-- > 0;)
        if (sn_focus(s->e, names[i]) != SN_OK) {
            error(s, "%s", sn_errmsg(s->e));
            return;
        }
    printf("focus ");
    print_focus(s);
    putchar('\n');
}

/* step: one firing, with the agenda before and after and what changed. */
static void rc_step(session *s, char *args)
{
    enum { SHOWN = 10 };
    if (*args) {
        error(s, "step takes nothing (it fires one rule): step");
        return;
    }
    printf("agenda before:\n");
    if (agenda_lines(s, "  ", SHOWN) == 0) {
        printf("  (empty: nothing to fire)\n");
        return;
    }
    sn_step_result r;
    sn_stop why;
    if (sn_step(s->e, &r, &why) == SN_ERR_NOMEM) {
        error(s, "%s", sn_errmsg(s->e));
        return;
    }
    if (r.rule && r.firing) {
        printf("fired %llu %s (%s):", (unsigned long long)r.firing, sn_rule_name(r.rule),
               sn_rule_where(r.rule));
        for (unsigned i = 0; i < r.nmatched && i < SN_STEP_MATCHED; i++)
            printf("%s#%llu", i ? ", " : " ", (unsigned long long)r.matched[i]);
        putchar('\n');
    }
    for (unsigned i = 0; i < r.n; i++) {
        const sn_change *c = &r.changes[i];
        switch (c->kind) {
        case SN_CHANGE_ADDED:
            printf("  + #%llu %s cf %.2f", (unsigned long long)c->id, c->fact, c->after);
            if (c->replaces)
                printf(" (modified #%llu)", (unsigned long long)c->replaces);
            putchar('\n');
            break;
        case SN_CHANGE_REMOVED:
            printf("  - #%llu %s cf %.2f %s%s\n", (unsigned long long)c->id, c->fact, c->after,
                   c->withdrawn ? "withdrawn: " : "retracted", c->withdrawn && c->cause ? c->cause : "");
            break;
        case SN_CHANGE_CF:
            printf("  ~ #%llu %s %.2f -> %.2f %s\n", (unsigned long long)c->id, c->fact, c->before,
                   c->after, c->cause ? c->cause : "");
            break;
        }
    }
    if (r.n == 0 && r.firing)
        printf("  (working memory did not change)\n");
    sn_step_free(&r);
    if (why == SN_STOP_ERROR)
        error(s, "%s", sn_errmsg(s->e));
    printf("agenda after:\n");
    if (agenda_lines(s, "  ", SHOWN) == 0)
        printf("  (empty)\n");
}

static void rc_rules(session *s, char *args)
{
    unsigned n = 0;
    for (const sn_rule *r = sn_rule_next(s->e, NULL); r; r = sn_rule_next(s->e, r)) {
        if (*args && !strstr(sn_rule_name(r), args))
            continue;
        printf("%-40s %s", sn_rule_name(r), sn_rule_where(r));
        if (sn_rule_salience(r))
            printf("  salience %d", sn_rule_salience(r));
        if (sn_rule_module(r))
            printf("  module %s", sn_module_name(s->e, sn_rule_module(r)));
        if (sn_rule_fired(r))
            printf("  fired %llu", (unsigned long long)sn_rule_fired(r));
        putchar('\n');
        n++;
    }
    printf("%u rule%s\n", n, n == 1 ? "" : "s");
}

static void rc_templates(session *s, char *args)
{
    unsigned n = 0;
    for (const sn_template *t = sn_template_next(s->e, NULL); t; t = sn_template_next(s->e, t)) {
        if (*args && !strstr(sn_template_name(t), args))
            continue;
        printf("%s(", sn_template_name(t));
        for (unsigned i = 0; i < sn_template_nslots(t); i++)
            printf("%s%s", i ? ", " : "", sn_template_slot(t, i));
        printf(")\n");
        n++;
    }
    printf("%u template%s\n", n, n == 1 ? "" : "s");
}

static void explain_fact(session *s, char *args, const char *cmd, bool how)
{
    bool json = take_flag(args, "--json");
    if (*args == '\0') {
        error(s, "%s needs a fact: %s #12, or %s diagnosis(name: hip_bursitis)", cmd, cmd, cmd);
        return;
    }
    sn_fact *f = fact_arg(s, args, false);
    if (!f)
        return;
    sn_status st = how ? sn_explain_how(s->e, f, json ? SN_JSON : SN_TEXT, stdout)
                       : sn_explain_why(s->e, f, json ? SN_JSON : SN_TEXT, stdout);
    if (st != SN_OK)
        error(s, "%s", sn_errmsg(s->e));
}

static void rc_why(session *s, char *args) { explain_fact(s, args, "why", false); }
static void rc_how(session *s, char *args) { explain_fact(s, args, "how", true); }

static void rc_whynot(session *s, char *args)
{
    bool json = take_flag(args, "--json");
    if (*args == '\0') {
        error(s, "whynot needs a pattern, like: whynot diagnosis(name: hip_bursitis)");
        return;
    }
    sn_report r = {0};
    sn_status st = sn_explain_whynot(s->e, args, json ? SN_JSON : SN_TEXT, stdout, &r);
    if (st == SN_ERR_NOMEM) {
        error(s, "%s", sn_errmsg(s->e));
    } else if (st != SN_OK) {
        error(s, "whynot needs a pattern, like: whynot diagnosis(name: hip_bursitis)");
        show_report(&r);
    }
    sn_report_free(&r);
}

static void rc_explain(session *s, char *args)
{
    /* explain F [--json | --dot [FILE]] */
    char *dot = strstr(args, "--dot");
    char *file = NULL;
    if (dot && (dot == args || dot[-1] == ' ')) {
        char *after = skip_ws(dot + 5);
        if (*after && *after != '-') {
            char *end = after;
            while (*end && *end != ' ' && *end != '\t')
                end++;
            file = strndup(after, (size_t)(end - after));
            memmove(dot, end, strlen(end) + 1);
        } else {
            memmove(dot, dot + 5, strlen(dot + 5) + 1);
        }
        trim_end(args);
        if (!file) {
            error(s, "explain --dot needs a file to write: explain #12 --dot proof.dot");
            return;
        }
        sn_fact *f = *skip_ws(args) ? fact_arg(s, skip_ws(args), false) : NULL;
        if (!*skip_ws(args))
            error(s, "explain needs a fact: explain #12 --dot proof.dot");
        if (!f) {
            free(file);
            return;
        }
        FILE *out = fopen(file, "w");
        if (!out) {
            error(s, "cannot write %s: %s", file, strerror(errno));
            free(file);
            return;
        }
        sn_status st = sn_explain_how(s->e, f, SN_DOT, out);
        if (st != SN_OK)
            error(s, "%s", sn_errmsg(s->e));
        bool written = !ferror(out) && st == SN_OK;
        errno = 0;
        written = fclose(out) == 0 && written;
        if (!written) {
            error(s, "cannot write %s%s%s", file, errno ? ": " : "", errno ? strerror(errno) : "");
            free(file);
            return;
        }
        printf("wrote %s (render it with: dot -Tpng %s -o proof.png)\n", file, file);
        free(file);
        return;
    }
    bool json = take_flag(args, "--json");
    char *a = skip_ws(args);
    if (*a == '\0') {
        error(s, "explain needs a fact: explain #12 [--json | --dot FILE]");
        return;
    }
    sn_fact *f = fact_arg(s, a, false);
    if (!f)
        return;
    sn_status st;
    if (json) {
        st = sn_explain_how(s->e, f, SN_JSON, stdout);
    } else {
        st = sn_explain_why(s->e, f, SN_TEXT, stdout);
        if (st == SN_OK) {
            printf("proof:\n");
            st = sn_explain_how(s->e, f, SN_TEXT, stdout);
        }
    }
    if (st != SN_OK)
        error(s, "%s", sn_errmsg(s->e));
}

/* network [RULE] [--dot FILE]: the Rete network as a Graphviz picture,
 * to FILE or to standard output. */
static void rc_network(session *s, char *args)
{
    char *file = NULL;
    char *dot = strstr(args, "--dot");
    if (dot && (dot == args || dot[-1] == ' ')) {
        char *after = skip_ws(dot + 5);
        char *end = after;
        while (*end && *end != ' ' && *end != '\t')
            end++;
        if (end == after || *after == '-') {
            error(s, "network --dot needs a file to write: network --dot rete.dot");
            return;
        }
        file = strndup(after, (size_t)(end - after));
        memmove(dot, end, strlen(end) + 1);
        trim_end(args);
    }
    char *rule = skip_ws(args);
    if (*rule && strpbrk(rule, " \t")) {
        error(s, "network takes one rule at most: network [RULE] [--dot FILE]");
        free(file);
        return;
    }
    if (*rule && !sn_rule_find(s->e, rule)) {
        error(s, "there is no rule '%s' ('rules' lists them)", rule);
        free(file);
        return;
    }
    FILE *out = file ? fopen(file, "w") : stdout;
    if (!out) {
        error(s, "cannot write %s: %s", file, strerror(errno));
        free(file);
        return;
    }
    sn_status st = sn_network_dot(s->e, *rule ? rule : NULL, out);
    bool ok = st == SN_OK;
    if (file) {
        ok = !ferror(out) && ok;
        errno = 0;
        ok = fclose(out) == 0 && ok;
        if (!ok)
            error(s, "cannot write %s%s%s", file, errno ? ": " : "", errno ? strerror(errno) : "");
        else
            printf("wrote %s (render it with: dot -Tsvg %s -o rete.svg)\n", file, file);
    } else if (!ok) {
        error(s, "the network could not be drawn: %s", sn_errmsg(s->e));
    }
    free(file);
}

static void rc_conclusions(session *s, char *args)
{
    (void)args;
    print_conclusions(s->e, stdout);
}

static bool watch_word(session *s, const char *w, unsigned *flag)
{
    if (strcmp(w, "facts") == 0)
        *flag = SN_WATCH_FACTS;
    else if (strcmp(w, "rules") == 0)
        *flag = SN_WATCH_RULES;
    else if (strcmp(w, "activations") == 0)
        *flag = SN_WATCH_ACTIVATIONS;
    else if (strcmp(w, "all") == 0)
        *flag = SN_WATCH_FACTS | SN_WATCH_RULES | SN_WATCH_ACTIVATIONS;
    else {
        error(s, "watch what? facts, rules, activations or all (not '%s')", w);
        return false;
    }
    return true;
}

static void watch(session *s, char *args, bool on)
{
    unsigned flags = sn_watch(s->e), f;
    if (*args == '\0') {
        if (on) {
            printf("watching:%s%s%s%s\n", flags & SN_WATCH_FACTS ? " facts" : "",
                   flags & SN_WATCH_RULES ? " rules" : "", flags & SN_WATCH_ACTIVATIONS ? " activations" : "",
                   flags ? "" : " nothing");
            return;
        }
        flags = 0;
    }
    unsigned change = 0;
    for (char *w = strtok(args, " \t"); w; w = strtok(NULL, " \t")) {
        if (!watch_word(s, w, &f))
            return;
        change |= f;
    }
    flags = on ? flags | change : flags & ~change;
    sn_set_watch(s->e, flags, stdout);
}

static void rc_watch(session *s, char *args) { watch(s, args, true); }
static void rc_unwatch(session *s, char *args) { watch(s, args, false); }

static void rc_reset(session *s, char *args)
{
    (void)args;
    if (sn_reset(s->e) != SN_OK) {
        error(s, "%s", sn_errmsg(s->e));
        return;
    }
    unsigned n = 0;
    for (sn_fact *f = sn_fact_next(s->e, NULL); f; f = sn_fact_next(s->e, f))
        n++;
    printf("working memory reset: %u fact%s from the facts blocks\n", n, n == 1 ? "" : "s");
}

static void rc_clear(session *s, char *args)
{
    (void)args;
    if (sn_clear(s->e) != SN_OK) {
        error(s, "%s", sn_errmsg(s->e));
        return;
    }
    printf("cleared: no templates, rules or facts\n");
}

static void rc_strategy(session *s, char *args)
{
    if (*args == '\0') {
        printf("strategy %s\n", sn_strategy_name(sn_strategy_get(s->e)));
        return;
    }
    sn_strategy st;
    if (!sn_strategy_parse(args, &st)) {
        error(s, "strategy is one of depth, breadth, lex, mea (not '%s')", args);
        return;
    }
    if (sn_set_strategy(s->e, st) != SN_OK) {
        error(s, "%s", sn_errmsg(s->e));
        return;
    }
    printf("strategy %s\n", sn_strategy_name(st));
}

static void rc_threshold(session *s, char *args)
{
    if (*args == '\0') {
        printf("threshold %.2f\n", sn_threshold(s->e));
        return;
    }
    char *end;
    double t = strtod(args, &end);
    if (*skip_ws(end) || end == args || !(t >= -1 && t <= 1)) { /* nan is neither */
        error(s, "threshold is a number from -1 to 1 (not '%s')", args);
        return;
    }
    if (sn_set_threshold(s->e, t) != SN_OK) {
        error(s, "%s", sn_errmsg(s->e));
        return;
    }
    printf("threshold %.2f\n", t);
}

/* Start a consultation, on what working memory holds, or on the answers
 * saved in RESUME (a case file, loaded; working memory reset to it). */
static void start_consult(session *s, const char *resume, bool more)
{
    if (resume && *resume) {
        char name[256];
        sn_report r = {0};
        bool ok = sn_case_resume(s->e, resume, name, sizeof name, &r) == SN_OK;
        show_report(&r);
        bool bad = r.nerrors > 0;
        sn_report_free(&r);
        if (!ok) {
            if (bad)
                error(s, "%s was not read; the consultation did not start", resume);
            else
                error(s, "%s holds no case to resume from", resume);
            return;
        }
        printf("resuming %s from %s\n", name, resume);
    } else if (!more) {
        unsigned given = 0;
        for (sn_fact *f = sn_fact_next(s->e, NULL); f; f = sn_fact_next(s->e, f))
            given += sn_fact_origin(f) == SN_ORIGIN_TYPED || sn_fact_origin(f) == SN_ORIGIN_CASE;
        if (given)
            printf("%u fact%s given already count%s as %s ('reset' first to start afresh)\n", given,
                   given == 1 ? "" : "s", given == 1 ? "s" : "", given == 1 ? "an answer" : "answers");
    }
    s->c = consult_new(s->e, s->color, more, on_consult_error, s);
    if (s->c && s->width)
        consult_set_width(s->c, s->width);
}

static void rc_consult(session *s, char *args) { start_consult(s, args, false); }

static void rc_more(session *s, char *args)
{
    (void)args;
    start_consult(s, NULL, true);
}

static void rc_whatif(session *s, char *args)
{
    if (!*args) {
        error(s, "whatif needs a finding: whatif TEMPLATE ANSWER, e.g. whatif onset sudden");
        return;
    }
    consult_whatif(s->e, NULL, args, s->width ? s->width : consult_terminal_width(), on_consult_error,
                   s);
}

static void rc_save(session *s, char *args)
{
    if (!*args) {
        error(s, "save needs a file name: save FILE");
        return;
    }
    char err[512];
    if (consult_save(s->e, args, err, sizeof err))
        printf("saved the given facts and what they led to in %s\n", args);
    else
        error(s, "%s", err);
}

/* `query NAME VALUE...`: the matches of a query; `query` alone lists the
 * queries and their parameters. */
static void rc_query(session *s, char *args)
{
    if (*args == '\0') {
        unsigned np, i = 0;
        for (const char *q; (q = sn_query_at(s->e, i, &np)); i++) {
            printf("%s(", q);
            for (unsigned k = 0; k < np; k++)
                printf("%s?%s", k ? ", " : "", sn_query_param(s->e, q, k));
            printf(")\n");
        }
        printf("%u %s\n", i, i == 1 ? "query" : "queries");
        return;
    }
    char err[256];
    if (!query_print(s->e, args, stdout, NULL, err, sizeof err))
        error(s, "%s", err);
}

static void rc_quit(session *s, char *args)
{
    (void)args;
    s->quit = true;
}

static const command commands[] = {
    {"load", "FILE|DIR...", "load rule files; on an error nothing changes", rc_load},
    {"facts", "[PATTERN]", "list the facts, or those matching a pattern", rc_facts},
    {"query", "[NAME [VALUE...]]", "the matches of a query, or the queries there are", rc_query},
    {"assert", "FACT...", "add facts, all or none, e.g. assert site(value: groin) onset(sudden)", rc_assert},
    {"retract", "#ID...", "remove facts; what was concluded from them is withdrawn", rc_retract},
    {"run", "[N]", "fire rules until none is left (or N); Ctrl-C stops between firings", rc_run},
    {"agenda", "", "the activations waiting to fire, in order", rc_agenda},
    {"step", "", "fire one rule: the agenda before and after, and what changed", rc_step},
    {"focus", "[MODULE...]", "the focus stack, or run these modules' rules first", rc_focus},
    {"rules", "[TEXT]", "the rules (whose name contains TEXT)", rc_rules},
    {"templates", "[TEXT]", "the templates and their slots", rc_templates},
    {"conclusions", "", "what was concluded, by certainty, and the recommendations", rc_conclusions},
    {"why", "FACT [--json]", "where a fact came from: the rule, its matches, the certainty", rc_why},
    {"how", "FACT [--json]", "the whole proof of a fact, down to the given facts", rc_how},
    {"whynot", "PATTERN [--json]", "why nothing matches: each rule that could, and what stopped it", rc_whynot},
    {"explain", "FACT [--json | --dot FILE]", "why and how together; --dot writes a Graphviz picture", rc_explain},
    {"network", "[RULE] [--dot FILE]", "the Rete network (of one rule) as a Graphviz picture, with what each memory holds", rc_network},
    {"watch", "[facts|rules|activations|all]", "print what happens as it happens", rc_watch},
    {"unwatch", "[facts|rules|activations|all]", "stop printing it", rc_unwatch},
    {"consult", "[FILE]", "the system asks the questions (FILE: resume saved answers)", rc_consult},
    {"more", "", "go on with a consultation: every question a rule still waits on", rc_more},
    {"whatif", "TEMPLATE ANSWER", "what an answer would change in the report, changing nothing", rc_whatif},
    {"save", "FILE", "write the given facts, and what they led to, as a case file", rc_save},
    {"reset", "", "working memory back to the facts blocks", rc_reset},
    {"clear", "", "forget everything: templates, rules, facts", rc_clear},
    {"strategy", "[depth|breadth|lex|mea]", "show or set the conflict resolution strategy", rc_strategy},
    {"threshold", "[CF]", "show or set the certainty a fact needs to match (0.2)", rc_threshold},
    {"help", "[COMMAND]", "this list, or one command", rc_help},
    {"quit", "", "leave (Ctrl-D too)", rc_quit},
    {NULL, NULL, NULL, NULL},
};

/* The command nearest WORD, within two edits; NULL if none is. */
static const char *nearest_command(const char *word)
{
    const char *best = NULL;
    unsigned bd = 3;
    for (const command *c = commands; c->name; c++) {
        unsigned d = sn_edit_distance(word, c->name, 2);
        if (d < bd) {
            bd = d;
            best = c->name;
        }
    }
    return best;
}

static void rc_help(session *s, char *args)
{
    (void)s;
    if (*args) {
        for (const command *c = commands; c->name; c++)
            if (strcmp(c->name, args) == 0) {
                printf("%s %s\n    %s\n", c->name, c->args, c->help);
                return;
            }
        const char *best = nearest_command(args);
        if (best)
            error(s, "no command '%s'; did you mean '%s'? ('help' lists them)", args, best);
        else
            error(s, "no command '%s'; 'help' lists them", args);
        return;
    }
    for (const command *c = commands; c->name; c++) {
        char head[64];
        snprintf(head, sizeof head, "%s %s", c->name, c->args);
        printf("  %-38s %s\n", head, c->help);
    }
    printf("A template, rule, facts block, ask or case typed in is loaded when it is complete.\n"
           "FACT is an id (#12) or a pattern matching one fact: diagnosis(name: hip_bursitis).\n");
}

/* ---- typed-in constructs --------------------------------------------------- */

/* After `query`: a name, then '(' (a declaration, not the command). */
static bool query_declared(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    const char *name = p;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '_')
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return p > name && *p == '(';
}

static bool starts_construct(const char *line)
{
    static const char *const words[] = {"template", "rule", "facts", "ask", "case", "function",
                                        "query"};
    for (size_t i = 0; i < 7; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(line, words[i], n) == 0 && (line[n] == ' ' || line[n] == '\t' || line[n] == '\0' ||
                                                line[n] == '{'))
            /* `facts` alone, or with a pattern, is the command; so is
             * `query NAME VALUE...`, where a declaration has `NAME(` */
            return i == 2 ? strchr(line, '{') != NULL
                   : i == 6 ? query_declared(line + n)
                            : true;
    }
    return false;
}

/* A construct typed in is handed to the parser where it may end (typed.h
 * says when); the parser says whether it is complete. It is incomplete when the first
 * problem is the end of the input: "unexpected end of file" (E003), or a
 * string still open (E002), as in
 *     rule r when finding(name: pop) then        <- more to come
 * and then nothing is reported and more lines are read. Else the load is
 * done (the engine's loads are atomic: an incomplete or broken construct
 * changes nothing) and its diagnostics are shown. */
static bool incomplete(const sn_report *r)
{
    const sn_diag *first = NULL;
    for (unsigned i = 0; i < r->n; i++) {
        const sn_diag *d = &r->items[i];
        if (!d->error)
            continue;
        if (!first || d->line < first->line || (d->line == first->line && d->col < first->col))
            first = d;
    }
    if (!first)
        return false;
    return (strcmp(first->code, "E003") == 0 && strstr(first->message, "unexpected end of file")) ||
           (strcmp(first->code, "E002") == 0 && strstr(first->message, "end of the file"));
}

/* Try to load a construct typed in, which began at line FIRST: false when
 * it is not complete yet. Without a terminal it is named after the script
 * and loaded as beginning at line FIRST of it, so its diagnostics give the
 * script's own lines (session.txt:7:5); on a terminal it is "<input N>".
 * AT_END: there is no more input, so it is loaded (and its errors shown)
 * whatever the parser says. */
static bool try_typed(session *s, const char *text, unsigned first, bool at_end)
{
    char name[32];
    const char *source = name;
    unsigned at = 1;
    if (!s->tty) {
        source = s->source;
        at = first ? first : 1;
    } else {
        snprintf(name, sizeof name, "<input %u>", s->inputs + 1);
    }
    sn_report r = {0};
    bool ok = sn_load_string_at(s->e, source, at, text, strlen(text), &r) == SN_OK;
    if (!ok && !at_end && incomplete(&r)) {
        sn_report_free(&r);
        return false;
    }
    s->inputs++;
    show_report(&r);
    if (ok) {
        printf("loaded\n");
    } else {
        unsigned last = s->line;
        s->line = first;
        error(s, "nothing loaded: %u error%s", r.nerrors, r.nerrors == 1 ? "" : "s");
        s->line = last;
    }
    sn_report_free(&r);
    return true;
}

/* ---- dispatch ----------------------------------------------------------------- */

static void execute(session *s, char *line)
{
    char *p = skip_ws(line);
    trim_end(p);
    if (*p == '\0' || *p == '#')
        return;
    char *args = p;
    while (*args && *args != ' ' && *args != '\t')
        args++;
    if (*args)
        *args++ = '\0';
    args = skip_ws(args);
    if (strcmp(p, "exit") == 0)
        p = "quit";
    if (strcmp(p, "?") == 0)
        p = "help";
    for (const command *c = commands; c->name; c++)
        if (strcmp(c->name, p) == 0) {
            c->fn(s, args);
            fflush(stdout);
            return;
        }
    const char *best = nearest_command(p);
    if (best)
        error(s, "unknown command '%s'; did you mean '%s'? ('help' lists them)", p, best);
    else
        error(s, "unknown command '%s' ('help' lists them)", p);
}

/* ---- completion ------------------------------------------------------------------ */

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static void names_add(const char *name, void *ctx)
{
    names *l = ctx;
    if (!*name || strchr(name, ' '))
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = strdup(name);
}

static names candidates;

static char *next_candidate(const char *text, int state)
{
    static size_t i;
    if (!state)
        i = 0;
    size_t n = strlen(text);
    while (i < candidates.n) {
        const char *c = candidates.v[i++];
        if (c && strncmp(c, text, n) == 0)
            return strdup(c);
    }
    return NULL;
}

static void candidates_clear(void)
{
    for (size_t i = 0; i < candidates.n; i++)
        free(candidates.v[i]);
    candidates.n = 0;
}

/* Where the word being completed stands in a pattern or fact typed after a
 * command: at a template (depth 0), at a slot name or a value given by
 * position, or at the value of a named slot. */
typedef struct pattern_spot {
    int depth;          /* open parentheses before the word */
    char tmpl[128];     /* the template whose parenthesis is open */
    char slot[128];     /* the slot named before ':' in this argument, or "" */
    unsigned position;  /* which argument of the template (from 0) */
} pattern_spot;

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* The name that ends just before P (after any blanks), copied to OUT. */
static void name_before(const char *line, const char *p, char *out, size_t size)
{
    while (p > line && (p[-1] == ' ' || p[-1] == '\t'))
        p--;
    const char *end = p;
    while (p > line && name_char(p[-1]))
        p--;
    snprintf(out, size, "%.*s", (int)(end - p), p);
}

static pattern_spot spot_of(const char *line, const char *from, const char *to)
{
    pattern_spot ps = {0};
    bool in_str = false;
    for (const char *p = from; p < to; p++) {
        if (in_str) {
            if (*p == '\\' && p + 1 < to)
                p++;
            else if (*p == '"')
                in_str = false;
        } else if (*p == '"') {
            in_str = true;
        } else if (*p == '(') {
            if (ps.depth++ == 0) {
                name_before(line, p, ps.tmpl, sizeof ps.tmpl);
                ps.slot[0] = '\0';
                ps.position = 0;
            }
        } else if (*p == ')') {
            if (ps.depth > 0 && --ps.depth == 0)
                ps.tmpl[0] = '\0';
        } else if (*p == ',' && ps.depth == 1) {
            ps.slot[0] = '\0';
            ps.position++;
        } else if (*p == ':' && ps.depth == 1) {
            name_before(line, p, ps.slot, sizeof ps.slot);
        }
    }
    return ps;
}

static void add_templates(session *s)
{
    for (const sn_template *t = sn_template_next(s->e, NULL); t; t = sn_template_next(s->e, t))
        names_add(sn_template_name(t), &candidates);
}

/* The values slot K of T can take: the answers of its ask, and the values
 * it has in working memory (strings quoted); nothing else, whatever the
 * knowledge base's other symbols. */
static void add_slot_values(session *s, const sn_template *t, unsigned k)
{
    const char *tname = sn_template_name(t), *slot = sn_template_slot(t, k);
    for (const sn_ask *a = sn_ask_next(s->e, NULL); a; a = sn_ask_next(s->e, a))
        if (strcmp(sn_ask_template(a), tname) == 0 && strcmp(sn_ask_slot(a), slot) == 0)
            for (unsigned i = 0; i < sn_ask_nanswers(a); i++)
                names_add(sn_ask_answer(a, i), &candidates);
    bool quote = strcmp(sn_template_slot_type(t, k), "string") == 0;
    for (sn_fact *f = sn_fact_next(s->e, NULL); f; f = sn_fact_next(s->e, f)) {
        if (strcmp(sn_fact_template(f), tname) != 0)
            continue;
        char buf[256], word[260];
        const char *v = sn_fact_value(f, k, buf, sizeof buf);
        if (!v)
            continue;
        if (quote) {
            if (strchr(v, '"') || strchr(v, '\\'))
                continue;
            snprintf(word, sizeof word, "\"%s\"", v);
            v = word;
        }
        names_add(v, &candidates);
    }
}

/* Candidates for the word at the end of LINE (from FROM, the first
 * argument of a command that takes patterns or facts). */
static void complete_pattern(session *s, const char *line, const char *from, const char *to)
{
    pattern_spot ps = spot_of(line, from, to);
    if (ps.depth == 0) {
        add_templates(s);
        rl_completion_append_character = '(';
        return;
    }
    const sn_template *t = ps.depth == 1 ? sn_template_find(s->e, ps.tmpl) : NULL;
    if (!t)
        return;
    unsigned n = sn_template_nslots(t);
    if (ps.slot[0]) {
        for (unsigned k = 0; k < n; k++)
            if (strcmp(sn_template_slot(t, k), ps.slot) == 0) {
                add_slot_values(s, t, k);
                rl_completion_append_character = n == 1 ? ')' : ' ';
            }
        return;
    }
    /* a slot's name, or the value of the slot at this position */
    for (unsigned k = 0; k < n; k++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s:", sn_template_slot(t, k));
        names_add(buf, &candidates);
    }
    if (ps.position < n)
        add_slot_values(s, t, ps.position);
    rl_completion_append_character = ' ';
}

static void add_fact_ids(session *s)
{
    for (sn_fact *f = sn_fact_next(s->e, NULL); f; f = sn_fact_next(s->e, f)) {
        char id[32];
        snprintf(id, sizeof id, "#%llu", (unsigned long long)sn_fact_id(f));
        names_add(id, &candidates);
    }
}

static bool is_command(const char *word, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && strncmp(word, *list, len) == 0)
            return true;
    return false;
}

/* What can be typed at the word TEXT, from what comes before it on the
 * line: commands first; then, by command, file names (load, save,
 * consult, explain and network --dot), fact ids (why, how, explain, retract),
 * templates, slots and the values a slot can take (assert, facts, why,
 * how, explain, whynot), rule names (rules, network), and the words of
 * help, strategy and watch. */
static char **complete(const char *text, int start, int end)
{
    (void)end;
    session *s = the_session;
    candidates_clear();
    rl_attempted_completion_over = 1;
    rl_completion_append_character = ' ';
    const char *line = rl_line_buffer;
    const char *cmd = line;
    while (cmd < line + start && (*cmd == ' ' || *cmd == '\t'))
        cmd++;
    size_t clen = 0;
    while (cmd + clen < line + start && cmd[clen] != ' ' && cmd[clen] != '\t')
        clen++;
    bool first_word = cmd + clen >= line + start;
    /* the word before TEXT: "--dot FILE" */
    char prev[16] = "";
    {
        const char *p = line + start;
        while (p > line && (p[-1] == ' ' || p[-1] == '\t'))
            p--;
        const char *e = p;
        while (p > line && p[-1] != ' ' && p[-1] != '\t')
            p--;
        snprintf(prev, sizeof prev, "%.*s", (int)(e - p), p);
    }
    static const char *const file_cmds[] = {"load", "save", "consult", NULL};
    static const char *const id_cmds[] = {"why", "how", "explain", "retract", NULL};
    static const char *const pattern_cmds[] = {"assert", "facts", "why", "how", "explain", "whynot", NULL};

    if (s->c) {
        if (!first_word && clen == 4 && strncmp(cmd, "save", 4) == 0)
            return rl_completion_matches(text, rl_filename_completion_function);
        consult_words(s->c, names_add, &candidates);
        return rl_completion_matches(text, next_candidate);
    }
    if (first_word) {
        for (const command *c = commands; c->name; c++)
            names_add(c->name, &candidates);
        return rl_completion_matches(text, next_candidate);
    }
    if (is_command(cmd, clen, file_cmds) || strcmp(prev, "--dot") == 0)
        return rl_completion_matches(text, rl_filename_completion_function);
    bool id_word = *text == '#' || (*text >= '0' && *text <= '9') || *text == '\0';
    if (is_command(cmd, clen, id_cmds) && id_word) {
        add_fact_ids(s);
        if (*text == '\0' && !(clen == 7 && strncmp(cmd, "retract", 7) == 0))
            add_templates(s);
    } else if (is_command(cmd, clen, pattern_cmds)) {
        complete_pattern(s, line, cmd + clen, line + start);
    } else if (clen == 4 && strncmp(cmd, "help", 4) == 0) {
        for (const command *c = commands; c->name; c++)
            names_add(c->name, &candidates);
    } else if (clen == 8 && strncmp(cmd, "strategy", 8) == 0) {
        static const char *const words[] = {"depth", "breadth", "lex", "mea"};
        for (size_t i = 0; i < 4; i++)
            names_add(words[i], &candidates);
    } else if ((clen == 5 && strncmp(cmd, "watch", 5) == 0) || (clen == 7 && strncmp(cmd, "unwatch", 7) == 0)) {
        static const char *const words[] = {"facts", "rules", "activations", "all"};
        for (size_t i = 0; i < 4; i++)
            names_add(words[i], &candidates);
    } else if ((clen == 5 && strncmp(cmd, "rules", 5) == 0) ||
               (clen == 7 && strncmp(cmd, "network", 7) == 0)) {
        for (const sn_rule *r = sn_rule_next(s->e, NULL); r; r = sn_rule_next(s->e, r))
            names_add(sn_rule_name(r), &candidates);
    } else if (clen == 9 && strncmp(cmd, "templates", 9) == 0) {
        add_templates(s);
    } else if (clen == 5 && strncmp(cmd, "focus", 5) == 0) {
        for (unsigned m = 0; sn_module_name(s->e, m); m++)
            names_add(sn_module_name(s->e, m), &candidates);
    }
    return rl_completion_matches(text, next_candidate);
}

/* ---- the loop --------------------------------------------------------------------- */

/* readline's callback interface: the loop waits in select(), so Ctrl-C
 * (which interrupts the wait) is handled here, outside the signal handler:
 * the line being typed is dropped and a fresh prompt shown. */
static char *got_line;
static bool line_ready;

static void on_line(char *line)
{
    got_line = line;
    line_ready = true;
}

/* A line from the terminal; NULL at Ctrl-D, or with errno EINTR at
 * Ctrl-C when ABANDON (a construct is open: Ctrl-C gives it up). Else
 * Ctrl-C drops the line being typed and a fresh prompt is shown. */
static char *tty_read(const char *prompt, bool abandon)
{
    got_line = NULL;
    line_ready = false;
    rl_callback_handler_install(prompt, on_line);
    while (!line_ready) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(STDIN_FILENO, &fds);
        if (select(STDIN_FILENO + 1, &fds, NULL, NULL, NULL) < 0) {
            if (errno == EINTR && interrupted) {
                interrupted = 0;
                /* a history entry brought back and edited is left as it was */
                rl_revert_line(1, 0);
                rl_free_line_state();
                rl_callback_sigcleanup();
                rl_replace_line("", 0);
                using_history();
                rl_crlf();
                if (abandon) {
                    rl_callback_handler_remove();
                    errno = EINTR;
                    return NULL;
                }
                rl_on_new_line();
                rl_redisplay();
            }
            continue;
        }
        rl_callback_read_char();
    }
    rl_callback_handler_remove();
    return got_line;
}

/* The history file: $SINEW_HISTFILE, else $XDG_STATE_HOME/sinew/history,
 * else ~/.local/state/sinew/history; the folders are created. NULL when
 * there is none (SINEW_HISTFILE set empty: no history kept). */
static char *history_path(void)
{
    const char *own = getenv("SINEW_HISTFILE");
    if (own)
        return *own ? strdup(own) : NULL;
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char buf[4096];
    int n;
    if (state && *state)
        n = snprintf(buf, sizeof buf, "%s/sinew/history", state);
    else if (home && *home)
        n = snprintf(buf, sizeof buf, "%s/.local/state/sinew/history", home);
    else
        return NULL;
    if (n < 0 || (size_t)n >= sizeof buf)
        return NULL;
    /* mkdir -p of its folder */
    char *slash = strrchr(buf, '/');
    *slash = '\0';
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0700);
            *p = '/';
        }
    mkdir(buf, 0700);
    *slash = '/';
    return strdup(buf);
}

/* Keep ENTRY in the history, unless it is empty or starts with a space;
 * an earlier identical entry goes, so no entry is there twice. */
static void remember(session *s, const char *line)
{
    if (!*line || *line == ' ' || *line == '\t')
        return;
    char entry[4096];
    snprintf(entry, sizeof entry, "%s", line);
    trim_end(entry);
    if (!*entry)
        return;
    HIST_ENTRY **list = history_list();
    for (int i = history_length - 1; list && i >= 0; i--)
        if (strcmp(list[i]->line, entry) == 0) {
            bool mine = i >= history_length - (int)s->hist_new;
            histdata_t data = free_history_entry(remove_history(i));
            (void)data;
            if (mine)
                s->hist_new--;
            break;
        }
    add_history(entry);
    s->hist_new++;
}

/* No entry twice: of equal entries the latest stays. */
static void history_dedupe(void)
{
    for (int i = history_length - 1; i > 0; i--) {
        HIST_ENTRY **list = history_list();
        for (int j = i - 1; j >= 0; j--)
            if (strcmp(list[j]->line, list[i]->line) == 0) {
                (void)free_history_entry(remove_history(j));
                i--;
                list = history_list();
            }
    }
}

static void load_history(session *s)
{
    if (s->history && read_history(s->history) == 0)
        history_dedupe();
}

/* Merge this session's entries into the file as it is now, not as it was
 * when the session began: under a lock, read it again (with what sessions
 * running at the same time saved meanwhile), add this session's entries at
 * the end, keep each entry once and the last 1000, and replace the file
 * with a temporary one renamed over it. A construct of several lines stays
 * one entry (the file has timestamps, which mark where each begins).
 * False, with a message, when the file could not be written. */
static bool save_history(session *s)
{
    if (!s->history || s->hist_new == 0)
        return true;
    size_t n = strlen(s->history);
    char *lock = malloc(n + 16), *tmp = malloc(n + 32);
    unsigned mine_n = s->hist_new;
    char **mine = calloc(mine_n, sizeof *mine), **when = calloc(mine_n, sizeof *when);
    int fd = -1;
    const char *failed = NULL;
    if (!lock || !tmp || !mine || !when) {
        failed = "out of memory";
        goto out;
    }
    HIST_ENTRY **list = history_list();
    for (unsigned i = 0; i < mine_n; i++) {
        HIST_ENTRY *h = list[history_length - (int)mine_n + (int)i];
        mine[i] = strdup(h->line);
        when[i] = strdup(h->timestamp ? h->timestamp : "");
        if (!mine[i] || !when[i]) {
            failed = "out of memory";
            goto out;
        }
    }
    snprintf(lock, n + 16, "%s.lock", s->history);
    snprintf(tmp, n + 32, "%s.tmp%ld", s->history, (long)getpid());
    fd = open(lock, O_RDWR | O_CREAT, 0600);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fd < 0 || fcntl(fd, F_SETLKW, &fl) != 0) {
        failed = strerror(errno);
        goto out;
    }
    clear_history();
    errno = 0;
    if (read_history(s->history) != 0 && errno != ENOENT) {
        failed = strerror(errno);
        goto out;
    }
    history_dedupe();
    s->hist_new = 0;
    for (unsigned i = 0; i < mine_n; i++) {
        remember(s, mine[i]);
        if (*when[i])
            add_history_time(when[i]);
    }
    while (history_length > 1000)
        (void)free_history_entry(remove_history(0));
    int err = write_history(tmp);
    if (err == 0 && chmod(tmp, 0600) == 0 && rename(tmp, s->history) == 0) {
        s->hist_new = 0;
    } else {
        failed = strerror(err ? err : errno);
        unlink(tmp);
    }
out:
    if (failed)
        fprintf(stderr, "sinew: the history was not saved in %s: %s\n", s->history, failed);
    if (fd >= 0)
        close(fd); /* the lock goes with it */
    for (unsigned i = 0; mine && i < mine_n; i++)
        free(mine[i]);
    for (unsigned i = 0; when && i < mine_n; i++)
        free(when[i]);
    free(mine);
    free(when);
    free(lock);
    free(tmp);
    return !failed;
}

static char *read_line(session *s, const char *prompt, bool construct_open)
{
    if (s->tty)
        return tty_read(prompt, construct_open);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, s->in);
    if (len < 0) {
        free(line);
        return NULL;
    }
    s->line++;
    /* a NUL byte would cut the line short without a word: the line is
     * refused where it is read (a consultation says so at its question) */
    const char *nul = memchr(line, '\0', (size_t)len);
    s->nul = nul ? (size_t)(nul - line) + 1 : 0;
    trim_end(line);
    return line;
}

/* Before a line is read: a consultation that is over is put away (it
 * asks its next question otherwise). */
static void session_before_line(session *s)
{
    if (s->c && !consult_ask(s->c)) {
        consult_free(s->c);
        s->c = NULL;
        fflush(stdout);
    }
}

/* One line read (borrowed: the caller frees it, or reads the next into
 * it): an answer to the consultation, a command, or a line of a construct
 * being typed. */
static void session_line(session *s, char *line)
{
    if (s->nul) {
        /* what follows the NUL would be lost without a word */
        char why[96];
        snprintf(why, sizeof why, "a NUL byte at column %zu; the line is left out", s->nul);
        if (s->c)
            consult_reject(s->c, why);
        else
            error(s, "%s", why);
        s->nul = 0;
        fflush(stdout);
        return;
    }
    if (s->c) {
        if (s->tty)
            remember(s, line);
        consult_line(s->c, line);
        fflush(stdout);
        return;
    }
    if (!s->text.text && !starts_construct(skip_ws(line))) {
        if (s->tty)
            remember(s, line);
        execute(s, line);
        return;
    }
    /* a construct, line by line (the first with its indentation, so the
     * columns of its diagnostics are right), until the parser finds it
     * complete; then it is one history entry. The parser is asked only
     * where the construct may end (typed.h), so the cost is linear. */
    if (!s->text.text)
        s->text_line = s->line;
    if (!typed_add(&s->text, line, strlen(line))) {
        error(s, "out of memory: the construct being typed is given up");
        typed_free(&s->text);
        return;
    }
    if (!typed_ask_parser(&s->text))
        return;
    if (try_typed(s, s->text.text, s->text_line, false)) {
        if (s->tty) {
            s->text.text[s->text.len - 1] = '\0';
            remember(s, s->text.text);
        }
        typed_free(&s->text);
    } else {
        typed_asked(&s->text);
    }
}

/* The input ended: a construct still open gets the parser's word on what
 * is missing. */
static void session_finish(session *s)
{
    if (s->text.text) {
        try_typed(s, s->text.text, s->text_line, true);
        typed_free(&s->text);
    }
}

/* ---- a session fed by a program (the fuzzing harness) ---------------------------- */

repl_session *repl_session_new(sn_engine *e)
{
    session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->e = e;
    s->source = "<input>";
    the_session = s;
    return s;
}

bool repl_session_feed(repl_session *s, const char *text, size_t len)
{
    const char *end = text + len;
    while (text < end && !s->quit) {
        const char *nl = memchr(text, '\n', (size_t)(end - text));
        size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);
        session_before_line(s);
        /* each line into the session's buffer, grown when one is longer */
        if (n + 1 > s->feed_cap) {
            char *b = realloc(s->feed, n + 1);
            if (!b)
                return false;
            s->feed = b;
            s->feed_cap = n + 1;
        }
        char *line = s->feed;
        memcpy(line, text, n);
        line[n] = '\0';
        s->line++;
        const char *nul = memchr(line, '\0', n);
        s->nul = nul ? (size_t)(nul - line) + 1 : 0;
        trim_end(line);
        session_line(s, line);
        text += n + (nl != NULL);
    }
    return !s->quit;
}

void repl_session_free(repl_session *s)
{
    if (!s)
        return;
    session_finish(s);
    consult_free(s->c);
    candidates_clear();
    if (the_session == s)
        the_session = NULL;
    free(s->feed);
    free(s);
}

int repl_main(int npaths, char **paths, const char *default_rules, const repl_start *start)
{
    static const repl_start plain = {.color = CLI_COLOR_AUTO};
    if (!start)
        start = &plain;
    session s = {0};
    s.in = stdin;
    s.source = "<stdin>";
    if (start->script) {
        s.in = fopen(start->script, "r");
        if (!s.in) {
            fprintf(stderr, "sinew: cannot read %s: %s\n", start->script, strerror(errno));
            return 1;
        }
        s.source = start->script;
    }
    /* the terminal is standard input's (as for sqlite3): `sinew | tee log`
     * keeps readline */
    s.tty = !start->script && isatty(STDIN_FILENO);
    s.bail = start->bail && !s.tty;
    s.color = cli_color_on(start->color, stdout);
    s.color_err = cli_color_on(start->color, stderr);
    s.e = sn_new();
    if (!s.e) {
        if (s.in != stdin)
            fclose(s.in);
        return 1;
    }
    the_session = &s;
    ever_interrupted = 0;
    sn_set_interrupt(s.e, &interrupted);
    if (start->max_firings_set)
        sn_set_max_firings(s.e, start->max_firings);
    sn_set_memory_limit(s.e, (size_t)start->max_memory);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a read returns */

    const char *def[] = {default_rules};
    sn_report r = {0};
    bool ok = (npaths > 0 ? sn_load_files(s.e, (const char *const *)paths, (unsigned)npaths, &r)
                          : sn_load_files(s.e, def, 1, &r)) == SN_OK;
    show_report(&r);
    if (!ok)
        error(&s, "nothing loaded: %u error%s", r.nerrors, r.nerrors == 1 ? "" : "s");
    sn_report_free(&r);
    if (s.bail && s.failed)
        s.quit = true;

    if (s.tty) {
        unsigned nrules = 0, ntmpl = 0;
        for (const sn_rule *x = sn_rule_next(s.e, NULL); x; x = sn_rule_next(s.e, x))
            nrules++;
        for (const sn_template *t = sn_template_next(s.e, NULL); t; t = sn_template_next(s.e, t))
            ntmpl++;
        printf("sinew %s: %u rules, %u templates loaded. 'help' lists the commands; Ctrl-D leaves.\n",
               SINEW_VERSION, nrules, ntmpl);
        rl_readline_name = "sinew";
        rl_attempted_completion_function = complete;
        rl_catch_signals = 0;
        rl_basic_word_break_characters = " \t\n(),";
        /* timestamps mark where an entry begins, so one of several lines
         * reads back as one */
        history_comment_char = '#';
        history_write_timestamps = 1;
        history_multiline_entries = 1;
        s.history = history_path();
        load_history(&s);
    }

    if (start->consult && !s.quit) {
        if (start->top)
            sn_set_consult_top(s.e, start->top);
        s.width = start->width;
        if (ok)
            start_consult(&s, start->resume, false);
        if (!s.c) {
            if (s.in != stdin)
                fclose(s.in);
            sn_free(s.e);
            return 1;
        }
    }

    const char *prompt = s.color ? "\001\033[1m\002sinew>\001\033[0m\002 " : "sinew> ";
    while (!s.quit && !(s.bail && s.failed)) {
        if (ever_interrupted && !s.tty)
            break;
        interrupted = 0;
        session_before_line(&s);
        char *line = read_line(&s, s.c ? consult_prompt(s.c) : s.text.text ? "   ... " : prompt, s.text.text != NULL);
        if (!line) {
            if (errno == EINTR && s.tty) {
                /* Ctrl-C in an open construct gives it up */
                errno = 0;
                typed_free(&s.text);
                continue;
            }
            break;
        }
        session_line(&s, line);
        free(line);
    }
    bool history_ok = true;
    session_finish(&s);
    if (s.tty) {
        putchar('\n');
        history_ok = save_history(&s);
    }
    if (s.in != stdin)
        fclose(s.in);
    consult_free(s.c);
    candidates_clear();
    free(candidates.v);
    free(s.history);
    sn_free(s.e);
    if (ever_interrupted && !s.tty) {
        fprintf(stderr, "sinew: interrupted at %s:%u; the rest was not read\n", s.source, s.line);
        return 130;
    }
    /* a session at a terminal ends well however many typing errors it
     * had, unless its history could not be saved */
    return (s.failed && !s.tty) || !history_ok ? 1 : 0;
}
