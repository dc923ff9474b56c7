/* front.h — the front end: source text in, a checked program out.
 *
 * front_build parses a set of files and checks them as one program. It is
 * the load boundary of the front end: running out of memory anywhere in it
 * (scanner, parser, checker) unwinds here, frees what the load built and
 * is reported as E008. Nothing outside the returned program, the
 * diagnostics and the environment's open transaction is changed.
 *
 * Ownership: the caller owns SRC (files are added to it and stay, so
 * diagnostics can be rendered), D, and the returned program, which it
 * frees with ast_program_free.
 */
#ifndef SINEW_FRONT_H
#define SINEW_FRONT_H

#include <stdbool.h>

#include "ast.h"
#include "check.h"
#include "diag.h"
#include "source.h"

/* What a file holds: a program, or (typed at the REPL) one pattern or a
 * list of facts, parsed as if they were a rule's condition or a facts
 * block, so that they are checked against the program. */
typedef enum front_mode { FRONT_PROGRAM, FRONT_PATTERN, FRONT_FACTS } front_mode;

ast_program *ast_program_new(sn_mem *);
void ast_program_free(ast_program *);

/* Parse file FILE of SRC and append its declarations to PROG. Syntax errors
 * go to D; a declaration with an error is left out. Returns the number of
 * errors added. Must run under a load boundary (mem->oom set). */
unsigned parse_file(ast_program *prog, const srcset *src, uint32_t file, diag_list *d);
unsigned parse_file_as(ast_program *prog, const srcset *src, uint32_t file, diag_list *d,
                       front_mode mode);

/* Expand PATHS (a directory stands for the *.sinew files in it, in name
 * order) and add each file's text to SRC. Unreadable paths are reported
 * (E007). Returns the number of files added; *FIRST is the first's index. */
unsigned front_read(srcset *src, const char *const *paths, unsigned npaths,
                    uint32_t *first, diag_list *d);

/* Parse and check files [FIRST, FIRST + N) of SRC as one program against
 * ENV, the last file in MODE. Returns the program, or NULL when memory ran
 * out; the caller decides what errors mean (d->nerrors). On return a
 * transaction of ENV is open (see check.h): the caller ends it with
 * check_env_commit (the program is in) or check_env_rollback. When memory
 * ran out it is already rolled back. */
ast_program *front_build(sn_mem *, check_env *env, const srcset *src, uint32_t first,
                         unsigned n, diag_list *d, front_mode last);

#endif
