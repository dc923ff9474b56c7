/* whatif.c — what an answer would change in the report, tried on a copy.
 *
 * An answer is tried on a second engine that holds the same knowledge
 * base (a clone of the first, clone.h: made once, kept in engine->whatif
 * and brought up to date as rules are loaded or removed) and the same given
 * facts, so trying never changes the session: not its facts, fact ids,
 * firings, records or output. The copy is brought up to date from the
 * session's given facts and unknown answers before each use, and emptied
 * after it: between uses it holds its network and no working memory, so
 * what a session keeps for what-if does not grow with what was tried, and
 * a use leaves behind no allocation it did not find.
 *
 * The report is judged by what a consultation's report leads with: the
 * red flags, the differential (facts of the template `diagnosis` at or
 * above the threshold, most certain first, ties by text) and the most
 * urgent recommendation.
 *
 * The copy has its own memory, with the session's limit. When it runs out
 * (any call on it failing, or a report that found no memory to be taken
 * in) the copy is dropped and e->whatif_lost is set: the public call that
 * was trying answers then fails with SN_ERR_NOMEM.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "clone.h"
#include "engine.h"
#include "internal.h"
#include "tms.h"
#include "whatif.h"
#include "wm.h"

/* A call on the copy came to ST: out of memory loses the copy. (A rule
 * that fails stops the copy's run as it stops the session's: that is
 * part of what an answer would do, not a fault of the copy.) */
static bool copy_ok(engine *e, sn_status st)
{
    if (st != SN_ERR_NOMEM)
        return true;
    e->whatif_lost = true;
    return false;
}

void whatif_free(engine *e)
{
    if (e->whatif) {
        sn_free(e->whatif);
        e->whatif = NULL;
    }
}

static uint32_t live_rules(const engine *e)
{
    uint32_t n = 0;
    for (const struct rule *r = e->rules; r; r = r->next)
        n += !r->removed;
    return n;
}

/* The copy C brought up to E's sources after more were loaded into E
 * (what a session typing rules in does): the new ones loaded into C in
 * the order E loaded them, then E's removed rules removed. E's sources
 * only ever grow (a failed load leaves none behind; sn_clear drops the
 * copy), so C's are E's first ones. False when C could not follow: it is
 * then cloned afresh. A catch-up costs only the new text (a clone has
 * the check environment of its original: clone.h), far less than a
 * clone. */
static bool copy_catch_up(engine *e, engine *c, uint32_t nrules)
{
    for (uint32_t i = e->whatif_nsources; i < e->src.nfiles; i++) {
        const src_file *f = srcset_file(&e->src, i);
        if (sn_load_string(c, "whatif", f->text, f->len, NULL) != SN_OK || c->mem.tapped)
            return false;
    }
    for (const struct rule *r = e->rules; r; r = r->next)
        if (r->removed && sn_rule_find(c, r->name->text) && !sn_rule_find(e, r->name->text) &&
            sn_remove_rule(c, r->name->text) != SN_OK)
            return false;
    if (live_rules(c) != nrules)
        return false;
    e->whatif_nsources = e->src.nfiles;
    e->whatif_nrules = nrules;
    return true;
}

void whatif_follow(engine *e)
{
    if (e->whatif && !copy_catch_up(e, e->whatif, live_rules(e)))
        whatif_free(e);
}

/* The copy: a clone of E (clone.h), kept up to date by copy_catch_up,
 * made again when that cannot follow. It is set as a copy compiled from
 * E's sources by itself would be: no output, no records, no watching, the
 * default bound on firings; its threshold and strategy are E's at each
 * use (sync). */
static engine *copy_get(engine *e)
{
    uint32_t nrules = live_rules(e);
    if (e->whatif && e->whatif_nsources == e->src.nfiles && e->whatif_nrules == nrules)
        return e->whatif;
    if (e->whatif && e->whatif_nsources <= e->src.nfiles && copy_catch_up(e, e->whatif, nrules))
        return e->whatif;
    whatif_free(e);
    engine *c = clone_engine(e, -1);
    if (!c) {
        e->whatif_lost = true;
        return NULL;
    }
    sn_set_output(c, NULL);
    sn_set_recording(c, false);
    c->watch = 0;
    c->watch_out = NULL;
    c->interrupt = NULL;
    c->profile = false;
    c->max_firings = SN_MAX_FIRINGS;
    c->consult_top = 0;
    e->whatif = c;
    e->whatif_nsources = e->src.nfiles;
    e->whatif_nrules = nrules;
    return c;
}

/* The copy C with E's given facts and unknown answers, run to the end. */
static sn_status sync(engine *c, const engine *e)
{
    CALL_ENTER(c);
    c->threshold = e->threshold;
    c->strategy = e->strategy;
    sn_status st = sn_reset(c);
    /* a facts block's fact retracted in the session goes here too. The
     * session's are written once, one after another in C's scratch text
     * (nothing a retraction does writes there), not once for each of the
     * copy's: the facts blocks of a big knowledge base hold many. */
    scratch_reset(c);
    uint32_t nkept = 0;
    for (const struct fact *g = e->all_first; g; g = g->gnext)
        if (g->live && g->origin == SN_ORIGIN_FACTS) {
            char b[512];
            sn_fact_format(g, b, sizeof b);
            scratch_add(c, b, strlen(b) + 1); /* compared as C strings */
            nkept++;
        }
    for (struct fact *f = c->all_first, *next; f; f = next) {
        next = f->gnext;
        if (!f->live || f->origin != SN_ORIGIN_FACTS)
            continue;
        char a[512];
        sn_fact_format(f, a, sizeof a);
        bool kept = false;
        const char *b = c->scratch;
        for (uint32_t i = 0; i < nkept && !kept; i++, b += strlen(b) + 1)
            kept = strcmp(a, b) == 0;
        if (!kept)
            fact_retract(c, f);
    }
    for (const struct fact *f = e->all_first; f; f = f->gnext) {
        if (!f->live || !f->asserted || f->origin == SN_ORIGIN_RULE || f->origin == SN_ORIGIN_FACTS)
            continue;
        struct tmpl *t = tmpl_find(c, f->t->name->text, f->t->name->len);
        if (!t || t->nslots != f->t->nslots)
            continue;
        value vals[t->nslots + 1];
        for (uint32_t i = 0; i < t->nslots; i++) {
            vals[i] = f->slots[i];
            if (vals[i].type == V_SYMBOL || vals[i].type == V_STRING)
                vals[i].u.s = sym_intern(&c->syms, f->slots[i].u.s->text, f->slots[i].u.s->len);
        }
        fact_assert(c, t, vals, f->origin, NULL, NULL);
    }
    const ask *k = e->asks;
    for (ask *m = c->asks; m && k; m = m->next, k = k->next) {
        m->unknown = k->unknown;
        m->done = k->done;
        for (uint32_t i = 0; i < m->nitems && i < k->nitems; i++)
            m->item_set[i] = k->item_set[i];
    }
    engine_quiesce(c);
    if (st == SN_OK)
        st = sn_run(c, -1, NULL, NULL);
    return call_leave(c, st);
}

/* The copy at rest, after a use: its working memory emptied (facts,
 * tokens, agenda, records) and the values the use brought in forgotten;
 * the next use brings it up to date again (sync resets it anyway). */
static sn_status copy_empty(engine *c)
{
    CALL_ENTER_REPAIR(c);
    wm_clear(c);
    forget_case_symbols(c);
    return call_leave(c, SN_OK);
}

static void copy_rest(engine *e)
{
    if (e->whatif && copy_empty(e->whatif) != SN_OK)
        whatif_free(e); /* the next use makes another */
}

static engine *copy_sync(engine *e)
{
    engine *c = copy_get(e);
    if (c && !copy_ok(e, sync(c, e))) {
        whatif_free(e);
        c = NULL;
    }
    return c;
}

/* ---- the report, as it is judged ------------------------------------------ */

typedef struct item {
    char *text;
    double cf;
} item;

typedef struct snap {
    item *flags, *dx, *recs;
    uint32_t nflags, ndx, nrecs;
    bool lost;           /* an item found no memory */
} snap;

static void snap_free(snap *s)
{
    for (uint32_t i = 0; i < s->nflags; i++)
        free(s->flags[i].text);
    for (uint32_t i = 0; i < s->ndx; i++)
        free(s->dx[i].text);
    for (uint32_t i = 0; i < s->nrecs; i++)
        free(s->recs[i].text);
    free(s->flags);
    free(s->dx);
    free(s->recs);
    memset(s, 0, sizeof *s);
}

static int by_text(const void *a, const void *b) { return strcmp(((const item *)a)->text, ((const item *)b)->text); }

/* Most certain first; certainties equal to 1e-9 (the order evidence was
 * combined in moves the last bits) by text. */
static int by_rank(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (fabs(x->cf - y->cf) > 1e-9)
        return x->cf < y->cf ? 1 : -1;
    return strcmp(x->text, y->text);
}

static void push(snap *s, item **v, uint32_t *n, const char *text, double cf)
{
    item *w = realloc(*v, (*n + 1) * sizeof *w);
    char *t = strdup(text);
    if (!w || !t) {
        free(t);
        if (w)
            *v = w;
        s->lost = true;
        return;
    }
    *v = w;
    w[*n] = (item){t, cf};
    ++*n;
}

/* The report now into S; ALL_RECS: every recommendation, else only the
 * most urgent (all a choice compares). */
static void snap_take(engine *e, snap *s, bool all_recs)
{
    memset(s, 0, sizeof *s);
    const struct tmpl *dx = tmpl_find(e, "diagnosis", 9);
    char buf[512];
    for (const struct fact *f = e->all_first; f; f = f->gnext) {
        if (!f->live || f->cf < e->threshold || !sn_fact_concluded((sn_fact *)f))
            continue;
        if (f->t->red_flag) {
            sn_fact_format(f, buf, sizeof buf);
            push(s, &s->flags, &s->nflags, buf, f->cf);
        } else if (f->t == dx) {
            sn_fact_format(f, buf, sizeof buf);
            push(s, &s->dx, &s->ndx, buf, f->cf);
        }
    }
    if (s->nflags)
        qsort(s->flags, s->nflags, sizeof *s->flags, by_text);
    if (s->ndx)
        qsort(s->dx, s->ndx, sizeof *s->dx, by_rank);
    unsigned n = sn_recommendations(e, NULL, NULL, 0);
    if (n && !all_recs)
        n = 1; /* the most urgent alone: one pass, not a sort of them all */
    if (n) {
        const char **texts = malloc(n * sizeof *texts);
        if (texts) {
            sn_recommendations(e, texts, NULL, n);
            for (unsigned i = 0; i < n; i++)
                push(s, &s->recs, &s->nrecs, texts[i], 0);
            free(texts);
        } else {
            s->lost = true;
        }
    }
}

static bool same_flags(const snap *a, const snap *b)
{
    if (a->nflags != b->nflags)
        return false;
    for (uint32_t i = 0; i < a->nflags; i++)
        if (strcmp(a->flags[i].text, b->flags[i].text) != 0)
            return false;
    return true;
}

static bool same_top(const snap *a, const snap *b, uint32_t n)
{
    uint32_t na = a->ndx < n ? a->ndx : n, nb = b->ndx < n ? b->ndx : n;
    if (na != nb)
        return false;
    for (uint32_t i = 0; i < na; i++)
        if (strcmp(a->dx[i].text, b->dx[i].text) != 0)
            return false;
    return true;
}

/* How much B differs from A: a red flag most, then the top diagnosis,
 * then the rest of the top three, then the most urgent recommendation.
 * *REPORT: a red flag or the top TOP diagnoses changed. */
static double change(const snap *a, const snap *b, unsigned top_n, bool *report)
{
    double d = 0;
    bool flags = !same_flags(a, b), top = !same_top(a, b, 1), top3 = !same_top(a, b, 3);
    d += flags ? 4 : 0;
    d += top ? 3 : top3 ? 1 : 0;
    if ((a->nrecs > 0) != (b->nrecs > 0) || (a->nrecs && strcmp(a->recs[0].text, b->recs[0].text) != 0))
        d += 0.5;
    *report = flags || !same_top(a, b, top_n);
    return d;
}

/* ---- trying answers ----------------------------------------------------------- */

static ask *copy_ask(engine *c, const ask *k)
{
    ask *m = c->asks;
    while (m && m->index != k->index)
        m = m->next;
    return m;
}

/* Try the answers TEXTS (N of them; none: not known) to M on the copy C,
 * and take the report they lead to into S. The copy is as it was
 * afterwards, brought up to date from E again if trying left a trace.
 * False with ERR when the answer is not allowed. */
static bool try_answer(engine *e, engine *c, ask *m, const char *const *texts, unsigned n, snap *s,
                       char *err, size_t errsize)
{
    uint32_t before = c->nfacts;
    bool was_unknown = m->unknown;
    bool answered = sn_ask_state_of(c, m) == SN_ASK_ANSWERED;
    memset(s, 0, sizeof *s);
    if (answered && !copy_ok(e, sn_ask_clear(c, m))) /* what if it had been answered otherwise */
        return false;
    sn_status st = n == 0 ? sn_ask_set_unknown(c, m) : sn_ask_set(c, m, texts, n, err, errsize);
    if (st != SN_OK) {
        if (st == SN_ERR_NOMEM)
            copy_ok(e, st);
        else if (answered)
            copy_sync(e);
        return false;
    }
    if (!copy_ok(e, sn_run(c, -1, NULL, NULL)))
        return false;
    snap_take(c, s, true);
    if (s->lost)
        e->whatif_lost = true;
    if (answered) {
        copy_sync(e);
        return true;
    }
    if (!copy_ok(e, sn_ask_clear(c, m)))
        return true;
    m->unknown = was_unknown;
    if (copy_ok(e, sn_run(c, -1, NULL, NULL)) && c->nfacts != before)
        copy_sync(e);
    return true;
}

struct whatif {
    engine *e, *c;
    snap base;
};

whatif *whatif_begin(engine *e)
{
    engine *c = copy_sync(e);
    if (!c)
        return NULL;
    whatif *w = e_calloc(e, 1, sizeof *w);
    w->e = e;
    w->c = c;
    snap_take(c, &w->base, false);
    if (w->base.lost)
        e->whatif_lost = true;
    return w;
}

void whatif_end(whatif *w)
{
    if (!w)
        return;
    copy_rest(w->e);
    snap_free(&w->base);
    e_free(w->e, w);
}

double whatif_try(whatif *w, const ask *const *asks, const uint32_t *answers, uint32_t n, bool *report)
{
    engine *c = w->c;
    *report = false;
    if (!c)
        return 0; /* the copy was lost: whatif_lost says so */
    uint32_t before = c->nfacts;
    ask *ms[n + 1];
    uint32_t nset = 0;
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        ask *m = copy_ask(c, asks[i]);
        if (m && !m->t && sn_ask_state_of(c, m) != SN_ASK_OPEN)
            continue; /* a group whose items are all settled now */
        if (!m || answers[i] >= m->nanswers || sn_ask_state_of(c, m) == SN_ASK_UNKNOWN) {
            ok = false;
            break;
        }
        /* the answers to one question go together */
        const char *texts[n + 1];
        uint32_t nt = 0;
        bool seen = false;
        for (uint32_t j = 0; j < nset; j++)
            seen |= ms[j] == m;
        if (seen)
            continue;
        for (uint32_t j = i; j < n; j++)
            if (asks[j] == asks[i])
                texts[nt++] = m->answer_text[answers[j]];
        char err[8];
        sn_status st = sn_ask_state_of(c, m) != SN_ASK_OPEN
                           ? SN_ERR_INPUT
                           : sn_ask_set(c, m, texts, nt, err, sizeof err);
        if (st == SN_ERR_NOMEM)
            copy_ok(w->e, st);
        if (st != SN_OK)
            ok = false;
        else
            ms[nset++] = m;
    }
    double d = 0;
    if (ok && copy_ok(w->e, sn_run(c, -1, NULL, NULL))) {
        snap s;
        snap_take(c, &s, false);
        if (s.lost)
            w->e->whatif_lost = true;
        d = change(&w->base, &s, sn_consult_top(w->e), report);
        snap_free(&s);
    }
    bool undone = true;
    for (uint32_t j = 0; j < nset; j++)
        undone &= copy_ok(w->e, sn_ask_clear(c, ms[j]));
    if (undone && copy_ok(w->e, sn_run(c, -1, NULL, NULL)) && c->nfacts == before)
        return d;
    /* trying left a trace (or the copy ran short): bring it up to date;
     * a copy that cannot be is dropped, and the next whatif_begin makes one */
    if (copy_sync(w->e) != c)
        w->c = NULL;
    return d;
}

/* ---- what-if, asked for --------------------------------------------------------- */

static const item *find_item(const item *v, uint32_t n, const char *text, uint32_t *at)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(v[i].text, text) == 0) {
            if (at)
                *at = i;
            return &v[i];
        }
    return NULL;
}

__attribute__((noinline)) static sn_status whatif_write(engine *e, const ask *k, const char *const *answers, unsigned n,
                                                       FILE *out, char *err, size_t errsize)
{
    engine *c = copy_sync(e);
    if (!c)
        return SN_ERR_NOMEM;
    ask *m = copy_ask(c, k);
    snap base, then;
    snap_take(c, &base, true);
    if (!m || !try_answer(e, c, m, answers, n, &then, err, errsize) || base.lost || then.lost ||
        e->whatif_lost) {
        sn_status st = SN_ERR_NOMEM;
        if (!m) {
            snprintf(err, errsize, "no such question");
            st = SN_ERR_INPUT;
        } else if (!e->whatif_lost && !base.lost && !then.lost) {
            st = SN_ERR_INPUT; /* try_answer said why in ERR */
        } else {
            snap_free(&then);
        }
        snap_free(&base);
        if (st == SN_ERR_INPUT)
            call_error(e, st, "%s", errsize ? err : "not allowed");
        return st;
    }
    bool any = false;
    for (uint32_t i = 0; i < then.nflags; i++)
        if (!find_item(base.flags, base.nflags, then.flags[i].text, NULL)) {
            fprintf(out, "  red flag raised:     %s\n", then.flags[i].text);
            any = true;
        }
    for (uint32_t i = 0; i < base.nflags; i++)
        if (!find_item(then.flags, then.nflags, base.flags[i].text, NULL)) {
            fprintf(out, "  red flag withdrawn:  %s\n", base.flags[i].text);
            any = true;
        }
    bool dx_changed = base.ndx != then.ndx;
    for (uint32_t i = 0; i < then.ndx && !dx_changed; i++)
        dx_changed = strcmp(base.dx[i].text, then.dx[i].text) != 0 || fabs(base.dx[i].cf - then.dx[i].cf) > 1e-9;
    if (dx_changed) {
        fprintf(out, "  differential:\n");
        for (uint32_t i = 0; i < then.ndx; i++) {
            uint32_t at;
            const item *was = find_item(base.dx, base.ndx, then.dx[i].text, &at);
            fprintf(out, "    %2u. %5.2f  %s", i + 1, then.dx[i].cf, then.dx[i].text);
            if (!was)
                fprintf(out, " (new)\n");
            else if (at != i || fabs(was->cf - then.dx[i].cf) > 1e-9)
                fprintf(out, " (now %u. %.2f)\n", at + 1, was->cf);
            else
                fprintf(out, "\n");
        }
        for (uint32_t i = 0; i < base.ndx; i++)
            if (!find_item(then.dx, then.ndx, base.dx[i].text, NULL))
                fprintf(out, "        gone  %s (now %u. %.2f)\n", base.dx[i].text, i + 1, base.dx[i].cf);
        any = true;
    }
    for (uint32_t i = 0; i < then.nrecs; i++)
        if (!find_item(base.recs, base.nrecs, then.recs[i].text, NULL)) {
            fprintf(out, "  recommended:         %s\n", then.recs[i].text);
            any = true;
        }
    for (uint32_t i = 0; i < base.nrecs; i++)
        if (!find_item(then.recs, then.nrecs, base.recs[i].text, NULL)) {
            fprintf(out, "  no longer recommended: %s\n", base.recs[i].text);
            any = true;
        }
    if (!any)
        fprintf(out, "  nothing in the report would change\n");
    snap_free(&base);
    snap_free(&then);
    return SN_OK;
}

sn_status sn_whatif(sn_engine *e, const sn_ask *k, const char *const *answers, unsigned n,
                    FILE *out, char *err, size_t errsize)
{
    CALL_ENTER(e);
    e->whatif_lost = false;
    sn_status st = whatif_write(e, k, answers, n, out, err, errsize);
    copy_rest(e);
    return call_leave(e, st);
}
