/* given.c — facts from outside the language: a JSON case, an answer typed
 * at a question, a fact a program asserts by template and slot; and a
 * number as a person types it (sn_number_parse), for the answers here and
 * for the command line.
 *
 * They are checked here as the front end checks a typed fact: template,
 * slot, type, and the ask's domain. Symbols are looked up, not interned,
 * when the slot has a domain, so bad input never grows the symbol table.
 * The facts asserted belong to working memory (wm.c) like any other.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "given.h"
#include "tms.h"
#include "wm.h"

const sn_template *sn_template_find(const sn_engine *e, const char *name)
{
    return tmpl_find(e, name, strlen(name));
}

/* Letters, digits and _, not all digits: what a symbol can be written as
 * (1_to_4_weeks is one). */
static bool is_name(const char *s)
{
    bool digits = true;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
        digits &= *s >= '0' && *s <= '9';
    }
    return !digits;
}

static const char *type_word(vtype t)
{
    switch (t) {
    case V_STRING: return "a string";
    case V_INT: return "an integer";
    case V_FLOAT: return "a number";
    default: return "a symbol";
    }
}

bool given_resolve(engine *e, const char *tname, const char *sname, sn_value v, struct tmpl **tp,
                    uint32_t *sp, value *out, char *err, size_t errsize)
{
    struct tmpl *t = tmpl_find(e, tname, strlen(tname));
    if (!t) {
        snprintf(err, errsize, "unknown template '%s'", tname);
        return false;
    }
    int32_t s;
    if (sname) {
        s = slot_index(t, sname, strlen(sname));
        if (s < 0) {
            snprintf(err, errsize, "template '%s' has no slot '%s'", tname, sname);
            return false;
        }
    } else if (t->ask) {
        s = (int32_t)t->ask->slot;
    } else if (t->nslots == 1) {
        s = 0;
    } else {
        snprintf(err, errsize, "template '%s' has %u slots: say which", tname, t->nslots);
        return false;
    }
    const slotdef *d = &t->slots[s];
    value x;
    switch (d->type) {
    case V_INT:
        if (!v.is_number || v.number != (double)(int64_t)v.number) {
            snprintf(err, errsize, "%s.%s takes an integer", tname, d->name->text);
            return false;
        }
        x = v_int((int64_t)v.number);
        break;
    case V_FLOAT:
        if (!v.is_number) {
            snprintf(err, errsize, "%s.%s takes a number", tname, d->name->text);
            return false;
        }
        x = v_float(v.number);
        break;
    default: {
        if (v.is_number || !v.text) {
            snprintf(err, errsize, "%s.%s takes %s", tname, d->name->text, type_word(d->type));
            return false;
        }
        size_t len = strlen(v.text);
        if (d->type == V_SYMBOL && !is_name(v.text)) {
            snprintf(err, errsize, "'%s' is not a symbol (%s.%s takes one)", v.text, tname, d->name->text);
            return false;
        }
        const sym *y = d->ask ? sym_lookup(&e->syms, v.text, len) : sym_intern(&e->syms, v.text, len);
        if (!y) {
            snprintf(err, errsize, "%s is not an allowed answer for '%s.%s'", v.text, tname, d->name->text);
            return false;
        }
        x = d->type == V_STRING ? v_str(y) : v_sym(y);
        break;
    }
    }
    if (d->ask) {
        uint32_t i = 0;
        while (i < d->ask->nanswers && !value_eq(d->ask->answers[i], x))
            i++;
        if (i == d->ask->nanswers) {
            char vb[128];
            value_format(vb, sizeof vb, x);
            snprintf(err, errsize, "%s is not an allowed answer for '%s.%s'", vb, tname, d->name->text);
            return false;
        }
    }
    *tp = t;
    *sp = (uint32_t)s;
    *out = x;
    return true;
}

sn_status sn_check_slot(sn_engine *e, const char *tmpl, const char *slot, sn_value v, char *err,
                        size_t errsize)
{
    CALL_ENTER(e);
    struct tmpl *t;
    uint32_t s;
    value x;
    if (!given_resolve(e, tmpl, slot, v, &t, &s, &x, err, errsize))
        return call_leave(e, call_error(e, SN_ERR_INPUT, "%s", errsize ? err : "not allowed"));
    return call_leave(e, SN_OK);
}

struct fact *given_assert(engine *e, struct tmpl *t, uint32_t s, value x)
{
    value vals[t->nslots + 1];
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    vals[s] = x;
    return fact_assert(e, t, vals, SN_ORIGIN_TYPED, NULL, NULL);
}

/* F, just asserted (new after id BEFORE or not), into *OUT; taken back
 * when memory ran out on the way. */
static sn_status asserted(engine *e, struct fact *f, uint64_t before, sn_fact **out)
{
    engine_quiesce(e);
    if (call_short(e)) {
        wm_take_back(e, before);
        engine_quiesce(e);
        f = NULL;
    }
    if (out)
        *out = f && f->live ? f : NULL;
    return call_leave(e, SN_OK);
}

sn_status sn_assert_slot(sn_engine *e, const char *tmpl, const char *slot, sn_value v,
                         sn_fact **out, char *err, size_t errsize)
{
    CALL_ENTER(e);
    struct tmpl *t;
    uint32_t s;
    value x;
    if (out)
        *out = NULL;
    if (!given_resolve(e, tmpl, slot, v, &t, &s, &x, err, errsize))
        return call_leave(e, call_error(e, SN_ERR_INPUT, "%s", errsize ? err : "not allowed"));
    uint64_t before = e->next_id;
    return asserted(e, given_assert(e, t, s, x), before, out);
}

sn_status sn_assert_slots(sn_engine *e, const char *tmpl, const char *const *slots,
                          const sn_value *v, unsigned n, sn_fact **out, char *err, size_t errsize)
{
    CALL_ENTER(e);
    if (out)
        *out = NULL;
    struct tmpl *t = tmpl_find(e, tmpl, strlen(tmpl));
    if (!t) {
        snprintf(err, errsize, "unknown template '%s'", tmpl);
        return call_leave(e, call_error(e, SN_ERR_INPUT, "%s", errsize ? err : "not allowed"));
    }
    value *vals = e_alloc(e, (t->nslots + 1) * sizeof *vals);
    for (uint32_t i = 0; i < t->nslots; i++)
        vals[i] = t->slots[i].dflt;
    for (unsigned i = 0; i < n; i++) {
        struct tmpl *u;
        uint32_t s;
        value x;
        if (!given_resolve(e, tmpl, slots[i], v[i], &u, &s, &x, err, errsize)) {
            e_free(e, vals); /* nothing asserted yet */
            return call_leave(e, call_error(e, SN_ERR_INPUT, "%s", errsize ? err : "not allowed"));
        }
        vals[s] = x;
    }
    uint64_t before = e->next_id;
    struct fact *f = fact_assert(e, t, vals, SN_ORIGIN_TYPED, NULL, NULL);
    e_free(e, vals);
    return asserted(e, f, before, out);
}

sn_number_kind sn_number_parse(const char *text, double *out)
{
    const char *p = text + (*text == '-' || *text == '+');
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (*p == '.') {
        size_t more = strspn(p + 1, "0123456789");
        digits += more;
        p += 1 + more;
    }
    if (digits == 0)
        return SN_NOT_A_NUMBER;
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '-' || p[1] == '+');
        size_t exp = strspn(p, "0123456789");
        if (exp == 0)
            return SN_NOT_A_NUMBER;
        p += exp;
    }
    if (*p != '\0')
        return SN_NOT_A_NUMBER;
    double d = strtod(text, NULL);
    if (!isfinite(d))
        return SN_TOO_LARGE;
    *out = d;
    return SN_NUMBER;
}
