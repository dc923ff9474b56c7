/* sources.h — the documents a knowledge base cites, and its quotes of them.
 *
 * A `source` declaration names a document once (an id, a title, and where
 * it is known its author, site and the file holding its text); a rule or
 * a recommendation cites it by id. sources_check judges the declarations
 * and the cites, and gives each cite that names a source the text the
 * explanations show, "[004] Pain in the back of the thigh". sources_quotes
 * looks for every passage a rule's doc string quotes in the text of the
 * sources the rule cites.
 *
 * Both only add diagnostics to the list they are given; the cite texts
 * they write come from the program's arena and live as long as it does.
 */
#ifndef SINEW_SOURCES_H
#define SINEW_SOURCES_H

#include "ast.h"
#include "check.h"
#include "diag.h"

/* Duplicate ids (E117), unknown or repeated fields (E122), and cites of an
 * id no source declares, in this program or an earlier load (E121). A
 * cite of a declared id gets the text "[ID] TITLE". The program's sources
 * join ENV's open transaction (check.h). */
void sources_check(ast_program *, check_env *env, diag_list *);

/* For each rule with a doc string, each passage between single quotes
 * ('...'; an ellipsis inside it splits it into pieces) must appear in the text
 * of a source the rule cites, read from DIR/FILE, with runs of white space
 * and typographic quotes made plain on both sides. Each passage not found
 * is an E123 at its place in the doc string; a source file that cannot be
 * read is an E007. Returns the number of passages checked. */
unsigned sources_quotes(const ast_program *, const srcset *, const char *dir, diag_list *);

#endif
