/* repl.c — the interactive session: commands, explanations, completion,
 * history, Ctrl-C. See repl.h.
 *
 * Every command either does what it says or prints one clear message and
 * changes nothing: the engine's loads are atomic, and each command checks
 * its arguments before it calls the engine. Output goes to standard
 * output (messages too), so a scripted session reads in order.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "../engine/sinew.h"
#include "commands.h"
#include "consult.h"
#include "repl.h"

typedef struct session {
    sn_engine *e;
    bool tty;
    bool color;
    bool quit;
    unsigned inputs;        /* constructs typed in, to name them */
    char *history;          /* history file, or NULL */
    consult *c;             /* a consultation going on, or NULL */
    bool nul;               /* the line read held a NUL byte */
    unsigned width;         /* a consultation's columns (0: the terminal's) */
} session;

static volatile sig_atomic_t interrupted;
static session *the_session; /* for readline's completion callbacks */

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* ---- output helpers ----------------------------------------------------- */

static void error(session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>

static void error(session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(s->color ? "\033[31merror:\033[0m " : "error: ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

static void show_report(const sn_report *r)
{
    if (r->text && *r->text)
        fputs(r->text, stdout);
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
    long n = sn_query(s->e, arg, found, 2, &r);
    if (n < 0) {
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

static void rc_load(session *s, char *args)
{
    char *paths[64];
    unsigned n = 0;
    for (char *tok = strtok(args, " \t"); tok && n < 64; tok = strtok(NULL, " \t"))
        paths[n++] = tok;
    if (n == 0) {
        error(s, "load needs a file or a folder: load rules/extra.sinew");
        return;
    }
    sn_report r = {0};
    bool ok = sn_load_files(s->e, (const char *const *)paths, n, &r);
    show_report(&r);
    if (ok)
        printf("loaded%s\n", r.nwarnings ? " (with warnings)" : "");
    else
        printf("nothing loaded: %u error%s\n", r.nerrors, r.nerrors == 1 ? "" : "s");
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
    long n = sn_query(s->e, args, NULL, 0, &r);
    if (n < 0) {
        error(s, "facts takes a pattern, like: facts diagnosis(cf: > 0.5)");
        show_report(&r);
        sn_report_free(&r);
        return;
    }
    sn_fact **v = malloc(((size_t)n + 1) * sizeof *v);
    if (!v)
        return;
    n = sn_query(s->e, args, v, (size_t)n, &r);
    for (long i = 0; i < n; i++)
        print_fact(v[i]);
    printf("%ld fact%s\n", n, n == 1 ? "" : "s");
    free(v);
    sn_report_free(&r);
}

/* Split ARGS into facts: "a(1) b(x: 2)" -> each up to its closing ')'. */
static void rc_assert(session *s, char *args)
{
    if (*args == '\0') {
        error(s, "assert needs a fact, like: assert site(value: groin)");
        return;
    }
    /* all or nothing: check every fact before asserting any */
    char *parts[64];
    unsigned n = 0;
    char *p = args;
    while (*(p = skip_ws(p)) && n < 64) {
        char *start = p;
        int depth = 0;
        bool in_str = false, closed = false;
        for (; *p; p++) {
            if (in_str) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '"')
                    in_str = false;
                continue;
            }
            if (*p == '"')
                in_str = true;
            else if (*p == '(')
                depth++;
            else if (*p == ')' && --depth == 0) {
                p++;
                closed = true;
                break;
            }
        }
        char save = *p;
        *p = '\0';
        parts[n++] = strdup(start);
        *p = save;
        if (!closed)
            break;
    }
    sn_report r = {0};
    /* validate by querying each as a pattern of constants: cheap and
     * changes nothing; then assert */
    for (unsigned i = 0; i < n; i++) {
        sn_fact *f = sn_assert_string(s->e, parts[i], &r);
        if (!f) {
            if (r.nerrors) {
                error(s, "not a fact: %s", parts[i]);
                show_report(&r);
            } else {
                error(s, "%s was not kept (truth maintenance withdrew it)", parts[i]);
            }
            sn_report_free(&r);
            for (unsigned j = i; j < n; j++)
                free(parts[j]);
            return;
        }
        print_fact(f);
        sn_report_free(&r);
        free(parts[i]);
    }
}

static void rc_retract(session *s, char *args)
{
    if (*args == '\0') {
        error(s, "retract needs fact ids, like: retract #3 #5");
        return;
    }
    /* every id must name a fact before any goes */
    sn_fact *v[64];
    unsigned n = 0;
    char *copy = strdup(args);
    if (!copy)
        return;
    for (char *tok = strtok(copy, " \t,"); tok && n < 64; tok = strtok(NULL, " \t,")) {
        const char *p = *tok == '#' ? tok + 1 : tok;
        char *end;
        unsigned long long id = strtoull(p, &end, 10);
        if (*p < '0' || *p > '9' || *end) {
            error(s, "retract takes fact ids (#3 or 3), not '%s'", tok);
            free(copy);
            return;
        }
        sn_fact *f = sn_fact_by_id(s->e, id);
        if (!f || sn_fact_next(s->e, NULL) == NULL) {
            error(s, "there is no fact #%llu", id);
            free(copy);
            return;
        }
        bool live = false;
        for (sn_fact *g = sn_fact_next(s->e, NULL); g && !live; g = sn_fact_next(s->e, g))
            live = g == f;
        if (!live) {
            error(s, "fact #%llu was already withdrawn", id);
            free(copy);
            return;
        }
        v[n++] = f;
    }
    free(copy);
    for (unsigned i = 0; i < n; i++) {
        uint64_t id = sn_fact_id(v[i]);
        /* an earlier retraction may have withdrawn it already */
        if (sn_fact_by_id(s->e, id) == v[i] && sn_retract(s->e, v[i]))
            printf("retracted #%llu\n", (unsigned long long)id);
    }
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
    sn_stop why = sn_run(s->e, limit, &fired);
    printf("%llu rule%s fired", (unsigned long long)fired, fired == 1 ? "" : "s");
    switch (why) {
    case SN_STOP_EMPTY: printf("\n"); break;
    case SN_STOP_LIMIT: printf(" (the limit; more are waiting: 'agenda')\n"); break;
    case SN_STOP_HALT: printf(" (a rule said halt)\n"); break;
    case SN_STOP_INTERRUPT: printf(" (interrupted: working memory is as it was after the last firing)\n"); break;
    case SN_STOP_ERROR: printf("\n"); error(s, "%s", sn_last_error(s->e)); break;
    }
    interrupted = 0;
}

static void rc_agenda(session *s, char *args)
{
    (void)args;
    unsigned n = 0;
    for (sn_activation *a = sn_agenda_next(s->e, NULL); a; a = sn_agenda_next(s->e, a)) {
        const sn_fact *fs[32];
        unsigned k = sn_activation_facts(a, fs, 32);
        printf("%4d  %s:", sn_activation_salience(a), sn_rule_name(sn_activation_rule(a)));
        for (unsigned i = 0; i < k && i < 32; i++)
            printf("%s#%llu", i ? ", " : " ", (unsigned long long)sn_fact_id(fs[i]));
        putchar('\n');
        n++;
    }
    printf("%u activation%s (strategy %s)\n", n, n == 1 ? "" : "s",
           sn_strategy_name(sn_strategy_get(s->e)));
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
    if (how)
        sn_explain_how(s->e, f, json ? SN_JSON : SN_TEXT, stdout);
    else
        sn_explain_why(s->e, f, json ? SN_JSON : SN_TEXT, stdout);
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
    if (!sn_explain_whynot(s->e, args, json ? SN_JSON : SN_TEXT, stdout, &r)) {
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
        sn_explain_how(s->e, f, SN_DOT, out);
        fclose(out);
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
    if (json) {
        sn_explain_how(s->e, f, SN_JSON, stdout);
        return;
    }
    sn_explain_why(s->e, f, SN_TEXT, stdout);
    printf("proof:\n");
    sn_explain_how(s->e, f, SN_TEXT, stdout);
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
    sn_reset(s->e);
    unsigned n = 0;
    for (sn_fact *f = sn_fact_next(s->e, NULL); f; f = sn_fact_next(s->e, f))
        n++;
    printf("working memory reset: %u fact%s from the facts blocks\n", n, n == 1 ? "" : "s");
}

static void rc_clear(session *s, char *args)
{
    (void)args;
    sn_clear(s->e);
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
    sn_set_strategy(s->e, st);
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
    if (*skip_ws(end) || end == args || t < -1 || t > 1) {
        error(s, "threshold is a number from -1 to 1 (not '%s')", args);
        return;
    }
    sn_set_threshold(s->e, t);
    printf("threshold %.2f\n", t);
}

/* Start a consultation, on what working memory holds, or on the answers
 * saved in RESUME (a case file, loaded; working memory reset to it). */
static void start_consult(session *s, const char *resume, bool more)
{
    if (resume && *resume) {
        unsigned before = sn_case_count(s->e);
        sn_report r = {0};
        bool ok = sn_load_files(s->e, &resume, 1, &r);
        show_report(&r);
        sn_report_free(&r);
        if (!ok) {
            error(s, "%s was not loaded; the consultation did not start", resume);
            return;
        }
        if (sn_case_count(s->e) == before) {
            error(s, "%s holds no case to resume from", resume);
            return;
        }
        unsigned i = sn_case_count(s->e) - 1;
        sn_case_start(s->e, i);
        printf("resuming %s from %s\n", sn_case_name(s->e, i), resume);
    } else if (!more) {
        unsigned given = 0;
        for (sn_fact *f = sn_fact_next(s->e, NULL); f; f = sn_fact_next(s->e, f))
            given += sn_fact_origin(f) == SN_ORIGIN_TYPED || sn_fact_origin(f) == SN_ORIGIN_CASE;
        if (given)
            printf("%u fact%s given already count%s as %s ('reset' first to start afresh)\n", given,
                   given == 1 ? "" : "s", given == 1 ? "s" : "", given == 1 ? "an answer" : "answers");
    }
    s->c = consult_new(s->e, s->color, more);
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
    consult_whatif(s->e, NULL, args, s->width ? s->width : consult_terminal_width());
}

static void rc_save(session *s, char *args)
{
    if (!*args) {
        error(s, "save needs a file name: save FILE");
        return;
    }
    if (consult_save(s->e, args))
        printf("saved the given facts and what they led to in %s\n", args);
}

static void rc_quit(session *s, char *args)
{
    (void)args;
    s->quit = true;
}

static const command commands[] = {
    {"load", "FILE|DIR...", "load rule files; on an error nothing changes", rc_load},
    {"facts", "[PATTERN]", "list the facts, or those matching a pattern", rc_facts},
    {"assert", "FACT...", "add facts, e.g. assert site(value: groin) onset(sudden)", rc_assert},
    {"retract", "#ID...", "remove facts; what was concluded from them is withdrawn", rc_retract},
    {"run", "[N]", "fire rules until none is left (or N); Ctrl-C stops between firings", rc_run},
    {"agenda", "", "the activations waiting to fire, in order", rc_agenda},
    {"rules", "[TEXT]", "the rules (whose name contains TEXT)", rc_rules},
    {"templates", "[TEXT]", "the templates and their slots", rc_templates},
    {"conclusions", "", "what was concluded, by certainty, and the recommendations", rc_conclusions},
    {"why", "FACT [--json]", "where a fact came from: the rule, its matches, the certainty", rc_why},
    {"how", "FACT [--json]", "the whole proof of a fact, down to the given facts", rc_how},
    {"whynot", "PATTERN [--json]", "why nothing matches: each rule that could, and what stopped it", rc_whynot},
    {"explain", "FACT [--json | --dot FILE]", "why and how together; --dot writes a Graphviz picture", rc_explain},
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

static void rc_help(session *s, char *args)
{
    (void)s;
    if (*args) {
        for (const command *c = commands; c->name; c++)
            if (strcmp(c->name, args) == 0) {
                printf("%s %s\n    %s\n", c->name, c->args, c->help);
                return;
            }
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

static unsigned distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 30 || lb > 30)
        return 99;
    unsigned d[31][31];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* ---- typed-in constructs --------------------------------------------------- */

static bool starts_construct(const char *line)
{
    static const char *const words[] = {"template", "rule", "facts", "ask", "case"};
    for (size_t i = 0; i < 5; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(line, words[i], n) == 0 && (line[n] == ' ' || line[n] == '\t' || line[n] == '\0' ||
                                                line[n] == '{'))
            /* `facts` alone, or with a pattern, is the command */
            return i != 2 || strchr(line, '{') != NULL;
    }
    return false;
}

/* Is the construct in TEXT complete? Braces balance, and a rule or case
 * has reached `end`, an ask no longer ends with a comma. */
static bool construct_complete(const char *text)
{
    int depth = 0;
    bool in_str = false, in_comment = false, saw_brace = false;
    const char *last_word = NULL;
    size_t last_len = 0;
    char last_char = 0;
    for (const char *p = text; *p; p++) {
        if (in_comment) {
            if (*p == '\n')
                in_comment = false;
            continue;
        }
        if (in_str) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_str = false;
            last_char = '"';
            continue;
        }
        if (*p == '#') {
            in_comment = true;
            continue;
        }
        if (*p == '"') {
            in_str = true;
            continue;
        }
        if (*p == '{') {
            depth++;
            saw_brace = true;
        } else if (*p == '}') {
            depth--;
        }
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            last_char = *p;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_') {
            const char *w = p;
            while ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') || p[1] == '_' ||
                   (p[1] >= '0' && p[1] <= '9'))
                p++;
            last_word = w;
            last_len = (size_t)(p - w + 1);
            last_char = *p;
        }
    }
    if (in_str || depth > 0)
        return false;
    const char *t = text;
    while (*t == ' ' || *t == '\t')
        t++;
    if (strncmp(t, "rule", 4) == 0 || strncmp(t, "case", 4) == 0)
        return last_word && last_len == 3 && strncmp(last_word, "end", 3) == 0 && last_char == 'd';
    if (strncmp(t, "ask", 3) == 0) /* answers follow the question, comma-separated */
        return last_char != ',' && last_char != '"' &&
               !(last_word && last_len == 8 && strncmp(last_word, "multiple", 8) == 0);
    return saw_brace && depth == 0;
}

static void load_typed(session *s, const char *text)
{
    char name[32];
    snprintf(name, sizeof name, "<input %u>", ++s->inputs);
    sn_report r = {0};
    bool ok = sn_load_string(s->e, name, text, strlen(text), &r);
    show_report(&r);
    if (ok)
        printf("loaded\n");
    else
        printf("nothing loaded: %u error%s\n", r.nerrors, r.nerrors == 1 ? "" : "s");
    sn_report_free(&r);
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
    const char *best = NULL;
    unsigned bd = 3;
    for (const command *c = commands; c->name; c++) {
        unsigned d = distance(p, c->name);
        if (d < bd) {
            bd = d;
            best = c->name;
        }
    }
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

static char **complete(const char *text, int start, int end)
{
    (void)end;
    session *s = the_session;
    candidates_clear();
    if (s->c) {
        consult_words(s->c, names_add, &candidates);
        rl_attempted_completion_over = 1;
        rl_completion_append_character = ' ';
        return rl_completion_matches(text, next_candidate);
    }
    int i = 0;
    while (i < start && (rl_line_buffer[i] == ' ' || rl_line_buffer[i] == '\t'))
        i++;
    if (i == start) {
        for (const command *c = commands; c->name; c++)
            names_add(c->name, &candidates);
    } else {
        if (strncmp(rl_line_buffer + i, "load ", 5) == 0)
            return NULL; /* file names, readline's default */
        if (strncmp(rl_line_buffer + i, "help ", 5) == 0) {
            for (const command *c = commands; c->name; c++)
                names_add(c->name, &candidates);
        } else if (strncmp(rl_line_buffer + i, "strategy ", 9) == 0) {
            names_add("depth", &candidates);
            names_add("breadth", &candidates);
            names_add("lex", &candidates);
            names_add("mea", &candidates);
        } else if (strncmp(rl_line_buffer + i, "watch ", 6) == 0 ||
                   strncmp(rl_line_buffer + i, "unwatch ", 8) == 0) {
            names_add("facts", &candidates);
            names_add("rules", &candidates);
            names_add("activations", &candidates);
            names_add("all", &candidates);
        } else {
            /* templates, slots (with their colon) and every known symbol */
            for (const sn_template *t = sn_template_next(s->e, NULL); t; t = sn_template_next(s->e, t)) {
                for (unsigned k = 0; k < sn_template_nslots(t); k++) {
                    char buf[256];
                    snprintf(buf, sizeof buf, "%s:", sn_template_slot(t, k));
                    names_add(buf, &candidates);
                }
            }
            sn_each_symbol(s->e, names_add, &candidates);
        }
    }
    rl_attempted_completion_over = 1;
    rl_completion_append_character = ' ';
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

static char *tty_read(const char *prompt)
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
                rl_free_line_state();
                rl_callback_sigcleanup();
                rl_replace_line("", 0);
                rl_crlf();
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

static char *history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char buf[4096];
    if (state && *state) {
        snprintf(buf, sizeof buf, "%s/sinew", state);
        mkdir(buf, 0700);
        snprintf(buf, sizeof buf, "%s/sinew/history", state);
    } else if (home && *home) {
        snprintf(buf, sizeof buf, "%s/.sinew_history", home);
    } else {
        return NULL;
    }
    return strdup(buf);
}

/* Write the history to a temporary file beside it, then rename: a crash
 * or a full disk never leaves half a history. */
static void save_history(const session *s)
{
    if (!s->history)
        return;
    size_t n = strlen(s->history);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return;
    snprintf(tmp, n + 16, "%s.tmp%ld", s->history, (long)getpid());
    stifle_history(1000);
    if (write_history(tmp) == 0) {
        chmod(tmp, 0600);
        if (rename(tmp, s->history) != 0)
            unlink(tmp);
    } else {
        unlink(tmp);
    }
    free(tmp);
}

static char *read_line(session *s, const char *prompt)
{
    if (s->tty)
        return tty_read(prompt);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    s->nul = memchr(line, '\0', (size_t)n) != NULL;
    trim_end(line);
    return line;
}

int repl_main(int npaths, char **paths, const char *default_rules, const repl_start *start)
{
    session s = {0};
    s.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    const char *nc = getenv("NO_COLOR");
    s.color = s.tty && !(nc && *nc);
    s.e = sn_new();
    if (!s.e)
        return 1;
    the_session = &s;
    sn_set_interrupt(s.e, &interrupted);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a read returns */

    const char *def[] = {default_rules};
    sn_report r = {0};
    bool ok = npaths > 0 ? sn_load_files(s.e, (const char *const *)paths, (unsigned)npaths, &r)
                         : sn_load_files(s.e, def, 1, &r);
    show_report(&r);
    if (!ok)
        printf("nothing loaded: %u error%s\n", r.nerrors, r.nerrors == 1 ? "" : "s");
    sn_report_free(&r);

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
        s.history = history_path();
        if (s.history)
            read_history(s.history);
    }

    if (start && start->consult) {
        if (start->top)
            sn_set_consult_top(s.e, start->top);
        s.width = start->width;
        if (ok)
            start_consult(&s, start->resume, false);
        if (!s.c) {
            sn_free(s.e);
            return 1;
        }
    }

    const char *prompt = s.color ? "\001\033[1m\002sinew>\001\033[0m\002 " : "sinew> ";
    char *text = NULL; /* a construct being typed */
    size_t tlen = 0;
    while (!s.quit) {
        interrupted = 0;
        if (s.c && !consult_ask(s.c)) {
            consult_free(s.c);
            s.c = NULL;
            fflush(stdout);
        }
        char *line = read_line(&s, s.c ? consult_prompt(s.c) : text ? "   ... " : prompt);
        if (!line) {
            if (errno == EINTR && s.tty) {
                errno = 0;
                continue;
            }
            break;
        }
        if (s.tty && interrupted == 0 && *line == '\0' && text) {
            /* an empty line inside a construct: keep going */
        }
        if (s.tty && *skip_ws(line)) {
            char *h = strdup(skip_ws(line));
            if (h) {
                trim_end(h);
                add_history(h);
                free(h);
            }
        }
        if (s.nul) {
            /* what follows the NUL would be lost without a word */
            if (s.c)
                consult_reject(s.c, "the line holds a NUL byte; nothing was taken");
            else
                error(&s, "the line holds a NUL byte; nothing was taken");
            s.nul = false;
            free(line);
            fflush(stdout);
            continue;
        }
        if (s.c) {
            consult_line(s.c, line);
            free(line);
            fflush(stdout);
            continue;
        }
        if (text) {
            size_t n = strlen(line);
            char *grown = realloc(text, tlen + n + 2);
            if (grown) {
                text = grown;
                memcpy(text + tlen, line, n);
                tlen += n;
                text[tlen++] = '\n';
                text[tlen] = '\0';
            }
            free(line);
            if (construct_complete(text)) {
                load_typed(&s, text);
                free(text);
                text = NULL;
                tlen = 0;
            }
            continue;
        }
        char *p = skip_ws(line);
        if (starts_construct(p)) {
            tlen = strlen(p);
            text = malloc(tlen + 2);
            if (text) {
                memcpy(text, p, tlen);
                text[tlen++] = '\n';
                text[tlen] = '\0';
                if (construct_complete(text)) {
                    load_typed(&s, text);
                    free(text);
                    text = NULL;
                    tlen = 0;
                }
            }
            free(line);
            continue;
        }
        execute(&s, line);
        free(line);
    }
    if (text) {
        printf("error: the input ended inside a construct; it was not loaded\n");
        free(text);
    }
    if (s.tty) {
        putchar('\n');
        save_history(&s);
    }
    consult_free(s.c);
    candidates_clear();
    free(candidates.v);
    free(s.history);
    sn_free(s.e);
    return 0;
}
