/* load.h — typed patterns (load.c). Private to the engine. */
#ifndef SINEW_LOAD_H
#define SINEW_LOAD_H

#include "internal.h"

/* A pattern typed by the user (a query, whynot), parsed, checked against
 * what is loaded and compiled into its own arena. pattern_open fills TP,
 * or fails with R filled (SN_ERR_INPUT; SN_ERR_NOMEM when reading ran out
 * of memory); pattern_close frees it. Within a public call. */
typedef struct typed_pattern {
    ast_program *prog;
    uint32_t file;           /* its text in the engine's sources */
    const ast_pattern *pat;
    struct tmpl *t;
    cexpr *test;             /* its one-fact test (NULL: none) */
    bool tests_cf;
    arena *code;
} typed_pattern;
sn_status pattern_open(engine *, const char *pattern, sn_report *r, typed_pattern *tp);
void pattern_close(engine *, typed_pattern *tp);
/* F passes TP's test (the threshold is the caller's to judge). */
bool pattern_matches(engine *, const typed_pattern *tp, const struct fact *f);

/* Diagnostics of D about files from FIRST of SRC on into R (sorted,
 * rendered, in colour with COLOR). */
void fill_report_as(sn_report *r, const srcset *src, diag_list *d, uint32_t first, bool color);
/* SN_OK without errors in D; SN_ERR_NOMEM when reading ran out of memory
 * (E008); else SN_ERR_INPUT. */
sn_status diag_status(const diag_list *d);

/* A program checked on its own, in an empty environment (`sinew check`,
 * the language server): its memory, sources, diagnostics and program,
 * made and freed together. standalone_build parses and checks files
 * [FIRST, FIRST + N) of S->src (running out of memory is an E008 naming
 * NAME); standalone_end puts the diagnostics into R (rendered in colour
 * with COLOR), frees everything and returns diag_status of them. */
typedef struct standalone {
    sn_mem mem;
    srcset src;
    diag_list d;
    check_env *env;
    ast_program *prog;
} standalone;
void standalone_init(standalone *);
void standalone_build(standalone *, uint32_t first, unsigned n, const char *name);
sn_status standalone_end(standalone *, sn_report *r, bool color);

#endif
