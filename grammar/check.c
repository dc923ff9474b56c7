/* check.c — judging a parsed program; see check.h.
 *
 * Three sweeps over the declarations:
 *   1. templates and asks: the names everything else refers to;
 *   2. rules, facts and cases: names, slots, types, variables, functions,
 *      and what each action and fact can put into each slot;
 *   3. lint that needs the whole program: rules that test a constant
 *      nothing can give (W002), templates nothing uses (W003).
 * One root cause gets one diagnostic: an unknown template is reported,
 * its slots are not.
 *
 * Variables (what engine/compile.c relies on): a rule's conditions are read
 * in order. A `?x` in a slot constraint binds the slot's value where it
 * first appears in a pattern that is not under not/exists/forall: on its
 * own, under `&`, or under `|` only as the constraint's first term
 * (`?x & a | b`, as in CLIPS). Elsewhere it tests against the value bound
 * before. A variable first seen under not/exists/forall is local to that
 * element. After an `or`, a variable is bound when every alternative
 * binds it. `?f <-` binds a fact, for retract and modify only; `bind`
 * binds for the actions after it.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/near.h"
#include "builtins.h"

/* ---- a name table: arena-backed open addressing ---- */

/* A table of the environment (LOG set) owns copies of its keys in LOG's
 * arena and writes each change to LOG's undo log; a table of one check
 * borrows its keys from the program. A table the open transaction made
 * (TXN is its number) goes whole when it rolls back, the map put back as
 * it was before: what is done to such a table is not logged, so a load of
 * many rules into tables it sized at once logs next to nothing. A table
 * fills to four fifths before it doubles (a load of 100,000 rules fits
 * 131,072 places, where three quarters would take twice that). */
typedef struct name_map {
    arena *a;
    const char **keys;
    uint32_t *lens;
    void **vals;
    uint32_t cap, n;
    struct check_env *log;
    uint32_t txn;
} name_map;

static void env_log(struct check_env *, void *at, size_t size);
static void env_log_insert(struct check_env *, name_map *, uint32_t slot);
static bool env_fresh(const struct check_env *, uint32_t txn);
static uint32_t env_txn(const struct check_env *);

static uint32_t hash_name(const char *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void map_init(name_map *m, arena *a, uint32_t expect)
{
    memset(m, 0, sizeof *m);
    m->a = a;
    m->cap = 16;
    while ((uint64_t)m->cap * 4 < (uint64_t)expect * 5)
        m->cap *= 2;
    m->keys = arena_alloc(a, m->cap * sizeof *m->keys);
    m->lens = arena_alloc(a, m->cap * sizeof *m->lens);
    m->vals = arena_alloc(a, m->cap * sizeof *m->vals);
}

static uint32_t map_slot(const name_map *m, const char *s, uint32_t len)
{
    uint32_t i = hash_name(s, len) & (m->cap - 1);
    while (m->keys[i] && !(m->lens[i] == len && memcmp(m->keys[i], s, len) == 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void *map_get(const name_map *m, const char *s, uint32_t len)
{
    return m->vals[map_slot(m, s, len)];
}

/* The same names in a table with room for EXPECT. */
static void map_resize(name_map *m, uint32_t expect)
{
    if (m->log && !env_fresh(m->log, m->txn))
        env_log(m->log, m, sizeof *m);
    name_map bigger;
    map_init(&bigger, m->a, expect);
    bigger.log = m->log;
    bigger.txn = m->log ? env_txn(m->log) : 0;
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        uint32_t j = hash_name(m->keys[i], m->lens[i]) & (bigger.cap - 1);
        while (bigger.keys[j])
            j = (j + 1) & (bigger.cap - 1);
        bigger.keys[j] = m->keys[i];
        bigger.lens[j] = m->lens[i];
        bigger.vals[j] = m->vals[i];
    }
    bigger.n = m->n;
    *m = bigger;
}

/* Room for MORE names besides those in M without growing again. */
static void map_reserve(name_map *m, uint32_t more)
{
    if (((uint64_t)m->n + more + 1) * 5 > (uint64_t)m->cap * 4)
        map_resize(m, m->n + more);
}

/* Store VAL under NAME unless present; returns the value already there.
 * A table of the environment keeps its own copy of a new key, unless
 * KEPT says the key is the environment's already. */
static void *map_insert(name_map *m, const char *s, uint32_t len, void *val, bool kept)
{
    if (((uint64_t)m->n + 1) * 5 > (uint64_t)m->cap * 4)
        map_resize(m, m->cap);
    uint32_t i = hash_name(s, len) & (m->cap - 1);
    while (m->keys[i]) {
        if (m->lens[i] == len && memcmp(m->keys[i], s, len) == 0)
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    if (m->log) {
        if (!kept)
            s = arena_strndup(m->a, s, len);
        if (!env_fresh(m->log, m->txn))
            env_log_insert(m->log, m, i);
    }
    m->keys[i] = s;
    m->lens[i] = len;
    m->vals[i] = val;
    m->n++;
    return NULL;
}

static void *map_put(name_map *m, const char *s, uint32_t len, void *val)
{
    return map_insert(m, s, len, val, false);
}

/* ---- the environment: what earlier loads declared ---- */

/* One change to the environment, to be undone if the check fails. A load
 * logs a few for every rule, so an entry is small: old bytes of up to
 * UNDO_INLINE are kept in it, more (a name_map that grew) in the
 * environment's arena, which the undoing rolls back after it. */
enum { UNDO_INLINE = 16 };
typedef struct undo {
    void *at;                   /* U_BYTES: where; U_INSERT: the name_map */
    uint32_t kind;              /* U_BYTES, U_INSERT */
    uint32_t size;              /* U_BYTES; U_INSERT: the slot */
    union {
        unsigned char bytes[UNDO_INLINE];
        unsigned char *copy;
    } old;
} undo;
enum { U_BYTES, U_INSERT };

struct check_env {
    sn_mem *mem;
    arena *a;                   /* owns everything below but the log */
    name_map tmpls;             /* tmpl_info by name */
    name_map rules, cases, facts; /* ast_name copies by name */
    name_map sources;           /* env_source by id */
    name_map functions;         /* env_function by name: the embedder's */
    name_map queries;           /* ast_name copies by name */
    name_map modules;           /* env_module by name (main is not in it) */
    bool has_focus;             /* a starting focus was declared ... */
    span focus_sp;              /* ... here */
    uint32_t ntmpls;            /* templates so far: the next one's id */
    uint32_t nfuncs;            /* functions of the language so far: the next one's id */
    bool open;                  /* between check_env_begin and its end */
    uint32_t txn;               /* transactions begun: the open one's number */
    arena_mark mark;
    undo *log;                  /* from mem */
    uint32_t nlog, caplog;
};

/* Was a table made in transaction TXN made in the open one? */
static bool env_fresh(const struct check_env *env, uint32_t txn)
{
    return env->open && txn == env->txn;
}

static uint32_t env_txn(const struct check_env *env) { return env->txn; }

static undo *log_push(struct check_env *env)
{
    if (env->nlog == env->caplog) {
        uint32_t cap = env->caplog ? env->caplog * 2 : 64;
        undo *grown = mem_realloc(env->mem, env->log, cap * sizeof *grown);
        if (!grown) {
            mem_failed(env->mem); /* the front end's boundary unwinds */
            abort();              /* a check always runs under one */
        }
        env->log = grown;
        env->caplog = cap;
    }
    return &env->log[env->nlog++];
}

static void env_log(struct check_env *env, void *at, size_t size)
{
    if (!env || !env->open)
        return;
    unsigned char *copy = NULL;
    if (size > UNDO_INLINE) {
        copy = arena_alloc(env->a, size);
        memcpy(copy, at, size);
    }
    undo *u = log_push(env);
    u->kind = U_BYTES;
    u->at = at;
    u->size = (uint32_t)size;
    if (copy)
        u->old.copy = copy;
    else
        memcpy(u->old.bytes, at, size);
}

static void env_log_insert(struct check_env *env, name_map *m, uint32_t slot)
{
    if (!env->open)
        return;
    undo *u = log_push(env);
    u->kind = U_INSERT;
    u->at = m;
    u->size = slot;
}

/* Set LV, a field of something the environment keeps, to VAL, logged. */
#define SET(c, lv, val)                              \
    do {                                             \
        __typeof__(lv) set_v_ = (val);               \
        if ((lv) != set_v_) {                        \
            env_log((c)->env, &(lv), sizeof(lv));    \
            (lv) = set_v_;                           \
        }                                            \
    } while (0)

/* A new environment in MEM, filled by FILL from FROM (under a landing:
 * memory that runs out while filling frees it all); NULL when memory ran
 * out. */
static check_env *env_make(sn_mem *mem, void (*fill)(check_env *, const check_env *),
                           const check_env *from)
{
    jmp_buf here;
    jmp_buf *outer = mem->oom;
    check_env *volatile env = mem_calloc(mem, 1, sizeof *env);
    if (!env)
        return NULL;
    env->mem = mem;
    env->a = arena_new(mem);
    if (!env->a) {
        mem_free(mem, env);
        return NULL;
    }
    if (setjmp(here)) {
        mem->oom = outer;
        arena_free(env->a);
        mem_free(mem, env);
        return NULL;
    }
    mem->oom = &here;
    fill(env, from);
    mem->oom = outer;
    return env;
}

/* An empty environment's tables. */
static void env_init(check_env *env, const check_env *unused)
{
    (void)unused;
    map_init(&env->tmpls, env->a, 16);
    map_init(&env->rules, env->a, 64);
    map_init(&env->cases, env->a, 16);
    map_init(&env->facts, env->a, 16);
    map_init(&env->sources, env->a, 8);
    map_init(&env->functions, env->a, 8);
    map_init(&env->queries, env->a, 8);
    map_init(&env->modules, env->a, 8);
    env->tmpls.log = env->rules.log = env->cases.log = env->facts.log = env->sources.log = env;
    env->functions.log = env;
    env->queries.log = env;
    env->modules.log = env;
}

check_env *check_env_new(sn_mem *mem)
{
    return env_make(mem, env_init, NULL);
}

void check_env_free(check_env *env)
{
    if (!env)
        return;
    arena_free(env->a);
    mem_free(env->mem, env->log);
    mem_free(env->mem, env);
}

void check_env_begin(check_env *env)
{
    env->open = true;
    env->txn++;
    env->nlog = 0;
    env->mark = arena_get_mark(env->a);
}

void check_env_commit(check_env *env)
{
    env->open = false;
    /* nothing to undo any more: the log's room goes (a big load logs a lot) */
    mem_free(env->mem, env->log);
    env->log = NULL;
    env->nlog = env->caplog = 0;
}

void check_env_rollback(check_env *env)
{
    if (!env->open)
        return;
    while (env->nlog > 0) {
        undo *u = &env->log[--env->nlog];
        if (u->kind == U_BYTES) {
            memcpy(u->at, u->size > UNDO_INLINE ? u->old.copy : u->old.bytes, u->size);
        } else {
            name_map *m = u->at;
            m->keys[u->size] = NULL;
            m->lens[u->size] = 0;
            m->vals[u->size] = NULL;
            m->n--;
        }
    }
    arena_rollback(env->a, env->mark);
    env->open = false;
    /* as after a commit: a typed fact or pattern, checked and rolled back,
     * leaves nothing behind */
    mem_free(env->mem, env->log);
    env->log = NULL;
    env->caplog = 0;
}

uint32_t check_env_templates(const check_env *env)
{
    return env->ntmpls;
}

struct env_function {
    int min_args, max_args;     /* max < 0: no upper bound */
    uint32_t id;                /* what a call of it resolves to */
    /* a function of the language (`function NAME(...) = ...`) */
    bool lang;                  /* id: its number among them */
    span sp;                    /* its name where it is defined */
    uint32_t depth;             /* calls nested in a call of it, itself included */
};

bool check_env_add_function(check_env *env, const char *name, int min_args, int max_args,
                            uint32_t id)
{
    size_t len = strlen(name);
    if (env->open || len > UINT32_MAX || builtin_find(name, len) ||
        map_get(&env->functions, name, (uint32_t)len))
        return false;
    jmp_buf here;
    jmp_buf *outer = env->mem->oom;
    if (setjmp(here)) {
        env->mem->oom = outer;
        return false;
    }
    env->mem->oom = &here;
    env_function *f = arena_alloc(env->a, sizeof *f);
    f->min_args = min_args;
    f->max_args = max_args;
    f->id = id;
    map_put(&env->functions, name, (uint32_t)len, f);
    env->mem->oom = outer;
    return true;
}

typedef struct env_source {
    const char *label;
    span sp;
} env_source;

const char *check_env_source(const check_env *env, const char *id, uint32_t len, span *first)
{
    const env_source *s = map_get(&env->sources, id, len);
    if (s && first)
        *first = s->sp;
    return s ? s->label : NULL;
}

void check_env_add_source(check_env *env, const char *id, uint32_t len, const char *label, span sp)
{
    env_source *s = arena_alloc(env->a, sizeof *s);
    s->label = arena_strndup(env->a, label, strlen(label));
    s->sp = sp;
    map_put(&env->sources, id, len, s);
}

/* ---- modules (check_module.c judges them) ---- */

typedef struct env_module {
    uint32_t id;
    span sp;
} env_module;

int32_t check_env_module(const check_env *env, const char *name, uint32_t len, span *first)
{
    if (len == 4 && memcmp(name, "main", 4) == 0)
        return 0;
    const env_module *m = map_get(&env->modules, name, len);
    if (m && first)
        *first = m->sp;
    return m ? (int32_t)m->id : -1;
}

uint32_t check_env_add_module(check_env *env, const char *name, uint32_t len, span sp)
{
    env_module *m = arena_alloc(env->a, sizeof *m);
    m->id = env->modules.n + 1;
    m->sp = sp;
    map_put(&env->modules, name, len, m);
    return m->id;
}

uint32_t check_env_modules(const check_env *env)
{
    return env->modules.n + 1;
}

const char *check_env_module_name(const check_env *env, uint32_t id)
{
    if (id == 0)
        return "main";
    for (uint32_t i = 0; i < env->modules.cap; i++)
        if (env->modules.keys[i] && ((const env_module *)env->modules.vals[i])->id == id)
            return env->modules.keys[i];
    return NULL;
}

bool check_env_focus(const check_env *env, span *first)
{
    if (env->has_focus && first)
        *first = env->focus_sp;
    return env->has_focus;
}

void check_env_set_focus(check_env *env, span sp)
{
    env_log(env, &env->has_focus, sizeof env->has_focus);
    env_log(env, &env->focus_sp, sizeof env->focus_sp);
    env->has_focus = true;
    env->focus_sp = sp;
}

/* ---- what the checker knows of templates ---- */

/* A set of numbers, each as its double's bits (so that 1 and 1.0 are the
 * same number): open addressing, NUMSET_EMPTY marking a free place (a
 * NaN no literal makes). Its array is the transaction's own: the first
 * change in a transaction copies it (logging the set as it was), so a
 * rollback puts back the old array untouched. A slot that takes many
 * numbers (a rule each) keeps 8 bytes a number, not a name table's key. */
#define NUMSET_EMPTY UINT64_C(0x7ff8dead5eed0001)

typedef struct numset {
    uint64_t *keys;
    uint32_t n, cap;            /* cap: 0 or a power of two */
    uint32_t txn;               /* the transaction that made KEYS */
} numset;

typedef struct slot_info {
    ast_slotdecl *decl;
    ast_type type;
    bool type_ok;               /* false after E115: don't judge values */
    ast_ask *ask;         /* its answers are the slot's domain */
    name_map produced;          /* symbols and strings facts and actions put
                                   here, by lit_key (the key says it all: each
                                   value is the slot) */
    numset produced_nums;       /* and numbers */
    bool produced_any;          /* some producer puts a computed value */
    bool produced_untold;       /* some constants put here were not recorded */
} slot_info;

typedef struct tmpl_info {
    ast_decl *decl;       /* the environment's copy */
    uint32_t id;                /* order of definition, from 0 */
    slot_info *slots;
    uint32_t nslots;
    name_map byname;            /* slot_info by name; keys borrowed from decl */
    bool used;
    bool asked;                 /* some slot has an ask */
    bool input;                 /* in a facts block or a case's given facts */
    uint32_t producers;         /* assert and conclude actions that make one */
    uint32_t producers_txn;     /* the transaction that logged it last: a load
                                   of many rules logs its old value once */
} tmpl_info;

/* A pattern that tests a slot against a constant, judged in sweep 3. */
typedef struct const_test {
    tmpl_info *t;
    slot_info *s;
    ast_lit *lit;
    ast_rule *rule;
    struct const_test *next;
} const_test;

/* ---- variables of one rule ---- */

typedef enum var_state {
    V_BOUND,     /* bound by a positive pattern or `bind` */
    V_FACT,      /* bound by `?f <-` */
    V_LOCAL,     /* first seen inside not/exists/forall region `region` */
    V_PARTIAL,   /* bound in some alternatives of an `or` only */
} var_state;

typedef struct var {
    const char *name;
    uint32_t len;
    var_state state;
    uint32_t region;            /* V_LOCAL: where it was introduced */
    const char *region_kind;    /* V_LOCAL: "not", "exists" or "forall" */
    span first;
    uint32_t count;             /* occurrences in the rule */
    bool by_bind;               /* first bound by a `bind` action */
    ast_pattern *fact_pat; /* bound by `?f <-` (V_FACT, or V_PARTIAL
                                  * after an `or`): the pattern it names */
} var;

typedef struct checker {
    ast_program *prog;
    arena *a;                   /* the program's: what dies with this check */
    check_env *env;
    diag_list *d;
    name_map unknown;           /* template names already reported unknown */
    const_test *tests;          /* in the program's scratch arena */
    bool *input_soon;           /* by template id: this program's facts blocks
                                   or cases give facts of it (input_templates) */
    uint32_t ninput_soon;
    /* per rule */
    var *vars;
    uint32_t nvars, capvars;
    uint32_t regions;           /* regions opened so far in this rule */
    uint32_t open[SINEW_MAX_DEPTH + 2]; /* stack of open regions */
    const char *open_kind[SINEW_MAX_DEPTH + 2];
    uint32_t nopen;
    ast_rule *rule;       /* the rule being judged, or NULL */
    const char *ground;         /* in a facts block or given facts: "a fact in
                                 * a facts block" or "a given fact"; else NULL */
    ast_function **funcs;       /* this program's functions, by id - first_func */
    uint32_t first_func, nfuncs;
} checker;

#define ERR(c, code, sp, ...) diag_add((c)->d, DIAG_ERROR, (code), (sp), __VA_ARGS__)
#define WARN(c, code, sp, ...) diag_add((c)->d, DIAG_WARNING, (code), (sp), __VA_ARGS__)

static bool name_eq(ast_name *n, const char *s)
{
    return n->text && n->len == strlen(s) && memcmp(n->text, s, n->len) == 0;
}

/* ---- "did you mean" ---- */

/* Keep CAND as the suggestion for WANT if it is the closest so far. */
static void consider(const char **best, unsigned *bestd, ast_name *want, const char *cand)
{
    uint32_t len = (uint32_t)strlen(cand);
    unsigned limit = want->len <= 3 ? 1 : 2;
    /* most names of a big knowledge base are ruled out by their length
     * alone (near.h) */
    unsigned dist = near_distance(want->text, want->len, cand, len, limit);
    if (dist <= limit && dist < *bestd) {
        *best = cand;
        *bestd = dist;
    }
}

static void suggest(checker *c, const char *best)
{
    if (best)
        diag_note(c->d, NULL, "did you mean '%s'?", best);
}

/* ---- templates ---- */

static bool parse_type(ast_name *n, ast_type *t)
{
    static const struct { const char *name; ast_type type; } types[] = {
        {"symbol", TY_SYMBOL}, {"string", TY_STRING}, {"int", TY_INT}, {"float", TY_FLOAT},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (name_eq(n, types[i].name)) {
            *t = types[i].type;
            return true;
        }
    return false;
}

static bool type_fits(ast_type slot, ast_type value)
{
    return slot == value || (slot == TY_FLOAT && value == TY_INT);
}

static const char *a_type(ast_type t)
{
    switch (t) {
    case TY_SYMBOL: return "a symbol";
    case TY_STRING: return "a string";
    case TY_INT: return "an integer";
    case TY_FLOAT: return "a float";
    }
    return "a value";
}

static slot_info *find_slot(tmpl_info *t, ast_name *n)
{
    return map_get(&t->byname, n->text, n->len);
}

static void unknown_slot(checker *c, tmpl_info *t, ast_name *n)
{
    ERR(c, E_UNKNOWN_SLOT, n->sp, "template '%s' has no slot '%s'", t->decl->u.tmpl.name.text,
        n->text);
    const char *best = NULL;
    unsigned bestd = 99;
    for (uint32_t i = 0; i < t->nslots; i++)
        consider(&best, &bestd, n, t->slots[i].decl->name.text);
    if (best)
        suggest(c, best);
    else if (t->nslots > 0) {
        char list[256];
        size_t at = 0;
        for (uint32_t i = 0; i < t->nslots && at < sizeof list - 40; i++)
            at += (size_t)snprintf(list + at, sizeof list - at, "%s'%s'", i ? ", " : "",
                                   t->slots[i].decl->name.text);
        diag_note(c->d, NULL, "its slots are %s", list);
    } else {
        diag_note(c->d, NULL, "it has no slots");
    }
}

static tmpl_info *lookup_template(checker *c, ast_name *n)
{
    tmpl_info *t = map_get(&c->env->tmpls, n->text, n->len);
    if (t) {
        SET(c, t->used, true);
        return t;
    }
    if (map_put(&c->unknown, n->text, n->len, (void *)n))
        return NULL; /* reported at its first use */
    ERR(c, E_UNKNOWN_TEMPLATE, n->sp, "unknown template '%s'", n->text);
    const char *best = NULL;
    unsigned bestd = 99;
    const name_map *m = &c->env->tmpls;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            consider(&best, &bestd, n, m->keys[i]);
    suggest(c, best);
    return NULL;
}

/* ---- copies the environment keeps of what a program declares ---- */

static ast_name copy_name(arena *a, ast_name n)
{
    if (n.text)
        n.text = arena_strndup(a, n.text, n.len);
    return n;
}

static void copy_lit_into(arena *a, ast_lit *x, const ast_lit *l)
{
    *x = *l;
    if (l->type == TY_SYMBOL || l->type == TY_STRING)
        x->u.s = arena_strndup(a, l->u.s, l->len);
}

static ast_lit *copy_lit(arena *a, const ast_lit *l)
{
    ast_lit *x = arena_alloc(a, sizeof *x);
    copy_lit_into(a, x, l);
    return x;
}

static ast_decl *copy_template(arena *a, ast_decl *d)
{
    ast_decl *x = arena_alloc(a, sizeof *x);
    x->kind = DECL_TEMPLATE;
    x->sp = d->sp;
    x->u.tmpl.name = copy_name(a, d->u.tmpl.name);
    ast_slotdecl **tail = &x->u.tmpl.slots;
    for (ast_slotdecl *s = d->u.tmpl.slots; s; s = s->next) {
        ast_slotdecl *y = arena_alloc(a, sizeof *y);
        y->name = copy_name(a, s->name);
        y->type = copy_name(a, s->type);
        y->dflt = s->dflt ? copy_lit(a, s->dflt) : NULL;
        y->sp = s->sp;
        *tail = y;
        tail = &y->next;
    }
    return x;
}

static ast_ask *copy_ask(arena *a, ast_ask *k)
{
    ast_ask *x = arena_alloc(a, sizeof *x);
    x->tmpl = copy_name(a, k->tmpl);
    x->slot = copy_name(a, k->slot);
    x->question = k->question;
    if (k->question.text)
        x->question.text = arena_strndup(a, k->question.text, k->question.len);
    x->multiple = k->multiple;
    ast_answer **tail = &x->answers;
    for (const ast_answer *l = k->answers; l; l = l->next) {
        *tail = arena_alloc(a, sizeof **tail);
        copy_lit_into(a, &(*tail)->lit, &l->lit);
        tail = &(*tail)->next;
    }
    return x;
}

static void first_defined(checker *c, const char *what, span sp)
{
    diag_note(c->d, &sp, "%s first defined here", what);
}

static void collect_template(checker *c, ast_decl *d)
{
    ast_template *t = &d->u.tmpl;
    tmpl_info *old = map_get(&c->env->tmpls, t->name.text, t->name.len);
    if (old) {
        ERR(c, E_DUP_TEMPLATE, t->name.sp, "template '%s' is defined twice", t->name.text);
        first_defined(c, "it was", old->decl->u.tmpl.name.sp);
        return;
    }
    arena *a = c->env->a;
    tmpl_info *info = arena_alloc(a, sizeof *info);
    info->decl = copy_template(a, d);
    info->id = c->env->ntmpls;
    SET(c, c->env->ntmpls, c->env->ntmpls + 1);
    map_put(&c->env->tmpls, t->name.text, t->name.len, info);
    t = &info->decl->u.tmpl;
    uint32_t n = 0;
    for (ast_slotdecl *s = t->slots; s; s = s->next)
        n++;
    if (n > SINEW_MAX_SLOTS) {
        ERR(c, E_TEMPLATE_SIZE, t->name.sp, "template '%s' has %u slots; at most %u are allowed",
            t->name.text, n, SINEW_MAX_SLOTS);
        diag_note(c->d, NULL, "split it into templates that share a key slot");
    }
    info->slots = arena_alloc(a, (n ? n : 1) * sizeof *info->slots);
    map_init(&info->byname, a, n);
    for (ast_slotdecl *s = t->slots; s; s = s->next) {
        slot_info *si = &info->slots[info->nslots];
        slot_info *first = map_put(&info->byname, s->name.text, s->name.len, si);
        if (first) {
            ERR(c, E_DUP_SLOT, s->name.sp, "template '%s' declares slot '%s' twice",
                t->name.text, s->name.text);
            first_defined(c, "the slot was", first->decl->name.sp);
            continue;
        }
        info->nslots++;
        si->decl = s;
        si->type_ok = parse_type(&s->type, &si->type);
        if (!si->type_ok) {
            ERR(c, E_UNKNOWN_TYPE, s->type.sp, "unknown slot type '%s'", s->type.text);
            diag_note(c->d, NULL, "a slot is a symbol, string, int or float");
            continue;
        }
        if (s->dflt && !type_fits(si->type, s->dflt->type))
            ERR(c, E_TYPE, s->dflt->sp, "slot '%s' is %s, but its default is %s", s->name.text,
                a_type(si->type), a_type(s->dflt->type));
    }
}

static bool lit_equal(ast_lit *a, ast_lit *b)
{
    if (a->type == TY_INT && b->type == TY_INT)
        return a->u.i == b->u.i;
    if ((a->type == TY_INT || a->type == TY_FLOAT) && (b->type == TY_INT || b->type == TY_FLOAT)) {
        double x = a->type == TY_INT ? (double)a->u.i : a->u.f;
        double y = b->type == TY_INT ? (double)b->u.i : b->u.f;
        return x == y;
    }
    return a->type == b->type && a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
}

static bool in_domain(ast_ask *ask, ast_lit *l)
{
    for (ast_lit *x = answer_first(ask); x; x = answer_next(x))
        if (lit_equal(x, l))
            return true;
    return false;
}

/* A literal as written in a message: the whole of it, from the check's
 * arena (a long answer is neither cut nor allowed to overrun a buffer). */
static const char *lit_text(checker *c, ast_lit *l)
{
    char num[48];
    switch (l->type) {
    case TY_INT: snprintf(num, sizeof num, "%lld", (long long)l->u.i); break;
    case TY_FLOAT: snprintf(num, sizeof num, "%g", l->u.f); break;
    case TY_SYMBOL: return l->u.s;
    case TY_STRING: {
        char *q = arena_alloc(c->a, l->len + 3);
        q[0] = '"';
        memcpy(q + 1, l->u.s, l->len);
        q[l->len + 1] = '"';
        return q;
    }
    }
    return arena_strndup(c->a, num, strlen(num));
}

/* The first answers of ASK, in a note under the question. */
enum { DOMAIN_SHOWN = 8 };

static void note_domain(checker *c, ast_ask *ask)
{
    const char *text[DOMAIN_SHOWN];
    size_t len = sizeof ", ...";
    unsigned n = 0;
    bool more = false;
    for (ast_lit *x = answer_first(ask); x; x = answer_next(x)) {
        if (n == DOMAIN_SHOWN) {
            more = true;
            break;
        }
        text[n] = lit_text(c, x);
        len += strlen(text[n]) + 2;
        n++;
    }
    char *list = arena_alloc(c->a, len);
    size_t at = 0;
    for (unsigned i = 0; i < n; i++)
        at += (size_t)snprintf(list + at, len - at, "%s%s", i ? ", " : "", text[i]);
    if (more)
        snprintf(list + at, len - at, ", ...");
    diag_note(c->d, &ask->question.sp, "the answers allowed are %s", list);
}

static void collect_ask(checker *c, ast_decl *d)
{
    ast_ask *ask = &d->u.ask;
    if (ask->items)
        return; /* grouped: collect_groups, once every ask is known */
    tmpl_info *t = lookup_template(c, &ask->tmpl);
    if (!t)
        return;
    slot_info *s = find_slot(t, &ask->slot);
    if (!s) {
        unknown_slot(c, t, &ask->slot);
        return;
    }
    if (s->ask) {
        ERR(c, E_DUP_DECL, ask->slot.sp, "'%s.%s' is asked twice", ask->tmpl.text,
            ask->slot.text);
        first_defined(c, "the question was", s->ask->slot.sp);
        return;
    }
    ask->tmpl_id = t->id;
    ask->slot_index = (uint32_t)(s - t->slots);
    SET(c, s->ask, copy_ask(c->env->a, ask));
    SET(c, t->asked, true);
    /* a consultation reads `unknown` as "not known", never as an answer */
    for (const ast_lit *x = answer_first(ask); x; x = answer_next(x))
        if ((x->type == TY_SYMBOL || x->type == TY_STRING) && x->len == 7 && memcmp(x->u.s, "unknown", 7) == 0)
            ERR(c, E_RESERVED_ANSWER, x->sp,
                "'unknown' cannot be an answer: in a consultation it says the answer is not known");
    if (!s->type_ok)
        return;
    for (ast_lit *x = answer_first(ask); x; x = answer_next(x))
        if (!type_fits(s->type, x->type))
            ERR(c, E_TYPE, x->sp, "slot '%s.%s' is %s, but this answer is %s", ask->tmpl.text,
                ask->slot.text, a_type(s->type), a_type(x->type));
}

/* Grouped questions: a name no template has, and items that are asked
 * findings, each in one group at most, with an allowed answer. */
static void collect_groups(checker *c, ast_program *prog)
{
    name_map names, items;
    map_init(&names, c->a, 8);
    map_init(&items, c->a, 32);
    for (ast_decl *d = prog->decls; d; d = d->next) {
        if (d->kind != DECL_ASK || !d->u.ask.items)
            continue;
        ast_ask *g = &d->u.ask;
        if (map_get(&c->env->tmpls, g->tmpl.text, g->tmpl.len)) {
            ERR(c, E_DUP_DECL, g->tmpl.sp, "'%s' names a template; a grouped question needs a name of its own",
                g->tmpl.text);
            continue;
        }
        ast_name *copy = arena_alloc(c->a, sizeof *copy);
        *copy = g->tmpl;
        const ast_name *old = map_put(&names, g->tmpl.text, g->tmpl.len, copy);
        if (old) {
            ERR(c, E_DUP_DECL, g->tmpl.sp, "grouped question '%s' is defined twice", g->tmpl.text);
            first_defined(c, "it was", old->sp);
            continue;
        }
        for (ast_item *it = g->items; it; it = it->next) {
            tmpl_info *t = lookup_template(c, &it->tmpl);
            if (!t)
                continue;
            it->tmpl_id = t->id;
            const slot_info *s = NULL;
            for (uint32_t i = 0; i < t->nslots && !s; i++)
                if (t->slots[i].ask)
                    s = &t->slots[i];
            if (!s) {
                ERR(c, E_GROUP_ITEM, it->tmpl.sp,
                    "'%s' has no question: the items of a grouped question are asked findings", it->tmpl.text);
                continue;
            }
            ast_name *item = arena_alloc(c->a, sizeof *item);
            *item = it->tmpl;
            old = map_put(&items, it->tmpl.text, it->tmpl.len, item);
            if (old) {
                ERR(c, E_DUP_DECL, it->tmpl.sp, "'%s' is an item of two grouped questions, or twice of one",
                    it->tmpl.text);
                first_defined(c, "it was", old->sp);
                continue;
            }
            if (it->value && !in_domain(s->ask, it->value)) {
                ERR(c, E_DOMAIN, it->value->sp, "%s is not an allowed answer for '%s.%s'",
                    lit_text(c, it->value), it->tmpl.text, s->decl->name.text);
                note_domain(c, s->ask);
            }
        }
    }
}

/* ---- variables ---- */

static bool var_is(ast_name *n, const char *name, uint32_t len)
{
    return n->text && n->len == len && memcmp(n->text, name, len) == 0;
}

static var *find_var(checker *c, ast_name *n)
{
    for (uint32_t i = 0; i < c->nvars; i++)
        if (var_is(n, c->vars[i].name, c->vars[i].len))
            return &c->vars[i];
    return NULL;
}

static var *add_var(checker *c, ast_name *n, var_state st)
{
    if (c->nvars == c->capvars) {
        uint32_t cap = c->capvars ? c->capvars * 2 : 16;
        var *grown = arena_alloc(c->a, cap * sizeof *grown);
        if (c->nvars)
            memcpy(grown, c->vars, c->nvars * sizeof *grown);
        c->vars = grown;
        c->capvars = cap;
    }
    var *v = &c->vars[c->nvars++];
    memset(v, 0, sizeof *v);
    v->name = n->text;
    v->len = n->len;
    v->state = st;
    v->first = n->sp;
    if (c->nopen) {
        v->region = c->open[c->nopen - 1];
        v->region_kind = c->open_kind[c->nopen - 1];
    }
    return v;
}

static bool region_open(checker *c, uint32_t region)
{
    for (uint32_t i = 0; i < c->nopen; i++)
        if (c->open[i] == region)
            return true;
    return false;
}

/* Where ?N is bound after byte offset AFTER in the rule being judged: a
 * variable in a pattern that is not under not/exists/forall, a `?N <-`,
 * or a `bind`. Lets "used but never bound" become "used before it is
 * bound" with a pointer to the binding. */
static const span *later_in_cons(ast_cons *k, ast_name *n, uint32_t after)
{
    switch (k->kind) {
    case CT_VAR:
        return var_is(&k->u.var, n->text, n->len) && k->sp.start > after ? &k->u.var.sp : NULL;
    case CT_AND:
    case CT_OR: {
        const span *s = later_in_cons(k->u.bin.lhs, n, after);
        return s ? s : later_in_cons(k->u.bin.rhs, n, after);
    }
    default:
        return NULL;
    }
}

static const span *later_in_ces(ast_ce *ce, ast_name *n, uint32_t after)
{
    for (; ce; ce = ce->next) {
        const span *s = NULL;
        switch (ce->kind) {
        case CE_PATTERN:
            if (ce->u.pat.binding && var_is(ce->u.pat.binding, n->text, n->len) &&
                ce->u.pat.binding->sp.start > after)
                return &ce->u.pat.binding->sp;
            for (ast_slotcons *a = ce->u.pat.args; a && !s; a = a->next)
                s = later_in_cons(a->cons, n, after);
            break;
        case CE_OR:
        case CE_AND:
            s = later_in_ces(ce->u.list, n, after);
            break;
        case CE_AGG:
            if (var_is(&ce->u.agg->var, n->text, n->len) && ce->u.agg->var.sp.start > after)
                return &ce->u.agg->var.sp;
            break;
        default:
            break;
        }
        if (s)
            return s;
    }
    return NULL;
}

static const span *later_binding(checker *c, ast_name *n)
{
    if (!c->rule)
        return NULL;
    const span *s = later_in_ces(c->rule->conds, n, n->sp.start);
    for (ast_action *a = c->rule->actions; a && !s; a = a->next)
        if (a->kind == ACT_BIND && var_is(&a->u.bind.var, n->text, n->len) &&
            a->sp.start > n->sp.start)
            s = &a->u.bind.var.sp;
    return s;
}

/* E108 for ?N, which nothing has bound so far. HINT, when given, replaces
 * the general note on where variables are bound. */
static void report_unbound(checker *c, ast_name *n, const char *hint)
{
    const span *later = later_binding(c, n);
    if (later) {
        ERR(c, E_UNBOUND, n->sp, "variable '?%s' is used before it is bound", n->text);
        diag_note(c->d, later, "it is first bound here, later in the rule");
    } else {
        ERR(c, E_UNBOUND, n->sp, "variable '?%s' is used but never bound", n->text);
        diag_note(c->d, NULL, "%s", hint ? hint : "a variable is bound where it first appears "
                                                  "in a pattern, outside 'not', 'exists' and "
                                                  "'forall'");
    }
    /* remember it, so one mistake gives one error */
    add_var(c, n, V_BOUND)->count = 2;
}

static void report_partial(checker *c, var *v, ast_name *n)
{
    ERR(c, E_UNBOUND, n->sp, "variable '?%s' is bound in only some alternatives of 'or'",
        n->text);
    diag_note(c->d, &v->first, "it is bound here, but not in every alternative");
    v->state = v->fact_pat ? V_FACT : V_BOUND; /* once */
}

static void report_local(checker *c, var *v, ast_name *n)
{
    ERR(c, E_BOUND_IN_NOT, n->sp, "variable '?%s' is first bound inside '%s' and used outside it",
        n->text, v->region_kind);
    diag_note(c->d, &v->first, "to share '?%s', bind it in a pattern before the '%s'", n->text,
              v->region_kind);
    v->state = V_BOUND; /* once */
}

/* A use of ?N as a value (in a test, an expression, a comparison, an
 * action). Reports what is wrong with it; returns the variable or NULL. */
static var *use_var(checker *c, ast_name *n)
{
    if (c->ground) {
        ERR(c, E_NOT_CONSTANT, n->sp, "%s must be constant, but '?%s' is a variable", c->ground,
            n->text);
        return NULL;
    }
    var *v = find_var(c, n);
    if (!v) {
        report_unbound(c, n, NULL);
        return NULL;
    }
    v->count++;
    switch (v->state) {
    case V_BOUND:
        return v;
    case V_FACT:
        ERR(c, E_FACT_VAR_MISUSE, n->sp, "'?%s' names a fact, not a value", n->text);
        diag_note(c->d, &v->first, "it is bound to a whole fact here");
        return NULL;
    case V_LOCAL:
        if (region_open(c, v->region))
            return v;
        report_local(c, v, n);
        return NULL;
    case V_PARTIAL:
        report_partial(c, v, n);
        return NULL;
    }
    return NULL;
}

/* ---- expressions ---- */

static void check_expr(checker *c, ast_expr *e)
{
    switch (e->kind) {
    case EX_LIT:
        break;
    case EX_VAR:
        use_var(c, &e->u.var);
        break;
    case EX_CALL: {
        ast_name *fn = &e->u.call->fn;
        const builtin *b = builtin_find(fn->text, fn->len);
        const env_function *u = b ? NULL : map_get(&c->env->functions, fn->text, fn->len);
        if (b || u)
            e->u.call->builtin = b ? (uint32_t)b->id : u->id;
        e->u.call->func = u && u->lang ? u->id + 1 : 0;
        if (!b && !u) {
            ERR(c, E_UNKNOWN_FUNCTION, fn->sp, "unknown function '%s'", fn->text);
            const char *best = NULL;
            unsigned bestd = 99;
            for (size_t i = 0; builtin_at(i); i++)
                consider(&best, &bestd, fn, builtin_at(i)->name);
            for (uint32_t i = 0; i < c->env->functions.cap; i++)
                if (c->env->functions.keys[i])
                    consider(&best, &bestd, fn, c->env->functions.keys[i]);
            suggest(c, best);
        } else {
            const char *name = b ? b->name : fn->text;
            int lo = b ? b->min_args : u->min_args, hi = b ? b->max_args : u->max_args;
            int n = (int)e->u.call->nargs;
            if (n < lo || (hi >= 0 && n > hi)) {
                if (lo == hi)
                    ERR(c, E_ARITY, e->sp, "'%s' takes %d argument%s, found %d", name, lo,
                        lo == 1 ? "" : "s", n);
                else if (hi < 0)
                    ERR(c, E_ARITY, e->sp, "'%s' takes at least %d argument%s, found %d", name,
                        lo, lo == 1 ? "" : "s", n);
                else
                    ERR(c, E_ARITY, e->sp, "'%s' takes %d to %d arguments, found %d", name, lo,
                        hi, n);
            }
        }
        for (ast_expr *a = e->u.call->args; a; a = a->next)
            check_expr(c, a);
        break;
    }
    case EX_BINARY:
        check_expr(c, e->u.op.lhs);
        check_expr(c, e->u.op.rhs);
        break;
    case EX_UNARY:
        check_expr(c, e->u.op.lhs);
        break;
    }
}

/* A number written as a constant: a literal, or a literal after a minus
 * sign (the parser folds `-0.5` into a literal, but `-(0.5)` stays). */
static bool const_number(ast_expr *e, double *out)
{
    if (e->kind == EX_UNARY && e->u.op.op == OP_NEG) {
        if (!const_number(e->u.op.lhs, out))
            return false;
        *out = -*out;
        return true;
    }
    if (e->kind != EX_LIT)
        return false;
    if (e->u.lit.type == TY_INT)
        *out = (double)e->u.lit.u.i;
    else if (e->u.lit.type == TY_FLOAT)
        *out = e->u.lit.u.f;
    else
        return false;
    return true;
}

/* ---- patterns ---- */

typedef struct pat_ctx {
    tmpl_info *t;
    slot_info *s;       /* NULL for the cf pseudo-slot, or when unknown */
    bool is_cf;
    const char *neg;    /* inside not/exists/forall: which; else NULL */
    bool under_or;      /* inside a `|` connective */
    bool expect;        /* a case's expectation */
    ast_cons *head; /* the slot constraint's first term */
} pat_ctx;

static void check_value_type(checker *c, const slot_info *s, ast_lit *l, const char *slot)
{
    if (s && s->type_ok && !type_fits(s->type, l->type))
        ERR(c, E_TYPE, l->sp, "slot '%s' holds %s, not %s", slot, a_type(s->type),
            a_type(l->type));
}

/* A constant the `cf` pseudo-slot is tested against: a number in -1 .. 1. */
static void check_cf_value(checker *c, ast_expr *e)
{
    double x;
    if (const_number(e, &x)) {
        if (x < -1 || x > 1)
            ERR(c, E_CF, e->sp, "certainty factor %g is outside -1 .. 1", x);
    } else if (e->kind == EX_LIT) {
        ERR(c, E_CF, e->sp, "a certainty factor is a number from -1 to 1, not %s",
            a_type(e->u.lit.type));
    }
}

static bool is_number(ast_type t)
{
    return t == TY_INT || t == TY_FLOAT;
}

static bool is_order(ast_op op)
{
    return op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
}

/* The first term of a slot constraint: in `?x & red | blue` it is ?x,
 * which binds the slot's value whichever side of the `|` matches (as in
 * CLIPS). Any other variable under `|` binds nothing. */
static ast_cons *cons_head(ast_cons *k)
{
    while (k->kind == CT_AND || k->kind == CT_OR)
        k = k->u.bin.lhs;
    return k;
}

static bool agg_region(const char *kind);

static void check_cons_var(checker *c, ast_cons *k, pat_ctx *p)
{
    ast_name *n = &k->u.var;
    if (!n->text)
        return;
    bool binds = !p->under_or || k == p->head;
    var *v = find_var(c, n);
    if (!v) {
        if (p->expect)
            return; /* an expectation's variable only means "some value" */
        if (!binds) {
            report_unbound(c, n, "inside '|' only a variable written first binds, as in "
                                 "'?x & a | b'");
            return;
        }
        add_var(c, n, p->neg ? V_LOCAL : V_BOUND)->count = 1;
        return;
    }
    if (v->state == V_FACT) {
        v->count++;
        ERR(c, E_FACT_VAR_MISUSE, n->sp, "'?%s' names a fact, not a value", n->text);
        diag_note(c->d, &v->first, "it is bound to a whole fact here");
    } else if (v->state == V_LOCAL && !region_open(c, v->region) && binds && p->neg &&
               agg_region(v->region_kind)) {
        /* local to an aggregate that has ended: a new variable of that name */
        v->count++;
        v->first = n->sp;
        v->region = c->open[c->nopen - 1];
        v->region_kind = c->open_kind[c->nopen - 1];
    } else if (v->state == V_LOCAL && !region_open(c, v->region)) {
        use_var(c, n);
    } else if (v->state == V_PARTIAL && binds && !p->neg && !p->expect && !v->fact_pat) {
        /* bound by some alternatives of an `or`, and by this pattern in all */
        v->count++;
        v->state = V_BOUND;
    } else if (v->state == V_PARTIAL) {
        use_var(c, n);
    } else {
        v->count++;
    }
}

/* Whether sweep 3 could warn about a constant test of slot S of T: with
 * no ask, only of a template that no facts block or case gives and no
 * consultation asks (judge_const_tests), which sweep 1 and
 * input_templates know before the rules are judged. A program of many
 * rules testing what a data file gives keeps no record of their tests. */
static bool judged_later(const checker *c, const tmpl_info *t, const slot_info *s)
{
    if (s->ask)
        return true;
    bool soon = t->id < c->ninput_soon && c->input_soon[t->id];
    return !t->asked && !t->input && !soon;
}

static void check_cons(checker *c, ast_cons *k, pat_ctx *p, const char *slot)
{
    switch (k->kind) {
    case CT_VAR:
        check_cons_var(c, k, p);
        break;
    case CT_LIT:
        if (p->is_cf) {
            check_cf_value(c, &(ast_expr){.kind = EX_LIT, .sp = k->sp, .u.lit = k->u.lit});
            break;
        }
        check_value_type(c, p->s, &k->u.lit, slot);
        if (p->s && !p->neg && !p->under_or && !p->expect && c->rule && judged_later(c, p->t, p->s)) {
            const_test *t = arena_alloc(c->prog->scratch, sizeof *t);
            t->t = p->t;
            t->s = p->s;
            t->lit = &k->u.lit;
            t->rule = c->rule;
            t->next = c->tests;
            c->tests = t;
        }
        break;
    case CT_CMP: {
        ast_expr *r = k->u.cmp.rhs;
        check_expr(c, r);
        if (p->is_cf)
            check_cf_value(c, r);
        else if (r->kind == EX_LIT && !(is_order(k->u.cmp.op) && p->s && is_number(p->s->type) &&
                                        is_number(r->u.lit.type)))
            check_value_type(c, p->s, &r->u.lit, slot); /* `> 7.5` is fine for an int */
        break;
    }
    case CT_PRED:
        check_expr(c, k->u.pred);
        break;
    case CT_AND:
        check_cons(c, k->u.bin.lhs, p, slot);
        check_cons(c, k->u.bin.rhs, p, slot);
        break;
    case CT_OR: {
        bool was = p->under_or;
        p->under_or = true;
        check_cons(c, k->u.bin.lhs, p, slot);
        check_cons(c, k->u.bin.rhs, p, slot);
        p->under_or = was;
        break;
    }
    }
}

/* E116 when some values are given by name and some by position: reported
 * once, at the first value that breaks the style the first one set.
 * Returns true when the arguments are mixed. */
static bool mixed_args(checker *c, ast_name *first_name, ast_name *name, span sp,
                       const char *what)
{
    if ((first_name->text != NULL) == (name->text != NULL))
        return false;
    ERR(c, E_POSITIONAL, sp, "%s gives its values either all by name or all by position, "
        "not both", what);
    return true;
}

/* E116 at SP, the first of N positional values, more than T's slots. */
static void too_many_values(checker *c, const tmpl_info *t, span sp, uint32_t n)
{
    const char *name = t->decl->u.tmpl.name.text;
    if (t->nslots == 0)
        ERR(c, E_POSITIONAL, sp, "template '%s' has no slots, but %u value%s given", name, n,
            n == 1 ? " is" : "s are");
    else
        ERR(c, E_POSITIONAL, sp, "template '%s' has %u slot%s, but %u values are given", name,
            t->nslots, t->nslots == 1 ? "" : "s", n);
}

static void check_pattern(checker *c, ast_pattern *pat, const char *neg, bool expect)
{
    if (pat->binding) {
        if (neg) {
            ERR(c, E_BIND_NEGATED, pat->binding->sp, "'?%s <-' on a pattern inside '%s'",
                pat->binding->text, neg);
            if (strcmp(neg, "not") == 0)
                diag_note(c->d, NULL, "a pattern under 'not' holds when no fact matches it, so "
                          "there is no fact to bind");
            else
                diag_note(c->d, NULL, "'%s' does not pick one fact, so there is no fact to bind",
                          neg);
        } else if (expect) {
            ERR(c, E_BIND_NEGATED, pat->binding->sp, "an expectation cannot bind a fact to '?%s'",
                pat->binding->text);
        } else {
            var *v = find_var(c, pat->binding);
            if (v) {
                v->count++;
                ERR(c, E_FACT_VAR_MISUSE, pat->binding->sp, "'?%s' is bound twice",
                    pat->binding->text);
                diag_note(c->d, &v->first, "it was first bound here");
            } else {
                var *f = add_var(c, pat->binding, V_FACT);
                f->count = 1;
                f->fact_pat = pat;
            }
        }
    }
    tmpl_info *t = lookup_template(c, &pat->tmpl);
    if (t)
        pat->tmpl_id = t->id;
    bool mixed = false;
    for (ast_slotcons *a = pat->args; a && t && !mixed; a = a->next)
        mixed = mixed_args(c, &pat->args->name, &a->name, slotcons_span(a), "a pattern");
    if (!t || mixed) {
        /* still bind its variables, so later uses aren't reported too */
        pat_ctx p = {.neg = neg, .expect = expect};
        for (ast_slotcons *a = pat->args; a; a = a->next) {
            p.head = cons_head(a->cons);
            p.is_cf = name_eq(&a->name, "cf");
            check_cons(c, a->cons, &p, "?");
        }
        return;
    }
    uint32_t pos = 0;
    for (ast_slotcons *a = pat->args; a; a = a->next) {
        pat_ctx p = {.t = t, .neg = neg, .expect = expect, .head = cons_head(a->cons)};
        const char *slot;
        if (a->name.text) {
            slot = a->name.text;
            if (name_eq(&a->name, "cf")) {
                p.is_cf = true;
            } else {
                p.s = find_slot(t, &a->name);
                if (!p.s)
                    unknown_slot(c, t, &a->name);
            }
            for (ast_slotcons *b = pat->args; b != a; b = b->next)
                if (b->name.len == a->name.len &&
                    memcmp(b->name.text, a->name.text, a->name.len) == 0) {
                    ERR(c, E_DUP_SLOT, a->name.sp, "slot '%s' is given twice", slot);
                    break;
                }
        } else {
            if (pos < t->nslots) {
                p.s = &t->slots[pos];
                slot = p.s->decl->name.text;
            } else {
                slot = "?";
                if (pos == t->nslots) {
                    uint32_t n = pos;
                    for (ast_slotcons *b = a; b; b = b->next)
                        n++;
                    too_many_values(c, t, slotcons_span(a), n);
                }
            }
            pos++;
        }
        a->name.slot = p.is_cf ? AST_SLOT_CF : p.s ? (int32_t)(p.s - t->slots) : INT32_MIN;
        check_cons(c, a->cons, &p, slot);
    }
}

/* ---- facts and actions ---- */

/* A symbol or string as a map key: its type's letter and then its text,
 * so that "1x" and the symbol 1x stay apart (numbers go in a numset).
 * The key is built in BUF when it fits, else in the arena. Returns the
 * key; its length into *LEN. */
enum { LIT_KEY_BUF = 64 };
static const char *lit_key(arena *a, const ast_lit *l, char buf[LIT_KEY_BUF], uint32_t *len)
{
    char *k = l->len + 1 <= LIT_KEY_BUF ? buf : arena_alloc(a, l->len + 1);
    k[0] = l->type == TY_SYMBOL ? 's' : 't';
    memcpy(k + 1, l->u.s, l->len);
    *len = l->len + 1;
    return k;
}

static uint64_t num_bits(const ast_lit *l)
{
    double x = l->type == TY_INT ? (double)l->u.i : l->u.f;
    uint64_t k;
    memcpy(&k, &x, sizeof k);
    return k;
}

static uint32_t num_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= UINT64_C(0xff51afd7ed558ccd);
    return (uint32_t)(k ^ k >> 33);
}

static bool numset_has(const numset *s, uint64_t k)
{
    if (!s->cap)
        return false;
    for (uint32_t i = num_hash(k) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->keys[i] == k)
            return true;
        if (s->keys[i] == NUMSET_EMPTY)
            return false;
    }
}

/* A new array of CAP places from ENV's arena, holding S's numbers. */
static void numset_regrow(check_env *env, numset *s, uint32_t cap)
{
    uint64_t *keys = arena_alloc(env->a, cap * sizeof *keys);
    for (uint32_t i = 0; i < cap; i++)
        keys[i] = NUMSET_EMPTY;
    for (uint32_t j = 0; j < s->cap; j++) {
        if (s->keys[j] == NUMSET_EMPTY)
            continue;
        uint32_t i = num_hash(s->keys[j]) & (cap - 1);
        while (keys[i] != NUMSET_EMPTY)
            i = (i + 1) & (cap - 1);
        keys[i] = s->keys[j];
    }
    s->keys = keys;
    s->cap = cap;
}

static void numset_add(check_env *env, numset *s, uint64_t k)
{
    if (numset_has(s, k))
        return;
    bool full = ((uint64_t)s->n + 1) * 5 > (uint64_t)s->cap * 4; /* as a name table */
    if (!s->cap || full || !env_fresh(env, s->txn)) {
        if (!env_fresh(env, s->txn)) {
            env_log(env, s, sizeof *s);
            s->txn = env_txn(env);
        }
        numset_regrow(env, s, !s->cap ? 8 : full ? s->cap * 2 : s->cap);
    }
    uint32_t i = num_hash(k) & (s->cap - 1);
    while (s->keys[i] != NUMSET_EMPTY)
        i = (i + 1) & (s->cap - 1);
    s->keys[i] = k;
    s->n++;
}

/* Record that a fact or action can put L into slot S. The map keeps its
 * own copy of a new key (map_put with a log), which is all it keeps: a
 * symbol's or a string's text follows the key's first byte. */
static void produced_lit(checker *c, slot_info *s, ast_lit *l)
{
    if (l->type == TY_INT || l->type == TY_FLOAT) {
        numset_add(c->env, &s->produced_nums, num_bits(l));
        return;
    }
    if (!s->produced.cap) {
        env_log(c->env, &s->produced, sizeof s->produced);
        map_init(&s->produced, c->env->a, 4);
        s->produced.log = c->env;
        s->produced.txn = c->env->txn;
    }
    char buf[LIT_KEY_BUF];
    uint32_t len;
    const char *key = lit_key(c->a, l, buf, &len);
    if (!map_get(&s->produced, key, len))
        map_put(&s->produced, key, len, s);
}

/* Record VALUE, an expression, put into slot S: a computed value could be
 * anything. */
static void produced(checker *c, slot_info *s, ast_expr *value)
{
    if (value->kind == EX_LIT)
        produced_lit(c, s, &value->u.lit);
    else
        SET(c, s->produced_any, true);
}

static bool was_produced(checker *c, slot_info *s, ast_lit *l)
{
    if (s->produced_untold)
        return true;
    if (l->type == TY_INT || l->type == TY_FLOAT)
        return numset_has(&s->produced_nums, num_bits(l));
    if (!s->produced.cap)
        return false;
    char buf[LIT_KEY_BUF];
    uint32_t len;
    const char *key = lit_key(c->a, l, buf, &len);
    return map_get(&s->produced, key, len) != NULL;
}

/* A value put into slot S: its type and its ask domain. */
static void check_put(checker *c, const tmpl_info *t, slot_info *s, ast_expr *value)
{
    if (value->kind != EX_LIT || !s->type_ok)
        return;
    ast_lit *l = &value->u.lit;
    const char *slot = s->decl->name.text;
    const char *tname = t->decl->u.tmpl.name.text;
    if (!type_fits(s->type, l->type)) {
        ERR(c, E_TYPE, l->sp, "slot '%s' holds %s, not %s", slot, a_type(s->type),
            a_type(l->type));
        return;
    }
    if (s->ask && !in_domain(s->ask, l)) {
        const char *text = lit_text(c, l);
        ERR(c, E_DOMAIN, l->sp, "%s is not an allowed answer for '%s.%s'", text, tname, slot);
        note_domain(c, s->ask);
    }
}

/* Whether the constants put into slot S of T are worth recording. The
 * lint asks what a slot can hold (judge_const_tests) only of a slot with
 * an ask or of a template no facts block or case gives, so a data file's
 * many values into a template it gives are not kept, and the slot says
 * that something went unrecorded: an ask declared on it by a later load
 * then judges no test (rather than judging on half the values). */
static bool recorded(checker *c, tmpl_info *t, slot_info *s)
{
    if (s->ask || !t->input)
        return true;
    SET(c, s->produced_untold, true);
    return false;
}

/* How many values ARGS gives by position. */
static uint32_t count_positional(ast_slotval *args)
{
    uint32_t n = 0;
    for (ast_slotval *a = args; a; a = a->next)
        n += a->name.text == NULL;
    return n;
}

/* Slot values of a fact (facts, given, assert, conclude) or a modify of
 * template T (NULL when unknown: only the values' expressions are judged).
 * In a facts block or given facts c->ground is set and values must be
 * constants. DEFAULTS: slots left out take their defaults (not for modify,
 * which leaves them as they are). */
static void check_slotvals(checker *c, tmpl_info *t, ast_slotval *args, bool defaults)
{
    for (ast_slotval *a = args; a; a = a->next)
        check_expr(c, a->value);
    if (!t)
        return;
    for (ast_slotval *a = args; a; a = a->next)
        if (mixed_args(c, &args->name, &a->name, slotval_span(a), "a fact"))
            return;
    bool *given = arena_alloc(c->a, (t->nslots ? t->nslots : 1) * sizeof *given);
    uint32_t pos = 0;
    for (ast_slotval *a = args; a; a = a->next) {
        slot_info *s = NULL;
        if (a->name.text) {
            if (name_eq(&a->name, "cf")) {
                ERR(c, E_UNKNOWN_SLOT, a->name.sp, "'cf' is not a slot of '%s'",
                    t->decl->u.tmpl.name.text);
                diag_note(c->d, NULL, "to give a certainty, write 'conclude %s(...) cf N'",
                          t->decl->u.tmpl.name.text);
                continue;
            }
            s = find_slot(t, &a->name);
            if (!s) {
                unknown_slot(c, t, &a->name);
                continue;
            }
        } else {
            if (pos >= t->nslots) {
                if (pos == t->nslots)
                    too_many_values(c, t, slotval_span(a), count_positional(args));
                pos++;
                continue;
            }
            s = &t->slots[pos++];
        }
        uint32_t idx = (uint32_t)(s - t->slots);
        if (given[idx]) {
            ERR(c, E_DUP_SLOT, a->name.sp, "slot '%s' is given twice", s->decl->name.text);
            continue;
        }
        given[idx] = true;
        a->name.slot = (int32_t)idx;
        check_put(c, t, s, a->value);
        if (recorded(c, t, s))
            produced(c, s, a->value);
    }
    if (!defaults)
        return;
    for (uint32_t i = 0; i < t->nslots; i++)
        if (!given[i]) {
            slot_info *s = &t->slots[i];
            if (s->decl->dflt) {
                if (recorded(c, t, s))
                    produced_lit(c, s, s->decl->dflt);
            } else {
                SET(c, s->produced_any, true); /* the type's empty value */
            }
        }
}

/* A fact of a facts block or a case (c->ground set), or of assert or
 * conclude. */
static void check_fact(checker *c, ast_fact *f)
{
    tmpl_info *t = lookup_template(c, &f->tmpl);
    if (t)
        f->tmpl_id = t->id;
    if (t && c->ground)
        SET(c, t->input, true);
    else if (t) {
        if (c->env && t->producers_txn != env_txn(c->env)) {
            env_log(c->env, &t->producers, sizeof t->producers);
            t->producers_txn = env_txn(c->env); /* (a later transaction has another number) */
        }
        t->producers++;
    }
    check_slotvals(c, t, f->args, true);
}

/* The fact variable of a retract or modify. */
static var *fact_var(checker *c, ast_name *n, const char *action)
{
    var *v = find_var(c, n);
    if (!v) {
        char hint[160];
        snprintf(hint, sizeof hint, "bind a fact with '?%.100s <- template(...)' in the conditions",
                 n->text);
        report_unbound(c, n, hint);
        return NULL;
    }
    v->count++;
    if (v->state == V_PARTIAL) {
        report_partial(c, v, n);
        return NULL;
    }
    if (v->state != V_FACT) {
        ERR(c, E_NOT_FACT_VAR, n->sp, "'%s' needs a fact, but '?%s' holds a value", action,
            n->text);
        diag_note(c->d, &v->first, "bind a fact with '?%s <- template(...)'; here '?%s' %s",
                  n->text, n->text, v->by_bind ? "is set to a value" : "takes a slot's value");
        return NULL;
    }
    return v;
}

static void check_action(checker *c, ast_action *a)
{
    switch (a->kind) {
    case ACT_ASSERT:
        check_fact(c, &a->u.fact);
        break;
    case ACT_CONCLUDE: {
        check_fact(c, &a->u.conclude.fact);
        ast_expr *cf = a->u.conclude.cf;
        double x;
        if (!cf)
            break;
        if (!const_number(cf, &x)) {
            check_expr(c, cf);
            ERR(c, E_CF, cf->sp, "the certainty factor of 'conclude' must be a constant number "
                "from -1 to 1");
        } else if (x < -1 || x > 1) {
            ERR(c, E_CF, cf->sp, "certainty factor %g is outside -1 .. 1", x);
        }
        break;
    }
    case ACT_RETRACT:
        for (ast_expr *v = a->u.vars; v; v = v->next)
            fact_var(c, &v->u.var, "retract");
        break;
    case ACT_MODIFY: {
        var *v = fact_var(c, &a->u.modify.var, "modify");
        tmpl_info *t = NULL;
        if (v && v->fact_pat)
            t = map_get(&c->env->tmpls, v->fact_pat->tmpl.text, v->fact_pat->tmpl.len);
        for (ast_slotval *s = a->u.modify.args; s; s = s->next)
            if (!s->name.text) {
                ERR(c, E_POSITIONAL, slotval_span(s), "'modify' names each slot it changes");
                t = NULL; /* judge the values, not the slots */
                break;
            }
        if (t)
            a->u.modify.tmpl_id = t->id;
        check_slotvals(c, t, a->u.modify.args, false);
        break;
    }
    case ACT_BIND: {
        check_expr(c, a->u.bind.value);
        var *v = find_var(c, &a->u.bind.var);
        if (v && v->state == V_FACT) {
            v->count++;
            ERR(c, E_FACT_VAR_MISUSE, a->u.bind.var.sp, "'?%s' names a fact; 'bind' cannot "
                "change it", a->u.bind.var.text);
        } else if (v) {
            v->count++;
            v->state = V_BOUND;
        } else {
            v = add_var(c, &a->u.bind.var, V_BOUND);
            v->count = 1;
            v->by_bind = true;
        }
        break;
    }
    case ACT_PRINT:
        for (ast_expr *e = a->u.args; e; e = e->next)
            check_expr(c, e);
        break;
    case ACT_RECOMMEND:
        check_expr(c, a->u.recommend.text);
        break;
    case ACT_HALT:
    case ACT_FOCUS: /* check_module.c */
        break;
    }
}

/* ---- conditions ---- */

static void check_ce(checker *c, ast_ce *ce, const char *neg);
static void check_ces(checker *c, ast_ce *ce, const char *neg);
static void check_agg(checker *c, ast_ce *ce, const char *neg);

static void open_region(checker *c, const char *kind)
{
    c->open_kind[c->nopen] = kind;
    c->open[c->nopen++] = ++c->regions;
}

/* The alternatives of an `or`. Each starts from the same bindings; a
 * variable is bound after the `or` when every alternative binds it. A
 * variable new in the alternatives counts as often as in the alternative
 * that uses it most, since only one of them matches at a time. */
static void check_or(checker *c, ast_ce *ce, const char *neg)
{
    uint32_t base = c->nvars;
    var *found = NULL; /* new variables of the alternatives so far */
    uint32_t *hits = NULL;
    uint32_t nfound = 0, capfound = 0, nalts = 0;
    for (ast_ce *alt = ce->u.list; alt; alt = alt->next, nalts++) {
        check_ce(c, alt, neg);
        for (uint32_t i = base; i < c->nvars; i++) {
            const var *v = &c->vars[i];
            uint32_t j = 0;
            while (j < nfound && !(found[j].len == v->len &&
                                   memcmp(found[j].name, v->name, v->len) == 0))
                j++;
            if (j == nfound) {
                if (nfound == capfound) {
                    capfound = capfound ? capfound * 2 : 8;
                    var *fv = arena_alloc(c->a, capfound * sizeof *fv);
                    uint32_t *fh = arena_alloc(c->a, capfound * sizeof *fh);
                    if (nfound) {
                        memcpy(fv, found, nfound * sizeof *fv);
                        memcpy(fh, hits, nfound * sizeof *fh);
                    }
                    found = fv;
                    hits = fh;
                }
                found[nfound] = *v;
                hits[nfound++] = 0;
            } else if (v->count > found[j].count) {
                found[j].count = v->count;
            }
            if (v->state == V_BOUND || v->state == V_FACT)
                hits[j]++;
        }
        c->nvars = base;
    }
    for (uint32_t j = 0; j < nfound; j++) {
        var *v = add_var(c, &(ast_name){.text = found[j].name, .len = found[j].len, .sp = found[j].first},
                         found[j].state);
        *v = found[j];
        if (hits[j] < nalts && (v->state == V_BOUND || v->state == V_FACT))
            v->state = V_PARTIAL;
    }
}

/* NEG: inside not/exists/forall, the innermost one's keyword; else NULL. */
static void check_ce(checker *c, ast_ce *ce, const char *neg)
{
    switch (ce->kind) {
    case CE_PATTERN:
        check_pattern(c, &ce->u.pat, neg, false);
        break;
    case CE_NOT:
    case CE_EXISTS: {
        const char *kind = ce->kind == CE_NOT ? "not" : "exists";
        open_region(c, kind);
        check_ce(c, ce->u.sub, kind);
        c->nopen--;
        break;
    }
    case CE_FORALL:
        open_region(c, "forall");
        check_ce(c, ce->u.forall.domain, "forall");
        check_ce(c, ce->u.forall.body, "forall");
        c->nopen--;
        break;
    case CE_AND:
        check_ces(c, ce->u.list, neg);
        break;
    case CE_TEST:
        check_expr(c, ce->u.test);
        break;
    case CE_OR:
        check_or(c, ce, neg);
        break;
    case CE_AGG:
        check_agg(c, ce, neg);
        break;
    }
}

static void check_ces(checker *c, ast_ce *ce, const char *neg)
{
    for (; ce; ce = ce->next)
        check_ce(c, ce, neg);
}

/* ---- aggregates ----
 *
 * `?n = FN[(EXPR)] SOURCE`: the source (a pattern or a { } group) is a
 * region like the inside of `not`, so its new variables stay inside it;
 * EXPR is judged inside it too; the result is a new variable bound after
 * it. The function is resolved to ast_agg_fn here, for the compiler. */

static const char *const agg_names[] = {"count", "sum", "min", "max", "avg", "collect"};

/* Is KIND, a region's, an aggregate's? Its variables may be bound again
 * in a later region: `?t = sum(?s) f(v: ?s)` then `?m = max(?s) f(v: ?s)`. */
static bool agg_region(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof agg_names / sizeof agg_names[0]; i++)
        if (kind == agg_names[i])
            return true;
    return false;
}

/* The type of the slot ?N is bound to by a pattern of the source (its
 * first occurrence heading a slot's constraint), or false if none says. */
static bool agg_var_type(checker *c, const ast_ce *src, const ast_name *n, ast_type *out,
                         const char **slot, const char **tmpl)
{
    const ast_ce *list = src->kind == CE_AND ? src->u.list : src;
    for (const ast_ce *ce = list; ce; ce = src->kind == CE_AND ? ce->next : NULL) {
        if (ce->kind != CE_PATTERN)
            continue;
        const ast_pattern *p = &ce->u.pat;
        tmpl_info *t = map_get(&c->env->tmpls, p->tmpl.text, p->tmpl.len);
        for (const ast_slotcons *a = p->args; a && t; a = a->next) {
            ast_cons *h = cons_head(a->cons);
            if (h->kind != CT_VAR || !var_is(&h->u.var, n->text, n->len))
                continue;
            if (a->name.slot == AST_SLOT_CF) {
                *out = TY_FLOAT;
                *slot = "cf";
            } else if (a->name.slot >= 0 && (uint32_t)a->name.slot < t->nslots &&
                       t->slots[a->name.slot].type_ok) {
                *out = t->slots[a->name.slot].type;
                *slot = t->slots[a->name.slot].decl->name.text;
            } else {
                return false;
            }
            *tmpl = p->tmpl.text;
            return true;
        }
    }
    return false;
}

/* sum, avg, min and max read numbers: a constant or a slot of another
 * type is refused (a computed value is judged when the rule runs). */
static void agg_number_arg(checker *c, const ast_ce *ce)
{
    const ast_expr *x = ce->u.agg->arg;
    const char *fn = agg_names[ce->u.agg->kind];
    if (x->kind == EX_LIT && !is_number(x->u.lit.type)) {
        ERR(c, E_AGG_TYPE, x->sp, "'%s' reads numbers, but this is %s", fn,
            a_type(x->u.lit.type));
        return;
    }
    ast_type ty;
    const char *slot, *tmpl;
    if (x->kind == EX_VAR && agg_var_type(c, ce->u.agg->src, &x->u.var, &ty, &slot, &tmpl) &&
        !is_number(ty)) {
        ERR(c, E_AGG_TYPE, x->sp, "'%s' reads numbers, but '?%s' holds %s (slot '%s' of '%s')",
            fn, x->u.var.text, a_type(ty), slot, tmpl);
        diag_note(c->d, NULL, "'collect' gathers values of any type; 'count' counts matches");
    }
}

/* Does CE bind ?N wherever it holds: a pattern that binds it, a group
 * with a condition that does, an `or` whose every alternative does? */
static bool agg_binds(const ast_ce *ce, ast_name *n)
{
    switch (ce->kind) {
    case CE_PATTERN:
        for (const ast_slotcons *a = ce->u.pat.args; a; a = a->next) {
            ast_cons *h = cons_head(a->cons);
            if (h->kind == CT_VAR && var_is(&h->u.var, n->text, n->len))
                return true;
        }
        return false;
    case CE_AND:
        for (const ast_ce *x = ce->u.list; x; x = x->next)
            if (agg_binds(x, n))
                return true;
        return false;
    case CE_OR:
        for (const ast_ce *x = ce->u.list; x; x = x->next)
            if (!agg_binds(x, n))
                return false;
        return true;
    default: return false;
    }
}

/* The value read is computed for each alternative of the group: each of
 * its variables new in the group must be bound in every one (E108). */
static void agg_arg_bound(checker *c, ast_ce *src, ast_expr *x, uint32_t base)
{
    switch (x->kind) {
    case EX_VAR: {
        ast_name *n = &x->u.var;
        for (uint32_t i = 0; i < base; i++)
            if (var_is(n, c->vars[i].name, c->vars[i].len))
                return; /* bound before the aggregate */
        if (find_var(c, n) && !agg_binds(src, n)) {
            ERR(c, E_UNBOUND, n->sp, "variable '?%s' is bound in only some alternatives of "
                "'or'", n->text);
            diag_note(c->d, NULL, "the value an aggregate reads is read from every "
                      "alternative of its group");
        }
        return;
    }
    case EX_CALL:
        for (ast_expr *a = x->u.call->args; a; a = a->next)
            agg_arg_bound(c, src, a, base);
        return;
    case EX_BINARY:
        agg_arg_bound(c, src, x->u.op.lhs, base);
        agg_arg_bound(c, src, x->u.op.rhs, base);
        return;
    case EX_UNARY: agg_arg_bound(c, src, x->u.op.lhs, base); return;
    case EX_LIT: return;
    }
}

static void check_agg(checker *c, ast_ce *ce, const char *neg)
{
    (void)neg;
    ast_name *fn = &ce->u.agg->fn;
    int kind = -1;
    for (int i = 0; i < (int)(sizeof agg_names / sizeof agg_names[0]); i++)
        if (name_eq(fn, agg_names[i]))
            kind = i;
    if (kind < 0) {
        ERR(c, E_AGG_UNKNOWN, fn->sp, "unknown aggregate '%s'", fn->text);
        const char *best = NULL;
        unsigned bestd = 99;
        for (size_t i = 0; i < sizeof agg_names / sizeof agg_names[0]; i++)
            consider(&best, &bestd, fn, agg_names[i]);
        if (best)
            suggest(c, best);
        else
            diag_note(c->d, NULL, "an aggregate is count, sum, min, max, avg or collect");
    } else {
        ce->u.agg->kind = (ast_agg_fn)kind;
        if (kind == AGG_COUNT && ce->u.agg->arg) {
            ERR(c, E_AGG_ARG, ce->u.agg->arg->sp, "'count' counts matches and takes no value");
            diag_note(c->d, NULL, "write '?%s = count PATTERN'", ce->u.agg->var.text);
        } else if (kind != AGG_COUNT && !ce->u.agg->arg) {
            ERR(c, E_AGG_ARG, fn->sp, "'%s' needs the value it reads, in parentheses", fn->text);
            diag_note(c->d, NULL, "as in '?%s = %s(?x) PATTERN', where the pattern binds ?x",
                      ce->u.agg->var.text, fn->text);
        }
    }
    var *before = find_var(c, &ce->u.agg->var);
    uint32_t base = c->nvars;
    const char *region = kind < 0 ? "an aggregate" : agg_names[kind];
    open_region(c, region);
    check_ce(c, ce->u.agg->src, region);
    if (ce->u.agg->arg) {
        check_expr(c, ce->u.agg->arg);
        if (ce->u.agg->src->kind == CE_AND)
            agg_arg_bound(c, ce->u.agg->src, ce->u.agg->arg, base);
        if (kind == AGG_SUM || kind == AGG_AVG || kind == AGG_MIN || kind == AGG_MAX)
            agg_number_arg(c, ce);
    }
    c->nopen--;
    ast_name *n = &ce->u.agg->var;
    var *v = find_var(c, n);
    if (v) {
        v->count++;
        ERR(c, E_AGG_BOUND, n->sp, "'?%s' is already bound; an aggregate's result is a new "
            "variable", n->text);
        diag_note(c->d, &v->first, before ? "it is bound here, before the aggregate"
                                          : "it is bound here, inside the aggregate");
        if (v->state == V_LOCAL)
            v->state = V_BOUND; /* one mistake, one error */
        return;
    }
    add_var(c, n, V_BOUND)->count = 1;
}

/* ---- numbering a rule's variables ---- */

/* Every variable of a rule (or of a case's expectations) gets a number by
 * its name, the same for each of its occurrences: the compiler finds a
 * variable's binding by number, never by name. */
typedef struct numbering {
    name_map names;              /* number + 1 by name */
    uint32_t n;
} numbering;

static void num_name(numbering *nb, ast_name *n)
{
    if (!n->text)
        return;
    uintptr_t k = (uintptr_t)map_get(&nb->names, n->text, n->len);
    if (!k) {
        k = ++nb->n;
        map_put(&nb->names, n->text, n->len, (void *)k);
    }
    n->var = (uint32_t)(k - 1);
}

static void num_expr(numbering *nb, ast_expr *e)
{
    switch (e->kind) {
    case EX_LIT: break;
    case EX_VAR: num_name(nb, &e->u.var); break;
    case EX_CALL:
        for (ast_expr *a = e->u.call->args; a; a = a->next)
            num_expr(nb, a);
        break;
    case EX_BINARY:
        num_expr(nb, e->u.op.lhs);
        num_expr(nb, e->u.op.rhs);
        break;
    case EX_UNARY: num_expr(nb, e->u.op.lhs); break;
    }
}

static void num_cons(numbering *nb, ast_cons *k)
{
    switch (k->kind) {
    case CT_VAR: num_name(nb, &k->u.var); break;
    case CT_LIT: break;
    case CT_CMP: num_expr(nb, k->u.cmp.rhs); break;
    case CT_PRED: num_expr(nb, k->u.pred); break;
    case CT_AND:
    case CT_OR:
        num_cons(nb, k->u.bin.lhs);
        num_cons(nb, k->u.bin.rhs);
        break;
    }
}

static void num_pattern(numbering *nb, ast_pattern *p)
{
    if (p->binding)
        num_name(nb, p->binding);
    for (ast_slotcons *a = p->args; a; a = a->next)
        num_cons(nb, a->cons);
}

static void num_ces(numbering *nb, ast_ce *ce)
{
    for (; ce; ce = ce->next) {
        switch (ce->kind) {
        case CE_PATTERN: num_pattern(nb, &ce->u.pat); break;
        case CE_NOT:
        case CE_EXISTS: num_ces(nb, ce->u.sub); break;
        case CE_FORALL:
            num_ces(nb, ce->u.forall.domain);
            num_ces(nb, ce->u.forall.body);
            break;
        case CE_OR:
        case CE_AND: num_ces(nb, ce->u.list); break;
        case CE_TEST: num_expr(nb, ce->u.test); break;
        case CE_AGG:
            num_ces(nb, ce->u.agg->src);
            if (ce->u.agg->arg)
                num_expr(nb, ce->u.agg->arg);
            num_name(nb, &ce->u.agg->var);
            break;
        }
    }
}

static void num_slotvals(numbering *nb, ast_slotval *a)
{
    for (; a; a = a->next)
        num_expr(nb, a->value);
}

/* The names' map lives in the program's scratch arena, given back when
 * the rule is numbered: only the numbers stay (in the tree). */
static uint32_t number_rule(checker *c, ast_rule *r)
{
    numbering nb = {0};
    arena_mark m = arena_get_mark(c->prog->scratch);
    map_init(&nb.names, c->prog->scratch, 16);
    num_ces(&nb, r->conds);
    num_ces(&nb, r->filters);
    for (ast_expr *p = r->params; p; p = p->next)
        num_name(&nb, &p->u.var);
    for (ast_action *a = r->actions; a; a = a->next) {
        switch (a->kind) {
        case ACT_ASSERT: num_slotvals(&nb, a->u.fact.args); break;
        case ACT_CONCLUDE:
            num_slotvals(&nb, a->u.conclude.fact.args);
            if (a->u.conclude.cf)
                num_expr(&nb, a->u.conclude.cf);
            break;
        case ACT_RETRACT:
            for (ast_expr *v = a->u.vars; v; v = v->next)
                num_expr(&nb, v);
            break;
        case ACT_MODIFY:
            num_name(&nb, &a->u.modify.var);
            num_slotvals(&nb, a->u.modify.args);
            break;
        case ACT_BIND:
            num_expr(&nb, a->u.bind.value);
            num_name(&nb, &a->u.bind.var);
            break;
        case ACT_PRINT:
            for (ast_expr *e = a->u.args; e; e = e->next)
                num_expr(&nb, e);
            break;
        case ACT_RECOMMEND: num_expr(&nb, a->u.recommend.text); break;
        case ACT_HALT:
        case ACT_FOCUS: break;
        }
    }
    arena_rollback(c->prog->scratch, m);
    return nb.n;
}

static uint32_t number_case(checker *c, ast_case *k)
{
    numbering nb = {0};
    arena_mark m = arena_get_mark(c->prog->scratch);
    map_init(&nb.names, c->prog->scratch, 8);
    for (ast_expect *e = k->expects; e; e = e->next)
        num_pattern(&nb, &e->pat);
    arena_rollback(c->prog->scratch, m);
    return nb.n;
}

/* ---- declarations ---- */

/* ---- a rule's size ---- */

/* What normal form (engine/normal.c) makes of conditions: how many
 * alternatives, counted up to SINEW_MAX_ALTERNATIVES + 1; *WORST gets the
 * most that any one expansion inside makes, *NCONDS the patterns and tests. */
static uint64_t cap_alts(uint64_t n)
{
    return n > SINEW_MAX_ALTERNATIVES ? SINEW_MAX_ALTERNATIVES + 1 : n;
}

static uint64_t ce_list_alts(const ast_ce *list, uint64_t *worst, uint64_t *nconds);

static uint64_t ce_alts(const ast_ce *ce, uint64_t *worst, uint64_t *nconds)
{
    uint64_t n = 1;
    switch (ce->kind) {
    case CE_PATTERN:
    case CE_TEST: (*nconds)++; return 1;
    case CE_AND: return ce_list_alts(ce->u.list, worst, nconds);
    case CE_OR:
        n = 0;
        for (const ast_ce *x = ce->u.list; x; x = x->next)
            n = cap_alts(n + ce_alts(x, worst, nconds));
        return n;
    case CE_NOT:
    case CE_EXISTS: n = ce_alts(ce->u.sub, worst, nconds); break;
    case CE_FORALL:
        n = ce_alts(ce->u.forall.domain, worst, nconds);
        n = cap_alts(n * ce_alts(ce->u.forall.body, worst, nconds));
        break;
    case CE_AGG: n = ce_alts(ce->u.agg->src, worst, nconds); break;
    }
    if (n > *worst)
        *worst = n;
    return 1;
}

static uint64_t ce_list_alts(const ast_ce *list, uint64_t *worst, uint64_t *nconds)
{
    uint64_t n = 1;
    for (const ast_ce *ce = list; ce; ce = ce->next)
        n = cap_alts(n * ce_alts(ce, worst, nconds));
    if (n > *worst)
        *worst = n;
    return n;
}

static void check_rule_size(checker *c, ast_rule *r)
{
    uint64_t worst = 0, nconds = 0;
    ce_list_alts(r->conds, &worst, &nconds);
    if (nconds > SINEW_MAX_CONDITIONS) {
        ERR(c, E_RULE_SIZE, r->name.sp,
            "rule '%s' has %llu conditions; at most %u are allowed", r->name.text,
            (unsigned long long)nconds, SINEW_MAX_CONDITIONS);
        diag_note(c->d, NULL, "split it: one rule concludes a fact from some of the conditions, "
                              "the next matches that fact");
    }
    if (worst > SINEW_MAX_ALTERNATIVES) {
        ERR(c, E_RULE_SIZE, r->name.sp,
            "rule '%s' has more than %u alternatives once its 'or's are expanded",
            r->name.text, SINEW_MAX_ALTERNATIVES);
        diag_note(c->d, NULL, "each 'or' multiplies the alternatives of the conditions around "
                              "it; a choice of values in one slot ('site: groin | buttock') "
                              "makes none");
    }
}

static void check_rule(checker *c, ast_rule *r)
{
    check_rule_size(c, r);
    r->nvars = number_rule(c, r);
    c->rule = r;
    c->nvars = 0;
    c->nopen = 0;
    c->regions = 0;
    if (r->salience) {
        ast_lit *s = r->salience;
        if (s->type != TY_INT)
            ERR(c, E_SALIENCE, s->sp, "salience must be a whole number from -10000 to 10000");
        else if (s->u.i < -10000 || s->u.i > 10000)
            ERR(c, E_SALIENCE, s->sp, "salience %lld is outside -10000 .. 10000",
                (long long)s->u.i);
    }
    check_ces(c, r->conds, NULL);
    for (ast_action *a = r->actions; a; a = a->next)
        check_action(c, a);
    for (uint32_t i = 0; i < c->nvars; i++) {
        const var *v = &c->vars[i];
        if (v->count != 1 || v->name[0] == '_' || r->query)
            continue; /* a query's variables are what it gives */
        if (v->fact_pat) {
            WARN(c, W_UNUSED_VAR, v->first, "fact variable '?%s' is bound but never used",
                 v->name);
            diag_note(c->d, NULL, "leave out '?%s <-' if the rule does not change the fact",
                      v->name);
        } else if (v->by_bind) {
            WARN(c, W_UNUSED_VAR, v->first, "variable '?%s' is bound but never used", v->name);
        } else {
            WARN(c, W_UNUSED_VAR, v->first, "variable '?%s' is bound but never used", v->name);
            diag_note(c->d, NULL, "write '?' for a value you do not need, or '?_%s'", v->name);
        }
    }
    c->rule = NULL;
}

static void check_case(checker *c, ast_case *k)
{
    k->nvars = number_case(c, k);
    c->nvars = 0;
    c->nopen = 0;
    c->ground = "a given fact";
    for (ast_fact *f = k->given; f; f = f->next)
        check_fact(c, f);
    c->ground = NULL;
    for (ast_expect *e = k->expects; e; e = e->next)
        check_pattern(c, &e->pat, NULL, true);
}

static void unique_name(checker *c, name_map *m, ast_name *n, const char *what,
                        diag_code code)
{
    if (!n->text)
        return;
    ast_name *old = map_get(m, n->text, n->len);
    if (!old) {
        ast_name *copy = arena_alloc(c->env->a, sizeof *copy);
        *copy = copy_name(c->env->a, *n);
        map_insert(m, copy->text, copy->len, copy, m->log != NULL);
    } else {
        ERR(c, code, n->sp, "%s '%s' is defined twice", what, n->text);
        first_defined(c, "it was", old->sp);
    }
}

/* ---- functions of the language ---- */

/* `function NAME(?a, ?b) = EXPR`. Functions are collected in sweep 1, so
 * rules and other functions may call one written after them; bodies are
 * judged in sweep 2, and the calls between functions once all are known
 * (judge_calls). A function may not call itself, directly or through
 * others: the language has no conditional expression, so a recursive call
 * could never end. Calls nest at most SINEW_MAX_CALL_DEPTH deep, which
 * bounds evaluation's stack. */

/* Sweep 1: the name of F, and its parameters' numbers. */
static void collect_function(checker *c, ast_function *f)
{
    f->id = UINT32_MAX;
    uint32_t i = 0;
    for (ast_expr *p = f->params; p; p = p->next, i++) {
        p->u.var.var = i;
        for (ast_expr *q = f->params; q != p; q = q->next)
            if (var_is(&q->u.var, p->u.var.text, p->u.var.len)) {
                ERR(c, E_DUP_PARAM, p->sp, "parameter '?%s' is named twice in function '%s'",
                    p->u.var.text, f->name.text);
                diag_note(c->d, &q->sp, "it is first named here");
                break;
            }
    }
    ast_name *n = &f->name;
    if (builtin_find(n->text, n->len)) {
        ERR(c, E_FUNC_CLASH, n->sp, "'%s' is a builtin function; give this function another "
                                    "name", n->text);
        return;
    }
    env_function *old = map_get(&c->env->functions, n->text, n->len);
    if (old && old->lang) {
        ERR(c, E_DUP_DECL, n->sp, "function '%s' is defined twice", n->text);
        first_defined(c, "it was", old->sp);
        return;
    }
    if (old) {
        ERR(c, E_FUNC_CLASH, n->sp, "'%s' is a function the program embedding sinew defines; "
                                    "give this function another name", n->text);
        return;
    }
    env_function *u = arena_alloc(c->env->a, sizeof *u);
    u->min_args = u->max_args = (int)f->nparams;
    u->lang = true;
    u->sp = n->sp;
    u->id = c->env->nfuncs;
    SET(c, c->env->nfuncs, c->env->nfuncs + 1);
    map_put(&c->env->functions, n->text, n->len, u);
    f->id = u->id;
}

static void collect_functions(checker *c, ast_program *prog)
{
    uint32_t n = 0;
    for (ast_decl *x = prog->decls; x; x = x->next)
        n += x->kind == DECL_FUNCTION;
    c->first_func = c->env->nfuncs;
    if (n == 0)
        return;
    c->funcs = arena_alloc(c->a, n * sizeof *c->funcs);
    for (ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_FUNCTION)
            continue;
        collect_function(c, &x->u.func);
        if (x->u.func.id != UINT32_MAX)
            c->funcs[x->u.func.id - c->first_func] = &x->u.func;
    }
    c->nfuncs = c->env->nfuncs - c->first_func;
}

/* The variables of a body: each a parameter, numbered by its place. */
static void func_vars(checker *c, ast_function *f, ast_expr *e)
{
    switch (e->kind) {
    case EX_LIT: break;
    case EX_VAR: {
        uint32_t i = 0;
        for (ast_expr *p = f->params; p; p = p->next, i++)
            if (var_is(&p->u.var, e->u.var.text, e->u.var.len)) {
                e->u.var.var = i;
                return;
            }
        if (find_var(c, &e->u.var))
            return; /* reported at its first use */
        ERR(c, E_FUNC_VAR, e->sp, "'?%s' is not a parameter of function '%s'", e->u.var.text,
            f->name.text);
        diag_note(c->d, NULL, "a function sees only its parameters: add '?%s' to them and "
                              "pass the value in each call", e->u.var.text);
        add_var(c, &e->u.var, V_BOUND)->count = 2;
        break;
    }
    case EX_CALL:
        for (ast_expr *a = e->u.call->args; a; a = a->next)
            func_vars(c, f, a);
        break;
    case EX_BINARY:
        func_vars(c, f, e->u.op.lhs);
        func_vars(c, f, e->u.op.rhs);
        break;
    case EX_UNARY: func_vars(c, f, e->u.op.lhs); break;
    }
}

/* Sweep 2: the body of F. */
static void check_function(checker *c, ast_function *f)
{
    c->rule = NULL;
    c->nvars = 0;
    c->nopen = 0;
    c->ground = NULL;
    for (ast_expr *p = f->params; p; p = p->next)
        if (!find_var(c, &p->u.var))
            add_var(c, &p->u.var, V_BOUND);
    uint32_t nparams = c->nvars;
    func_vars(c, f, f->body);
    check_expr(c, f->body);
    for (uint32_t i = 0; i < nparams; i++) {
        const var *v = &c->vars[i];
        if (v->count == 0 && v->name[0] != '_')
            WARN(c, W_UNUSED_PARAM, v->first, "parameter '?%s' of function '%s' is never used",
                 v->name, f->name.text);
    }
}

static uint32_t calls_in(checker *c, ast_function *in, ast_expr *e, uint8_t *state,
                         uint32_t level);

/* How deep calls nest in a call of U, that call included. STATE says, for
 * each function of this program, 0: not walked, 1: being walked (a call
 * of it now is a cycle), 2: done. Walking stops past the limit, so the
 * walk's own depth is bounded too. */
static uint32_t func_depth(checker *c, env_function *u, ast_function *in, ast_expr *call,
                           uint8_t *state, uint32_t level)
{
    if (u->id < c->first_func)
        return u->depth; /* an earlier load's */
    uint32_t k = u->id - c->first_func;
    if (state[k] == 2)
        return u->depth;
    if (state[k] == 1) {
        if (c->funcs[k] == in)
            ERR(c, E_FUNC_RECURSIVE, call->sp, "function '%s' calls itself", in->name.text);
        else
            ERR(c, E_FUNC_RECURSIVE, call->sp,
                "function '%s' calls '%s', which calls '%s' again", in->name.text,
                c->funcs[k]->name.text, in->name.text);
        diag_note(c->d, NULL, "a function cannot call itself: with no conditional expression "
                              "the calls would never end");
        return 0;
    }
    if (level > SINEW_MAX_CALL_DEPTH)
        return level;
    state[k] = 1;
    uint32_t d = 1 + calls_in(c, c->funcs[k], c->funcs[k]->body, state, level + 1);
    state[k] = 2;
    u->depth = d;
    return d;
}

static uint32_t calls_in(checker *c, ast_function *in, ast_expr *e, uint8_t *state,
                         uint32_t level)
{
    uint32_t d = 0, x;
    switch (e->kind) {
    case EX_LIT:
    case EX_VAR: break;
    case EX_CALL:
        if (e->u.call->func) {
            env_function *u = map_get(&c->env->functions, e->u.call->fn.text, e->u.call->fn.len);
            if (u && u->lang)
                d = func_depth(c, u, in, e, state, level);
        }
        for (ast_expr *a = e->u.call->args; a; a = a->next)
            if ((x = calls_in(c, in, a, state, level)) > d)
                d = x;
        break;
    case EX_BINARY:
        d = calls_in(c, in, e->u.op.lhs, state, level);
        if ((x = calls_in(c, in, e->u.op.rhs, state, level)) > d)
            d = x;
        break;
    case EX_UNARY: d = calls_in(c, in, e->u.op.lhs, state, level); break;
    }
    return d;
}

/* After sweep 2: cycles among this program's functions (E151), and
 * chains of calls past the limit (E154). */
static void judge_calls(checker *c)
{
    if (c->nfuncs == 0)
        return;
    uint8_t *state = arena_alloc(c->a, c->nfuncs);
    memset(state, 0, c->nfuncs);
    for (uint32_t k = 0; k < c->nfuncs; k++) {
        ast_function *f = c->funcs[k];
        env_function *u = map_get(&c->env->functions, f->name.text, f->name.len);
        if (state[k] == 0)
            func_depth(c, u, NULL, NULL, state, 0);
    }
    for (uint32_t k = 0; k < c->nfuncs; k++) {
        ast_function *f = c->funcs[k];
        env_function *u = map_get(&c->env->functions, f->name.text, f->name.len);
        if (u->depth > SINEW_MAX_CALL_DEPTH) {
            ERR(c, E_FUNC_DEPTH, f->name.sp,
                "a call of function '%s' nests calls of functions more than %d deep",
                f->name.text, SINEW_MAX_CALL_DEPTH);
            diag_note(c->d, NULL, "functions may call functions, to a depth of %d",
                      SINEW_MAX_CALL_DEPTH);
        }
    }
}

/* ---- queries ---- */

static bool cons_reads(const ast_cons *k, const ast_name *n)
{
    switch (k->kind) {
    case CT_VAR: return var_is((ast_name *)&k->u.var, n->text, n->len);
    case CT_AND:
    case CT_OR: return cons_reads(k->u.bin.lhs, n) || cons_reads(k->u.bin.rhs, n);
    default: return false;
    }
}

static bool expr_reads(const ast_expr *e, const ast_name *n)
{
    switch (e->kind) {
    case EX_VAR: return var_is((ast_name *)&e->u.var, n->text, n->len);
    case EX_CALL:
        for (const ast_expr *a = e->u.call->args; a; a = a->next)
            if (expr_reads(a, n))
                return true;
        return false;
    case EX_BINARY: return expr_reads(e->u.op.lhs, n) || expr_reads(e->u.op.rhs, n);
    case EX_UNARY: return expr_reads(e->u.op.lhs, n);
    case EX_LIT: return false;
    }
    return false;
}

/* Does a pattern of LIST (or of its groups and alternatives, not under
 * not, exists or forall) name N? */
static bool patterns_name(const ast_ce *list, const ast_name *n)
{
    for (const ast_ce *ce = list; ce; ce = ce->next) {
        if (ce->kind == CE_PATTERN) {
            for (const ast_slotcons *a = ce->u.pat.args; a; a = a->next)
                if (cons_reads(a->cons, n))
                    return true;
        } else if ((ce->kind == CE_AND || ce->kind == CE_OR) && patterns_name(ce->u.list, n)) {
            return true;
        }
    }
    return false;
}

/* Is N, a parameter of query R, an input: named in none of its patterns
 * (so nothing binds it, and the call gives its value)? */
static bool query_input(const ast_rule *r, const ast_name *n)
{
    return !patterns_name(r->conds, n);
}

/* Take the top-level `test`s of query R that read an input parameter out
 * of its conditions, into R->filters: the network matches the rest, and
 * each match is tested with the call's values (engine/query.c). */
static void split_query(checker *c, ast_rule *r)
{
    bool *input = arena_alloc(c->a, (r->nparams + 1) * sizeof *input);
    uint32_t i = 0;
    for (ast_expr *p = r->params; p; p = p->next, i++)
        input[i] = query_input(r, &p->u.var);
    ast_ce **tail = &r->conds, **ftail = &r->filters;
    for (ast_ce *ce = r->conds, *next; ce; ce = next) {
        next = ce->next;
        bool reads = false;
        i = 0;
        for (ast_expr *p = r->params; p && ce->kind == CE_TEST && !reads; p = p->next, i++)
            reads = input[i] && expr_reads(ce->u.test, &p->u.var);
        ce->next = NULL;
        if (reads) {
            *ftail = ce;
            ftail = &ce->next;
        } else {
            *tail = ce;
            tail = &ce->next;
        }
    }
}

/* A query's parameters: each is bound by a pattern (it selects the
 * matches by value) or read by a top-level test (an input). check_rule has
 * just judged the conditions: c->vars holds their variables. */
static void check_query_params(checker *c, ast_rule *r)
{
    for (ast_expr *p = r->params; p; p = p->next)
        if (!find_var(c, &p->u.var) && r->filters)
            add_var(c, &p->u.var, V_BOUND)->count = 1;
    for (ast_ce *t = r->filters; t; t = t->next)
        check_expr(c, t->u.test);
    for (ast_expr *p = r->params; p; p = p->next) {
        ast_name *n = &p->u.var;
        bool twice = false;
        for (ast_expr *q = r->params; q != p && !twice; q = q->next)
            twice = var_is(&q->u.var, n->text, n->len);
        if (twice) {
            ERR(c, E_DUP_PARAM, p->sp, "parameter '?%s' is named twice in query '%s'", n->text,
                r->name.text);
            continue;
        }
        const var *v = find_var(c, n);
        if (v && (v->state == V_BOUND || v->state == V_PARTIAL) && !v->by_bind &&
            (!query_input(r, n) || v->count > 1))
            continue;
        ERR(c, E_QUERY_PARAM, p->sp, "parameter '?%s' of query '%s' is bound by none of its "
                                     "patterns and read by none of its tests", n->text,
            r->name.text);
        diag_note(c->d, NULL, "a parameter either selects the matches whose pattern binds it "
                              "to the value given, or is read by a 'test' at the top of the "
                              "query");
    }
}

/* ---- sweep 3: lint over the whole program ---- */

/* The value S can take that is closest to L (a symbol or string), for a
 * "did you mean": an ask answer or a constant some fact or action gives. */
static const char *closest_value(const slot_info *s, ast_lit *l)
{
    if (l->type != TY_SYMBOL && l->type != TY_STRING)
        return NULL;
    ast_name want = {.text = l->u.s, .len = l->len};
    const char *best = NULL;
    unsigned bestd = 99;
    if (s->ask)
        for (ast_lit *x = answer_first(s->ask); x; x = answer_next(x))
            if (x->type == l->type)
                consider(&best, &bestd, &want, x->u.s);
    const char kind = l->type == TY_SYMBOL ? 's' : 't'; /* lit_key's */
    for (uint32_t i = 0; i < s->produced.cap; i++) {
        const char *key = s->produced.keys[i];
        if (key && key[0] == kind)
            consider(&best, &bestd, &want, key + 1);
    }
    return best;
}

/* W002: a rule testing a slot for a constant nothing can put there. With
 * an ask, the slot's values are its answers and what rules give it. With
 * no ask, the values are judged only for a template that rules alone
 * make: one in a facts block, a case or a consultation may get any value
 * from the user. */
static void judge_const_tests(checker *c)
{
    for (const const_test *t = c->tests; t; t = t->next) {
        slot_info *s = t->s;
        if (!s->type_ok || !type_fits(s->type, t->lit->type) || s->produced_any ||
            was_produced(c, s, t->lit))
            continue;
        const char *text = lit_text(c, t->lit);
        const char *tname = t->t->decl->u.tmpl.name.text;
        if (s->ask) {
            if (in_domain(s->ask, t->lit))
                continue;
            WARN(c, W_NEVER_FIRES, t->lit->sp,
                 "rule '%s' can never fire: %s is not an allowed answer for '%s.%s'",
                 t->rule->name.text, text, tname, s->decl->name.text);
            suggest(c, closest_value(s, t->lit));
            note_domain(c, s->ask);
        } else if (!t->t->asked && !t->t->input && t->t->producers > 0) {
            WARN(c, W_NEVER_FIRES, t->lit->sp,
                 "rule '%s' can never fire: nothing gives '%s.%s' the value %s",
                 t->rule->name.text, tname, s->decl->name.text, text);
            suggest(c, closest_value(s, t->lit));
        }
    }
}

/* Whether X, a template declaration of the program, is the one the
 * environment knows by its name (not a second definition). */
static tmpl_info *defined_by(checker *c, ast_decl *x)
{
    tmpl_info *t = map_get(&c->env->tmpls, x->u.tmpl.name.text, x->u.tmpl.name.len);
    if (!t)
        return NULL;
    span a = t->decl->u.tmpl.name.sp, b = x->u.tmpl.name.sp;
    return a.file == b.file && a.start == b.start ? t : NULL;
}

/* The templates the facts blocks and cases of PROG give facts of (their
 * facts are judged in sweep 2, in the order written, and mark them then:
 * this marks them first, for judged_later). */
static void input_templates(checker *c, ast_program *prog)
{
    c->ninput_soon = c->env->ntmpls;
    c->input_soon = arena_alloc(c->a, c->ninput_soon + 1);
    for (ast_decl *x = prog->decls; x; x = x->next) {
        const ast_fact *f = x->kind == DECL_FACTS  ? x->u.facts.facts
                            : x->kind == DECL_CASE ? x->u.kase.given
                                                   : NULL;
        for (; f; f = f->next) {
            const tmpl_info *t = map_get(&c->env->tmpls, f->tmpl.text, f->tmpl.len);
            if (t && t->id < c->ninput_soon)
                c->input_soon[t->id] = true;
        }
    }
}

void check_program(ast_program *prog, check_env *env, diag_list *d)
{
    checker c = {.prog = prog, .a = prog->arena, .env = env, .d = d};
    unsigned errors_before = d->nerrors;
    /* the constant tests sweep 3 judges: in the scratch arena, given back
     * at the end (what is rolled back in between was taken after this) */
    arena_mark tests_mark = arena_get_mark(prog->scratch);
    map_init(&c.unknown, c.a, 8);

    /* sweep 1 */
    for (ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_TEMPLATE)
            collect_template(&c, x);
    for (ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_ASK)
            collect_ask(&c, x);
    collect_groups(&c, prog);
    collect_functions(&c, prog);
    input_templates(&c, prog);

    /* A consultation makes facts of an asked template, and their slots may
     * keep their defaults: a default such as `unknown` may lie outside the
     * ask's answers on purpose, for rules to test. */
    for (ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_ASK)
            continue;
        tmpl_info *t = map_get(&env->tmpls, x->u.ask.tmpl.text, x->u.ask.tmpl.len);
        if (t && t->asked)
            for (uint32_t i = 0; i < t->nslots; i++)
                if (t->slots[i].decl->dflt)
                    produced_lit(&c, &t->slots[i], t->slots[i].decl->dflt);
    }

    /* sweep 2; the environment's tables sized for what it adds first */
    uint32_t nrules = 0, nfacts = 0, ncases = 0, nqueries = 0;
    for (ast_decl *x = prog->decls; x; x = x->next) {
        nrules += x->kind == DECL_RULE;
        nfacts += x->kind == DECL_FACTS;
        ncases += x->kind == DECL_CASE;
        nqueries += x->kind == DECL_QUERY;
    }
    map_reserve(&env->rules, nrules);
    map_reserve(&env->facts, nfacts);
    map_reserve(&env->cases, ncases);
    map_reserve(&env->queries, nqueries);
    for (ast_decl *x = prog->decls; x; x = x->next) {
        switch (x->kind) {
        case DECL_RULE:
            unique_name(&c, &env->rules, &x->u.rule.name, "rule", E_DUP_RULE);
            check_rule(&c, &x->u.rule);
            break;
        case DECL_FACTS:
            unique_name(&c, &env->facts, &x->u.facts.name, "facts block", E_DUP_DECL);
            c.ground = "a fact in a facts block";
            for (ast_fact *f = x->u.facts.facts; f; f = f->next) {
                arena_mark m = arena_get_mark(prog->scratch);
                ast_fact *u = ast_fact_open(f, prog->scratch);
                check_fact(&c, u);
                ast_fact_close(f, u);
                arena_rollback(prog->scratch, m);
            }
            c.ground = NULL;
            break;
        case DECL_CASE:
            unique_name(&c, &env->cases, &x->u.kase.name, "case", E_DUP_DECL);
            check_case(&c, &x->u.kase);
            break;
        case DECL_FUNCTION:
            check_function(&c, &x->u.func);
            break;
        case DECL_QUERY:
            unique_name(&c, &env->queries, &x->u.rule.name, "query", E_DUP_DECL);
            split_query(&c, &x->u.rule);
            check_rule(&c, &x->u.rule);
            check_query_params(&c, &x->u.rule);
            break;
        case DECL_TEMPLATE:
        case DECL_ASK:
        case DECL_MODULE: /* check_module.c */
        case DECL_FOCUS:
            break;
        }
    }
    judge_calls(&c);

    /* sweep 3: judging what can reach a slot is only sound in a program
     * without errors (a value of the wrong type reaches nothing). */
    if (d->nerrors == errors_before)
        judge_const_tests(&c);
    for (ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_TEMPLATE)
            continue;
        const tmpl_info *t = defined_by(&c, x);
        if (t && !t->used)
            WARN(&c, W_UNUSED_TEMPLATE, x->u.tmpl.name.sp, "template '%s' is never used",
                 x->u.tmpl.name.text);
    }
    arena_rollback(prog->scratch, tests_mark);
}

/* ---- a copy of the environment ---- */

/* M's table in A, for LOG (NULL: a table that borrows its keys): the
 * same room and count, each slot's length; the caller fills in the keys
 * and values, which belong to the copy. */
static void map_copy(name_map *to, const name_map *m, arena *a, check_env *log)
{
    *to = *m;
    to->a = a;
    to->log = log;
    if (!m->cap)
        return;
    to->keys = arena_alloc(a, m->cap * sizeof *to->keys);
    to->lens = arena_alloc(a, m->cap * sizeof *to->lens);
    to->vals = arena_alloc(a, m->cap * sizeof *to->vals);
    memcpy(to->lens, m->lens, m->cap * sizeof *to->lens);
}

/* A table whose keys are its own copies and whose values need no copy
 * or are copied by the caller after: the keys copied, the values kept. */
static void map_copy_keys(name_map *to, const name_map *m, arena *a, check_env *log)
{
    map_copy(to, m, a, log);
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        char *k = arena_alloc(a, m->lens[i] + 1);
        memcpy(k, m->keys[i], m->lens[i]); /* a produced value's key is bytes */
        to->keys[i] = k;
        to->vals[i] = m->vals[i];
    }
}

/* The values of a copied table, each a copy of SIZE bytes in A. */
static void map_copy_vals(name_map *to, arena *a, size_t size)
{
    for (uint32_t i = 0; i < to->cap; i++) {
        if (!to->keys[i])
            continue;
        void *v = arena_alloc(a, size);
        memcpy(v, to->vals[i], size);
        to->vals[i] = v;
    }
}

/* A table of ast_name copies keyed by their own text (unique_name). */
static void map_copy_names(name_map *to, const name_map *m, arena *a, check_env *log)
{
    map_copy(to, m, a, log);
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        ast_name *n = arena_alloc(a, sizeof *n);
        *n = copy_name(a, *(const ast_name *)m->vals[i]);
        to->keys[i] = n->text;
        to->vals[i] = n;
    }
}

/* Template T of the environment, in TO's arena. */
static tmpl_info *copy_tmpl_info(check_env *to, const tmpl_info *t)
{
    arena *a = to->a;
    tmpl_info *u = arena_alloc(a, sizeof *u);
    *u = *t;
    u->decl = copy_template(a, t->decl);
    u->slots = arena_alloc(a, (t->nslots ? t->nslots : 1) * sizeof *u->slots);
    /* the slots' declarations, in the order of the list; a slot declared
     * twice has no slot_info of its own */
    uint32_t j = 0;
    const ast_slotdecl *sd = t->decl->u.tmpl.slots;
    for (ast_slotdecl *nd = u->decl->u.tmpl.slots; nd; nd = nd->next, sd = sd->next) {
        if (j == t->nslots || t->slots[j].decl != sd)
            continue;
        const slot_info *s = &t->slots[j];
        slot_info *v = &u->slots[j++];
        *v = *s;
        v->decl = nd;
        v->ask = s->ask ? copy_ask(a, s->ask) : NULL;
        if (s->produced_nums.cap) { /* the copy's own array (numset) */
            v->produced_nums.keys = arena_alloc(a, s->produced_nums.cap * sizeof(uint64_t));
            memcpy(v->produced_nums.keys, s->produced_nums.keys,
                   s->produced_nums.cap * sizeof(uint64_t));
        }
        if (s->produced.cap) {
            map_copy_keys(&v->produced, &s->produced, a, to);
            for (uint32_t i = 0; i < v->produced.cap; i++)
                if (v->produced.keys[i])
                    v->produced.vals[i] = v; /* each value is the slot */
        }
    }
    /* by name, keys borrowed from the declarations */
    map_copy(&u->byname, &t->byname, a, NULL);
    for (uint32_t i = 0; i < t->byname.cap; i++) {
        if (!t->byname.keys[i])
            continue;
        slot_info *v = &u->slots[(const slot_info *)t->byname.vals[i] - t->slots];
        u->byname.keys[i] = v->decl->name.text;
        u->byname.vals[i] = v;
    }
    return u;
}

static void env_copy_into(check_env *to, const check_env *env)
{
    arena *a = to->a;
    map_copy(&to->tmpls, &env->tmpls, a, to);
    for (uint32_t i = 0; i < env->tmpls.cap; i++) {
        if (!env->tmpls.keys[i])
            continue;
        tmpl_info *u = copy_tmpl_info(to, env->tmpls.vals[i]);
        to->tmpls.keys[i] = u->decl->u.tmpl.name.text;
        to->tmpls.vals[i] = u;
    }
    map_copy_names(&to->rules, &env->rules, a, to);
    map_copy_names(&to->cases, &env->cases, a, to);
    map_copy_names(&to->facts, &env->facts, a, to);
    map_copy_names(&to->queries, &env->queries, a, to);
    map_copy_keys(&to->sources, &env->sources, a, to);
    for (uint32_t i = 0; i < to->sources.cap; i++) {
        if (!to->sources.keys[i])
            continue;
        const env_source *s = to->sources.vals[i];
        env_source *t = arena_alloc(a, sizeof *t);
        t->label = arena_strndup(a, s->label, strlen(s->label));
        t->sp = s->sp;
        to->sources.vals[i] = t;
    }
    map_copy_keys(&to->functions, &env->functions, a, to);
    map_copy_vals(&to->functions, a, sizeof(env_function));
    map_copy_keys(&to->modules, &env->modules, a, to);
    map_copy_vals(&to->modules, a, sizeof(env_module));
    to->has_focus = env->has_focus;
    to->focus_sp = env->focus_sp;
    to->ntmpls = env->ntmpls;
    to->nfuncs = env->nfuncs;
    /* transactions are numbered on from the original's: what a table or
     * template remembers of the last one that logged it stays true */
    to->txn = env->txn;
}

check_env *check_env_clone(const check_env *env, sn_mem *mem)
{
    return env->open ? NULL : env_make(mem, env_copy_into, env);
}
