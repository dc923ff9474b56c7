/* check_module.h — judging modules and focus: `module NAME "DOC"`, a
 * rule's `module NAME` line, the `focus` action and the starting focus.
 *
 * modules_check declares the program's modules in ENV's open transaction
 * (check.h), numbers them (main, the default, is 0; the others 1, 2, ...
 * in order of declaration, across loads), and writes each module name's
 * number into the AST (ast_module.id, ast_modref.id). Errors: a module
 * declared twice or named main (E180), a name no module has (E181), a
 * second starting focus (E182). With WHOLE (the program is a whole
 * knowledge base, as for the lints), a module that no `focus` names is
 * W040: its rules never fire unless a run is told to focus it.
 *
 * It only adds diagnostics to D; it allocates nothing that outlives ENV
 * and the program.
 */
#ifndef SINEW_CHECK_MODULE_H
#define SINEW_CHECK_MODULE_H

#include "ast.h"
#include "check.h"
#include "diag.h"

void modules_check(ast_program *, check_env *env, diag_list *d, bool whole);

#endif
