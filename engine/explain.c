/* explain.c — why, how and why-not, as text, JSON and Graphviz DOT.
 *
 * Everything here reads the justification records (engine.c) and the
 * network's partial matches (rete.c); nothing is re-run. Output goes to a
 * FILE the caller owns.
 */
#include <stdlib.h>
#include <string.h>

#include "../grammar/front.h"
#include "internal.h"

/* ---- small writers ------------------------------------------------------ */

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        /* the run of characters that need no escape, in one write */
        size_t n = 0;
        while (s[n] && s[n] != '"' && s[n] != '\\' && (unsigned char)s[n] >= 0x20)
            n++;
        if (n) {
            fwrite(s, 1, n, out);
            s += n - 1;
            continue;
        }
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (c < 0x20)
                fprintf(out, "\\u%04x", c);
            else
                fputc(c, out);
        }
    }
    fputc('"', out);
}

static void dot_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n') {
            fputs("\\n", out);
            continue;
        }
        fputc(*s, out);
    }
    fputc('"', out);
}

static char *fact_text(const struct fact *f)
{
    size_t n = sn_fact_format(f, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        sn_fact_format(f, s, n + 1);
    return s;
}

static const char *origin_text(const struct fact *f, char *buf, size_t size)
{
    switch (f->origin) {
    case SN_ORIGIN_TYPED: return "given (typed in)";
    case SN_ORIGIN_FACTS:
        if (f->source)
            snprintf(buf, size, "given (facts block %s)", f->source->text);
        else
            snprintf(buf, size, "given (a facts block)");
        return buf;
    case SN_ORIGIN_CASE:
        snprintf(buf, size, "given (case %s)", f->source ? f->source->text : "?");
        return buf;
    case SN_ORIGIN_RULE: return "asserted by a rule";
    case SN_ORIGIN_CONCLUDED: return "concluded";
    }
    return "";
}

static const char *origin_word(const struct fact *f)
{
    switch (f->origin) {
    case SN_ORIGIN_TYPED: return "typed";
    case SN_ORIGIN_FACTS: return "facts";
    case SN_ORIGIN_CASE: return "case";
    case SN_ORIGIN_RULE: return "asserted";
    case SN_ORIGIN_CONCLUDED: return "concluded";
    }
    return "";
}

static void fact_line(FILE *out, const struct fact *f)
{
    fprintf(out, "#%llu ", (unsigned long long)f->id);
    sn_fact_write(out, f);
    fprintf(out, " cf %.2f", f->cf);
    if (!f->live)
        fputs(" (withdrawn)", out);
}

static void fact_by_id_line(engine *e, FILE *out, uint64_t id)
{
    struct fact *f = sn_fact_by_id(e, id);
    if (f)
        fact_line(out, f);
    else
        fprintf(out, "#%llu (since retracted)", (unsigned long long)id);
}

/* ---- why ------------------------------------------------------------------ */

static void cf_arithmetic(FILE *out, const struct fact *f)
{
    double mb = f->asserted ? 1.0 : 0.0, md = 0.0;
    unsigned npos = 0, nneg = 0;
    for (const struct just *j = f->justs; j; j = j->next)
        if (j->active && j->kind == J_CONCLUDE) {
            if (j->cf >= 0)
                npos++;
            else
                nneg++;
        }
    if (npos + nneg < 2 && !(f->asserted && npos + nneg > 0))
        return;
    fputs("  certainty:", out);
    bool first = true;
    if (f->asserted) {
        fputs(" 1.00 (given)", out);
        first = false;
    }
    for (const struct just *j = f->justs; j; j = j->next) {
        if (!j->active || j->kind != J_CONCLUDE || j->cf < 0)
            continue;
        if (first)
            fprintf(out, " %.2f", j->cf);
        else
            fprintf(out, " + %.2f x (1 - %.2f)", j->cf, mb);
        mb = mb + j->cf * (1 - mb);
        if (!first)
            fprintf(out, " = %.2f", mb);
        first = false;
    }
    if (nneg) {
        fputs(npos || f->asserted ? "; against:" : " against:", out);
        bool f2 = true;
        for (const struct just *j = f->justs; j; j = j->next) {
            if (!j->active || j->kind != J_CONCLUDE || j->cf >= 0)
                continue;
            if (f2)
                fprintf(out, " %.2f", -j->cf);
            else
                fprintf(out, " + %.2f x (1 - %.2f)", -j->cf, md);
            md = md - j->cf * (1 - md);
            if (!f2)
                fprintf(out, " = %.2f", md);
            f2 = false;
        }
        double m = mb < md ? mb : md;
        fprintf(out, "; combined (%.2f - %.2f) / (1 - %.2f) = %.2f", mb, md, m, f->cf);
    }
    fputc('\n', out);
}

/* The doc string in quotes, wrapped at WIDTH columns under INDENT. */
static void wrap(FILE *out, const char *text, const char *indent, size_t width)
{
    size_t col = 0, ind = strlen(indent) + 5;
    fprintf(out, "%s    \"", indent);
    col = ind;
    const char *p = text;
    while (*p) {
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - w);
        if (col > ind && col + 1 + len > width) {
            fprintf(out, "\n%s     ", indent);
            col = ind;
        } else if (col > ind) {
            fputc(' ', out);
            col++;
        }
        fwrite(w, 1, len, out);
        col += len;
        while (*p == ' ')
            p++;
    }
    fputs("\"\n", out);
}

static void just_text(engine *e, FILE *out, const struct just *j, unsigned n, const char *indent)
{
    const struct rule *r = j->r;
    fprintf(out, "%s[%u] %s %s (%s), firing %llu%s\n", indent, n,
            j->kind == J_CONCLUDE ? "concluded by rule" : "asserted by rule", r->name->text,
            r->where, (unsigned long long)j->firing, j->active ? "" : ", WITHDRAWN");
    if (r->doc[0])
        wrap(out, r->doc, indent, 76);
    for (uint32_t i = 0; i < r->ncites; i++)
        fprintf(out, "%s    %s %s\n", indent, i ? "    " : "cites", r->cites[i]);
    bool first = true;
    for (uint32_t i = 0; i < j->nfacts; i++) {
        if (!j->facts[i])
            continue;
        fprintf(out, "%s    %s ", indent, first ? "matched" : "       ");
        fact_by_id_line(e, out, j->facts[i]);
        fputc('\n', out);
        first = false;
    }
    if (j->binds && j->p->nvars) {
        fprintf(out, "%s    with   ", indent);
        for (uint32_t i = 0; i < j->p->nvars; i++) {
            char buf[128];
            value_format(buf, sizeof buf, j->binds[i]);
            fprintf(out, "%s?%s = %s", i ? ", " : "", j->p->vars[i].name, buf);
        }
        fputc('\n', out);
    }
    if (j->kind == J_CONCLUDE)
        fprintf(out, "%s    cf     %.2f (rule) x %.2f (least certain fact matched) = %.2f\n", indent,
                j->rule_cf, j->min_cf, j->cf);
    if (!j->active && j->withdrawn)
        fprintf(out, "%s    withdrawn: %s\n", indent, j->withdrawn);
}

static void fact_json_head(FILE *out, const struct fact *f, const char *schema);

static void just_json(engine *e, FILE *out, const struct just *j)
{
    const struct rule *r = j->r;
    fputs("{\"rule\":", out);
    json_str(out, r->name->text);
    fputs(",\"where\":", out);
    json_str(out, r->where);
    fputs(",\"doc\":", out);
    json_str(out, r->doc);
    fputs(",\"cites\":[", out);
    for (uint32_t i = 0; i < r->ncites; i++) {
        if (i)
            fputc(',', out);
        json_str(out, r->cites[i]);
    }
    fprintf(out, "],\"kind\":\"%s\",\"active\":%s,\"firing\":%llu",
            j->kind == J_CONCLUDE ? "conclude" : "assert", j->active ? "true" : "false",
            (unsigned long long)j->firing);
    if (j->kind == J_CONCLUDE)
        fprintf(out, ",\"rule_cf\":%.6g,\"min_cf\":%.6g,\"cf\":%.6g", j->rule_cf, j->min_cf, j->cf);
    fputs(",\"matched\":[", out);
    bool first = true;
    for (uint32_t i = 0; i < j->nfacts; i++) {
        if (!j->facts[i])
            continue;
        if (!first)
            fputc(',', out);
        first = false;
        struct fact *f = sn_fact_by_id(e, j->facts[i]);
        if (f) {
            fact_json_head(out, f, NULL);
            fputc('}', out);
        } else {
            fprintf(out, "{\"id\":%llu,\"retracted\":true}", (unsigned long long)j->facts[i]);
        }
    }
    fputs("],\"bindings\":{", out);
    for (uint32_t i = 0; j->binds && i < j->p->nvars; i++) {
        char buf[256];
        value_format(buf, sizeof buf, j->binds[i]);
        if (i)
            fputc(',', out);
        json_str(out, j->p->vars[i].name);
        fputc(':', out);
        json_str(out, buf);
    }
    fputc('}', out);
    if (!j->active) {
        fputs(",\"withdrawn\":", out);
        json_str(out, j->withdrawn ? j->withdrawn : "");
    }
    fputc('}', out);
}

/* A fact as a JSON object, left open for more members. SCHEMA, when not
 * NULL, names the document's shape first ("sinew.why/1"): every JSON
 * document sinew writes says which it is (docs/schema/). */
static void fact_json_head(FILE *out, const struct fact *f, const char *schema)
{
    char *t = fact_text(f);
    if (schema)
        fprintf(out, "{\"schema\":\"%s\",\"id\":%llu,\"fact\":", schema, (unsigned long long)f->id);
    else
        fprintf(out, "{\"id\":%llu,\"fact\":", (unsigned long long)f->id);
    json_str(out, t);
    free(t);
    fputs(",\"template\":", out);
    json_str(out, f->t->name->text);
    fputs(",\"slots\":{", out);
    for (uint32_t i = 0; i < f->t->nslots; i++) {
        char buf[256];
        if (i)
            fputc(',', out);
        json_str(out, f->t->slots[i].name->text);
        fputc(':', out);
        if (f->slots[i].type == V_INT || f->slots[i].type == V_FLOAT) {
            value_format(buf, sizeof buf, f->slots[i]);
            fputs(buf, out);
        } else {
            json_str(out, f->slots[i].type == V_NIL ? "nil" : f->slots[i].u.s->text);
        }
    }
    fprintf(out, "},\"cf\":%.6g,\"live\":%s,\"origin\":\"%s\"", f->cf, f->live ? "true" : "false",
            origin_word(f));
    if (f->source) {
        fputs(",\"source\":", out);
        json_str(out, f->source->text);
    }
}

void sn_explain_why(sn_engine *e, const sn_fact *f, sn_format fmt, FILE *out)
{
    if (fmt == SN_JSON) {
        fact_json_head(out, f, "sinew.why/1");
        fputs(",\"justifications\":[", out);
        bool first = true;
        for (const struct just *j = f->justs; j; j = j->next) {
            if (!first)
                fputc(',', out);
            first = false;
            just_json(e, out, j);
        }
        fputs("]}\n", out);
        return;
    }
    fact_line(out, f);
    fputc('\n', out);
    char buf[128];
    if (f->asserted && f->origin != SN_ORIGIN_RULE)
        fprintf(out, "  %s\n", origin_text(f, buf, sizeof buf));
    unsigned n = 0;
    for (const struct just *j = f->justs; j; j = j->next)
        n++;
    if (n == 0 && !f->asserted)
        fputs("  no record (recording was off)\n", out);
    unsigned i = n;
    /* oldest first reads best: records are kept newest first */
    const struct just **v = malloc((n + 1) * sizeof *v);
    if (!v)
        return;
    for (const struct just *j = f->justs; j; j = j->next)
        v[--i] = j;
    for (i = 0; i < n; i++)
        just_text(e, out, v[i], i + 1, "  ");
    free(v);
    cf_arithmetic(out, f);
    if (f->live && f->cf < e->threshold)
        fprintf(out, "  below the threshold %.2f: no rule's pattern sees it unless it tests cf\n",
                e->threshold);
}

/* ---- how ------------------------------------------------------------------ */

typedef struct seen {
    uint64_t *ids;
    size_t n, cap;
} seen;

static bool seen_has(const seen *s, uint64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return true;
    return false;
}

static void seen_add(seen *s, uint64_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        uint64_t *v = realloc(s->ids, cap * sizeof *v);
        if (!v)
            return;
        s->ids = v;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
}

static void how_text(engine *e, FILE *out, const struct fact *f, unsigned depth, seen *path)
{
    char buf[128];
    for (unsigned i = 0; i < depth; i++)
        fputs("    ", out);
    fact_line(out, f);
    if (f->asserted && f->origin != SN_ORIGIN_RULE)
        fprintf(out, ", %s", origin_text(f, buf, sizeof buf));
    if (seen_has(path, f->id) || depth > 60) {
        fputs(" (see above)\n", out);
        return;
    }
    fputc('\n', out);
    seen_add(path, f->id);
    for (const struct just *j = f->justs; j; j = j->next) {
        if (!j->active)
            continue;
        for (unsigned i = 0; i < depth; i++)
            fputs("    ", out);
        fprintf(out, "  <- rule %s", j->r->name->text);
        if (j->kind == J_CONCLUDE)
            fprintf(out, ", cf %.2f x %.2f = %.2f", j->rule_cf, j->min_cf, j->cf);
        else
            fputs(", asserted", out);
        for (uint32_t i = 0; i < j->r->ncites; i++)
            fprintf(out, "%s%s", i ? ", " : " [", j->r->cites[i]);
        if (j->r->ncites)
            fputc(']', out);
        fputc('\n', out);
        for (uint32_t i = 0; i < j->nfacts; i++) {
            if (!j->facts[i])
                continue;
            struct fact *g = sn_fact_by_id(e, j->facts[i]);
            if (g) {
                how_text(e, out, g, depth + 1, path);
            } else {
                for (unsigned k = 0; k <= depth; k++)
                    fputs("    ", out);
                fprintf(out, "#%llu (since retracted)\n", (unsigned long long)j->facts[i]);
            }
        }
    }
    path->n--;
}

/* The proof of F: its active justifications, each with the facts it
 * matched, and theirs in turn, under the names `why` uses. */
static void how_json(engine *e, FILE *out, const struct fact *f, unsigned depth, seen *path)
{
    fact_json_head(out, f, depth == 0 ? "sinew.how/1" : NULL);
    if (seen_has(path, f->id) || depth > 60) {
        fputs(",\"cycle\":true}", out);
        return;
    }
    seen_add(path, f->id);
    fputs(",\"justifications\":[", out);
    bool first = true;
    for (const struct just *j = f->justs; j; j = j->next) {
        if (!j->active)
            continue;
        if (!first)
            fputc(',', out);
        first = false;
        fputs("{\"rule\":", out);
        json_str(out, j->r->name->text);
        fputs(",\"where\":", out);
        json_str(out, j->r->where);
        fputs(",\"cites\":[", out);
        for (uint32_t i = 0; i < j->r->ncites; i++) {
            if (i)
                fputc(',', out);
            json_str(out, j->r->cites[i]);
        }
        fputc(']', out);
        if (j->kind == J_CONCLUDE)
            fprintf(out, ",\"rule_cf\":%.6g,\"min_cf\":%.6g,\"cf\":%.6g", j->rule_cf, j->min_cf, j->cf);
        fprintf(out, ",\"kind\":\"%s\"", j->kind == J_CONCLUDE ? "conclude" : "assert");
        fputs(",\"matched\":[", out);
        bool f2 = true;
        for (uint32_t i = 0; i < j->nfacts; i++) {
            if (!j->facts[i])
                continue;
            if (!f2)
                fputc(',', out);
            f2 = false;
            struct fact *g = sn_fact_by_id(e, j->facts[i]);
            if (g)
                how_json(e, out, g, depth + 1, path);
            else
                fprintf(out, "{\"id\":%llu,\"retracted\":true}", (unsigned long long)j->facts[i]);
        }
        fputs("]}", out);
    }
    fputs("]}", out);
    path->n--;
}

static void how_dot(engine *e, FILE *out, const struct fact *f, seen *done)
{
    if (seen_has(done, f->id))
        return;
    seen_add(done, f->id);
    char *t = fact_text(f);
    char label[1024];
    snprintf(label, sizeof label, "#%llu %s\ncf %.2f%s", (unsigned long long)f->id, t ? t : "", f->cf,
             f->asserted && f->origin != SN_ORIGIN_RULE ? " (given)" : "");
    free(t);
    fprintf(out, "  f%llu [shape=box, style=\"rounded%s\", label=", (unsigned long long)f->id,
            f->asserted && f->origin != SN_ORIGIN_RULE ? ",filled\", fillcolor=\"#e8f0fe" : "");
    dot_str(out, label);
    fputs("];\n", out);
    unsigned n = 0;
    for (const struct just *j = f->justs; j; j = j->next, n++) {
        if (!j->active)
            continue;
        char rl[512];
        if (j->kind == J_CONCLUDE)
            snprintf(rl, sizeof rl, "%s\ncf %.2f x %.2f = %.2f", j->r->name->text, j->rule_cf, j->min_cf,
                     j->cf);
        else
            snprintf(rl, sizeof rl, "%s\n(assert)", j->r->name->text);
        fprintf(out, "  r%llu_%u [shape=ellipse, label=", (unsigned long long)f->id, n);
        dot_str(out, rl);
        fprintf(out, "];\n  r%llu_%u -> f%llu;\n", (unsigned long long)f->id, n, (unsigned long long)f->id);
        for (uint32_t i = 0; i < j->nfacts; i++) {
            if (!j->facts[i])
                continue;
            struct fact *g = sn_fact_by_id(e, j->facts[i]);
            if (!g)
                continue;
            how_dot(e, out, g, done);
            fprintf(out, "  f%llu -> r%llu_%u;\n", (unsigned long long)g->id, (unsigned long long)f->id, n);
        }
    }
}

void sn_explain_how(sn_engine *e, const sn_fact *f, sn_format fmt, FILE *out)
{
    seen s = {0};
    switch (fmt) {
    case SN_TEXT: how_text(e, out, f, 0, &s); break;
    case SN_JSON:
        how_json(e, out, f, 0, &s);
        fputc('\n', out);
        break;
    case SN_DOT:
        fputs("digraph proof {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n", out);
        how_dot(e, out, f, &s);
        fputs("}\n", out);
        break;
    }
    free(s.ids);
}

/* ---- why not ------------------------------------------------------------- */

typedef struct candidate {
    const prod *p;
    uint32_t held;           /* conditions that hold, from the first */
    const char *status;      /* what happened, when all held */
    char detail[512];
} candidate;

/* Could action A make a fact the pattern's constants allow? */
static bool could_make(engine *e, const cact *a, const struct tmpl *t, const ast_pattern *pat)
{
    if ((a->kind != A_CONCLUDE && a->kind != A_ASSERT && a->kind != A_MODIFY) || a->t != t)
        return false;
    int32_t pos = 0;
    for (const ast_slotcons *sc = pat->args; sc; sc = sc->next) {
        if (sc->name.text && sc->name.len == 2 && memcmp(sc->name.text, "cf", 2) == 0)
            continue;
        int32_t s = sc->name.text ? slot_index(t, sc->name.text, sc->name.len) : pos++;
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
static void why_stuck(engine *e, const prod *p, uint32_t level, char *buf, size_t size)
{
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
    case N_NEG: {
        /* a fact that blocks one of the partial matches */
        const struct fact *blocker = NULL;
        for (uint32_t i = 0; n->mem.b && i <= n->mem.mask && !blocker; i++)
            for (const token *t = n->mem.b[i]; t && !blocker; t = t->bnext) {
                if (t->dead || t->count == 0)
                    continue;
                for (const aentry *a = n->am->idx.b ? n->am->idx.b[t->hash & n->am->idx.mask] : NULL; a;
                     a = a->bnext)
                    if (a->hash == t->hash) {
                        blocker = a->f;
                        break;
                    }
            }
        if (blocker) {
            char fb[256];
            sn_fact_format(blocker, fb, sizeof fb);
            SAY("blocked by #%llu %s cf %.2f", (unsigned long long)blocker->id, fb, blocker->cf);
        } else {
            SAY("blocked by a fact that matches it");
        }
        break;
    }
    case N_NCC:
        SAY("%s", n->exists ? "nothing matches the whole group" : "blocked: the group matches");
        break;
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
        for (const token *k = term->mem.b[i]; k; k = k->bnext)
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

bool sn_explain_whynot(sn_engine *e, const char *pattern, sn_format fmt, FILE *out, sn_report *r)
{
    const ast_pattern *pat;
    ast_program *prog = parse_pattern(e, pattern, r, &pat);
    if (!prog)
        return false;
    struct tmpl *t = tmpl_find(e, pat->tmpl.text, pat->tmpl.len);
    bool tests_cf;
    cexpr *test = compile_pattern_test(e, t, pat, &tests_cf);
    /* is it there after all? */
    const struct fact *there = NULL, *weak = NULL;
    for (const struct fact *f = t->first; f; f = f->tnext) {
        ectx c = {.e = e, .f = (struct fact *)f};
        if (test && (!cx_truth(cx_eval(&c, test)) || c.failed))
            continue;
        if (tests_cf || f->cf >= e->threshold)
            there = there ? there : f;
        else
            weak = weak ? weak : f;
    }
    size_t cap = 16, n = 0;
    candidate *v = malloc(cap * sizeof *v);
    for (const struct rule *ru = e->rules; ru && v; ru = ru->next) {
        if (ru->removed)
            continue;
        for (uint32_t i = 0; i < ru->nprods; i++) {
            const prod *p = ru->prods[i];
            bool makes = false;
            for (const cact *a = p->actions; a && !makes; a = a->next)
                makes = could_make(e, a, t, pat);
            if (!makes)
                continue;
            if (n == cap) {
                candidate *w = realloc(v, (cap *= 2) * sizeof *v);
                if (!w)
                    break;
                v = w;
            }
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
                why_stuck(e, p, c->held + 1, c->detail, sizeof c->detail);
        }
    }
    if (v)
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
    char *text = NULL;
    {
        size_t m = strlen(pattern);
        text = malloc(m + 1);
        if (text)
            memcpy(text, pattern, m + 1);
    }
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
            ectx c = {.e = e, .f = (struct fact *)f};
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
    free(text);
    free(v);
    ast_program_free(prog);
    return true;
}

void sn_fact_json(FILE *out, const sn_fact *f)
{
    fact_json_head(out, f, NULL);
    fputc('}', out);
}

void sn_fact_value_json(FILE *out, const sn_fact *f, unsigned i)
{
    if (i >= f->t->nslots)
        return;
    value v = f->slots[i];
    if (v.type == V_INT || v.type == V_FLOAT) {
        char buf[64];
        value_format(buf, sizeof buf, v);
        fputs(buf, out);
    } else {
        json_str(out, v.type == V_NIL ? "nil" : v.u.s->text);
    }
}

void sn_json_string(FILE *out, const char *s)
{
    json_str(out, s);
}
