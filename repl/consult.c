/* consult.c — a consultation driven line by line. See consult.h.
 *
 * After every answer the rules run to the end, and what changed among the
 * conclusions is shown (+ new, - withdrawn, ~ certainty changed; advice facts
 * are left to the report's recommendations), so the reasoning can be followed
 * step by step.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "consult.h"
#include "savefile.h"

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
    consult_error_fn on_error; /* where error messages go */
    void *error_ctx;
    bool more;                /* every question a rule waits on, not only those
                                 that could change the report */
    const sn_ask *cur;        /* the question shown, until it is settled */
    const sn_ask *again;      /* asked again next: `back` chose it */
    const sn_ask **settled;   /* in the order they were settled, for `back` */
    unsigned nsettled, cap;
    unsigned answered, unknown;
    unsigned earlier;         /* questions settled when it began */
    bool over;
    unsigned width;           /* columns the report is wrapped at */
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
        const sn_template *t = sn_template_find(e, sn_fact_template(f));
        if (t && sn_template_advice(e, t))
            continue; /* advice: the report gives the recommendations */
        if (*n == cap) {
            seen *w = realloc(v, (cap *= 2) * sizeof *v);
            if (!w)
                break;
            v = w;
        }
        v[*n] = (seen){sn_fact_id(f), sn_fact_cf(f), sn_fact_red_flag(f), sn_fact_text(f)};
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

/* An error message, to the caller's sink (or "error: ..." on stdout). */
static void say_error(consult_error_fn fn, void *ctx, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say_error(consult_error_fn fn, void *ctx, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (fn) {
        fn(ctx, msg);
    } else {
        printf("error: %s\n", msg);
    }
}

#define fail(c, ...) say_error((c)->on_error, (c)->error_ctx, __VA_ARGS__)

static void run(consult *c)
{
    sn_stop stop;
    if (sn_run(c->e, -1, NULL, &stop) != SN_OK)
        fail(c, "the run stopped: %s", sn_errmsg(c->e));
    else if (stop == SN_STOP_INTERRUPT)
        printf("interrupted: the rules have not all run ('run' finishes)\n");
    show_changes(c);
}

unsigned consult_terminal_width(void)
{
    struct winsize ws;
    return isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
}

consult *consult_new(sn_engine *e, bool color, bool more, consult_error_fn on_error, void *ctx)
{
    consult *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->e = e;
    c->color = color;
    c->on_error = on_error;
    c->error_ctx = ctx;
    c->more = more;
    c->width = consult_terminal_width();
    unsigned nasks = 0;
    for (const sn_ask *k = sn_ask_next(e, NULL); k; k = sn_ask_next(e, k))
        nasks++;
    if (nasks == 0) {
        fail(c, "no question can be asked: the knowledge base has no 'ask' declarations");
        free(c);
        return NULL;
    }
    c->cap = nasks;
    c->settled = calloc(nasks, sizeof *c->settled);
    if (!c->settled) {
        free(c);
        return NULL;
    }
    if (more)
        printf("Going on with every question a rule still waits on, whether or not it could\n"
               "change the report; 'quit' stops, 'help' says more.\n");
    else
        printf("Consultation: answer each question; several answers are separated by commas.\n"
               "'why' says why it is asked, 'unknown' when the answer is not known, 'whatif\n"
               "ANSWER' what it would change, 'back' changes the last answer ('back TEMPLATE'\n"
               "an earlier one), 'quit' stops, 'help' says more.\n");
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

static void wrapln(const consult *c, unsigned indent, const char *lead, const char *text);

static void show_choices(const consult *c, const sn_ask *k)
{
    size_t cap = 64, at = 0;
    for (unsigned i = 0; i < sn_ask_nanswers(k); i++)
        cap += strlen(sn_ask_answer(k, i)) + 32;
    char *list = malloc(cap);
    if (!list)
        return;
    list[0] = '\0';
    const char *lead = sn_ask_multiple(k) ? "answers (one or more): " : "answers: ";
    if (sn_ask_nitems(k)) {
        /* a group: the items still open, each with what ticking it says */
        lead = "any of: ";
        for (unsigned i = 0; i < sn_ask_nitems(k); i++) {
            if (sn_ask_state_of(c->e, sn_ask_item(k, i)) != SN_ASK_OPEN)
                continue;
            const char *a = sn_ask_item_answer(k, i);
            at += (size_t)snprintf(list + at, cap - at, "%s%s", at ? ", " : "", sn_ask_answer(k, i));
            if (a && strcmp(a, "yes") != 0)
                at += (size_t)snprintf(list + at, cap - at, " (%s)", a);
        }
        snprintf(list + at, cap - at, "; or none");
    } else {
        for (unsigned i = 0; i < sn_ask_nanswers(k); i++)
            at += (size_t)snprintf(list + at, cap - at, "%s%s", i ? ", " : "", sn_ask_answer(k, i));
    }
    wrapln(c, 4, lead, list);
    free(list);
}

/* The question shown again, after an error. */
static void ask_again(const consult *c, const sn_ask *k)
{
    wrapln(c, 0, "", sn_ask_question(k));
    show_choices(c, k);
}

void consult_set_width(consult *c, unsigned width) { c->width = width < 20 ? 20 : width; }

/* TEXT written from column AT (where the cursor is) to the width, broken
 * at spaces; lines after the first begin with INDENT spaces. A word longer
 * than a line is not broken. Returns the column it ended at. */
static unsigned wrap_width(unsigned width, unsigned at, unsigned indent, const char *text)
{
    const char *p = text;
    bool first = true;
    while (*p) {
        size_t gap = strspn(p, " ");
        const char *word = p + gap;
        if (!*word)
            break;
        size_t n = strcspn(word, " ");
        if (!first && at + gap + n > width) {
            printf("\n%*s", (int)indent, "");
            at = indent;
        } else {
            printf("%*s", (int)gap, ""); /* the spaces as written: columns stay aligned */
            at += (unsigned)gap;
        }
        fwrite(word, 1, n, stdout);
        at += (unsigned)n;
        p = word + n;
        first = false;
    }
    return at;
}

static unsigned wrap(const consult *c, unsigned at, unsigned indent, const char *text)
{
    return wrap_width(c->width, at, indent, text);
}

static void wrapln(const consult *c, unsigned indent, const char *lead, const char *text)
{
    printf("%*s%s", (int)indent, "", lead);
    wrap(c, indent + (unsigned)strlen(lead), indent + (unsigned)strlen(lead), text);
    putchar('\n');
}

/* The sources a report cites, numbered in the order they are first cited. */
typedef struct sources {
    const char **v;
    unsigned n, cap;
} sources;

static unsigned source_number(sources *s, const char *cite)
{
    for (unsigned i = 0; i < s->n; i++)
        if (strcmp(s->v[i], cite) == 0)
            return i + 1;
    if (s->n == s->cap) {
        const char **w = realloc(s->v, (s->cap = s->cap ? 2 * s->cap : 8) * sizeof *w);
        if (!w)
            return 0;
        s->v = w;
    }
    s->v[s->n++] = cite;
    return s->n;
}

/* TEXT with the numbers of the sources of every rule among RULES (N of
 * them) that recommends it: "text [1, 2]". */
static char *cited(sources *s, const char *text, const sn_rule *const *rules, const char *const *texts, unsigned n)
{
    size_t len = strlen(text) + 8;
    for (unsigned r = 0; r < n; r++)
        if (strcmp(texts[r], text) == 0)
            len += 8 * sn_rule_ncites(rules[r]);
    char *out = malloc(len);
    if (!out)
        return NULL;
    size_t at = (size_t)snprintf(out, len, "%s", text);
    unsigned nums[64], nn = 0;
    for (unsigned r = 0; r < n; r++) {
        if (strcmp(texts[r], text) != 0)
            continue;
        for (unsigned j = 0; j < sn_rule_ncites(rules[r]) && nn < 64; j++) {
            unsigned num = source_number(s, sn_rule_cite(rules[r], j)), k = 0;
            while (k < nn && nums[k] != num)
                k++;
            if (k == nn)
                nums[nn++] = num;
        }
    }
    for (unsigned k = 0; k < nn; k++)
        at += (size_t)snprintf(out + at, len - at, "%s%u", k ? ", " : " [", nums[k]);
    if (nn)
        snprintf(out + at, len - at, "]");
    return out;
}

/* A conclusion as a clinician reads it, with its certainty and id, wrapped
 * after LEAD: the value of a one-slot fact (hamstring_strain) when WORDS,
 * else the fact, whole. */
static void fact_item(const consult *c, unsigned indent, const char *lead, const sn_fact *f,
                      bool words)
{
    char second[8], value[256];
    const char *shown = NULL;
    char *text = NULL;
    if (words && !sn_fact_value(f, 1, second, sizeof second) &&
        sn_fact_value(f, 0, value, sizeof value) && strlen(value) + 1 < sizeof value)
        shown = value;
    else
        shown = text = sn_fact_text(f);
    char tail[64];
    snprintf(tail, sizeof tail, " %.2f (#%llu)", sn_fact_cf(f), (unsigned long long)sn_fact_id(f));
    size_t n = strlen(shown ? shown : "") + strlen(tail) + 1;
    char *item = malloc(n);
    if (item) {
        snprintf(item, n, "%s%s", shown ? shown : "", tail);
        wrapln(c, indent, lead, item);
    } else {
        wrapln(c, indent, lead, tail + 1);
    }
    free(item);
    free(text);
}

/* Urgency by the salience of the rule that recommends: above 0 now, down
 * to -49 while it heals, below that to prevent it again. */
static int urgency(const sn_rule *r)
{
    int s = sn_rule_salience(r);
    return s > 0 ? 0 : s > -50 ? 1 : 2;
}

static void report(consult *c)
{
    char line[256];
    snprintf(line, sizeof line, "The consultation is over: %u question%s answered, %u not known%s.", c->answered,
             c->answered == 1 ? "" : "s", c->unknown, "");
    if (c->earlier)
        snprintf(line + strlen(line) - 1, sizeof line - strlen(line) + 1, ", %u settled before it began.",
                 c->earlier);
    wrapln(c, 0, "", line);
    sn_fact **v;
    size_t n = ranked_conclusions(c->e, &v);
    unsigned nr = sn_recommendations(c->e, NULL, NULL, 0);
    const char **texts = calloc(nr + 1, sizeof *texts);
    const sn_rule **rules = calloc(nr + 1, sizeof *rules);
    if (nr && texts && rules)
        sn_recommendations(c->e, texts, rules, nr);
    else
        nr = 0;
    sources src = {0};
    char buf[512];

    /* red flags, in the words of the advice that goes with them */
    bool head = false;
    for (size_t i = 0; i < n; i++) {
        if (!sn_fact_red_flag(v[i]))
            continue;
        if (!head)
            printf("\nRed flags: see to these first\n");
        head = true;
        bool said = false;
        for (unsigned r = 0; r < nr; r++) {
            if (sn_recommendation_flag(c->e, texts[r]) != v[i])
                continue;
            char *t = cited(&src, texts[r], rules, texts, nr);
            wrapln(c, 2, "! ", t ? t : texts[r]);
            free(t);
            said = true;
        }
        if (!said) {
            char *t = sn_fact_text(v[i]);
            wrapln(c, 2, "! ", t ? t : "(out of memory)");
            free(t);
        }
    }

    /* the differential */
    printf("\nDifferential (most likely first, with certainty):\n");
    unsigned rank = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(sn_fact_template(v[i]), "diagnosis") != 0)
            continue;
        char lead[32];
        snprintf(lead, sizeof lead, "%2u. ", ++rank);
        fact_item(c, 2, lead, v[i], true);
    }
    if (!rank) {
        snprintf(buf, sizeof buf, "no diagnosis reaches the threshold (%.2f)", sn_threshold(c->e));
        wrapln(c, 2, "", buf);
    }

    /* other conclusions (not advice: that is in the recommendations) */
    head = false;
    for (size_t i = 0; i < n; i++) {
        const sn_template *t = sn_template_find(c->e, sn_fact_template(v[i]));
        if (sn_fact_red_flag(v[i]) || strcmp(sn_fact_template(v[i]), "diagnosis") == 0 ||
            (t && sn_template_advice(c->e, t)))
            continue;
        if (!head)
            printf("\nAlso concluded:\n");
        head = true;
        fact_item(c, 2, "", v[i], false);
    }

    /* recommendations by urgency, each once */
    static const char *const bands[] = {"Now:", "While it heals:", "To prevent it again:"};
    head = false;
    for (int band = 0; band < 3; band++) {
        bool bhead = false;
        for (unsigned r = 0; r < nr; r++) {
            if (urgency(rules[r]) != band || sn_recommendation_flag(c->e, texts[r]))
                continue;
            bool dup = false;
            for (unsigned q = 0; q < r && !dup; q++)
                dup = strcmp(texts[q], texts[r]) == 0;
            if (dup)
                continue;
            if (!head)
                printf("\nRecommendations:\n");
            if (!bhead)
                printf("  %s\n", bands[band]);
            head = bhead = true;
            char *t = cited(&src, texts[r], rules, texts, nr);
            wrapln(c, 4, "- ", t ? t : texts[r]);
            free(t);
        }
    }

    if (src.n) {
        printf("\nSources:\n");
        for (unsigned i = 0; i < src.n; i++) {
            char lead[16];
            snprintf(lead, sizeof lead, "[%u] ", i + 1);
            wrapln(c, 2, lead, src.v[i]);
        }
    }
    free(src.v);
    free(texts);
    free(rules);
    free(v);
    printf("\n");
    wrapln(c, 0, "", "'why #ID', 'how #ID' and 'whynot PATTERN' explain them; 'save FILE' keeps the answers; "
                     "'more' asks the questions that remain.");
}

bool consult_ask(consult *c)
{
    if (c->over)
        return false;
    if (c->cur)
        return true;
    const sn_ask *k = c->again;
    c->again = NULL;
    sn_status st = SN_OK;
    if (!k)
        st = c->more ? sn_next_question_any(c->e, &k, NULL, 0, NULL)
                     : sn_next_question(c->e, &k, NULL, 0, NULL);
    if (st != SN_OK) {
        fail(c, "no question can be chosen: %s", sn_errmsg(c->e));
        c->over = true;
        return false;
    }
    if (!k) {
        c->over = true;
        report(c);
        return false;
    }
    c->cur = k;
    wrapln(c, 0, "", sn_ask_question(k));
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
    unsigned n = 0;
    if (sn_ask_reasons(c->e, c->cur, v, MAX_REASONS, &n) != SN_OK) {
        fail(c, "%s", sn_errmsg(c->e));
        return;
    }
    if (n == 0) {
        /* only a question gone back to can be one no rule waits on */
        printf("It is asked again because you went back to it; no rule waits on it now.\n");
        return;
    }
    printf("It is asked because the answer could %s:\n", n == 1 ? "decide this rule" : "decide these rules");
    for (unsigned i = 0; i < n && i < MAX_REASONS; i++) {
        const sn_rule *r = v[i].rule;
        char line[1024];
        if (v[i].blocks)
            snprintf(line, sizeof line, "%s%s: it has fired; the answer could block %s and withdraw what it made",
                     sn_rule_name(r), sn_rule_red_flag(r) ? " (red flag)" : "", v[i].condition);
        else
            snprintf(line, sizeof line, "%s%s: %u of %u condition%s held; next %s", sn_rule_name(r),
                     sn_rule_red_flag(r) ? " (red flag)" : "", v[i].held, v[i].conditions,
                     v[i].conditions == 1 ? "" : "s", v[i].condition);
        printf("  ");
        wrap(c, 2, 6, line);
        putchar('\n');
        if (*sn_rule_doc(r)) {
            size_t len = strlen(sn_rule_doc(r)) + 3;
            char *doc = malloc(len);
            if (doc) {
                snprintf(doc, len, "\"%s\"", sn_rule_doc(r));
                printf("      ");
                wrap(c, 6, 7, doc);
                putchar('\n');
                free(doc);
            }
        }
        if (sn_rule_ncites(r)) {
            char cites[1024];
            size_t at = 0;
            for (unsigned j = 0; j < sn_rule_ncites(r) && at < sizeof cites; j++)
                at += (size_t)snprintf(cites + at, sizeof cites - at, "%s%s", j ? ", " : "cites ", sn_rule_cite(r, j));
            printf("      ");
            wrap(c, 6, 12, cites);
            putchar('\n');
        }
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
            char list[1024] = "";
            size_t n = 0;
            for (unsigned i = 0; i < c->nsettled && n < sizeof list; i++)
                n += (size_t)snprintf(list + n, sizeof list - n, " %s", sn_ask_template(c->settled[i]));
            fail(c, "no question is about '%s'; the answered ones:%s", arg, list);
            return;
        }
        if (sn_ask_state_of(c->e, k) == SN_ASK_OPEN) {
            fail(c, "'%s' has not been answered", arg);
            return;
        }
    } else {
        if (c->nsettled == 0) {
            fail(c, "nothing has been answered yet");
            return;
        }
        k = c->settled[c->nsettled - 1];
    }
    bool was_unknown = sn_ask_state_of(c->e, k) == SN_ASK_UNKNOWN;
    if (sn_ask_clear(c->e, k) != SN_OK) {
        fail(c, "%s", sn_errmsg(c->e));
        return;
    }
    if (!unsettle(c, k)) {
        if (c->earlier)
            c->earlier--;
    } else if (was_unknown) {
        if (c->unknown)
            c->unknown--;
    } else if (c->answered) {
        c->answered--;
    }
    printf("The answer to '%s' is taken back.\n", sn_ask_template(k));
    run(c);
    c->again = k;
    c->cur = NULL;
}

static void help(void)
{
    printf("  ANSWER[, ANSWER...]  one of the answers shown (a unique beginning is enough);\n"
           "                       at 'any of', the items that apply, or none\n"
           "  why                  which rules the answer could decide, with their sources\n"
           "  unknown              the answer is not known (no finding is recorded; a\n"
           "                       finding given as none or no is a different answer)\n"
           "  whatif ANSWER        what that answer would change in the report, without\n"
           "                       giving it ('whatif TEMPLATE ANSWER': another question)\n"
           "  more                 from now on, also the questions that could not change\n"
           "                       the report\n"
           "  back [TEMPLATE]      take back the last answer (or that one), answer it again\n"
           "  conclusions          what is concluded so far\n"
           "  save FILE            write the answers so far as a case file\n"
           "  quit                 stop here and see what was concluded\n");
}

static bool number(const char *s, double *d)
{
    return sn_number_parse(s, d) == SN_NUMBER;
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
    double d;
    for (char *w = strtok(line, ", \t"); w; w = strtok(NULL, ", \t")) {
        const char *a = match_answer(k, w);
        if (!a && sn_ask_nanswers(k) > 0 && number(sn_ask_answer(k, 0), &d) &&
            sn_number_parse(w, &d) != SN_NUMBER) {
            /* a question answered by numbers: inf, nan, 0x26 and 1e400 are not */
            if (sn_number_parse(w, &d) == SN_TOO_LARGE)
                fail(c, "'%s' is too large for a number", w);
            else
                fail(c, "'%s' is not a number: the answers here are written in decimal digits", w);
            ask_again(c, k);
            return;
        }
        if (!a) {
            unsigned nmatch = 0;
            for (unsigned i = 0; i < sn_ask_nanswers(k); i++)
                nmatch += strncmp(sn_ask_answer(k, i), w, strlen(w)) == 0;
            if (nmatch > 1)
                fail(c, "'%s' is the beginning of more than one answer: say which", w);
            else
                fail(c, "'%s' is not an answer here", w);
            ask_again(c, k);
            return;
        }
        if (n == 1 && !sn_ask_multiple(k)) {
            fail(c, "one answer only (this question takes one)");
            ask_again(c, k);
            return;
        }
        if (n == 64) {
            fail(c, "more than 64 answers");
            ask_again(c, k);
            return;
        }
        bool dup = false;
        for (unsigned i = 0; i < n; i++)
            dup |= list[i] == a;
        if (!dup)
            list[n++] = a;
    }
    char err[256];
    if (sn_ask_set(c->e, k, list, n, err, sizeof err) != SN_OK) {
        fail(c, "%s", sn_errmsg(c->e));
        ask_again(c, k);
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
    if (strlen(text) >= sizeof line) {
        fail(c, "the line is longer than %zu characters; nothing was taken", sizeof line - 1);
        ask_again(c, k);
        return;
    }
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
        fail(c, "no answer given ('unknown' when it is not known, 'help' for more)");
        ask_again(c, k);
    } else if (is_answer) {
        answer(c, k, p);
    } else if (strcmp(cmd, "why") == 0 && !*arg) {
        why(c);
    } else if (strcmp(cmd, "unknown") == 0 && !*arg) {
        if (sn_ask_set_unknown(c->e, k) != SN_OK) {
            fail(c, "%s", sn_errmsg(c->e));
            ask_again(c, k);
            return;
        }
        c->unknown++;
        settle(c, k);
        if (sn_ask_nitems(k))
            printf("  (not known: none of its findings is recorded)\n");
        else
            printf("  (not known: no %s finding is recorded)\n", sn_ask_template(k));
    } else if (strcmp(cmd, "whatif") == 0) {
        if (!*arg)
            fail(c, "whatif needs an answer: whatif ANSWER, or whatif TEMPLATE ANSWER");
        else
            consult_whatif(c->e, k, arg, c->width, c->on_error, c->error_ctx);
    } else if (strcmp(cmd, "more") == 0 && !*arg) {
        c->more = true;
        printf("  (from now on every question a rule waits on is asked)\n");
    } else if (strcmp(cmd, "back") == 0) {
        back(c, arg);
    } else if (strcmp(cmd, "save") == 0) {
        char err[512];
        if (!*arg)
            fail(c, "save needs a file name: save FILE");
        else if (consult_save(c->e, arg, err, sizeof err))
            printf("saved the answers to %s\n", arg);
        else
            fail(c, "%s", err);
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

void consult_reject(consult *c, const char *why)
{
    if (c->over || !c->cur)
        return;
    fail(c, "%s", why);
    ask_again(c, c->cur);
}

/* ---- what if ------------------------------------------------------------------ */

/* ARG names a finding: "ANSWER[, ANSWER]" for the question CUR (may be
 * NULL), "TEMPLATE ANSWER[, ANSWER]" or "TEMPLATE(ANSWER, ...)" (a slot
 * name before a colon is skipped: onset(value: sudden)); "unknown" for
 * not known. */
void consult_whatif(sn_engine *e, const sn_ask *cur, const char *arg, unsigned width,
                    consult_error_fn on_error, void *ctx)
{
    char buf[1024];
    if (strlen(arg) >= sizeof buf) {
        say_error(on_error, ctx, "whatif: the line is too long");
        return;
    }
    snprintf(buf, sizeof buf, "%s", arg);
    for (char *p = buf; *p; p++)
        if (*p == '(' || *p == ')' || *p == ',')
            *p = ' ';
    char *words[64];
    unsigned nw = 0;
    for (char *w = strtok(buf, " \t"); w && nw < 64; w = strtok(NULL, " \t"))
        if (w[strlen(w) - 1] != ':')
            words[nw++] = w;
    const sn_ask *k = cur;
    unsigned first = 0;
    bool all_cur = cur != NULL;
    for (unsigned i = 0; i < nw && all_cur; i++)
        all_cur = strcmp(words[i], "unknown") == 0 || match_answer(cur, words[i]) != NULL;
    if (!all_cur && nw > 0 && (nw > 1 || !cur)) {
        const sn_ask *named = sn_ask_find(e, words[0]);
        if (named) {
            k = named;
            first = 1;
        }
    }
    if (!k) {
        say_error(on_error, ctx, "'%s' names no question: whatif TEMPLATE ANSWER", nw ? words[0] : arg);
        return;
    }
    const char *vals[64];
    unsigned n = 0;
    bool unknown = false;
    for (unsigned i = first; i < nw; i++) {
        if (strcmp(words[i], "unknown") == 0) {
            unknown = true;
            continue;
        }
        const char *a = match_answer(k, words[i]);
        if (!a) {
            say_error(on_error, ctx, "'%s' is not an answer to '%s'", words[i], sn_ask_template(k));
            return;
        }
        vals[n++] = a;
    }
    if (unknown && n) {
        say_error(on_error, ctx, "'unknown' goes alone");
        return;
    }
    if (!unknown && n == 0) {
        say_error(on_error, ctx, "whatif needs an answer to '%s'", sn_ask_template(k));
        return;
    }
    printf("If %s were %s", sn_ask_template(k), unknown ? "not known" : "");
    for (unsigned i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", vals[i]);
    printf(" (nothing is changed now):\n");
    /* written to memory first, to wrap it at the width */
    char err[256], *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        say_error(on_error, ctx, "out of memory");
        return;
    }
    bool ok = sn_whatif(e, k, vals, n, mem, err, sizeof err) == SN_OK;
    fclose(mem);
    if (!ok)
        say_error(on_error, ctx, "%s", sn_errmsg(e));
    for (char *line = text, *next; ok && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        /* lines after the first under the text after "label:  " */
        size_t lead = strspn(line, " ") + 4;
        const char *colon = strstr(line, ":  ");
        if (colon && (size_t)(colon - line) < width / 2)
            lead = (size_t)(colon + 1 - line) + strspn(colon + 1, " ");
        wrap_width(width, 0, (unsigned)lead, line);
        putchar('\n');
    }
    free(text);
}

void consult_words(const consult *c, void (*fn)(const char *, void *), void *ctx)
{
    if (c->cur)
        for (unsigned i = 0; i < sn_ask_nanswers(c->cur); i++)
            fn(sn_ask_answer(c->cur, i), ctx);
    static const char *const words[] = {"why",  "unknown", "whatif", "more", "back",
                                        "conclusions", "save", "quit", "help"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        fn(words[i], ctx);
    if (c->cur)
        for (unsigned i = 0; i < c->nsettled; i++)
            fn(sn_ask_template(c->settled[i]), ctx);
}

/* ---- saving ----------------------------------------------------------------- */

/* The case's name: consult_ and the file's name, made a name, then a hash
 * of the answers, so that two saves of different answers under one file
 * name can be tested together. */
static void case_name(const char *path, const char *answers, size_t len, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = snprintf(out, size, "consult_");
    for (const char *p = base; *p && *p != '.' && n + 12 < size; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        out[n++] = ok ? ch : '_';
    }
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)answers[i]) * 16777619u;
    snprintf(out + n, size - n, "_%08x", (unsigned)h);
}

/* The given facts (what was typed or answered), one per line. */
static char *given_text(sn_engine *e, size_t *len)
{
    char *text = NULL;
    FILE *ms = open_memstream(&text, len);
    if (!ms)
        return NULL;
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f)) {
        sn_origin o = sn_fact_origin(f);
        if (o != SN_ORIGIN_TYPED && o != SN_ORIGIN_CASE)
            continue;
        fputs("    ", ms);
        sn_fact_write(ms, f);
        fputc('\n', ms);
    }
    if (fclose(ms) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

bool consult_save(sn_engine *e, const char *path, char *err, size_t size)
{
    size_t len;
    char *given = given_text(e, &len);
    if (!given) {
        snprintf(err, size, "cannot write %s: out of memory", path);
        return false;
    }
    savefile sf;
    if (!savefile_open(&sf, path, err, size)) {
        free(given);
        return false;
    }
    char name[160];
    case_name(path, given, len, name, sizeof name);
    FILE *out = sf.out;
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
    fwrite(given, 1, len, out);
    free(given);
    fprintf(out, "expect\n");
    sn_fact **v;
    size_t n = ranked_conclusions(e, &v);
    for (size_t i = 0; i < n; i++) {
        fputs("    ", out);
        sn_fact_write(out, v[i]);
        fputc('\n', out);
    }
    free(v);
    fprintf(out, "end\n");
    return savefile_commit(&sf, err, size);
}
