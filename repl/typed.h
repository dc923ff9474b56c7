/* typed.h — a construct typed in line by line (a rule, a facts block, ...)
 * and when it is worth asking the parser whether it is complete.
 *
 * The REPL hands the text to the parser to learn whether a construct is
 * complete. Asking after every line would re-parse the whole construct
 * per line (quadratic: a 20,000-line facts block took seconds). Instead
 * each line is scanned once, as it is added, for what can end a construct
 * (`end`, a closing '}', the last answer of an `ask`) outside strings,
 * comments and brackets; the parser is asked there, and also whenever the
 * text has doubled since it was last asked, so a broken construct is
 * still reported within a few lines. Every byte is scanned once and
 * parsed a bounded number of times: the cost is linear in the text.
 *
 * Owns its text (typed_free frees it); typed_text is borrowed until the
 * next call. A typed value is zeroed storage (`typed t = {0};`).
 */
#ifndef SINEW_TYPED_H
#define SINEW_TYPED_H

#include <stdbool.h>
#include <stddef.h>

typedef struct typed {
    char *text;       /* the lines so far, each ending in '\n'; NULL when none */
    size_t len, cap;
    size_t asked;     /* len when the parser was last asked */
    int kind;         /* how the construct ends (typed.c) */
    int depth;        /* ( { [ open outside strings and comments */
    bool in_string;   /* a string is open at the end of the text */
    bool escape;      /* ... and its last character was a backslash */
    char last;        /* the last character that is not blank or comment; 'a' for a word */
    bool last_end;    /* the last word is `end` */
} typed;

/* Add LINE (LEN bytes, no newline) to the construct; false when out of
 * memory (the construct is then unchanged). The first line gives its kind. */
bool typed_add(typed *, const char *line, size_t len);

/* Whether the parser should be asked now if the construct is complete. */
bool typed_ask_parser(const typed *);

/* The parser was asked (and said: not complete yet). */
void typed_asked(typed *);

/* Forget the construct (it was loaded, reported or given up). */
void typed_free(typed *);

#endif
