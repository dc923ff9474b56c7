/* relevance.c — what an answer could still change in the report.
 *
 * Read from the network's partial matches as things stand: the dead
 * productions (to a fixed point, since one dead rule can kill another),
 * how far each live one holds, the bounds of each diagnosis's certainty
 * (the evidence no answer can take away, and all that live rules could
 * still add or withdraw), and the productions that matter: completing
 * one (or blocking it once it holds) could raise or withdraw a red flag,
 * move a diagnosis across another's or the threshold at the top of the
 * differential, or make something a production that matters reads.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "eval.h"
#include "relevance.h"
#include "wm.h"

const node *relevance_cond(const prod *p, uint32_t level) { return p->chain[level - 1]; }

uint32_t relevance_held(const prod *p)
{
    for (uint32_t l = 1; l <= p->depth; l++)
        if (p->chain[l]->ntokens == 0)
            return l - 1;
    return p->depth;
}

unsigned sn_rule_held(const sn_engine *e, const sn_rule *r, unsigned *conditions)
{
    (void)e;
    unsigned best = 0, depth = 0;
    double frac = -1;
    for (uint32_t i = 0; i < r->nprods; i++) {
        const prod *p = r->prods[i];
        uint32_t h = relevance_held(p);
        double f = p->depth ? (double)h / p->depth : 1;
        if (f > frac) {
            frac = f;
            best = h;
            depth = p->depth;
        }
    }
    if (conditions)
        *conditions = depth;
    return best;
}

bool relevance_open(const engine *e, const struct tmpl *t)
{
    return t->ask && sn_ask_state_of(e, t->ask) == SN_ASK_OPEN;
}

bool relevance_accepts(engine *e, const amem *am, const value *vals)
{
    const struct tmpl *t = am->t;
    if (!amem_consts_match(am, vals))
        return false;
    if (!am->test)
        return true;
    /* the fact tried, on the stack when its slots fit */
    union {
        struct fact f;
        char room[sizeof(struct fact) + 16 * sizeof(value)];
    } local;
    struct fact *f = t->nslots <= 16 ? &local.f : e_alloc(e, sizeof *f + t->nslots * sizeof(value));
    memset(f, 0, sizeof *f);
    f->t = (struct tmpl *)t;
    f->cf = 1.0;
    memcpy(f->slots, vals, t->nslots * sizeof(value));
    ectx c = {.e = e, .f = f};
    bool ok = cx_truth(cx_eval(&c, am->test)) && !c.failed;
    if (f != &local.f)
        e_free(e, f);
    return ok;
}

/* Could action A of a live rule put a fact into AM? Only constants are
 * compared; anything computed could be anything. */
static bool could_fill(engine *e, const cact *a, const amem *am)
{
    if ((a->kind != A_CONCLUDE && a->kind != A_ASSERT && a->kind != A_MODIFY) || a->t != am->t)
        return false;
    if (a->kind == A_MODIFY || !a->vals)
        return true;
    const struct tmpl *t = am->t;
    value vals[t->nslots + 1];
    for (uint32_t i = 0; i < t->nslots; i++) {
        const cexpr *x = a->vals[i];
        if (x && x->kind != CX_CONST)
            return true;
        vals[i] = x ? x->k : t->slots[i].dflt;
    }
    return relevance_accepts(e, am, vals);
}

static bool makes_facts(const cact *a)
{
    return (a->kind == A_CONCLUDE || a->kind == A_ASSERT || a->kind == A_MODIFY) && a->t;
}

/* The actions that make facts of template T: [*N] from the result. */
static const maker *makers_of(const relevance *ch, const struct tmpl *t, uint32_t *n)
{
    if (t->id >= ch->e->ntmpls) { /* an aggregate's (UINT32_MAX): no action makes those */
        *n = 0;
        return NULL;
    }
    *n = ch->make_at[t->id + 1] - ch->make_at[t->id];
    return ch->makers + ch->make_at[t->id];
}

/* Index every action that makes facts by its template, in the order of
 * the productions (what the walks over them all found first stays first). */
static void index_makers(relevance *ch)
{
    engine *e = ch->e;
    ch->make_at = e_calloc(e, (size_t)e->ntmpls + 2, sizeof *ch->make_at);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ch->nprods; i++)
        for (const cact *a = ch->prods[i]->actions; a; a = a->next)
            if (makes_facts(a) && a->t->id < e->ntmpls) {
                ch->make_at[a->t->id + 2]++;
                n++;
            }
    for (uint32_t t = 2; t < e->ntmpls + 2; t++)
        ch->make_at[t] += ch->make_at[t - 1];
    /* make_at[T + 1] is where T's go next; once all are placed, where they end */
    ch->makers = e_alloc(e, ((size_t)n + 1) * sizeof *ch->makers);
    for (uint32_t i = 0; i < ch->nprods; i++)
        for (const cact *a = ch->prods[i]->actions; a; a = a->next)
            if (makes_facts(a) && a->t->id < e->ntmpls)
                ch->makers[ch->make_at[a->t->id + 1]++] = (maker){i, a};
}

/* AM's place in the memo of someone_makes, made on first use. */
static fill_memo *memo_of(relevance *ch, const amem *am)
{
    uint32_t i = (uint32_t)(((uintptr_t)am >> 4) * 2654435761u) & ch->memo_mask;
    while (ch->memo[i].am && ch->memo[i].am != am)
        i = (i + 1) & ch->memo_mask;
    ch->memo[i].am = am;
    return &ch->memo[i];
}

/* Could a live production fill AM? What one action could fill does not
 * change while the analysis is made, and a dead production stays dead,
 * so each alpha memory's makers are looked at once, in order, however
 * many conditions share it and however many rounds the dead take: the
 * memo keeps the one found (asked again, it answers while that one
 * lives; once it dies the search goes on past it). */
static bool someone_makes(relevance *ch, const amem *am)
{
    uint32_t n;
    const maker *m = makers_of(ch, am->t, &n);
    fill_memo *f = memo_of(ch, am);
    if (f->found && !ch->dead[m[f->at].prod])
        return true;
    if (f->found)
        f->at++;
    for (f->found = false; f->at < n; f->at++)
        if (!ch->dead[m[f->at].prod] && could_fill(ch->e, m[f->at].a, am))
            return f->found = true;
    return false;
}

/* Can P never fire as things stand: a condition no fact passes, on a
 * finding already answered (or unknown), or on a conclusion no live rule
 * can make; or a `not` a given finding blocks outright. */
static bool blocked(relevance *ch, const prod *p)
{
    engine *e = ch->e;
    for (uint32_t l = 1; l <= p->depth; l++) {
        const node *n = relevance_cond(p, l);
        if (n->kind != N_JOIN && n->kind != N_EXISTS && n->kind != N_NEG)
            continue;
        const amem *am = n->am;
        const struct tmpl *t = am->t;
        if (n->kind == N_NEG) {
            if (am->idx.n > 0 && !n->nkeys && !n->test && t->ask && !relevance_open(e, t))
                return true;
            continue;
        }
        if (am->idx.n > 0)
            continue;
        if (t->ask ? !relevance_open(e, t) : !someone_makes(ch, am))
            return true;
    }
    return false;
}

/* ---- what could change the report ------------------------------------------ */

/* The report a consultation is judged by: the red flags (facts of the
 * template `red_flag`) and the differential (facts of the template
 * `diagnosis` at or above the threshold, most certain first), of which the
 * top (sn_consult_top) and their order. A production matters when completing it, or
 * blocking it once it holds, could change one of them, directly or through
 * a fact that a production that matters reads. docs/engine.md,
 * "Consultation", says how this is judged. */

static bool held_prod(const relevance *ch, uint32_t i) { return ch->held[i] == ch->prods[i]->depth; }

static bool group_has_open(engine *e, const node *ncc)
{
    if (!relevance_group_possible(e, ncc))
        return false;
    for (const node *n = ncc->partner->parent; n && n != ncc->parent; n = n->parent)
        if (n->am && relevance_open(e, n->am->t))
            return true;
    return false;
}

/* Holds, and a `not` (or `not { }`) on an open finding could still block it. */
static bool can_block(engine *e, const prod *p)
{
    for (uint32_t l = 1; l <= p->depth; l++) {
        const node *n = relevance_cond(p, l);
        if (n->kind == N_NEG && relevance_open(e, n->am->t))
            return true;
        if (n->kind == N_NCC && !n->exists && group_has_open(e, n))
            return true;
    }
    return false;
}

bool relevance_const_target(const cact *a, value *vals)
{
    const struct tmpl *t = a->t;
    for (uint32_t i = 0; i < t->nslots; i++) {
        const cexpr *x = a->vals ? a->vals[i] : NULL;
        if (x && x->kind != CX_CONST)
            return false;
        vals[i] = x ? x->k : t->slots[i].dflt;
    }
    return true;
}

static struct fact *find_fact(const struct tmpl *t, const value *vals)
{
    for (struct fact *f = t->first; f; f = f->tnext) {
        uint32_t i = 0;
        while (i < t->nslots && value_eq(f->slots[i], vals[i]))
            i++;
        if (i == t->nslots)
            return f;
    }
    return NULL;
}

static double cf_of(double mb, double md)
{
    if (mb >= 1.0 && md >= 1.0)
        return 0.0;
    double m = mb < md ? mb : md;
    return (mb - md) / (1.0 - m);
}

static void add_ev(double *to, double x) { *to = *to + x * (1 - *to); }

static bound *bound_find(bound *v, uint32_t n, const struct tmpl *t, const value *vals)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t s = 0;
        while (s < t->nslots && value_eq(v[i].vals[s], vals[s]))
            s++;
        if (s == t->nslots)
            return &v[i];
    }
    return NULL;
}

static bool fixed_just(const relevance *ch, const struct just *j, const bool *blockable_rule, int depth);

/* Can no answer change F's certainty: it is given, or every rule holding
 * it up is fixed and no live rule could add to it? */
static bool fact_stable(const relevance *ch, const struct fact *f, const bool *blockable_rule, int depth)
{
    if (f->asserted && f->origin != SN_ORIGIN_RULE)
        return true;
    if (depth > 6)
        return false;
    for (const struct just *j = f->justs; j; j = j->next)
        if (j->active && j->kind == J_CONCLUDE && !fixed_just(ch, j, blockable_rule, depth + 1))
            return false;
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i] || ch->held[i] == ch->prods[i]->depth)
            continue;
        for (const cact *a = ch->prods[i]->actions; a; a = a->next) {
            if (a->kind != A_CONCLUDE || a->t != f->t)
                continue;
            value vals[8];
            if (f->t->nslots > 8 || !relevance_const_target(a, vals))
                return false;
            uint32_t s = 0;
            while (s < f->t->nslots && value_eq(vals[s], f->slots[s]))
                s++;
            if (s == f->t->nslots)
                return false;
        }
    }
    return true;
}

/* Is the contribution of J fixed: its production cannot be blocked and
 * every fact it matched is stable, so its certainty cannot move? */
static bool fixed_just(const relevance *ch, const struct just *j, const bool *blockable_rule, int depth)
{
    if (!j->p || blockable_rule[j->p->r->rank])
        return false;
    for (const token *t = j->tok; t; t = t->parent)
        if (t->f && j->p->positive[t->level] && !fact_stable(ch, t->f, blockable_rule, depth))
            return false;
    return true;
}

double relevance_const_cf(const cact *a)
{
    if (!a->cf)
        return 1.0;
    if (a->cf->kind != CX_CONST)
        return 2.0; /* anything */
    value v = a->cf->k;
    return v.type == V_FLOAT ? v.u.f : v.type == V_INT ? (double)v.u.i : 1.0;
}

/* The differential: the bounds of every diagnosis there is or could be. */
static uint32_t differential(relevance *ch, const struct tmpl *dx, bound **out)
{
    engine *e = ch->e;
    uint32_t n = 0, cap = dx->nfacts + 16;
    bound *v = e_calloc(e, cap, sizeof *v);
    bool *blockable_rule = e_calloc(e, e->nrules + 1, sizeof *blockable_rule);
    for (uint32_t i = 0; i < ch->nprods; i++)
        if (ch->blockable[i])
            blockable_rule[ch->prods[i]->r->rank] = true;
    for (struct fact *f = dx->first; f; f = f->tnext) {
        if (n == cap)
            v = e_realloc(e, v, (cap *= 2) * sizeof *v);
        bound *b = &v[n++];
        *b = (bound){.t = dx};
        memcpy(b->vals, f->slots, dx->nslots * sizeof(value));
        b->mb = f->asserted ? 1.0 : 0.0;
        for (const struct just *j = f->justs; j; j = j->next) {
            if (!j->active || j->kind != J_CONCLUDE)
                continue;
            if (fixed_just(ch, j, blockable_rule, 0)) {
                add_ev(j->cf >= 0 ? &b->mb : &b->md, j->cf >= 0 ? j->cf : -j->cf);
            } else {
                double rc = j->rule_cf;
                add_ev(rc >= 0 ? &b->opt_mb : &b->opt_md, rc >= 0 ? rc : -rc);
                b->open = true;
            }
        }
    }
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i] || held_prod(ch, i))
            continue;
        for (const cact *a = ch->prods[i]->actions; a; a = a->next) {
            if (a->kind != A_CONCLUDE || a->t != dx)
                continue;
            value vals[4];
            if (!relevance_const_target(a, vals))
                continue; /* judged by the caller: it matters */
            bound *b = bound_find(v, n, dx, vals);
            if (!b) {
                if (n == cap)
                    v = e_realloc(e, v, (cap *= 2) * sizeof *v);
                b = &v[n++];
                *b = (bound){.t = dx};
                memcpy(b->vals, vals, dx->nslots * sizeof(value));
            }
            double c = relevance_const_cf(a);
            if (c > 1.0) {
                b->opt_mb = b->opt_md = 1.0;
            } else {
                add_ev(c >= 0 ? &b->opt_mb : &b->opt_md, c >= 0 ? c : -c);
            }
            b->open = true;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        bound *b = &v[i];
        double mbx = b->mb, mdx = b->md;
        add_ev(&mbx, b->opt_mb);
        add_ev(&mdx, b->opt_md);
        b->hi = cf_of(mbx, b->md);
        b->lo = cf_of(b->mb, mdx);
    }
    e_free(e, blockable_rule);
    *out = v;
    return n;
}

/* Could a change in B's certainty change the TOP diagnoses at the top of
 * the differential, or whether it is shown at all? */
static bool bound_matters(const bound *v, uint32_t n, const bound *b, double threshold, uint32_t top)
{
    if (!b->open || b->hi < threshold || b->lo == b->hi)
        return false;
    uint32_t above = 0;
    for (uint32_t i = 0; i < n; i++)
        if (&v[i] != b && v[i].lo >= threshold && v[i].lo > b->hi)
            above++;
    if (above >= top)
        return false; /* TOP others are surely more certain */
    if (b->lo < threshold)
        return true; /* it may be shown or not */
    for (uint32_t i = 0; i < n; i++) {
        const bound *o = &v[i];
        if (o == b || o->hi < threshold || o->hi < b->lo || o->lo > b->hi)
            continue;
        uint32_t over = 0;
        for (uint32_t j = 0; j < n; j++)
            if (&v[j] != o && v[j].lo >= threshold && v[j].lo > o->hi)
                over++;
        if (over < top)
            return true; /* the two could swap places at the top */
    }
    return false;
}

/* Could completing (or blocking) production I change a red flag? */
static bool flag_matters(relevance *ch, uint32_t i, const cact *a, const bool *blockable_rule)
{
    value vals[8];
    if (a->t->nslots > 8 || !relevance_const_target(a, vals))
        return true;
    const struct fact *f = find_fact(a->t, vals);
    if (held_prod(ch, i))
        return ch->blockable[i];
    if (!f || f->cf < ch->e->threshold)
        return true; /* it would raise it */
    for (const struct just *j = f->justs; j; j = j->next)
        if (j->active && (!j->p || blockable_rule[j->p->r->rank]))
            return true; /* raised now, but it could be withdrawn */
    return false;
}

static void find_what_matters(relevance *ch)
{
    engine *e = ch->e;
    const struct tmpl *dx = ch->dx;
    bound *v = NULL;
    uint32_t nb = dx && dx->nslots <= 4 ? differential(ch, dx, &v) : 0;
    for (uint32_t i = 0; i < nb; i++)
        v[i].matters = bound_matters(v, nb, &v[i], e->threshold, sn_consult_top(e));
    ch->bounds = v;
    ch->nbounds = nb;
    bool *blockable_rule = e_calloc(e, e->nrules + 1, sizeof *blockable_rule);
    for (uint32_t i = 0; i < ch->nprods; i++)
        if (ch->blockable[i])
            blockable_rule[ch->prods[i]->r->rank] = true;
    /* directly: a red flag or the differential */
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i] || (held_prod(ch, i) && !ch->blockable[i]))
            continue;
        for (const cact *a = ch->prods[i]->actions; a && !ch->matters[i]; a = a->next) {
            if (a->kind != A_CONCLUDE && a->kind != A_ASSERT && a->kind != A_MODIFY)
                continue;
            if (a->kind == A_MODIFY) {
                ch->matters[i] = true;
            } else if (a->t->red_flag) {
                ch->matters[i] = flag_matters(ch, i, a, blockable_rule);
            } else if (a->t == dx) {
                value vals[4];
                if (dx->nslots > 4 || !relevance_const_target(a, vals)) {
                    ch->matters[i] = true;
                } else {
                    const bound *b = bound_find(v, nb, dx, vals);
                    ch->matters[i] = b && b->matters;
                }
            }
        }
    }
    /* through what those read, to a fixed point: each production that
     * matters once, its conditions' templates' makers looked at (a
     * production matters when an action of it could fill a condition of
     * one that matters) */
    uint32_t *pending = e_alloc(e, ((size_t)ch->nprods + 1) * sizeof *pending), npending = 0;
    for (uint32_t i = 0; i < ch->nprods; i++)
        if (ch->matters[i])
            pending[npending++] = i;
    while (npending > 0) {
        const prod *q = ch->prods[pending[--npending]];
        for (uint32_t l = 1; l <= q->depth; l++) {
            const node *n = relevance_cond(q, l);
            if (n->kind != N_JOIN && n->kind != N_EXISTS && n->kind != N_NEG)
                continue;
            uint32_t nm;
            const maker *m = makers_of(ch, n->am->t, &nm);
            for (uint32_t k = 0; k < nm; k++) {
                uint32_t i = m[k].prod;
                if (ch->matters[i] || ch->dead[i] || (held_prod(ch, i) && !ch->blockable[i]))
                    continue;
                if (could_fill(e, m[k].a, n->am)) {
                    ch->matters[i] = true;
                    pending[npending++] = i; /* each at most once: it matters now */
                }
            }
        }
    }
    e_free(e, pending);
    e_free(e, blockable_rule);
}

bool relevance_group_possible(engine *e, const node *ncc)
{
    if (!ncc->partner)
        return false;
    for (const node *n = ncc->partner->parent; n && n != ncc->parent; n = n->parent)
        if ((n->kind == N_JOIN || n->kind == N_EXISTS) && n->am->idx.n == 0 && n->am->t->ask &&
            !relevance_open(e, n->am->t))
            return false;
    return true;
}

void relevance_init(relevance *ch, engine *e, bool all)
{
    *ch = (relevance){.e = e, .dx = tmpl_find(e, "diagnosis", 9)};
    uint32_t cap = 0;
    for (const struct rule *r = e->rules; r; r = r->next)
        if (!r->removed)
            cap += r->nprods;
    ch->prods = e_alloc(e, (cap + 1) * sizeof *ch->prods);
    ch->dead = e_calloc(e, cap + 1, sizeof *ch->dead);
    ch->held = e_calloc(e, cap + 1, sizeof *ch->held);
    ch->blockable = e_calloc(e, cap + 1, sizeof *ch->blockable);
    ch->matters = e_calloc(e, cap + 1, sizeof *ch->matters);
    for (const struct rule *r = e->rules; r; r = r->next)
        if (!r->removed)
            for (uint32_t i = 0; i < r->nprods; i++)
                ch->prods[ch->nprods++] = r->prods[i];
    index_makers(ch);
    /* the dead make others dead: to a fixed point */
    uint32_t nconds = 0;
    for (uint32_t i = 0; i < ch->nprods; i++)
        nconds += ch->prods[i]->depth;
    for (ch->memo_mask = 15; ch->memo_mask < 2 * nconds; ch->memo_mask = 2 * ch->memo_mask + 1)
        ;
    ch->memo = e_calloc(e, (size_t)ch->memo_mask + 1, sizeof *ch->memo);
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 0; i < ch->nprods; i++)
            if (!ch->dead[i] && blocked(ch, ch->prods[i]))
                ch->dead[i] = changed = true;
    }
    e_free(e, ch->memo);
    ch->memo = NULL;
    for (uint32_t i = 0; i < ch->nprods; i++) {
        if (ch->dead[i])
            continue;
        ch->held[i] = relevance_held(ch->prods[i]);
        ch->blockable[i] = ch->held[i] == ch->prods[i]->depth && can_block(e, ch->prods[i]);
    }
    if (all)
        memset(ch->matters, 1, ch->nprods * sizeof *ch->matters);
    else
        find_what_matters(ch);
}

void relevance_fini(relevance *ch)
{
    engine *e = ch->e;
    e_free(e, ch->prods);
    e_free(e, ch->makers);
    e_free(e, ch->make_at);
    e_free(e, ch->dead);
    e_free(e, ch->held);
    e_free(e, ch->blockable);
    e_free(e, ch->matters);
    e_free(e, ch->bounds);
    memset(ch, 0, sizeof *ch);
}
