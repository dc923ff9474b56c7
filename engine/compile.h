/* compile.h — a checked program into the engine (compile.c: rules and
 * expressions; decls.c: the other declarations). Private to the engine. */
#ifndef SINEW_COMPILE_H
#define SINEW_COMPILE_H

#include "internal.h"

/* Everything PROG declares, in order: functions, templates, asks, facts
 * blocks and cases, then rules, each rule's tree freed once it is compiled
 * (decls.c: PROG is not to be walked again). The facts blocks' facts are kept for reset but
 * not asserted: returns the first of them (NULL: none), for compile_facts
 * once PROG is freed (a data file's tree and its facts in working memory
 * then never take room at once). */
const given *compile_program(engine *, const ast_program *, const struct srcset *src);
/* The facts blocks' facts from G on into working memory (decls.c). */
void compile_facts(engine *, const given *g);
/* One rule: its productions laid down in the network (compile.c). */
void compile_rule(engine *, const struct srcset *src, const ast_decl *d);
value lit_value(engine *, const ast_lit *);

/* PAT, of a rule or case with NVARS variables, as a one-fact test. */
cexpr *compile_pattern_test(engine *, const ast_pattern *pat, uint32_t nvars, bool *tests_cf);
/* The values of a ground fact (facts blocks, cases, typed facts). */
bool facts_from_ast(engine *, const ast_fact *, value *vals, struct tmpl **t);

#endif
