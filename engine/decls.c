/* decls.c — a checked program's declarations into the engine: templates,
 * asks, facts blocks and cases, and the order in which a program is
 * compiled (compile_program). Rules are compile.c's.
 */
#include <string.h>

#include "alloc.h"
#include "compile.h"
#include "engine.h"
#include "focus.h"
#include "func.h"
#include "givens.h"
#include "internal.h"
#include "srctext.h"
#include "tms.h"
#include "wm.h"

/* ---- templates, facts, cases -------------------------------------------------- */

static vtype type_named(const ast_name *n)
{
    if (n->len == 6 && memcmp(n->text, "string", 6) == 0)
        return V_STRING;
    if (n->len == 3 && memcmp(n->text, "int", 3) == 0)
        return V_INT;
    if (n->len == 5 && memcmp(n->text, "float", 5) == 0)
        return V_FLOAT;
    return V_SYMBOL;
}

static void compile_template(engine *e, const ast_template *at)
{
    struct tmpl *t = arena_alloc(e->perm, sizeof *t);
    t->name = sym_intern(&e->syms, at->name.text, at->name.len);
    if (e->ntmpls >= e->captmpls) {
        uint32_t cap = e->captmpls ? e->captmpls * 2 : 16;
        e->tmpl_by_id = e_realloc(e, e->tmpl_by_id, cap * sizeof *e->tmpl_by_id);
        e->captmpls = cap;
    }
    t->id = e->ntmpls++;
    e->tmpl_by_id[t->id] = t;
    for (const ast_slotdecl *s = at->slots; s; s = s->next)
        t->nslots++;
    t->slots = arena_alloc(e->perm, (t->nslots + 1) * sizeof *t->slots);
    uint32_t i = 0;
    for (const ast_slotdecl *s = at->slots; s; s = s->next, i++) {
        slotdef *d = &t->slots[i];
        d->name = sym_intern(&e->syms, s->name.text, s->name.len);
        d->type = type_named(&s->type);
        if (s->dflt) {
            d->dflt = lit_value(e, s->dflt);
            if (d->type == V_FLOAT && d->dflt.type == V_INT)
                d->dflt = v_float((double)d->dflt.u.i);
        } else {
            switch (d->type) {
            case V_STRING: d->dflt = v_str(sym_intern(&e->syms, "", 0)); break;
            case V_INT: d->dflt = v_int(0); break;
            case V_FLOAT: d->dflt = v_float(0.0); break;
            default: d->dflt = v_sym(e->s_nil); break;
            }
        }
    }
    t->red_flag = t->name->len == 8 && memcmp(t->name->text, "red_flag", 8) == 0;
    if (e->tmpls_last)
        e->tmpls_last->next = t;
    else
        e->tmpls = t;
    e->tmpls_last = t;
}

/* A grouped question, after the asks its items are. */
static void compile_group(engine *e, const ast_ask *aa)
{
    ask *k = arena_alloc(e->perm, sizeof *k);
    memset(k, 0, sizeof *k);
    k->name = arena_strndup(e->perm, aa->tmpl.text, aa->tmpl.len);
    k->question = arena_strndup(e->perm, aa->question.text, aa->question.len);
    k->multiple = true;
    for (const ast_item *it = aa->items; it; it = it->next)
        k->nitems++;
    k->items = arena_alloc(e->perm, (k->nitems + 1) * sizeof *k->items);
    k->item_answer = arena_alloc(e->perm, (k->nitems + 1) * sizeof *k->item_answer);
    k->item_set = arena_alloc(e->perm, (k->nitems + 1) * sizeof *k->item_set);
    k->answer_text = arena_alloc(e->perm, (k->nitems + 2) * sizeof *k->answer_text);
    uint32_t n = 0;
    for (const ast_item *it = aa->items; it; it = it->next) {
        struct tmpl *t = tmpl_of(e, it->tmpl_id);
        if (!t || !t->ask)
            continue;
        ask *m = t->ask;
        int32_t a = -1;
        if (it->value) {
            value v = lit_value(e, it->value);
            for (uint32_t i = 0; i < m->nanswers && a < 0; i++)
                if (value_eq(m->answers[i], v))
                    a = (int32_t)i;
        }
        m->group = k;
        k->items[n] = m;
        k->item_answer[n] = a;
        k->answer_text[n++] = t->name->text;
    }
    k->nitems = n;
    k->answer_text[n] = "none";
    k->nanswers = n + 1;
    k->index = e->nasks++;
    if (e->asks_last)
        e->asks_last->next = k;
    else
        e->asks = k;
    e->asks_last = k;
}

static void compile_ask(engine *e, const ast_ask *aa)
{
    if (aa->items)
        return; /* compile_group */
    struct tmpl *t = tmpl_of(e, aa->tmpl_id);
    uint32_t s = aa->slot_index;
    ask *k = arena_alloc(e->perm, sizeof *k);
    k->t = t;
    k->slot = s;
    k->question = arena_strndup(e->perm, aa->question.text, aa->question.len);
    k->multiple = aa->multiple;
    for (const ast_lit *l = answer_first(aa); l; l = answer_next(l))
        k->nanswers++;
    k->answers = arena_alloc(e->perm, (k->nanswers + 1) * sizeof *k->answers);
    k->answer_text = arena_alloc(e->perm, (k->nanswers + 1) * sizeof *k->answer_text);
    uint32_t i = 0;
    for (const ast_lit *l = answer_first(aa); l; l = answer_next(l), i++) {
        value v = lit_value(e, l);
        if (t->slots[s].type == V_FLOAT && v.type == V_INT)
            v = v_float((double)v.u.i);
        k->answers[i] = v;
        char buf[64];
        const char *text = buf;
        if (v.type == V_SYMBOL || v.type == V_STRING)
            text = v.u.s->text;
        else
            value_format(buf, sizeof buf, v);
        k->answer_text[i] = arena_strndup(e->perm, text, strlen(text));
    }
    k->index = e->nasks++;
    t->slots[s].ask = k;
    if (!t->ask)
        t->ask = k;
    if (e->asks_last)
        e->asks_last->next = k;
    else
        e->asks = k;
    e->asks_last = k;
}

/* The values of F, a packed fact (its values constants, their slots
 * resolved by the checker), into VALS; its template into *TP. */
static bool packed_values(engine *e, const ast_fact *f, value *vals, struct tmpl **tp)
{
    struct tmpl *t = tmpl_of(e, f->tmpl_id);
    *tp = t;
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    ast_packed it = ast_packed_args(f);
    ast_slotval a;
    ast_expr v;
    while (ast_packed_next(&it, &a, &v)) {
        if (a.name.slot < 0 || (uint32_t)a.name.slot >= t->nslots)
            return false;
        vals[a.name.slot] = lit_value(e, &v.u.lit);
    }
    return true;
}

/* The values of ground facts (facts blocks, cases). */
static given *given_list(engine *e, const ast_fact *list, const sym *source)
{
    given *head = NULL, **tail = &head;
    for (const ast_fact *f = list; f; f = f->next) {
        struct tmpl *t = tmpl_of(e, f->tmpl_id);
        value *vals = e_alloc(e, (t->nslots + 1) * sizeof *vals);
        bool ok = vals && (f->packed ? packed_values(e, f, vals, &t) : facts_from_ast(e, f, vals, &t));
        given *g = ok ? given_pack(e->perm, t, vals, source) : NULL;
        e_free(e, vals);
        if (!g)
            continue;
        *tail = g;
        tail = &g->next;
    }
    return head;
}


static void compile_case(engine *e, const srcset *src, const ast_decl *d)
{
    const ast_case *ac = &d->u.kase;
    kase *k = arena_alloc(e->perm, sizeof *k);
    k->name = sym_intern(&e->syms, ac->name.text, ac->name.len);
    k->where = where_of(e, src, d->sp);
    k->given = given_list(e, ac->given, k->name);
    expect **tail = &k->expects;
    for (const ast_expect *x = ac->expects; x; x = x->next) {
        expect *p = arena_alloc(e->perm, sizeof *p);
        p->negated = x->negated;
        p->t = tmpl_of(e, x->pat.tmpl_id);
        p->test = compile_pattern_test(e, &x->pat, ac->nvars, &p->tests_cf);
        p->text = span_text(e, src, x->pat.sp);
        *tail = p;
        tail = &p->next;
    }
    if (e->ncases == e->capcases) {
        uint32_t cap = e->capcases ? e->capcases * 2 : 16;
        e->cases = e_realloc(e, e->cases, cap * sizeof *e->cases);
        e->capcases = cap;
    }
    e->cases[e->ncases++] = k;
}

/* Modules, in the order check_module.c numbered them, and the starting
 * focus: before the rules, which name them. */
static void compile_modules(engine *e, const ast_program *prog)
{
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->kind == DECL_MODULE && d->u.module.id == e->nmodules)
            focus_add_module(e, d->u.module.name.text, d->u.module.name.len);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->kind == DECL_FOCUS) {
            uint32_t n = 0, i = 0;
            for (const ast_modref *m = d->u.focus; m; m = m->next)
                n++;
            uint32_t *ids = e_alloc(e, (n + 1) * sizeof *ids);
            for (const ast_modref *m = d->u.focus; m; m = m->next)
                ids[i++] = m->id;
            focus_set_start(e, ids, n);
            e_free(e, ids);
        }
}

const given *compile_program(engine *e, const ast_program *prog, const srcset *src)
{
    const given *added = NULL;
    compile_modules(e, prog);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->kind == DECL_FUNCTION)
            func_compile(e, &d->u.func);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->kind == DECL_TEMPLATE)
            compile_template(e, &d->u.tmpl);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->kind == DECL_ASK)
            compile_ask(e, &d->u.ask);
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->kind == DECL_ASK && d->u.ask.items)
            compile_group(e, &d->u.ask);
    for (const ast_decl *d = prog->decls; d; d = d->next) {
        if (d->kind == DECL_FACTS) {
            const sym *name = d->u.facts.name.text
                                  ? sym_intern(&e->syms, d->u.facts.name.text, d->u.facts.name.len)
                                  : NULL;
            given *g = given_list(e, d->u.facts.facts, name);
            for (given *x = g; x; x = x->next)
                if (!x->next) {
                    if (e->facts_last)
                        e->facts_last->next = g;
                    else
                        e->facts_blocks = g;
                    e->facts_last = x;
                    if (!added)
                        added = g;
                }
        } else if (d->kind == DECL_CASE) {
            compile_case(e, src, d);
        }
    }
    /* rules last: each one's tree is freed once the next one is reached
     * (ast.h), so a knowledge base's trees and its network do not all
     * take room at once; nothing after this reads a rule's tree */
    for (const ast_decl *d = prog->decls; d; d = d->next)
        if (d->kind == DECL_RULE || d->kind == DECL_QUERY) {
            arena_free_before(prog->rules, d->u.rule.begin);
            compile_rule(e, src, d);
        }
    engine_settle(e);
    return added;
}

void compile_facts(engine *e, const given *g)
{
    engine_assert_given(e, g, SN_ORIGIN_FACTS);
    engine_settle(e);
}

