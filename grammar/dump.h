/* dump.h — print a program's syntax tree, for tests and for the curious.
 *
 * The output is one construct per line, indented by nesting, with
 * expressions and constraints fully parenthesised so precedence is
 * visible: `(+ ?x (* 2 ?y))`. It reads PROG and allocates nothing.
 */
#ifndef SINEW_DUMP_H
#define SINEW_DUMP_H

#include <stdio.h>

#include "ast.h"

void ast_dump(FILE *, const ast_program *prog);

#endif
