/* compile.h — a checked program into the network (compile.c). Private to the engine. */
#ifndef SINEW_COMPILE_H
#define SINEW_COMPILE_H

#include "internal.h"

bool compile_program(engine *, const ast_program *, const struct srcset *src);
/* PAT, of a rule or case with NVARS variables, as a one-fact test. */
cexpr *compile_pattern_test(engine *, const ast_pattern *pat, uint32_t nvars, bool *tests_cf);
/* The values of a ground fact (facts blocks, cases, typed facts). */
bool facts_from_ast(engine *, const ast_fact *, value *vals, struct tmpl **t);

#endif
