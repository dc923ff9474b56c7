/* fmt.h — the one layout of a sinew file (`sinew fmt`).
 *
 * fmt_program writes a program, parsed from FILE with its comments kept
 * (prog->keep_comments set before parsing), in the canonical layout:
 * declarations at the left margin, their parts (doc string, cites,
 * salience, conditions, actions, slots, facts, expectations, answers,
 * source fields) indented by four spaces, one per line, one space around
 * binary operators, `, ` between arguments. Only spacing, line breaks,
 * optional commas (between a template's slots), redundant parentheses
 * (`((x))` is written `(x)`) and the spelling of numbers (`1.50` is
 * `1.5`) change: the result parses to the same tree, which sn_layout
 * checks before handing it out.
 *
 * Comments are kept, each on its own line before the code it stood
 * before, or after the code it followed on the same line; a comment inside
 * a condition or an action is moved to the line before it. One blank line
 * is kept wherever the original had one or more between two items of the
 * same list (declarations, conditions, actions, facts, expectations,
 * slots); none at the start or end of a list.
 *
 * A line is broken where it would pass FMT_WIDTH columns and the language
 * allows it: between a pattern's or a fact's slots (one per line, under
 * the first), between alternatives (each further `or` on a line of its
 * own, four columns in; `|` under the first value), between an ask's
 * answers. A group of two or more conditions (`{ a b }`) always takes a
 * line for each, and a `recommend` puts its `cites` on the next line. A string is never broken, so a
 * line holding a long one stays long.
 *
 * Memory: everything comes from the buffers' sn_mem, which longjmps when
 * it runs out: fmt_program runs under a load boundary (front.h), like a
 * parse.
 */
#ifndef SINEW_FMT_H
#define SINEW_FMT_H

#include <stddef.h>

#include "ast.h"
#include "source.h"

enum { FMT_WIDTH = 99 };

/* A growing text: TEXT holds LEN bytes (NUL-terminated once any is
 * written), in memory from MEM that the caller frees with mem_free, or,
 * when ARENA is set, from that arena (nothing to free). */
typedef struct fmt_buf {
    sn_mem *mem;
    arena *arena;
    char *text;
    size_t len, cap;
} fmt_buf;

/* Append PROG's text to OUT. SCRATCH (empty, same sn_mem) is working
 * space; the caller frees both texts, also when memory ran out. */
/* Append N bytes at S to B. */
void fmt_buf_put(fmt_buf *b, const char *s, size_t n);

void fmt_program(fmt_buf *out, fmt_buf *scratch, const ast_program *prog, const src_file *file);

/* One condition, or one action, flat on one line as the layout writes it
 * (variables by name, strings as written), appended to OUT: for comparing
 * rules (lint.c). FILE is the one the node was parsed from. */
void fmt_ce_line(fmt_buf *out, const ast_ce *c, const src_file *file);
void fmt_action_line(fmt_buf *out, const ast_action *a, const src_file *file);

#endif
