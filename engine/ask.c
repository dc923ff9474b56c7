/* ask.c — the questions (`ask` declarations) and their answers.
 *
 * A question is open until answered (a given fact of its template is in
 * working memory) or answered unknown. A grouped question ("any of
 * these?") is an ask without a template: its answer settles the asks of
 * its items, recording the facts they would. The asks themselves belong
 * to the engine (decls.c makes them); this module keeps only their
 * answered and unknown marks, which a reset clears.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ask.h"
#include "given.h"
#include "tms.h"
#include "wm.h"

const sn_ask *sn_ask_next(const sn_engine *e, const sn_ask *k) { return k ? k->next : e->asks; }

const sn_ask *sn_ask_find(const sn_engine *e, const char *tmpl)
{
    for (const ask *k = e->asks; k; k = k->next)
        if (strcmp(k->t ? k->t->name->text : k->name, tmpl) == 0)
            return k;
    return NULL;
}

const char *sn_ask_template(const sn_ask *k) { return k->t ? k->t->name->text : k->name; }
const char *sn_ask_slot(const sn_ask *k) { return k->t ? k->t->slots[k->slot].name->text : ""; }
const char *sn_ask_question(const sn_ask *k) { return k->question; }
bool sn_ask_multiple(const sn_ask *k) { return k->multiple; }
unsigned sn_ask_nanswers(const sn_ask *k) { return k->nanswers; }
const char *sn_ask_answer(const sn_ask *k, unsigned i) { return i < k->nanswers ? k->answer_text[i] : NULL; }
unsigned sn_ask_nitems(const sn_ask *k) { return k->nitems; }
const sn_ask *sn_ask_item(const sn_ask *k, unsigned i) { return i < k->nitems ? k->items[i] : NULL; }
const char *sn_ask_item_answer(const sn_ask *k, unsigned i)
{
    return i < k->nitems && k->item_answer[i] >= 0 ? k->items[i]->answer_text[k->item_answer[i]] : NULL;
}
const sn_ask *sn_ask_group(const sn_ask *k) { return k->group; }

bool ask_given_fact(const struct fact *f)
{
    return f->live && f->asserted && f->origin != SN_ORIGIN_RULE;
}

static bool has_given(const struct tmpl *t)
{
    for (const struct fact *f = t->first; f; f = f->tnext)
        if (ask_given_fact(f))
            return true;
    return false;
}

sn_ask_state sn_ask_state_of(const sn_engine *e, const sn_ask *k)
{
    if (!k->t) {
        /* a group is open until answered, while an item is open */
        if (k->done)
            return k->unknown ? SN_ASK_UNKNOWN : SN_ASK_ANSWERED;
        for (uint32_t i = 0; i < k->nitems; i++)
            if (sn_ask_state_of(e, k->items[i]) == SN_ASK_OPEN)
                return SN_ASK_OPEN;
        return SN_ASK_ANSWERED;
    }
    if (k->unknown)
        return SN_ASK_UNKNOWN;
    return has_given(k->t) ? SN_ASK_ANSWERED : SN_ASK_OPEN;
}

const ask *ask_asked_as(const engine *e, const ask *k)
{
    return k->group && sn_ask_state_of(e, k->group) == SN_ASK_OPEN ? k->group : k;
}

/* ---- answers ----------------------------------------------------------------- */

int32_t ask_negative(const ask *k)
{
    static const char *const words[] = {"no", "none"};
    for (unsigned w = 0; w < 2; w++)
        for (uint32_t i = 0; i < k->nanswers; i++)
            if (strcmp(k->answer_text[i], words[w]) == 0)
                return (int32_t)i;
    return -1;
}

/* A grouped question's answer: the items ticked (by name), or `none`.
 * An item ticked records its answer (or, without one, leaves its own
 * question open to ask which); an item not ticked records its question's
 * `no` or `none`, or without one is not known. Items settled before are
 * left as they are. */
static bool group_set(engine *e, ask *k, const char *const *answers, unsigned n, char *err, size_t errsize)
{
    bool *ticked = e_calloc(e, k->nitems + 1, sizeof *ticked);
    bool none = false;
    for (unsigned a = 0; a < n; a++) {
        uint32_t i = 0;
        while (i < k->nanswers && strcmp(k->answer_text[i], answers[a]) != 0)
            i++;
        if (i == k->nanswers) {
            snprintf(err, errsize, "%s is not one of the items of '%s'", answers[a], k->name);
            e_free(e, ticked);
            return false;
        }
        if (i == k->nitems)
            none = true;
        else
            ticked[i] = true;
    }
    if (none && n > 1) {
        snprintf(err, errsize, "'none' goes alone: it says that no item applies");
        e_free(e, ticked);
        return false;
    }
    for (uint32_t i = 0; i < k->nitems; i++) {
        ask *m = k->items[i];
        k->item_set[i] = false;
        if (sn_ask_state_of(e, m) != SN_ASK_OPEN)
            continue;
        int32_t a;
        if (ticked[i]) {
            a = k->item_answer[i];
            if (a < 0)
                continue; /* its own question asks which */
        } else {
            a = ask_negative(m);
        }
        if (a >= 0)
            given_assert(e, m->t, m->slot, m->answers[a]);
        else
            m->unknown = true;
        k->item_set[i] = true;
    }
    e_free(e, ticked);
    k->done = true;
    k->unknown = false;
    engine_quiesce(e);
    return true;
}

/* What an answer changes in a question besides facts: its flags and its
 * items', kept to be put back when memory runs out in the middle. */
typedef struct ask_flags {
    bool unknown, done;
    bool *item_set, *item_unknown;
} ask_flags;

static void flags_save(engine *e, const ask *k, ask_flags *s)
{
    s->unknown = k->unknown;
    s->done = k->done;
    s->item_set = e_alloc(e, (k->nitems + 1) * sizeof *s->item_set);
    s->item_unknown = e_alloc(e, (k->nitems + 1) * sizeof *s->item_unknown);
    for (uint32_t i = 0; i < k->nitems; i++) {
        s->item_set[i] = k->item_set[i];
        s->item_unknown[i] = k->items[i]->unknown;
    }
}

static void flags_end(engine *e, ask *k, ask_flags *s, bool restore)
{
    if (restore) {
        k->unknown = s->unknown;
        k->done = s->done;
        for (uint32_t i = 0; i < k->nitems; i++) {
            k->item_set[i] = s->item_set[i];
            k->items[i]->unknown = s->item_unknown[i];
        }
    }
    e_free(e, s->item_set);
    e_free(e, s->item_unknown);
}

static bool ask_set(engine *e, ask *k, const char *const *answers, unsigned n, char *err,
                    size_t errsize)
{
    if (n == 0 || (n > 1 && !k->multiple)) {
        snprintf(err, errsize, n ? "one answer only" : "no answer given");
        return false;
    }
    if (!k->t)
        return group_set(e, k, answers, n, err, errsize);
    value *vals = e_alloc(e, n * sizeof *vals);
    for (unsigned i = 0; i < n; i++) {
        struct tmpl *t;
        uint32_t s;
        sn_value v = {.text = answers[i]};
        vtype type = k->t->slots[k->slot].type;
        if (type == V_INT || type == V_FLOAT) {
            /* a number slot: the answer is written as a decimal number,
             * and a finite one */
            double d = 0;
            sn_number_kind kind = sn_number_parse(answers[i], &d);
            if (kind == SN_NOT_A_NUMBER) {
                snprintf(err, errsize, "'%s' is not a number: the answer to '%s.%s' is written in decimal digits",
                         answers[i], k->t->name->text, k->t->slots[k->slot].name->text);
                e_free(e, vals);
                return false;
            }
            if (kind == SN_TOO_LARGE) {
                snprintf(err, errsize, "'%s' is too large for a number", answers[i]);
                e_free(e, vals);
                return false;
            }
            v = (sn_value){.is_number = true, .number = d};
        }
        if (!given_resolve(e, k->t->name->text, k->t->slots[k->slot].name->text, v, &t, &s, &vals[i], err,
                     errsize)) {
            e_free(e, vals);
            return false;
        }
    }
    for (unsigned i = 0; i < n; i++)
        given_assert(e, k->t, k->slot, vals[i]);
    e_free(e, vals);
    k->unknown = false;
    engine_quiesce(e);
    return true;
}

sn_status sn_ask_set(sn_engine *e, const sn_ask *kc, const char *const *answers, unsigned n,
                     char *err, size_t errsize)
{
    CALL_ENTER(e);
    ask *k = (ask *)kc;
    ask_flags saved;
    flags_save(e, k, &saved);
    uint64_t before = e->next_id;
    if (!ask_set(e, k, answers, n, err, errsize)) {
        flags_end(e, k, &saved, false);
        return call_leave(e, call_error(e, SN_ERR_INPUT, "%s", errsize ? err : "not allowed"));
    }
    bool undo = call_short(e);
    if (undo) {
        wm_take_back(e, before);
        engine_quiesce(e);
    }
    flags_end(e, k, &saved, undo);
    return call_leave(e, SN_OK);
}

sn_status sn_ask_set_unknown(sn_engine *e, const sn_ask *kc)
{
    CALL_ENTER(e);
    ask *k = (ask *)kc;
    for (uint32_t i = 0; i < k->nitems; i++) {
        k->item_set[i] = sn_ask_state_of(e, k->items[i]) == SN_ASK_OPEN;
        if (k->item_set[i])
            k->items[i]->unknown = true;
    }
    if (!k->t)
        k->done = true;
    k->unknown = true;
    return call_leave(e, SN_OK);
}

/* The facts answering K (a question with a template) retracted; when
 * memory runs out on the way they are put back (under new ids). */
static void clear_answers(engine *e, ask *k)
{
    uint32_t n = 0;
    for (struct fact *f = k->t->first; f; f = f->tnext)
        n += ask_given_fact(f);
    struct fact **gone = e_alloc(e, (n + 1) * sizeof *gone);
    n = 0;
    for (struct fact *f = k->t->first, *next; f; f = next) {
        next = f->tnext;
        if (ask_given_fact(f)) {
            gone[n++] = f; /* readable until the call quiesces (wm.h) */
            fact_retract(e, f);
        }
    }
    if (call_short(e))
        for (uint32_t i = 0; i < n; i++)
            fact_assert(e, gone[i]->t, gone[i]->slots, gone[i]->origin, gone[i]->source, NULL);
    e_free(e, gone);
    engine_quiesce(e);
}

sn_status sn_ask_clear(sn_engine *e, const sn_ask *kc)
{
    CALL_ENTER(e);
    ask *k = (ask *)kc;
    if (!k->t) {
        /* the items its answer settled */
        for (uint32_t i = 0; i < k->nitems; i++)
            if (k->done && k->item_set[i])
                sn_ask_clear(e, k->items[i]);
        if (!call_short(e))
            k->done = k->unknown = false;
        return call_leave(e, SN_OK);
    }
    clear_answers(e, k);
    if (!call_short(e))
        k->unknown = false;
    return call_leave(e, SN_OK);
}
