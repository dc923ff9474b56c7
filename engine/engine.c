/* engine.c — the engine's life: making, clearing and freeing it, its
 * settings, and the public calls that change working memory as a whole
 * (reset) or a fact at a time (retract). Nothing below calls it.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../base/near.h"
#include "agenda.h"
#include "alloc.h"
#include "engine.h"
#include "focus.h"
#include "givens.h"
#include "internal.h"
#include "network.h"
#include "rete.h"
#include "tms.h"
#include "whatif.h"
#include "verify.h"
#include "wm.h"

#if defined(__SANITIZE_ADDRESS__)
#define SINEW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SINEW_ASAN 1
#endif
#endif


/* ---- the engine's life ------------------------------------------------------------ */

static void engine_init(engine *e)
{
#if defined(SINEW_ASAN)
    e->mem.cache = 0; /* every free reaches the sanitizer, to catch a use after it */
#else
    e->mem.cache = 1;
#endif
    e->perm = arena_new(&e->mem);
    symtab_init(&e->syms, &e->mem);
    e->s_true = sym_intern(&e->syms, "true", 4);
    e->s_false = sym_intern(&e->syms, "false", 5);
    e->s_nil = sym_intern(&e->syms, "nil", 3);
    pool_init(&e->token_pool, sizeof(token), 32);
    pool_init(&e->entry_pool, sizeof(aentry), 16);
    pool_init(&e->act_pool, sizeof(struct activation), 8);
    e->wm_mask = 255;
    e->wm = e_calloc(e, 256, sizeof *e->wm);
    e->code = e->perm;
    srcset_init(&e->src, &e->mem);
    e->env = check_env_new(&e->mem);
    focus_init(e);
    /* these names last: the module main's too, or a reset after a clear
     * (no load between to keep it) would drop it */
    symtab_keep(&e->syms);
}

static void engine_fini(engine *e);

/* Make E (zeroed) an empty engine, false when memory runs out. The
 * reserve is taken first, so the few allocations of an empty engine fit
 * in it even when malloc starts failing half way. */
static bool engine_make(engine *e)
{
    mem_init(&e->mem);
    if (!mem_set_reserve(&e->mem, SN_MEMORY_RESERVE))
        return false;
    e->calls = 1;
    if (setjmp(e->landing)) {
        e->calls = 0;
        return false;
    }
    engine_init(e);
    e->mem.fail = engine_mem_failed;
    e->mem.fail_ctx = e;
    e->calls = 0;
    return e->perm && e->env && !call_short(e);
}

sn_engine *sn_new(void)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    if (!engine_make(e)) {
        engine_fini(e);
        free(e);
        return NULL;
    }
    e->threshold = 0.2;
    e->recording = true;
    e->max_firings = SN_MAX_FIRINGS;
    e->strategy = SN_DEPTH;
    e->out = stdout;
    return e;
}

static void engine_fini(engine *e)
{
    /* everything goes now: a block of a slab stays where it is (mem_fini
     * frees the slabs whole), the others straight back to malloc */
    e->mem.cache = 0;
    whatif_free(e);
    agenda_clear(e);
    e_free(e, e->levels);
    e->free_acts = NULL;
    pool_fini(e, &e->act_pool);
    /* recommendations hang on tokens: free them first */
    for (struct just *j = e->recs_first, *next; j; j = next) {
        next = j->rnext;
        just_free(e, j);
    }
    /* alpha-memory entries and tokens live in their pools (freed whole by
     * tokens_free_all) */
    for (struct fact *f = e->all_first; f; f = f->gnext)
        f->entries = NULL;
    tokens_free_all(e);
    wm_free_all(e);
    for (uint32_t i = 0; e->amsig && i <= e->amsig_mask; i++)
        for (amem *am = e->amsig[i]; am; am = am->signext) {
            e_free(e, am->idx.b);
            e_free(e, am->succ);
        }
    e_free(e, e->amsig);
    for (struct tmpl *t = e->tmpls; t; t = t->next)
        network_free_alpha(e, t);
    /* node memories were freed with their tokens; kids arrays too */
    check_env_free(e->env);
    focus_fini(e);
    srcset_fini(&e->src);
    e_free(e, e->cases);
    e_free(e, e->by_name);
    e_free(e, e->error);
    e_free(e, e->scratch);
    e_free(e, e->wm);
    e_free(e, e->tmpl_by_id);
    for (uint32_t i = 0; i < e->nfns; i++)
        e_free(e, e->fns[i].name);
    e_free(e, e->fns);
    e_free(e, e->lfns);
    symtab_free(&e->syms);
    arena_free(e->perm);
    /* every byte counted came back: nothing the engine made leaked (but
     * for what a step that landed had in hand: see call_landed) */
    SN_ASSERT(e->landed || e->mem.used == 0);
    mem_fini(&e->mem);
}

void sn_free(sn_engine *e)
{
    if (!e)
        return;
    engine_fini(e);
    free(e);
}

sn_status sn_clear(sn_engine *e)
{
    /* the embedder's functions are the embedding's, not the knowledge's:
     * they stay (kept outside the engine's memory while it is remade) */
    uint32_t nfns = e->nfns;
    userfn *fns = nfns ? calloc(nfns, sizeof *fns) : NULL;
    for (uint32_t i = 0; fns && i < nfns; i++) {
        fns[i] = e->fns[i];
        if (!(fns[i].name = strdup(e->fns[i].name)))
            nfns = i;
    }
    if (nfns != e->nfns) {
        for (uint32_t i = 0; fns && i < nfns; i++)
            free(fns[i].name);
        free(fns);
        return call_error(e, SN_ERR_NOMEM, "out of memory");
    }
    engine kept = *e;
    engine_fini(e);
    memset(e, 0, sizeof *e);
    bool made = engine_make(e);
    e->threshold = kept.threshold;
    e->max_firings = kept.max_firings;
    e->recording = kept.recording;
    e->strategy = kept.strategy;
    e->out = kept.out;
    e->interrupt = kept.interrupt;
    e->mem.limit = kept.mem.limit;
    e->consult_top = kept.consult_top;
    e->profile = kept.profile;
    e->watch = kept.watch;
    e->watch_out = kept.watch_out;
    sn_status st = made ? SN_OK : SN_ERR_NOMEM;
    for (uint32_t i = 0; i < nfns; i++) {
        if (made && st == SN_OK)
            st = sn_define_function(e, fns[i].name, fns[i].min_args, fns[i].max_args,
                                    fns[i].fn, fns[i].ctx);
        free(fns[i].name);
    }
    free(fns);
    if (!made)
        e->broken = true; /* only sn_free can use it now (sn_reset says so) */
    return st;
}

/* What may hold a symbol interned since the last load, and why none does
 * once working memory is empty: facts, their justifications (bindings),
 * tokens, alpha entries, the agenda and recommendations all go with
 * working memory. Rules, templates, asks (their answers), cases, facts
 * blocks, modules, functions and queries are made by a load, which keeps
 * every symbol it compiled with (symtab_keep). A typed pattern (sn_query,
 * whynot) lives for its call; query arguments too. The what-if copy has
 * its own table, which its own reset empties. Nothing the API hands out
 * points at a value's text: values come back copied (sn_fact_value,
 * bindings, rows, step changes); names it lends (templates, rules, slots,
 * cases, facts blocks) were kept by their load. */
void forget_case_symbols(engine *e)
{
    symtab_drop_recent(&e->syms);
}

void engine_assert_each(engine *e, const given *g, sn_origin origin, sn_fact **out, size_t max,
                        size_t *count, sn_fact **last)
{
    value *vals = NULL;
    uint32_t cap = 0;
    for (; g; g = g->next) {
        if (g->t->nslots + 1 > cap) {
            value *more = e_realloc(e, vals, (g->t->nslots + 1) * sizeof *vals);
            if (!more)
                break;
            vals = more;
            cap = g->t->nslots + 1;
        }
        given_values(g, vals);
        struct fact *f = fact_assert(e, g->t, vals, origin, g->source, NULL);
        if (count) {
            if (out && *count < max)
                out[*count] = f;
            ++*count;
        }
        if (last)
            *last = f;
    }
    e_free(e, vals);
}

void engine_assert_given(engine *e, const given *g, sn_origin origin)
{
    engine_assert_each(e, g, origin, NULL, 0, NULL, NULL);
    engine_quiesce(e);
}

sn_status sn_retract(sn_engine *e, sn_fact *f)
{
    CALL_ENTER(e);
    if (!f || !f->live)
        return call_leave(e, call_error(e, SN_ERR_INPUT, "that fact is not in working memory"));
    /* what it takes to put it back, should memory run out on the way */
    struct tmpl *t = f->t;
    value *vals = e_alloc(e, (t->nslots + 1) * sizeof *vals);
    memcpy(vals, f->slots, t->nslots * sizeof *vals);
    sn_origin origin = f->origin;
    const sym *source = f->source;
    fact_retract(e, f);
    engine_quiesce(e);
    if (call_short(e)) {
        fact_assert(e, t, vals, origin, source, NULL);
        engine_quiesce(e);
    }
    e_free(e, vals);
    return call_leave(e, SN_OK);
}

sn_status sn_reset(sn_engine *e)
{
    CALL_ENTER_REPAIR(e);
    if (!e->perm || !e->env) /* a clear that found no memory */
        return call_leave(e, SN_ERR_NOMEM);
    wm_clear(e);
    forget_case_symbols(e);
    e->broken = false;
    /* working memory's bytes are back: now memory may suffice again */
    if (e->calls == 1 && !mem_refill(&e->mem))
        return call_leave(e, SN_ERR_NOMEM);
    engine_assert_given(e, e->facts_blocks, SN_ORIGIN_FACTS);
    if (call_short(e))
        wm_clear(e); /* half the facts blocks would be a state no one asked for */
    return call_leave(e, SN_OK);
}

sn_status sn_set_strategy(sn_engine *e, sn_strategy s)
{
    CALL_ENTER(e);
    sn_strategy old = e->strategy;
    if (old != s) {
        e->strategy = s;
        agenda_resort(e);
        if (call_short(e)) {
            e->strategy = old;
            agenda_resort(e);
        }
    }
    return call_leave(e, SN_OK);
}

sn_strategy sn_strategy_get(const sn_engine *e) { return e->strategy; }

static const char *const strategy_names[] = {"depth", "breadth", "lex", "mea"};

const char *sn_strategy_name(sn_strategy s)
{
    return (unsigned)s < 4 ? strategy_names[s] : "?";
}

bool sn_strategy_parse(const char *name, sn_strategy *out)
{
    for (unsigned i = 0; i < 4; i++)
        if (strcmp(name, strategy_names[i]) == 0) {
            *out = (sn_strategy)i;
            return true;
        }
    return false;
}

/* Every fact may now pass or fail patterns it did not. */
static void refresh_all(engine *e)
{
    for (struct fact *f = e->all_first; f; f = f->gnext)
        if (f->live)
            rete_refresh_fact(e, f);
    engine_quiesce(e);
}

sn_status sn_set_threshold(sn_engine *e, double t)
{
    CALL_ENTER(e);
    double old = e->threshold;
    t = cf_decimal(t); /* kept as certainties are, so equal means equal */
    if (t != old) {
        e->threshold = t;
        refresh_all(e);
        if (call_short(e)) {
            e->threshold = old;
            refresh_all(e);
        }
    }
    return call_leave(e, SN_OK);
}

double sn_threshold(const sn_engine *e) { return e->threshold; }
void sn_set_recording(sn_engine *e, bool on) { e->recording = on; }
void sn_set_max_firings(sn_engine *e, uint64_t max) { e->max_firings = max; }
uint64_t sn_max_firings(const sn_engine *e) { return e->max_firings; }
void sn_set_output(sn_engine *e, FILE *out) { e->out = out; }
void sn_set_interrupt(sn_engine *e, volatile sig_atomic_t *flag) { e->interrupt = flag; }
uint64_t sn_fired_total(const sn_engine *e) { return e->fired; }

unsigned sn_edit_distance(const char *a, const char *b, unsigned limit)
{
    return near_distance(a, strlen(a), b, strlen(b), limit);
}
