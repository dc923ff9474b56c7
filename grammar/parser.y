/* parser.y — the sinew grammar: a pure, located Bison parser.
 *
 * Actions only build nodes (in the program's arena); names, types and
 * variables are judged later, in check.c. Errors recover at declaration
 * boundaries: after a syntax error the parser skips to the next keyword
 * that starts a declaration, so one run reports every broken declaration,
 * and a declaration with an error is left out of the program.
 *
 * Lists are left-recursive (constant parser stack), and every node that
 * nests records its depth; a tree deeper than SINEW_MAX_DEPTH is refused
 * with E004, which bounds every recursive walker downstream.
 */
%code requires {
#include "parse_ctx.h"

typedef void *yyscan_t;

/* A list under construction: items linked through their `next` field. */
typedef struct list {
    void *head, *tail;
    uint32_t n;
} list;
}

%code provides {
int sn_yylex(SN_YYSTYPE *, SN_YYLTYPE *, yyscan_t);
}

%code {
#include <stdarg.h>
#include <string.h>

#include "front.h"

/* The parser's stack never grows: it starts at its limit, so nothing is
 * allocated outside the arena and a load that unwinds (longjmp from the
 * arena or the scanner) leaves nothing behind. Lists are left-recursive,
 * so only nesting uses the stack, and nesting is capped far below this
 * by SINEW_MAX_DEPTH. (The LAC check keeps its own 20-state stack, which
 * this grammar's chains of empty reductions never outgrow.) */
#define YYINITDEPTH 1000
#define YYMAXDEPTH 1000
#define YYSTACK_USE_ALLOCA 0

#define YYLLOC_DEFAULT(cur, rhs, n)                                         \
    do {                                                                    \
        if (n) {                                                            \
            (cur).file = YYRHSLOC(rhs, 1).file;                             \
            (cur).start = YYRHSLOC(rhs, 1).start;                           \
            (cur).end = YYRHSLOC(rhs, n).end;                               \
        } else {                                                            \
            (cur).file = YYRHSLOC(rhs, 0).file;                             \
            (cur).start = (cur).end = YYRHSLOC(rhs, 0).end;                 \
        }                                                                   \
    } while (0)

#define NEW(T) ((T *)arena_alloc(ctx->arena, sizeof(T)))
#define APPEND(T, l, item)                                                  \
    do {                                                                    \
        T *item_ = (item);                                                  \
        if ((l).tail)                                                       \
            ((T *)(l).tail)->next = item_;                                  \
        else                                                                \
            (l).head = item_;                                               \
        (l).tail = item_;                                                   \
        (l).n++;                                                            \
    } while (0)
#define ONE(T, l, item) do { (l).head = (l).tail = NULL; (l).n = 0; APPEND(T, l, item); } while (0)

/* Refuse a node nested deeper than SINEW_MAX_DEPTH (see ast.h). */
#define DEPTH_CHECK(node, loc)                                              \
    do {                                                                    \
        if ((node)->depth > SINEW_MAX_DEPTH) {                              \
            parse_error(ctx, E_NESTING, (loc),                              \
                        "nesting too deep: more than %d levels",            \
                        SINEW_MAX_DEPTH);                                   \
            YYERROR;                                                        \
        }                                                                   \
    } while (0)

static void add_decl(parse_ctx *, ast_decl *);
static void begin_decl(parse_ctx *, const char *kind, span sp);
static void fact_mark(parse_ctx *);
static ast_fact *keep_fact(parse_ctx *, ast_fact *, bool no_lookahead);
static void end_recovery(parse_ctx *, span kw, int *errstatus);
static ast_decl *decl_new(parse_ctx *, ast_decl_kind, span);
static ast_pattern *pattern_new(parse_ctx *);
static ast_lit *lit_name(parse_ctx *, ast_name);
static ast_lit *lit_string(parse_ctx *, ast_str);
static ast_lit *lit_negate(ast_lit *, span);
static ast_answer *answer_new(parse_ctx *, const ast_lit *);
static ast_expr *ex_lit(parse_ctx *, ast_lit *);
static ast_expr *ex_var(parse_ctx *, ast_name);
static ast_expr *ex_call(parse_ctx *, ast_name, list, span);
static ast_expr *ex_binary(parse_ctx *, ast_op, ast_expr *, ast_expr *, span);
static ast_expr *ex_unary(parse_ctx *, ast_op, ast_expr *, span);
static ast_cons *cons_new(parse_ctx *, ast_cons_kind, span);
static ast_cons *cons_bin(parse_ctx *, ast_cons_kind, ast_cons *, ast_cons *, span);
static ast_cons *cons_cmp(parse_ctx *, ast_op, ast_expr *, span);
static ast_ce *ce_new(parse_ctx *, ast_ce_kind, span);
static ast_ce *ce_wrap(parse_ctx *, ast_ce_kind, ast_ce *, span);
static uint16_t ce_list_depth(ast_ce *);
static ast_action *act_new(parse_ctx *, ast_action_kind, span);
static void sn_yyerror(SN_YYLTYPE *, yyscan_t, parse_ctx *, const char *);
}

%define api.pure full
%define api.prefix {sn_yy}
%define api.location.type {span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {parse_ctx *ctx}

%union {
    ast_name name;
    ast_str str;
    ast_text text;
    ast_lit *lit;
    ast_expr *expr;
    ast_cons *cons;
    ast_slotcons *slotcons;
    ast_slotval *slotval;
    ast_pattern *pat;
    ast_fact *fact;
    ast_ce *ce;
    ast_action *act;
    ast_slotdecl *slotdecl;
    ast_expect *expect;
    ast_item *item;
    ast_decl *decl;
    ast_modref *modref;
    ast_op op;
    bool flag;
    list list;
}

%token TK_TEMPLATE "'template'" TK_FACTS "'facts'" TK_ASK "'ask'" TK_MULTIPLE "'multiple'"
%token TK_RULE "'rule'" TK_WHEN "'when'" TK_THEN "'then'" TK_END "'end'"
%token TK_CASE "'case'" TK_GIVEN "'given'" TK_EXPECT "'expect'"
%token TK_NOT "'not'" TK_EXISTS "'exists'" TK_FORALL "'forall'" TK_OR "'or'" TK_TEST "'test'"
%token TK_ASSERT "'assert'" TK_CONCLUDE "'conclude'" TK_RETRACT "'retract'"
%token TK_MODIFY "'modify'" TK_BIND "'bind'" TK_PRINT "'print'"
%token TK_RECOMMEND "'recommend'" TK_HALT "'halt'"
%token TK_FUNCTION "'function'" TK_QUERY "'query'"
%token TK_CF "'cf'" TK_CITES "'cites'" TK_SALIENCE "'salience'" TK_SOURCE "'source'"
%token TK_MODULE "'module'" TK_FOCUS "'focus'"
%token TK_ARROW "'<-'" TK_EQ "'=='" TK_NE "'!='" TK_LE "'<='" TK_GE "'>='"
%token TK_ANDAND "'&&'" TK_OROR "'||'"
%token <name> TK_NAME "name" TK_VAR "variable"
%token TK_ANON "'?'"
%token <str> TK_STRING "string"
%token <lit> TK_INT "integer" TK_FLOAT "number"
%token TK_LEXERROR "invalid text"
%token <fact> TK_DATA_FACT "fact"
%token TK_START_PATTERN "start of a pattern" TK_START_FACTS "start of facts"

%type <decl> decl template_decl rule_decl facts_decl ask_decl case_decl
%type <decl> function_decl query_decl
%type <list> params_opt
%type <decl> module_decl focus_decl
%type <list> modrefs
%type <act> focus_action
%type <modref> rule_module modref
%type <name> decl_name facts_name source_id
%type <str> cite
%type <text> doc
%type <list> slot_decls cites cite_list source_fields conditions actions pargs pargs_opt svals svals_opt
%type <list> args args_opt vars fact_list answers expects items
%type <item> item
%type <slotdecl> slot_decl
%type <lit> literal default signed_number salience
%type <ce> ce_or ce_unary
%type <ce> agg_ce agg_source
%type <expr> agg_arg
%type <pat> pattern
%type <slotcons> parg
%type <cons> cons cons_and cons_term
%type <op> cmp_op
%type <expr> expr primary operand cf
%type <fact> fact
%type <slotval> sval
%type <act> action
%type <flag> multiple
%type <expect> expect

%left TK_OROR
%left TK_ANDAND
%nonassoc TK_EQ TK_NE
%nonassoc '<' TK_LE '>' TK_GE
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%%

program
    : decls
    | TK_START_PATTERN pattern
        {
            /* one pattern alone (a query): judged as a rule that tests it */
            ast_decl *d = decl_new(ctx, DECL_RULE, @2);
            d->u.rule.name.text = "__query__";
            d->u.rule.name.len = 9;
            d->u.rule.name.sp = @2;
            d->u.rule.then_sp = @2;
            ast_ce *ce = ce_new(ctx, CE_PATTERN, @2);
            ce->u.pat = *$2;
            ce->depth = 1;
            d->u.rule.conds = ce;
            add_decl(ctx, d);
        }
    | TK_START_FACTS fact_list
        {
            /* facts alone (typed in): judged as a facts block */
            ast_decl *d = decl_new(ctx, DECL_FACTS, @2);
            d->u.facts.name.sp = @2;
            d->u.facts.facts = $2.head;
            add_decl(ctx, d);
        }
    ;

decls
    : %empty
    | decls decl
        {
            if ($2)
                add_decl(ctx, $2);
            ctx->decl_kind = NULL;
        }
    | decls error
        /* Skip to the next declaration keyword; the kw_ rules end recovery. */
    ;

decl
    : template_decl
    | rule_decl
    | facts_decl
    | ask_decl
    | case_decl
    | source_decl { $$ = NULL; }
    | function_decl
    | query_decl
    | module_decl
    | focus_decl
    ;

/* A declaration keyword ends error recovery: the tokens before it belonged
 * to a broken declaration, the ones after it start a new one. */
kw_template : TK_TEMPLATE { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "template", @1); } ;
kw_rule     : TK_RULE     { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "rule", @1); } ;
kw_facts    : TK_FACTS    { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "facts", @1);
                            ctx->packing = ctx->prog->pack_facts; } ;
kw_ask      : TK_ASK      { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "ask", @1); } ;
kw_case     : TK_CASE     { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "case", @1); } ;
kw_source   : TK_SOURCE   { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "source", @1); } ;
kw_function : TK_FUNCTION { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "function", @1); } ;
kw_query    : TK_QUERY    { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "query", @1); } ;

decl_name
    : TK_NAME { ctx->decl_name = $1; $$ = $1; }
    ;

doc
    : %empty { memset(&$$, 0, sizeof $$); $$.sp = @$; }
    | TK_STRING { $$ = (ast_text){.text = $1.text, .len = $1.len, .sp = $1.sp}; }
    ;

/* ---- templates ---- */

template_decl
    : kw_template decl_name '{' slot_decls '}'
        {
            $$ = decl_new(ctx, DECL_TEMPLATE, @$);
            $$->u.tmpl.name = $2;
            $$->u.tmpl.slots = $4.head;
        }
    ;

slot_decls
    : %empty { memset(&$$, 0, sizeof $$); }
    | slot_decls slot_decl comma { $$ = $1; APPEND(ast_slotdecl, $$, $2); }
    ;

comma
    : %empty
    | ','
    ;

slot_decl
    : TK_NAME ':' TK_NAME default
        {
            $$ = NEW(ast_slotdecl);
            $$->name = $1;
            $$->type = $3;
            $$->dflt = $4;
            $$->sp = @$;
        }
    ;

default
    : %empty { $$ = NULL; }
    | '=' literal { $$ = $2; }
    ;

literal
    : TK_NAME { $$ = lit_name(ctx, $1); }
    | TK_STRING { $$ = lit_string(ctx, $1); }
    | signed_number
    ;

signed_number
    : TK_INT
    | TK_FLOAT
    | '-' TK_INT { $$ = lit_negate($2, @$); }
    | '-' TK_FLOAT { $$ = lit_negate($2, @$); }
    ;

/* ---- rules ---- */

rule_decl
    : kw_rule decl_name doc cites salience rule_module TK_WHEN conditions TK_THEN actions TK_END
        {
            $$ = decl_new(ctx, DECL_RULE, @$);
            ast_rule *r = &$$->u.rule;
            r->begin = ctx->rule_begin;
            r->name = $2;
            r->doc = $3;
            r->cites = $4.head;
            r->salience = $5;
            r->module = $6;
            r->conds = $8.head;
            r->actions = $10.head;
            r->then_sp = @9;
        }
    ;

cites
    : %empty { memset(&$$, 0, sizeof $$); }
    | TK_CITES cite_list { $$ = $2; }
    ;

cite_list
    : cite
        {
            ast_str *s = NEW(ast_str);
            *s = $1;
            ONE(ast_str, $$, s);
        }
    | cite_list ',' cite
        {
            ast_str *s = NEW(ast_str);
            *s = $3;
            $$ = $1;
            APPEND(ast_str, $$, s);
        }
    ;

/* A string is a reference in words; a name or a number is the id of a
 * source declaration (sources.c resolves it). */
cite
    : TK_STRING { $$ = $1; $$.is_id = false; }
    | source_id
        {
            $$.text = $1.text;
            $$.len = $1.len;
            $$.sp = $1.sp;
            $$.next = NULL;
            $$.is_id = true;
            $$.source = NULL;
        }
    ;

/* ---- sources ---- */

source_decl
    : kw_source source_id TK_STRING source_fields
        {
            ast_source *src = NEW(ast_source);
            src->id = $2;
            src->title = $3;
            src->fields = $4.head;
            src->sp = @$;
            if (ctx->prog->last_source)
                ctx->prog->last_source->next = src;
            else
                ctx->prog->sources = src;
            ctx->prog->last_source = src;
        }
    ;

/* An id as written: a name, or digits with their leading zeros (004). */
source_id
    : TK_NAME
    | TK_INT
        {
            $$.text = arena_strndup(ctx->arena, ctx->src->text + @1.start, @1.end - @1.start);
            $$.len = @1.end - @1.start;
            $$.sp = @1;
        }
    ;

source_fields
    : %empty { memset(&$$, 0, sizeof $$); }
    | source_fields TK_NAME TK_STRING
        {
            ast_source_field *f = NEW(ast_source_field);
            f->name = $2;
            f->value = $3;
            $$ = $1;
            APPEND(ast_source_field, $$, f);
        }
    ;

salience
    : %empty { $$ = NULL; }
    | TK_SALIENCE signed_number { $$ = $2; }
    ;

conditions
    : %empty { memset(&$$, 0, sizeof $$); }
    | conditions ce_or { $$ = $1; APPEND(ast_ce, $$, $2); }
    ;

/* `a or b or c` is one CE_OR with three alternatives. */
ce_or
    : ce_unary
    | ce_or TK_OR ce_unary
        {
            if ($1->kind == CE_OR) {
                $$ = $1;
                ast_ce *last = $$->u.list;
                while (last->next)
                    last = last->next;
                last->next = $3;
                $$->sp = @$;
            } else {
                $$ = ce_new(ctx, CE_OR, @$);
                $$->u.list = $1;
                $1->next = $3;
            }
            if ($3->depth + 1 > $$->depth)
                $$->depth = $3->depth + 1;
            if ($1->depth + 1 > $$->depth)
                $$->depth = $1->depth + 1;
            DEPTH_CHECK($$, @$);
        }
    ;

ce_unary
    : pattern
        {
            $$ = ce_new(ctx, CE_PATTERN, @$);
            $$->u.pat = *$1;
            $$->depth = 1;
        }
    | TK_NOT ce_unary { $$ = ce_wrap(ctx, CE_NOT, $2, @$); DEPTH_CHECK($$, @$); }
    | TK_EXISTS ce_unary { $$ = ce_wrap(ctx, CE_EXISTS, $2, @$); DEPTH_CHECK($$, @$); }
    | TK_FORALL ce_unary '{' conditions '}'
        {
            ast_ce *body = ce_new(ctx, CE_AND, @4);
            body->u.list = $4.head;
            body->depth = ce_list_depth($4.head) + 1;
            $$ = ce_new(ctx, CE_FORALL, @$);
            $$->u.forall.domain = $2;
            $$->u.forall.body = body;
            $$->depth = 1 + ($2->depth > body->depth ? $2->depth : body->depth);
            DEPTH_CHECK($$, @$);
        }
    | '{' conditions '}'
        {
            $$ = ce_new(ctx, CE_AND, @$);
            $$->u.list = $2.head;
            $$->depth = ce_list_depth($2.head) + 1;
            DEPTH_CHECK($$, @$);
        }
    | TK_TEST expr
        {
            $$ = ce_new(ctx, CE_TEST, @$);
            $$->u.test = $2;
            $$->depth = $2->depth + 1;
            DEPTH_CHECK($$, @$);
        }
    | agg_ce
    ;

/* ---- aggregates ----
 * `?n = count P`, `?m = max(?s) P`, `?t = sum(?d) { P1 P2 }`: the function
 * is a name, judged by check.c, so that count, sum, min, max, avg and
 * collect stay free as names elsewhere. A condition that starts with a
 * variable is a pattern's `?f <-` or an aggregate's `=`: one token apart. */
agg_ce
    : TK_VAR '=' TK_NAME agg_arg agg_source
        {
            $$ = ce_new(ctx, CE_AGG, @$);
            $$->u.agg = NEW(ast_agg);
            $$->u.agg->var = $1;
            $$->u.agg->fn = $3;
            $$->u.agg->arg = $4;
            $$->u.agg->src = $5;
            $$->depth = $5->depth + 1;
            if ($4 && $4->depth + 1 > $$->depth)
                $$->depth = $4->depth + 1;
            DEPTH_CHECK($$, @$);
        }
    ;

agg_arg
    : %empty { $$ = NULL; }
    | '(' expr ')' { $$ = $2; }
    ;

agg_source
    : pattern
        {
            $$ = ce_new(ctx, CE_PATTERN, @$);
            $$->u.pat = *$1;
            $$->depth = 1;
        }
    | '{' conditions '}'
        {
            $$ = ce_new(ctx, CE_AND, @$);
            $$->u.list = $2.head;
            $$->depth = ce_list_depth($2.head) + 1;
            DEPTH_CHECK($$, @$);
        }
    ;

pattern
    : TK_NAME '(' pargs_opt ')'
        {
            $$ = pattern_new(ctx);
            $$->tmpl = $1;
            $$->args = $3.head;
            $$->sp = @$;
        }
    | TK_VAR TK_ARROW TK_NAME '(' pargs_opt ')'
        {
            $$ = pattern_new(ctx);
            $$->binding = NEW(ast_name);
            *$$->binding = $1;
            $$->tmpl = $3;
            $$->args = $5.head;
            $$->sp = @$;
        }
    ;

pargs_opt
    : %empty { memset(&$$, 0, sizeof $$); }
    | pargs
    ;

pargs
    : parg { ONE(ast_slotcons, $$, $1); }
    | pargs ',' parg { $$ = $1; APPEND(ast_slotcons, $$, $3); }
    ;

parg
    : TK_NAME ':' cons
        {
            $$ = NEW(ast_slotcons);
            $$->name = $1;
            $$->cons = $3;
        }
    | TK_CF ':' cons
        {
            $$ = NEW(ast_slotcons);
            $$->name.text = "cf";
            $$->name.len = 2;
            $$->name.sp = @1;
            $$->cons = $3;
        }
    | cons
        {
            $$ = NEW(ast_slotcons);
            $$->cons = $1;
        }
    ;

cons
    : cons_and
    | cons '|' cons_and { $$ = cons_bin(ctx, CT_OR, $1, $3, @$); DEPTH_CHECK($$, @$); }
    ;

cons_and
    : cons_term
    | cons_and '&' cons_term { $$ = cons_bin(ctx, CT_AND, $1, $3, @$); DEPTH_CHECK($$, @$); }
    ;

cons_term
    : TK_VAR
        {
            $$ = cons_new(ctx, CT_VAR, @$);
            $$->u.var = $1;
        }
    | TK_ANON
        {
            $$ = cons_new(ctx, CT_VAR, @$);
            $$->u.var.sp = @1;
        }
    | literal
        {
            $$ = cons_new(ctx, CT_LIT, @$);
            $$->u.lit = *$1;
            ctx->spare_lit = $1;
        }
    | cmp_op operand { $$ = cons_cmp(ctx, $1, $2, @$); DEPTH_CHECK($$, @$); }
    | TK_NAME '(' args_opt ')'
        {
            $$ = cons_new(ctx, CT_PRED, @$);
            $$->u.pred = ex_call(ctx, $1, $3, @$);
            $$->depth = $$->u.pred->depth + 1;
            DEPTH_CHECK($$, @$);
        }
    | '(' expr ')' { $$ = cons_cmp(ctx, OP_EQ, $2, @$); DEPTH_CHECK($$, @$); }
    ;

cmp_op
    : TK_EQ { $$ = OP_EQ; }
    | TK_NE { $$ = OP_NE; }
    | '<' { $$ = OP_LT; }
    | TK_LE { $$ = OP_LE; }
    | '>' { $$ = OP_GT; }
    | TK_GE { $$ = OP_GE; }
    ;

operand
    : literal { $$ = ex_lit(ctx, $1); }
    | TK_VAR { $$ = ex_var(ctx, $1); }
    | TK_NAME '(' args_opt ')' { $$ = ex_call(ctx, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | '(' expr ')' { $$ = $2; }
    ;

/* ---- expressions ---- */

expr
    : primary
    | expr TK_OROR expr { $$ = ex_binary(ctx, OP_OR, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr TK_ANDAND expr { $$ = ex_binary(ctx, OP_AND, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr TK_EQ expr { $$ = ex_binary(ctx, OP_EQ, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr TK_NE expr { $$ = ex_binary(ctx, OP_NE, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr '<' expr { $$ = ex_binary(ctx, OP_LT, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr TK_LE expr { $$ = ex_binary(ctx, OP_LE, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr '>' expr { $$ = ex_binary(ctx, OP_GT, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr TK_GE expr { $$ = ex_binary(ctx, OP_GE, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr '+' expr { $$ = ex_binary(ctx, OP_ADD, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr '-' expr { $$ = ex_binary(ctx, OP_SUB, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr '*' expr { $$ = ex_binary(ctx, OP_MUL, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr '/' expr { $$ = ex_binary(ctx, OP_DIV, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | expr '%' expr { $$ = ex_binary(ctx, OP_MOD, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | '-' expr %prec UNARY { $$ = ex_unary(ctx, OP_NEG, $2, @$); DEPTH_CHECK($$, @$); }
    | '!' expr %prec UNARY { $$ = ex_unary(ctx, OP_NOT, $2, @$); DEPTH_CHECK($$, @$); }
    ;

primary
    : TK_NAME { $$ = ex_lit(ctx, lit_name(ctx, $1)); }
    | TK_STRING { $$ = ex_lit(ctx, lit_string(ctx, $1)); }
    | TK_INT { $$ = ex_lit(ctx, $1); }
    | TK_FLOAT { $$ = ex_lit(ctx, $1); }
    | TK_VAR { $$ = ex_var(ctx, $1); }
    | TK_NAME '(' args_opt ')' { $$ = ex_call(ctx, $1, $3, @$); DEPTH_CHECK($$, @$); }
    | '(' expr ')' { $$ = $2; $$->sp = @$; }
    ;

args_opt
    : %empty { memset(&$$, 0, sizeof $$); }
    | args
    ;

args
    : expr { ONE(ast_expr, $$, $1); }
    | args ',' expr { $$ = $1; APPEND(ast_expr, $$, $3); }
    ;

/* ---- actions ---- */

actions
    : %empty { memset(&$$, 0, sizeof $$); }
    | actions action { $$ = $1; APPEND(ast_action, $$, $2); }
    ;

action
    : TK_ASSERT fact
        {
            $$ = act_new(ctx, ACT_ASSERT, @$);
            $$->u.fact = *$2;
        }
    | TK_CONCLUDE fact cf
        {
            $$ = act_new(ctx, ACT_CONCLUDE, @$);
            $$->u.conclude.fact = *$2;
            $$->u.conclude.cf = $3;
        }
    | TK_RETRACT vars
        {
            $$ = act_new(ctx, ACT_RETRACT, @$);
            $$->u.vars = $2.head;
        }
    | TK_MODIFY TK_VAR '(' svals_opt ')'
        {
            $$ = act_new(ctx, ACT_MODIFY, @$);
            $$->u.modify.var = $2;
            $$->u.modify.args = $4.head;
        }
    | TK_BIND TK_VAR '=' expr
        {
            $$ = act_new(ctx, ACT_BIND, @$);
            $$->u.bind.var = $2;
            $$->u.bind.value = $4;
        }
    | TK_PRINT args
        {
            $$ = act_new(ctx, ACT_PRINT, @$);
            $$->u.args = $2.head;
        }
    | TK_RECOMMEND expr cites
        {
            $$ = act_new(ctx, ACT_RECOMMEND, @$);
            $$->u.recommend.text = $2;
            $$->u.recommend.cites = $3.head;
        }
    | TK_HALT { $$ = act_new(ctx, ACT_HALT, @$); }
    | focus_action
    ;

cf
    : %empty { $$ = NULL; }
    | TK_CF expr { $$ = $2; }
    ;

vars
    : TK_VAR { ONE(ast_expr, $$, ex_var(ctx, $1)); }
    | vars ',' TK_VAR { $$ = $1; APPEND(ast_expr, $$, ex_var(ctx, $3)); }
    ;

fact
    : TK_NAME '(' svals_opt ')'
        {
            $$ = &ctx->fact; /* copied by the rule that reads it (parse_ctx.h) */
            memset($$, 0, sizeof *$$);
            $$->tmpl = $1;
            $$->args = $3.head;
            $$->sp = @$;
        }
    ;

svals_opt
    : %empty { memset(&$$, 0, sizeof $$); }
    | svals
    ;

svals
    : sval { ONE(ast_slotval, $$, $1); }
    | svals ',' sval { $$ = $1; APPEND(ast_slotval, $$, $3); }
    ;

sval
    : TK_NAME ':' expr
        {
            $$ = NEW(ast_slotval);
            $$->name = $1;
            $$->value = $3;
        }
    | TK_CF ':' expr
        {
            /* not a slot; kept so the checker can say to use `cf N` */
            $$ = NEW(ast_slotval);
            $$->name.text = "cf";
            $$->name.len = 2;
            $$->name.sp = @1;
            $$->value = $3;
        }
    | expr
        {
            $$ = NEW(ast_slotval);
            $$->value = $1;
        }
    ;

/* ---- functions ---- */

/* `function NAME(?a, ?b) = EXPR`: the parameters are variables, the body
 * one expression (check.c judges the names in it). */
function_decl
    : kw_function decl_name '(' params_opt ')' '=' expr
        {
            $$ = decl_new(ctx, DECL_FUNCTION, @$);
            $$->u.func.name = $2;
            $$->u.func.params = $4.head;
            $$->u.func.nparams = $4.n;
            $$->u.func.body = $7;
        }
    ;

params_opt
    : %empty { memset(&$$, 0, sizeof $$); }
    | vars
    ;

/* ---- queries ---- */

/* `query NAME(?a) when CONDITIONS end`: a rule with no actions, whose
 * matches are read on demand (engine/query.c). */
query_decl
    : kw_query decl_name '(' params_opt ')' TK_WHEN conditions TK_END
        {
            $$ = decl_new(ctx, DECL_QUERY, @$);
            ast_rule *r = &$$->u.rule;
            r->begin = ctx->rule_begin;
            r->name = $2;
            r->query = true;
            r->params = $4.head;
            r->nparams = $4.n;
            r->conds = $7.head;
            r->then_sp = @8;
            r->doc.sp = @2;
        }
    ;

/* ---- facts, asks, cases ---- */

facts_decl
    : kw_facts facts_name '{' fact_list '}'
        {
            $$ = decl_new(ctx, DECL_FACTS, @$);
            $$->u.facts.name = $2;
            $$->u.facts.facts = $4.head;
        }
    ;

facts_name
    : %empty { memset(&$$, 0, sizeof $$); $$.sp = @$; }
    | decl_name
    ;

/* In a facts block of a load, each fact is packed as soon as it is parsed
 * and its tree freed (keep_fact): the scanner has read nothing past the
 * fact when no lookahead token is held. */
fact_list
    : %empty { memset(&$$, 0, sizeof $$); fact_mark(ctx); }
    | fact_list fact { $$ = $1; APPEND(ast_fact, $$, keep_fact(ctx, $2, yychar == SN_YYEMPTY)); }
    | fact_list TK_DATA_FACT { $$ = $1; APPEND(ast_fact, $$, $2); fact_mark(ctx); }
    ;

ask_decl
    : kw_ask decl_name '.' TK_NAME TK_STRING multiple answers
        {
            $$ = decl_new(ctx, DECL_ASK, @$);
            $$->u.ask.tmpl = $2;
            $$->u.ask.slot = $4;
            $$->u.ask.question = $5;
            $$->u.ask.multiple = $6;
            $$->u.ask.answers = $7.head;
        }
    | kw_ask decl_name TK_STRING items
        {
            $$ = decl_new(ctx, DECL_ASK, @$);
            $$->u.ask.tmpl = $2;
            $$->u.ask.question = $3;
            $$->u.ask.multiple = true;
            $$->u.ask.items = $4.head;
        }
    ;

/* A grouped question's items: a finding ticked (its own question asks
 * which), or a finding and the answer ticking it records. */
items
    : item { ONE(ast_item, $$, $1); }
    | items ',' item { $$ = $1; APPEND(ast_item, $$, $3); }
    ;

item
    : TK_NAME
        {
            $$ = NEW(ast_item);
            memset($$, 0, sizeof *$$);
            $$->tmpl = $1;
            $$->sp = @$;
        }
    | TK_NAME ':' literal
        {
            $$ = NEW(ast_item);
            memset($$, 0, sizeof *$$);
            $$->tmpl = $1;
            $$->value = $3;
        }
    ;

multiple
    : %empty { $$ = false; }
    | TK_MULTIPLE { $$ = true; }
    ;

answers
    : literal { ONE(ast_answer, $$, answer_new(ctx, $1)); }
    | answers ',' literal { $$ = $1; APPEND(ast_answer, $$, answer_new(ctx, $3)); }
    ;

case_decl
    : kw_case decl_name doc TK_GIVEN fact_list TK_EXPECT expects TK_END
        {
            $$ = decl_new(ctx, DECL_CASE, @$);
            $$->u.kase.name = $2;
            $$->u.kase.doc = $3;
            $$->u.kase.given = $5.head;
            $$->u.kase.expects = $7.head;
        }
    ;

expects
    : %empty { memset(&$$, 0, sizeof $$); }
    | expects expect { $$ = $1; APPEND(ast_expect, $$, $2); }
    ;

expect
    : pattern
        {
            $$ = NEW(ast_expect);
            $$->pat = *$1;
            $$->sp = @$;
        }
    | TK_NOT pattern
        {
            $$ = NEW(ast_expect);
            $$->negated = true;
            $$->pat = *$2;
            $$->sp = @$;
        }
    ;

/* ---- modules and focus ----
 *
 * `module NAME "DOC"` declares a module; a rule joins it with a `module
 * NAME` line after its salience. `focus A, B` is an action (A's rules run
 * next, then B's, then the module that was running) and, on its own, the
 * starting focus of every run. The top-level `focus` does not end error
 * recovery: inside a broken rule it is more likely the action. */

kw_module : TK_MODULE { end_recovery(ctx, @1, &yyerrstatus); begin_decl(ctx, "module", @1); } ;

module_decl
    : kw_module decl_name doc
        {
            $$ = decl_new(ctx, DECL_MODULE, @$);
            $$->u.module.name = $2;
            $$->u.module.doc = $3;
        }
    ;

focus_decl
    : TK_FOCUS modrefs
        {
            $$ = decl_new(ctx, DECL_FOCUS, @$);
            $$->u.focus = $2.head;
        }
    ;

focus_action
    : TK_FOCUS modrefs
        {
            $$ = act_new(ctx, ACT_FOCUS, @$);
            $$->u.focus = $2.head;
        }
    ;

rule_module
    : %empty { $$ = NULL; }
    | TK_MODULE modref { $$ = $2; }
    ;

modrefs
    : modref { ONE(ast_modref, $$, $1); }
    | modrefs ',' modref { $$ = $1; APPEND(ast_modref, $$, $3); }
    ;

modref
    : TK_NAME
        {
            $$ = NEW(ast_modref);
            memset($$, 0, sizeof *$$);
            $$->name = $1;
        }
    ;

%%

static void begin_decl(parse_ctx *ctx, const char *kind, span sp)
{
    ctx->packing = false;
    ctx->pack_block = false;
    ctx->depth = 0;
    ctx->decl_kind = kind;
    ctx->decl_sp = sp;
    ctx->decl_errors = 0;
    memset(&ctx->decl_name, 0, sizeof ctx->decl_name);
    /* a rule's nodes go where the compiler can free them as it goes
     * (ast.h); what is lexed from here on is the declaration's */
    bool rule = strcmp(kind, "rule") == 0 || strcmp(kind, "query") == 0;
    ctx->arena = rule ? ctx->prog->rules : ctx->prog->arena;
    ctx->rule_begin = arena_get_mark(ctx->arena);
    ctx->spare_lit = NULL;
}

/* What the arena holds from here on belongs to facts yet to come. */
static void fact_mark(parse_ctx *ctx)
{
    ctx->fact_mark = arena_get_mark(ctx->arena);
    ctx->fact_errors = ctx->nerrors;
    ctx->fact_keeps = ctx->keeps;
}

/* F, just parsed in a facts block: when packing, and all the arena got
 * since the last fact is F's (no lookahead token read past it, no error,
 * no comment or scanner block made), F's tree is freed and F packed in its
 * place (ast.h). Returns the fact to keep. */
static ast_fact *keep_fact(parse_ctx *ctx, ast_fact *f, bool no_lookahead)
{
    if (ctx->packing && no_lookahead && ctx->nerrors == ctx->fact_errors &&
        ctx->keeps == ctx->fact_keeps && f->tmpl.len <= PACKED_NAME_MAX && ast_fact_packable(f)) {
        unsigned char packed[PACKED_MAX];
        char name[PACKED_NAME_MAX];
        size_t n = ast_fact_pack(f, packed, sizeof packed);
        if (n) {
            ast_fact head = *f;
            memcpy(name, f->tmpl.text, f->tmpl.len);
            arena_rollback(ctx->arena, ctx->fact_mark);
            ctx->spare_lit = NULL;
            f = NEW(ast_fact);
            *f = head;
            f->args = NULL;
            f->next = NULL;
            if (!ctx->last_tmpl || ctx->last_tmpl_len != head.tmpl.len ||
                memcmp(ctx->last_tmpl, name, head.tmpl.len) != 0) {
                ctx->last_tmpl = arena_strndup(ctx->arena, name, head.tmpl.len);
                ctx->last_tmpl_len = head.tmpl.len;
            }
            f->tmpl.text = ctx->last_tmpl;
            f->packed = arena_alloc(ctx->arena, n);
            memcpy(f->packed, packed, n);
        }
    }
    if (f == &ctx->fact) { /* not packed: kept as it is */
        f = NEW(ast_fact);
        *f = ctx->fact;
    }
    fact_mark(ctx);
    return f;
}

/* yyerrok, unless KW is the very token the last error was about: in
 * `template rule { ... }` the misplaced 'rule' must not start a rule whose
 * every token is then reported again. Recovery goes on to the next
 * declaration keyword instead. */
static void end_recovery(parse_ctx *ctx, span kw, int *errstatus)
{
    if (ctx->last_error_at != kw.start + 1)
        *errstatus = 0;
}

static ast_decl *decl_new(parse_ctx *ctx, ast_decl_kind kind, span sp)
{
    ast_decl *d = NEW(ast_decl);
    d->kind = kind;
    d->sp = sp;
    return d;
}

/* The pattern being parsed: the rule that reads it copies it (parse_ctx.h). */
static ast_pattern *pattern_new(parse_ctx *ctx)
{
    memset(&ctx->pat, 0, sizeof ctx->pat);
    return &ctx->pat;
}

static ast_lit *lit_name(parse_ctx *ctx, ast_name n)
{
    ast_lit *l = ctx_lit_new(ctx);
    l->type = TY_SYMBOL;
    l->u.s = n.text;
    l->len = n.len;
    l->sp = n.sp;
    return l;
}

static ast_lit *lit_string(parse_ctx *ctx, ast_str s)
{
    ast_lit *l = ctx_lit_new(ctx);
    l->type = TY_STRING;
    l->u.s = s.text;
    l->len = s.len;
    l->sp = s.sp;
    return l;
}

static ast_answer *answer_new(parse_ctx *ctx, const ast_lit *l)
{
    ast_answer *a = NEW(ast_answer);
    a->lit = *l;
    return a;
}

static ast_lit *lit_negate(ast_lit *l, span sp)
{
    if (l->type == TY_INT)
        l->u.i = -l->u.i;
    else
        l->u.f = -l->u.f;
    l->sp = sp;
    return l;
}

static ast_expr *ex_new(parse_ctx *ctx, ast_expr_kind kind, span sp)
{
    ast_expr *e = NEW(ast_expr);
    e->kind = kind;
    e->sp = sp;
    e->depth = 1;
    return e;
}

static ast_expr *ex_lit(parse_ctx *ctx, ast_lit *l)
{
    ast_expr *e = ex_new(ctx, EX_LIT, l->sp);
    e->u.lit = *l;
    ctx->spare_lit = l; /* copied: its room is the next literal's */
    return e;
}

static ast_expr *ex_var(parse_ctx *ctx, ast_name n)
{
    ast_expr *e = ex_new(ctx, EX_VAR, n.sp);
    e->u.var = n;
    return e;
}

static ast_expr *ex_call(parse_ctx *ctx, ast_name fn, list args, span sp)
{
    ast_expr *e = ex_new(ctx, EX_CALL, sp);
    e->u.call = NEW(ast_call);
    e->u.call->fn = fn;
    e->u.call->args = args.head;
    e->u.call->nargs = args.n;
    for (ast_expr *a = args.head; a; a = a->next)
        if (a->depth + 1 > e->depth)
            e->depth = a->depth + 1;
    return e;
}

static ast_expr *ex_binary(parse_ctx *ctx, ast_op op, ast_expr *l, ast_expr *r, span sp)
{
    ast_expr *e = ex_new(ctx, EX_BINARY, sp);
    e->u.op.op = op;
    e->u.op.lhs = l;
    e->u.op.rhs = r;
    e->depth = 1 + (l->depth > r->depth ? l->depth : r->depth);
    return e;
}

/* `-5` is the literal -5, so constants such as `cf -0.4` stay constants. */
static ast_expr *ex_unary(parse_ctx *ctx, ast_op op, ast_expr *x, span sp)
{
    if (op == OP_NEG && x->kind == EX_LIT &&
        (x->u.lit.type == TY_INT || x->u.lit.type == TY_FLOAT)) {
        lit_negate(&x->u.lit, sp);
        x->sp = sp;
        return x;
    }
    ast_expr *e = ex_new(ctx, EX_UNARY, sp);
    e->u.op.op = op;
    e->u.op.lhs = x;
    e->depth = x->depth + 1;
    return e;
}

static ast_cons *cons_new(parse_ctx *ctx, ast_cons_kind kind, span sp)
{
    ast_cons *c = NEW(ast_cons);
    c->kind = kind;
    c->sp = sp;
    c->depth = 1;
    return c;
}

static ast_cons *cons_bin(parse_ctx *ctx, ast_cons_kind kind, ast_cons *l, ast_cons *r, span sp)
{
    ast_cons *c = cons_new(ctx, kind, sp);
    c->u.bin.lhs = l;
    c->u.bin.rhs = r;
    c->depth = 1 + (l->depth > r->depth ? l->depth : r->depth);
    return c;
}

static ast_cons *cons_cmp(parse_ctx *ctx, ast_op op, ast_expr *rhs, span sp)
{
    ast_cons *c = cons_new(ctx, CT_CMP, sp);
    c->u.cmp.op = op;
    c->u.cmp.rhs = rhs;
    c->depth = rhs->depth + 1;
    return c;
}

static ast_ce *ce_new(parse_ctx *ctx, ast_ce_kind kind, span sp)
{
    ast_ce *c = NEW(ast_ce);
    c->kind = kind;
    c->sp = sp;
    c->depth = 1;
    return c;
}

static ast_ce *ce_wrap(parse_ctx *ctx, ast_ce_kind kind, ast_ce *sub, span sp)
{
    ast_ce *c = ce_new(ctx, kind, sp);
    c->u.sub = sub;
    c->depth = sub->depth + 1;
    return c;
}

static uint16_t ce_list_depth(ast_ce *c)
{
    uint16_t d = 0;
    for (; c; c = c->next)
        if (c->depth > d)
            d = c->depth;
    return d;
}

static ast_action *act_new(parse_ctx *ctx, ast_action_kind kind, span sp)
{
    ast_action *a = NEW(ast_action);
    a->kind = kind;
    a->sp = sp;
    return a;
}

/* Bison calls this only when its stack is full: the input nests deeper than
 * any sensible rule file. */
static void sn_yyerror(SN_YYLTYPE *loc, yyscan_t scanner, parse_ctx *ctx, const char *msg)
{
    (void)scanner;
    (void)msg; /* "memory exhausted": Bison's words for a full stack */
    parse_error(ctx, E_NESTING, *loc,
                "nesting too deep: more than %d open constructs; the rest of the file was not read",
                YYMAXDEPTH);
}

/* ---- syntax error messages ---- */

/* Groups of tokens named by what an author would call them. */
static const struct token_group {
    const char *phrase;
    yysymbol_kind_t members[16];
} groups[] = {
    {"a declaration ('template', 'rule', 'facts', 'ask', 'case', 'source', 'function', 'query', "
     "'module' or 'focus')",
     {YYSYMBOL_TK_TEMPLATE, YYSYMBOL_TK_RULE, YYSYMBOL_TK_FACTS, YYSYMBOL_TK_ASK,
      YYSYMBOL_TK_CASE, YYSYMBOL_TK_SOURCE, YYSYMBOL_TK_FUNCTION, YYSYMBOL_TK_QUERY,
      YYSYMBOL_TK_MODULE, YYSYMBOL_TK_FOCUS, YYSYMBOL_YYEMPTY}},
    {"an action",
     {YYSYMBOL_TK_ASSERT, YYSYMBOL_TK_CONCLUDE, YYSYMBOL_TK_RETRACT, YYSYMBOL_TK_MODIFY,
      YYSYMBOL_TK_BIND, YYSYMBOL_TK_PRINT, YYSYMBOL_TK_RECOMMEND, YYSYMBOL_TK_HALT,
      YYSYMBOL_TK_FOCUS, YYSYMBOL_YYEMPTY}},
    {"a condition",
     {YYSYMBOL_TK_NAME, YYSYMBOL_TK_VAR, YYSYMBOL_TK_NOT, YYSYMBOL_TK_EXISTS,
      YYSYMBOL_TK_FORALL, YYSYMBOL_TK_TEST, YYSYMBOL_YYEMPTY}},
    {"a constraint",
     {YYSYMBOL_TK_VAR, YYSYMBOL_TK_ANON, YYSYMBOL_TK_NAME, YYSYMBOL_TK_STRING,
      YYSYMBOL_TK_INT, YYSYMBOL_TK_FLOAT, YYSYMBOL_TK_EQ, YYSYMBOL_TK_NE, YYSYMBOL_TK_LE,
      YYSYMBOL_TK_GE, YYSYMBOL_YYEMPTY}},
    {"an expression",
     {YYSYMBOL_TK_NAME, YYSYMBOL_TK_STRING, YYSYMBOL_TK_INT, YYSYMBOL_TK_FLOAT,
      YYSYMBOL_TK_VAR, YYSYMBOL_YYEMPTY}},
    {"an operator",
     {YYSYMBOL_TK_OROR, YYSYMBOL_TK_ANDAND, YYSYMBOL_TK_EQ, YYSYMBOL_TK_NE, YYSYMBOL_TK_LE,
      YYSYMBOL_TK_GE, YYSYMBOL_YYEMPTY}},
    {"a value",
     {YYSYMBOL_TK_NAME, YYSYMBOL_TK_STRING, YYSYMBOL_TK_INT, YYSYMBOL_TK_FLOAT,
      YYSYMBOL_YYEMPTY}},
    {"a number", {YYSYMBOL_TK_INT, YYSYMBOL_TK_FLOAT, YYSYMBOL_YYEMPTY}},
    {"a number", {YYSYMBOL_TK_INT, YYSYMBOL_TK_FLOAT, YYSYMBOL_YYEMPTY}},
};

/* Single-character tokens that belong to a group: Bison names them by
 * character, so they are matched here rather than by kind. */
static const char *group_chars[] = {
    "", "", "{", "-<>(", "-(!", "<>+-*/%", "-", "-", "",
};

static bool char_token(yysymbol_kind_t k, char *c)
{
    const char *s = yysymbol_name(k);
    if (s[0] == '\'' && s[1] && s[2] == '\'' && !s[3]) {
        *c = s[1];
        return true;
    }
    return false;
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner, parse_ctx *ctx)
{
    (void)scanner;
    yysymbol_kind_t found = yypcontext_token(yyctx);
    if (found == YYSYMBOL_TK_LEXERROR)
        return 0; /* the scanner has said what is wrong */

    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(yyctx, exp, YYNTOKENS);
    if (n < 0)
        n = 0;

    /* Replace whole groups by their phrase. */
    const char *items[YYNTOKENS + 8];
    int nitems = 0;
    bool used[YYNTOKENS] = {0};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        bool all = true;
        for (const yysymbol_kind_t *m = groups[g].members; *m != YYSYMBOL_YYEMPTY && all; m++) {
            bool in = false;
            for (int i = 0; i < n; i++)
                in |= exp[i] == *m && !used[i];
            all = in;
        }
        for (const char *c = group_chars[g]; *c && all; c++) {
            bool in = false;
            for (int i = 0; i < n; i++) {
                char ch;
                in |= !used[i] && char_token(exp[i], &ch) && ch == *c;
            }
            all = in;
        }
        if (!all)
            continue;
        for (int i = 0; i < n; i++) {
            char ch;
            for (const yysymbol_kind_t *m = groups[g].members; *m != YYSYMBOL_YYEMPTY; m++)
                if (exp[i] == *m)
                    used[i] = true;
            if (char_token(exp[i], &ch) && strchr(group_chars[g], ch))
                used[i] = true;
        }
        items[nitems++] = groups[g].phrase;
    }
    for (int i = 0; i < n; i++)
        if (!used[i] && exp[i] != YYSYMBOL_TK_DATA_FACT) /* a fact read whole: name says it */
            items[nitems++] = yysymbol_name(exp[i]); /* the alias: 'then', name, ... */

    char what[128];
    const span *loc = yypcontext_location(yyctx);
    switch (found) {
    case YYSYMBOL_YYEOF:
        snprintf(what, sizeof what, "end of file");
        break;
    case YYSYMBOL_TK_NAME:
    case YYSYMBOL_TK_VAR:
    case YYSYMBOL_TK_INT:
    case YYSYMBOL_TK_FLOAT: {
        int len = (int)(loc->end - loc->start);
        snprintf(what, sizeof what, "%s '%.*s%s'", found == YYSYMBOL_TK_VAR ? "variable" :
                 found == YYSYMBOL_TK_NAME ? "name" : "number",
                 len > 40 ? 40 : len, ctx->src->text + loc->start, len > 40 ? "..." : "");
        break;
    }
    default:
        snprintf(what, sizeof what, "%s", yysymbol_name(found));
    }

    char msg[512];
    int at = snprintf(msg, sizeof msg, "unexpected %s", what);
    for (int i = 0; i < nitems && at < (int)sizeof msg - 64; i++) {
        const char *sep = i == 0 ? ", expected " : i == nitems - 1 ? " or " : ", ";
        if (i == 6 && nitems > 7) {
            at += snprintf(msg + at, sizeof msg - at, ", ...");
            break;
        }
        at += snprintf(msg + at, sizeof msg - at, "%s%s", sep, items[i]);
    }
    /* a reserved word where a name belongs: say why it is not a name */
    bool name_expected = false;
    for (int i = 0; i < n; i++)
        name_expected |= exp[i] == YYSYMBOL_TK_NAME;
    /* ...when it is used like one: followed by ':', '(', '.' or '{' */
    const char *alias = yysymbol_name(found);
    const char *after = ctx->src->text + loc->end;
    while (*after == ' ' || *after == '\t')
        after++;
    if (name_expected && alias[0] == '\'' && alias[1] >= 'a' && alias[1] <= 'z' &&
        *after && strchr(":(.{", *after))
        snprintf(msg + at, sizeof msg - at, " (%s is a reserved word)", what);
    /* '=' is the one-character slip worth naming */
    else if (strcmp(alias, "'='") == 0) {
        bool colon = false, eq = false;
        for (int i = 0; i < n; i++) {
            colon |= strcmp(yysymbol_name(exp[i]), "':'") == 0;
            eq |= exp[i] == YYSYMBOL_TK_EQ;
        }
        if (colon)
            snprintf(msg + at, sizeof msg - at, " (a slot's value comes after ':')");
        else if (eq)
            snprintf(msg + at, sizeof msg - at, " (to compare, write '==')");
    } else if (strcmp(alias, "';'") == 0) {
        snprintf(msg + at, sizeof msg - at, " (conditions and actions need no separator)");
    }
    parse_error(ctx, E_SYNTAX, *loc, "%s", msg);
    ctx->last_error_at = loc->start + 1;

    if (ctx->decl_kind) {
        uint32_t l1, l2, c;
        src_position(ctx->src, ctx->decl_sp.start, &l1, &c);
        src_position(ctx->src, loc->start, &l2, &c);
        if (l1 != l2) {
            if (ctx->decl_name.text)
                diag_note(ctx->d, &ctx->decl_sp, "%s '%s' began here", ctx->decl_kind,
                          ctx->decl_name.text);
            else
                diag_note(ctx->d, &ctx->decl_sp, "%s block began here", ctx->decl_kind);
        }
    }
    return 0;
}

/* ---- the entry point ---- */

#include "lexer.h"

void parse_error(parse_ctx *ctx, diag_code code, span sp, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_add(ctx->d, DIAG_ERROR, code, sp, "%s", msg);
    ctx->nerrors++;
    ctx->decl_errors++;
}

static void add_decl(parse_ctx *ctx, ast_decl *d)
{
    if (ctx->prog->last)
        ctx->prog->last->next = d;
    else
        ctx->prog->decls = d;
    ctx->prog->last = d;
    ctx->prog->ndecls++;
}

unsigned parse_file_as(ast_program *prog, const srcset *src, uint32_t file, diag_list *d,
                       front_mode mode)
{
    parse_ctx ctx = {0};
    ctx.start_token = mode == FRONT_PATTERN ? TK_START_PATTERN : mode == FRONT_FACTS ? TK_START_FACTS : 0;
    ctx.prog = prog;
    ctx.arena = prog->arena;
    ctx.src = srcset_file(src, file);
    ctx.file = file;
    ctx.d = d;

    yyscan_t scanner;
    if (sn_yylex_init_extra(&ctx, &scanner) != 0) {
        mem_failed(arena_mem(prog->arena));
        return 1;
    }
    arena_mark names_table = arena_get_mark(prog->scratch); /* lexer.l, names_grow */
    sn_yyparse(scanner, &ctx); /* the scanner reads ctx.src (lexer.l, lex_input) */
    sn_yylex_destroy(scanner);
    arena_rollback(prog->scratch, names_table);
    return ctx.nerrors;
}

unsigned parse_file(ast_program *prog, const srcset *src, uint32_t file, diag_list *d)
{
    return parse_file_as(prog, src, file, d, FRONT_PROGRAM);
}
