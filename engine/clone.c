/* clone.c — sn_clone: a loaded engine's program copied; see clone.h.
 *
 * The copy is made in the order a load makes things, each object linked
 * where the engine's teardown finds it before anything it owns is
 * allocated: memory that runs out half way lands in the clone's public
 * call (alloc.h) with everything made so far reachable, and sn_free frees
 * it all. The maps from the original's objects to the clone's are one
 * table sized before the copy begins (malloc'd, never from the clone's
 * memory, so a landing cannot lose it).
 * The network's part is clone_net.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "clone.h"
#include "clone_net.h"
#include "focus.h"
#include "func.h"
#include "givens.h"
#include "internal.h"

/* ---- the map from the original's objects to the clone's ---------------------- */

static size_t map_slot(const ptrmap *m, const void *p)
{
    size_t h = ((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ULL;
    size_t i = (h >> 17) & m->mask;
    while (m->from[i] && m->from[i] != p)
        i = (i + 1) & m->mask;
    return i;
}

void clone_map_put(ptrmap *m, const void *from, void *to)
{
    size_t i = map_slot(m, from);
    m->from[i] = from;
    m->to[i] = to;
}

/* The clone's object for the original's P (NULL for NULL, or for one
 * that was not copied: a removed rule's nodes). */
void *clone_map_get(const ptrmap *m, const void *p)
{
    if (!p)
        return NULL;
    size_t i = map_slot(m, p);
    return m->from[i] ? m->to[i] : NULL;
}

/* ---- text, symbols, values ------------------------------------------------------ */

/* Each symbol interned once: the map remembers it. */
const sym *clone_sym(cl *k, const sym *s)
{
    if (!s)
        return NULL;
    const sym *t = clone_map_get(&k->map, s);
    if (!t) {
        t = sym_intern(&k->c->syms, s->text, s->len);
        clone_map_put(&k->map, s, (void *)t);
    }
    return t;
}

value clone_value(cl *k, value v)
{
    if (v.type == V_SYMBOL || v.type == V_STRING)
        v.u.s = clone_sym(k, v.u.s);
    return v;
}

char *clone_str(cl *k, const char *s)
{
    return s ? arena_strndup(k->c->perm, s, strlen(s)) : NULL;
}

/* N bytes of P in the clone's arena (NULL for NULL). */
void *clone_dup(cl *k, const void *p, size_t n)
{
    if (!p)
        return NULL;
    void *q = arena_alloc(k->c->perm, n ? n : 1);
    memcpy(q, p, n);
    return q;
}

/* As deep as X (the compiler bounds the nesting). */
cexpr *clone_cexpr(cl *k, const cexpr *x)
{
    if (!x)
        return NULL;
    cexpr *y = arena_alloc(k->c->perm, sizeof *y);
    *y = *x;
    if (x->kind == CX_CONST)
        y->k = clone_value(k, x->k);
    if (x->nargs) {
        y->args = arena_alloc(k->c->perm, x->nargs * sizeof *y->args);
        for (uint32_t i = 0; i < x->nargs; i++)
            y->args[i] = clone_cexpr(k, x->args[i]);
    }
    return y;
}

/* ---- declarations ------------------------------------------------------------------ */

static void copy_sources(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    for (uint32_t i = 0; i < e->src.nfiles; i++) {
        const src_file *f = srcset_file(&e->src, i);
        if (srcset_add_copy(&c->src, f) < 0)
            engine_mem_failed(c);
    }
    /* what the clone's loads, typed facts and patterns are checked against */
    check_env *env = check_env_clone(e->env, &c->mem);
    if (!env)
        engine_mem_failed(c);
    check_env_free(c->env);
    c->env = env;
}

static void copy_functions(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    if (e->nfns) {
        c->fns = e_calloc(c, e->nfns, sizeof *c->fns);
        c->capfns = e->nfns;
        for (uint32_t i = 0; i < e->nfns; i++) {
            userfn u = e->fns[i];
            c->fns[i] = u;
            c->fns[i].name = NULL;
            char *name = e_alloc(c, strlen(u.name) + 1);
            strcpy(name, u.name);
            c->fns[i].name = name;
            c->nfns = i + 1;
        }
    }
    if (e->nlfns) {
        c->lfns = e_calloc(c, e->nlfns, sizeof *c->lfns);
        c->caplfns = e->nlfns;
        for (uint32_t i = 0; i < e->nlfns; i++) {
            c->lfns[i].name = clone_sym(k, e->lfns[i].name);
            c->lfns[i].nparams = e->lfns[i].nparams;
            c->lfns[i].body = clone_cexpr(k, e->lfns[i].body);
        }
        c->nlfns = e->nlfns;
    }
    /* module 0, main, is every engine's */
    for (uint32_t i = 1; i < e->nmodules; i++)
        focus_add_module(c, e->modules[i]->text, e->modules[i]->len);
    if (e->nstart)
        focus_set_start(c, e->start_focus, e->nstart);
}

static void copy_templates(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    if (e->ntmpls) {
        c->tmpl_by_id = e_calloc(c, e->ntmpls, sizeof *c->tmpl_by_id);
        c->captmpls = e->ntmpls;
    }
    for (const struct tmpl *t = e->tmpls; t; t = t->next) {
        struct tmpl *u = arena_alloc(c->perm, sizeof *u);
        u->name = clone_sym(k, t->name);
        u->id = t->id;
        u->nslots = t->nslots;
        u->slots = arena_alloc(c->perm, (t->nslots + 1) * sizeof *u->slots);
        for (uint32_t i = 0; i < t->nslots; i++) {
            u->slots[i].name = clone_sym(k, t->slots[i].name);
            u->slots[i].type = t->slots[i].type;
            u->slots[i].dflt = clone_value(k, t->slots[i].dflt);
        }
        u->red_flag = t->red_flag;
        c->tmpl_by_id[u->id] = u;
        c->ntmpls = u->id + 1 > c->ntmpls ? u->id + 1 : c->ntmpls;
        if (c->tmpls_last)
            c->tmpls_last->next = u;
        else
            c->tmpls = u;
        c->tmpls_last = u;
        clone_map_put(&k->map, t, u);
    }
}

static void copy_asks(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    for (const ask *a = e->asks; a; a = a->next) {
        ask *b = arena_alloc(c->perm, sizeof *b);
        clone_map_put(&k->map, a, b);
        b->t = clone_map_get(&k->map, a->t);
        b->slot = a->slot;
        b->question = clone_str(k, a->question);
        b->multiple = a->multiple;
        b->nanswers = a->nanswers;
        b->index = a->index;
        b->name = clone_str(k, a->name);
        b->nitems = a->nitems;
        if (a->answers) {
            b->answers = arena_alloc(c->perm, (a->nanswers + 1) * sizeof *b->answers);
            for (uint32_t i = 0; i < a->nanswers; i++)
                b->answers[i] = clone_value(k, a->answers[i]);
        }
        if (a->answer_text) {
            b->answer_text = arena_alloc(c->perm, (a->nanswers + 1) * sizeof *b->answer_text);
            for (uint32_t i = 0; i < a->nanswers; i++)
                b->answer_text[i] = clone_str(k, a->answer_text[i]);
        }
        if (a->items) {
            b->items = arena_alloc(c->perm, (a->nitems + 1) * sizeof *b->items);
            b->item_answer = clone_dup(k, a->item_answer, (a->nitems + 1) * sizeof *b->item_answer);
            b->item_set = arena_alloc(c->perm, (a->nitems + 1) * sizeof *b->item_set);
        }
        if (c->asks_last)
            c->asks_last->next = b;
        else
            c->asks = b;
        c->asks_last = b;
    }
    c->nasks = e->nasks;
    /* the links between them, and from the templates' slots */
    for (const ask *a = e->asks; a; a = a->next) {
        ask *b = clone_map_get(&k->map, a);
        b->group = clone_map_get(&k->map, a->group);
        for (uint32_t i = 0; a->items && i < a->nitems; i++)
            b->items[i] = clone_map_get(&k->map, a->items[i]);
    }
    for (const struct tmpl *t = e->tmpls; t; t = t->next) {
        struct tmpl *u = clone_map_get(&k->map, t);
        u->ask = clone_map_get(&k->map, t->ask);
        for (uint32_t i = 0; i < t->nslots; i++)
            u->slots[i].ask = clone_map_get(&k->map, t->slots[i].ask);
    }
}

static given *copy_given(cl *k, const given *g)
{
    given *head = NULL, **tail = &head;
    /* room for the biggest template's values, in the clone's arena (a
     * landing on the way leaks nothing) */
    uint32_t most = 1;
    for (const struct tmpl *t = k->e->tmpls; t; t = t->next)
        if (t->nslots > most)
            most = t->nslots;
    value *vals = arena_alloc(k->c->perm, most * sizeof *vals);
    for (; g; g = g->next) {
        given_values(g, vals);
        for (uint32_t i = 0; i < g->t->nslots; i++)
            vals[i] = clone_value(k, vals[i]);
        given *h = given_pack(k->c->perm, clone_map_get(&k->map, g->t), vals,
                              clone_sym(k, g->source));
        *tail = h;
        tail = &h->next;
    }
    return head;
}

static void copy_facts_and_cases(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    c->facts_blocks = copy_given(k, e->facts_blocks);
    for (given *g = c->facts_blocks; g; g = g->next)
        c->facts_last = g;
    if (e->ncases) {
        c->cases = e_calloc(c, e->ncases, sizeof *c->cases);
        c->capcases = e->ncases;
    }
    for (uint32_t i = 0; i < e->ncases; i++) {
        const kase *a = e->cases[i];
        kase *b = arena_alloc(c->perm, sizeof *b);
        b->name = clone_sym(k, a->name);
        b->where = clone_str(k, a->where);
        b->given = copy_given(k, a->given);
        expect **tail = &b->expects;
        for (const expect *x = a->expects; x; x = x->next) {
            expect *y = arena_alloc(c->perm, sizeof *y);
            y->negated = x->negated;
            y->t = clone_map_get(&k->map, x->t);
            y->test = clone_cexpr(k, x->test);
            y->tests_cf = x->tests_cf;
            y->text = clone_str(k, x->text);
            *tail = y;
            tail = &y->next;
        }
        c->cases[c->ncases++] = b;
    }
}

/* ---- rules ------------------------------------------------------------------------- */

static cact *copy_actions(cl *k, const cact *a)
{
    cact *head = NULL, **tail = &head;
    for (; a; a = a->next) {
        cact *b = arena_alloc(k->c->perm, sizeof *b);
        *b = *a;
        b->next = NULL;
        b->t = clone_map_get(&k->map, a->t);
        b->vals = NULL;
        if (a->vals) {
            uint32_t n = a->t->nslots ? a->t->nslots : 1;
            b->vals = arena_alloc(k->c->perm, n * sizeof *b->vals);
            for (uint32_t i = 0; i < a->t->nslots; i++)
                b->vals[i] = clone_cexpr(k, a->vals[i]);
        }
        switch (a->kind) {
        case A_CONCLUDE: b->cf = clone_cexpr(k, a->cf); break;
        case A_RETRACT:
        case A_MODIFY:
            b->levels = clone_dup(k, a->levels,
                                  (a->kind == A_RETRACT ? a->n + 1 : 1) * sizeof *a->levels);
            break;
        case A_BIND: b->value = clone_cexpr(k, a->value); break;
        case A_PRINT:
        case A_RECOMMEND:
            b->args = arena_alloc(k->c->perm, (a->n + 1) * sizeof *b->args);
            for (uint32_t i = 0; i < a->n; i++)
                b->args[i] = clone_cexpr(k, a->args[i]);
            if (a->kind == A_RECOMMEND) {
                b->cites = arena_alloc(k->c->perm, (a->ncites + 1) * sizeof *b->cites);
                for (uint32_t i = 0; i < a->ncites; i++)
                    b->cites[i] = clone_str(k, a->cites[i]);
            }
            break;
        case A_FOCUS: b->modules = clone_dup(k, a->modules, (a->n + 1) * sizeof *a->modules); break;
        case A_ASSERT:
        case A_HALT: break;
        }
        *tail = b;
        tail = &b->next;
    }
    return head;
}

/* A rule or query, but the nodes its productions end in (link_prods). */
static struct rule *copy_rule(cl *k, const struct rule *r)
{
    engine *c = k->c;
    struct rule *s = arena_alloc(c->perm, sizeof *s);
    clone_map_put(&k->map, r, s);
    s->name = clone_sym(k, r->name);
    s->doc = clone_str(k, r->doc);
    s->ncites = r->ncites;
    s->cites = arena_alloc(c->perm, (r->ncites + 1) * sizeof *s->cites);
    for (uint32_t i = 0; i < r->ncites; i++)
        s->cites[i] = clone_str(k, r->cites[i]);
    s->salience = r->salience;
    s->where = clone_str(k, r->where);
    s->removed = r->removed;
    s->red_flag = r->red_flag;
    s->rank = r->rank;
    s->query = r->query;
    s->nparams = r->nparams;
    if (r->params) {
        s->params = arena_alloc(c->perm, (r->nparams + 1) * sizeof *s->params);
        for (uint32_t i = 0; i < r->nparams; i++)
            s->params[i] = clone_sym(k, r->params[i]);
    }
    s->module = r->module;
    s->nprods = r->nprods;
    s->prods = arena_alloc(c->perm, (r->nprods ? r->nprods : 1) * sizeof *s->prods);
    for (uint32_t i = 0; i < r->nprods; i++) {
        const prod *p = r->prods[i];
        prod *q = arena_alloc(c->perm, sizeof *q);
        clone_map_put(&k->map, p, q);
        q->r = s;
        q->alt = p->alt;
        q->filter = clone_cexpr(k, p->filter);
        q->actions = copy_actions(k, p->actions);
        q->nlocals = p->nlocals;
        q->nvars = p->nvars;
        q->vars = clone_dup(k, p->vars, (p->nvars ? p->nvars : 1) * sizeof *p->vars);
        for (uint32_t v = 0; v < p->nvars; v++)
            q->vars[v].name = clone_str(k, p->vars[v].name);
        q->depth = p->depth;
        q->positive = clone_dup(k, p->positive, (p->depth + 2) * sizeof *p->positive);
        q->chain = arena_alloc(c->perm, (p->depth + 2) * sizeof *q->chain);
        q->cond_text = arena_alloc(c->perm, (p->depth + 2) * sizeof *q->cond_text);
        for (uint32_t l = 0; l <= p->depth; l++)
            q->cond_text[l] = clone_str(k, p->cond_text[l]);
        s->prods[i] = q;
    }
    return s;
}

static void copy_rules(cl *k)
{
    const engine *e = k->e;
    engine *c = k->c;
    for (const struct rule *r = e->rules; r; r = r->next) {
        struct rule *s = copy_rule(k, r);
        if (c->rules_last)
            c->rules_last->next = s;
        else
            c->rules = s;
        c->rules_last = s;
    }
    c->nrules = e->nrules;
    for (const struct rule *r = e->queries; r; r = r->next) {
        struct rule *s = copy_rule(k, r);
        if (c->queries_last)
            c->queries_last->next = s;
        else
            c->queries = s;
        c->queries_last = s;
    }
    c->nqueries = e->nqueries;
    if (e->nrules) {
        c->by_name = e_alloc(c, e->nrules * sizeof *c->by_name);
        for (uint32_t i = 0; i < e->nrules; i++)
            c->by_name[i] = clone_map_get(&k->map, e->by_name[i]);
    }
}

/* ---- the whole ------------------------------------------------------------------- */

static size_t objects(const engine *e)
{
    size_t n = e->ntmpls + e->nasks + e->namems + e->nnodes + e->syms.n;
    const struct rule *lists[2] = {e->rules, e->queries};
    for (unsigned x = 0; x < 2; x++)
        for (const struct rule *r = lists[x]; r; r = r->next)
            n += 1 + r->nprods;
    return n;
}

static sn_status copy_all(cl *k)
{
    engine *c = k->c;
    CALL_ENTER(c);
    c->compiling = true;
    copy_sources(k);
    copy_functions(k);
    copy_templates(k);
    copy_asks(k);
    copy_facts_and_cases(k);
    copy_rules(k);
    clone_network(k);
    c->compiling = false;
    /* every symbol the program holds lasts, as after a load */
    symtab_keep(&c->syms);
    return call_leave(c, SN_OK);
}

sn_engine *clone_engine(const engine *e, long fail_after)
{
    if (e->broken || e->needs_clear || !e->perm || !e->env)
        return NULL;
    engine *c = sn_new();
    if (!c)
        return NULL;
    c->mem.fail_after = fail_after;
    c->mem.limit = e->mem.limit;
    c->threshold = e->threshold;
    c->recording = e->recording;
    c->max_firings = e->max_firings;
    c->strategy = e->strategy;
    c->out = e->out;
    c->watch = e->watch;
    c->watch_out = e->watch_out;
    c->interrupt = e->interrupt;
    c->consult_top = e->consult_top;
    c->profile = e->profile;
    cl k = {.c = c, .e = e};
    size_t cap = 64;
    while (cap < 2 * objects(e) + 16)
        cap *= 2;
    k.map.mask = cap - 1;
    k.map.from = calloc(cap, sizeof *k.map.from);
    k.map.to = calloc(cap, sizeof *k.map.to);
    sn_status st = k.map.from && k.map.to ? copy_all(&k) : SN_ERR_NOMEM;
    free(k.map.from);
    free(k.map.to);
    if (st == SN_OK)
        st = sn_reset(c);
    if (st != SN_OK || c->mem.tapped) {
        sn_free(c);
        return NULL;
    }
    c->mem.fail_after = -1;
    return c;
}

sn_engine *sn_clone(const sn_engine *e)
{
    /* inside a call on E (a run, a function of the embedder's that a rule
     * called) its program may be half way through a change */
    if (e->calls || e->in_run)
        return NULL;
    return clone_engine(e, -1);
}
