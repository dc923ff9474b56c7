/* check.h — judging a parsed program: names, types, variables, lint.
 *
 * check_program reads PROG (it changes nothing in it) and adds an error or
 * warning to D for each problem, with the codes listed in diag.h. Memory it
 * needs while judging comes from the program's arena.
 */
#ifndef SINEW_CHECK_H
#define SINEW_CHECK_H

#include "ast.h"
#include "diag.h"

void check_program(const ast_program *prog, diag_list *d);

#endif
