/* lsp.c — `sinew lsp`: a Language Server Protocol server on standard input
 * and output (JSON-RPC 2.0, each message after a Content-Length header).
 *
 * A document is judged with the other .sinew files of its folder, as
 * `sinew check FOLDER` would judge them (the open documents' text in
 * place of what is on disk): the diagnostics published for it are that
 * check's, with the same codes and ranges. The analysis (sn_analyze) also
 * lists every name the files declare and use; hover, go to definition,
 * find references, completion and document symbols read that list.
 * Formatting is sn_layout, the layout of `sinew fmt`.
 *
 * Positions: the protocol counts UTF-16 code units unless the client
 * accepts "utf-32" (characters, sinew's own columns), which is then used.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sinew.h"
#include "cli.h"
#include "commands.h"

/* ---- the documents and folders ---- */

typedef struct doc {
    char *uri, *path;
    char *text;
    size_t len;
} doc;

/* A folder's files, their text and the analysis of them together. */
typedef struct folder {
    char *path;
    char **names;
    char **texts;
    size_t *lens;
    unsigned n;
    bool fresh; /* the analysis matches the documents */
    sn_analysis an;
} folder;

typedef struct server {
    doc *docs;
    unsigned ndocs;
    folder *folders;
    unsigned nfolders;
    bool utf32;
    bool shut_down;
    FILE *log; /* --log: every message in and out */
} server;

static char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        fputs("sinew lsp: out of memory\n", stderr);
        exit(EXIT_ERRORS);
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("sinew lsp: out of memory\n", stderr);
        exit(EXIT_ERRORS);
    }
    return p;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* file:///a%20b/c.sinew -> /a b/c.sinew (malloc'd), or NULL for another scheme. */
static char *uri_path(const char *uri)
{
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    const char *s = uri + 7;
    char *p = xstrdup(s), *o = p;
    for (; *s; s++) {
        if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
            *o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return p;
}

static char *path_uri(const char *path)
{
    size_t n = strlen(path);
    char *u = xrealloc(NULL, 8 + 3 * n + 1), *o = u;
    o += sprintf(o, "file://");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/-._~", *s))
            *o++ = (char)*s;
        else
            o += sprintf(o, "%%%02X", *s);
    }
    *o = '\0';
    return u;
}

static doc *find_doc(server *sv, const char *uri)
{
    for (unsigned i = 0; i < sv->ndocs; i++)
        if (strcmp(sv->docs[i].uri, uri) == 0)
            return &sv->docs[i];
    return NULL;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static bool read_file(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 4096, n = 0;
    char *buf = xrealloc(NULL, cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        free(buf);
        return false;
    }
    *text = buf;
    *len = n;
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void folder_clear(folder *f)
{
    for (unsigned i = 0; i < f->n; i++) {
        free(f->names[i]);
        free(f->texts[i]);
    }
    free(f->names);
    free(f->texts);
    free(f->lens);
    f->names = f->texts = NULL;
    f->lens = NULL;
    f->n = 0;
    sn_analysis_free(&f->an);
}

static folder *find_folder(server *sv, const char *path)
{
    for (unsigned i = 0; i < sv->nfolders; i++)
        if (strcmp(sv->folders[i].path, path) == 0)
            return &sv->folders[i];
    sv->folders = xrealloc(sv->folders, (sv->nfolders + 1) * sizeof *sv->folders);
    folder *f = &sv->folders[sv->nfolders++];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(path);
    return f;
}

static void folder_add(folder *f, char *name, char *text, size_t len)
{
    f->names = xrealloc(f->names, (f->n + 1) * sizeof *f->names);
    f->texts = xrealloc(f->texts, (f->n + 1) * sizeof *f->texts);
    f->lens = xrealloc(f->lens, (f->n + 1) * sizeof *f->lens);
    f->names[f->n] = name;
    f->texts[f->n] = text;
    f->lens[f->n] = len;
    f->n++;
}

/* The folder of PATH, analysed: its .sinew files in name order, an open
 * document's text in place of its file's, then open documents of the
 * folder that are not files there (yet). */
static folder *analysed(server *sv, const char *path)
{
    char *dir = dir_of(path);
    folder *f = find_folder(sv, dir);
    if (f->fresh) {
        free(dir);
        return f;
    }
    folder_clear(f);
    char **files = NULL;
    size_t nfiles = 0;
    DIR *dp = opendir(dir);
    for (struct dirent *e; dp && (e = readdir(dp));) {
        size_t k = strlen(e->d_name);
        if (e->d_name[0] == '.' || k < 7 || strcmp(e->d_name + k - 6, ".sinew") != 0)
            continue;
        files = xrealloc(files, (nfiles + 1) * sizeof *files);
        files[nfiles] = xrealloc(NULL, strlen(dir) + k + 2);
        sprintf(files[nfiles++], "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, e->d_name);
    }
    if (dp)
        closedir(dp);
    if (nfiles)
        qsort(files, nfiles, sizeof *files, by_name);
    for (size_t i = 0; i < nfiles; i++) {
        char *text = NULL;
        size_t len = 0;
        bool open = false;
        for (unsigned j = 0; j < sv->ndocs && !open; j++)
            if (strcmp(sv->docs[j].path, files[i]) == 0) {
                text = xstrndup(sv->docs[j].text, sv->docs[j].len);
                len = sv->docs[j].len;
                open = true;
            }
        if (!open && !read_file(files[i], &text, &len)) {
            free(files[i]);
            continue;
        }
        folder_add(f, files[i], text, len);
    }
    free(files);
    for (unsigned j = 0; j < sv->ndocs; j++) {
        char *d = dir_of(sv->docs[j].path);
        bool here = strcmp(d, dir) == 0, listed = false;
        free(d);
        for (unsigned i = 0; here && i < f->n && !listed; i++)
            listed = strcmp(f->names[i], sv->docs[j].path) == 0;
        if (here && !listed)
            folder_add(f, xstrdup(sv->docs[j].path), xstrndup(sv->docs[j].text, sv->docs[j].len),
                       sv->docs[j].len);
    }
    sn_analyze((const char *const *)f->names, (const char *const *)f->texts, f->lens, f->n,
               &f->an);
    f->fresh = true;
    free(dir);
    return f;
}

static void stale(server *sv)
{
    for (unsigned i = 0; i < sv->nfolders; i++)
        sv->folders[i].fresh = false;
}

/* ---- positions ---- */

/* The text of line LINE (1-based) of TEXT: *N bytes. */
static const char *line_of(const char *text, size_t len, unsigned line, size_t *n)
{
    const char *p = text, *end = text + len;
    for (unsigned l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            p = end;
            break;
        }
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *n = (size_t)((nl ? nl : end) - p);
    return p;
}

/* Protocol column of sinew's column COL (1-based characters) on a line. */
static unsigned to_client(const server *sv, const char *s, size_t n, unsigned col)
{
    if (sv->utf32 || col == 0)
        return col ? col - 1 : 0;
    unsigned units = 0, chars = 1;
    for (size_t i = 0; i < n && chars < col; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        units += c >= 0xF0 ? 2 : 1;
        chars++;
    }
    return units + (col > chars ? col - chars : 0);
}

/* sinew's column (1-based characters) of the protocol's CHARACTER. */
static unsigned from_client(const server *sv, const char *s, size_t n, unsigned character)
{
    if (sv->utf32)
        return character + 1;
    unsigned units = 0, chars = 1;
    for (size_t i = 0; i < n && units < character; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        units += c >= 0xF0 ? 2 : 1;
        chars++;
    }
    return chars;
}

static json_t *position(const server *sv, const folder *f, unsigned file, unsigned line,
                        unsigned col)
{
    size_t n = 0;
    const char *s = file < f->n ? line_of(f->texts[file], f->lens[file], line, &n) : "";
    return json_pack("{s:i, s:i}", "line", line ? (int)line - 1 : 0, "character",
                     (int)to_client(sv, s, n, col));
}

static json_t *range(const server *sv, const folder *f, unsigned file, unsigned line,
                     unsigned col, unsigned end_line, unsigned end_col)
{
    if (end_line == 0) {
        end_line = line;
        end_col = col;
    }
    return json_pack("{s:o, s:o}", "start", position(sv, f, file, line, col), "end",
                     position(sv, f, file, end_line, end_col));
}

static json_t *location(const server *sv, const folder *f, const sn_symbol *s)
{
    char *uri = path_uri(f->names[s->file]);
    json_t *loc = json_pack("{s:s, s:o}", "uri", uri, "range",
                            range(sv, f, s->file, s->line, s->col, s->end_line, s->end_col));
    free(uri);
    return loc;
}

/* ---- messages ---- */

static void send_message(server *sv, json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!text)
        return;
    if (sv->log)
        fprintf(sv->log, "-> %s\n", text), fflush(sv->log);
    printf("Content-Length: %zu\r\n\r\n%s", strlen(text), text);
    fflush(stdout);
    free(text);
}

static void reply(server *sv, json_t *id, json_t *result)
{
    send_message(sv, json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id,
                           "result", result ? result : json_null()));
}

static void reply_error(server *sv, json_t *id, int code, const char *message)
{
    send_message(sv, json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                           "error", "code", code, "message", message));
}

static void notify(server *sv, const char *method, json_t *params)
{
    send_message(sv, json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method, "params", params));
}

/* The next message, or NULL at the end of the input (or a broken one). */
static json_t *read_message(server *sv)
{
    char line[1024];
    long length = -1;
    for (;;) {
        if (!fgets(line, sizeof line, stdin))
            return NULL;
        if (strcmp(line, "\r\n") == 0 || strcmp(line, "\n") == 0)
            break;
        if (strncasecmp(line, "Content-Length:", 15) == 0)
            length = strtol(line + 15, NULL, 10);
    }
    if (length < 0 || length > (1L << 30))
        return NULL;
    char *body = xrealloc(NULL, (size_t)length + 1);
    if (fread(body, 1, (size_t)length, stdin) != (size_t)length) {
        free(body);
        return NULL;
    }
    if (sv->log)
        fprintf(sv->log, "<- %.*s\n", (int)length, body), fflush(sv->log);
    json_error_t err;
    json_t *msg = json_loadb(body, (size_t)length, 0, &err);
    free(body);
    if (!msg)
        return json_pack("{s:s}", "sinew_parse_error", err.text);
    return msg;
}

/* ---- diagnostics ---- */

static void publish(server *sv, const doc *d)
{
    folder *f = analysed(sv, d->path);
    unsigned file = 0;
    while (file < f->n && strcmp(f->names[file], d->path) != 0)
        file++;
    json_t *list = json_array();
    for (unsigned i = 0; i < f->an.report.n; i++) {
        const sn_diag *x = &f->an.report.items[i];
        if (strcmp(x->file, d->path) != 0)
            continue;
        json_array_append_new(list, json_pack("{s:o, s:i, s:s, s:s, s:s}", "range",
                                              range(sv, f, file, x->line, x->col, x->end_line, x->end_col),
                                              "severity", x->error ? 1 : 2, "code", x->code,
                                              "source", "sinew", "message", x->message));
    }
    notify(sv, "textDocument/publishDiagnostics",
           json_pack("{s:s, s:o}", "uri", d->uri, "diagnostics", list));
}

static void publish_folder(server *sv, const char *path)
{
    char *dir = dir_of(path);
    for (unsigned i = 0; i < sv->ndocs; i++) {
        char *d = dir_of(sv->docs[i].path);
        if (strcmp(d, dir) == 0)
            publish(sv, &sv->docs[i]);
        free(d);
    }
    free(dir);
}

/* ---- what is at a position ---- */

typedef struct at {
    folder *f;
    unsigned file;
    const sn_symbol *sym; /* the name under the cursor, or NULL */
    unsigned line, col;   /* sinew's */
    const char *text;     /* the document's line, N bytes */
    size_t n;
} at;

static bool locate(server *sv, json_t *params, at *a)
{
    const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
    json_t *pos = json_object_get(params, "position");
    doc *d = uri ? find_doc(sv, uri) : NULL;
    if (!d || !pos)
        return false;
    memset(a, 0, sizeof *a);
    a->f = analysed(sv, d->path);
    while (a->file < a->f->n && strcmp(a->f->names[a->file], d->path) != 0)
        a->file++;
    a->line = (unsigned)json_integer_value(json_object_get(pos, "line")) + 1;
    a->text = line_of(d->text, d->len, a->line, &a->n);
    a->col = from_client(sv, a->text, a->n, (unsigned)json_integer_value(json_object_get(pos, "character")));
    for (unsigned i = 0; i < a->f->an.n; i++) {
        const sn_symbol *s = &a->f->an.symbols[i];
        if (s->file == a->file && s->line == a->line && s->col <= a->col &&
            (s->end_line > a->line || a->col < s->end_col || (a->col == s->end_col && !a->sym)))
            a->sym = s;
    }
    return true;
}

/* Do S and T name the same thing? */
static bool same(const sn_symbol *s, const sn_symbol *t)
{
    if (s->kind != t->kind || strcmp(s->name, t->name) != 0)
        return false;
    if (s->kind == SN_SYM_SLOT)
        return strcmp(s->tmpl, t->tmpl) == 0;
    if (s->kind == SN_SYM_VALUE)
        return strcmp(s->tmpl, t->tmpl) == 0 && strcmp(s->slot, t->slot) == 0;
    return true;
}

static const sn_symbol *definition_of(const folder *f, const sn_symbol *s)
{
    for (unsigned i = 0; i < f->an.n; i++)
        if (f->an.symbols[i].definition && same(&f->an.symbols[i], s))
            return &f->an.symbols[i];
    if (s->kind == SN_SYM_VALUE) /* a value no answer lists: the ask of its slot */
        for (unsigned i = 0; i < f->an.n; i++) {
            const sn_symbol *t = &f->an.symbols[i];
            if (t->kind == SN_SYM_ASK && strcmp(t->tmpl, s->tmpl) == 0 && strcmp(t->slot, s->slot) == 0)
                return t;
        }
    return NULL;
}

static void on_hover(server *sv, json_t *id, json_t *params)
{
    at a;
    if (!locate(sv, params, &a) || !a.sym) {
        reply(sv, id, NULL);
        return;
    }
    const sn_symbol *def = definition_of(a.f, a.sym);
    if (!def || !*def->detail) {
        reply(sv, id, NULL);
        return;
    }
    reply(sv, id, json_pack("{s:{s:s, s:s}, s:o}", "contents", "kind", "plaintext", "value", def->detail,
                        "range", range(sv, a.f, a.file, a.sym->line, a.sym->col, a.sym->end_line,
                                       a.sym->end_col)));
}

static void on_definition(server *sv, json_t *id, json_t *params)
{
    at a;
    const sn_symbol *def = locate(sv, params, &a) && a.sym ? definition_of(a.f, a.sym) : NULL;
    reply(sv, id, def ? location(sv, a.f, def) : NULL);
}

static void on_references(server *sv, json_t *id, json_t *params)
{
    at a;
    if (!locate(sv, params, &a) || !a.sym) {
        reply(sv, id, json_array());
        return;
    }
    bool decl = json_is_true(json_object_get(json_object_get(params, "context"), "includeDeclaration"));
    json_t *list = json_array();
    for (unsigned i = 0; i < a.f->an.n; i++) {
        const sn_symbol *s = &a.f->an.symbols[i];
        if (same(s, a.sym) && (decl || !s->definition))
            json_array_append_new(list, location(sv, a.f, s));
    }
    reply(sv, id, list);
}

/* LSP SymbolKind of each kind of declaration. */
static int symbol_kind(sn_sym_kind k)
{
    switch (k) {
    case SN_SYM_TEMPLATE: return 23; /* Struct */
    case SN_SYM_SLOT: return 8;      /* Field */
    case SN_SYM_RULE: return 12;     /* Function */
    case SN_SYM_CASE: return 6;      /* Method */
    case SN_SYM_FACTS: return 18;    /* Array */
    case SN_SYM_ASK: return 7;       /* Property */
    case SN_SYM_SOURCE: return 1;    /* File */
    case SN_SYM_VALUE: return 20;    /* EnumMember */
    case SN_SYM_FUNCTION: return 12; /* Function */
    case SN_SYM_QUERY: return 12;    /* Function */
    }
    return 13;
}

static void on_symbols(server *sv, json_t *id, json_t *params)
{
    const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
    doc *d = uri ? find_doc(sv, uri) : NULL;
    json_t *list = json_array();
    if (d) {
        folder *f = analysed(sv, d->path);
        for (unsigned i = 0; i < f->an.n; i++) {
            const sn_symbol *s = &f->an.symbols[i];
            if (!s->definition || s->kind == SN_SYM_VALUE || strcmp(f->names[s->file], d->path) != 0)
                continue;
            json_t *item = json_pack("{s:s, s:i, s:o}", "name", s->name, "kind",
                                     symbol_kind(s->kind), "location", location(sv, f, s));
            if (*s->tmpl && s->kind == SN_SYM_SLOT)
                json_object_set_new(item, "containerName", json_string(s->tmpl));
            json_array_append_new(list, item);
        }
    }
    reply(sv, id, list);
}

/* ---- completion ---- */

static bool listed(json_t *items, const char *label)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
        if (strcmp(json_string_value(json_object_get(it, "label")), label) == 0)
            return true;
    return false;
}

static void item(json_t *items, const char *label, int kind, const char *detail, const char *insert)
{
    if (listed(items, label))
        return;
    json_t *it = json_pack("{s:s, s:i}", "label", label, "kind", kind);
    if (detail && *detail)
        json_object_set_new(it, "detail", json_string(detail));
    if (insert)
        json_object_set_new(it, "insertText", json_string(insert));
    json_array_append_new(items, it);
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Where the cursor is, from the text before it on its line: inside the
 * parentheses of TMPL(, after `SLOT:` (a value), or elsewhere. */
static void completion_context(const char *s, size_t n, char *tmpl, char *slot, size_t size)
{
    tmpl[0] = slot[0] = '\0';
    size_t i = n;
    while (i > 0 && word_char(s[i - 1])) /* the word being typed */
        i--;
    size_t j = i;
    while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
        j--;
    bool value = j > 0 && s[j - 1] == ':';
    if (value) { /* the slot's name before the colon */
        size_t e = j - 1;
        while (e > 0 && s[e - 1] == ' ')
            e--;
        size_t b = e;
        while (b > 0 && word_char(s[b - 1]))
            b--;
        snprintf(slot, size, "%.*s", (int)(e - b), s + b);
    }
    /* the innermost unclosed '(' before the cursor, and the name before it */
    int depth = 0;
    for (size_t k = i; k > 0; k--) {
        char c = s[k - 1];
        if (c == ')')
            depth++;
        else if (c == '(' && depth > 0)
            depth--;
        else if (c == '(') {
            size_t e = k - 1, b = e;
            while (b > 0 && word_char(s[b - 1]))
                b--;
            snprintf(tmpl, size, "%.*s", (int)(e - b), s + b);
            return;
        }
    }
    slot[0] = '\0';
}

static const char *const keywords[] = {
    "template", "facts", "ask", "multiple", "rule", "when", "then", "end", "case", "given",
    "expect", "not", "exists", "forall", "or", "test", "assert", "conclude", "retract",
    "modify", "bind", "print", "recommend", "halt", "cf", "cites", "source", "salience",
    "function", "query", "module", "focus", NULL,
};

static void on_completion(server *sv, json_t *id, json_t *params)
{
    at a;
    json_t *items = json_array();
    if (!locate(sv, params, &a)) {
        reply(sv, id, items);
        return;
    }
    size_t upto = 0;
    for (unsigned c = 1; upto < a.n && c < a.col; upto++)
        c += ((unsigned char)a.text[upto + 1] & 0xC0) != 0x80;
    char tmpl[128], slot[128];
    completion_context(a.text, upto, tmpl, slot, sizeof tmpl);
    const sn_analysis *an = &a.f->an;
    if (*tmpl && *slot) { /* a value of TMPL.SLOT: the ask's answers, then the values used */
        for (int pass = 0; pass < 2; pass++)
            for (unsigned i = 0; i < an->n; i++) {
                const sn_symbol *s = &an->symbols[i];
                if (s->kind == SN_SYM_VALUE && s->definition == (pass == 0) &&
                    strcmp(s->tmpl, tmpl) == 0 && strcmp(s->slot, slot) == 0)
                    item(items, s->name, 20, s->definition ? "an answer of its ask" : "a value used", NULL);
            }
    } else if (*tmpl) { /* the slots of TMPL */
        for (unsigned i = 0; i < an->n; i++) {
            const sn_symbol *s = &an->symbols[i];
            if (s->kind == SN_SYM_SLOT && s->definition && strcmp(s->tmpl, tmpl) == 0) {
                char insert[160];
                snprintf(insert, sizeof insert, "%s: ", s->name);
                item(items, s->name, 5, s->detail, insert);
            }
        }
    } else { /* templates, then the words of the language */
        for (unsigned i = 0; i < an->n; i++) {
            const sn_symbol *s = &an->symbols[i];
            if (s->kind == SN_SYM_TEMPLATE && s->definition)
                item(items, s->name, 22, s->detail, NULL);
        }
        for (const char *const *k = keywords; *k; k++)
            item(items, *k, 14, NULL, NULL);
    }
    reply(sv, id, json_pack("{s:b, s:o}", "isIncomplete", 0, "items", items));
}

/* ---- formatting ---- */

static void on_formatting(server *sv, json_t *id, json_t *params)
{
    const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
    doc *d = uri ? find_doc(sv, uri) : NULL;
    if (!d) {
        reply(sv, id, json_array());
        return;
    }
    char *out;
    size_t out_len;
    sn_report r = {0};
    if (sn_layout(d->path, d->text, d->len, &out, &out_len, &r) != SN_OK) {
        sn_report_free(&r);
        reply_error(sv, id, -32803, "the file has errors: it is formatted once it parses");
        return;
    }
    sn_report_free(&r);
    json_t *edits = json_array();
    if (out_len != d->len || memcmp(out, d->text, d->len) != 0) {
        unsigned lines = 0;
        for (size_t i = 0; i < d->len; i++)
            lines += d->text[i] == '\n';
        json_array_append_new(edits, json_pack("{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s%}", "range",
                                                "start", "line", 0, "character", 0, "end", "line",
                                                (int)lines + 1, "character", 0, "newText", out,
                                                out_len));
    }
    free(out);
    reply(sv, id, edits);
}

/* ---- documents ---- */

static void on_open(server *sv, json_t *params)
{
    json_t *td = json_object_get(params, "textDocument");
    const char *uri = json_string_value(json_object_get(td, "uri"));
    json_t *text = json_object_get(td, "text");
    char *path = uri ? uri_path(uri) : NULL;
    if (!path || !json_is_string(text)) {
        free(path);
        return;
    }
    doc *d = find_doc(sv, uri);
    if (!d) {
        sv->docs = xrealloc(sv->docs, (sv->ndocs + 1) * sizeof *sv->docs);
        d = &sv->docs[sv->ndocs++];
        memset(d, 0, sizeof *d);
        d->uri = xstrdup(uri);
        d->path = path;
    } else {
        free(path);
    }
    free(d->text);
    d->len = json_string_length(text);
    d->text = xstrndup(json_string_value(text), d->len);
    stale(sv);
    publish_folder(sv, d->path);
}

static void on_change(server *sv, json_t *params)
{
    const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
    json_t *changes = json_object_get(params, "contentChanges");
    doc *d = uri ? find_doc(sv, uri) : NULL;
    size_t n = json_array_size(changes);
    if (!d || n == 0)
        return;
    /* full sync: the last change is the whole text */
    json_t *text = json_object_get(json_array_get(changes, n - 1), "text");
    if (!json_is_string(text))
        return;
    free(d->text);
    d->len = json_string_length(text);
    d->text = xstrndup(json_string_value(text), d->len);
    stale(sv);
    publish_folder(sv, d->path);
}

static void on_close(server *sv, json_t *params)
{
    const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
    doc *d = uri ? find_doc(sv, uri) : NULL;
    if (!d)
        return;
    notify(sv, "textDocument/publishDiagnostics", json_pack("{s:s, s:[]}", "uri", d->uri, "diagnostics"));
    char *path = d->path;
    free(d->uri);
    free(d->text);
    *d = sv->docs[--sv->ndocs];
    stale(sv);
    publish_folder(sv, path); /* the others now see the file on disk */
    free(path);
}

static json_t *capabilities(server *sv, json_t *params)
{
    json_t *encodings = json_object_get(json_object_get(json_object_get(params, "capabilities"),
                                                        "general"), "positionEncodings");
    size_t i;
    json_t *e;
    json_array_foreach(encodings, i, e)
        if (json_is_string(e) && strcmp(json_string_value(e), "utf-32") == 0)
            sv->utf32 = true;
    return json_pack("{s:{s:s, s:{s:b, s:i}, s:b, s:b, s:b, s:{s:[s,s,s,s]}, s:b, s:b},"
                     " s:{s:s, s:s}}",
                     "capabilities", "positionEncoding", sv->utf32 ? "utf-32" : "utf-16",
                     "textDocumentSync", "openClose", 1, "change", 1, "hoverProvider", 1,
                     "definitionProvider", 1, "referencesProvider", 1, "completionProvider",
                     "triggerCharacters", "(", ",", ":", " ", "documentSymbolProvider", 1,
                     "documentFormattingProvider", 1, "serverInfo", "name", "sinew", "version",
                     SINEW_VERSION);
}

int cmd_lsp(int argc, char **argv)
{
    server sv = {0};
    const char *log = NULL;
    cli_parse p;
    cli_begin(&p, "lsp", argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        switch (c) {
        case 'L': log = p.arg; break;
        case CLI_EXIT: return p.status;
        }
    }
    if (p.optind < argc)
        return cli_usage("lsp", "no operands: the editor names the files");
    if (log && !(sv.log = fopen(log, "a"))) {
        fprintf(stderr, "sinew lsp: cannot write the log %s: %s\n", log, strerror(errno));
        return EXIT_ERRORS;
    }
    int status = EXIT_ERRORS; /* the input ended without shutdown and exit */
    for (json_t *msg; (msg = read_message(&sv));) {
        json_t *id = json_object_get(msg, "id");
        const char *method = json_string_value(json_object_get(msg, "method"));
        json_t *params = json_object_get(msg, "params");
        if (json_object_get(msg, "sinew_parse_error")) {
            reply_error(&sv, NULL, -32700, json_string_value(json_object_get(msg, "sinew_parse_error")));
        } else if (!method) {
            /* a response to a request of ours: we make none */
        } else if (strcmp(method, "exit") == 0) {
            status = sv.shut_down ? EXIT_OK : EXIT_ERRORS;
            json_decref(msg);
            break;
        } else if (sv.shut_down && id) {
            reply_error(&sv, id, -32600, "the server is shut down");
        } else if (strcmp(method, "initialize") == 0) {
            reply(&sv, id, capabilities(&sv, params));
        } else if (strcmp(method, "shutdown") == 0) {
            sv.shut_down = true;
            reply(&sv, id, NULL);
        } else if (strcmp(method, "textDocument/didOpen") == 0) {
            on_open(&sv, params);
        } else if (strcmp(method, "textDocument/didChange") == 0) {
            on_change(&sv, params);
        } else if (strcmp(method, "textDocument/didClose") == 0) {
            on_close(&sv, params);
        } else if (strcmp(method, "textDocument/hover") == 0) {
            on_hover(&sv, id, params);
        } else if (strcmp(method, "textDocument/definition") == 0) {
            on_definition(&sv, id, params);
        } else if (strcmp(method, "textDocument/references") == 0) {
            on_references(&sv, id, params);
        } else if (strcmp(method, "textDocument/completion") == 0) {
            on_completion(&sv, id, params);
        } else if (strcmp(method, "textDocument/documentSymbol") == 0) {
            on_symbols(&sv, id, params);
        } else if (strcmp(method, "textDocument/formatting") == 0) {
            on_formatting(&sv, id, params);
        } else if (id) {
            reply_error(&sv, id, -32601, "no such method");
        }
        json_decref(msg);
    }
    for (unsigned i = 0; i < sv.ndocs; i++) {
        free(sv.docs[i].uri);
        free(sv.docs[i].path);
        free(sv.docs[i].text);
    }
    free(sv.docs);
    for (unsigned i = 0; i < sv.nfolders; i++) {
        folder_clear(&sv.folders[i]);
        free(sv.folders[i].path);
    }
    free(sv.folders);
    if (sv.log)
        fclose(sv.log);
    return status;
}
