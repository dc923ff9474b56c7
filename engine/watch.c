/* watch.c — the trace lines `watch` prints; see watch.h. */
#include "internal.h"
#include "watch.h"


/* ---- watching ------------------------------------------------------------------ */

void sn_set_watch(sn_engine *e, unsigned flags, FILE *out)
{
    e->watch = out ? flags : 0;
    e->watch_out = out;
}

unsigned sn_watch(const sn_engine *e) { return e->watch; }

void watch_fact(engine *e, const struct fact *f, bool added)
{
    if (!(e->watch & SN_WATCH_FACTS))
        return;
    fprintf(e->watch_out, "%s #%llu ", added ? "==>" : "<==", (unsigned long long)f->id);
    sn_fact_write(e->watch_out, f);
    if (f->cf != 1.0)
        fprintf(e->watch_out, " cf %.2f", f->cf);
    fputc('\n', e->watch_out);
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

