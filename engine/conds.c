/* conds.c — a justification's conditions, every one with what held it;
 * see conds.h. */
#include <string.h>

#include "conds.h"
#include "explain.h"

uint32_t just_nconds(const struct just *j)
{
    return j->kinds ? j->p->depth : 0;
}

void just_cond(const struct just *j, uint32_t level, cond_view *out)
{
    memset(out, 0, sizeof *out);
    out->level = level;
    out->kind = (cond_kind)j->kinds[level - 1];
    out->text = j->p->cond_text[level] ? j->p->cond_text[level] : "";
    out->fact = j->facts[level - 1];
    if (out->kind == C_EXISTS) {
        out->wit = j->wit + j->wit_at[level - 1];
        out->nwit = j->wit_at[level] - j->wit_at[level - 1];
    }
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The variables TEXT names, each once in the order named, as indexes
 * into J's bindings: at most MAX into OUT; how many. */
static uint32_t named_vars(const struct just *j, const char *text, uint32_t *out, uint32_t max)
{
    uint32_t n = 0;
    for (const char *p = text; *p && n < max; p++) {
        if (*p != '?' || !name_char(p[1]))
            continue;
        const char *name = p + 1;
        size_t len = 0;
        while (name_char(name[len]))
            len++;
        p = name + len - 1;
        for (uint32_t i = 0; i < j->p->nvars; i++) {
            const char *v = j->p->vars[i].name;
            if (strncmp(v, name, len) != 0 || v[len] != '\0')
                continue;
            bool again = false;
            for (uint32_t k = 0; k < n; k++)
                again |= out[k] == i;
            if (!again)
                out[n++] = i;
            break;
        }
    }
    return n;
}

void just_cond_vars(const struct just *j, const char *text, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    if (!j->binds)
        return;
    uint32_t v[32];
    uint32_t n = named_vars(j, text, v, 32);
    for (uint32_t i = 0; i < n; i++) {
        char vb[128];
        value_format(vb, sizeof vb, j->binds[v[i]]);
        int w = snprintf(buf + o, o < size ? size - o : 0, "%s?%s = %s", i ? ", " : "",
                         j->p->vars[v[i]].name, vb);
        if (w > 0)
            o += (size_t)w;
    }
    if (o >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
}

/* The value condition LEVEL of J, an aggregate, had when the rule fired:
 * the variable it binds; NULL when J keeps no bindings. */
static const value *aggregate_value(const struct just *j, uint32_t level)
{
    for (uint32_t i = 0; j->binds && i < j->p->nvars; i++)
        if (j->p->vars[i].level == level && j->p->vars[i].slot == 0)
            return &j->binds[i];
    return NULL;
}

const char *cond_outcome(const struct just *j, const cond_view *c, char *buf, size_t size)
{
    switch (c->kind) {
    case C_AGG: {
        const value *v = aggregate_value(j, c->level);
        if (!v)
            return "held";
        value_format(buf, size, *v);
        return buf;
    }
    case C_NOT: return "no fact matched";
    case C_EXISTS: return "a fact matched";
    case C_TEST: {
        char vars[256];
        just_cond_vars(j, c->text, vars, sizeof vars);
        snprintf(buf, size, vars[0] ? "true (%s)" : "true", vars);
        return buf;
    }
    case C_PATTERN: return "matched";
    default: return "held";
    }
}

static void fact_or_gone(engine *e, FILE *out, uint64_t id)
{
    struct fact *f = sn_fact_by_id(e, id);
    if (f)
        fact_line(out, f);
    else
        fprintf(out, "#%llu (since retracted)", (unsigned long long)id);
}

void conds_text(engine *e, FILE *out, const struct just *j, const char *indent)
{
    uint32_t n = just_nconds(j);
    bool after_fact = false;
    for (uint32_t l = 1; l <= n; l++) {
        cond_view c;
        just_cond(j, l, &c);
        if (c.kind == C_PATTERN) {
            if (!c.fact)
                continue;
            fprintf(out, "%s    %s ", indent, after_fact ? "       " : "matched");
            fact_or_gone(e, out, c.fact);
            fputc('\n', out);
            after_fact = true;
            continue;
        }
        after_fact = false;
        char buf[320];
        const char *what = cond_outcome(j, &c, buf, sizeof buf);
        fprintf(out, "%s    held   %s: ", indent, c.text);
        if (!c.nwit)
            fputs(what, out);
        for (uint32_t i = 0; i < c.nwit; i++) {
            fputs(i ? ", " : "", out);
            fact_or_gone(e, out, c.wit[i]);
        }
        fputc('\n', out);
    }
}

static void fact_json_or_gone(engine *e, FILE *out, uint64_t id)
{
    struct fact *f = sn_fact_by_id(e, id);
    if (f)
        sn_fact_json(out, f);
    else
        fprintf(out, "{\"id\":%llu,\"retracted\":true}", (unsigned long long)id);
}

const char *cond_kind_word(cond_kind k)
{
    switch (k) {
    case C_PATTERN: return "pattern";
    case C_NOT: return "not";
    case C_EXISTS: return "exists";
    case C_TEST: return "test";
    case C_AGG: return "aggregate";
    default: return "other";
    }
}

void conds_json(engine *e, FILE *out, const struct just *j)
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
        if (c.kind == C_TEST) {
            conds_json_bindings(out, j, &c);
            fputc('}', out);
            continue;
        }
        if (c.kind == C_AGG) {
            const value *v = aggregate_value(j, c.level);
            if (v) {
                char vb[128];
                value_format(vb, sizeof vb, *v);
                fputs(",\"value\":", out);
                json_str(out, vb);
            }
            fputc('}', out);
            continue;
        }
        fputs(",\"facts\":[", out);
        if (c.kind == C_PATTERN && c.fact)
            fact_json_or_gone(e, out, c.fact);
        for (uint32_t i = 0; i < c.nwit; i++) {
            if (i)
                fputc(',', out);
            fact_json_or_gone(e, out, c.wit[i]);
        }
        fputs("]}", out);
    }
    fputc(']', out);
}

void conds_json_bindings(FILE *out, const struct just *j, const cond_view *c)
{
    fputs(",\"value\":true,\"bindings\":{", out);
    uint32_t v[32];
    uint32_t nv = j->binds ? named_vars(j, c->text, v, 32) : 0;
    for (uint32_t i = 0; i < nv; i++) {
        char vb[256];
        value_format(vb, sizeof vb, j->binds[v[i]]);
        fputs(i ? "," : "", out);
        json_str(out, j->p->vars[v[i]].name);
        fputc(':', out);
        json_str(out, vb);
    }
    fputc('}', out);
}
