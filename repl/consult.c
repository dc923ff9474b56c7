/* consult.c — a consultation driven line by line. See consult.h.
 *
 * After every answer the rules run to the end, and what changed among the
 * conclusions is shown (+ new, - withdrawn, ~ certainty changed), so the
 * reasoning can be followed step by step.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "consult.h"

enum { MAX_REASONS = 8, MAX_CHANGES = 12 };

/* A conclusion as it stood: to say what an answer changed. */
typedef struct seen {
    uint64_t id;
    double cf;
    bool red;
    char *text;
} seen;

struct consult {
    sn_engine *e;
    bool color;
    const sn_ask *cur;        /* the question shown, until it is settled */
    const sn_ask *again;      /* asked again next: `back` chose it */
    const sn_ask **settled;   /* in the order they were settled, for `back` */
    unsigned nsettled, cap;
    unsigned answered, unknown;
    unsigned earlier;         /* questions settled when it began */
    bool over;
    char prompt[96];
    seen *before;
    size_t nbefore;
};

static void seen_free(seen *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
}

/* The conclusions at or above the threshold now. */
static seen *snapshot(sn_engine *e, size_t *n)
{
    size_t cap = 16;
    seen *v = malloc(cap * sizeof *v);
    *n = 0;
    for (sn_fact *f = sn_fact_next(e, NULL); f && v; f = sn_fact_next(e, f)) {
        if (!sn_fact_concluded(f) || sn_fact_cf(f) < sn_threshold(e))
            continue;
        if (*n == cap) {
            seen *w = realloc(v, (cap *= 2) * sizeof *v);
            if (!w)
                break;
            v = w;
        }
        char buf[512];
        sn_fact_format(f, buf, sizeof buf);
        v[*n] = (seen){sn_fact_id(f), sn_fact_cf(f), sn_fact_red_flag(f), strdup(buf)};
        ++*n;
    }
    return v;
}

static const seen *find_seen(const seen *v, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].text && strcmp(v[i].text, text) == 0)
            return &v[i];
    return NULL;
}

static int by_urgency(const void *a, const void *b)
{
    const seen *x = a, *y = b;
    if (x->red != y->red)
        return x->red ? -1 : 1;
    if (x->cf != y->cf)
        return x->cf < y->cf ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Say what changed since the last snapshot (the first MAX_CHANGES
 * changes), and take a new one. */
static void show_changes(consult *c)
{
    size_t n, shown = 0, more = 0;
    seen *now = snapshot(c->e, &n);
    for (size_t i = 0; i < c->nbefore; i++)
        if (!find_seen(now, n, c->before[i].text)) {
            if (shown++ < MAX_CHANGES)
                printf("  - withdrawn  %s\n", c->before[i].text);
            else
                more++;
        }
    /* red flags first, then the most certain */
    qsort(now, n, sizeof *now, by_urgency);
    for (size_t i = 0; i < n; i++) {
        const seen *was = find_seen(c->before, c->nbefore, now[i].text);
        if (was && was->cf == now[i].cf)
            continue;
        if (shown++ >= MAX_CHANGES) {
            more++;
            continue;
        }
        if (!was)
            printf("  + %5.2f  #%llu %s\n", now[i].cf, (unsigned long long)now[i].id, now[i].text);
        else
            printf("  ~ %5.2f  #%llu %s (was %.2f)\n", now[i].cf, (unsigned long long)now[i].id, now[i].text,
                   was->cf);
    }
    if (more)
        printf("  ... and %zu more change%s ('conclusions' lists what holds)\n", more, more == 1 ? "" : "s");
    seen_free(c->before, c->nbefore);
    c->before = now;
    c->nbefore = n;
}

static void run(consult *c)
{
    sn_stop stop = sn_run(c->e, -1, NULL);
    if (stop == SN_STOP_ERROR)
        printf("error: the run stopped: %s\n", sn_last_error(c->e));
    else if (stop == SN_STOP_INTERRUPT)
        printf("interrupted: the rules have not all run ('run' finishes)\n");
    show_changes(c);
}

consult *consult_new(sn_engine *e, bool color)
{
    consult *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->e = e;
    c->color = color;
    unsigned nasks = 0;
    for (const sn_ask *k = sn_ask_next(e, NULL); k; k = sn_ask_next(e, k))
        nasks++;
    if (nasks == 0) {
        printf("error: no question can be asked: the knowledge base has no 'ask' declarations\n");
        free(c);
        return NULL;
    }
    c->cap = nasks;
    c->settled = calloc(nasks, sizeof *c->settled);
    if (!c->settled) {
        free(c);
        return NULL;
    }
    printf("Consultation: answer each question; several answers are separated by commas.\n"
           "'why' says why it is asked, 'unknown' when the answer is not known, 'back' changes\n"
           "the last answer ('back TEMPLATE' an earlier one), 'quit' stops, 'help' says more.\n");
    for (const sn_ask *k = sn_ask_next(e, NULL); k; k = sn_ask_next(e, k))
        c->earlier += sn_ask_state_of(e, k) != SN_ASK_OPEN;
    c->before = snapshot(e, &c->nbefore);
    run(c); /* what is given already may conclude something */
    return c;
}

void consult_free(consult *c)
{
    if (!c)
        return;
    seen_free(c->before, c->nbefore);
    free(c->settled);
    free(c);
}

static void show_choices(const consult *c, const sn_ask *k)
{
    (void)c;
    printf("    %s: ", sn_ask_multiple(k) ? "answers (one or more)" : "answers");
    for (unsigned i = 0; i < sn_ask_nanswers(k); i++)
        printf("%s%s", i ? ", " : "", sn_ask_answer(k, i));
    printf("\n");
}

static void report(consult *c)
{
    printf("The consultation is over: %u question%s answered, %u not known", c->answered,
           c->answered == 1 ? "" : "s", c->unknown);
    if (c->earlier)
        printf(", %u settled before it began", c->earlier);
    printf(".\n");
    print_conclusions(c->e, stdout);
    printf("'why #ID', 'how #ID' and 'whynot PATTERN' explain them; 'save FILE' keeps the answers.\n");
}

bool consult_ask(consult *c)
{
    if (c->over)
        return false;
    if (c->cur)
        return true;
    const sn_ask *k = c->again;
    c->again = NULL;
    if (!k)
        k = sn_next_question(c->e, NULL, 0, NULL);
    if (!k) {
        c->over = true;
        report(c);
        return false;
    }
    c->cur = k;
    printf("%s\n", sn_ask_question(k));
    show_choices(c, k);
    snprintf(c->prompt, sizeof c->prompt, c->color ? "\001\033[1m\002%s?\001\033[0m\002 " : "%s? ",
             sn_ask_template(k));
    return true;
}

const char *consult_prompt(const consult *c) { return c->prompt; }

/* Take K off the list of questions settled here; false when it was not
 * on it (settled before the consultation began). */
static bool unsettle(consult *c, const sn_ask *k)
{
    for (unsigned i = 0; i < c->nsettled; i++)
        if (c->settled[i] == k) {
            memmove(&c->settled[i], &c->settled[i + 1], (c->nsettled - i - 1) * sizeof *c->settled);
            c->nsettled--;
            return true;
        }
    return false;
}

static void settle(consult *c, const sn_ask *k)
{
    unsettle(c, k);
    if (c->nsettled < c->cap)
        c->settled[c->nsettled++] = k;
    c->cur = NULL;
}

static void why(consult *c)
{
    sn_reason v[MAX_REASONS];
    unsigned n = sn_ask_reasons(c->e, c->cur, v, MAX_REASONS);
    if (n == 0) {
        /* only a question gone back to can be one no rule waits on */
        printf("It is asked again because you went back to it; no rule waits on it now.\n");
        return;
    }
    printf("It is asked because the answer could %s:\n", n == 1 ? "decide this rule" : "decide these rules");
    for (unsigned i = 0; i < n && i < MAX_REASONS; i++) {
        const sn_rule *r = v[i].rule;
        if (v[i].blocks)
            printf("  %s%s: it has fired; the answer could block %s and withdraw what it made\n",
                   sn_rule_name(r), sn_rule_red_flag(r) ? " (red flag)" : "", v[i].condition);
        else
            printf("  %s%s: %u of %u condition%s held; next %s\n", sn_rule_name(r),
                   sn_rule_red_flag(r) ? " (red flag)" : "", v[i].held, v[i].conditions,
                   v[i].conditions == 1 ? "" : "s", v[i].condition);
        if (*sn_rule_doc(r))
            printf("      \"%s\"\n", sn_rule_doc(r));
        for (unsigned j = 0; j < sn_rule_ncites(r); j++)
            printf("%s%s", j ? ", " : "      cites ", sn_rule_cite(r, j));
        if (sn_rule_ncites(r))
            printf("\n");
    }
    if (n > MAX_REASONS)
        printf("  and %u more rule%s\n", n - MAX_REASONS, n - MAX_REASONS == 1 ? "" : "s");
}

static void back(consult *c, const char *arg)
{
    const sn_ask *k = NULL;
    if (*arg) {
        k = sn_ask_find(c->e, arg);
        if (!k) {
            printf("error: no question is about '%s'; the answered ones:", arg);
            for (unsigned i = 0; i < c->nsettled; i++)
                printf(" %s", sn_ask_template(c->settled[i]));
            printf("\n");
            return;
        }
        if (sn_ask_state_of(c->e, k) == SN_ASK_OPEN) {
            printf("error: '%s' has not been answered\n", arg);
            return;
        }
    } else {
        if (c->nsettled == 0) {
            printf("error: nothing has been answered yet\n");
            return;
        }
        k = c->settled[c->nsettled - 1];
    }
    if (!unsettle(c, k)) {
        if (c->earlier)
            c->earlier--;
    } else if (sn_ask_state_of(c->e, k) == SN_ASK_UNKNOWN) {
        if (c->unknown)
            c->unknown--;
    } else if (c->answered) {
        c->answered--;
    }
    printf("The answer to '%s' is taken back.\n", sn_ask_template(k));
    sn_ask_clear(c->e, k);
    run(c);
    c->again = k;
    c->cur = NULL;
}

static void help(void)
{
    printf("  ANSWER[, ANSWER...]  one of the answers shown (a unique beginning is enough)\n"
           "  why                  which rules the answer could decide, with their sources\n"
           "  unknown              the answer is not known (no finding is recorded; a finding\n"
           "                       given as none or no is a different answer)\n"
           "  back [TEMPLATE]      take back the last answer (or that one) and answer it again\n"
           "  conclusions          what is concluded so far\n"
           "  save FILE            write the answers so far as a case file\n"
           "  quit                 stop here and see what was concluded\n");
}

static bool number(const char *s, double *d)
{
    char *end;
    *d = strtod(s, &end);
    return end != s && *end == '\0';
}

/* The answer A stands for: exact, else a unique beginning (a number only
 * as a number: 38 is not 38.5). */
static const char *match_answer(const sn_ask *k, const char *a)
{
    const char *found = NULL;
    size_t n = strlen(a);
    double want, have;
    if (number(a, &want)) {
        for (unsigned i = 0; i < sn_ask_nanswers(k); i++)
            if (number(sn_ask_answer(k, i), &have) && want == have)
                return sn_ask_answer(k, i);
        return NULL;
    }
    for (unsigned i = 0; i < sn_ask_nanswers(k); i++) {
        const char *x = sn_ask_answer(k, i);
        if (strcmp(x, a) == 0)
            return x;
        if (strncmp(x, a, n) == 0) {
            if (found)
                return NULL;
            found = x;
        }
    }
    return found;
}

static void answer(consult *c, const sn_ask *k, char *line)
{
    const char *list[64];
    unsigned n = 0;
    for (char *w = strtok(line, ", \t"); w; w = strtok(NULL, ", \t")) {
        const char *a = match_answer(k, w);
        if (!a) {
            printf("error: '%s' is not an answer here\n", w);
            show_choices(c, k);
            return;
        }
        if (n == 64 || (n == 1 && !sn_ask_multiple(k))) {
            printf("error: one answer only\n");
            show_choices(c, k);
            return;
        }
        bool dup = false;
        for (unsigned i = 0; i < n; i++)
            dup |= list[i] == a;
        if (!dup)
            list[n++] = a;
    }
    char err[256];
    if (!sn_ask_set(c->e, k, list, n, err, sizeof err)) {
        printf("error: %s\n", err);
        show_choices(c, k);
        return;
    }
    c->answered++;
    settle(c, k);
    run(c);
}

void consult_line(consult *c, const char *text)
{
    if (c->over || !c->cur)
        return;
    const sn_ask *k = c->cur;
    char line[1024];
    snprintf(line, sizeof line, "%s", text);
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strlen(p);
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n'))
        p[--len] = '\0';
    char *arg = p;
    while (*arg && *arg != ' ' && *arg != '\t')
        arg++;
    char *word_end = arg;
    while (*arg == ' ' || *arg == '\t')
        arg++;
    char cmd[32] = "";
    if ((size_t)(word_end - p) < sizeof cmd)
        memcpy(cmd, p, (size_t)(word_end - p)), cmd[word_end - p] = '\0';
    bool is_answer = false;
    for (unsigned i = 0; i < sn_ask_nanswers(k); i++)
        is_answer |= strcmp(sn_ask_answer(k, i), cmd) == 0;

    if (*p == '#') {
        /* a comment, as at the prompt */
    } else if (*p == '\0') {
        printf("%s\n", sn_ask_question(k));
        show_choices(c, k);
    } else if (is_answer) {
        answer(c, k, p);
    } else if (strcmp(cmd, "why") == 0 && !*arg) {
        why(c);
    } else if (strcmp(cmd, "unknown") == 0 && !*arg) {
        sn_ask_set_unknown(c->e, k);
        c->unknown++;
        settle(c, k);
        printf("  (not known: no %s finding is recorded)\n", sn_ask_template(k));
    } else if (strcmp(cmd, "back") == 0) {
        back(c, arg);
    } else if (strcmp(cmd, "save") == 0) {
        if (!*arg)
            printf("error: save needs a file name: save FILE\n");
        else if (consult_save(c->e, arg))
            printf("saved the answers to %s\n", arg);
    } else if ((strcmp(cmd, "quit") == 0 || strcmp(cmd, "exit") == 0) && !*arg) {
        c->over = true;
        c->cur = NULL;
        report(c);
    } else if (strcmp(cmd, "conclusions") == 0 && !*arg) {
        print_conclusions(c->e, stdout);
    } else if ((strcmp(cmd, "help") == 0 || strcmp(cmd, "?") == 0) && !*arg) {
        help();
    } else {
        answer(c, k, p);
    }
}

void consult_words(const consult *c, void (*fn)(const char *, void *), void *ctx)
{
    if (c->cur)
        for (unsigned i = 0; i < sn_ask_nanswers(c->cur); i++)
            fn(sn_ask_answer(c->cur, i), ctx);
    static const char *const words[] = {"why", "unknown", "back", "conclusions", "save", "quit", "help"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        fn(words[i], ctx);
    if (c->cur)
        for (unsigned i = 0; i < c->nsettled; i++)
            fn(sn_ask_template(c->settled[i]), ctx);
}

/* ---- saving ----------------------------------------------------------------- */

static void case_name(const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = snprintf(out, size, "consult_");
    for (const char *p = base; *p && *p != '.' && n + 1 < size; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        out[n++] = ok ? ch : '_';
    }
    out[n] = '\0';
}

bool consult_save(sn_engine *e, const char *path)
{
    char name[128];
    case_name(path, name, sizeof name);
    char *tmp = malloc(strlen(path) + 8);
    if (!tmp)
        return false;
    sprintf(tmp, "%s.tmp", path);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        printf("error: cannot write %s\n", path);
        free(tmp);
        return false;
    }
    fprintf(out,
            "# The answers of a consultation, as a case. 'sinew consult --resume %s'\n"
            "# goes on from them; 'sinew test' checks they still lead to what was\n"
            "# concluded when it was saved.\n\ncase %s\n    \"Answers given in a consultation.",
            path, name);
    unsigned nu = 0;
    for (const sn_ask *k = sn_ask_next(e, NULL); k; k = sn_ask_next(e, k))
        if (sn_ask_state_of(e, k) == SN_ASK_UNKNOWN)
            fprintf(out, "%s%s", nu++ ? ", " : " Not known (asked again on resuming): ", sn_ask_template(k));
    fprintf(out, "%s\"\ngiven\n", nu ? "." : "");
    char buf[1024];
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        sn_origin o = sn_fact_origin(f);
        if (o != SN_ORIGIN_TYPED && o != SN_ORIGIN_CASE)
            continue;
        sn_fact_format(f, buf, sizeof buf);
        fprintf(out, "    %s\n", buf);
    }
    fprintf(out, "expect\n");
    sn_fact **v;
    size_t n = ranked_conclusions(e, &v);
    for (size_t i = 0; i < n; i++) {
        sn_fact_format(v[i], buf, sizeof buf);
        fprintf(out, "    %s\n", buf);
    }
    free(v);
    fprintf(out, "end\n");
    bool ok = fclose(out) == 0 && rename(tmp, path) == 0;
    if (!ok) {
        printf("error: cannot write %s\n", path);
        remove(tmp);
    }
    free(tmp);
    return ok;
}
