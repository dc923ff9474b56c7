/* dump.c — the syntax tree as text; see dump.h. */
#include "dump.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void indent(FILE *out, int depth)
{
    fprintf(out, "%*s", depth * 2, "");
}

static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        switch (*s) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        default: fputc(*s, out);
        }
    }
    fputc('"', out);
}

/* The shortest text that reads back as F, always with a '.' or an
 * exponent so it reads back as a float. */
static void put_float(FILE *out, double f)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    fputs(buf, out);
    if (!strpbrk(buf, ".eEn")) /* n: inf, nan */
        fputs(".0", out);
}

static void put_lit(FILE *out, const ast_lit *l)
{
    switch (l->type) {
    case TY_SYMBOL: fputs(l->u.s, out); break;
    case TY_STRING: put_string(out, l->u.s); break;
    case TY_INT: fprintf(out, "%" PRId64, l->u.i); break;
    case TY_FLOAT: put_float(out, l->u.f); break;
    }
}

static void put_expr(FILE *out, const ast_expr *e)
{
    switch (e->kind) {
    case EX_LIT:
        put_lit(out, &e->u.lit);
        break;
    case EX_VAR:
        fprintf(out, "?%s", e->u.var.text);
        break;
    case EX_CALL:
        fprintf(out, "(%s", e->u.call->fn.text);
        for (const ast_expr *a = e->u.call->args; a; a = a->next) {
            fputc(' ', out);
            put_expr(out, a);
        }
        fputc(')', out);
        break;
    case EX_BINARY:
        fprintf(out, "(%s ", ast_op_text(e->u.op.op));
        put_expr(out, e->u.op.lhs);
        fputc(' ', out);
        put_expr(out, e->u.op.rhs);
        fputc(')', out);
        break;
    case EX_UNARY:
        fprintf(out, "(%s ", ast_op_text(e->u.op.op));
        put_expr(out, e->u.op.lhs);
        fputc(')', out);
        break;
    }
}

static void put_cons(FILE *out, const ast_cons *c)
{
    switch (c->kind) {
    case CT_VAR:
        fprintf(out, "?%s", c->u.var.text ? c->u.var.text : "");
        break;
    case CT_LIT:
        put_lit(out, &c->u.lit);
        break;
    case CT_CMP:
        fprintf(out, "(%s ", ast_op_text(c->u.cmp.op));
        put_expr(out, c->u.cmp.rhs);
        fputc(')', out);
        break;
    case CT_PRED:
        fputs("(pred ", out);
        put_expr(out, c->u.pred);
        fputc(')', out);
        break;
    case CT_AND:
    case CT_OR:
        fprintf(out, "(%s ", c->kind == CT_AND ? "&" : "|");
        put_cons(out, c->u.bin.lhs);
        fputc(' ', out);
        put_cons(out, c->u.bin.rhs);
        fputc(')', out);
        break;
    }
}

static void put_pattern(FILE *out, const ast_pattern *p)
{
    if (p->binding)
        fprintf(out, "?%s <- ", p->binding->text);
    fprintf(out, "%s(", p->tmpl.text);
    for (const ast_slotcons *a = p->args; a; a = a->next) {
        if (a->name.text)
            fprintf(out, "%s: ", a->name.text);
        put_cons(out, a->cons);
        if (a->next)
            fputs(", ", out);
    }
    fputc(')', out);
}

static void put_fact(FILE *out, const ast_fact *f)
{
    fprintf(out, "%s(", f->tmpl.text);
    for (const ast_slotval *a = f->args; a; a = a->next) {
        if (a->name.text)
            fprintf(out, "%s: ", a->name.text);
        put_expr(out, a->value);
        if (a->next)
            fputs(", ", out);
    }
    fputc(')', out);
}

static void put_ces(FILE *out, const ast_ce *c, int depth);

static void put_ce(FILE *out, const ast_ce *c, int depth)
{
    indent(out, depth);
    switch (c->kind) {
    case CE_PATTERN:
        put_pattern(out, &c->u.pat);
        fputc('\n', out);
        break;
    case CE_NOT:
    case CE_EXISTS:
        fputs(c->kind == CE_NOT ? "not\n" : "exists\n", out);
        put_ce(out, c->u.sub, depth + 1);
        break;
    case CE_FORALL:
        fputs("forall\n", out);
        put_ce(out, c->u.forall.domain, depth + 1);
        put_ce(out, c->u.forall.body, depth + 1);
        break;
    case CE_OR:
        fputs("or\n", out);
        put_ces(out, c->u.list, depth + 1);
        break;
    case CE_AND:
        fputs("and\n", out);
        put_ces(out, c->u.list, depth + 1);
        break;
    case CE_TEST:
        fputs("test ", out);
        put_expr(out, c->u.test);
        fputc('\n', out);
        break;
    case CE_AGG:
        fprintf(out, "aggregate ?%s = %s", c->u.agg->var.text, c->u.agg->fn.text);
        if (c->u.agg->arg) {
            fputc(' ', out);
            put_expr(out, c->u.agg->arg);
        }
        fputc('\n', out);
        put_ce(out, c->u.agg->src, depth + 1);
        break;
    }
}

static void put_ces(FILE *out, const ast_ce *c, int depth)
{
    for (; c; c = c->next)
        put_ce(out, c, depth);
}

static void put_exprs(FILE *out, const ast_expr *e)
{
    for (; e; e = e->next) {
        fputc(' ', out);
        put_expr(out, e);
    }
}

static void put_cites(FILE *out, const ast_str *s)
{
    if (!s)
        return;
    fputs(" cites", out);
    for (; s; s = s->next) {
        fputc(' ', out);
        if (s->is_id)
            fputs(s->source ? s->source->id.text : s->text, out);
        else
            put_string(out, s->text);
    }
}

/* " a, b": the modules of a `focus`. */
static void put_modrefs(FILE *out, const ast_modref *m)
{
    for (const ast_modref *x = m; x; x = x->next)
        fprintf(out, "%s%s", x == m ? " " : ", ", x->name.text);
}

static void put_action(FILE *out, const ast_action *a)
{
    indent(out, 2);
    switch (a->kind) {
    case ACT_ASSERT:
        fputs("assert ", out);
        put_fact(out, &a->u.fact);
        break;
    case ACT_CONCLUDE:
        fputs("conclude ", out);
        put_fact(out, &a->u.conclude.fact);
        if (a->u.conclude.cf) {
            fputs(" cf ", out);
            put_expr(out, a->u.conclude.cf);
        }
        break;
    case ACT_RETRACT:
        fputs("retract", out);
        put_exprs(out, a->u.vars);
        break;
    case ACT_MODIFY:
        fprintf(out, "modify ?%s (", a->u.modify.var.text);
        for (const ast_slotval *v = a->u.modify.args; v; v = v->next) {
            fprintf(out, "%s: ", v->name.text ? v->name.text : "");
            put_expr(out, v->value);
            if (v->next)
                fputs(", ", out);
        }
        fputc(')', out);
        break;
    case ACT_BIND:
        fprintf(out, "bind ?%s ", a->u.bind.var.text);
        put_expr(out, a->u.bind.value);
        break;
    case ACT_PRINT:
        fputs("print", out);
        put_exprs(out, a->u.args);
        break;
    case ACT_RECOMMEND:
        fputs("recommend ", out);
        put_expr(out, a->u.recommend.text);
        put_cites(out, a->u.recommend.cites);
        break;
    case ACT_HALT:
        fputs("halt", out);
        break;
    case ACT_FOCUS:
        fputs("focus", out);
        put_modrefs(out, a->u.focus);
        break;
    }
    fputc('\n', out);
}

void ast_dump(FILE *out, const ast_program *prog)
{
    for (const ast_decl *d = prog->decls; d; d = d->next) {
        switch (d->kind) {
        case DECL_TEMPLATE:
            fprintf(out, "template %s\n", d->u.tmpl.name.text);
            for (const ast_slotdecl *s = d->u.tmpl.slots; s; s = s->next) {
                fprintf(out, "  %s: %s", s->name.text, s->type.text);
                if (s->dflt) {
                    fputs(" = ", out);
                    put_lit(out, s->dflt);
                }
                fputc('\n', out);
            }
            break;
        case DECL_RULE: {
            const ast_rule *r = &d->u.rule;
            fprintf(out, "rule %s", r->name.text);
            if (r->salience) {
                fputs(" salience ", out);
                put_lit(out, r->salience);
            }
            if (r->doc.text) {
                fputc(' ', out);
                put_string(out, r->doc.text);
            }
            put_cites(out, r->cites);
            if (r->module)
                fprintf(out, " module %s", r->module->name.text);
            fputs("\n  when\n", out);
            put_ces(out, r->conds, 2);
            fputs("  then\n", out);
            for (const ast_action *a = r->actions; a; a = a->next)
                put_action(out, a);
            break;
        }
        case DECL_FACTS:
            fprintf(out, "facts %s\n", d->u.facts.name.text ? d->u.facts.name.text : "");
            for (ast_fact *f = d->u.facts.facts; f; f = f->next) {
                arena_mark m = arena_get_mark(prog->scratch);
                indent(out, 1);
                put_fact(out, ast_fact_open(f, prog->scratch));
                fputc('\n', out);
                arena_rollback(prog->scratch, m);
            }
            break;
        case DECL_ASK:
            if (d->u.ask.items) {
                fprintf(out, "ask %s ", d->u.ask.tmpl.text);
                put_string(out, d->u.ask.question.text);
                for (const ast_item *it = d->u.ask.items; it; it = it->next) {
                    fprintf(out, "%s%s", it == d->u.ask.items ? " " : ", ", it->tmpl.text);
                    if (it->value) {
                        fputs(": ", out);
                        put_lit(out, it->value);
                    }
                }
                fputc('\n', out);
                break;
            }
            fprintf(out, "ask %s.%s%s ", d->u.ask.tmpl.text, d->u.ask.slot.text,
                    d->u.ask.multiple ? " multiple" : "");
            put_string(out, d->u.ask.question.text);
            for (const ast_lit *l = answer_first(&d->u.ask); l; l = answer_next(l)) {
                fputc(' ', out);
                put_lit(out, l);
            }
            fputc('\n', out);
            break;
        case DECL_QUERY:
            fprintf(out, "query %s", d->u.rule.name.text);
            put_exprs(out, d->u.rule.params);
            fputs("\n  when\n", out);
            put_ces(out, d->u.rule.conds, 2);
            if (d->u.rule.filters) {
                fputs("  for each match\n", out);
                put_ces(out, d->u.rule.filters, 2);
            }
            break;
        case DECL_FUNCTION:
            fprintf(out, "function %s", d->u.func.name.text);
            put_exprs(out, d->u.func.params);
            fputs("\n  = ", out);
            put_expr(out, d->u.func.body);
            fputc('\n', out);
            break;
        case DECL_CASE:
            fprintf(out, "case %s", d->u.kase.name.text);
            if (d->u.kase.doc.text) {
                fputc(' ', out);
                put_string(out, d->u.kase.doc.text);
            }
            fputs("\n  given\n", out);
            for (const ast_fact *f = d->u.kase.given; f; f = f->next) {
                indent(out, 2);
                put_fact(out, f);
                fputc('\n', out);
            }
            fputs("  expect\n", out);
            for (const ast_expect *e = d->u.kase.expects; e; e = e->next) {
                indent(out, 2);
                if (e->negated)
                    fputs("not ", out);
                put_pattern(out, &e->pat);
                fputc('\n', out);
            }
            break;
        case DECL_MODULE:
            fprintf(out, "module %s", d->u.module.name.text);
            if (d->u.module.doc.text) {
                fputc(' ', out);
                put_string(out, d->u.module.doc.text);
            }
            fputc('\n', out);
            break;
        case DECL_FOCUS:
            fputs("focus", out);
            put_modrefs(out, d->u.focus);
            fputc('\n', out);
            break;
        }
    }
    for (const ast_source *src = prog->sources; src; src = src->next) {
        fprintf(out, "source %s ", src->id.text);
        put_string(out, src->title.text);
        for (const ast_source_field *f = src->fields; f; f = f->next) {
            fprintf(out, " %s ", f->name.text);
            put_string(out, f->value.text);
        }
        fputc('\n', out);
    }
}
