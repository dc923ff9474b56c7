/* normal.c — conditions in disjunctive normal form; see normal.h. */
#include <string.h>

#include "internal.h"
#include "normal.h"

static fconj *conj_new(arena *a)
{
    return arena_alloc(a, sizeof(fconj));
}

static void conj_push(arena *a, fconj *k, fce item)
{
    if (k->n == k->cap) {
        uint32_t cap = k->cap ? k->cap * 2 : 8;
        fce *v = arena_alloc(a, cap * sizeof *v);
        if (k->n)
            memcpy(v, k->items, k->n * sizeof *v);
        k->items = v;
        k->cap = cap;
    }
    k->items[k->n++] = item;
}

static fconj *conj_copy(arena *a, const fconj *k)
{
    fconj *r = conj_new(a);
    for (uint32_t i = 0; i < k->n; i++)
        conj_push(a, r, k->items[i]);
    return r;
}

fconj *normal_form(arena *a, const ast_ce *list);

/* `exists { A or B }` holds once however many alternatives hold: it is
 * `exists { not { not A, not B } }`, one alternative whose group yields at
 * most one match per partial match. (Two alternatives of the rule would
 * fire it once for each that holds.) */
static fconj *exists_of_alternatives(arena *a, fconj *alts, span sp)
{
    fconj *none = conj_new(a);
    for (fconj *x = alts; x; x = x->next) {
        fce item = {.kind = F_NOT, .sp = sp};
        if (x->n == 1 && x->items[0].kind == F_PAT)
            item.pat = x->items[0].pat;
        else
            item.sub = x;
        conj_push(a, none, item);
    }
    fconj *some = conj_new(a);
    conj_push(a, some, (fce){.kind = F_NOT, .sub = none, .sp = sp});
    fconj *out = conj_new(a);
    conj_push(a, out, (fce){.kind = F_EXISTS, .sub = some, .sp = sp});
    return out;
}

/* The alternatives of one condition. */
static fconj *expand_one(arena *a, const ast_ce *ce)
{
    fconj *k;
    switch (ce->kind) {
    case CE_PATTERN:
        k = conj_new(a);
        conj_push(a, k, (fce){.kind = F_PAT, .pat = &ce->u.pat, .sp = ce->sp});
        return k;
    case CE_TEST:
        k = conj_new(a);
        conj_push(a, k, (fce){.kind = F_TEST, .test = ce->u.test, .sp = ce->sp});
        return k;
    case CE_AND: return normal_form(a, ce->u.list);
    case CE_AGG: {
        /* a group's alternatives stay inside: the aggregate reads them all */
        fce item = {.kind = F_AGG, .agg = ce, .sp = ce->sp};
        if (ce->u.agg->src->kind == CE_PATTERN)
            item.pat = &ce->u.agg->src->u.pat;
        else
            item.sub = normal_form(a, ce->u.agg->src->u.list);
        k = conj_new(a);
        conj_push(a, k, item);
        return k;
    }
    case CE_OR: {
        fconj *head = NULL, **tail = &head;
        for (const ast_ce *alt = ce->u.list; alt; alt = alt->next) {
            fconj *x = expand_one(a, alt);
            *tail = x;
            while (*tail)
                tail = &(*tail)->next;
        }
        return head;
    }
    case CE_NOT:
    case CE_EXISTS: {
        fconj *alts = expand_one(a, ce->u.sub);
        fkind kind = ce->kind == CE_NOT ? F_NOT : F_EXISTS;
        if (kind == F_EXISTS && alts && alts->next)
            return exists_of_alternatives(a, alts, ce->sp);
        fconj *out = NULL, **tail = &out;
        if (kind == F_NOT)
            out = conj_new(a); /* not (A or B) = not A, not B: one alternative */
        for (fconj *x = alts; x; x = x->next) {
            fce item = {.kind = kind, .sp = ce->sp};
            if (x->n == 1 && x->items[0].kind == F_PAT)
                item.pat = x->items[0].pat;
            else
                item.sub = x;
            if (kind == F_NOT) {
                conj_push(a, out, item);
            } else {
                fconj *y = conj_new(a);
                conj_push(a, y, item);
                *tail = y;
                tail = &y->next;
            }
        }
        return out;
    }
    case CE_FORALL: {
        /* forall D { B } = not { D, not B } for each alternative of D */
        fconj *doms = expand_one(a, ce->u.forall.domain);
        fconj *bodies = expand_one(a, ce->u.forall.body);
        fconj *out = conj_new(a);
        for (fconj *d = doms; d; d = d->next) {
            fconj *inner = conj_copy(a, d);
            for (fconj *b = bodies; b; b = b->next) {
                fce nb = {.kind = F_NOT, .sp = ce->sp};
                if (b->n == 1 && b->items[0].kind == F_PAT)
                    nb.pat = b->items[0].pat;
                else
                    nb.sub = b;
                conj_push(a, inner, nb);
            }
            conj_push(a, out, (fce){.kind = F_NOT, .sub = inner, .sp = ce->sp});
        }
        return out;
    }
    }
    return NULL;
}

/* The alternatives of conditions one after another: the cross product.
 * Each alternative so far is copied for all but the last alternative of
 * the next condition, and extended in place for that one, so a rule of N
 * conditions without `or` costs N item writes, not N²/2. */
fconj *normal_form(arena *a, const ast_ce *list)
{
    fconj *acc = conj_new(a);
    for (const ast_ce *ce = list; ce; ce = ce->next) {
        fconj *alts = expand_one(a, ce);
        fconj *out = NULL, **tail = &out;
        for (fconj *k = acc, *knext; k; k = knext) {
            knext = k->next;
            for (fconj *b = alts; b; b = b->next) {
                fconj *x = b->next ? conj_copy(a, k) : k;
                for (uint32_t i = 0; i < b->n; i++)
                    conj_push(a, x, b->items[i]);
                x->next = NULL;
                *tail = x;
                tail = &x->next;
            }
        }
        acc = out;
    }
    return acc;
}
