/* internal.h — the engine's own data: templates, facts, the Rete network,
 * the agenda, truth maintenance. Private to the engine's .c files. It
 * holds the structs the modules share; each module's functions are in its
 * own header (engine.h, wm.h, tms.h, fire.h, rete.h, agenda.h, eval.h,
 * compile.h, load.h, watch.h), and docs/engine.md draws how they call
 * each other.
 *
 * Ownership, in one place:
 * - The engine owns everything below. Templates, rules, nodes, alpha
 *   memories and compiled expressions live in the engine's arena (`perm`)
 *   and die with it; removing a rule unlinks its nodes but their memory
 *   stays until sn_free or sn_clear.
 * - Facts, activations and justifications are allocated one by one and
 *   freed when they die. Tokens and alpha-memory entries come from two
 *   pools (pool.h) and are reused when they die (entries from a free
 *   list, tokens from a stack of pointers); the pools' chunks are freed
 *   with the engine. A token that dies during a propagation is unlinked at
 *   once and recycled only when the engine settles (engine_settle), so a
 *   loop that walks a list may step past it safely.
 * - Symbols are interned in the engine's symtab and live until sn_free.
 *
 * The Rete network (rete.c): every template has an alpha discrimination
 * tree (struct dispatch) that finds, by one hash probe per constant-tested
 * slot, the alpha memories whose constants a fact matches; a fact enters
 * those whose other tests it passes; each alpha memory hashes
 * its facts on the slots its joins compare with earlier patterns. Beta
 * nodes keep their left input (tokens: partial matches) in their own
 * memory, hashed on the same join key, so a join probes one bucket from
 * either side. A token is one more fact on its parent token; deleting a
 * token deletes the tokens made from it.
 */
#ifndef SINEW_INTERNAL_H
#define SINEW_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../grammar/ast.h"
#include "../grammar/builtins.h"
#include "../grammar/check.h"
#include "../grammar/source.h"
#include "../base/arena.h"
#include "../base/mem.h"
#include "pool.h"
#include "sinew.h"
#include "value.h"

typedef struct sn_engine engine;
typedef struct node node;
typedef struct token token;
typedef struct amem amem;

/* ---- templates and facts ---------------------------------------------- */

typedef struct slotdef {
    const sym *name;
    vtype type;
    value dflt;
    struct ask *ask;            /* how to ask for it, or NULL */
} slotdef;

/* An `ask` declaration, and whether its answer was said to be unknown.
 * (It is answered while a given fact of its template is in working
 * memory: retracting the answer opens the question again.) */
typedef struct ask {
    struct tmpl *t;             /* NULL for a grouped question */
    uint32_t slot;
    const char *question;
    bool multiple;
    value *answers;             /* the slot's domain */
    const char **answer_text;   /* the same, written; a group: its items' names, then "none" */
    uint32_t nanswers;
    uint32_t index;             /* declaration order */
    bool unknown;               /* false again at reset */
    struct ask *next;
    /* a grouped question (ask.c): its name, and per item the finding's
     * ask and the answer ticking it records (-1: its own question asks
     * which); for a finding, the group it is an item of */
    const char *name;
    struct ask **items;
    int32_t *item_answer;
    uint32_t nitems;
    bool done;                  /* a group answered; false again at reset */
    bool *item_set;             /* a group: the items its answer settled */
    struct ask *group;
} ask;

struct tmpl {
    const sym *name;
    uint32_t id;
    uint32_t nslots;
    slotdef *slots;
    struct fact *first, *last;  /* live facts, in order of id */
    uint32_t nfacts;
    /* alpha discrimination (see struct dispatch): the root's branches,
     * and the memories with no constant equality test */
    struct dispatch *dispatch;
    amem **plain;
    uint32_t nplain, capplain;
    uint32_t *key_rank;         /* per slot: its place among the slots that
                                   key a memory (UINT32_MAX: none yet) */
    uint32_t nkeyed;
    struct ask *ask;            /* the first ask for one of its slots, or NULL */
    bool red_flag;              /* named red_flag: urgent conclusions */
    struct tmpl *next;          /* in the engine's list */
};

typedef struct aentry {
    struct fact *f;
    amem *am;
    uint32_t hash;
    struct aentry *bnext, *bprev;   /* in am's bucket */
    struct aentry *fnext;           /* in f->entries */
} aentry;

struct fact {
    uint64_t id;
    struct tmpl *t;
    double cf;
    uint32_t hash;
    uint32_t nsupport;            /* active logical justifications */
    bool live;
    bool asserted;       /* unconditional: given, typed, or by assert/modify */
    bool dirty;          /* queued for truth maintenance */
    uint8_t cause_kind;           /* watch_cause */
    sn_origin origin;
    const sym *source;   /* facts block or case name */
    struct fact *hnext;           /* working-memory hash chain */
    struct fact *tprev, *tnext;   /* in t's list */
    struct fact *gnext;           /* all facts, by id; or the withdrawn list */
    struct fact *gprev;
    struct fact *qnext;           /* in the truth-maintenance queue */
    aentry *entries;              /* alpha memories it is in */
    token *tokens;                /* tokens whose fact it is */
    struct just *justs;           /* how it came to be, newest first */
    struct just *cause;           /* while queued: the record whose change
                                     queued it (watch.c says why its
                                     certainty changed); NULL: given */
    value slots[];
};

/* ---- compiled expressions --------------------------------------------- */

/* A function the embedder defined: calls of it compile to FN_COUNT_ + its
 * place in the engine's list. */
typedef struct userfn {
    char *name;              /* owned (e_alloc) */
    int min_args, max_args;
    sn_function fn;
    void *ctx;
} userfn;

typedef enum cx_kind {
    CX_CONST,
    CX_SLOT,     /* the fact being tested: slot */
    CX_CF,       /* the fact being tested: its cf */
    CX_VAR,      /* a fact of the token: level, slot (slot < 0: its cf) */
    CX_LOCAL,    /* a variable bound by `bind` */
    CX_CALL,
    CX_BIN,
    CX_UN,
    CX_FUNC,     /* a function of the language: fn its number (func.h) */
    CX_PARAM,    /* in a function's body: its parameter slot */
} cx_kind;

/* A compiled expression: 32 bytes. A constant has no arguments, a call
 * or an operator no constant, and only calls have a function: those
 * share their room (NARGS is 0 for every kind without arguments, so a
 * walk over ARGS reads it alone). */
typedef struct cexpr {
    cx_kind kind;
    uint8_t op;          /* ast_op for BIN/UN */
    uint16_t level;      /* CX_VAR */
    union {
        int32_t slot;    /* CX_SLOT, CX_VAR; CX_LOCAL: index; CX_PARAM */
        uint32_t fn;     /* CX_CALL: a builtin_id, or FN_COUNT_ + i: the
                            embedder's function i (sn_define_function);
                            CX_FUNC: the language's function */
    };
    uint32_t nargs;
    union {
        value k;             /* CX_CONST */
        struct cexpr **args; /* CALL, FUNC: nargs; BIN: 2; UN: 1 */
    };
} cexpr;

_Static_assert(sizeof(cexpr) == 32, "a compiled expression is 32 bytes");

/* Evaluation context: a token (its facts by level), the fact being tested,
 * the rule's locals. */
typedef struct ectx {
    engine *e;
    struct fact *const *lv; /* facts by level; NULL: walk `tok` */
    token *tok;
    const struct fact *f;
    value *locals;
    bool failed;            /* a runtime error happened */
    value *params;          /* in a function's body: its arguments */
} ectx;


/* ---- the network ------------------------------------------------------- */

typedef struct bucketed {
    void **b;            /* heads */
    uint32_t mask;       /* size - 1; 0 with b == NULL: empty */
    uint32_t n;
} bucketed;

/* A node's memory of tokens: buckets by key hash, each its first and last
 * token, so that appending and unlinking read nothing but the token's own
 * links (a token's bprev is NULL at the head, its bnext NULL at the tail). */
typedef struct tbucket {
    token *head, *tail;
} tbucket;

typedef struct tokmem {
    tbucket *b;
    uint32_t mask;       /* size - 1; 0 with b == NULL: empty */
    uint32_t n;
} tokmem;

/* A constant equality an alpha memory discriminates on: SLOT holds one of
 * the NV values V (one constant, or a choice such as `site: groin |
 * buttock`). */
typedef struct aeq {
    int32_t slot;
    uint32_t nv;
    union {
        value one;        /* nv == 1 */
        value *many;      /* nv > 1 */
    } u;
} aeq;

static inline const value *aeq_values(const aeq *q)
{
    return q->nv == 1 ? &q->u.one : q->u.many;
}

struct amem {
    struct tmpl *t;
    aeq *eq;              /* its constant equalities, as written (one per slot) */
    uint32_t neq;
    int32_t key_slot;     /* the slot of the first of them (-1: none): with
                             seq, orders the memories one fact enters */
    uint64_t seq;         /* creation order */
    cexpr *test;          /* the pattern's other one-fact tests (NULL: none) */
    int32_t *hash_slots;
    uint32_t nhash;       /* slots its joins hash on */
    uint32_t runs;        /* runs of entries of one hash in its buckets: it
                             grows with these, not with its entries (many
                             facts of one key share a bucket however big) */
    bucketed idx;         /* aentry lists */
    node **succ;          /* joins and negations fed, shallowest first
                           * (ties oldest first); visited from the end */
    uint32_t nsucc, capsucc;
    uint32_t refs;
    uint32_t sighash;     /* its structural key's hash (network.c) */
    amem *signext;
    bool tests_cf;        /* the pattern tests cf: no threshold */
    bool succ_unsorted;   /* nodes appended since: rete.c orders them */
};

/* Does a fact with slot values VALS pass AM's constant equalities? */
static inline bool amem_consts_match(const amem *am, const value *vals)
{
    for (uint32_t i = 0; i < am->neq; i++) {
        const value *v = aeq_values(&am->eq[i]);
        uint32_t k = 0;
        while (k < am->eq[i].nv && !value_eq(vals[am->eq[i].slot], v[k]))
            k++;
        if (k == am->eq[i].nv)
            return false;
    }
    return true;
}

/* The alpha discrimination network of a template: a tree whose edges are
 * (slot, value) pairs, in increasing slot order along a path. A memory
 * with constant equalities on slots s1 < s2 < ... sits at the end of the
 * path (s1, v1), (s2, v2), ... (once for each choice of values); one with
 * none sits at the root (tmpl.plain). A fact walks down every branch of
 * a node by one hash probe per branch, so it visits only memories whose
 * constants it matches, and the nodes on the way: the cost does not grow
 * with the number of memories. A branch is one slot's hash of values. */
typedef struct dispatch {
    int32_t slot;
    bucketed idx;         /* dnode lists by value */
    struct dispatch *next;
} dispatch;

typedef struct dnode {
    value v;
    uint32_t hash;
    uint32_t n, cap;      /* memories whose constants end here: cap 0, the
                             one in `one` (most nodes end one rule's path) */
    union {
        amem *one;
        amem **many;
    } ams;
    dispatch *sub;        /* branches below, on later slots */
    struct dnode *next;
} dnode;

static inline amem *const *dnode_ams(const dnode *x)
{
    return x->cap ? x->ams.many : &x->ams.one;
}

typedef enum nkind { N_JOIN, N_NEG, N_EXISTS, N_NCC, N_PARTNER, N_TEST, N_TERM, N_AGG } nkind;

typedef struct jkey {
    int32_t rslot;        /* slot of the new fact */
    uint16_t level;       /* earlier fact: level */
    int32_t lslot;        /* and slot */
} jkey;                   /* a node's keys go deepest level first */

struct node {
    nkind kind;
    uint32_t level;       /* level of the tokens in its memory */
    node *parent;
    node **kids;
    uint32_t nkids, capkids;
    tokmem mem;           /* tokens, by key */
    uint32_t ntokens;
    uint32_t nkeys;
    amem *am;             /* JOIN, NEG, EXISTS; AGG over one pattern */
    jkey *keys;
    cexpr *test;          /* JOIN/NEG/EXISTS: other join tests; TEST: the test */
    struct jstep *jt;     /* `test` as steps (jtest.h); node_joins runs them */
    uint32_t njt;
    uint32_t refs;        /* rules using it */
    node *partner;        /* NCC, AGG over a group: its partner; PARTNER: its NCC or AGG */
    union {
        struct prod *prod;    /* TERM */
        struct agg_node *agg; /* AGG: what it computes, and its items (aggregate.h) */
    };
    uint32_t sighash;     /* JOIN/NEG/EXISTS/TEST: its structural key's hash */
    bool exists;          /* NCC: exists (else not) */
    node *signext;        /* in the engine's table of shared nodes */
};

/* Two cache lines: what a join reads (kind to am) in the first. */
_Static_assert(sizeof(struct node) == 128, "a node is 128 bytes");

/* A token is 96 bytes, taken from its pool at a 32-byte boundary, so the
 * first 32 bytes (what a join reads) sit in one cache line. The fields
 * one kind of node alone uses share their room: a terminal's tokens have
 * no kids (nothing is below a terminal), the others no activation. */
struct token {
    token *parent;
    struct fact *f;       /* the fact matched at this level, or NULL */
    node *owner;          /* the node whose memory holds it */
    uint32_t hash;
    uint16_t level;       /* levels fit in 16 bits (jkey, cexpr) */
    bool dead;
    token *bnext, *bprev; /* owner's bucket (tokmem) */
    token *snext, *sprev; /* siblings under parent */
    token *fnext, *fprev; /* f->tokens */
    union {
        struct {                 /* every node but a terminal */
            token *kids;         /* read through token_kids */
            union {
                uint32_t count;          /* NEG/EXISTS/NCC: matches */
                struct agg_acc *acc;     /* AGG: the accumulator of its matches (aggregate.h) */
            };
        };
        struct {                 /* TERM */
            struct activation *act;  /* pending */
            struct just *sup;        /* what its firing made that hangs on it */
        };
    };
};

_Static_assert(sizeof(struct token) == 96, "a token is 96 bytes (docs/engine.md, Partial matches)");

/* The first of T's kids (NULL for a terminal's token, which has none). */
static inline token *token_kids(const token *t)
{
    return t->owner->kind == N_TERM ? NULL : t->kids;
}

/* The fact a token chain matched at LEVEL (walking up from T). */
static inline struct fact *token_fact(const token *t, uint32_t level)
{
    while (t && t->level > level)
        t = t->parent;
    return t && t->level == level ? t->f : NULL;
}

/* ---- rules ------------------------------------------------------------- */

typedef enum act_kind {
    A_ASSERT, A_CONCLUDE, A_RETRACT, A_MODIFY, A_BIND, A_PRINT, A_RECOMMEND, A_HALT,
    A_FOCUS
} act_kind;

/* An action, compiled. What one kind alone reads shares its room with
 * the others' (a rule's actions are most of what it keeps). */
typedef struct cact {
    act_kind kind;
    uint32_t n;              /* RETRACT: levels; PRINT: args; RECOMMEND: 1; FOCUS: modules */
    struct cact *next;
    struct tmpl *t;          /* ASSERT, CONCLUDE, MODIFY */
    cexpr **vals;            /* ASSERT, CONCLUDE: per slot (NULL: default); MODIFY: per slot (NULL: keep) */
    union {
        cexpr *cf;           /* CONCLUDE (NULL: 1.0) */
        uint16_t *levels;    /* RETRACT: fact levels; MODIFY: levels[0] */
        struct {             /* BIND */
            cexpr *value;
            int32_t local;
        };
        struct {             /* PRINT; RECOMMEND: args[0] the text */
            cexpr **args;
            const char **cites;  /* RECOMMEND */
            uint32_t ncites;
        };
        uint32_t *modules;   /* FOCUS: n modules, the first to run first */
    };
} cact;

typedef struct varloc {
    const char *name;
    uint32_t var;            /* its number in the rule (the checker's) */
    uint16_t level;
    int32_t slot;            /* -1: the fact itself (?f <-); -2: a local */
} varloc;

struct rule;

typedef struct prod {
    struct rule *r;
    cexpr *filter;           /* a query's tests of its inputs, or NULL (query.c) */
    node *term;
    cact *actions;
    varloc *vars;            /* for justifications: every named variable */
    bool *positive;          /* per level 1..depth: a fact the rule matched */
    node **chain;            /* per level 0..depth: the node whose memory holds
                                matches of the first `level` conditions */
    const char **cond_text;  /* per level 1..depth: the condition as written */
    uint32_t alt;
    uint32_t nlocals;
    uint32_t nvars;
    uint32_t depth;          /* levels */
} prod;

struct rule {
    const sym *name;
    const char *doc;
    const char **cites;
    char *where;
    prod **prods;
    uint64_t fired;
    uint64_t run_fired, run;  /* firings in run number RUN (fire.c) */
    uint64_t nanos;          /* time from its firings to the next, when the engine profiles */
    struct rule *next;
    /* a query (query.c): its matches are read, never fired; it is in the
     * engine's list of queries, not of rules */
    const sym **params;      /* its parameters' names, without '?' */
    uint32_t nparams;
    uint32_t ncites;
    int salience;
    uint32_t nprods;
    uint32_t rank;           /* its place in name order */
    uint32_t module;         /* its module's number (focus.c); 0: main */
    bool query;
    bool removed;
    bool red_flag;           /* it makes a red_flag fact */
};

/* ---- agenda, justifications -------------------------------------------- */

/* Lex and mea (agenda.c): an activation's place in its level's search
 * tree, and its match's fact ids, newest first, and the first pattern's.
 * Made when an activation is first ordered by recency: under depth or
 * breadth an activation has none, and is one cache line. */
typedef struct lexkey {
    struct activation *tl, *tr;
    uint64_t first;
    uint32_t nrec;
    uint64_t rec[];
} lexkey;

struct activation {
    token *tok;
    prod *p;
    uint64_t seq;
    struct activation *prev, *next;
    struct alevel *lvl;
    lexkey *lex;             /* NULL until ordered by recency */
    int salience;
    uint32_t module;         /* its rule's */
};

/* A salience level of one module's agenda. The engine's levels are one
 * array ordered by module, then by salience, highest first. */
typedef struct alevel {
    int salience;
    struct activation *head, *tail;
    struct activation *root; /* lex and mea: the same, as a search tree */
    uint32_t module;
} alevel;

typedef enum just_kind { J_ASSERT, J_CONCLUDE, J_RECOMMEND } just_kind;

/* What a condition of a rule is, as a justification records it. */
typedef enum cond_kind { C_PATTERN, C_NOT, C_EXISTS, C_TEST, C_OTHER, C_AGG } cond_kind;

struct just {
    just_kind kind;
    struct rule *r;
    struct fact *target;     /* ASSERT/CONCLUDE; NULL for RECOMMEND */
    const char *text;        /* RECOMMEND: owned (mem_strndup) */
    double cf, rule_cf, min_cf;
    bool active;
    uint64_t firing;
    uint64_t *facts;         /* ids by level (0: none), when recording; in j's block */
    uint32_t nfacts;
    /* when recording, in j's block: each condition's kind (cond_kind, by
     * level - 1), and the facts that let an `exists` through at firing
     * time: level l's are wit[wit_at[l - 1] .. wit_at[l]) */
    uint8_t *kinds;
    uint64_t *wit;
    uint32_t *wit_at;
    value *binds;            /* per prod->vars, when recording; in j's block */
    prod *p;
    char *withdrawn;         /* why, when withdrawn (owned) */
    token *tok;              /* the match, while active and logical */
    struct just *next;       /* in target->justs */
    struct just *tnext;      /* in tok->sup */
    struct just *rnext, *rprev; /* RECOMMEND: engine's list */
};

/* ---- the engine ---------------------------------------------------------- */

/* A fact of a facts block or case, kept for reset: its values packed
 * (givens.h). */
typedef struct given {
    struct tmpl *t;
    const sym *source;
    struct given *next;
    unsigned char packed[];
} given;

typedef struct expect {
    bool negated;
    struct tmpl *t;
    cexpr *test;             /* one-fact test of the pattern */
    bool tests_cf;
    char *text;              /* the pattern as written */
    struct expect *next;
} expect;

typedef struct kase {
    const sym *name;
    char *where;
    given *given;
    expect *expects;
} kase;

struct sn_engine {
    sn_mem mem;
    arena *perm;
    arena *code;             /* where compiled expressions go: perm, or a
                                typed pattern's own arena while it compiles */
    symtab syms;
    const sym *s_true, *s_false, *s_nil;

    struct tmpl *tmpls, *tmpls_last;
    uint32_t ntmpls, captmpls;
    struct tmpl **tmpl_by_id;
    struct rule *rules, *rules_last;
    uint32_t nrules;
    struct rule **by_name;   /* the live rules in name order: rule->rank is
                                the place in it (load.c) */

    /* working memory */
    struct fact **wm;        /* hash of live facts */
    uint32_t wm_mask, nfacts;
    struct fact *all_first, *all_last;
    struct fact *withdrawn;  /* concluded, then withdrawn (when recording) */
    uint64_t next_id;

    /* network */
    amem **amsig;            /* alpha memories by structural key */
    uint32_t amsig_mask, namems;
    uint64_t amem_seq;
    node **nodesig;          /* shareable nodes (join, not, exists, test) by
                                structural key: parent, inputs and tests */
    uint32_t nodesig_mask, nnodesig;
    node **roots;            /* nodes fed by the root */
    uint32_t nroots, caproots;
    node **special_roots;    /* the roots that are not joins, in the same order */
    uint32_t nspecial, capspecial;
    /* The one token every join at the top joins with (level 0, no fact,
     * no parent, no owner, in no memory): what such a join makes hangs
     * below it, so emptying working memory walks its kids alone. */
    token top;
    uint64_t nnodes;
    /* Tokens not in use, by address (no link through their cold memory),
     * in one array of capstack places, at least the number of tokens ever
     * made (so a death never allocates): free ones at the bottom,
     * tstack[0 .. nfree); ones that died during this operation at the
     * top, tdead up to the end, the first to die last, to be freed when
     * it ends. A token is live, free or dead, so the two never meet. */
    token **tstack, **tdead;
    uint64_t nfree, capstack, tmade;
    aentry *free_entries;
    pool token_pool, entry_pool; /* where tokens and entries come from (pool.h) */
    uint64_t ntokens;

    /* agenda: activations come from a pool and go back to a free list
     * (linked through next) */
    pool act_pool;
    struct activation *free_acts;
    alevel *levels;
    uint32_t nlevels, caplevels;
    uint64_t nacts, act_seq;
    sn_strategy strategy;

    /* truth maintenance */
    struct fact *queue;
    struct fact *zombies;    /* retracted during this operation; freed after it */
    struct just *recs_first, *recs_last;  /* active recommendations */

    /* loads (load.c) */
    srcset src;              /* every file loaded, for diagnostics' lines */
    check_env *env;          /* what they declared, to check new text against */
    given *facts_blocks, *facts_last;
    kase **cases;
    uint32_t ncases, capcases;
    ask *asks, *asks_last;
    uint32_t nasks;

    double threshold;
    bool recording;
    bool halted;
    bool in_run;
    FILE *out;
    FILE *watch_out;
    unsigned watch;
    struct steplog *steplog; /* while sn_step fires: what changed (watch.c) */
    uint64_t modify_of;      /* while a modify asserts: the fact it replaces */
    volatile sig_atomic_t *interrupt;
    uint64_t fired, firing;
    uint64_t max_firings;    /* per sn_run; 0: no bound */
    uint64_t run;            /* sn_run calls so far */
    char *error;             /* the last call's error in words (owned; sn_errmsg) */
    /* public calls (alloc.h): how deep, where a spent reserve lands, and
     * whether a change was left half done there */
    unsigned calls;
    jmp_buf landing;
    bool broken;
    bool landed;             /* ever: its step's temporaries were lost */
    bool compiling;          /* a load is laying down its rules */
    bool needs_clear;        /* a landing while compiling: only sn_clear mends it */
    char verify_why[256];    /* verify.c's finding */

    char *scratch;           /* cx_key and formatting */
    size_t scratch_len, scratch_cap;

    /* functions the embedder defined (sn_define_function), by number */
    struct userfn *fns;
    uint32_t nfns, capfns;
    /* whatif.c: a copy of the knowledge base to try answers on */
    struct sn_engine *whatif;
    uint32_t whatif_nsources, whatif_nrules;
    bool whatif_lost;        /* the copy ran out of memory in this call */
    unsigned consult_top;    /* diagnoses a consultation settles; 0: 1 */
    /* functions of the language (func.h), by the number the checker gave */
    struct lfunc *lfns;
    uint32_t nlfns, caplfns;
    /* queries (query.c), in load order */
    struct rule *queries, *queries_last;
    uint32_t nqueries;
    bool profile;            /* time each firing (sn_set_profile) */

    /* modules and focus (focus.c): module names by number (0: main); the
     * starting focus, first to run first; the focus stack, top last */
    const sym **modules;
    uint32_t nmodules, capmodules;
    uint32_t *start_focus;
    uint32_t nstart;
    uint32_t *focus;
    uint32_t nfocus, capfocus;
    uint32_t focus_shown;    /* the module `watch rules` last named in this run */
};

#endif
