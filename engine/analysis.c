/* analysis.c — sn_analyze: texts checked as `sinew check` checks files, and
 * every name they declare and use, for an editor's language server.
 *
 * The names are read from the syntax tree by name, not from the checker's
 * resolution (which is only valid in a program without errors), so a text
 * being edited, with errors in it, still has its names listed. A
 * declaration with a syntax error is left out of the tree, and so of the
 * list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../grammar/diag.h"
#include "../grammar/fmt.h"
#include "../grammar/front.h"
#include "load.h"

/* The symbols' text lives in an arena of its own sn_mem, both owned by
 * the analysis (strings_). */
typedef struct strings {
    sn_mem mem;
    arena *a;
} strings;

typedef struct collector {
    const ast_program *prog;
    const srcset *src;
    check_env *env;
    strings *st;
    sn_symbol *v;
    unsigned n, cap;
    bool failed;
} collector;

static const char *dup(collector *c, const char *s, size_t len)
{
    return arena_strndup(c->st->a, s ? s : "", s ? len : 0);
}

static sn_symbol *add(collector *c, sn_sym_kind kind, bool def, span sp, const char *name,
                      size_t len)
{
    if (c->n == c->cap) {
        unsigned cap = c->cap ? c->cap * 2 : 256;
        sn_symbol *grown = realloc(c->v, cap * sizeof *grown);
        if (!grown) {
            c->failed = true;
            return NULL;
        }
        c->v = grown;
        c->cap = cap;
    }
    sn_symbol *s = &c->v[c->n++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->definition = def;
    s->name = dup(c, name, len);
    s->tmpl = s->slot = s->detail = "";
    s->file = sp.file;
    const src_file *f = srcset_file(c->src, sp.file);
    src_position(f, sp.start, &s->line, &s->col);
    src_position(f, sp.end, &s->end_line, &s->end_col);
    return s;
}

static sn_symbol *add_name(collector *c, sn_sym_kind kind, bool def, const ast_name *n)
{
    return n->text ? add(c, kind, def, n->sp, n->text, n->len) : NULL;
}

static const ast_template *find_template(collector *c, const char *name)
{
    for (const ast_decl *x = c->prog->decls; x; x = x->next)
        if (x->kind == DECL_TEMPLATE && strcmp(x->u.tmpl.name.text, name) == 0)
            return &x->u.tmpl;
    return NULL;
}

/* The name of slot I (by position) of template T, or NULL. */
static const char *nth_slot(collector *c, const char *tmpl, unsigned i)
{
    const ast_template *t = find_template(c, tmpl);
    for (const ast_slotdecl *s = t ? t->slots : NULL; s; s = s->next, i--)
        if (i == 0)
            return s->name.text;
    return NULL;
}

static void value_use(collector *c, const ast_lit *l, const char *tmpl, const char *slot)
{
    if (!slot)
        return;
    const src_file *f = srcset_file(c->src, l->sp.file);
    sn_symbol *s = add(c, SN_SYM_VALUE, false, l->sp, f->text + l->sp.start, l->sp.end - l->sp.start);
    if (s) {
        s->tmpl = dup(c, tmpl, strlen(tmpl));
        s->slot = dup(c, slot, strlen(slot));
    }
}

static void cons_values(collector *c, const ast_cons *k, const char *tmpl, const char *slot)
{
    switch (k->kind) {
    case CT_LIT: value_use(c, &k->u.lit, tmpl, slot); break;
    case CT_CMP:
        if (k->u.cmp.rhs->kind == EX_LIT)
            value_use(c, &k->u.cmp.rhs->u.lit, tmpl, slot);
        break;
    case CT_AND:
    case CT_OR:
        cons_values(c, k->u.bin.lhs, tmpl, slot);
        cons_values(c, k->u.bin.rhs, tmpl, slot);
        break;
    default: break;
    }
}

static void slot_use(collector *c, const ast_name *n, const char *tmpl)
{
    sn_symbol *s = add_name(c, SN_SYM_SLOT, false, n);
    if (s)
        s->tmpl = dup(c, tmpl, strlen(tmpl));
}

static void pattern(collector *c, const ast_pattern *p)
{
    add_name(c, SN_SYM_TEMPLATE, false, &p->tmpl);
    unsigned i = 0;
    for (const ast_slotcons *a = p->args; a; a = a->next, i++) {
        const char *slot = a->name.text;
        if (slot && strcmp(slot, "cf") != 0)
            slot_use(c, &a->name, p->tmpl.text);
        else if (!slot)
            slot = nth_slot(c, p->tmpl.text, i);
        if (slot && strcmp(slot, "cf") != 0)
            cons_values(c, a->cons, p->tmpl.text, slot);
    }
}

static void slotvals(collector *c, const ast_slotval *v, const char *tmpl)
{
    unsigned i = 0;
    for (; v; v = v->next, i++) {
        const char *slot = v->name.text;
        if (slot && strcmp(slot, "cf") != 0)
            slot_use(c, &v->name, tmpl);
        else if (!slot)
            slot = nth_slot(c, tmpl, i);
        if (slot && tmpl && v->value->kind == EX_LIT)
            value_use(c, &v->value->u.lit, tmpl, slot);
    }
}

static void fact(collector *c, const ast_fact *f)
{
    add_name(c, SN_SYM_TEMPLATE, false, &f->tmpl);
    slotvals(c, f->args, f->tmpl.text);
}

static void ces(collector *c, const ast_ce *ce)
{
    for (; ce; ce = ce->next) {
        switch (ce->kind) {
        case CE_PATTERN: pattern(c, &ce->u.pat); break;
        case CE_NOT:
        case CE_EXISTS: ces(c, ce->u.sub); break;
        case CE_FORALL:
            ces(c, ce->u.forall.domain);
            ces(c, ce->u.forall.body);
            break;
        case CE_OR:
        case CE_AND: ces(c, ce->u.list); break;
        case CE_TEST: break;
        case CE_AGG: ces(c, ce->u.agg->src); break;
        }
    }
}

static void cites(collector *c, const ast_str *s)
{
    for (; s; s = s->next)
        if (s->is_id)
            add(c, SN_SYM_SOURCE, false, s->sp, s->text, s->len);
}

/* The template of the fact variable ?NAME in rule R: the pattern it was
 * bound to with `<-`. */
static const char *bound_template(const ast_ce *ce, const ast_name *var)
{
    for (; ce; ce = ce->next)
        if (ce->kind == CE_PATTERN && ce->u.pat.binding &&
            strcmp(ce->u.pat.binding->text, var->text) == 0)
            return ce->u.pat.tmpl.text;
    return NULL;
}

static void actions(collector *c, const ast_rule *r)
{
    for (const ast_action *a = r->actions; a; a = a->next) {
        switch (a->kind) {
        case ACT_ASSERT: fact(c, &a->u.fact); break;
        case ACT_CONCLUDE: fact(c, &a->u.conclude.fact); break;
        case ACT_MODIFY: {
            const char *t = bound_template(r->conds, &a->u.modify.var);
            if (t)
                slotvals(c, a->u.modify.args, t);
            break;
        }
        case ACT_RECOMMEND: cites(c, a->u.recommend.cites); break;
        default: break;
        }
    }
}

/* ---- what a hover shows ---- */

static void put(fmt_buf *b, const char *s)
{
    fmt_buf_put(b, s, strlen(s));
}

static const char *finish(collector *c, fmt_buf *b)
{
    return dup(c, b->text, b->len);
}

static void put_src(fmt_buf *b, const srcset *src, span sp)
{
    const src_file *f = srcset_file(src, sp.file);
    fmt_buf_put(b, f->text + sp.start, sp.end - sp.start);
}

static void put_cites(collector *c, fmt_buf *b, const ast_str *s)
{
    for (; s; s = s->next) {
        put(b, "\n  ");
        const char *label = s->is_id ? check_env_source(c->env, s->text, s->len, NULL) : NULL;
        if (s->source) { /* declared in these texts: [ID] TITLE */
            put(b, "[");
            put(b, s->source->id.text);
            put(b, "] ");
            put(b, s->source->title.text);
        } else if (label) {
            put(b, label);
        } else {
            put_src(b, c->src, s->sp);
        }
    }
}

static const char *template_detail(collector *c, const ast_template *t)
{
    fmt_buf b = {.arena = c->st->a};
    put(&b, "template ");
    put(&b, t->name.text);
    put(&b, " {");
    for (const ast_slotdecl *s = t->slots; s; s = s->next) {
        put(&b, "\n    ");
        put_src(&b, c->src, s->sp);
    }
    put(&b, t->slots ? "\n}" : "}");
    return finish(c, &b);
}

static const char *ask_detail(collector *c, const ast_ask *k)
{
    fmt_buf b = {.arena = c->st->a};
    put(&b, "ask ");
    put(&b, k->tmpl.text);
    put(&b, ".");
    put(&b, k->slot.text);
    put(&b, " ");
    put_src(&b, c->src, k->question.sp);
    if (k->multiple)
        put(&b, " multiple");
    put(&b, "\n    ");
    for (const ast_lit *l = answer_first(k); l; l = answer_next(l)) {
        put_src(&b, c->src, l->sp);
        if (answer_next(l))
            put(&b, ", ");
    }
    return finish(c, &b);
}

static const char *rule_detail(collector *c, const ast_rule *r)
{
    fmt_buf b = {.arena = c->st->a};
    put(&b, "rule ");
    put(&b, r->name.text);
    if (r->doc.text) {
        put(&b, "\n");
        put(&b, r->doc.text);
    }
    if (r->cites) {
        put(&b, "\nsources:");
        put_cites(c, &b, r->cites);
    }
    if (r->salience) {
        put(&b, "\nsalience ");
        put_src(&b, c->src, r->salience->sp);
    }
    return finish(c, &b);
}

static void declarations(collector *c)
{
    for (const ast_decl *x = c->prog->decls; x; x = x->next) {
        sn_symbol *s;
        switch (x->kind) {
        case DECL_TEMPLATE: {
            const ast_template *t = &x->u.tmpl;
            if ((s = add_name(c, SN_SYM_TEMPLATE, true, &t->name)))
                s->detail = template_detail(c, t);
            for (const ast_slotdecl *d = t->slots; d; d = d->next)
                if ((s = add_name(c, SN_SYM_SLOT, true, &d->name))) {
                    s->tmpl = dup(c, t->name.text, t->name.len);
                    fmt_buf b = {.arena = c->st->a};
                    put(&b, t->name.text);
                    put(&b, ".");
                    put_src(&b, c->src, d->sp);
                    s->detail = finish(c, &b);
                }
            break;
        }
        case DECL_RULE: {
            const ast_rule *r = &x->u.rule;
            if ((s = add_name(c, SN_SYM_RULE, true, &r->name)))
                s->detail = rule_detail(c, r);
            cites(c, r->cites);
            ces(c, r->conds);
            actions(c, r);
            break;
        }
        case DECL_FACTS:
            if ((s = add_name(c, SN_SYM_FACTS, true, &x->u.facts.name))) {
                unsigned n = 0;
                for (const ast_fact *f = x->u.facts.facts; f; f = f->next)
                    n++;
                char buf[64];
                snprintf(buf, sizeof buf, " (%u %s)", n, n == 1 ? "fact" : "facts");
                fmt_buf b = {.arena = c->st->a};
                put(&b, "facts ");
                put(&b, x->u.facts.name.text);
                put(&b, buf);
                s->detail = finish(c, &b);
            }
            for (ast_fact *f = x->u.facts.facts; f; f = f->next) {
                arena_mark m = arena_get_mark(c->prog->scratch);
                fact(c, ast_fact_open(f, c->prog->scratch));
                arena_rollback(c->prog->scratch, m);
            }
            break;
        case DECL_ASK: {
            const ast_ask *k = &x->u.ask;
            const char *detail = ask_detail(c, k);
            span sp = {k->tmpl.sp.start, k->slot.sp.end, k->tmpl.sp.file};
            fmt_buf b = {.arena = c->st->a};
            put(&b, k->tmpl.text);
            put(&b, ".");
            put(&b, k->slot.text);
            if ((s = add(c, SN_SYM_ASK, true, sp, b.text, b.len))) {
                s->tmpl = dup(c, k->tmpl.text, k->tmpl.len);
                s->slot = dup(c, k->slot.text, k->slot.len);
                s->detail = detail;
            }
            add_name(c, SN_SYM_TEMPLATE, false, &k->tmpl);
            slot_use(c, &k->slot, k->tmpl.text);
            for (const ast_lit *l = answer_first(k); l; l = answer_next(l)) {
                const src_file *f = srcset_file(c->src, l->sp.file);
                if ((s = add(c, SN_SYM_VALUE, true, l->sp, f->text + l->sp.start,
                             l->sp.end - l->sp.start))) {
                    s->tmpl = dup(c, k->tmpl.text, k->tmpl.len);
                    s->slot = dup(c, k->slot.text, k->slot.len);
                    s->detail = detail;
                }
            }
            break;
        }
        case DECL_QUERY:
            if ((s = add_name(c, SN_SYM_QUERY, true, &x->u.rule.name))) {
                fmt_buf b = {.arena = c->st->a};
                put_src(&b, c->src, (span){x->sp.start, x->u.rule.name.sp.end, x->sp.file});
                s->detail = finish(c, &b);
            }
            ces(c, x->u.rule.conds);
            ces(c, x->u.rule.filters);
            break;
        case DECL_FUNCTION:
            if ((s = add_name(c, SN_SYM_FUNCTION, true, &x->u.func.name))) {
                fmt_buf b = {.arena = c->st->a};
                put_src(&b, c->src, x->sp);
                s->detail = finish(c, &b);
            }
            break;
        case DECL_CASE: {
            const ast_case *k = &x->u.kase;
            if ((s = add_name(c, SN_SYM_CASE, true, &k->name))) {
                fmt_buf b = {.arena = c->st->a};
                put(&b, "case ");
                put(&b, k->name.text);
                if (k->doc.text) {
                    put(&b, "\n");
                    put(&b, k->doc.text);
                }
                s->detail = finish(c, &b);
            }
            for (const ast_fact *f = k->given; f; f = f->next)
                fact(c, f);
            for (const ast_expect *e = k->expects; e; e = e->next)
                pattern(c, &e->pat);
            break;
        }
        case DECL_MODULE:
        case DECL_FOCUS:
            break;
        }
    }
    for (const ast_source *src = c->prog->sources; src; src = src->next) {
        sn_symbol *s = add_name(c, SN_SYM_SOURCE, true, &src->id);
        if (!s)
            continue;
        fmt_buf b = {.arena = c->st->a};
        put(&b, "source ");
        put(&b, src->id.text);
        put(&b, " ");
        put_src(&b, c->src, src->title.sp);
        for (const ast_source_field *f = src->fields; f; f = f->next) {
            put(&b, "\n    ");
            put(&b, f->name.text);
            put(&b, " ");
            put_src(&b, c->src, f->value.sp);
        }
        s->detail = finish(c, &b);
    }
}

static int by_place(const void *a, const void *b)
{
    const sn_symbol *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

sn_status sn_analyze(const char *const *names, const char *const *texts, const size_t *lens,
                     unsigned n, sn_analysis *out)
{
    memset(out, 0, sizeof *out);
    standalone s;
    standalone_init(&s);
    for (unsigned i = 0; i < n; i++)
        if (srcset_add(&s.src, names[i], texts[i], lens[i]) < 0)
            diag_add_file(&s.d, DIAG_ERROR, E_NOMEM, names[i], "out of memory reading this text");
    if (s.d.nerrors == 0)
        standalone_build(&s, 0, n, n ? names[0] : "");
    ast_program *prog = s.prog;

    strings *st = calloc(1, sizeof *st);
    if (st) {
        mem_init(&st->mem);
        st->a = arena_new(&st->mem);
    }
    collector c = {.prog = prog, .src = &s.src, .env = s.env, .st = st};
    if (prog && st && st->a) {
        jmp_buf here;
        if (setjmp(here) == 0) {
            st->mem.oom = &here;
            declarations(&c);
        } else {
            c.failed = true;
        }
        st->mem.oom = NULL;
    }
    if (c.failed || (prog && !(st && st->a)))
        diag_add_file(&s.d, DIAG_ERROR, E_NOMEM, n ? names[0] : "",
                      "out of memory while listing the names");
    if (c.v)
        qsort(c.v, c.n, sizeof *c.v, by_place);
    out->n = c.n;
    out->symbols = c.v;
    out->strings_ = st;
    return standalone_end(&s, &out->report, false);
}

void sn_analysis_free(sn_analysis *a)
{
    if (!a)
        return;
    sn_report_free(&a->report);
    free(a->symbols);
    strings *st = a->strings_;
    if (st) {
        arena_free(st->a);
        mem_fini(&st->mem);
        free(st);
    }
    memset(a, 0, sizeof *a);
}
