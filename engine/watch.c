/* watch.c — the trace lines `watch` prints and the log of one step; see
 * watch.h. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"
#include "watch.h"

/* What one sn_step changed, in order. */
typedef struct steplog {
    sn_change *v;
    unsigned n, cap;
    const struct rule *rule;    /* the rule that fired */
    unsigned nmatched;
    uint64_t matched[SN_STEP_MATCHED];
    bool lost;                  /* a change found no memory to be told in */
} steplog;

/* ---- watching ------------------------------------------------------------------ */

void sn_set_watch(sn_engine *e, unsigned flags, FILE *out)
{
    e->watch = out ? flags : 0;
    e->watch_out = out;
}

unsigned sn_watch(const sn_engine *e) { return e->watch; }

bool watch_wants_reasons(const engine *e)
{
    return (e->watch & SN_WATCH_FACTS) || e->steplog;
}

/* Why F's certainty changed, or why it went, in words: "by rule R,
 * firing 3". */
static void cause_text(const struct fact *f, char *buf, size_t size)
{
    const struct just *j = f->cause;
    if (!j) {
        snprintf(buf, size, "given");
        return;
    }
    const char *rule = j->r->name->text;
    unsigned long long n = (unsigned long long)j->firing;
    switch ((watch_cause)f->cause_kind) {
    case CAUSE_NEW: snprintf(buf, size, "by rule %s, firing %llu", rule, n); break;
    case CAUSE_WITHDRAWN:
        snprintf(buf, size, "as rule %s (firing %llu) was withdrawn%s%s", rule, n,
                 j->withdrawn ? ": " : "", j->withdrawn ? j->withdrawn : "");
        break;
    case CAUSE_REFRESH:
        snprintf(buf, size, "as the facts rule %s (firing %llu) matched changed certainty", rule, n);
        break;
    case CAUSE_GIVEN: snprintf(buf, size, "given"); break;
    }
}

/* Taken out of working memory by truth maintenance (nothing holds it)? */
static bool withdrawn_now(const struct fact *f)
{
    return !f->asserted && f->nsupport == 0 && f->cause && f->cause_kind == CAUSE_WITHDRAWN;
}

static char *fact_dup_text(const struct fact *f)
{
    size_t n = sn_fact_format(f, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        sn_fact_format(f, s, n + 1);
    return s;
}

static char *str_dup(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

static void log_change(engine *e, sn_change_kind kind, const struct fact *f, double before,
                       const char *cause)
{
    steplog *l = e->steplog;
    if (l->n == l->cap) {
        unsigned cap = l->cap ? l->cap * 2 : 16;
        sn_change *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->lost = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    sn_change *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->id = f->id;
    c->fact = fact_dup_text(f);
    c->before = before;
    c->after = f->cf;
    c->replaces = kind == SN_CHANGE_ADDED ? e->modify_of : 0;
    c->withdrawn = kind == SN_CHANGE_REMOVED && withdrawn_now(f);
    c->cause = cause ? str_dup(cause) : NULL;
    l->lost |= !c->fact || (cause && !c->cause);
}

void watch_fact(engine *e, const struct fact *f, bool added)
{
    if (!e->steplog && !(e->watch & SN_WATCH_FACTS))
        return; /* the common case: on every assert and retract */
    char cause[320];
    cause[0] = '\0';
    bool why = !added && withdrawn_now(f) && watch_wants_reasons(e);
    if (why) {
        const struct just *j = f->cause;
        snprintf(cause, sizeof cause, "rule %s (firing %llu) lost its match%s%s", j->r->name->text,
                 (unsigned long long)j->firing, j->withdrawn ? ": " : "", j->withdrawn ? j->withdrawn : "");
    }
    if (e->steplog)
        log_change(e, added ? SN_CHANGE_ADDED : SN_CHANGE_REMOVED, f, f->cf, why ? cause : NULL);
    if (!(e->watch & SN_WATCH_FACTS))
        return;
    fprintf(e->watch_out, "%s #%llu ", added ? "==>" : "<==", (unsigned long long)f->id);
    sn_fact_write(e->watch_out, f);
    if (f->cf != 1.0)
        fprintf(e->watch_out, " cf %.2f", f->cf);
    if (why)
        fprintf(e->watch_out, ", withdrawn: %s", cause);
    fputc('\n', e->watch_out);
}

void watch_cf(engine *e, const struct fact *f, double before)
{
    if (!watch_wants_reasons(e))
        return;
    char cause[320];
    cause_text(f, cause, sizeof cause);
    if (e->steplog)
        log_change(e, SN_CHANGE_CF, f, before, cause);
    if (!(e->watch & SN_WATCH_FACTS))
        return;
    fprintf(e->watch_out, "~ #%llu ", (unsigned long long)f->id);
    sn_fact_write(e->watch_out, f);
    fprintf(e->watch_out, " %.2f -> %.2f %s\n", before, f->cf, cause);
}

static void watch_match(FILE *out, const token *tok, const prod *p)
{
    uint64_t ids[64];
    unsigned n = 0;
    for (const token *t = tok; t; t = t->parent)
        if (t->f && p->positive[t->level] && n < 64)
            ids[n++] = t->f->id;
    for (unsigned i = n; i-- > 0;)
        fprintf(out, "%s#%llu", i == n - 1 ? " " : ", ", (unsigned long long)ids[i]);
    fputc('\n', out);
}

void watch_firing(engine *e, const struct activation *a)
{
    if (e->steplog) {
        steplog *l = e->steplog;
        uint64_t ids[64];
        unsigned n = 0;
        for (const token *t = a->tok; t; t = t->parent)
            if (t->f && a->p->positive[t->level] && n < 64)
                ids[n++] = t->f->id;
        l->rule = a->p->r;
        l->nmatched = n;
        for (unsigned i = 0; i < n && i < SN_STEP_MATCHED; i++)
            l->matched[i] = ids[n - 1 - i];
    }
    if (!(e->watch & SN_WATCH_RULES))
        return;
    fprintf(e->watch_out, "FIRE %llu %s:", (unsigned long long)e->fired, a->p->r->name->text);
    watch_match(e->watch_out, a->tok, a->p);
}

void watch_activation(engine *e, const struct activation *a, bool added)
{
    if (!(e->watch & SN_WATCH_ACTIVATIONS))
        return;
    fprintf(e->watch_out, "%s activation %s:", added ? "+" : "-", a->p->r->name->text);
    watch_match(e->watch_out, a->tok, a->p);
}

/* ---- one step ------------------------------------------------------------------ */

sn_status sn_step(sn_engine *e, sn_step_result *out, sn_stop *stop)
{
    memset(out, 0, sizeof *out);
    CALL_ENTER(e);
    steplog log = {0};
    e->steplog = &log;
    uint64_t fired = 0;
    sn_status st = sn_run(e, 1, &fired, stop);
    e->steplog = NULL;
    out->firing = fired ? sn_fired_total(e) : 0;
    out->rule = fired ? log.rule : NULL;
    out->nmatched = log.nmatched;
    memcpy(out->matched, log.matched, sizeof out->matched);
    out->changes = log.v;
    out->n = log.n;
    if (log.lost || (st == SN_OK && call_short(e))) {
        /* the firing stands; what it changed cannot all be told */
        sn_step_free(out);
        st = SN_ERR_NOMEM;
    }
    return call_leave(e, st);
}

void sn_step_free(sn_step_result *r)
{
    for (unsigned i = 0; i < r->n; i++) {
        free(r->changes[i].fact);
        free(r->changes[i].cause);
    }
    free(r->changes);
    memset(r, 0, sizeof *r);
}
