/* diag.c — recording and rendering diagnostics; see diag.h. */
#include "diag.h"
#include "width.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    diag_code code;
    const char *title;
} titles[] = {
    {E_BAD_CHAR, "unexpected character"},
    {E_UNTERMINATED, "unterminated string"},
    {E_SYNTAX, "syntax error"},
    {E_NESTING, "nesting too deep"},
    {E_NUMBER, "number out of range"},
    {E_ESCAPE, "unknown escape in a string"},
    {E_IO, "cannot read a file"},
    {E_NOMEM, "out of memory"},
    {E_FORMAT, "layout would change the meaning"},
    {E_INTERRUPTED, "interrupted"},
    {E_UNKNOWN_TEMPLATE, "unknown template"},
    {E_UNKNOWN_SLOT, "unknown slot"},
    {E_DUP_SLOT, "duplicate slot"},
    {E_TYPE, "value of the wrong type"},
    {E_DOMAIN, "value outside the ask domain"},
    {E_DUP_RULE, "duplicate rule"},
    {E_DUP_TEMPLATE, "duplicate template"},
    {E_UNBOUND, "unbound variable"},
    {E_BOUND_IN_NOT, "variable first bound inside not, exists or forall"},
    {E_BIND_NEGATED, "fact binding on a negated pattern"},
    {E_SALIENCE, "bad salience"},
    {E_CF, "bad certainty factor"},
    {E_UNKNOWN_FUNCTION, "unknown function"},
    {E_ARITY, "wrong number of arguments"},
    {E_UNKNOWN_TYPE, "unknown slot type"},
    {E_POSITIONAL, "bad positional values"},
    {E_DUP_DECL, "duplicate declaration"},
    {E_NOT_CONSTANT, "variable where a constant is needed"},
    {E_NOT_FACT_VAR, "not a fact variable"},
    {E_FACT_VAR_MISUSE, "fact variable misused"},
    {E_UNKNOWN_SOURCE, "unknown source"},
    {E_SOURCE_FIELD, "bad source field"},
    {E_QUOTE, "quoted passage not in its source"},
    {E_RULE_SIZE, "rule too large"},
    {E_TEMPLATE_SIZE, "template too large"},
    {E_RESERVED_ANSWER, "reserved word as an answer"},
    {E_GROUP_ITEM, "grouped item without a question"},
    {E_FUNC_CLASH, "function named as a builtin"},
    {E_FUNC_RECURSIVE, "recursive function"},
    {E_FUNC_VAR, "variable that is not a parameter"},
    {E_DUP_PARAM, "duplicate parameter"},
    {E_FUNC_DEPTH, "functions calling functions too deep"},
    {E_CLIPS_NOT, "CLIPS '~' constraint"},
    {E_CLIPS_DECL, "CLIPS declaration"},
    {E_CLIPS_PREDICATE, "CLIPS '&:' constraint"},
    {E_NAME_DASH, "'-' in a name"},
    {E_QUERY_PARAM, "query parameter no pattern binds"},
    {E_DUP_MODULE, "duplicate module"},
    {E_UNKNOWN_MODULE, "unknown module"},
    {E_DUP_FOCUS, "starting focus declared twice"},
    {E_AGG_UNKNOWN, "unknown aggregate"},
    {E_AGG_ARG, "aggregate without its value, or count with one"},
    {E_AGG_BOUND, "aggregate result already bound"},
    {E_AGG_TYPE, "aggregate of a value that is not a number"},
    {W_UNUSED_VAR, "variable bound but never used"},
    {W_NEVER_FIRES, "rule can never fire"},
    {W_UNUSED_TEMPLATE, "template never used"},
    {W_DUP_RULE, "duplicate rule body"},
    {W_SUBSUMED_RULE, "rule subsumed by another"},
    {W_ASK_UNUSED, "ask no rule waits on"},
    {W_ANSWER_UNREAD, "answers no rule reads"},
    {W_BELOW_THRESHOLD, "conclusion below the threshold"},
    {W_UNUSED_PARAM, "parameter never used"},
    {W_MODULE_UNFOCUSED, "module nothing focuses"},
};

void diag_list_init(diag_list *l, sn_mem *mem)
{
    memset(l, 0, sizeof *l);
    l->mem = mem;
}

static void free_diag(sn_mem *m, diag *d)
{
    for (unsigned i = 0; i < d->nnotes; i++)
        mem_free(m, d->notes[i].msg);
    mem_free(m, d->notes);
    mem_free(m, d->msg);
    mem_free(m, d->file);
}

void diag_list_fini(diag_list *l)
{
    for (unsigned i = 0; i < l->n; i++)
        free_diag(l->mem, &l->items[i]);
    mem_free(l->mem, l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

/* Format into a fresh block; NULL when memory ran out (and no longjmp). */
static char *vformat(sn_mem *m, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = mem_alloc(m, (size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* A new, zeroed diagnostic at the end of L, or NULL when it is not to be
 * recorded. Each allocation lands in the list as soon as it is made, so a
 * longjmp out of a later one (see mem.h) leaks nothing: diag_list_fini
 * frees whatever the entry holds. */
static diag *push(diag_list *l, diag_severity sev, diag_code code)
{
    if (sev == DIAG_ERROR)
        l->nerrors++;
    else
        l->nwarnings++;
    l->dropped = true;
    if (l->max_errors && sev == DIAG_ERROR && l->nerrors > l->max_errors)
        return NULL;
    if (l->n == l->cap) {
        unsigned cap = l->cap ? l->cap * 2 : 16;
        diag *n = mem_realloc(l->mem, l->items, cap * sizeof *n);
        if (!n)
            return NULL;
        l->items = n;
        l->cap = cap;
    }
    diag *d = &l->items[l->n++];
    memset(d, 0, sizeof *d);
    l->dropped = false;
    d->severity = sev;
    d->code = code;
    return d;
}

void diag_add(diag_list *l, diag_severity sev, diag_code code, span sp, const char *fmt, ...)
{
    diag *d = push(l, sev, code);
    if (!d)
        return;
    d->has_span = true;
    d->sp = sp;
    va_list ap;
    va_start(ap, fmt);
    d->msg = vformat(l->mem, fmt, ap);
    va_end(ap);
}

void diag_add_file(diag_list *l, diag_severity sev, diag_code code, const char *file,
                   const char *fmt, ...)
{
    diag *d = push(l, sev, code);
    if (!d)
        return;
    d->file = mem_strndup(l->mem, file, strlen(file));
    va_list ap;
    va_start(ap, fmt);
    d->msg = vformat(l->mem, fmt, ap);
    va_end(ap);
}

void diag_note(diag_list *l, const span *sp, const char *fmt, ...)
{
    if (l->n == 0 || l->dropped)
        return;
    diag *d = &l->items[l->n - 1];
    diag_remark *n = mem_realloc(l->mem, d->notes, (d->nnotes + 1) * sizeof *n);
    if (!n)
        return;
    d->notes = n;
    diag_remark *note = &d->notes[d->nnotes++];
    memset(note, 0, sizeof *note);
    note->has_span = sp != NULL;
    if (sp)
        note->sp = *sp;
    va_list ap;
    va_start(ap, fmt);
    note->msg = vformat(l->mem, fmt, ap);
    va_end(ap);
}

void diag_drop(diag_list *l, unsigned i)
{
    if (i >= l->n)
        return;
    if (l->items[i].severity == DIAG_ERROR)
        l->nerrors--;
    else
        l->nwarnings--;
    free_diag(l->mem, &l->items[i]);
    memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof *l->items);
    l->n--;
}

const char *diag_code_name(diag_code c)
{
    switch (c) {
#define NAME(code, text) case code: return text;
    NAME(E_BAD_CHAR, "E001") NAME(E_UNTERMINATED, "E002") NAME(E_SYNTAX, "E003")
    NAME(E_NESTING, "E004") NAME(E_NUMBER, "E005") NAME(E_ESCAPE, "E006")
    NAME(E_IO, "E007") NAME(E_NOMEM, "E008") NAME(E_FORMAT, "E009")
    NAME(E_INTERRUPTED, "E010")
    NAME(E_UNKNOWN_TEMPLATE, "E101") NAME(E_UNKNOWN_SLOT, "E102") NAME(E_DUP_SLOT, "E103")
    NAME(E_TYPE, "E104") NAME(E_DOMAIN, "E105") NAME(E_DUP_RULE, "E106")
    NAME(E_DUP_TEMPLATE, "E107") NAME(E_UNBOUND, "E108") NAME(E_BOUND_IN_NOT, "E109")
    NAME(E_BIND_NEGATED, "E110") NAME(E_SALIENCE, "E111") NAME(E_CF, "E112")
    NAME(E_UNKNOWN_FUNCTION, "E113") NAME(E_ARITY, "E114") NAME(E_UNKNOWN_TYPE, "E115")
    NAME(E_POSITIONAL, "E116") NAME(E_DUP_DECL, "E117") NAME(E_NOT_CONSTANT, "E118")
    NAME(E_NOT_FACT_VAR, "E119") NAME(E_FACT_VAR_MISUSE, "E120")
    NAME(E_UNKNOWN_SOURCE, "E121") NAME(E_SOURCE_FIELD, "E122") NAME(E_QUOTE, "E123")
    NAME(E_RULE_SIZE, "E124") NAME(E_TEMPLATE_SIZE, "E125")
    NAME(E_RESERVED_ANSWER, "E126") NAME(E_GROUP_ITEM, "E127")
    NAME(E_FUNC_CLASH, "E150") NAME(E_FUNC_RECURSIVE, "E151") NAME(E_FUNC_VAR, "E152")
    NAME(E_DUP_PARAM, "E153") NAME(E_FUNC_DEPTH, "E154") NAME(E_CLIPS_NOT, "E155")
    NAME(E_CLIPS_DECL, "E156") NAME(E_CLIPS_PREDICATE, "E157") NAME(E_NAME_DASH, "E158")
    NAME(E_QUERY_PARAM, "E159")
    NAME(E_AGG_UNKNOWN, "E170") NAME(E_AGG_ARG, "E171") NAME(E_AGG_BOUND, "E172")
    NAME(E_AGG_TYPE, "E173")
    NAME(E_DUP_MODULE, "E180") NAME(E_UNKNOWN_MODULE, "E181") NAME(E_DUP_FOCUS, "E182")
    NAME(W_UNUSED_VAR, "W001") NAME(W_NEVER_FIRES, "W002") NAME(W_UNUSED_TEMPLATE, "W003")
    NAME(W_DUP_RULE, "W004") NAME(W_SUBSUMED_RULE, "W005") NAME(W_ASK_UNUSED, "W006")
    NAME(W_ANSWER_UNREAD, "W007") NAME(W_BELOW_THRESHOLD, "W008")
    NAME(W_UNUSED_PARAM, "W020") NAME(W_MODULE_UNFOCUSED, "W040")
#undef NAME
    }
    return "E000";
}

const char *diag_code_title(diag_code c)
{
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (titles[i].code == c)
            return titles[i].title;
    return NULL;
}

diag_code diag_code_at(unsigned i)
{
    return i < sizeof titles / sizeof titles[0] ? titles[i].code : (diag_code)0;
}

/* ---- rendering ---- */

enum { TAB_WIDTH = 4, MAX_SHOWN = 100, GUTTER = 5 };

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_BLUE "\033[1;34m"

/* Display width of the bytes [from, to) of a line: tabs to TAB_WIDTH
 * spaces, each UTF-8 character the columns it takes (width.h: two for a
 * wide one, none for a combining mark), and each byte that is not part of
 * one a column of its own (put_text shows it as '?'). Counting stops past
 * LIMIT columns. */
static size_t width_of(const char *s, size_t from, size_t to, size_t limit)
{
    size_t w = 0;
    for (size_t i = from; i < to && w <= limit; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') {
            w += TAB_WIDTH;
        } else {
            size_t k = c < 0x80 ? 1 : src_utf8_len(s + i, to - i);
            w += k > 1 ? (size_t)utf8_char_width(s + i) : 1;
            if (k > 1)
                i += k - 1;
        }
    }
    return w;
}

/* Print bytes [from, to) of a line with tabs expanded, control
 * characters shown as spaces and bytes that are not UTF-8 as '?', so the
 * caret line stays aligned and no raw byte reaches the terminal. */
static void put_text(FILE *out, const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') {
            fprintf(out, "%*s", TAB_WIDTH, "");
        } else if (c < 0x20 || c == 0x7f) {
            fputc(' ', out);
        } else if (c < 0x80) {
            fputc(c, out);
        } else {
            size_t k = src_utf8_len(s + i, to - i);
            if (k == 0) {
                fputc('?', out);
            } else {
                fwrite(s + i, 1, k, out);
                i += k - 1;
            }
        }
    }
}

/* Byte index in S[from, len) COLS display columns on from FROM. */
static size_t byte_after(const char *s, size_t from, size_t len, size_t cols)
{
    size_t w = 0, i = from;
    while (i < len && w < cols) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : src_utf8_len(s + i, len - i);
        w += c == '\t' ? TAB_WIDTH : k > 1 ? (size_t)utf8_char_width(s + i) : 1;
        i += k ? k : 1;
    }
    return i;
}

/* Byte index in S[0, at), on a character's first byte, as far before AT
 * as COLS display columns allow; in *GOT the columns between it and AT. */
static size_t byte_before(const char *s, size_t at, size_t cols, size_t *got)
{
    size_t w = 0, i = at;
    while (i > 0) {
        size_t j = i - 1;
        /* back over a UTF-8 sequence whole, or one stray byte */
        while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
            j--;
        if (src_utf8_len(s + j, i - j) != i - j)
            j = i - 1;
        size_t cw = s[j] == '\t' ? TAB_WIDTH : i - j > 1 ? (size_t)utf8_char_width(s + j) : 1;
        if (w + cw > cols)
            break;
        w += cw;
        i = j;
    }
    *got = w;
    return i;
}

/* The source line of SP with a caret under the span. Long lines are
 * shown as a window around the span, cut ends marked with "...". */
static void render_source(FILE *out, const src_file *f, span sp, bool color, const char *mark)
{
    uint32_t line, col;
    src_position(f, sp.start, &line, &col);
    size_t len;
    const char *text = src_line(f, line, &len);
    size_t line_start = (size_t)(text - f->text);
    size_t a = sp.start - line_start;
    size_t b = sp.end > sp.start ? sp.end - line_start : a + 1;
    if (b > len)
        b = len > a ? len : a + 1; /* to the end of the line, or one column past it */
    /* the columns before the span, counted from the line's start once for
     * all the diagnostics along it (src_count) */
    uint32_t chars, tabs, cols;
    src_count(f, (uint32_t)line_start, (uint32_t)(line_start + (a < len ? a : len)), &chars, &tabs,
              &cols);
    size_t lead = cols + (size_t)tabs * TAB_WIDTH + (a > len ? a - len : 0);
    size_t under = b > a && a < len ? width_of(text, a, b < len ? b : len, MAX_SHOWN) : 1;
    if (under == 0)
        under = 1;

    size_t from = 0, to = len, shift = 0;
    bool cut_left = false, cut_right = false;
    if (lead > MAX_SHOWN || width_of(text, 0, len, MAX_SHOWN) > MAX_SHOWN) {
        size_t back = 0;
        from = byte_before(text, a < len ? a : len, 40, &back);
        shift = lead - back;
        to = byte_after(text, from, len, MAX_SHOWN);
        cut_left = from > 0;
        cut_right = to < len;
        if (under > MAX_SHOWN - (lead - shift))
            under = MAX_SHOWN - (lead - shift);
    }

    fprintf(out, "%s%*u |%s ", color ? C_BLUE : "", GUTTER, line, color ? C_RESET : "");
    if (cut_left)
        fputs("...", out);
    put_text(out, text, from, to);
    if (cut_right)
        fputs("...", out);
    fputc('\n', out);
    fprintf(out, "%s%*s |%s ", color ? C_BLUE : "", GUTTER, "", color ? C_RESET : "");
    fprintf(out, "%*s%s^", (int)(lead - shift + (cut_left ? 3 : 0)), "", color ? mark : "");
    for (size_t i = 1; i < under; i++)
        fputc('~', out);
    fprintf(out, "%s\n", color ? C_RESET : "");
}

static void render_location(FILE *out, const srcset *src, bool has_span, span sp,
                            const char *file, bool color)
{
    if (has_span) {
        const src_file *f = srcset_file(src, sp.file);
        uint32_t line, col;
        src_position(f, sp.start, &line, &col);
        fprintf(out, "%s%s:%u:%u:%s ", color ? C_BOLD : "", f->name, line, col,
                color ? C_RESET : "");
    } else if (file) {
        fprintf(out, "%s%s:%s ", color ? C_BOLD : "", file, color ? C_RESET : "");
    }
}

void diag_render(FILE *out, const srcset *src, const diag *d, bool color)
{
    const char *mark = d->severity == DIAG_ERROR ? C_RED : C_YELLOW;
    render_location(out, src, d->has_span, d->sp, d->file, color);
    fprintf(out, "%s%s[%s]:%s %s\n", color ? mark : "",
            d->severity == DIAG_ERROR ? "error" : "warning", diag_code_name(d->code),
            color ? C_RESET : "", d->msg ? d->msg : "(out of memory)");
    if (d->has_span)
        render_source(out, srcset_file(src, d->sp.file), d->sp, color, mark);
    for (unsigned i = 0; i < d->nnotes; i++) {
        const diag_remark *n = &d->notes[i];
        render_location(out, src, n->has_span, n->sp, NULL, color);
        fprintf(out, "%snote:%s %s\n", color ? C_CYAN : "", color ? C_RESET : "",
                n->msg ? n->msg : "(out of memory)");
        if (n->has_span)
            render_source(out, srcset_file(src, n->sp.file), n->sp, color, C_CYAN);
    }
}

static int by_place(const void *pa, const void *pb)
{
    const diag *a = pa, *b = pb;
    if (a->has_span != b->has_span)
        return a->has_span ? 1 : -1; /* whole-file problems first */
    if (!a->has_span)
        return 0;
    if (a->sp.file != b->sp.file)
        return a->sp.file < b->sp.file ? -1 : 1;
    if (a->sp.start != b->sp.start)
        return a->sp.start < b->sp.start ? -1 : 1;
    return 0;
}

void diag_sort(diag_list *l)
{
    /* Insertion sort: stable, and lists are short and nearly sorted. */
    for (unsigned i = 1; i < l->n; i++) {
        diag x = l->items[i];
        unsigned j = i;
        while (j > 0 && by_place(&l->items[j - 1], &x) > 0) {
            l->items[j] = l->items[j - 1];
            j--;
        }
        l->items[j] = x;
    }
}
