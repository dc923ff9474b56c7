/* alpha.c — which alpha memories a fact enters: down its template's
 * discrimination tree, then the memories at the root; see alpha.h. */
#include "alpha.h"

#include <string.h>

#include "alloc.h"
#include "eval.h"

/* AM's tests other than its constant equalities (which the
 * discrimination tree has checked when F is found through it). */
static bool amem_accepts_rest(engine *e, const amem *am, const struct fact *f)
{
    if (!am->tests_cf && f->cf < e->threshold)
        return false;
    if (!am->test)
        return true;
    ectx c = {.e = e, .f = f};
    return cx_truth(cx_eval(&c, am->test)) && !c.failed;
}

bool amem_accepts(engine *e, const amem *am, const struct fact *f)
{
    return amem_consts_match(am, f->slots) && amem_accepts_rest(e, am, f);
}

void amlist_init(amlist *l)
{
    l->v = l->here;
    l->n = 0;
    l->cap = AMLIST_HERE;
}

void amlist_fini(engine *e, amlist *l)
{
    if (l->v != l->here)
        e_free(e, l->v);
}

static void amlist_push(engine *e, amlist *l, amem *am)
{
    if (l->n == l->cap) {
        amem **v = e_alloc(e, 2 * (size_t)l->cap * sizeof *v);
        memcpy(v, l->v, l->n * sizeof *v);
        amlist_fini(e, l);
        l->v = v;
        l->cap *= 2;
    }
    l->v[l->n++] = am;
}

dnode *dispatch_find(const dispatch *d, value v, uint32_t h)
{
    if (!d->idx.b)
        return NULL;
    for (dnode *x = d->idx.b[h & d->idx.mask]; x; x = x->next)
        if (x->hash == h && value_eq(x->v, v))
            return x;
    return NULL;
}

static void walk_tree(engine *e, const dispatch *d, const struct fact *f, amlist *out)
{
    for (; d; d = d->next) {
        value v = f->slots[d->slot];
        dnode *x = dispatch_find(d, v, value_hash(v));
        if (!x)
            continue;
        amem *const *ams = dnode_ams(x);
        for (uint32_t i = 0; i < x->n; i++)
            if (amem_accepts_rest(e, ams[i], f))
                amlist_push(e, out, ams[i]);
        if (x->sub)
            walk_tree(e, x->sub, f, out);
    }
}

/* Which memory a fact enters first: by the place of the slot of its first
 * constant equality among the template's keyed slots (memories with none
 * last), then by age. The order decides which of the activations one
 * change makes comes first, so it does not depend on the tree's shape. */
static bool enters_before(const struct tmpl *t, const amem *a, const amem *b)
{
    uint32_t ra = a->key_slot >= 0 ? t->key_rank[a->key_slot] : UINT32_MAX;
    uint32_t rb = b->key_slot >= 0 ? t->key_rank[b->key_slot] : UINT32_MAX;
    return ra != rb ? ra < rb : a->seq < b->seq;
}

void alpha_memberships(engine *e, const struct fact *f, amlist *out)
{
    struct tmpl *t = f->t;
    walk_tree(e, t->dispatch, f, out);
    for (uint32_t i = 0; i < t->nplain; i++)
        if (amem_accepts_rest(e, t->plain[i], f))
            amlist_push(e, out, t->plain[i]);
    for (uint32_t i = 1; i < out->n; i++) {
        amem *x = out->v[i];
        uint32_t j = i;
        for (; j > 0 && enters_before(t, x, out->v[j - 1]); j--)
            out->v[j] = out->v[j - 1];
        out->v[j] = x;
    }
}

