/* verify.c — the engine's invariants, checked by walking everything; see
 * verify.h.
 *
 * What must hold between two public calls:
 * - every node's memory: each token in the bucket its hash names, owned by
 *   the node, alive, linked both ways; the counts equal what is there; a
 *   token is among its parent's kids and its fact's tokens; a not/exists
 *   token's count is the number of alpha entries that join with it; a
 *   terminal token's activation points back at it; an aggregate token's
 *   accumulator agrees with its items (totals, heap, order, table) and has
 *   one item per alpha entry that joins it (over one pattern) or per
 *   result of its subnetwork (over a group), and its kids carry its value;
 *   a join's compiled tests judge each fact of the token's bucket as its
 *   expression does;
 * - every alpha memory: each entry in its bucket, its fact alive, among
 *   the fact's entries, and accepted by the memory's tests; the count; the
 *   memory where the discrimination tree files it;
 * - working memory: the facts list, the per-template lists and the counts
 *   agree; a fact's support count is its active conclusions;
 * - the table of shared nodes: every join, not, exists and test node in
 *   it, and nothing else;
 * - the agenda: each activation on its level, its token alive and
 *   pointing back; the count.
 * The first thing wrong is described in a buffer of the engine's own
 * (verify_why): the walk allocates nothing.
 */
#include "aggregate.h"
#include "alloc.h"
#include "eval.h"
#include "internal.h"
#include "jtest.h"
#include "rete.h"
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Stop the walk: say what is wrong. */
#define BROKEN(e, ...)                                                       \
    do {                                                                     \
        snprintf((e)->verify_why, sizeof (e)->verify_why, __VA_ARGS__);      \
        return (e)->verify_why;                                              \
    } while (0)

static bool among_kids(const token *parent, const token *t)
{
    for (const token *k = parent->kids; k; k = k->snext)
        if (k == t)
            return true;
    return false;
}

static bool among_fact_tokens(const struct fact *f, const token *t)
{
    for (const token *k = f->tokens; k; k = k->fnext)
        if (k == t)
            return true;
    return false;
}

/* The subnetwork results of a group aggregate that belong to T. */
static uint64_t group_results(const node *n, const token *t)
{
    uint64_t c = 0;
    for (uint32_t k = 0; k < n->agg->npartners; k++) {
        const node *p = n->agg->partners[k];
        for (uint32_t b = 0; p->mem.b && b <= p->mem.mask; b++)
            for (const token *r = p->mem.b[b].head; r; r = r->bnext) {
                const token *a = r;
                while (a && a->level > n->level)
                    a = a->parent;
                c += !r->dead && a && a->parent == t->parent && a->f == t->f;
            }
    }
    return c;
}

static const char *verify_agg(engine *e, const node *n, const token *t)
{
    uint64_t items;
    if (!agg_check(e, n, t, &items))
        return e->verify_why;
    uint64_t want = n->am ? node_count_matches(e, n, t) : group_results(n, t);
    if (items != want)
        BROKEN(e, "an aggregate token holds %llu items, but %llu matches join it",
               (unsigned long long)items, (unsigned long long)want);
    return NULL;
}

/* Do N's compiled join tests judge T with each fact of its alpha bucket as
 * the interpreter judges the tests? (Only where every step is a
 * comparison: those cannot fail, so evaluating them changes nothing.) */
static const char *verify_steps(engine *e, const node *n, const token *t)
{
    for (uint32_t i = 0; i < n->njt; i++)
        if (n->jt[i].op == JSTEP_EXPR)
            return NULL;
    for (aentry *a = am_bucket(n->am, t->hash); a; a = a->bnext) {
        ectx c = {.e = e, .tok = (token *)t, .f = a->f};
        bool want = cx_truth(cx_eval(&c, n->test)) && !c.failed;
        if (jtest_run(e, n->jt, n->njt, (token *)t, a->f) != want)
            BROKEN(e, "a join's compiled tests judge fact #%llu %s, its expression %s",
                   (unsigned long long)a->f->id, want ? "false" : "true", want ? "true" : "false");
    }
    return NULL;
}

static const char *verify_token(engine *e, const node *n, const token *t, uint32_t bucket)
{
    if (t->owner != n)
        BROKEN(e, "a token in a memory of a node it does not name as its owner");
    if (t->dead)
        BROKEN(e, "a dead token still in a node's memory");
    if (node_hashed(n) && (t->hash & n->mem.mask) != bucket)
        BROKEN(e, "a token in bucket %u whose hash names bucket %u", bucket,
               t->hash & n->mem.mask);
    if (t->parent && t->parent != &e->top && !among_kids(t->parent, t))
        BROKEN(e, "a token missing from its parent's kids");
    if (t->f && !t->f->live)
        BROKEN(e, "a token on retracted fact #%llu", (unsigned long long)t->f->id);
    if (t->f && !among_fact_tokens(t->f, t))
        BROKEN(e, "a token missing from fact #%llu's tokens", (unsigned long long)t->f->id);
    if ((n->kind == N_NEG || n->kind == N_EXISTS) && t->count != node_count_matches(e, n, t))
        BROKEN(e, "a %s token counts %u matches, but %u join", n->kind == N_NEG ? "not" : "exists",
               t->count, node_count_matches(e, n, t));
    const char *why;
    if (n->am && n->test && (why = verify_steps(e, n, t)))
        return why;
    if (n->kind == N_TERM && t->act && t->act->tok != t)
        BROKEN(e, "an activation that does not point back at its token");
    if (n->kind == N_AGG)
        return verify_agg(e, n, t);
    return NULL;
}

/* Nodes of these kinds are shared by structural key, through the engine's
 * table of them (network.c): each one in the network is in the table. */
static bool node_shared(const node *n)
{
    return n->kind == N_JOIN || n->kind == N_NEG || n->kind == N_EXISTS || n->kind == N_TEST;
}

static bool node_in_table(const engine *e, const node *n)
{
    if (!e->nodesig)
        return false;
    for (const node *x = e->nodesig[n->sighash & e->nodesig_mask]; x; x = x->signext)
        if (x == n)
            return true;
    return false;
}

static const char *verify_node(engine *e, const node *n, uint64_t *nodes, uint64_t *tokens,
                               uint64_t *shared)
{
    (*nodes)++;
    if (node_shared(n)) {
        if (!node_in_table(e, n))
            BROKEN(e, "a shareable node missing from the table of shared nodes");
        (*shared)++;
    }
    uint32_t count = 0;
    for (uint32_t b = 0; n->mem.b && b <= n->mem.mask; b++) {
        const token *head = n->mem.b[b].head, *last = NULL;
        for (const token *t = head; t; last = t, t = t->bnext) {
            if (t->bprev != last)
                BROKEN(e, "a bucket whose links disagree");
            const char *why = verify_token(e, n, t, b);
            if (why)
                return why;
            count++;
        }
        if (n->mem.b[b].tail != last)
            BROKEN(e, "a bucket whose tail is not its last token");
    }
    if (count != n->mem.n || count != n->ntokens)
        BROKEN(e, "a node holds %u tokens but counts %u (memory) and %u (node)", count,
               n->mem.n, n->ntokens);
    *tokens += count;
    for (uint32_t i = 0; i < n->nkids; i++) {
        if (n->kids[i]->parent != n)
            BROKEN(e, "a node's kid names another parent");
        const char *why = verify_node(e, n->kids[i], nodes, tokens, shared);
        if (why)
            return why;
    }
    return NULL;
}

static bool among_entries(const struct fact *f, const aentry *a)
{
    for (const aentry *x = f->entries; x; x = x->fnext)
        if (x == a)
            return true;
    return false;
}

/* Is AM where its template's discrimination tree files it: at the end of
 * the path of its constants in slot order (the first of each choice)? */
static bool in_tree(const amem *am)
{
    const aeq *by_slot[am->neq + 1];
    for (uint32_t i = 0; i < am->neq; i++) {
        uint32_t j = i;
        for (; j > 0 && by_slot[j - 1]->slot > am->eq[i].slot; j--)
            by_slot[j] = by_slot[j - 1];
        by_slot[j] = &am->eq[i];
    }
    const dispatch *br = am->t->dispatch;
    amem *const *v = am->t->plain;
    uint32_t n = am->t->nplain;
    for (uint32_t i = 0; i < am->neq; i++) {
        while (br && br->slot != by_slot[i]->slot)
            br = br->next;
        if (!br)
            return false;
        value k = aeq_values(by_slot[i])[0];
        const dnode *x = dispatch_find(br, k, value_hash(k));
        if (!x)
            return false;
        br = x->sub;
        v = dnode_ams(x);
        n = x->n;
    }
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == am)
            return true;
    return false;
}

static const char *verify_amem(engine *e, const amem *am)
{
    uint32_t count = 0;
    uint32_t runs = 0;
    for (uint32_t b = 0; am->idx.b && b <= am->idx.mask; b++)
        for (const aentry *a = am->idx.b[b]; a; a = a->bnext) {
            runs += a == am->idx.b[b] || a->bprev->hash != a->hash;
            if (a->am != am)
                BROKEN(e, "an alpha entry in a memory it does not name");
            if ((a->hash & am->idx.mask) != b)
                BROKEN(e, "an alpha entry in the wrong bucket");
            if (!a->f->live)
                BROKEN(e, "retracted fact #%llu in an alpha memory", (unsigned long long)a->f->id);
            if (!among_entries(a->f, a))
                BROKEN(e, "fact #%llu does not list its alpha entry", (unsigned long long)a->f->id);
            if (!amem_accepts(e, am, a->f))
                BROKEN(e, "fact #%llu in an alpha memory whose tests it fails",
                       (unsigned long long)a->f->id);
            count++;
        }
    if (count != am->idx.n)
        BROKEN(e, "an alpha memory holds %u entries but counts %u", count, am->idx.n);
    if (runs != am->runs)
        BROKEN(e, "an alpha memory holds %u runs of one hash but counts %u", runs, am->runs);
    if (!in_tree(am))
        BROKEN(e, "an alpha memory not at the end of the path of its constants");
    return NULL;
}

static const char *verify_facts(engine *e)
{
    uint32_t n = 0;
    const struct fact *prev = NULL;
    for (const struct fact *f = e->all_first; f; prev = f, f = f->gnext) {
        if (!f->live)
            BROKEN(e, "retracted fact #%llu in working memory", (unsigned long long)f->id);
        if (f->gprev != prev)
            BROKEN(e, "working memory's list of facts is linked wrong at #%llu",
                   (unsigned long long)f->id);
        uint32_t support = 0;
        for (const struct just *j = f->justs; j; j = j->next)
            support += j->active && j->kind == J_CONCLUDE;
        if (support != f->nsupport)
            BROKEN(e, "fact #%llu has %u active conclusions but counts %u",
                   (unsigned long long)f->id, support, f->nsupport);
        if (!f->asserted && f->nsupport == 0 && !f->dirty)
            BROKEN(e, "fact #%llu is held up by nothing", (unsigned long long)f->id);
        for (const aentry *a = f->entries; a; a = a->fnext)
            if (a->f != f)
                BROKEN(e, "fact #%llu lists another fact's alpha entry", (unsigned long long)f->id);
        /* in the chain of its hash */
        const struct fact *g = e->wm[f->hash & e->wm_mask];
        while (g && g != f)
            g = g->hnext;
        if (!g)
            BROKEN(e, "fact #%llu cannot be found in working memory's table",
                   (unsigned long long)f->id);
        n++;
    }
    if (prev != e->all_last || n != e->nfacts)
        BROKEN(e, "working memory holds %u facts but counts %u", n, e->nfacts);
    uint32_t placed = 0;
    for (uint32_t i = 0; i <= e->wm_mask; i++)
        for (const struct fact *g = e->wm[i]; g; g = g->hnext)
            placed++;
    if (placed != n)
        BROKEN(e, "working memory's table holds %u facts of %u", placed, n);
    for (const struct tmpl *t = e->tmpls; t; t = t->next) {
        uint32_t k = 0;
        for (const struct fact *f = t->first; f; f = f->tnext, k++)
            if (f->t != t || !f->live)
                BROKEN(e, "template %s lists a fact that is not a live one of its own",
                       t->name->text);
        if (k != t->nfacts)
            BROKEN(e, "template %s holds %u facts but counts %u", t->name->text, k, t->nfacts);
    }
    return NULL;
}

/* The search tree of a lex or mea level, walked in order, is its list. */
static const struct activation *tree_walk(const struct activation *t,
                                          const struct activation *want, bool *ok)
{
    if (!t || !*ok)
        return want;
    want = tree_walk(t->lex->tl, want, ok);
    if (want != t)
        *ok = false;
    else
        want = tree_walk(t->lex->tr, t->next, ok);
    return want;
}

static const char *verify_agenda(engine *e)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < e->nlevels; i++) {
        const alevel *l = &e->levels[i];
        if (i > 0 && (e->levels[i - 1].module > l->module ||
                      (e->levels[i - 1].module == l->module &&
                       e->levels[i - 1].salience <= l->salience)))
            BROKEN(e, "the agenda's levels are out of order");
        const struct activation *prev = NULL;
        for (const struct activation *a = l->head; a; prev = a, a = a->next, n++) {
            if (a->lvl != l || a->prev != prev)
                BROKEN(e, "an activation linked wrong on its level");
            if (a->module != l->module || a->module != a->p->r->module ||
                a->module >= e->nmodules)
                BROKEN(e, "an activation of rule %s on another module's agenda",
                       a->p->r->name->text);
            if (a->tok->dead || a->tok->act != a)
                BROKEN(e, "an activation of rule %s whose match is gone", a->p->r->name->text);
        }
        if (prev != l->tail)
            BROKEN(e, "an agenda level whose tail is not its last");
        bool ok = true;
        bool tree = e->strategy == SN_LEX || e->strategy == SN_MEA;
        if (tree ? tree_walk(l->root, l->head, &ok) != NULL || !ok : l->root != NULL)
            BROKEN(e, "an agenda level whose search tree is not its list");
    }
    if (n != e->nacts)
        BROKEN(e, "the agenda holds %llu activations but counts %llu", (unsigned long long)n,
               (unsigned long long)e->nacts);
    return NULL;
}

/* The top token: nothing of its own, and among its kids exactly the
 * tokens that name it as their parent, each in the memory of a kid of a
 * join at the top (counted, not searched: it has a kid per match of a
 * first pattern). */
static const char *verify_top(engine *e)
{
    const token *top = &e->top;
    if (top->parent || top->f || top->owner || top->level || top->dead)
        BROKEN(e, "the top token holds a parent, a fact, an owner, a level or death");
    uint64_t listed = 0, named = 0;
    for (const token *k = top->kids, *prev = NULL; k; prev = k, k = k->snext) {
        if (k->sprev != prev || k->parent != top)
            BROKEN(e, "the top token's kids are linked wrong");
        const node *maker = k->owner->parent;
        if (k->dead || !maker || maker->parent || maker->kind != N_JOIN)
            BROKEN(e, "a kid of the top token not made by a live join at the top");
        listed++;
    }
    for (uint32_t i = 0; i < e->nroots; i++) {
        const node *r = e->roots[i];
        if (r->kind != N_JOIN)
            continue;
        if (r->mem.n || r->ntokens)
            BROKEN(e, "a join at the top holds tokens");
        for (uint32_t j = 0; j < r->nkids; j++) {
            const node *k = r->kids[j];
            for (uint32_t b = 0; k->mem.b && b <= k->mem.mask; b++)
                for (const token *t = k->mem.b[b].head; t; t = t->bnext)
                    named += t->parent == top;
        }
    }
    if (listed != named)
        BROKEN(e, "the top token lists %llu kids but %llu tokens name it",
               (unsigned long long)listed, (unsigned long long)named);
    return NULL;
}

const char *verify_engine(engine *e)
{
    uint64_t nodes = 0, tokens = 0, shared = 0;
    const char *why;
    for (uint32_t i = 0; i < e->nroots; i++) {
        if (e->roots[i]->parent)
            BROKEN(e, "a root node with a parent");
        if ((why = verify_node(e, e->roots[i], &nodes, &tokens, &shared)))
            return why;
    }
    if ((why = verify_top(e)))
        return why;
    if (shared != e->nnodesig)
        BROKEN(e, "the table of shared nodes counts %u but the network holds %llu",
               e->nnodesig, (unsigned long long)shared);
    if (tokens > e->ntokens)
        BROKEN(e, "the network holds %llu tokens but the engine counts %llu",
               (unsigned long long)tokens, (unsigned long long)e->ntokens);
    for (uint32_t i = 0; e->amsig && i <= e->amsig_mask; i++)
        for (const amem *am = e->amsig[i]; am; am = am->signext)
            if ((why = verify_amem(e, am)))
                return why;
    if ((why = verify_facts(e)) || (why = verify_agenda(e)))
        return why;
    return NULL;
}

void engine_assert_failed(const char *what, const char *file, int line)
{
    fprintf(stderr, "sinew: %s:%d: broken invariant: %s\n", file, line, what);
    abort();
}
