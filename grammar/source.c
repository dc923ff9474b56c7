/* source.c — file text and line tables; see source.h. */
#include "source.h"
#include "width.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void srcset_init(srcset *s, sn_mem *mem)
{
    memset(s, 0, sizeof *s);
    s->mem = mem;
}

void srcset_truncate(srcset *s, uint32_t n)
{
    while (s->nfiles > n) {
        src_file *f = s->files[--s->nfiles];
        mem_free(s->mem, f->name);
        mem_free(s->mem, f->text);
        mem_free(s->mem, f->lines);
        mem_free(s->mem, f);
    }
}

void srcset_fini(srcset *s)
{
    srcset_truncate(s, 0);
    mem_free(s->mem, s->files);
    s->files = NULL;
    s->nfiles = s->cap = 0;
}

int srcset_add(srcset *s, const char *name, const char *text, size_t len)
{
    return srcset_add_at(s, name, 1, text, len);
}

/* A new file of S, last: NAME and LEN bytes of TEXT copied, room for
 * NLINES line starts (filled by the caller); -1 when memory ran out (S as
 * it was). */
static int file_new(srcset *s, const char *name, const char *text, size_t len, uint32_t nlines)
{
    if (s->nfiles == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        src_file **n = mem_realloc(s->mem, s->files, cap * sizeof *n);
        if (!n)
            return -1;
        s->files = n;
        s->cap = cap;
    }
    /* the count cache lives in the same block */
    src_file *f = mem_calloc(s->mem, 1, sizeof *f + sizeof(src_counted));
    if (!f)
        return -1;
    f->counted = (src_counted *)(f + 1);
    f->name = mem_strndup(s->mem, name, strlen(name));
    f->text = mem_strndup(s->mem, text, len);
    f->lines = mem_alloc(s->mem, nlines * sizeof *f->lines);
    if (!f->name || !f->text || !f->lines) {
        mem_free(s->mem, f->name);
        mem_free(s->mem, f->text);
        mem_free(s->mem, f->lines);
        mem_free(s->mem, f);
        return -1;
    }
    f->len = len;
    s->files[s->nfiles] = f;
    return (int)s->nfiles++;
}

int srcset_add_at(srcset *s, const char *name, uint32_t first_line, const char *text, size_t len)
{
    if (len >= UINT32_MAX - 1 || first_line == 0 || (uint64_t)first_line + len >= UINT32_MAX)
        return -1;
    uint32_t n = 1;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    int at = file_new(s, name, text, len, n);
    if (at < 0)
        return -1;
    src_file *f = s->files[at];
    f->lines[0] = 0;
    f->nlines = 1;
    f->line0 = first_line - 1;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        f->lines[f->nlines++] = (uint32_t)(p - text) + 1;
    return at;
}

int srcset_add_copy(srcset *s, const src_file *from)
{
    int at = file_new(s, from->name, from->text, from->len, from->nlines);
    if (at < 0)
        return -1;
    src_file *f = s->files[at];
    memcpy(f->lines, from->lines, from->nlines * sizeof *f->lines);
    f->nlines = from->nlines;
    f->line0 = from->line0;
    return at;
}

int srcset_read(srcset *s, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    struct stat st;
    bool stated = fstat(fileno(fp), &st) == 0;
    if (!stated || !S_ISREG(st.st_mode)) {
        /* a device such as /dev/zero would be read until memory ran out */
        int err = stated ? EINVAL : errno;
        fclose(fp);
        errno = err;
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *buf = mem_alloc(s->mem, cap);
    int err = 0;
    while (buf) {
        if (len == cap) {
            if (cap > (size_t)UINT32_MAX) {
                err = EFBIG;
                break;
            }
            char *n = mem_realloc(s->mem, buf, cap * 2);
            if (!n)
                break;
            buf = n;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) {
            if (ferror(fp))
                err = errno ? errno : EIO;
            break;
        }
    }
    fclose(fp);
    int idx = -1;
    if (!buf)
        err = ENOMEM;
    else if (!err)
        idx = srcset_add(s, path, buf, len);
    mem_free(s->mem, buf);
    if (idx < 0)
        errno = err ? err : (len >= UINT32_MAX - 1 ? EFBIG : ENOMEM);
    return idx;
}

const src_file *srcset_file(const srcset *s, uint32_t file)
{
    return file < s->nfiles ? s->files[file] : NULL;
}

void src_position(const src_file *f, uint32_t offset, uint32_t *line, uint32_t *col)
{
    if (offset > f->len)
        offset = (uint32_t)f->len;
    uint32_t lo = 0, hi = f->nlines; /* last line start <= offset */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t chars, tabs;
    src_count(f, f->lines[lo], offset, &chars, &tabs, NULL);
    *line = f->line0 + lo + 1;
    *col = chars + 1;
}

void src_count(const src_file *f, uint32_t from, uint32_t to, uint32_t *chars, uint32_t *tabs,
               uint32_t *cols)
{
    src_counted *cs = f->counted;
    unsigned k = 0;
    while (k < SRC_COUNTED && !(cs->at[k].from == from && cs->at[k].to <= to))
        k++;
    if (k == SRC_COUNTED) {
        k = cs->next;
        cs->next = (cs->next + 1) % SRC_COUNTED;
        cs->at[k].from = cs->at[k].to = from;
        cs->at[k].chars = cs->at[k].tabs = cs->at[k].cols = 0;
    }
    src_count_at *c = &cs->at[k];
    uint32_t i = c->to;
    while (i < to) {
        unsigned char b = (unsigned char)f->text[i];
        size_t n = b < 0x80 ? 1 : src_utf8_len(f->text + i, to - i);
        c->tabs += b == '\t';
        c->cols += b == '\t' ? 0 : n > 1 ? (uint32_t)utf8_char_width(f->text + i) : 1;
        c->chars++;
        i += n ? (uint32_t)n : 1;
    }
    c->to = i;
    *chars = c->chars;
    *tabs = c->tabs;
    if (cols)
        *cols = c->cols;
}

const char *src_line(const src_file *f, uint32_t line, size_t *len)
{
    if (line <= f->line0 || line - f->line0 > f->nlines) {
        *len = 0;
        return "";
    }
    line -= f->line0;
    uint32_t start = f->lines[line - 1];
    uint32_t end = line < f->nlines ? f->lines[line] - 1 : (uint32_t)f->len;
    if (end > start && f->text[end - 1] == '\r')
        end--;
    *len = end - start;
    return f->text + start;
}

size_t src_utf8_len(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}
