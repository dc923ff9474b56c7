/* explain.c — why and how, as text, JSON and Graphviz DOT; see explain.h.
 *
 * Everything here reads the justification records (tms.c) and the
 * network's partial matches (rete.c); nothing is re-run. Output goes to a
 * FILE the caller owns. Why-not is whynot.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "../grammar/front.h"
#include "conds.h"
#include "explain.h"
#include "alloc.h"
#include "internal.h"

/* ---- small writers ------------------------------------------------------ */

/* The length of the valid UTF-8 character at S (a byte >= 0x80), or 0:
 * no overlong forms, surrogates or code points past U+10FFFF. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return n;
}

/* S as a JSON string. A byte that is not part of valid UTF-8 (text that
 * never went through the lexer's check, such as a comment after a
 * pattern) is written as U+FFFD, so the output is always JSON. */
void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        /* the run of characters that need no escape, in one write */
        size_t n = 0;
        while (s[n] && s[n] != '"' && s[n] != '\\' && (unsigned char)s[n] >= 0x20 &&
               (unsigned char)s[n] < 0x80)
            n++;
        if (n) {
            fwrite(s, 1, n, out);
            s += n - 1;
            continue;
        }
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80) {
            size_t len = utf8_len((const unsigned char *)s);
            if (len) {
                fwrite(s, 1, len, out);
                s += len - 1;
            } else {
                fputs("\\ufffd", out);
            }
            continue;
        }
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default: fprintf(out, "\\u%04x", c);
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

/* F as text, in the engine's memory (e_free it). */
static char *fact_text_of(engine *e, const struct fact *f)
{
    size_t n = sn_fact_format(f, NULL, 0);
    char *s = e_alloc(e, n + 1);
    sn_fact_format(f, s, n + 1);
    return s;
}

/* The same in malloc'd memory, for the JSON writers that have no engine;
 * NULL when memory runs out. */
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

void fact_line(FILE *out, const struct fact *f)
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
    if (just_nconds(j)) {
        conds_text(e, out, j, indent);
    } else {
        bool first = true;
        for (uint32_t i = 0; i < j->nfacts; i++) {
            if (!j->facts[i])
                continue;
            fprintf(out, "%s    %s ", indent, first ? "matched" : "       ");
            fact_by_id_line(e, out, j->facts[i]);
            fputc('\n', out);
            first = false;
        }
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
    conds_json(e, out, j);
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

static void explain_why(sn_engine *e, const sn_fact *f, sn_format fmt, FILE *out)
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
    const struct just **v = e_alloc(e, (n + 1) * sizeof *v);
    for (const struct just *j = f->justs; j; j = j->next)
        v[--i] = j;
    for (i = 0; i < n; i++)
        just_text(e, out, v[i], i + 1, "  ");
    e_free(e, v);
    cf_arithmetic(out, f);
    if (f->live && f->cf < e->threshold)
        fprintf(out, "  below the threshold %.2f: no rule's pattern sees it unless it tests cf\n",
                e->threshold);
}

/* ---- how ------------------------------------------------------------------ */

/* The facts a proof has shown so far (ids, a hash set: 0 is empty), and
 * whether an interrupt stopped it. A proof shows each fact's derivation
 * once; where the fact comes again it says so ("see above"), so a proof is
 * as long as the facts and justifications under it, however shared. */
typedef struct seen {
    uint64_t *ids;
    size_t n, cap;
    bool stopped;
} seen;

static size_t seen_slot(const seen *s, uint64_t id)
{
    size_t i = (size_t)(id * 0x9E3779B97F4A7C15u) & (s->cap - 1);
    while (s->ids[i] && s->ids[i] != id)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static bool seen_has(const seen *s, uint64_t id)
{
    return s->cap && s->ids[seen_slot(s, id)] == id;
}

static void seen_add(engine *e, seen *s, uint64_t id)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        seen bigger = {e_calloc(e, cap, sizeof(uint64_t)), 0, cap, s->stopped};
        for (size_t i = 0; i < s->cap; i++)
            if (s->ids[i])
                bigger.ids[seen_slot(&bigger, s->ids[i])] = s->ids[i];
        bigger.n = s->n;
        e_free(e, s->ids);
        *s = bigger;
    }
    size_t i = seen_slot(s, id);
    if (!s->ids[i]) {
        s->ids[i] = id;
        s->n++;
    }
}

/* Does F have a derivation to show (else it is a given fact: one line,
 * shown again wherever it comes)? */
static bool derived(const struct fact *f)
{
    for (const struct just *j = f->justs; j; j = j->next)
        if (j->active)
            return true;
    return false;
}

/* Has Ctrl-C (the engine's interrupt flag) asked the proof to stop? */
static bool how_interrupted(engine *e, seen *s)
{
    if (!s->stopped && e->interrupt && *e->interrupt)
        s->stopped = true;
    return s->stopped;
}

static void how_text_id(engine *e, FILE *out, uint64_t id, unsigned depth, seen *path);
static void how_dot(engine *e, FILE *out, const struct fact *f, seen *done);

static void how_text(engine *e, FILE *out, const struct fact *f, unsigned depth, seen *path)
{
    char buf[128];
    if (path->stopped)
        return;
    for (unsigned i = 0; i < depth; i++)
        fputs("    ", out);
    fact_line(out, f);
    if (f->asserted && f->origin != SN_ORIGIN_RULE)
        fprintf(out, ", %s", origin_text(f, buf, sizeof buf));
    if (how_interrupted(e, path)) {
        fputs(" (interrupted: the rest of the proof is left out)\n", out);
        return;
    }
    if ((derived(f) && seen_has(path, f->id)) || depth > 60) {
        fputs(" (see above)\n", out);
        return;
    }
    fputc('\n', out);
    seen_add(e, path, f->id);
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
            fprintf(out, "%s%s", i ? ", " : "; cites ", j->r->cites[i]);
        fputc('\n', out);
        uint32_t nc = just_nconds(j);
        for (uint32_t l = 1; l <= (nc ? nc : j->nfacts); l++) {
            cond_view c = {.kind = C_PATTERN, .fact = j->facts[l - 1]};
            if (nc)
                just_cond(j, l, &c);
            if (c.kind == C_PATTERN) {
                if (c.fact)
                    how_text_id(e, out, c.fact, depth + 1, path);
                continue;
            }
            char ob[320];
            for (unsigned k = 0; k <= depth; k++)
                fputs("    ", out);
            fprintf(out, "%s: %s\n", c.text, c.nwit ? "held by" : cond_outcome(j, &c, ob, sizeof ob));
            for (uint32_t i = 0; i < c.nwit; i++)
                how_text_id(e, out, c.wit[i], depth + 2, path);
        }
    }
}

static void how_text_id(engine *e, FILE *out, uint64_t id, unsigned depth, seen *path)
{
    struct fact *g = sn_fact_by_id(e, id);
    if (g) {
        how_text(e, out, g, depth, path);
    } else {
        for (unsigned k = 0; k < depth; k++)
            fputs("    ", out);
        fprintf(out, "#%llu (since retracted)\n", (unsigned long long)id);
    }
}

/* The proof of F: its active justifications, each with the facts it
 * matched, and theirs in turn, under the names `why` uses. */
static void how_json_id(engine *e, FILE *out, uint64_t id, unsigned depth, seen *path);
static void how_json_conds(engine *e, FILE *out, const struct just *j, unsigned depth, seen *path);

static void how_json(engine *e, FILE *out, const struct fact *f, unsigned depth, seen *path)
{
    fact_json_head(out, f, depth == 0 ? "sinew.how/1" : NULL);
    if (how_interrupted(e, path)) {
        fputs(",\"interrupted\":true}", out);
        return;
    }
    if (derived(f) && seen_has(path, f->id)) {
        fputs(",\"shown\":true}", out);
        return;
    }
    if (depth > 60) {
        fputs(",\"cycle\":true}", out);
        return;
    }
    seen_add(e, path, f->id);
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
            how_json_id(e, out, j->facts[i], depth + 1, path);
        }
        fputc(']', out);
        how_json_conds(e, out, j, depth, path);
        fputc('}', out);
    }
    fputs("]}", out);
}

static void how_json_id(engine *e, FILE *out, uint64_t id, unsigned depth, seen *path)
{
    struct fact *g = sn_fact_by_id(e, id);
    if (g)
        how_json(e, out, g, depth, path);
    else
        fprintf(out, "{\"id\":%llu,\"retracted\":true}", (unsigned long long)id);
}

/* Every condition of J: a pattern names the fact in "matched", an exists
 * gives the proofs of the facts that let it through. */
static void how_json_conds(engine *e, FILE *out, const struct just *j, unsigned depth, seen *path)
{
    uint32_t n = just_nconds(j);
    if (!n)
        return;
    fputs(",\"conditions\":[", out);
    for (uint32_t l = 1; l <= n; l++) {
        cond_view c;
        just_cond(j, l, &c);
        fprintf(out, "%s{\"kind\":\"%s\",\"text\":", l > 1 ? "," : "", cond_kind_word(c.kind));
        json_str(out, c.text);
        if (c.kind == C_PATTERN && c.fact)
            fprintf(out, ",\"id\":%llu", (unsigned long long)c.fact);
        if (c.kind == C_TEST)
            conds_json_bindings(out, j, &c);
        if (c.kind == C_EXISTS) {
            fputs(",\"facts\":[", out);
            for (uint32_t i = 0; i < c.nwit; i++) {
                fputs(i ? "," : "", out);
                how_json_id(e, out, c.wit[i], depth + 1, path);
            }
            fputc(']', out);
        }
        fputc('}', out);
    }
    fputc(']', out);
}

/* The certainty arithmetic of F (cf_arithmetic's line) as a string the
 * caller frees; NULL when there is nothing to combine. */
static char *cf_arithmetic_text(const struct fact *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    if (!ms)
        return NULL;
    cf_arithmetic(ms, f);
    if (fclose(ms) != 0 || len == 0) {
        free(text);
        return NULL;
    }
    if (text[len - 1] == '\n')
        text[len - 1] = '\0';
    return text;
}

/* The conditions of J (the N-th record of F) that are not patterns, as
 * nodes feeding its rule node: a `not` with "no fact matched", an
 * `exists` fed by the facts that let it through, a test with its value. */
static void dot_conds(engine *e, FILE *out, const struct fact *f, const struct just *j, unsigned n,
                      seen *done)
{
    for (uint32_t l = 1; l <= just_nconds(j); l++) {
        cond_view c;
        just_cond(j, l, &c);
        if (c.kind == C_PATTERN)
            continue;
        char ob[320], label[768];
        snprintf(label, sizeof label, "%s\n%s", c.text,
                 c.nwit ? "held by" : cond_outcome(j, &c, ob, sizeof ob));
        fprintf(out, "  c%llu_%u_%u [shape=note, style=\"%s\", fontsize=10, label=",
                (unsigned long long)f->id, n, l, c.kind == C_NOT ? "dashed" : "solid");
        dot_str(out, label);
        fprintf(out, "];\n  c%llu_%u_%u -> r%llu_%u [style=dashed];\n", (unsigned long long)f->id, n,
                l, (unsigned long long)f->id, n);
        for (uint32_t i = 0; i < c.nwit; i++) {
            struct fact *g = sn_fact_by_id(e, c.wit[i]);
            if (!g)
                continue;
            how_dot(e, out, g, done);
            fprintf(out, "  f%llu -> c%llu_%u_%u;\n", (unsigned long long)g->id, (unsigned long long)f->id,
                    n, l);
        }
    }
}

static void how_dot(engine *e, FILE *out, const struct fact *f, seen *done)
{
    if (seen_has(done, f->id) || how_interrupted(e, done))
        return;
    seen_add(e, done, f->id);
    char *t = fact_text_of(e, f);
    char *arith = cf_arithmetic_text(f);
    char label[1536];
    snprintf(label, sizeof label, "#%llu %s\ncf %.2f%s%s%s", (unsigned long long)f->id, t ? t : "", f->cf,
             f->asserted && f->origin != SN_ORIGIN_RULE ? " (given)" : "", arith ? "\n" : "",
             arith ? arith + 2 : "");
    free(arith);
    e_free(e, t);
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
        dot_conds(e, out, f, j, n, done);
    }
}

sn_status sn_explain_why(sn_engine *e, const sn_fact *f, sn_format fmt, FILE *out)
{
    CALL_ENTER(e);
    explain_why(e, f, fmt, out);
    return call_leave(e, SN_OK);
}

sn_status sn_explain_how(sn_engine *e, const sn_fact *f, sn_format fmt, FILE *out)
{
    CALL_ENTER(e);
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
    e_free(e, s.ids);
    return call_leave(e, SN_OK);
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

