/* check.h — judging a parsed program against what is loaded: names,
 * types, variables, lint.
 *
 * A check_env is the environment a program is judged in: the templates
 * (slots, types, defaults, asks, the constants that facts and actions put
 * into each slot), and the names of the rules, cases and facts blocks that
 * earlier loads declared. `sinew check` judges its files in an empty one;
 * the engine keeps one for its life, so a load, a typed fact or a query
 * reads only its own text.
 *
 * check_program reads PROG, fills in its resolution fields (see ast.h),
 * and adds an error or warning to D for each problem, with the codes
 * listed in diag.h. What PROG
 * declares goes into ENV inside a transaction: check_env_begin opens it,
 * check_env_commit keeps what the program added and check_env_rollback
 * undoes every change since the begin, so a load that fails, and a typed
 * fact or query (checked, then rolled back), leave ENV as it was. Memory
 * the check needs only while judging comes from the program's arena.
 *
 * Ownership: the caller owns ENV (check_env_free); ENV owns copies of
 * everything it keeps. Spans in it point into the files of the srcset the
 * programs came from, which must be kept to render notes about them.
 */
#ifndef SINEW_CHECK_H
#define SINEW_CHECK_H

#include "ast.h"
#include "diag.h"

typedef struct check_env check_env;
typedef struct env_function env_function;

/* NULL when memory ran out. */
check_env *check_env_new(sn_mem *);
void check_env_free(check_env *);
/* A deep copy of ENV in MEM, for an engine that copies another's program
 * (engine/clone.c): what ENV declared — templates with their slots,
 * defaults, asks and the constants put into each slot, the names of
 * rules, queries, cases and facts blocks, sources, functions, modules,
 * the starting focus — so that the copy judges any text as ENV does,
 * errors and warnings alike. The copy is the caller's (check_env_free)
 * and shares no memory with ENV: a change to either is not seen by the
 * other. Its spans are ENV's, so they name files of a srcset with the
 * same files in the same order (the copying engine copies its sources).
 * NULL when memory ran out (nothing is left behind) or when ENV has a
 * transaction open. */
check_env *check_env_clone(const check_env *, sn_mem *);
void check_env_begin(check_env *);
void check_env_commit(check_env *);
/* Nothing to undo (no transaction open) is not an error. */
void check_env_rollback(check_env *);
/* How many templates ENV knows (they are numbered 0, 1, ... in order of
 * definition). */
uint32_t check_env_templates(const check_env *);

/* Sources earlier loads declared (grammar/sources.c judges them): the
 * label "[ID] TITLE" of source ID, or NULL; *FIRST (may be NULL) gets
 * where it was declared. check_env_add_source keeps LABEL (copied) inside
 * the open transaction. */
const char *check_env_source(const check_env *, const char *id, uint32_t len, span *first);
void check_env_add_source(check_env *, const char *id, uint32_t len, const char *label, span sp);

/* A function an embedder defined: calls of NAME with MIN_ARGS to MAX_ARGS
 * arguments (MAX_ARGS < 0: no upper bound) resolve to ID (ast_expr's
 * builtin, past the builtins' ids). False when NAME is a builtin's or
 * defined already, during a transaction, or when memory ran out. */
bool check_env_add_function(check_env *, const char *name, int min_args, int max_args,
                            uint32_t id);

/* Modules declared so far (grammar/check_module.c judges them): the
 * number of module NAME (0 for main, the default), or -1; *FIRST (may be
 * NULL) gets where it was declared. check_env_add_module declares one
 * (NAME is copied) inside the open transaction and returns its number
 * (1, 2, ... in order of declaration); check_env_modules counts them,
 * main included. The
 * starting focus is declared once: check_env_focus says whether it was
 * (and where), check_env_set_focus records it. */
int32_t check_env_module(const check_env *, const char *name, uint32_t len, span *first);
uint32_t check_env_add_module(check_env *, const char *name, uint32_t len, span sp);
uint32_t check_env_modules(const check_env *);
/* The name of module ID (borrowed from ENV), or NULL. */
const char *check_env_module_name(const check_env *, uint32_t id);
bool check_env_focus(const check_env *, span *first);
void check_env_set_focus(check_env *, span sp);

/* Must run under a load boundary (see front.h) inside a transaction. */
void check_program(ast_program *prog, check_env *env, diag_list *d);

#endif
