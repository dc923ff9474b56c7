/* fire.c — firing rules: an activation's actions, one after another, and
 * the run loop; see fire.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agenda.h"
#include "alloc.h"
#include "eval.h"
#include "fire.h"
#include "focus.h"
#include "internal.h"
#include "rete.h"
#include "tms.h"
#include "verify.h"
#include "watch.h"
#include "witness.h"
#include "wm.h"

/* ---- firing -------------------------------------------------------------------------- */

typedef struct firing {
    engine *e;
    prod *p;
    token *tok;
    struct fact **lv;
    value *locals;
    const firing_conds *conds; /* when recording */
} firing;

static bool eval_values(firing *fr, struct tmpl *t, cexpr **exprs, value *vals, const value *base)
{
    ectx c = {.e = fr->e, .lv = fr->lv, .locals = fr->locals};
    for (uint32_t i = 0; i < t->nslots; i++) {
        const cexpr *x = exprs[i];
        if (x && x->kind == CX_VAR && x->slot >= 0 && fr->lv[x->level])
            vals[i] = fr->lv[x->level]->slots[x->slot]; /* a slot's value, as most are */
        else if (x)
            vals[i] = cx_eval(&c, x);
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
    uint32_t h;
    struct fact *f = wm_lookup(e, a->t, vals, &h);
    struct just *j = just_new(e, J_CONCLUDE, fr->p, fr->lv, fr->locals, fr->conds);
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
        fact_cause(f, j, CAUSE_NEW);
        fact_enqueue(e, f);
        return true;
    }
    f = fact_new_concluded(e, a->t, vals, h, j->cf);
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
        struct just *j = just_new(e, J_ASSERT, fr->p, fr->lv, fr->locals, fr->conds);
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
        e->modify_of = old->id; /* step logs the new fact as replacing it */
        assert_from_rule(fr, a->t, vals);
        e->modify_of = 0;
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
        struct just *j = just_new(e, J_RECOMMEND, fr->p, fr->lv, fr->locals, NULL);
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
    case A_FOCUS:
        for (uint32_t i = a->n; i-- > 0;)
            if (!focus_push(e, a->modules[i])) {
                engine_error(e, "focus %s: the focus stack holds %d modules already, the most "
                             "it may", e->modules[a->modules[i]]->text, FOCUS_MAX);
                return false;
            }
        return true;
    }
    return true;
}

void rete_matched(engine *e, token *t, prod *p)
{
    if (p->r->query)
        return; /* its matches stay in its terminal's memory (query.c) */
    agenda_add(e, t, p);
}

void rete_unmatched(engine *e, token *t)
{
    if (t->act) {
        watch_activation(e, t->act, false);
        agenda_remove(e, t->act);
    }
    while (t->sup) {
        struct just *j = t->sup;
        t->sup = j->tnext;
        j->tok = NULL;
        just_withdraw(e, j, t);
    }
}

static uint64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool fire(engine *e, struct activation *a)
{
    token *tok = a->tok;
    prod *p = a->p;
    e->fired++;
    p->r->fired++;
    if (p->r->run != e->run) {
        p->r->run = e->run;
        p->r->run_fired = 0;
    }
    p->r->run_fired++;
    watch_firing(e, a);
    agenda_remove(e, a);
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
    /* what lets each condition through, read before an action changes it */
    enum { WIT_MAX = 64 };
    uint8_t kindsmall[16];
    uint32_t atsmall[17];
    uint64_t wit[WIT_MAX];
    uint8_t *kinds = NULL;
    uint32_t *at = NULL;
    firing_conds conds;
    if (e->recording) {
        kinds = p->depth < 16 ? kindsmall : e_alloc(e, p->depth + 1);
        at = p->depth < 16 ? atsmall : e_alloc(e, (p->depth + 1) * sizeof *at);
        witness_record(e, p, tok, kinds, wit, at, WIT_MAX);
        conds = (firing_conds){.kinds = kinds, .ids = wit, .at = at};
        fr.conds = &conds;
    }
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
    if (kinds && kinds != kindsmall) {
        e_free(e, kinds);
        e_free(e, at);
    }
    if (locals != locsmall)
        e_free(e, locals);
    engine_quiesce(e);
    return ok;
}

/* The run went past the most firings: say so, with the rules that fired
 * most in it (a rule that fires forever is among them). */
static void too_many_firings(engine *e)
{
    enum { SHOWN = 3 };
    const struct rule *top[SHOWN] = {NULL};
    for (const struct rule *r = e->rules; r; r = r->next) {
        if (r->run != e->run || r->run_fired == 0)
            continue;
        for (int i = 0; i < SHOWN; i++)
            if (!top[i] || r->run_fired > top[i]->run_fired) {
                memmove(top + i + 1, top + i, (SHOWN - 1 - (size_t)i) * sizeof *top);
                top[i] = r;
                break;
            }
    }
    scratch_reset(e);
    for (int i = 0; i < SHOWN && top[i]; i++)
        scratch_printf(e, "%s%s (%llu)", i ? ", " : "", top[i]->name->text,
                       (unsigned long long)top[i]->run_fired);
    engine_error(e, "%llu firings, the most a run may make "
                    "(--max-firings); the rules that fired most: %s",
                 (unsigned long long)e->max_firings, e->scratch);
}

sn_status sn_run(sn_engine *e, long limit, uint64_t *fired, sn_stop *stop)
{
    CALL_ENTER(e);
    uint64_t start = e->fired;
    sn_stop why = SN_STOP_EMPTY;
    sn_status st = SN_OK;
    e->halted = false;
    e->in_run = true;
    e->run++;
    focus_begin(e);
    /* profiling: the clock is read once per firing, and the time from one
     * firing to the next goes to the rule of the first */
    struct rule *timed = NULL;
    uint64_t since = 0;
    for (;;) {
        if (limit >= 0 && e->fired - start >= (uint64_t)limit) {
            why = SN_STOP_LIMIT;
            break;
        }
        if (e->interrupt && *e->interrupt) {
            why = SN_STOP_INTERRUPT;
            break;
        }
        struct activation *a = agenda_next_to_fire(e);
        if (!a)
            break;
        if (e->max_firings && e->fired - start >= e->max_firings) {
            too_many_firings(e);
            why = SN_STOP_ERROR;
            st = SN_ERR_RUNTIME;
            break;
        }
        focus_watch(e, a->module);
        if (e->profile) {
            uint64_t now = now_nanos();
            if (timed)
                timed->nanos += now - since;
            timed = a->p->r;
            since = now;
        }
        if (!fire(e, a)) {
            why = SN_STOP_ERROR;
            st = SN_ERR_RUNTIME;
            break;
        }
        if (call_short(e)) { /* that firing finished on the reserve: stop here */
            why = SN_STOP_ERROR;
            st = SN_ERR_NOMEM;
            break;
        }
        if (e->halted) {
            why = SN_STOP_HALT;
            break;
        }
    }
    if (timed)
        timed->nanos += now_nanos() - since;
    e->in_run = false;
    SN_VERIFY(e);
    if (fired)
        *fired = e->fired - start;
    if (stop)
        *stop = why;
    return call_leave(e, st);
}

/* Built with AddressSanitizer (gcc says so one way, clang another)? */
