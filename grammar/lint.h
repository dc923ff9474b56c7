/* lint.h — warnings about what a clean program says but probably does
 * not mean (W004–W008), and the comment that silences a warning.
 *
 *   W004  a rule with the same conditions and actions as an earlier one
 *   W005  a rule subsumed by another: the same actions, and conditions
 *         that include all of the other's and more, so it fires only when
 *         the other does, and does the same (not for rules that conclude:
 *         certainties of the same conclusion combine, so a narrower rule
 *         is more evidence)
 *   W006  an ask no rule waits on: no condition tests its slot
 *   W007  answers of an ask that no condition can tell apart from "not
 *         given": every condition on the slot names values, and not these
 *   W008  a conclusion below the threshold (the default 0.2): the only
 *         rule concluding facts of its template does so at a constant cf
 *         from 0 up to under it, so no pattern matches them and no report
 *         lists them (a negative cf is evidence against, for others to
 *         weigh, and left alone)
 *
 * Conditions and actions are compared as the formatter writes them
 * (fmt.h), variables by name. The lints read only the program in hand:
 * `sinew check` gives them every file at once.
 *
 * A comment `# allow W004` (codes separated by spaces or commas) on the
 * line a warning points at, or alone on the line before it, silences that
 * warning there; lint_allow applies it to every warning, W001 on.
 */
#ifndef SINEW_LINT_H
#define SINEW_LINT_H

#include "ast.h"
#include "diag.h"
#include "source.h"

/* PROG checked without errors, parsed from SRC. Must run under a load
 * boundary (front.h): memory comes from PROG's arena. */
void lint_program(const ast_program *prog, const srcset *src, diag_list *d);

/* Drop the warnings of D from index FROM on that a comment of PROG (parsed
 * with keep_comments) allows. */
void lint_allow(const ast_program *prog, const srcset *src, diag_list *d, unsigned from);

#endif
