/* diag.h — diagnostics: what went wrong, where, and what was expected.
 *
 * A diag_list owns its diagnostics and their text (allocated from its
 * sn_mem, not from a load's arena, so they outlive a failed load). Library
 * code adds to a list; only the front end (repl/) prints, with
 * diag_render, in the one format used everywhere:
 *
 *   rules/hip.sinew:14:9: error[E003]: unexpected 'assert', expected 'then'
 *      14 |         assert diagnosis(name: itb_syndrome)
 *         |         ^~~~~~
 *   note: rule 'lateral_hip_pain' began here (line 9)
 *
 * Codes are stable: tests and users refer to them. The table in diag.c
 * names each one; docs/language.md lists them all.
 */
#ifndef SINEW_DIAG_H
#define SINEW_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "source.h"

typedef enum diag_severity { DIAG_ERROR, DIAG_WARNING } diag_severity;

typedef enum diag_code {
    /* reading and syntax */
    E_BAD_CHAR = 1,     /* E001 a character that starts no token */
    E_UNTERMINATED,     /* E002 a string or comment not closed */
    E_SYNTAX,           /* E003 a token where the grammar wants another */
    E_NESTING,          /* E004 nesting deeper than SINEW_MAX_DEPTH */
    E_NUMBER,           /* E005 a number that does not fit */
    E_ESCAPE,           /* E006 an unknown escape in a string */
    E_IO,               /* E007 a file that cannot be read */
    E_NOMEM,            /* E008 out of memory while loading */
    E_FORMAT,           /* E009 sinew fmt could not keep a file's meaning */
    E_INTERRUPTED,      /* E010 Ctrl-C while loading: nothing was loaded */
    /* meaning */
    E_UNKNOWN_TEMPLATE = 101,  /* E101 */
    E_UNKNOWN_SLOT,            /* E102 */
    E_DUP_SLOT,                /* E103 */
    E_TYPE,                    /* E104 */
    E_DOMAIN,                  /* E105 */
    E_DUP_RULE,                /* E106 */
    E_DUP_TEMPLATE,            /* E107 */
    E_UNBOUND,                 /* E108 */
    E_BOUND_IN_NOT,            /* E109 */
    E_BIND_NEGATED,            /* E110 */
    E_SALIENCE,                /* E111 */
    E_CF,                      /* E112 */
    E_UNKNOWN_FUNCTION,        /* E113 */
    E_ARITY,                   /* E114 */
    E_UNKNOWN_TYPE,            /* E115 */
    E_POSITIONAL,              /* E116 */
    E_DUP_DECL,                /* E117 */
    E_NOT_CONSTANT,            /* E118 */
    E_NOT_FACT_VAR,            /* E119 */
    E_FACT_VAR_MISUSE,         /* E120 */
    E_UNKNOWN_SOURCE,          /* E121 */
    E_SOURCE_FIELD,            /* E122 */
    E_QUOTE,                   /* E123 (sinew check --sources) */
    E_RULE_SIZE,               /* E124 over SINEW_MAX_CONDITIONS or _ALTERNATIVES */
    E_TEMPLATE_SIZE,           /* E125 over SINEW_MAX_SLOTS */
    E_RESERVED_ANSWER,         /* E126 */
    E_GROUP_ITEM,              /* E127 */
    /* functions, queries and habits from CLIPS */
    E_FUNC_CLASH = 150,        /* E150 a function named as a builtin or the embedder's */
    E_FUNC_RECURSIVE,          /* E151 a function that calls itself */
    E_FUNC_VAR,                /* E152 a variable in a body that is no parameter */
    E_DUP_PARAM,               /* E153 */
    E_FUNC_DEPTH,              /* E154 calls of functions nested too deep */
    E_CLIPS_NOT,               /* E155 `~?x` */
    E_CLIPS_DECL,              /* E156 `(defrule ...` */
    E_CLIPS_PREDICATE,         /* E157 `?x&:(...)` */
    E_NAME_DASH,               /* E158 `risk-factor` */
    E_QUERY_PARAM,             /* E159 a query parameter no pattern binds */
    /* aggregates */
    E_AGG_UNKNOWN = 170,       /* E170 */
    E_AGG_ARG,                 /* E171 */
    E_AGG_BOUND,               /* E172 */
    E_AGG_TYPE,                /* E173 */
    /* modules and focus (check_module.c) */
    E_DUP_MODULE = 180,        /* E180 */
    E_UNKNOWN_MODULE,          /* E181 */
    E_DUP_FOCUS,               /* E182 */
    /* warnings */
    W_UNUSED_VAR = 1001,       /* W001 */
    W_NEVER_FIRES,             /* W002 */
    W_UNUSED_TEMPLATE,         /* W003 */
    W_DUP_RULE,                /* W004 (lint.c) */
    W_SUBSUMED_RULE,           /* W005 */
    W_ASK_UNUSED,              /* W006 */
    W_ANSWER_UNREAD,           /* W007 */
    W_BELOW_THRESHOLD,         /* W008 */
    W_UNUSED_PARAM = 1020,     /* W020 */
    W_MODULE_UNFOCUSED = 1040, /* W040 (check_module.c) */
} diag_code;

typedef struct diag_remark {
    bool has_span;
    span sp;
    char *msg;
} diag_remark;

typedef struct diag {
    diag_severity severity;
    diag_code code;
    bool has_span;     /* false for whole-file problems (E007) */
    span sp;
    char *file;        /* set when !has_span: the path the message is about */
    char *msg;
    diag_remark *notes;
    unsigned nnotes;
} diag;

typedef struct diag_list {
    sn_mem *mem;
    diag *items;
    unsigned n, cap;
    unsigned nerrors, nwarnings;
    unsigned max_errors; /* stop recording errors past this; 0 = no limit */
    bool dropped;        /* the last diagnostic was not recorded: drop its notes */
} diag_list;

void diag_list_init(diag_list *, sn_mem *);
void diag_list_fini(diag_list *);

/* Add a diagnostic at SP. Formats with printf conventions. Out of memory
 * while recording a diagnostic drops it silently (the count still rises). */
void diag_add(diag_list *, diag_severity, diag_code, span sp, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_add_file(diag_list *, diag_severity, diag_code, const char *file,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Attach a note to the last diagnostic added; with SP or without. */
void diag_note(diag_list *, const span *sp, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Remove the Ith diagnostic (its notes too); the counts follow. */
void diag_drop(diag_list *, unsigned i);

/* "E003", "W001". Borrowed, static. */
const char *diag_code_name(diag_code);
/* A short title of the code ("unknown template"); NULL if unknown. */
const char *diag_code_title(diag_code);
/* Iterate every code: returns the Ith code, or 0 past the end. */
diag_code diag_code_at(unsigned i);

/* Print D in the format above. Sorting is the caller's business. */
void diag_render(FILE *, const srcset *, const diag *, bool color);
/* Order diagnostics by file, then offset (stable); used before printing. */
void diag_sort(diag_list *);

#endif
