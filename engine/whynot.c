/* whynot.c — why no fact matches a pattern: every rule that could make one
 * and where it stopped, closest first, read from the network's partial
 * matches (each production's chain of nodes) without running anything.
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "explain.h"
#include "alloc.h"
#include "internal.h"
#include "load.h"
#include "witness.h"

/* ---- why not ------------------------------------------------------------- */

typedef struct candidate {
    const prod *p;
    uint32_t held;           /* conditions that hold, from the first */
    const char *status;      /* what happened, when all held */
    char detail[512];
    uint64_t blocked_by[4];  /* the facts that block the condition it stopped at */
    uint32_t nblocked;
} candidate;

/* Could action A make a fact the pattern's constants allow? */
static bool could_make(engine *e, const cact *a, const struct tmpl *t, const ast_pattern *pat)
{
    if ((a->kind != A_CONCLUDE && a->kind != A_ASSERT && a->kind != A_MODIFY) || a->t != t)
        return false;
    for (const ast_slotcons *sc = pat->args; sc; sc = sc->next) {
        int32_t s = sc->name.slot;
        if (s < 0 || sc->cons->kind != CT_LIT || !a->vals || !a->vals[s])
            continue;
        const cexpr *x = a->vals[s];
        if (x->kind != CX_CONST)
            continue;
        const ast_lit *l = &sc->cons->u.lit;
        value want;
        switch (l->type) {
        case TY_SYMBOL: want = v_sym(sym_intern(&e->syms, l->u.s, l->len)); break;
        case TY_STRING: want = v_str(sym_intern(&e->syms, l->u.s, l->len)); break;
        case TY_INT: want = v_int(l->u.i); break;
        default: want = v_float(l->u.f); break;
        }
        if (!value_eq(want, x->k))
            return false;
    }
    return true;
}

/* Why does condition LEVEL of P hold for no partial match? */
static void why_stuck(engine *e, const prod *p, uint32_t level, candidate *c)
{
    char *buf = c->detail;
    size_t size = sizeof c->detail;
    const node *n = p->chain[level - 1];
    size_t o = 0;
#define SAY(...) (o += (size_t)snprintf(buf + o, o < size ? size - o : 0, __VA_ARGS__))
    switch (n->kind) {
    case N_JOIN:
    case N_EXISTS: {
        const amem *am = n->am;
        const struct tmpl *t = am->t;
        if (am->idx.n > 0) {
            SAY("%u %s fact%s match%s it, but none agrees with the conditions before it", am->idx.n,
                t->name->text, am->idx.n == 1 ? "" : "s", am->idx.n == 1 ? "es" : "");
            break;
        }
        if (t->nfacts == 0) {
            if (t->ask && t->ask->unknown)
                SAY("the answer to '%s' is not known (asked, answered unknown)", t->name->text);
            else
                SAY("no %s fact was given or concluded", t->name->text);
            break;
        }
        unsigned below = 0;
        for (const struct fact *f = t->first; f; f = f->tnext)
            below += f->cf < e->threshold;
        if (below == t->nfacts) {
            SAY("the %s facts there are below the threshold %.2f:", t->name->text, e->threshold);
        } else {
            SAY("given differently:");
        }
        unsigned shown = 0;
        for (const struct fact *f = t->first; f && shown < 3; f = f->tnext, shown++) {
            char fb[256];
            sn_fact_format(f, fb, sizeof fb);
            SAY("%s #%llu %s cf %.2f", shown ? "," : "", (unsigned long long)f->id, fb, f->cf);
        }
        if (t->nfacts > 3)
            SAY(", ... (%u in all)", t->nfacts);
        break;
    }
    case N_NEG:
    case N_NCC: {
        /* the facts that block one of the partial matches */
        struct fact *v[4];
        uint32_t k = 0;
        for (uint32_t i = 0; n->mem.b && i <= n->mem.mask && !k; i++)
            for (const token *t = n->mem.b[i].head; t && !k; t = t->bnext)
                if (!t->dead && t->count > 0)
                    k = witness_blocked(e, n, t, v, 4);
        if (n->kind == N_NCC && n->exists) {
            SAY("nothing matches the whole group");
        } else if (k) {
            for (uint32_t i = 0; i < k; i++)
                c->blocked_by[c->nblocked++] = v[i]->id;
            SAY("blocked by");
            for (uint32_t i = 0; i < k; i++) {
                char fb[256];
                sn_fact_format(v[i], fb, sizeof fb);
                SAY("%s #%llu %s cf %.2f", i ? "," : "", (unsigned long long)v[i]->id, fb, v[i]->cf);
            }
        } else {
            SAY("%s", n->kind == N_NCC ? "blocked: the group matches" : "blocked by a fact that matches it");
        }
        break;
    }
    case N_TEST: SAY("the test is false for every match so far"); break;
    default: SAY("it does not hold"); break;
    }
#undef SAY
}

static int by_closeness(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    double fx = x->p->depth ? (double)x->held / x->p->depth : 1, fy = y->p->depth ? (double)y->held / y->p->depth : 1;
    if (fx != fy)
        return fx < fy ? 1 : -1;
    if (x->held != y->held)
        return x->held < y->held ? 1 : -1;
    return strcmp(x->p->r->name->text, y->p->r->name->text);
}

/* What became of P's complete matches, when it has some. */
static void all_held(engine *e, const prod *p, const struct tmpl *t, candidate *c)
{
    (void)t;
    const node *term = p->term;
    unsigned waiting = 0;
    for (uint32_t i = 0; term->mem.b && i <= term->mem.mask; i++)
        for (const token *k = term->mem.b[i].head; k; k = k->bnext)
            waiting += k->act != NULL;
    if (waiting) {
        snprintf(c->detail, sizeof c->detail, "it matches and waits on the agenda (%u activation%s): run",
                 waiting, waiting == 1 ? "" : "s");
        return;
    }
    /* it fired: what it made */
    for (const struct fact *f = e->all_first; f; f = f->gnext)
        for (const struct just *j = f->justs; j; j = j->next)
            if (j->p == p && j->active) {
                char fb[256];
                sn_fact_format(f, fb, sizeof fb);
                snprintf(c->detail, sizeof c->detail,
                         "it fired (firing %llu) and made #%llu %s, cf %.2f%s", (unsigned long long)j->firing,
                         (unsigned long long)f->id, fb, f->cf,
                         f->cf < e->threshold ? ": below the threshold" : "");
                return;
            }
    snprintf(c->detail, sizeof c->detail, "it fired; what it made does not match");
}

sn_status sn_explain_whynot(sn_engine *e, const char *pattern, sn_format fmt, FILE *out,
                            sn_report *r)
{
    CALL_ENTER(e);
    typed_pattern tp;
    sn_status st = pattern_open(e, pattern, r, &tp);
    if (st != SN_OK)
        return call_leave(e, st);
    const ast_pattern *pat = tp.pat;
    struct tmpl *t = tp.t;
    bool tests_cf = tp.tests_cf;
    cexpr *test = tp.test;
    /* is it there after all? */
    const struct fact *there = NULL, *weak = NULL;
    for (const struct fact *f = t->first; f; f = f->tnext) {
        ectx c = {.e = e, .f = f};
        if (test && (!cx_truth(cx_eval(&c, test)) || c.failed))
            continue;
        if (tests_cf || f->cf >= e->threshold)
            there = there ? there : f;
        else
            weak = weak ? weak : f;
    }
    size_t cap = 16, n = 0;
    candidate *v = e_alloc(e, cap * sizeof *v);
    for (const struct rule *ru = e->rules; ru; ru = ru->next) {
        if (ru->removed)
            continue;
        for (uint32_t i = 0; i < ru->nprods; i++) {
            const prod *p = ru->prods[i];
            bool makes = false;
            for (const cact *a = p->actions; a && !makes; a = a->next)
                makes = could_make(e, a, t, pat);
            if (!makes)
                continue;
            if (n == cap)
                v = e_realloc(e, v, (cap *= 2) * sizeof *v);
            candidate *c = &v[n++];
            memset(c, 0, sizeof *c);
            c->p = p;
            c->held = p->depth;
            for (uint32_t l = 1; l <= p->depth; l++)
                if (p->chain[l]->ntokens == 0) {
                    c->held = l - 1;
                    break;
                }
            if (c->held == p->depth)
                all_held(e, p, t, c);
            else
                why_stuck(e, p, c->held + 1, c);
        }
    }
    qsort(v, n, sizeof *v, by_closeness);
    /* a rule with `or` has several chains: show each rule once, its closest */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < kept && !dup; k++)
            dup = v[k].p->r == v[i].p->r;
        if (!dup)
            v[kept++] = v[i];
    }
    n = kept;
    const char *text = pattern;
    if (fmt == SN_JSON) {
        fputs("{\"schema\":\"sinew.whynot/1\",\"pattern\":", out);
        json_str(out, text);
        if (there)
            fprintf(out, ",\"holds\":%llu", (unsigned long long)there->id);
        if (weak)
            fprintf(out, ",\"below_threshold\":%llu", (unsigned long long)weak->id);
        fputs(",\"rules\":[", out);
        for (size_t i = 0; i < n; i++) {
            const prod *p = v[i].p;
            fputs(i ? ",{\"rule\":" : "{\"rule\":", out);
            json_str(out, p->r->name->text);
            fputs(",\"where\":", out);
            json_str(out, p->r->where);
            fprintf(out, ",\"conditions\":%u,\"held\":%u", p->depth, v[i].held);
            if (v[i].held < p->depth) {
                fputs(",\"stopped_at\":", out);
                json_str(out, p->cond_text[v[i].held + 1]);
            }
            if (v[i].nblocked) {
                fputs(",\"blocked_by\":[", out);
                for (uint32_t k = 0; k < v[i].nblocked; k++)
                    fprintf(out, "%s%llu", k ? "," : "", (unsigned long long)v[i].blocked_by[k]);
                fputc(']', out);
            }
            fputs(",\"why\":", out);
            json_str(out, v[i].detail);
            fputc('}', out);
        }
        fputs("]}\n", out);
    } else {
        if (there) {
            fputs("it holds: ", out);
            fact_line(out, there);
            fputs(" (see why)\n", out);
        } else if (weak) {
            fputs("it is there, but below the threshold: ", out);
            fact_line(out, weak);
            fputc('\n', out);
        } else {
            fprintf(out, "no fact matches %s\n", text ? text : "");
        }
        /* concluded once and withdrawn? */
        for (const struct fact *f = e->withdrawn; f; f = f->gnext) {
            if (f->t != t)
                continue;
            ectx c = {.e = e, .f = f};
            if (test && (!cx_truth(cx_eval(&c, test)) || c.failed))
                continue;
            fputs("  it was concluded, then withdrawn: ", out);
            fact_line(out, f);
            for (const struct just *j = f->justs; j; j = j->next)
                if (j->withdrawn) {
                    fprintf(out, " (rule %s: %s)", j->r->name->text, j->withdrawn);
                    break;
                }
            fputc('\n', out);
            break;
        }
        if (n == 0)
            fprintf(out, "  no rule concludes or asserts such a %s fact\n", t->name->text);
        for (size_t i = 0; i < n; i++) {
            const prod *p = v[i].p;
            fprintf(out, "  %zu. rule %s (%s): %u of %u condition%s hold%s\n", i + 1, p->r->name->text,
                    p->r->where, v[i].held, p->depth, p->depth == 1 ? "" : "s", v[i].held == 1 ? "s" : "");
            if (v[i].held < p->depth)
                fprintf(out, "       stopped at %s\n", p->cond_text[v[i].held + 1]);
            fprintf(out, "       %s\n", v[i].detail);
        }
    }
    e_free(e, v);
    pattern_close(e, &tp);
    return call_leave(e, SN_OK);
}

