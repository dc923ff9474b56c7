/* parse_ctx.h — state shared by the scanner and the parser of one file.
 *
 * Internal to grammar/: lexer.l and parser.y include it; nothing else does.
 * Everything it points to is borrowed from parse_file's caller, except the
 * scanner, which parse_file creates and destroys (its memory comes from the
 * program's arena, so a longjmp out of a load leaks nothing).
 */
#ifndef SINEW_PARSE_CTX_H
#define SINEW_PARSE_CTX_H

#include <stdbool.h>
#include <string.h>

#include "ast.h"
#include "diag.h"

typedef struct parse_ctx {
    ast_program *prog;
    arena *arena;
    const src_file *src;
    uint32_t file;
    diag_list *d;
    size_t fed;             /* scanner: bytes of the text handed to flex (lex_input) */
    uint32_t pos;           /* scanner: byte offset of the next token */
    uint32_t last_end;      /* scanner: end of the last token (not blank) */
    uint32_t prev_end;      /* scanner: last_end before the current match */
    uint32_t last_error_at; /* parser: offset of the last syntax error's token + 1 */
    unsigned nerrors;       /* errors this file added */
    unsigned decl_errors;   /* errors in the declaration being parsed */
    /* the declaration being parsed, for "rule 'x' began here" notes */
    const char *decl_kind;  /* "rule", "template", ...; NULL between */
    span decl_sp;
    ast_name decl_name;
    arena_mark rule_begin;  /* a rule's or query's: where its nodes begin */
    int start_token;        /* scanner: returned first (a mode of the parse); 0: none */
    /* packing the facts of a facts block (parser.y, keep_fact): the
     * arena's state after the last fact kept, and what had been made by
     * then that must outlive a fact (errors reported, comments listed and
     * scanner blocks, counted in KEEPS) */
    bool packing;           /* in a facts block of a program that packs facts */
    bool pack_block;        /* scanner: inside that block's braces */
    uint32_t depth;         /* scanner: parentheses open in the block */
    arena_mark fact_mark;
    unsigned fact_errors, fact_keeps, keeps;
    const char *last_tmpl;  /* the last packed fact's template name (kept) */
    uint32_t last_tmpl_len;
    /* scanner: each short name's text once (lexer.l, lex_name): open
     * addressing, CAP a power of two, at most half full */
    const char **names;
    uint32_t *name_lens;
    uint32_t names_cap, names_n;
    /* a literal whose contents the node made of it copied: the next
     * literal made takes its room (most literals are copied so), in
     * ARENA; dropped when the arena changes or rolls back */
    ast_lit *spare_lit;
    /* the pattern and the fact just parsed: every rule of the grammar
     * that reads one copies it at once (each has it last, or only a `cf`
     * expression after it), so no two of a kind are ever pending */
    ast_pattern pat;
    ast_fact fact;
} parse_ctx;

/* A zeroed literal: the spare one, or new from the arena. */
static inline ast_lit *ctx_lit_new(parse_ctx *ctx)
{
    ast_lit *l = ctx->spare_lit;
    if (!l)
        return arena_alloc(ctx->arena, sizeof *l);
    ctx->spare_lit = NULL;
    memset(l, 0, sizeof *l);
    return l;
}

/* A packed fact's bytes and its template name's length, at most. */
enum { PACKED_MAX = 4096, PACKED_NAME_MAX = 256 };

/* Report an error at SP and count it. */
void parse_error(parse_ctx *, diag_code, span sp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
