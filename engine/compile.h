/* compile.h — a checked program into the engine (compile.c: rules and
 * expressions; decls.c: the other declarations and the source
 * text the engine keeps). Private to the engine. */
#ifndef SINEW_COMPILE_H
#define SINEW_COMPILE_H

#include "internal.h"

/* Everything PROG declares, in order: templates, asks, rules, then facts
 * blocks (asserted) and cases (decls.c). */
bool compile_program(engine *, const ast_program *, const struct srcset *src);
/* One rule: its productions laid down in the network (compile.c). */
void compile_rule(engine *, const struct srcset *src, const ast_decl *d);
value lit_value(engine *, const ast_lit *);
/* "file:line" of SP; SP's text with white space squeezed (engine's arena). */
char *where_of(engine *, const struct srcset *src, span sp);
char *span_text(engine *, const struct srcset *src, span sp);
/* TEXT with every run of white space one space (a doc string as one
 * paragraph), in the engine's arena. */
char *squeeze(engine *, const char *text, size_t len);
/* PAT, of a rule or case with NVARS variables, as a one-fact test. */
cexpr *compile_pattern_test(engine *, const ast_pattern *pat, uint32_t nvars, bool *tests_cf);
/* The values of a ground fact (facts blocks, cases, typed facts). */
bool facts_from_ast(engine *, const ast_fact *, value *vals, struct tmpl **t);

#endif
