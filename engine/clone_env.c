/* clone_env.c — a clone's check environment, its own or shared; see
 * clone_env.h.
 */
#include <stdlib.h>
#include <string.h>

#include "../grammar/diag.h"
#include "../grammar/front.h"
#include "clone_env.h"
#include "internal.h"

/* The environment of one program, for engines that only read it: the
 * program is the loads and functions it was made from (all engines that
 * hold it have these first). Its memory is its own, so it outlives any
 * one of them; memory that runs out in it is the reading engine's
 * (share_failed). */
struct env_share {
    sn_mem mem;
    check_env *env;          /* NULL until first needed */
    unsigned refs;
    uint32_t nloads, loads_end, nfns;
};

static void share_failed(void *ctx)
{
    engine *e = ctx;
    mem_failed(&e->mem); /* the front end's boundary, or E's landing */
}

/* A new environment in MEM with E's loads and functions, made as E made
 * its own, or NULL when memory ran out. */
static check_env *env_build(engine *e, sn_mem *mem)
{
    check_env *env = check_env_new(mem);
    if (!env)
        return NULL;
    diag_list d;
    diag_list_init(&d, &e->mem);
    bool ok = true;
    uint32_t f = 0;
    for (uint32_t i = 0; ok && i <= e->nloads; i++) {
        for (; ok && f < e->nfns && e->fns[f].after_loads <= i; f++)
            ok = check_env_add_function(env, e->fns[f].name, e->fns[f].min_args,
                                        e->fns[f].max_args, FN_COUNT_ + f);
        if (!ok || i == e->nloads)
            break;
        uint32_t first = e->loads[i];
        uint32_t end = i + 1 < e->nloads ? e->loads[i + 1] : e->loads_end;
        ast_program *prog = front_build(&e->mem, env, &e->src, first, end - first, &d,
                                        FRONT_PROGRAM);
        /* the text loaded once: only memory can stop it now */
        ok = prog && d.nerrors == 0;
        ast_program_free(prog);
        if (ok)
            check_env_commit(env);
        else
            check_env_rollback(env);
    }
    diag_list_fini(&d);
    if (!ok) {
        check_env_free(env);
        return NULL;
    }
    return env;
}

void env_share_release(engine *e)
{
    struct env_share *s = e->share;
    e->share = NULL;
    if (!s || --s->refs > 0)
        return;
    if (s->env) {
        s->mem.fail = NULL;
        check_env_free(s->env);
    }
    mem_fini(&s->mem);
    free(s);
}

bool env_ready(engine *e)
{
    if (!e->env_stale)
        return true;
    check_env *env = env_build(e, &e->mem);
    if (!env)
        return false;
    check_env_free(e->env);
    e->env = env;
    e->env_stale = false;
    env_share_release(e);
    return true;
}

check_env *env_read(engine *e)
{
    if (!e->env_stale)
        return e->env;
    struct env_share *s = e->share;
    if (!s)
        return env_ready(e) ? e->env : NULL;
    s->mem.fail = share_failed;
    s->mem.fail_ctx = e;
    if (!s->env)
        s->env = env_build(e, &s->mem);
    if (!s->env)
        s->mem.fail = NULL;
    return s->env;
}

void env_read_end(engine *e)
{
    if (e->share)
        e->share->mem.fail = NULL;
}

/* Is S the environment of E's program (its loads and functions)? */
static bool share_fits(const struct env_share *s, const engine *e)
{
    return s->nloads == e->nloads && s->loads_end == e->loads_end && s->nfns == e->nfns;
}

void env_share_clone(engine *c, engine *e)
{
    if (e->share && !share_fits(e->share, e))
        env_share_release(e);
    if (!e->share) {
        struct env_share *s = calloc(1, sizeof *s);
        if (!s)
            return; /* C makes its own when it reads */
        mem_init(&s->mem);
        s->refs = 1;
        s->nloads = e->nloads;
        s->loads_end = e->loads_end;
        s->nfns = e->nfns;
        e->share = s;
    }
    e->share->refs++;
    c->share = e->share;
}
