/* source.h — the text of every file a load reads, and where each byte is.
 *
 * A srcset owns the text of its files and their line tables. Spans (byte
 * offsets into one file) are turned into line and column here, so AST
 * nodes carry only offsets. Columns count characters (UTF-8 code points)
 * from 1. The srcset owns everything it hands out; srcset_free frees it.
 */
#ifndef SINEW_SOURCE_H
#define SINEW_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/mem.h"

/* A run of bytes [start, end) in file FILE of a srcset. */
typedef struct span {
    uint32_t start, end;
    uint32_t file;
} span;

/* The last counts src_count made in a file, from a few different starts
 * (a diagnostic's note may be on another line). */
enum { SRC_COUNTED = 4 };
typedef struct src_count_at {
    uint32_t from, to, chars, tabs, cols;
} src_count_at;
typedef struct src_counted {
    src_count_at at[SRC_COUNTED]; /* all zero: a true count from 0 to 0 */
    unsigned next;                /* the entry to reuse */
} src_counted;

typedef struct src_file {
    char *name;        /* as given: a path, or "<string>" */
    char *text;        /* NUL-terminated; len bytes */
    size_t len;
    uint32_t *lines;   /* byte offset of each line's start */
    uint32_t nlines;
    uint32_t line0;    /* the line its text begins at, less one: 0 for a
                          file, more for a piece of a longer script */
    src_counted *counted; /* a cache that a const src_file may update */
} src_file;

typedef struct srcset {
    sn_mem *mem;
    src_file **files;
    uint32_t nfiles, cap;
} srcset;

void srcset_init(srcset *, sn_mem *);
void srcset_fini(srcset *);
/* Forget the files from index N on (the ones a failed load added). */
void srcset_truncate(srcset *, uint32_t n);

/* Add a copy of TEXT under NAME; returns its file index, or -1 on no memory
 * or when the text is too large for 32-bit offsets. */
int srcset_add(srcset *, const char *name, const char *text, size_t len);
/* The same for TEXT that begins at line FIRST_LINE (1-based) of NAME: its
 * positions and lines are NAME's (src_position, src_line). */
int srcset_add_at(srcset *, const char *name, uint32_t first_line, const char *text, size_t len);

/* Add a copy of F, a file of another srcset (its line table copied, not
 * counted again); returns its index, or -1 on no memory. */
int srcset_add_copy(srcset *, const src_file *f);
/* Read PATH, a regular file, and add it. Returns the index, or -1 with
 * errno set (EINVAL: PATH is not a regular file, e.g. a device). */
int srcset_read(srcset *, const char *path);

const src_file *srcset_file(const srcset *, uint32_t file);

/* Line (1-based, counted from the file's first line) and column
 * (1-based, in characters) of byte OFFSET. */
void src_position(const src_file *, uint32_t offset, uint32_t *line, uint32_t *col);

/* The characters in bytes [FROM, TO) of F, how many of them are tabs, and
 * (COLS, may be NULL) the terminal columns the others take (width.h: two
 * for a wide character, none for a combining mark): a UTF-8 sequence is
 * one character, and so is each byte that is not part of one (one
 * column). The last counts are kept and a count from the same FROM to a
 * later TO goes on from one, so diagnostics taken in order along one long
 * line cost the line's length in all, not that per diagnostic. */
void src_count(const src_file *, uint32_t from, uint32_t to, uint32_t *chars, uint32_t *tabs,
               uint32_t *cols);

/* The text of line LINE (1-based, as src_position counts), without its
 * newline: *len bytes; "" for a line the text does not hold. */
const char *src_line(const src_file *, uint32_t line, size_t *len);

/* The length of the UTF-8 sequence at TEXT (N bytes there, N > 0), or 0
 * when it is not one: overlong forms, surrogates and code points past
 * U+10FFFF are not. */
size_t src_utf8_len(const char *text, size_t n);

#endif
