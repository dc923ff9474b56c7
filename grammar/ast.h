/* ast.h — the syntax tree of a sinew program.
 *
 * Every node lives in the load's arena (see base/arena.h) and carries the
 * span of source it came from. Nothing here is freed one by one: the
 * ast_program's arena frees the whole tree. Strings (names, string
 * literals) are NUL-terminated arena copies; string literals hold their
 * text with escapes already resolved.
 *
 * Lists are singly linked through `next`, in source order.
 *
 * Resolution: fields marked (check) are filled in by check_program, which
 * resolves each name once: a template to its number in the environment,
 * a slot to its index, a call to its builtin, a variable to its number in
 * its rule. The compiler reads these and looks no name up. They are valid
 * only in a program that checked without errors.
 *
 * Depth: every node that can nest (expressions, constraints, conditions)
 * records its depth. The parser refuses a tree deeper than SINEW_MAX_DEPTH
 * (E004), so every recursive walker may recurse on these nodes without
 * running out of stack.
 */
#ifndef SINEW_AST_H
#define SINEW_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "source.h"

#define SINEW_MAX_DEPTH 200

/* Sizes check.c refuses (E124, E125), so that what it passes compiles in
 * time and memory linear in the text: a rule's patterns and tests, nested
 * ones included; the alternatives its `or`s expand to (normal form makes
 * one production each, and `not`/`exists`/`forall` expand their insides
 * the same way); a template's slots. */
#define SINEW_MAX_CONDITIONS 1000
#define SINEW_MAX_ALTERNATIVES 1024
#define SINEW_MAX_SLOTS 1000
/* Calls of functions of the language nested in one another, at most
 * (E154): functions cannot recurse, and this bounds evaluation's stack. */
#define SINEW_MAX_CALL_DEPTH 32

typedef struct ast_name {
    const char *text; /* without the '?' of a variable; NULL when absent */
    uint32_t len;
    span sp;
    union {           /* what check resolves it to: */
        uint32_t var; /* a variable: its number in its rule or case */
        int32_t slot; /* a slot's name in a pattern or fact: the slot's
                         index (in ast_slotcons, or AST_SLOT_CF) */
    };
} ast_name;

typedef enum ast_type { TY_SYMBOL, TY_STRING, TY_INT, TY_FLOAT } ast_type;

/* A constant. */
typedef struct ast_lit {
    ast_type type;
    union {
        const char *s; /* TY_SYMBOL, TY_STRING: NUL-terminated */
        int64_t i;     /* TY_INT */
        double f;      /* TY_FLOAT */
    } u;
    uint32_t len;      /* length of s */
    span sp;
} ast_lit;

/* An answer of an ask: the ask's answers are a list of these. Walk them
 * with answer_first and answer_next. */
typedef struct ast_answer {
    ast_lit lit;               /* first: answer_next finds its node from it */
    struct ast_answer *next;
} ast_answer;

static inline ast_lit *answer_first_of(ast_answer *a) { return a ? &a->lit : NULL; }

/* The answer after L, which must be an answer's literal. */
static inline ast_lit *answer_next(const ast_lit *l)
{
    return answer_first_of(((const ast_answer *)(const void *)l)->next);
}

typedef enum ast_op {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_AND, OP_OR,
    OP_NOT, OP_NEG, /* unary */
} ast_op;

typedef enum ast_expr_kind { EX_LIT, EX_VAR, EX_CALL, EX_BINARY, EX_UNARY } ast_expr_kind;

struct ast_expr;

/* A call: NAME(ARGS). */
typedef struct ast_call {
    ast_name fn;
    struct ast_expr *args;
    uint32_t nargs;
    uint32_t builtin; /* its builtin_id (check) */
    uint32_t func;    /* a function of the language: its number in the
                         environment + 1; 0: a builtin or the
                         embedder's (check) */
} ast_call;

typedef struct ast_expr {
    ast_expr_kind kind;
    uint16_t depth;
    span sp;
    struct ast_expr *next; /* in an argument list */
    union {
        ast_lit lit;   /* EX_LIT */
        ast_name var;  /* EX_VAR */
        struct ast_call *call; /* EX_CALL: out of line, so that the union is
                                  no bigger than a literal */
        struct {
            ast_op op;
            struct ast_expr *lhs, *rhs; /* rhs NULL for EX_UNARY */
        } op;          /* EX_BINARY, EX_UNARY */
    } u;
} ast_expr;

/* A slot constraint in a pattern: `?x`, `red`, `?x & != ?y`, `< 10 | > 20`,
 * `even(?x)` (a predicate), `(?y + 1)` (equal to a value). */
typedef enum ast_cons_kind {
    CT_VAR,   /* ?x: binds ?x on first use, else tests equality; name.text NULL for `?` */
    CT_LIT,   /* a constant: equality */
    CT_CMP,   /* op (OP_EQ for `(expr)`, OP_NE, OP_LT, ...) against an expression */
    CT_PRED,  /* a function call that must be true */
    CT_AND,   /* lhs & rhs */
    CT_OR,    /* lhs | rhs */
} ast_cons_kind;

typedef struct ast_cons {
    ast_cons_kind kind;
    uint16_t depth;
    span sp;
    union {
        ast_name var;
        ast_lit lit;
        struct {
            ast_op op;
            ast_expr *rhs;
        } cmp;
        ast_expr *pred;
        struct {
            struct ast_cons *lhs, *rhs;
        } bin;
    } u;
} ast_cons;

/* `slot: constraint` in a pattern, or a positional constraint (name.text
 * NULL). The name `cf` tests the fact's certainty factor. */
typedef struct ast_slotcons {
    ast_name name;
    ast_cons *cons;     /* the slot's index: name.slot (check) */
    struct ast_slotcons *next;
} ast_slotcons;

/* Where A is written: its name (when it has one) to the end of its
 * constraint. */
static inline span slotcons_span(const ast_slotcons *a)
{
    span sp = a->cons->sp;
    if (a->name.text)
        sp.start = a->name.sp.start;
    return sp;
}

typedef struct ast_pattern {
    ast_name *binding;  /* ?f in `?f <- t(...)`; NULL when absent (out of
                           line: few patterns have one) */
    ast_name tmpl;
    ast_slotcons *args;
    span sp;
    uint32_t tmpl_id;   /* the template's number in the environment (check) */
} ast_pattern;

/* `slot: expr`, or a positional expr (name.text NULL): in facts, given
 * facts, assert, conclude and modify. */
typedef struct ast_slotval {
    ast_name name;
    ast_expr *value;    /* the slot's index: name.slot (check) */
    struct ast_slotval *next;
} ast_slotval;

/* Where A is written: its name (when it has one) to the end of its value. */
static inline span slotval_span(const ast_slotval *a)
{
    span sp = a->value->sp;
    if (a->name.text)
        sp.start = a->name.sp.start;
    return sp;
}

/* A fact. In a facts block of a load (ast_program.pack_facts) a fact whose
 * values are all constants is kept packed: ARGS is NULL and PACKED holds
 * its slot values in a few bytes each instead of a tree, so that a data
 * file of many facts costs little. Whoever reads a fact's args opens it
 * (ast_fact_open) and, when it resolved something in them, closes it. */
typedef struct ast_fact {
    ast_name tmpl;
    ast_slotval *args;
    struct ast_fact *next;
    unsigned char *packed; /* NULL: the args are in ARGS */
    span sp;
    uint32_t tmpl_id;   /* (check) */
} ast_fact;

typedef enum ast_ce_kind {
    CE_PATTERN,
    CE_NOT,     /* u.sub */
    CE_EXISTS,  /* u.sub */
    CE_FORALL,  /* u.forall: for every match of domain, body matches too */
    CE_OR,      /* u.list: alternatives */
    CE_AND,     /* u.list: a { ... } group */
    CE_TEST,    /* u.test */
    CE_AGG,     /* u.agg: `?n = count P`, `?m = max(EXPR) { ... }` */
} ast_ce_kind;

/* The aggregate functions, in the order check.c resolves them to. */
typedef enum ast_agg_fn { AGG_COUNT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG, AGG_COLLECT } ast_agg_fn;

/* An aggregate condition: rare, so kept out of line (ast_ce stays small). */
typedef struct ast_agg {
    ast_name var;        /* the result: a new variable */
    ast_name fn;         /* count, sum, min, max, avg, collect */
    ast_agg_fn kind;     /* fn resolved (check) */
    ast_expr *arg;       /* the value aggregated; NULL for count */
    struct ast_ce *src;  /* a CE_PATTERN, or a CE_AND group */
} ast_agg;

typedef struct ast_ce {
    ast_ce_kind kind;
    uint16_t depth;
    span sp;
    struct ast_ce *next;
    union {
        ast_pattern pat;
        struct ast_ce *sub;
        struct {
            struct ast_ce *domain, *body; /* body: a CE_AND */
        } forall;
        struct ast_ce *list;
        ast_expr *test;
        ast_agg *agg;
    } u;
} ast_ce;

/* A string as written, nothing more: a doc string. */
typedef struct ast_text {
    const char *text; /* NULL when absent */
    uint32_t len;
    span sp;
} ast_text;

typedef struct ast_str {
    const char *text; /* NULL when absent */
    uint32_t len;
    span sp;
    struct ast_str *next; /* in a cites list */
    bool is_id;           /* in a cites list: a source id, not a string */
    const struct ast_source *source; /* a resolved id (sources.c); else NULL */
} ast_str;

typedef enum ast_action_kind {
    ACT_ASSERT, ACT_CONCLUDE, ACT_RETRACT, ACT_MODIFY, ACT_BIND,
    ACT_PRINT, ACT_RECOMMEND, ACT_HALT,
    ACT_FOCUS,
} ast_action_kind;

/* A module named by `focus` (an action or the starting focus) or by a
 * rule's `module` line. */
typedef struct ast_modref {
    ast_name name;
    uint32_t id;        /* the module's number, 0 for main (check) */
    struct ast_modref *next;
} ast_modref;

typedef struct ast_action {
    ast_action_kind kind;
    span sp;
    struct ast_action *next;
    union {
        ast_fact fact;          /* ACT_ASSERT */
        struct {
            ast_fact fact;
            ast_expr *cf;       /* NULL: 1.0 */
        } conclude;
        ast_expr *vars;         /* ACT_RETRACT: EX_VAR list */
        struct {
            ast_name var;
            ast_slotval *args;
            uint32_t tmpl_id;   /* the template of the fact it changes (check) */
        } modify;
        struct {
            ast_name var;
            ast_expr *value;
        } bind;
        ast_expr *args;         /* ACT_PRINT */
        struct {
            ast_expr *text;
            ast_str *cites;
        } recommend;
        ast_modref *focus;      /* ACT_FOCUS: the first runs first */
    } u;
} ast_action;

typedef struct ast_slotdecl {
    ast_name name;
    ast_name type;      /* symbol | string | int | float, judged by check */
    ast_lit *dflt;      /* NULL: no default */
    span sp;
    struct ast_slotdecl *next;
} ast_slotdecl;

typedef struct ast_template {
    ast_name name;
    ast_slotdecl *slots;
} ast_template;

typedef struct ast_rule {
    ast_name name;
    ast_text doc;
    ast_str *cites;
    ast_lit *salience;  /* NULL: 0 */
    ast_ce *conds;
    ast_action *actions;
    span then_sp;       /* the `then` keyword */
    uint32_t nvars;     /* distinct variables (check numbers them) */
    /* a query (DECL_QUERY): no actions; its parameters, EX_VAR nodes,
     * select the matches that bind them to the values a call gives */
    bool query;
    uint32_t nparams;
    ast_expr *params;
    ast_ce *filters;    /* its top-level `test`s that read a parameter no
                           pattern binds (an input), taken out of conds:
                           judged for each match when it is called (check) */
    ast_modref *module; /* `module NAME`; NULL: main (id 0) */
    arena_mark begin;   /* where its nodes begin in ast_program.rules */
} ast_rule;

typedef struct ast_facts {
    ast_name name;      /* text NULL when unnamed */
    ast_fact *facts;
} ast_facts;

/* An item of a grouped question: a finding, and the answer that ticking
 * it records (NULL: the finding's own question asks which). */
typedef struct ast_item {
    ast_name tmpl;
    uint32_t tmpl_id;   /* (check) */
    ast_lit *value;
    span sp;
    struct ast_item *next;
} ast_item;

/* `ask TEMPLATE.SLOT "question" [multiple] answers`, or a grouped
 * question `ask NAME "question" items` (tmpl is its name, slot.text NULL,
 * items non-NULL). */
typedef struct ast_ask {
    ast_name tmpl, slot;
    uint32_t tmpl_id, slot_index; /* (check) */
    ast_str question;
    bool multiple;      /* several answers may be given */
    struct ast_answer *answers;
    ast_item *items;
} ast_ask;

/* The first of K's answers' literals, or NULL. */
static inline ast_lit *answer_first(const ast_ask *k) { return answer_first_of(k->answers); }

typedef struct ast_expect {
    bool negated;       /* `not pattern`: must not be concluded */
    ast_pattern pat;
    span sp;
    struct ast_expect *next;
} ast_expect;

typedef struct ast_case {
    ast_name name;
    uint32_t nvars;     /* distinct variables of its expectations (check) */
    ast_text doc;
    ast_fact *given;
    ast_expect *expects;
} ast_case;

/* `function NAME(?a, ?b) = EXPR`: a computation named once. Parameters
 * are EX_VAR nodes; a use of one in the body is numbered by its place in
 * the list (ast_name.var, check). */
typedef struct ast_function {
    ast_name name;
    ast_expr *params;   /* EX_VAR list */
    uint32_t nparams;
    ast_expr *body;
    uint32_t id;        /* its number in the environment (check) */
} ast_function;

typedef enum ast_decl_kind {
    DECL_TEMPLATE, DECL_RULE, DECL_FACTS, DECL_ASK, DECL_CASE,
    DECL_FUNCTION,
    DECL_QUERY,         /* u.rule, with query set */
    DECL_MODULE, DECL_FOCUS,
} ast_decl_kind;

/* `module NAME "DOC"`: a module rules join with their `module` line. */
typedef struct ast_module {
    ast_name name;
    ast_text doc;
    uint32_t id;        /* its number, from 1 (check; main is 0) */
} ast_module;

typedef struct ast_decl {
    ast_decl_kind kind;
    span sp;           /* the whole declaration */
    struct ast_decl *next;
    union {
        ast_template tmpl;
        ast_rule rule;
        ast_facts facts;
        ast_ask ask;
        ast_case kase;
        ast_function func;
        ast_module module;      /* DECL_MODULE */
        ast_modref *focus;      /* DECL_FOCUS: the starting focus */
    } u;
} ast_decl;

/* `source ID "TITLE" [author "..."] [site "..."] [file "..."]`: a document
 * rules cite by ID. Kept beside the declarations (grammar/sources.c judges
 * them), not among them. */
typedef struct ast_source_field {
    ast_name name;      /* author, site or file (judged by sources.c) */
    ast_str value;
    struct ast_source_field *next;
} ast_source_field;

typedef struct ast_source {
    ast_name id;        /* as written: 004 keeps its zeros */
    ast_str title;
    ast_source_field *fields;
    span sp;            /* the whole declaration */
    struct ast_source *next;
} ast_source;

/* A `# ...` comment, to the end of its line: kept only when the program
 * asks for them (the formatter does; loads do not). */
typedef struct ast_comment {
    span sp;
    struct ast_comment *next;
} ast_comment;

typedef struct ast_program {
    arena *arena;      /* owns every node, but rules' */
    arena *rules;      /* rules' and queries' nodes, in the order written:
                          the compiler frees them as it goes (arena_free_before) */
    arena *scratch;    /* facts opened one at a time (ast_fact_open) */
    arena *names;      /* names' texts, each once a file (the scanner): apart
                          from the nodes, which keep_fact rolls back */
    bool pack_facts;   /* set before parsing: facts blocks' facts are packed */
    ast_decl *decls, *last;
    uint32_t ndecls;
    ast_source *sources, *last_source;
    bool keep_comments; /* set before parsing: the scanner lists comments */
    ast_comment *comments, *last_comment; /* in source order */
} ast_program;

enum { AST_SLOT_CF = -1 }; /* ast_slotcons.slot of the `cf` pseudo-slot */

/* Packing a fact of a facts block (the parser). Whether F can be packed:
 * every value a constant as written (not in parentheses, not computed). */
bool ast_fact_packable(const ast_fact *f);
/* F's args packed into BUF (SIZE bytes); the bytes used, or 0 when they do
 * not fit. */
size_t ast_fact_pack(const ast_fact *f, unsigned char *buf, size_t size);
/* The same, an arg at a time (for a fact read whole by the scanner): begin
 * with the fact's start; each arg's NAME (NULL or no text: by position)
 * and constant L (spans in the fact's file); end gives the bytes used, or
 * 0 when something did not fit (no room, a fact of 64 KiB or more, a name
 * of 256 bytes or more), as does any ast_pack_arg returning false. */
typedef struct ast_packer {
    unsigned char *start, *at, *end;
    uint32_t base, n;
    bool full;
} ast_packer;
void ast_pack_begin(ast_packer *, unsigned char *buf, size_t size, uint32_t fact_start);
bool ast_pack_arg(ast_packer *, const ast_name *name, const ast_lit *l);
size_t ast_pack_end(ast_packer *);

/* F with its args: F itself when it is not packed (writable when F is,
 * as strchr's result); else a copy of F (its
 * next is F's) whose args are unpacked into SCRATCH, valid until SCRATCH
 * is rolled back past this call or freed. Open one fact at a time and
 * roll SCRATCH back after each, and a facts block's trees never all exist
 * at once. */
ast_fact *ast_fact_open(const ast_fact *f, arena *scratch);
/* Keep in F, packed, what the checker resolved in U (F opened): the
 * template's number and each value's slot. Nothing to do for F not packed. */
void ast_fact_close(ast_fact *f, const ast_fact *u);

/* A packed fact's args read one at a time, with nothing allocated (for
 * whoever wants the values alone, after the checker resolved their slots):
 *   ast_packed it = ast_packed_args(f);
 *   ast_slotval a; ast_expr v;
 *   while (ast_packed_next(&it, &a, &v)) ... a.slot, v.u.lit ...
 * A and V are filled as ast_fact_open would (A.value is &V); their texts
 * point into F's bytes. */
typedef struct ast_packed {
    const unsigned char *at;
    uint32_t left;
    span sp;            /* the fact's */
} ast_packed;
ast_packed ast_packed_args(const ast_fact *f);
bool ast_packed_next(ast_packed *it, ast_slotval *a, ast_expr *v);

const char *ast_type_name(ast_type);
const char *ast_op_text(ast_op);     /* "+", "<=", "&&", ... */

#endif
