/* typed.c — a construct typed in line by line (see typed.h). */
#include <stdlib.h>
#include <string.h>

#include "typed.h"

/* How a construct can end, from its first word. */
enum {
    ENDS_ANYHOW,   /* unknown: ask the parser after every line */
    ENDS_WITH_END, /* rule, case, query: ... end */
    ENDS_WITH_BRACE, /* template, facts: ... } */
    ENDS_WITH_VALUE, /* ask, function: the last answer, the expression's last operand */
};

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '?' || (unsigned char)c >= 0x80;
}

static int kind_of(const char *line, size_t len)
{
    static const struct {
        const char *word;
        int kind;
    } kinds[] = {
        {"rule", ENDS_WITH_END},   {"case", ENDS_WITH_END},     {"query", ENDS_WITH_END},
        {"template", ENDS_WITH_BRACE}, {"facts", ENDS_WITH_BRACE}, {"ask", ENDS_WITH_VALUE},
        {"function", ENDS_WITH_VALUE},
    };
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t w = i;
    while (w < len && word_char(line[w]))
        w++;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (strlen(kinds[k].word) == w - i && memcmp(line + i, kinds[k].word, w - i) == 0)
            return kinds[k].kind;
    return ENDS_ANYHOW;
}

/* Follow the lexer's view of LINE and its newline: strings (which may
 * span lines, with backslash escapes), comments, brackets, the last word. */
static void scan(typed *t, const char *line, size_t len)
{
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? line[i] : '\n';
        if (t->in_string) {
            if (t->escape)
                t->escape = false;
            else if (c == '\\')
                t->escape = true;
            else if (c == '"') {
                t->in_string = false;
                t->last = '"';
                t->last_end = false;
            }
            continue;
        }
        if (c == '#')
            break; /* a comment, to the end of the line */
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (word_char(c)) {
            size_t w = i;
            while (w < len && word_char(line[w]))
                w++;
            t->last = 'a';
            t->last_end = w - i == 3 && memcmp(line + i, "end", 3) == 0;
            i = w - 1;
            continue;
        }
        if (c == '"')
            t->in_string = true;
        else if (c == '(' || c == '{' || c == '[')
            t->depth++;
        else if ((c == ')' || c == '}' || c == ']') && t->depth > 0)
            t->depth--;
        t->last = c;
        t->last_end = false;
    }
}

bool typed_add(typed *t, const char *line, size_t len)
{
    if (t->len + len + 2 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + len + 2)
            cap *= 2;
        char *grown = realloc(t->text, cap);
        if (!grown)
            return false;
        t->text = grown;
        t->cap = cap;
    }
    if (t->len == 0)
        t->kind = kind_of(line, len);
    memcpy(t->text + t->len, line, len);
    t->len += len;
    t->text[t->len++] = '\n';
    t->text[t->len] = '\0';
    scan(t, line, len);
    return true;
}

bool typed_ask_parser(const typed *t)
{
    if (t->len >= 2 * t->asked)
        return true; /* doubled since last asked: a broken construct shows */
    if (t->in_string || t->depth > 0)
        return false;
    switch (t->kind) {
    case ENDS_WITH_END:
        return t->last_end;
    case ENDS_WITH_BRACE:
        return t->last == '}';
    case ENDS_WITH_VALUE:
        return t->last == 'a' || t->last == '"' || t->last == ')';
    default:
        return true;
    }
}

void typed_asked(typed *t)
{
    t->asked = t->len;
}

void typed_free(typed *t)
{
    free(t->text);
    memset(t, 0, sizeof *t);
}
