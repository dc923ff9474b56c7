/* engine.c — the engine: working memory, truth maintenance and certainty,
 * firing rules, loading, cases; the public API of sinew.h.
 *
 * Certainty (MYCIN, as EMYCIN combines it): a fact's positive evidence
 * (being given counts as 1.0) combines as a + b(1 - a), its negative
 * evidence likewise on magnitudes, and the two meet as
 * (MB - MD) / (1 - min(MB, MD)), so the order in which evidence came does
 * not matter. A conclusion's contribution is cf(rule) x the smallest cf of
 * the facts its rule matched.
 *
 * Truth maintenance: a `conclude` hangs its justification on the match
 * (the terminal token). When the match goes, the justification is
 * withdrawn and the fact queued; engine_settle then recomputes its
 * certainty, or retracts it when nothing holds it up any more. Settling
 * happens after every action, so a rule's next action sees a consistent
 * working memory.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../grammar/diag.h"
#include "../grammar/front.h"
#include "internal.h"

/* ---- memory ------------------------------------------------------------------ */

static void out_of_memory(void)
{
    fputs("sinew: out of memory\n", stderr);
    abort();
}

void *e_alloc(engine *e, size_t size)
{
    void *p = mem_alloc(&e->mem, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *e_calloc(engine *e, size_t n, size_t size)
{
    void *p = mem_calloc(&e->mem, n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *e_realloc(engine *e, void *p, size_t size)
{
    void *q = p ? mem_realloc(&e->mem, p, size ? size : 1) : mem_alloc(&e->mem, size ? size : 1);
    if (!q)
        out_of_memory();
    return q;
}

void e_free(engine *e, void *p)
{
    if (p)
        mem_free(&e->mem, p);
}

void scratch_reset(engine *e)
{
    e->scratch_len = 0;
    if (e->scratch)
        e->scratch[0] = '\0';
}

void scratch_add(engine *e, const char *s, size_t len)
{
    if (e->scratch_len + len + 1 > e->scratch_cap) {
        size_t cap = e->scratch_cap ? e->scratch_cap : 256;
        while (e->scratch_len + len + 1 > cap)
            cap *= 2;
        e->scratch = e_realloc(e, e->scratch, cap);
        e->scratch_cap = cap;
    }
    memcpy(e->scratch + e->scratch_len, s, len);
    e->scratch_len += len;
    e->scratch[e->scratch_len] = '\0';
}

void scratch_printf(engine *e, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        scratch_add(e, buf, (size_t)n);
        return;
    }
    char *big = e_alloc(e, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    scratch_add(e, big, (size_t)n);
    e_free(e, big);
}

void engine_error(engine *e, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e_free(e, e->error);
    e->error = mem_strndup(&e->mem, buf, strlen(buf));
}

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

void watch_activation(engine *e, const struct activation *a, bool added)
{
    if (!(e->watch & SN_WATCH_ACTIVATIONS))
        return;
    fprintf(e->watch_out, "%s activation %s:", added ? "+" : "-", a->p->r->name->text);
    watch_match(e->watch_out, a->tok, a->p);
}

void sn_each_symbol(const sn_engine *e, void (*fn)(const char *, void *), void *ctx)
{
    for (uint32_t i = 0; i <= e->syms.mask; i++)
        for (const sym *s = e->syms.buckets[i]; s; s = s->next)
            fn(s->text, ctx);
}

/* ---- working memory ------------------------------------------------------------ */

static uint32_t fact_hash(const struct tmpl *t, const value *vals)
{
    uint32_t h = t->id * 0x9e3779b1u;
    for (uint32_t i = 0; i < t->nslots; i++)
        h = (h ^ value_hash(vals[i])) * 0x01000193u;
    return h;
}

static struct fact *wm_find(engine *e, const struct tmpl *t, const value *vals, uint32_t h)
{
    for (struct fact *f = e->wm[h & e->wm_mask]; f; f = f->hnext) {
        if (f->hash != h || f->t != t)
            continue;
        uint32_t i = 0;
        while (i < t->nslots && value_same(f->slots[i], vals[i]))
            i++;
        if (i == t->nslots)
            return f;
    }
    return NULL;
}

static void wm_grow(engine *e)
{
    uint32_t nmask = e->wm_mask * 2 + 1;
    struct fact **nb = e_calloc(e, (size_t)nmask + 1, sizeof *nb);
    for (uint32_t i = 0; i <= e->wm_mask; i++)
        for (struct fact *f = e->wm[i], *next; f; f = next) {
            next = f->hnext;
            f->hnext = nb[f->hash & nmask];
            nb[f->hash & nmask] = f;
        }
    e_free(e, e->wm);
    e->wm = nb;
    e->wm_mask = nmask;
}

static void coerce(const struct tmpl *t, value *vals)
{
    for (uint32_t i = 0; i < t->nslots; i++)
        if (t->slots[i].type == V_FLOAT && vals[i].type == V_INT)
            vals[i] = v_float((double)vals[i].u.i);
}

/* A new fact in working memory, not yet in the network. */
static struct fact *fact_new(engine *e, struct tmpl *t, const value *vals, uint32_t h, double cf,
                             sn_origin origin, const sym *source)
{
    struct fact *f = e_calloc(e, 1, sizeof *f + t->nslots * sizeof(value));
    f->id = ++e->next_id;
    f->t = t;
    f->hash = h;
    f->cf = cf;
    f->live = true;
    f->asserted = origin != SN_ORIGIN_CONCLUDED;
    f->origin = origin;
    f->source = source;
    memcpy(f->slots, vals, t->nslots * sizeof(value));
    if (e->nfacts >= e->wm_mask)
        wm_grow(e);
    f->hnext = e->wm[h & e->wm_mask];
    e->wm[h & e->wm_mask] = f;
    f->tprev = t->last;
    if (t->last)
        t->last->tnext = f;
    else
        t->first = f;
    t->last = f;
    t->nfacts++;
    f->gprev = e->all_last;
    if (e->all_last)
        e->all_last->gnext = f;
    else
        e->all_first = f;
    e->all_last = f;
    e->nfacts++;
    return f;
}

void fact_enqueue(engine *e, struct fact *f)
{
    if (f->dirty || !f->live)
        return;
    f->dirty = true;
    f->qnext = e->queue;
    e->queue = f;
}

struct fact *fact_assert(engine *e, struct tmpl *t, const value *in, sn_origin origin,
                         const sym *source, bool *added)
{
    value vals[t->nslots + 1];
    memcpy(vals, in, t->nslots * sizeof *vals);
    coerce(t, vals);
    uint32_t h = fact_hash(t, vals);
    struct fact *f = wm_find(e, t, vals, h);
    if (added)
        *added = f == NULL;
    if (f) {
        if (!f->asserted) {
            f->asserted = true;
            f->origin = origin;
            f->source = source;
            fact_enqueue(e, f);
        }
        return f;
    }
    f = fact_new(e, t, vals, h, 1.0, origin, source);
    watch_fact(e, f, true);
    rete_add_fact(e, f);
    return f;
}

static void just_free(engine *e, struct just *j)
{
    e_free(e, j->withdrawn); /* facts and binds live in j's block */
    e_free(e, (char *)j->text);
    e_free(e, j);
}

static void fact_free(engine *e, struct fact *f)
{
    while (f->justs) {
        struct just *j = f->justs;
        f->justs = j->next;
        just_free(e, j);
    }
    e_free(e, f);
}

/* Facts retracted during a firing stay readable until it ends (its
 * actions may still read their slots); then they are freed, or kept on
 * the withdrawn list when they were concluded and records are kept. */
static void fact_bury(engine *e, struct fact *f)
{
    bool keep = e->recording && !f->asserted;
    if (keep) {
        for (struct just *j = f->justs; j; j = j->next)
            if (j->kind != J_CONCLUDE)
                keep = false;
    }
    if (keep && f->justs) {
        f->gnext = e->withdrawn;
        f->gprev = NULL;
        e->withdrawn = f;
        return;
    }
    fact_free(e, f);
}

void fact_retract(engine *e, struct fact *f)
{
    if (!f->live)
        return;
    watch_fact(e, f, false);
    f->live = false;
    struct fact **pp = &e->wm[f->hash & e->wm_mask];
    while (*pp != f)
        pp = &(*pp)->hnext;
    *pp = f->hnext;
    struct tmpl *t = f->t;
    if (f->tprev)
        f->tprev->tnext = f->tnext;
    else
        t->first = f->tnext;
    if (f->tnext)
        f->tnext->tprev = f->tprev;
    else
        t->last = f->tprev;
    t->nfacts--;
    if (f->gprev)
        f->gprev->gnext = f->gnext;
    else
        e->all_first = f->gnext;
    if (f->gnext)
        f->gnext->gprev = f->gprev;
    else
        e->all_last = f->gprev;
    e->nfacts--;
    rete_remove_fact(e, f);
    /* what still held it up lets go */
    for (struct just *j = f->justs; j; j = j->next) {
        if (j->tok) {
            struct just **q = &j->tok->sup;
            while (*q && *q != j)
                q = &(*q)->tnext;
            if (*q)
                *q = j->tnext;
            j->tok = NULL;
        }
        if (j->active && j->kind == J_CONCLUDE && !j->withdrawn && e->recording) {
            char buf[96];
            snprintf(buf, sizeof buf, "retracted at firing %llu", (unsigned long long)e->fired);
            j->withdrawn = mem_strndup(&e->mem, buf, strlen(buf));
        }
        j->active = false;
    }
    f->nsupport = 0;
    f->gnext = e->zombies;
    e->zombies = f;
}

static void zombies_free(engine *e)
{
    while (e->zombies) {
        struct fact *f = e->zombies;
        e->zombies = f->gnext;
        fact_bury(e, f);
    }
}

double fact_cf_of(const struct fact *f)
{
    double mb = f->asserted ? 1.0 : 0.0, md = 0.0;
    for (const struct just *j = f->justs; j; j = j->next) {
        if (!j->active || j->kind != J_CONCLUDE)
            continue;
        if (j->cf >= 0)
            mb = mb + j->cf * (1 - mb);
        else
            md = md - j->cf * (1 - md);
    }
    if (mb >= 1.0 && md >= 1.0)
        return 0.0;
    double m = mb < md ? mb : md;
    return (mb - md) / (1.0 - m);
}

/* The smallest cf of the facts of a match. */
static double token_min_cf(const token *t, const prod *p)
{
    double m = 1.0;
    for (; t; t = t->parent)
        if (t->f && p->positive[t->level] && t->f->cf < m)
            m = t->f->cf;
    return m;
}

/* A fact's certainty changed: the conclusions drawn from matches that
 * hold it (T and the tokens made from it) change their contribution. */
static void refresh_supports(engine *e, token *t)
{
    if (t->dead)
        return;
    if (t->owner->kind == N_TERM) {
        for (struct just *j = t->sup; j; j = j->tnext) {
            if (j->kind != J_CONCLUDE || !j->active)
                continue;
            double m = token_min_cf(t, j->p);
            double cf = j->rule_cf * m;
            if (cf != j->cf) {
                j->cf = cf;
                j->min_cf = m;
                fact_enqueue(e, j->target);
            }
        }
    }
    for (token *k = t->kids; k; k = k->snext)
        refresh_supports(e, k);
}

void engine_settle(engine *e)
{
    while (e->queue) {
        struct fact *f = e->queue;
        e->queue = f->qnext;
        f->qnext = NULL;
        f->dirty = false;
        if (!f->live)
            continue;
        if (!f->asserted && f->nsupport == 0) {
            fact_retract(e, f);
            continue;
        }
        double cf = fact_cf_of(f);
        if (cf != f->cf) {
            f->cf = cf;
            rete_refresh_fact(e, f);
            for (token *t = f->tokens; t; t = t->fnext)
                refresh_supports(e, t);
        }
    }
}

/* Between operations: settle, then free what died. */
void engine_quiesce(engine *e)
{
    engine_settle(e);
    rete_free_dead(e);
    zombies_free(e);
}

/* ---- justifications --------------------------------------------------------------- */

void just_withdraw(engine *e, struct just *j, token *match)
{
    if (!j->active)
        return;
    j->active = false;
    if (j->kind == J_RECOMMEND) {
        if (j->rprev)
            j->rprev->rnext = j->rnext;
        else
            e->recs_first = j->rnext;
        if (j->rnext)
            j->rnext->rprev = j->rprev;
        else
            e->recs_last = j->rprev;
        just_free(e, j);
        return;
    }
    struct fact *f = j->target;
    if (f->nsupport)
        f->nsupport--;
    if (e->recording) {
        char buf[160];
        const struct fact *gone = NULL, *weak = NULL;
        for (const token *t = match; t; t = t->parent)
            if (t->f && j->p->positive[t->level]) {
                if (!t->f->live)
                    gone = t->f;
                else if (t->f->cf < e->threshold)
                    weak = t->f;
            }
        if (gone)
            snprintf(buf, sizeof buf, "fact %llu was retracted", (unsigned long long)gone->id);
        else if (weak)
            snprintf(buf, sizeof buf, "the certainty of fact %llu fell below %g",
                     (unsigned long long)weak->id, e->threshold);
        else if (j->r->removed)
            snprintf(buf, sizeof buf, "rule %s was removed", j->r->name->text);
        else
            snprintf(buf, sizeof buf, "a negated condition of rule %s became matched", j->r->name->text);
        e_free(e, j->withdrawn);
        j->withdrawn = mem_strndup(&e->mem, buf, strlen(buf));
    }
    fact_enqueue(e, f);
}

static struct just *just_new(engine *e, just_kind kind, prod *p, struct fact *const *lv,
                             const value *locals)
{
    /* the record and what it matched and bound, in one block */
    bool record = e->recording && kind != J_RECOMMEND;
    size_t size = sizeof(struct just);
    if (record)
        size += (p->nvars + 1) * sizeof(value) + (p->depth + 1) * sizeof(uint64_t);
    struct just *j = e_calloc(e, 1, size);
    j->kind = kind;
    j->r = p->r;
    j->p = p;
    j->active = true;
    j->firing = e->fired;
    if (record) {
        j->binds = (value *)(j + 1);
        j->facts = (uint64_t *)(j->binds + p->nvars + 1);
        j->nfacts = p->depth;
        for (uint32_t l = 1; l <= p->depth; l++)
            j->facts[l - 1] = p->positive[l] && lv[l] ? lv[l]->id : 0;
        for (uint32_t i = 0; i < p->nvars; i++) {
            const varloc *v = &p->vars[i];
            if (v->slot == -2)
                j->binds[i] = locals ? locals[v->level] : v_nil();
            else if (lv[v->level])
                j->binds[i] = v->slot == -1 ? v_float(lv[v->level]->cf) : lv[v->level]->slots[v->slot];
        }
    }
    return j;
}

/* ---- firing -------------------------------------------------------------------------- */

typedef struct firing {
    engine *e;
    prod *p;
    token *tok;
    struct fact **lv;
    value *locals;
} firing;

static bool eval_values(firing *fr, struct tmpl *t, cexpr **exprs, value *vals, const value *base)
{
    ectx c = {.e = fr->e, .lv = fr->lv, .locals = fr->locals};
    for (uint32_t i = 0; i < t->nslots; i++) {
        if (exprs[i])
            vals[i] = cx_eval(&c, exprs[i]);
        else
            vals[i] = base ? base[i] : t->slots[i].dflt;
        if (c.failed)
            return false;
        /* a value of the wrong type does not go into a typed slot */
        vtype want = t->slots[i].type;
        vtype got = vals[i].type;
        if (got != want && !(want == V_FLOAT && got == V_INT)) {
            engine_error(fr->e, "slot '%s' of '%s' wants a %s", t->slots[i].name->text, t->name->text,
                         want == V_SYMBOL ? "symbol" : want == V_STRING ? "string"
                                                   : want == V_INT ? "int" : "float");
            return false;
        }
    }
    return true;
}

static bool do_conclude(firing *fr, const cact *a)
{
    engine *e = fr->e;
    value vals[a->t->nslots + 1];
    if (!eval_values(fr, a->t, a->vals, vals, NULL))
        return false;
    double rule_cf = 1.0;
    if (a->cf) {
        ectx c = {.e = e, .lv = fr->lv, .locals = fr->locals};
        value v = cx_eval(&c, a->cf);
        if (c.failed)
            return false;
        rule_cf = value_num(v);
    }
    if (fr->tok->dead)
        return true; /* the match went during this firing: nothing to hang it on */
    double m = token_min_cf(fr->tok, fr->p);
    coerce(a->t, vals);
    uint32_t h = fact_hash(a->t, vals);
    struct fact *f = wm_find(e, a->t, vals, h);
    struct just *j = just_new(e, J_CONCLUDE, fr->p, fr->lv, fr->locals);
    j->rule_cf = rule_cf;
    j->min_cf = m;
    j->cf = rule_cf * m;
    j->tok = fr->tok;
    j->tnext = fr->tok->sup;
    fr->tok->sup = j;
    if (f) {
        j->target = f;
        j->next = f->justs;
        f->justs = j;
        f->nsupport++;
        fact_enqueue(e, f);
        return true;
    }
    f = fact_new(e, a->t, vals, h, j->cf, SN_ORIGIN_CONCLUDED, NULL);
    j->target = f;
    f->justs = j;
    f->nsupport = 1;
    watch_fact(e, f, true);
    rete_add_fact(e, f);
    return true;
}

static struct fact *assert_from_rule(firing *fr, struct tmpl *t, value *vals)
{
    engine *e = fr->e;
    struct fact *f = fact_assert(e, t, vals, SN_ORIGIN_RULE, NULL, NULL);
    if (e->recording && f->live) {
        struct just *j = just_new(e, J_ASSERT, fr->p, fr->lv, fr->locals);
        j->target = f;
        j->rule_cf = 1.0;
        j->min_cf = 1.0;
        j->cf = 1.0;
        j->next = f->justs;
        f->justs = j;
    }
    return f;
}

static bool do_action(firing *fr, const cact *a)
{
    engine *e = fr->e;
    switch (a->kind) {
    case A_ASSERT: {
        value vals[a->t->nslots + 1];
        if (!eval_values(fr, a->t, a->vals, vals, NULL))
            return false;
        assert_from_rule(fr, a->t, vals);
        return true;
    }
    case A_CONCLUDE: return do_conclude(fr, a);
    case A_RETRACT:
        for (uint32_t i = 0; i < a->n; i++) {
            struct fact *f = fr->lv[a->levels[i]];
            if (f && f->live)
                fact_retract(e, f);
        }
        return true;
    case A_MODIFY: {
        struct fact *old = fr->lv[a->levels[0]];
        if (!old || !a->t)
            return true;
        if (!old->live) {
            engine_error(e, "modify of fact %llu, which is no longer in working memory",
                         (unsigned long long)old->id);
            return false;
        }
        value vals[a->t->nslots + 1];
        if (!eval_values(fr, a->t, a->vals, vals, old->slots))
            return false;
        fact_retract(e, old);
        engine_settle(e);
        assert_from_rule(fr, a->t, vals);
        return true;
    }
    case A_BIND: {
        ectx c = {.e = e, .lv = fr->lv, .locals = fr->locals};
        value v = cx_eval(&c, a->value);
        if (c.failed)
            return false;
        fr->locals[a->local] = v;
        return true;
    }
    case A_PRINT: {
        ectx c = {.e = e, .lv = fr->lv, .locals = fr->locals};
        value vs[a->n + 1];
        for (uint32_t i = 0; i < a->n; i++) {
            vs[i] = cx_eval(&c, a->args[i]);
            if (c.failed)
                return false;
        }
        if (e->out) {
            for (uint32_t i = 0; i < a->n; i++)
                value_display(e->out, vs[i]);
            fputc('\n', e->out);
        }
        return true;
    }
    case A_RECOMMEND: {
        ectx c = {.e = e, .lv = fr->lv, .locals = fr->locals};
        value v = cx_eval(&c, a->args[0]);
        if (c.failed)
            return false;
        if (fr->tok->dead)
            return true;
        char buf[256];
        const char *text = v.type == V_STRING || v.type == V_SYMBOL ? v.u.s->text
                                                                    : (value_format(buf, sizeof buf, v), buf);
        struct just *j = just_new(e, J_RECOMMEND, fr->p, fr->lv, fr->locals);
        j->text = mem_strndup(&e->mem, text, strlen(text));
        j->tok = fr->tok;
        j->tnext = fr->tok->sup;
        fr->tok->sup = j;
        j->rprev = e->recs_last;
        if (e->recs_last)
            e->recs_last->rnext = j;
        else
            e->recs_first = j;
        e->recs_last = j;
        return true;
    }
    case A_HALT: e->halted = true; return true;
    }
    return true;
}

static bool fire(engine *e, struct activation *a)
{
    token *tok = a->tok;
    prod *p = a->p;
    agenda_remove(e, a);
    e->fired++;
    p->r->fired++;
    if (e->watch & SN_WATCH_RULES) {
        fprintf(e->watch_out, "FIRE %llu %s:", (unsigned long long)e->fired, p->r->name->text);
        watch_match(e->watch_out, tok, p);
    }
    struct fact *lvsmall[16];
    value locsmall[8];
    struct fact **lv = p->depth < 16 ? lvsmall : e_alloc(e, (p->depth + 1) * sizeof *lv);
    value *locals = p->nlocals <= 8 ? locsmall : e_alloc(e, p->nlocals * sizeof *locals);
    memset(lv, 0, (p->depth + 1) * sizeof *lv);
    for (const token *t = tok; t; t = t->parent)
        if (t->level <= p->depth)
            lv[t->level] = t->f;
    for (uint32_t i = 0; i < p->nlocals; i++)
        locals[i] = v_nil();
    firing fr = {.e = e, .p = p, .tok = tok, .lv = lv, .locals = locals};
    bool ok = true;
    for (const cact *x = p->actions; x && ok; x = x->next) {
        ok = do_action(&fr, x);
        engine_settle(e);
    }
    if (!ok) {
        char *why = e->error;
        e->error = NULL;
        engine_error(e, "rule %s (%s), firing %llu: %s", p->r->name->text, p->r->where,
                     (unsigned long long)e->fired, why ? why : "failed");
        e_free(e, why);
    }
    if (lv != lvsmall)
        e_free(e, lv);
    if (locals != locsmall)
        e_free(e, locals);
    engine_quiesce(e);
    return ok;
}

sn_stop sn_run(sn_engine *e, long limit, uint64_t *fired)
{
    uint64_t start = e->fired;
    sn_stop why = SN_STOP_EMPTY;
    e->halted = false;
    e->in_run = true;
    for (;;) {
        if (limit >= 0 && e->fired - start >= (uint64_t)limit) {
            why = SN_STOP_LIMIT;
            break;
        }
        if (e->interrupt && *e->interrupt) {
            why = SN_STOP_INTERRUPT;
            break;
        }
        struct activation *a = agenda_first(e);
        if (!a)
            break;
        if (!fire(e, a)) {
            why = SN_STOP_ERROR;
            break;
        }
        if (e->halted) {
            why = SN_STOP_HALT;
            break;
        }
    }
    e->in_run = false;
    if (fired)
        *fired = e->fired - start;
    return why;
}

/* Built with AddressSanitizer (gcc says so one way, clang another)? */
#if defined(__SANITIZE_ADDRESS__)
#define SINEW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SINEW_ASAN 1
#endif
#endif

/* ---- the engine's life ------------------------------------------------------------ */

static void engine_init(engine *e)
{
    mem_init(&e->mem);
#if defined(SINEW_ASAN)
    e->mem.cache = 0; /* every free reaches the sanitizer, to catch a use after it */
#else
    e->mem.cache = 1;
#endif
    e->perm = arena_new(&e->mem);
    if (!e->perm)
        out_of_memory();
    symtab_init(&e->syms, &e->mem);
    e->s_true = sym_intern(&e->syms, "true", 4);
    e->s_false = sym_intern(&e->syms, "false", 5);
    e->s_nil = sym_intern(&e->syms, "nil", 3);
    e->wm_mask = 255;
    e->wm = e_calloc(e, 256, sizeof *e->wm);
}

sn_engine *sn_new(void)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    engine_init(e);
    e->threshold = 0.2;
    e->recording = true;
    e->strategy = SN_DEPTH;
    e->out = stdout;
    return e;
}

static void free_all_facts(engine *e)
{
    for (struct fact *f = e->all_first, *next; f; f = next) {
        next = f->gnext;
        /* aentries go with the tokens' pools below */
        fact_free(e, f);
    }
    e->all_first = e->all_last = NULL;
    for (struct fact *f = e->withdrawn, *next; f; f = next) {
        next = f->gnext;
        fact_free(e, f);
    }
    e->withdrawn = NULL;
    for (struct fact *f = e->zombies, *next; f; f = next) {
        next = f->gnext;
        fact_free(e, f);
    }
    e->zombies = NULL;
}

static void engine_fini(engine *e)
{
    /* everything goes now: straight back to malloc, not into the cache
     * (which would only be walked again by mem_fini) */
    e->mem.cache = 0;
    whatif_free(e);
    agenda_clear(e);
    e_free(e, e->levels);
    /* recommendations hang on tokens: free them first */
    for (struct just *j = e->recs_first, *next; j; j = next) {
        next = j->rnext;
        just_free(e, j);
    }
    /* alpha-memory entries: unlink from facts and free */
    for (struct fact *f = e->all_first; f; f = f->gnext)
        while (f->entries) {
            aentry *a = f->entries;
            f->entries = a->fnext;
            e_free(e, a);
        }
    tokens_free_all(e);
    free_all_facts(e);
    for (uint32_t i = 0; e->amsig && i <= e->amsig_mask; i++)
        for (amem *am = e->amsig[i]; am; am = am->signext) {
            e_free(e, am->idx.b);
            e_free(e, am->succ);
        }
    e_free(e, e->amsig);
    for (struct tmpl *t = e->tmpls; t; t = t->next) {
        for (dispatch *d = t->dispatch; d; d = d->next) {
            for (uint32_t i = 0; d->idx.b && i <= d->idx.mask; i++)
                for (dnode *x = d->idx.b[i]; x; x = x->next)
                    e_free(e, x->ams);
            e_free(e, d->idx.b);
        }
        e_free(e, t->plain);
    }
    for (struct rule *r = e->rules; r; r = r->next)
        for (uint32_t i = 0; i < r->nprods; i++)
            if (r->prods[i]->term && r->removed)
                (void)0;
    /* node memories were freed with their tokens; kids arrays too */
    for (uint32_t i = 0; i < e->nsources; i++) {
        e_free(e, e->sources[i].name);
        e_free(e, e->sources[i].text);
    }
    e_free(e, e->sources);
    e_free(e, e->cases);
    e_free(e, e->error);
    e_free(e, e->scratch);
    e_free(e, e->wm);
    symtab_free(&e->syms);
    arena_free(e->perm);
    mem_fini(&e->mem);
}

void sn_free(sn_engine *e)
{
    if (!e)
        return;
    engine_fini(e);
    free(e);
}

void sn_clear(sn_engine *e)
{
    double threshold = e->threshold;
    bool recording = e->recording;
    sn_strategy strategy = e->strategy;
    FILE *out = e->out;
    volatile sig_atomic_t *interrupt = e->interrupt;
    engine_fini(e);
    memset(e, 0, sizeof *e);
    engine_init(e);
    e->threshold = threshold;
    e->recording = recording;
    e->strategy = strategy;
    e->out = out;
    e->interrupt = interrupt;
}

/* Working memory emptied at once: the agenda, every token and alpha
 * entry, every fact and record; fact ids and firings count from 1 again.
 * The network stays compiled. */
static void wm_clear(engine *e)
{
    agenda_clear(e);
    for (struct just *j = e->recs_first, *next; j; j = next) {
        next = j->rnext;
        just_free(e, j);
    }
    e->recs_first = e->recs_last = NULL;
    e->queue = NULL;
    rete_clear(e);
    free_all_facts(e);
    memset(e->wm, 0, ((size_t)e->wm_mask + 1) * sizeof *e->wm);
    for (struct tmpl *t = e->tmpls; t; t = t->next) {
        t->first = t->last = NULL;
        t->nfacts = 0;
    }
    for (ask *k = e->asks; k; k = k->next) {
        k->unknown = false;
        k->done = false;
    }
    e->nfacts = 0;
    e->next_id = 0;
    e->fired = 0;
    e->halted = false;
}

static void assert_givens(engine *e, const given *g, sn_origin origin)
{
    for (; g; g = g->next)
        fact_assert(e, g->t, g->vals, origin, g->source, NULL);
    engine_quiesce(e);
}

void sn_reset(sn_engine *e)
{
    wm_clear(e);
    assert_givens(e, e->facts_blocks, SN_ORIGIN_FACTS);
}

void sn_set_strategy(sn_engine *e, sn_strategy s)
{
    if (e->strategy == s)
        return;
    e->strategy = s;
    agenda_resort(e);
}

sn_strategy sn_strategy_get(const sn_engine *e) { return e->strategy; }

static const char *const strategy_names[] = {"depth", "breadth", "lex", "mea"};

const char *sn_strategy_name(sn_strategy s)
{
    return (unsigned)s < 4 ? strategy_names[s] : "?";
}

bool sn_strategy_parse(const char *name, sn_strategy *out)
{
    for (unsigned i = 0; i < 4; i++)
        if (strcmp(name, strategy_names[i]) == 0) {
            *out = (sn_strategy)i;
            return true;
        }
    return false;
}

void sn_set_threshold(sn_engine *e, double t)
{
    if (t == e->threshold)
        return;
    e->threshold = t;
    /* every fact may now pass or fail patterns it did not */
    for (struct fact *f = e->all_first; f; f = f->gnext)
        if (f->live)
            rete_refresh_fact(e, f);
    engine_quiesce(e);
}

double sn_threshold(const sn_engine *e) { return e->threshold; }
void sn_set_recording(sn_engine *e, bool on) { e->recording = on; }
void sn_set_output(sn_engine *e, FILE *out) { e->out = out; }
void sn_set_interrupt(sn_engine *e, volatile sig_atomic_t *flag) { e->interrupt = flag; }
const char *sn_last_error(const sn_engine *e) { return e->error ? e->error : ""; }
uint64_t sn_fired_total(const sn_engine *e) { return e->fired; }

/* ---- loading --------------------------------------------------------------------- */

void sn_report_free(sn_report *r)
{
    if (!r)
        return;
    for (unsigned i = 0; i < r->n; i++) {
        free((char *)r->items[i].file);
        free((char *)r->items[i].message);
    }
    free(r->items);
    free(r->text);
    memset(r, 0, sizeof *r);
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p)
        out_of_memory();
    return p;
}

/* Diagnostics about files from FIRST on go into R. */
static void fill_report(sn_report *r, const srcset *src, diag_list *d, uint32_t first)
{
    if (!r)
        return;
    sn_report_free(r);
    diag_sort(d);
    r->items = calloc(d->n + 1, sizeof *r->items);
    if (!r->items)
        out_of_memory();
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    for (unsigned i = 0; i < d->n; i++) {
        const diag *x = &d->items[i];
        if (x->has_span && x->sp.file < first)
            continue;
        sn_diag *o = &r->items[r->n++];
        o->error = x->severity == DIAG_ERROR;
        snprintf(o->code, sizeof o->code, "%s", diag_code_name(x->code));
        if (x->has_span) {
            const src_file *f = srcset_file(src, x->sp.file);
            o->file = xstrdup(f->name);
            src_position(f, x->sp.start, &o->line, &o->col);
        } else {
            o->file = xstrdup(x->file);
        }
        o->message = xstrdup(x->msg);
        if (o->error)
            r->nerrors++;
        else
            r->nwarnings++;
        if (ms)
            diag_render(ms, src, x, false);
    }
    if (ms)
        fclose(ms);
    r->text = text ? text : xstrdup("");
}

/* Parse everything loaded so far plus files [FIRST, end) of SRC (already
 * added), check it as one program. Returns the program when it is clean. */
static ast_program *build_all(engine *e, srcset *src, uint32_t first, sn_report *r, front_mode mode)
{
    diag_list d;
    diag_list_init(&d, &e->mem);
    ast_program *prog = front_build_as(&e->mem, src, 0, src->nfiles, &d, mode);
    bool ok = prog && d.nerrors == 0;
    /* errors in the earlier sources cannot be (they loaded); report the new */
    fill_report(r, src, &d, first);
    diag_list_fini(&d);
    if (!ok) {
        ast_program_free(prog);
        return NULL;
    }
    return prog;
}

static void add_old_sources(engine *e, srcset *src)
{
    for (uint32_t i = 0; i < e->nsources; i++)
        if (srcset_add(src, e->sources[i].name, e->sources[i].text, e->sources[i].len) < 0)
            out_of_memory();
}

static void keep_sources(engine *e, const srcset *src, uint32_t first)
{
    for (uint32_t i = first; i < src->nfiles; i++) {
        const src_file *f = srcset_file(src, i);
        if (e->nsources == e->capsources) {
            e->capsources = e->capsources ? e->capsources * 2 : 8;
            e->sources = e_realloc(e, e->sources, e->capsources * sizeof *e->sources);
        }
        source_text *s = &e->sources[e->nsources++];
        s->name = mem_strndup(&e->mem, f->name, strlen(f->name));
        s->text = mem_strndup(&e->mem, f->text, f->len);
        s->len = f->len;
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(struct rule *const *)a)->name->text, (*(struct rule *const *)b)->name->text);
}

/* Number the rules in name order: orders that go by name compare numbers. */
static void rank_rules(engine *e)
{
    struct rule **v = e_alloc(e, (e->nrules + 1) * sizeof *v);
    uint32_t n = 0;
    for (struct rule *r = e->rules; r; r = r->next)
        if (!r->removed && n < e->nrules)
            v[n++] = r;
    qsort(v, n, sizeof *v, by_name);
    for (uint32_t i = 0; i < n; i++)
        v[i]->rank = i;
    e_free(e, v);
}

static bool load_src(engine *e, srcset *src, uint32_t first, sn_report *r)
{
    ast_program *prog = build_all(e, src, first, r, FRONT_PROGRAM);
    if (!prog)
        return false;
    compile_program(e, prog, src, first);
    rank_rules(e);
    keep_sources(e, src, first);
    ast_program_free(prog);
    engine_quiesce(e);
    return true;
}

bool sn_load_files(sn_engine *e, const char *const *paths, unsigned n, sn_report *r)
{
    srcset src;
    srcset_init(&src, &e->mem);
    add_old_sources(e, &src);
    uint32_t first = src.nfiles;
    diag_list d;
    diag_list_init(&d, &e->mem);
    uint32_t ignored;
    front_read(&src, paths, n, &ignored, &d);
    bool ok;
    if (d.nerrors) {
        fill_report(r, &src, &d, first);
        ok = false;
    } else {
        ok = load_src(e, &src, first, r);
    }
    diag_list_fini(&d);
    srcset_fini(&src);
    return ok;
}

bool sn_load_string(sn_engine *e, const char *name, const char *text, size_t len, sn_report *r)
{
    srcset src;
    srcset_init(&src, &e->mem);
    add_old_sources(e, &src);
    uint32_t first = src.nfiles;
    if (srcset_add(&src, name ? name : "<string>", text, len) < 0)
        out_of_memory();
    bool ok = load_src(e, &src, first, r);
    srcset_fini(&src);
    return ok;
}

/* Check TEXT (a declaration wrapping what the user typed) against
 * everything loaded; returns the program and its last declaration. */
static ast_program *parse_extra(engine *e, srcset *src, const char *name, const char *text,
                                sn_report *r, const ast_decl **decl, front_mode mode)
{
    srcset_init(src, &e->mem);
    add_old_sources(e, src);
    uint32_t first = src->nfiles;
    if (srcset_add(src, name, text, strlen(text)) < 0)
        out_of_memory();
    ast_program *prog = build_all(e, src, first, r, mode);
    *decl = NULL;
    if (prog && r) {
        /* a query or a typed fact: only errors are worth saying */
        sn_report_free(r);
    }
    if (prog)
        for (const ast_decl *d = prog->decls; d; d = d->next)
            if (d->sp.file == first)
                *decl = d;
    if (prog && !*decl) {
        ast_program_free(prog);
        prog = NULL;
    }
    return prog;
}

/* Assert the facts of TEXT, checked as a facts block; the last one in *LAST. */
static long assert_text(engine *e, const char *name, const char *text, sn_report *r, sn_fact **last)
{
    srcset src;
    const ast_decl *d;
    ast_program *prog = parse_extra(e, &src, name, text, r, &d, FRONT_FACTS);
    long n = -1;
    *last = NULL;
    if (prog && d->kind == DECL_FACTS) {
        n = 0;
        for (const ast_fact *af = d->u.facts.facts; af; af = af->next) {
            struct tmpl *t = tmpl_find(e, af->tmpl.text, af->tmpl.len);
            if (!t)
                continue;
            value *vals = e_alloc(e, (t->nslots + 1) * sizeof *vals);
            if (facts_from_ast(e, af, vals, &t)) {
                *last = fact_assert(e, t, vals, SN_ORIGIN_TYPED, NULL, NULL);
                n++;
            }
            e_free(e, vals);
        }
        engine_quiesce(e);
    }
    ast_program_free(prog);
    srcset_fini(&src);
    if (*last && !(*last)->live)
        *last = NULL;
    return n;
}

sn_fact *sn_assert_string(sn_engine *e, const char *text, sn_report *r)
{
    sn_fact *last;
    assert_text(e, "<input>", text, r, &last);
    return last;
}

long sn_assert_facts(sn_engine *e, const char *name, const char *text, sn_report *r)
{
    sn_fact *last;
    return assert_text(e, name, text, r, &last);
}

bool sn_retract(sn_engine *e, sn_fact *f)
{
    if (!f || !f->live)
        return false;
    fact_retract(e, f);
    engine_quiesce(e);
    return true;
}

sn_fact *sn_fact_by_id(const sn_engine *e, uint64_t id)
{
    for (struct fact *f = e->all_first; f; f = f->gnext)
        if (f->id == id)
            return f;
    for (struct fact *f = e->withdrawn; f; f = f->gnext)
        if (f->id == id)
            return f;
    return NULL;
}

sn_fact *sn_fact_next(const sn_engine *e, const sn_fact *f)
{
    return f ? f->gnext : e->all_first;
}

sn_fact *sn_withdrawn_next(const sn_engine *e, const sn_fact *f)
{
    return f ? f->gnext : e->withdrawn;
}

static bool matches(engine *e, const struct tmpl *t, cexpr *test, bool tests_cf, struct fact *f)
{
    if (f->t != t || (!tests_cf && f->cf < e->threshold))
        return false;
    if (!test)
        return true;
    ectx c = {.e = e, .f = f};
    return cx_truth(cx_eval(&c, test)) && !c.failed;
}

ast_program *parse_pattern(engine *e, const char *pattern, sn_report *r, const ast_pattern **out)
{
    srcset src;
    const ast_decl *d;
    ast_program *prog = parse_extra(e, &src, "<pattern>", pattern, r, &d, FRONT_PATTERN);
    srcset_fini(&src);
    if (prog && (d->kind != DECL_RULE || !d->u.rule.conds || d->u.rule.conds->kind != CE_PATTERN ||
                 d->u.rule.conds->next)) {
        if (r) {
            sn_report_free(r);
            r->nerrors = 1;
            r->text = xstrdup("expected one pattern, like diagnosis(name: hip_bursitis)\n");
        }
        ast_program_free(prog);
        prog = NULL;
    }
    *out = prog ? &d->u.rule.conds->u.pat : NULL;
    return prog;
}

long sn_query(sn_engine *e, const char *pattern, sn_fact **out, size_t max, sn_report *r)
{
    const ast_pattern *p;
    ast_program *prog = parse_pattern(e, pattern, r, &p);
    if (!prog)
        return -1;
    struct tmpl *t = tmpl_find(e, p->tmpl.text, p->tmpl.len);
    bool tests_cf;
    cexpr *test = compile_pattern_test(e, t, p, &tests_cf);
    long count = 0;
    for (struct fact *f = t->first; f; f = f->tnext)
        if (matches(e, t, test, tests_cf, f)) {
            if ((size_t)count < max)
                out[count] = f;
            count++;
        }
    ast_program_free(prog);
    return count;
}

/* ---- facts, rules, templates: read access ---------------------------------------- */

uint64_t sn_fact_id(const sn_fact *f) { return f->id; }
double sn_fact_cf(const sn_fact *f) { return f->cf; }
const char *sn_fact_template(const sn_fact *f) { return f->t->name->text; }
sn_origin sn_fact_origin(const sn_fact *f) { return f->origin; }
bool sn_fact_concluded(const sn_fact *f) { return f->live && f->nsupport > 0; }
const char *sn_fact_source(const sn_fact *f) { return f->source ? f->source->text : NULL; }

const char *sn_fact_value(const sn_fact *f, unsigned i, char *buf, size_t size)
{
    if (i >= f->t->nslots)
        return NULL;
    value v = f->slots[i];
    if (v.type == V_SYMBOL || v.type == V_STRING)
        snprintf(buf, size, "%s", v.u.s->text);
    else
        value_format(buf, size, v);
    return buf;
}

size_t sn_fact_format(const sn_fact *f, char *buf, size_t size)
{
    size_t n = 0;
#define PUT(s)                                                                                     \
    do {                                                                                           \
        const char *s_ = (s);                                                                      \
        size_t l_ = strlen(s_);                                                                    \
        if (n < size)                                                                              \
            memcpy(buf + n, s_, n + l_ < size ? l_ : size - n);                                    \
        n += l_;                                                                                   \
    } while (0)
    PUT(f->t->name->text);
    PUT("(");
    for (uint32_t i = 0; i < f->t->nslots; i++) {
        char v[256];
        if (i)
            PUT(", ");
        PUT(f->t->slots[i].name->text);
        PUT(": ");
        if (f->slots[i].type == V_SYMBOL) {
            PUT(f->slots[i].u.s->text); /* the common case, without a copy */
            continue;
        }
        value_format(v, sizeof v, f->slots[i]);
        PUT(v);
    }
    PUT(")");
#undef PUT
    if (size)
        buf[n < size ? n : size - 1] = '\0';
    return n;
}

void sn_fact_write(FILE *out, const sn_fact *f)
{
    fprintf(out, "%s(", f->t->name->text);
    for (uint32_t i = 0; i < f->t->nslots; i++) {
        fprintf(out, "%s%s: ", i ? ", " : "", f->t->slots[i].name->text);
        value_write(out, f->slots[i]);
    }
    fputc(')', out);
}

sn_activation *sn_agenda_next(const sn_engine *e, const sn_activation *a)
{
    if (a && a->next)
        return a->next;
    uint32_t i = 0;
    if (a)
        i = (uint32_t)(a->lvl - e->levels) + 1;
    for (; i < e->nlevels; i++)
        if (e->levels[i].head)
            return e->levels[i].head;
    return NULL;
}

const sn_rule *sn_activation_rule(const sn_activation *a) { return a->p->r; }
int sn_activation_salience(const sn_activation *a) { return a->salience; }

unsigned sn_activation_facts(const sn_activation *a, const sn_fact **out, unsigned max)
{
    const sn_fact *tmp[64];
    unsigned n = 0;
    for (const token *t = a->tok; t; t = t->parent)
        if (t->f && a->p->positive[t->level] && n < 64)
            tmp[n++] = t->f;
    for (unsigned i = 0; i < n && i < max; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

const sn_rule *sn_rule_next(const sn_engine *e, const sn_rule *r)
{
    r = r ? r->next : e->rules;
    while (r && r->removed)
        r = r->next;
    return r;
}

const sn_rule *sn_rule_find(const sn_engine *e, const char *name)
{
    for (const sn_rule *r = sn_rule_next(e, NULL); r; r = sn_rule_next(e, r))
        if (strcmp(r->name->text, name) == 0)
            return r;
    return NULL;
}

const char *sn_rule_name(const sn_rule *r) { return r->name->text; }
const char *sn_rule_doc(const sn_rule *r) { return r->doc; }
unsigned sn_rule_ncites(const sn_rule *r) { return r->ncites; }
const char *sn_rule_cite(const sn_rule *r, unsigned i) { return i < r->ncites ? r->cites[i] : NULL; }
int sn_rule_salience(const sn_rule *r) { return r->salience; }
uint64_t sn_rule_fired(const sn_rule *r) { return r->fired; }
const char *sn_rule_where(const sn_rule *r) { return r->where; }

bool sn_remove_rule(sn_engine *e, const char *name)
{
    struct rule *r = (struct rule *)sn_rule_find(e, name);
    if (!r)
        return false;
    r->removed = true;
    for (uint32_t i = 0; i < r->nprods; i++)
        node_release(e, r->prods[i]->term);
    e->nrules--;
    engine_quiesce(e);
    return true;
}

const sn_template *sn_template_next(const sn_engine *e, const sn_template *t)
{
    return t ? t->next : e->tmpls;
}

const char *sn_template_name(const sn_template *t) { return t->name->text; }
unsigned sn_template_nslots(const sn_template *t) { return t->nslots; }
const char *sn_template_slot(const sn_template *t, unsigned i)
{
    return i < t->nslots ? t->slots[i].name->text : NULL;
}

const sn_just *sn_fact_justs(const sn_fact *f) { return f->justs; }
const sn_just *sn_just_next(const sn_just *j) { return j->next; }
const sn_rule *sn_just_rule(const sn_just *j) { return j->r; }
bool sn_just_logical(const sn_just *j) { return j->kind == J_CONCLUDE; }
bool sn_just_active(const sn_just *j) { return j->active; }
double sn_just_cf(const sn_just *j) { return j->cf; }
double sn_just_rule_cf(const sn_just *j) { return j->rule_cf; }
double sn_just_min_cf(const sn_just *j) { return j->min_cf; }
uint64_t sn_just_firing(const sn_just *j) { return j->firing; }
unsigned sn_just_nfacts(const sn_just *j) { return j->nfacts; }
uint64_t sn_just_fact(const sn_just *j, unsigned i) { return i < j->nfacts ? j->facts[i] : 0; }
unsigned sn_just_nbindings(const sn_just *j) { return j->binds ? j->p->nvars : 0; }
const char *sn_just_var(const sn_just *j, unsigned i)
{
    return i < sn_just_nbindings(j) ? j->p->vars[i].name : NULL;
}
const char *sn_just_binding(const sn_just *j, unsigned i, char *buf, size_t size)
{
    if (i >= sn_just_nbindings(j))
        return NULL;
    value_format(buf, size, j->binds[i]);
    return buf;
}
const char *sn_just_withdrawn(const sn_just *j) { return j->withdrawn ? j->withdrawn : ""; }

static int rec_order(const void *a, const void *b)
{
    const struct just *x = *(const struct just *const *)a, *y = *(const struct just *const *)b;
    if (x->r->salience != y->r->salience)
        return x->r->salience < y->r->salience ? 1 : -1;
    if (x->r != y->r)
        return x->r->rank < y->r->rank ? -1 : 1;
    return strcmp(x->text, y->text);
}

unsigned sn_recommendations(const sn_engine *e, const char **texts, const sn_rule **rules,
                            unsigned max)
{
    unsigned n = 0;
    for (const struct just *j = e->recs_first; j; j = j->rnext)
        n++;
    if (max == 0 || (!texts && !rules))
        return n;
    const struct just **v = malloc(n * sizeof *v + 1);
    if (!v)
        return 0;
    unsigned i = 0;
    for (const struct just *j = e->recs_first; j; j = j->rnext)
        v[i++] = j;
    qsort(v, n, sizeof *v, rec_order);
    for (i = 0; i < n && i < max; i++) {
        if (texts)
            texts[i] = v[i]->text;
        if (rules)
            rules[i] = v[i]->r;
    }
    free(v);
    return n;
}

void sn_get_stats(const sn_engine *e, sn_stats *s)
{
    s->facts = e->nfacts;
    s->fired = e->fired;
    s->activations = e->nacts;
    s->tokens = e->ntokens;
    s->alpha_memories = e->namems;
    s->beta_nodes = e->nnodes;
    s->bytes = e->mem.used;
    s->peak_bytes = e->mem.peak;
}

/* ---- case tests ------------------------------------------------------------------------- */

unsigned sn_case_count(const sn_engine *e) { return e->ncases; }

const char *sn_case_name(const sn_engine *e, unsigned i)
{
    return i < e->ncases ? e->cases[i]->name->text : NULL;
}

void sn_case_start(sn_engine *e, unsigned i)
{
    if (i >= e->ncases)
        return;
    wm_clear(e);
    assert_givens(e, e->facts_blocks, SN_ORIGIN_FACTS);
    assert_givens(e, e->cases[i]->given, SN_ORIGIN_CASE);
}

void sn_case_run(sn_engine *e, unsigned i, sn_case_result *r)
{
    memset(r, 0, sizeof *r);
    if (i >= e->ncases)
        return;
    kase *k = e->cases[i];
    r->name = k->name->text;
    r->where = k->where;
    sn_case_start(e, i);
    FILE *out = e->out;
    e->out = NULL;
    sn_stop stop = sn_run(e, -1, NULL);
    e->out = out;
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    if (stop == SN_STOP_ERROR && ms)
        fprintf(ms, "    the run stopped: %s\n", sn_last_error(e));
    if (stop == SN_STOP_INTERRUPT && ms)
        fprintf(ms, "    the run was interrupted\n");
    for (expect *x = k->expects; x; x = x->next) {
        r->nexpect++;
        struct fact *found = NULL;
        for (struct fact *f = x->t->first; f && !found; f = f->tnext)
            if (matches(e, x->t, x->test, x->tests_cf, f))
                found = f;
        if ((found != NULL) != x->negated)
            continue;
        r->nfailed++;
        if (!ms)
            continue;
        if (x->negated) {
            fprintf(ms, "    expected no %s, but found ", x->text);
            sn_fact_write(ms, found);
            fprintf(ms, " cf %.2f", found->cf);
            for (struct just *j = found->justs; j; j = j->next)
                if (j->active) {
                    fprintf(ms, " (by rule %s)", j->r->name->text);
                    break;
                }
            fputc('\n', ms);
        } else {
            fprintf(ms, "    expected %s, but", x->text);
            unsigned shown = 0;
            for (struct fact *f = x->t->first; f; f = f->tnext) {
                fprintf(ms, shown ? "," : " have:");
                if (shown++ == 6) {
                    fprintf(ms, " ...");
                    break;
                }
                fputc(' ', ms);
                sn_fact_write(ms, f);
                fprintf(ms, " cf %.2f", f->cf);
            }
            if (!shown)
                fprintf(ms, " there is no %s fact", x->t->name->text);
            fputc('\n', ms);
        }
    }
    if (ms)
        fclose(ms);
    r->passed = r->nfailed == 0 && stop != SN_STOP_ERROR;
    if (r->passed) {
        free(text);
        text = NULL;
    }
    r->detail = text;
    sn_reset(e);
}
