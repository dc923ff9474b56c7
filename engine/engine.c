/* engine.c — the engine's life: making, clearing and freeing it, its
 * settings, and the public calls that change working memory as a whole
 * (reset) or a fact at a time (retract). Nothing below calls it.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "agenda.h"
#include "alloc.h"
#include "engine.h"
#include "focus.h"
#include "internal.h"
#include "network.h"
#include "rete.h"
#include "tms.h"
#include "whatif.h"
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
    mem_init(&e->mem);
#if defined(SINEW_ASAN)
    e->mem.cache = 0; /* every free reaches the sanitizer, to catch a use after it */
#else
    e->mem.cache = 1;
#endif
    e->perm = arena_new(&e->mem);
    if (!e->perm)
        engine_out_of_memory();
    symtab_init(&e->syms, &e->mem);
    e->s_true = sym_intern(&e->syms, "true", 4);
    e->s_false = sym_intern(&e->syms, "false", 5);
    e->s_nil = sym_intern(&e->syms, "nil", 3);
    pool_init(&e->token_pool, sizeof(token), 64);
    pool_init(&e->entry_pool, sizeof(aentry), 16);
    e->wm_mask = 255;
    e->wm = e_calloc(e, 256, sizeof *e->wm);
    e->code = e->perm;
    srcset_init(&e->src, &e->mem);
    e->env = check_env_new(&e->mem);
    if (!e->env)
        engine_out_of_memory();
    focus_init(e);
}

sn_engine *sn_new(void)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    engine_init(e);
    e->threshold = 0.2;
    e->recording = true;
    e->max_firings = SN_MAX_FIRINGS;
    e->strategy = SN_DEPTH;
    e->out = stdout;
    return e;
}

static void engine_fini(engine *e)
{
    /* everything goes now: straight back to malloc, not into the cache
     * (which would only be walked again by mem_fini) */
    e->mem.cache = 0;
    whatif_free(e);
    agenda_clear(e);
    e_free(e, e->levels);
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
    for (struct rule *r = e->rules; r; r = r->next)
        for (uint32_t i = 0; i < r->nprods; i++)
            if (r->prods[i]->term && r->removed)
                (void)0;
    /* node memories were freed with their tokens; kids arrays too */
    check_env_free(e->env);
    focus_fini(e);
    srcset_fini(&e->src);
    e_free(e, e->cases);
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
    mem_fini(&e->mem);
}

void sn_free(sn_engine *e)
{
    if (!e)
        return;
    engine_fini(e);
    free(e);
}

void sn_clear(sn_engine *e)
{
    double threshold = e->threshold;
    uint64_t max_firings = e->max_firings;
    bool recording = e->recording;
    sn_strategy strategy = e->strategy;
    FILE *out = e->out;
    volatile sig_atomic_t *interrupt = e->interrupt;
    /* the embedder's functions are the embedding's, not the knowledge's:
     * they stay (kept outside the engine's memory while it is remade) */
    uint32_t nfns = e->nfns;
    userfn *fns = nfns ? malloc(nfns * sizeof *fns) : NULL;
    for (uint32_t i = 0; fns && i < nfns; i++) {
        fns[i] = e->fns[i];
        fns[i].name = strdup(e->fns[i].name);
    }
    engine_fini(e);
    memset(e, 0, sizeof *e);
    engine_init(e);
    e->threshold = threshold;
    e->max_firings = max_firings;
    e->recording = recording;
    e->strategy = strategy;
    e->out = out;
    e->interrupt = interrupt;
    for (uint32_t i = 0; fns && i < nfns; i++) {
        if (fns[i].name)
            sn_define_function(e, fns[i].name, fns[i].min_args, fns[i].max_args, fns[i].fn,
                               fns[i].ctx);
        free(fns[i].name);
    }
    free(fns);
}

/* Working memory emptied at once: the agenda, every token and alpha
 * entry, every fact and record; fact ids and firings count from 1 again.
 * The network stays compiled. */
void engine_assert_given(engine *e, const given *g, sn_origin origin)
{
    for (; g; g = g->next)
        fact_assert(e, g->t, g->vals, origin, g->source, NULL);
    engine_quiesce(e);
}

bool sn_retract(sn_engine *e, sn_fact *f)
{
    if (!f || !f->live)
        return false;
    fact_retract(e, f);
    engine_quiesce(e);
    return true;
}

void sn_reset(sn_engine *e)
{
    wm_clear(e);
    engine_assert_given(e, e->facts_blocks, SN_ORIGIN_FACTS);
}

void sn_set_strategy(sn_engine *e, sn_strategy s)
{
    if (e->strategy == s)
        return;
    e->strategy = s;
    agenda_resort(e);
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

void sn_set_threshold(sn_engine *e, double t)
{
    t = cf_decimal(t); /* kept as certainties are, so equal means equal */
    if (t == e->threshold)
        return;
    e->threshold = t;
    /* every fact may now pass or fail patterns it did not */
    for (struct fact *f = e->all_first; f; f = f->gnext)
        if (f->live)
            rete_refresh_fact(e, f);
    engine_quiesce(e);
}

double sn_threshold(const sn_engine *e) { return e->threshold; }
void sn_set_recording(sn_engine *e, bool on) { e->recording = on; }
void sn_set_max_firings(sn_engine *e, uint64_t max) { e->max_firings = max; }
uint64_t sn_max_firings(const sn_engine *e) { return e->max_firings; }
void sn_set_output(sn_engine *e, FILE *out) { e->out = out; }
void sn_set_interrupt(sn_engine *e, volatile sig_atomic_t *flag) { e->interrupt = flag; }
const char *sn_last_error(const sn_engine *e) { return e->error ? e->error : ""; }
uint64_t sn_fired_total(const sn_engine *e) { return e->fired; }

