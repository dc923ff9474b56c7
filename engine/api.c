/* api.c — the public read-only calls of sinew.h: facts, rules,
 * templates, the agenda, justifications, recommendations, statistics.
 * Everything here reads; nothing changes the engine.
 */
#include <stdlib.h>
#include <string.h>

#include "conds.h"
#include "agenda.h"
#include "internal.h"

void sn_each_symbol(const sn_engine *e, void (*fn)(const char *, void *), void *ctx)
{
    for (uint32_t i = 0; i <= e->syms.mask; i++)
        for (const sym *s = e->syms.buckets[i]; s; s = s->next)
            fn(s->text, ctx);
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
        if (i)
            PUT(", ");
        PUT(f->t->slots[i].name->text);
        PUT(": ");
        if (f->slots[i].type == V_SYMBOL) {
            PUT(f->slots[i].u.s->text); /* the common case */
            continue;
        }
        /* straight into what room is left; counted whole either way */
        size_t room = n < size ? size - n : 0;
        n += value_format(room ? buf + n : NULL, room, f->slots[i]);
    }
    PUT(")");
#undef PUT
    if (size)
        buf[n < size ? n : size - 1] = '\0';
    return n;
}

char *sn_fact_text(const sn_fact *f)
{
    size_t n = sn_fact_format(f, NULL, 0);
    char *text = malloc(n + 1);
    if (text)
        sn_fact_format(f, text, n + 1);
    return text;
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
    return agenda_next(e, a);
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
unsigned sn_rule_module(const sn_rule *r) { return r->module; }
uint64_t sn_rule_fired(const sn_rule *r) { return r->fired; }
double sn_rule_seconds(const sn_rule *r) { return (double)r->nanos / 1e9; }
void sn_set_profile(sn_engine *e, bool on) { e->profile = on; }
const char *sn_rule_where(const sn_rule *r) { return r->where; }


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

const char *sn_template_slot_type(const sn_template *t, unsigned i)
{
    static const char *const names[] = {"", "symbol", "string", "int", "float"};
    return i < t->nslots ? names[t->slots[i].type] : NULL;
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

unsigned sn_just_nconds(const sn_just *j)
{
    return just_nconds(j);
}

bool sn_just_cond(const sn_just *j, unsigned i, sn_cond *out)
{
    if (i >= just_nconds(j))
        return false;
    cond_view c;
    just_cond(j, i + 1, &c);
    *out = (sn_cond){.text = c.text, .fact = c.fact, .nfacts = c.nwit, .facts = c.wit};
    switch (c.kind) {
    case C_PATTERN: out->kind = SN_COND_PATTERN; break;
    case C_NOT: out->kind = SN_COND_NOT; break;
    case C_EXISTS: out->kind = SN_COND_EXISTS; break;
    case C_TEST: out->kind = SN_COND_TEST; break;
    default: out->kind = SN_COND_OTHER; break;
    }
    return true;
}

static int rec_order(const void *a, const void *b)
{
    const struct just *x = *(const struct just *const *)a, *y = *(const struct just *const *)b;
    if (x->r->salience != y->r->salience)
        return x->r->salience < y->r->salience ? 1 : -1;
    if (x->r != y->r)
        return x->r->rank < y->r->rank ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* A strict order of the recommendations: rec_order, then where they are. */
static bool rec_before(const struct just *a, const struct just *b)
{
    int c = rec_order(&a, &b);
    return c < 0 || (c == 0 && a < b);
}

unsigned sn_recommendations(const sn_engine *e, const char **texts, const sn_rule **rules,
                            unsigned max)
{
    unsigned n = 0;
    for (const struct just *j = e->recs_first; j; j = j->rnext)
        n++;
    if (!texts && !rules)
        return n;
    /* the first MAX in order, chosen one at a time: no memory needed, and
     * recommendations are few */
    const struct just *prev = NULL;
    for (unsigned i = 0; i < n && i < max; i++) {
        const struct just *best = NULL;
        for (const struct just *j = e->recs_first; j; j = j->rnext)
            if ((!prev || rec_before(prev, j)) && (!best || rec_before(j, best)))
                best = j;
        if (texts)
            texts[i] = best->text;
        if (rules)
            rules[i] = best->r;
        prev = best;
    }
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
    s->whatif_bytes = e->whatif ? e->whatif->mem.used : 0;
    s->whatif_facts = e->whatif ? e->whatif->nfacts : 0;
}


/* ---- for the report ---------------------------------------------------------- */

bool sn_template_red_flag(const sn_template *t) { return t->red_flag; }
bool sn_rule_red_flag(const sn_rule *r) { return r->red_flag; }
bool sn_fact_red_flag(const sn_fact *f) { return f->t->red_flag; }

const sn_fact *sn_recommendation_flag(const sn_engine *e, const char *text)
{
    for (const struct just *j = e->recs_first; j; j = j->rnext) {
        if (j->text != text)
            continue;
        for (const token *t = j->tok; t; t = t->parent)
            if (t->f && t->f->t->red_flag)
                return t->f;
        return NULL;
    }
    return NULL;
}

bool sn_template_advice(const sn_engine *e, const sn_template *t)
{
    if (t->red_flag || strcmp(t->name->text, "diagnosis") == 0)
        return false;
    bool read = false;
    for (const struct rule *r = e->rules; r; r = r->next) {
        if (r->removed)
            continue;
        for (uint32_t i = 0; i < r->nprods; i++) {
            const prod *p = r->prods[i];
            bool recommends = false, reads = false;
            for (const cact *a = p->actions; a && !recommends; a = a->next)
                recommends = a->kind == A_RECOMMEND;
            for (uint32_t l = 1; l <= p->depth && !reads; l++) {
                const node *n = p->chain[l - 1];
                reads = (n->kind == N_JOIN || n->kind == N_EXISTS) && n->am->t == t;
            }
            if (reads && !recommends)
                return false; /* a rule reasons with it: a conclusion */
            read |= reads;
        }
    }
    return read;
}

