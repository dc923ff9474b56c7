/* batch.c — `sinew batch`: one JSON case per line in, one JSON result per
 * line out.
 *
 * The knowledge base is compiled once; between cases working memory is
 * reset at once (sn_reset), so a case costs what its own facts cost. Lines
 * are parsed with Jansson (libjansson, a Debian package): it reports the
 * column of a syntax error and rejects what is not JSON, which a
 * hand-written reader would have to earn. A malformed line, or a case
 * whose findings the knowledge base does not know, gets an error record
 * with its line number, and the run goes on.
 *
 * A case (../shared/findings.md): {"id": "c1", "site": ["groin"], "pop":
 * "no"}: each key but "id" names a template; a string (or number) is the
 * value of its asked slot (or only slot), an array gives one fact per
 * element, an object gives slot: value pairs for one fact.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sinew.h"
#include "cli.h"
#include "commands.h"


/* One fact to assert: template, slot (NULL: the asked one), value. */
typedef struct pending {
    const char *tmpl, *slot;
    sn_value v;
    bool first_slot;       /* the first slot of a fact given as an object */
} pending;

/* A result line is built here and written in one go. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_grow_slow(sbuf *b, size_t more)
{
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fputs("sinew batch: out of memory\n", stderr);
        exit(EXIT_ERRORS);
    }
    b->p = p;
    b->cap = cap;
}

static inline void sb_grow(sbuf *b, size_t more)
{
    if (b->n + more > b->cap)
        sb_grow_slow(b, more);
}

static inline void sb_add(sbuf *b, const char *s, size_t n)
{
    if (n == 0)
        return; /* B->p may still be NULL */
    sb_grow(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static inline void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* A string literal, its length known at compile time. */
#define SB_LIT(b, lit) sb_add((b), (lit), sizeof(lit) - 1)

/* Does the 8-byte word W hold a byte JSON must escape: a control
 * character, a quote or a backslash? Each test sets the high bit of a
 * byte that matches (the classic "has a zero byte" trick). */
static inline bool needs_escape(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t below = (w - ones * 0x20) & ~w;
    uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    uint64_t eq = ((quote - ones) & ~quote) | ((slash - ones) & ~slash);
    return ((below | eq) & highs) != 0;
}

/* S as a JSON string: room for the worst case first, then one pass that
 * copies eight bytes at a time while none needs an escape. */
static void sb_str(sbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = strlen(s);
    sb_grow(b, 6 * len + 2);
    char *q = b->p + b->n;
    *q++ = '"';
    const char *end = s + len;
    while (s < end) {
        if (end - s >= 8) {
            uint64_t w;
            memcpy(&w, s, 8);
            if (!needs_escape(w)) {
                memcpy(q, s, 8);
                q += 8;
                s += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)*s++;
        if (c >= 0x20 && c != '"' && c != '\\') {
            *q++ = (char)c;
            continue;
        }
        *q++ = '\\';
        switch (c) {
        case '"': *q++ = '"'; break;
        case '\\': *q++ = '\\'; break;
        case '\n': *q++ = 'n'; break;
        case '\t': *q++ = 't'; break;
        default:
            *q++ = 'u';
            *q++ = '0';
            *q++ = '0';
            *q++ = hex[c >> 4];
            *q++ = hex[c & 15];
            break;
        }
    }
    *q++ = '"';
    b->n = (size_t)(q - b->p);
}

/* A certainty, rounded to 4 decimals: 1, 0.6, -0.25, 0.9856. */
static void sb_cf(sbuf *b, double cf)
{
    if (cf == 1.0) {
        SB_LIT(b, "1");
        return;
    }
    long k = (long)(cf * 10000 + (cf < 0 ? -0.5 : 0.5));
    char tmp[16], *q = tmp + sizeof tmp;
    bool neg = k < 0;
    if (neg)
        k = -k;
    long whole = k / 10000, frac = k % 10000;
    int digits = 4;
    while (frac && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    if (frac) {
        for (int i = 0; i < digits; i++, frac /= 10)
            *--q = (char)('0' + frac % 10);
        *--q = '.';
    }
    do
        *--q = (char)('0' + whole % 10);
    while ((whole /= 10) > 0);
    if (neg)
        *--q = '-';
    sb_add(b, q, (size_t)(tmp + sizeof tmp - q));
}

static void sb_num(sbuf *b, unsigned long long v)
{
    char tmp[24];
    sb_add(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "%llu", v));
}

/* JSON forms of what the engine keeps for its whole life (rule and
 * template names; a rule's citations, keyed by the rule), by address:
 * written once, copied after. */
typedef struct jcache {
    const void **key;
    char **json;
    size_t *len;
    size_t mask, n;
} jcache;

static void sb_str(sbuf *b, const char *s);

static void jcache_free(jcache *c)
{
    for (size_t i = 0; c->key && i <= c->mask; i++)
        free(c->json[i]);
    free(c->key);
    free(c->json);
    free(c->len);
}

static bool jcache_grow(jcache *c)
{
    size_t mask = c->mask ? c->mask * 2 + 1 : 255;
    const void **key = calloc(mask + 1, sizeof *key);
    char **json = calloc(mask + 1, sizeof *json);
    size_t *len = calloc(mask + 1, sizeof *len);
    if (!key || !json || !len) {
        free(key);
        free(json);
        free(len);
        return false;
    }
    for (size_t i = 0; c->key && i <= c->mask; i++) {
        if (!c->key[i])
            continue;
        size_t h = ((uintptr_t)c->key[i] >> 3) & mask;
        while (key[h])
            h = (h + 1) & mask;
        key[h] = c->key[i];
        json[h] = c->json[i];
        len[h] = c->len[i];
    }
    free(c->key);
    free(c->json);
    free(c->len);
    c->key = key;
    c->json = json;
    c->len = len;
    c->mask = mask;
    return true;
}

/* The slot for KEY (engine-owned, lives as long as the engine), or NULL
 * when the cache cannot grow. A new slot has json NULL. */
static size_t *jcache_slot(jcache *c, const void *key, size_t *h)
{
    if ((c->n + 1) * 2 > c->mask && !jcache_grow(c))
        return NULL;
    *h = ((uintptr_t)key >> 3) & c->mask;
    while (c->key[*h] && c->key[*h] != key)
        *h = (*h + 1) & c->mask;
    if (!c->key[*h]) {
        c->key[*h] = key;
        c->json[*h] = NULL;
        c->n++;
    }
    return &c->len[*h];
}

static void jcache_set(jcache *c, size_t h, sbuf *made)
{
    c->json[h] = made->p;
    c->len[h] = made->n;
}

/* S (engine-owned, never freed while the engine lives) as JSON. */
static void sb_kept(sbuf *b, jcache *c, const char *s)
{
    size_t h;
    if (!jcache_slot(c, s, &h)) {
        sb_str(b, s);
        return;
    }
    if (!c->json[h]) {
        sbuf one = {0};
        sb_str(&one, s);
        jcache_set(c, h, &one);
    }
    sb_add(b, c->json[h], c->len[h]);
}

/* Jansson allocates every value of a line one by one and frees them all
 * when the line is done: a bump allocator over one block, emptied per
 * line, does the same work without malloc. A line too big for the block
 * falls back to malloc (marked by the header's first word). */
enum { LINE_ARENA = 1 << 20 };
static char *line_arena;
static size_t line_used;

typedef union lhdr {
    size_t from_malloc;
    max_align_t align;
} lhdr;

static void *line_alloc(size_t size)
{
    size_t need = sizeof(lhdr) + ((size + sizeof(lhdr) - 1) / sizeof(lhdr)) * sizeof(lhdr);
    lhdr *h;
    if (line_arena && line_used + need <= LINE_ARENA) {
        h = (lhdr *)(line_arena + line_used);
        line_used += need;
        h->from_malloc = 0;
    } else {
        h = malloc(sizeof *h + size);
        if (!h)
            return NULL;
        h->from_malloc = 1;
    }
    return h + 1;
}

static void line_free(void *p)
{
    if (!p)
        return;
    lhdr *h = (lhdr *)p - 1;
    if (h->from_malloc)
        free(h);
}

struct batch {
    sn_engine *e;
    jcache kept;
    FILE *out;
    bool explain;
    pending *facts;
    size_t nfacts, cap;
    sbuf line;             /* the result being written */
    sbuf texts;            /* fact texts of this case, as JSON strings */
    size_t *text_at;       /* by id - 1: offset in texts + 1; 0: not yet */
    size_t *text_len;      /* by id - 1 */
    sbuf objs;             /* fact objects of this case, as JSON */
    size_t *obj_at;        /* by id - 1: offset in objs + 1; 0: not yet */
    size_t *obj_len;       /* by id - 1 */
    sbuf one;              /* a fact object being made */
    struct {               /* templates by their name (engine-owned), */
        const char *name;  /* direct-mapped: a miss asks the engine */
        const sn_template *t;
    } tcache[128];
    sn_fact **byid;        /* by id - 1, for this case */
    size_t nbyid;
    sbuf scratch;          /* texts made only to be cached */
    /* reused from case to case: */
    struct ranked *ranked;
    size_t cap_ranked;
    struct jrank *jranks;
    size_t cap_jranks;
    const char **rec_texts;
    const sn_rule **rec_rules;
    size_t cap_recs;
    unsigned long long cases, errors;
};

/* An id as given: a string or an integer, as JSON. */
static void sb_id(sbuf *o, json_t *id)
{
    if (json_is_string(id))
        sb_str(o, json_string_value(id));
    else if (json_is_integer(id)) {
        char tmp[32];
        sb_add(o, tmp, (size_t)snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(id)));
    } else
        SB_LIT(o, "null");
}

static void flush_line(batch *b)
{
    fwrite(b->line.p, 1, b->line.n, b->out);
    b->line.n = 0;
}

static void error_record(batch *b, unsigned long line, json_t *id, const char *msg)
{
    sbuf *o = &b->line;
    SB_LIT(o, "{\"schema\":\"sinew.result/1\",");
    if (id) {
        SB_LIT(o, "\"id\":");
        sb_id(o, id);
        SB_LIT(o, ",");
    }
    SB_LIT(o, "\"line\":");
    sb_num(o, line);
    SB_LIT(o, ",\"error\":");
    sb_str(o, msg);
    SB_LIT(o, "}\n");
    flush_line(b);
    b->errors++;
}

static bool push(batch *b, const char *tmpl, const char *slot, json_t *v, char *err, size_t size)
{
    pending p = {.tmpl = tmpl, .slot = slot};
    if (json_is_string(v))
        p.v.text = json_string_value(v);
    else if (json_is_number(v))
        p.v = (sn_value){.is_number = true, .number = json_number_value(v)};
    else if (json_is_boolean(v))
        p.v.text = json_is_true(v) ? "true" : "false";
    else {
        snprintf(err, size, "\"%s\": a value is a string, a number or true/false", tmpl);
        return false;
    }
    if (b->nfacts == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        pending *w = realloc(b->facts, cap * sizeof *w);
        if (!w) {
            snprintf(err, size, "out of memory");
            return false;
        }
        b->facts = w;
        b->cap = cap;
    }
    b->facts[b->nfacts++] = p;
    return true;
}

/* One fact given slot by slot: {"name": "x", "value": 3}. Its slots
 * follow one another in b->facts, marked by a slot name and the same
 * template key; one_line asserts them as one fact. */
static bool push_object(batch *b, const char *key, json_t *obj, char *err, size_t size)
{
    const char *slot;
    json_t *x;
    size_t first = b->nfacts;
    json_object_foreach(obj, slot, x)
    {
        if (!push(b, key, slot, x, err, size))
            return false;
    }
    if (b->nfacts == first) {
        snprintf(err, size, "\"%s\": an empty object", key);
        return false;
    }
    b->facts[first].first_slot = true;
    return true;
}

/* The findings of case OBJ, read; checked as they are asserted. */
static bool read_case(batch *b, json_t *obj, char *err, size_t size)
{
    const char *key;
    json_t *v;
    b->nfacts = 0;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "id") == 0)
            continue;
        if (strcmp(key, "schema") == 0) {
            /* what `sinew test --export` writes says what it is */
            if (!json_is_string(v) || strcmp(json_string_value(v), "sinew.case/1") != 0) {
                snprintf(err, size, "\"schema\": a case line is \"sinew.case/1\"");
                return false;
            }
            continue;
        }
        if (json_is_array(v)) {
            size_t i;
            json_t *x;
            const sn_ask *k = sn_ask_find(b->e, key);
            if (k && !sn_ask_multiple(k) && json_array_size(v) > 1) {
                snprintf(err, size, "\"%s\": one answer only (%zu given)", key, json_array_size(v));
                return false;
            }
            json_array_foreach(v, i, x)
            {
                if (json_is_object(x) ? !push_object(b, key, x, err, size) : !push(b, key, NULL, x, err, size))
                    return false;
            }
        } else if (json_is_object(v)) {
            if (!push_object(b, key, v, err, size))
                return false;
        } else if (!push(b, key, NULL, v, err, size)) {
            return false;
        }
    }
    return true;
}

/* Make *V hold at least N elements of SIZE bytes. */
static void *room(void *v, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return v;
    size_t c = *cap ? *cap : 64;
    while (c < n)
        c *= 2;
    void *w = realloc(v, c * size);
    if (!w) {
        fputs("sinew batch: out of memory\n", stderr);
        exit(EXIT_ERRORS);
    }
    *cap = c;
    return w;
}

/* Index this case's facts by id (ids start again at 1 after a reset). */
static void index_facts(batch *b)
{
    size_t need = 0;
    for (sn_fact *f = sn_fact_next(b->e, NULL); f; f = sn_fact_next(b->e, f))
        if (sn_fact_id(f) > need)
            need = sn_fact_id(f);
    if (need > b->nbyid) {
        size_t n = b->nbyid ? b->nbyid : 64;
        while (n < need)
            n *= 2;
        sn_fact **w = realloc(b->byid, n * sizeof *w);
        if (w)
            b->byid = w;
        size_t *t = realloc(b->text_at, n * sizeof *t);
        if (t)
            b->text_at = t;
        size_t *l = realloc(b->text_len, n * sizeof *l);
        if (l)
            b->text_len = l;
        size_t *oa = realloc(b->obj_at, n * sizeof *oa);
        if (oa)
            b->obj_at = oa;
        size_t *ol = realloc(b->obj_len, n * sizeof *ol);
        if (ol)
            b->obj_len = ol;
        if (!w || !t || !l || !oa || !ol) {
            fputs("sinew batch: out of memory\n", stderr);
            exit(EXIT_ERRORS);
        }
        b->nbyid = n;
    }
    if (need > 0) { /* with no fact yet, nothing is allocated */
        memset(b->byid, 0, need * sizeof *b->byid);
        memset(b->text_at, 0, need * sizeof *b->text_at);
        memset(b->obj_at, 0, need * sizeof *b->obj_at);
    }
    b->objs.n = 0;
    for (sn_fact *f = sn_fact_next(b->e, NULL); f; f = sn_fact_next(b->e, f))
        b->byid[sn_fact_id(f) - 1] = f;
    b->texts.n = 0;
}

/* Fact ID as a JSON string, formatted once a case; false when it is gone. */
static bool fact_text(batch *b, sbuf *o, uint64_t id)
{
    if (id == 0 || id > b->nbyid || !b->byid[id - 1])
        return false;
    if (!b->text_at[id - 1]) {
        char small[512], *big = NULL;
        const char *text = small;
        if (sn_fact_format(b->byid[id - 1], small, sizeof small) >= sizeof small)
            text = big = sn_fact_text(b->byid[id - 1]); /* rare: a long string */
        size_t at = b->texts.n;
        sb_str(&b->texts, text ? text : "");
        free(big);
        b->text_at[id - 1] = at + 1;
        b->text_len[id - 1] = b->texts.n - at;
    }
    sb_add(o, b->texts.p + b->text_at[id - 1] - 1, b->text_len[id - 1]);
    return true;
}

/* Fact ID as a JSON object: its text (as people read it), its template
 * and its slots (as programs read them); made once a case. */
static void fact_object(batch *b, sbuf *out, uint64_t id)
{
    if (b->obj_at[id - 1]) {
        sb_add(out, b->objs.p + b->obj_at[id - 1] - 1, b->obj_len[id - 1]);
        return;
    }
    const sn_fact *f = b->byid[id - 1];
    const char *tname = sn_fact_template(f);
    size_t h = ((uintptr_t)tname >> 4) & 127;
    if (b->tcache[h].name != tname) {
        b->tcache[h].name = tname;
        b->tcache[h].t = sn_template_find(b->e, tname);
    }
    const sn_template *t = b->tcache[h].t;
    sbuf *o = &b->one;
    o->n = 0;
    SB_LIT(o, "{\"fact\":");
    fact_text(b, o, id);
    SB_LIT(o, ",\"template\":");
    sb_kept(o, &b->kept, tname);
    SB_LIT(o, ",\"slots\":{");
    for (unsigned k = 0; t && k < sn_template_nslots(t); k++) {
        char buf[512];
        const char *v = sn_fact_value(f, k, buf, sizeof buf);
        const char *type = sn_template_slot_type(t, k);
        if (k)
            SB_LIT(o, ",");
        sb_kept(o, &b->kept, sn_template_slot(t, k));
        SB_LIT(o, ":");
        if (strcmp(type, "int") == 0 || strcmp(type, "float") == 0)
            sb_puts(o, v ? v : "null");
        else
            sb_str(o, v ? v : "");
    }
    SB_LIT(o, "}}");
    b->obj_at[id - 1] = b->objs.n + 1;
    b->obj_len[id - 1] = o->n;
    sb_add(&b->objs, o->p, o->n);
    sb_add(out, o->p, o->n);
}

/* A result does not depend on the order of a case's keys (a JSON
 * object has none), so nothing in it is ordered by fact id or firing:
 * conclusions by certainty then text, justifications by rule (advice
 * comes ordered from the engine). */
typedef struct ranked {
    sn_fact *f;
    double cf;
    const char *text;      /* its JSON string, in b->texts */
} ranked;

static int by_cf(const void *a, const void *c)
{
    const ranked *x = a, *y = c;
    if (x->cf != y->cf)
        return x->cf < y->cf ? 1 : -1;
    return strcmp(x->text, y->text);
}

/* A justification and, to order two by one rule, the JSON text of the
 * first fact where their matches differ. */
typedef struct jrank {
    const sn_just *j;
    const batch *b;
} jrank;

static const char *cached_text(const batch *b, uint64_t id)
{
    return id && id <= b->nbyid && b->text_at[id - 1] ? b->texts.p + b->text_at[id - 1] - 1 : "";
}

static int by_rule(const void *a, const void *c)
{
    const jrank *x = a, *y = c;
    const sn_rule *rx = sn_just_rule(x->j), *ry = sn_just_rule(y->j);
    if (rx != ry)
        return strcmp(sn_rule_name(rx), sn_rule_name(ry));
    if (sn_just_cf(x->j) != sn_just_cf(y->j))
        return sn_just_cf(x->j) < sn_just_cf(y->j) ? 1 : -1;
    unsigned n = sn_just_nfacts(x->j) < sn_just_nfacts(y->j) ? sn_just_nfacts(x->j) : sn_just_nfacts(y->j);
    for (unsigned i = 0; i < n; i++) {
        uint64_t fx = sn_just_fact(x->j, i), fy = sn_just_fact(y->j, i);
        if (fx != fy)
            return strcmp(cached_text(x->b, fx), cached_text(y->b, fy));
    }
    return (sn_just_nfacts(x->j) > n) - (sn_just_nfacts(y->j) > n);
}

static void cites_of(sbuf *o, const sn_rule *r)
{
    SB_LIT(o, ",\"cites\":[");
    for (unsigned i = 0; i < sn_rule_ncites(r); i++) {
        if (i)
            SB_LIT(o, ",");
        sb_str(o, sn_rule_cite(r, i));
    }
    SB_LIT(o, "]");
}

/* ,"cites":[...] of rule R, made once (the rule is the key). */
static void cites(batch *b, const sn_rule *r)
{
    size_t h;
    if (!jcache_slot(&b->kept, r, &h)) {
        cites_of(&b->line, r);
        return;
    }
    if (!b->kept.json[h]) {
        sbuf one = {0};
        cites_of(&one, r);
        jcache_set(&b->kept, h, &one);
    }
    sb_add(&b->line, b->kept.json[h], b->kept.len[h]);
}

static void conclusion(batch *b, sn_fact *f)
{
    sbuf *o = &b->line;
    fact_object(b, o, sn_fact_id(f));
    o->n--; /* the object goes on */
    SB_LIT(o, ",\"cf\":");
    sb_cf(o, sn_fact_cf(f));
    if (b->explain) {
        /* the explanation as data: each rule that holds it up */
        SB_LIT(o, ",\"justifications\":[");
        unsigned nj = 0;
        for (const sn_just *j = sn_fact_justs(f); j; j = sn_just_next(j))
            if (sn_just_logical(j) && sn_just_active(j)) {
                b->jranks = room(b->jranks, &b->cap_jranks, nj + 1, sizeof *b->jranks);
                b->jranks[nj++] = (jrank){j, b};
            }
        jrank *js = b->jranks;
        if (nj > 1) {
            /* the texts the order may need, cached before the sort */
            for (unsigned k = 0; k < nj; k++)
                for (unsigned i = 0; i < sn_just_nfacts(js[k].j); i++) {
                    b->scratch.n = 0;
                    fact_text(b, &b->scratch, sn_just_fact(js[k].j, i));
                }
            qsort(js, nj, sizeof *js, by_rule);
        }
        for (unsigned k = 0; k < nj; k++) {
            const sn_just *j = js[k].j;
            sb_puts(o, k ? ",{\"rule\":" : "{\"rule\":");
            sb_kept(o, &b->kept, sn_rule_name(sn_just_rule(j)));
            SB_LIT(o, ",\"cf\":");
            sb_cf(o, sn_just_cf(j));
            SB_LIT(o, ",\"rule_cf\":");
            sb_cf(o, sn_just_rule_cf(j));
            SB_LIT(o, ",\"min_cf\":");
            sb_cf(o, sn_just_min_cf(j));
            SB_LIT(o, ",\"matched\":[");
            bool mfirst = true;
            for (unsigned i = 0; i < sn_just_nfacts(j); i++) {
                uint64_t id = sn_just_fact(j, i);
                if (id == 0 || id > b->nbyid || !b->byid[id - 1])
                    continue;
                if (!mfirst)
                    SB_LIT(o, ",");
                mfirst = false;
                fact_object(b, o, id);
            }
            SB_LIT(o, "]");
            cites(b, sn_just_rule(j));
            SB_LIT(o, "}");
        }
        SB_LIT(o, "]");
    }
    SB_LIT(o, "}");
}

/* The result of the case that just ran, as one line. ID is its id,
 * already JSON. */
static void result(batch *b, unsigned long line, const char *id, uint64_t fired, sn_stop stop,
                   const char *extra)
{
    sbuf *o = &b->line;
    sn_engine *e = b->e;
    index_facts(b);
    SB_LIT(o, "{\"schema\":\"sinew.result/1\",\"id\":");
    sb_puts(o, id);
    SB_LIT(o, ",\"line\":");
    sb_num(o, line);
    SB_LIT(o, ",\"fired\":");
    sb_num(o, fired);
    if (stop == SN_STOP_ERROR) {
        SB_LIT(o, ",\"error\":");
        sb_str(o, sn_errmsg(e));
    } else if (stop == SN_STOP_INTERRUPT) {
        SB_LIT(o, ",\"error\":\"interrupted (Ctrl-C): the case did not finish\"");
    }
    /* conclusions at or above the threshold, most certain first */
    size_t n = 0;
    for (sn_fact *f = sn_fact_next(e, NULL); f; f = sn_fact_next(e, f))
        if (sn_fact_concluded(f) && sn_fact_cf(f) >= sn_threshold(e)) {
            b->scratch.n = 0;
            fact_text(b, &b->scratch, sn_fact_id(f)); /* into the cache */
            b->ranked = room(b->ranked, &b->cap_ranked, n + 1, sizeof *b->ranked);
            b->ranked[n++] = (ranked){f, sn_fact_cf(f), NULL};
        }
    ranked *v = b->ranked;
    for (size_t i = 0; i < n; i++) /* the cache holds still now */
        v[i].text = b->texts.p + b->text_at[sn_fact_id(v[i].f) - 1] - 1;
    if (n > 1) /* with no conclusion yet, V is NULL */
        qsort(v, n, sizeof *v, by_cf);
    for (int pass = 0; pass < 2; pass++) {
        sb_puts(o, pass == 0 ? ",\"red_flags\":[" : "],\"conclusions\":[");
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if (sn_fact_red_flag(v[i].f) != (pass == 0))
                continue;
            if (!first)
                SB_LIT(o, ",");
            first = false;
            conclusion(b, v[i].f);
        }
    }
    SB_LIT(o, "],\"recommendations\":[");
    unsigned nr = sn_recommendations(e, NULL, NULL, 0);
    size_t cap = b->cap_recs;
    b->rec_texts = room(b->rec_texts, &cap, nr, sizeof *b->rec_texts);
    cap = b->cap_recs;
    b->rec_rules = room(b->rec_rules, &cap, nr, sizeof *b->rec_rules);
    b->cap_recs = cap;
    const char **texts = b->rec_texts;
    const sn_rule **rules = b->rec_rules;
    sn_recommendations(e, texts, rules, nr);
    for (unsigned i = 0; i < nr; i++) {
        sb_puts(o, i ? ",{\"text\":" : "{\"text\":");
        sb_str(o, texts[i]);
        SB_LIT(o, ",\"rule\":");
        sb_kept(o, &b->kept, sn_rule_name(rules[i]));
        cites(b, rules[i]);
        SB_LIT(o, "}");
    }
    SB_LIT(o, "]");
    if (extra)
        sb_puts(o, extra);
    SB_LIT(o, "}\n");
    flush_line(b);
}

batch *batch_new(sn_engine *e, FILE *out, bool explain)
{
    batch *b = calloc(1, sizeof *b);
    if (b) {
        b->e = e;
        b->out = out;
        b->explain = explain;
    }
    return b;
}

void batch_result(batch *b, const char *id, unsigned long line, uint64_t fired, sn_stop stop,
                  const char *extra)
{
    sbuf ib = {0};
    sb_str(&ib, id);
    sb_grow(&ib, 1);
    ib.p[ib.n] = '\0';
    result(b, line, ib.p, fired, stop, extra);
    free(ib.p);
}

static void batch_fini(batch *b)
{
    free(b->scratch.p);
    free(b->ranked);
    free(b->jranks);
    free(b->rec_texts);
    free(b->rec_rules);
    free(b->line.p);
    free(b->texts.p);
    free(b->text_at);
    free(b->text_len);
    free(b->objs.p);
    free(b->obj_at);
    free(b->obj_len);
    free(b->one.p);
    free(b->byid);
    free(b->facts);
    jcache_free(&b->kept);
}

void batch_free(batch *b)
{
    if (!b)
        return;
    batch_fini(b);
    free(b);
}

static void one_line(batch *b, const char *text, size_t len, unsigned long line)
{
    json_error_t jerr;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        char msg[320];
        if (strstr(jerr.text, "JSON_ALLOW_NUL")) /* Jansson names its flag */
            snprintf(msg, sizeof msg, "column %d: a NUL character (\\u0000) in a string is not allowed",
                     jerr.column);
        else
            snprintf(msg, sizeof msg, "column %d: %s", jerr.column, jerr.text);
        error_record(b, line, NULL, msg);
        return;
    }
    json_t *id = json_is_object(obj) ? json_object_get(obj, "id") : NULL;
    char err[320];
    if (!json_is_object(obj)) {
        error_record(b, line, NULL, "a case is a JSON object: {\"id\": ..., \"finding\": value, ...}");
    } else if (id && !json_is_string(id) && !json_is_integer(id)) {
        error_record(b, line, NULL, "\"id\" is a string or an integer");
    } else if (!read_case(b, obj, err, sizeof err)) {
        error_record(b, line, id, err);
    } else {
        bool ok = sn_reset(b->e) == SN_OK;
        const char *bad = NULL;
        if (!ok)
            snprintf(err, sizeof err, "%s", sn_errmsg(b->e));
        for (size_t i = 0; i < b->nfacts && ok; i++) {
            const pending *p = &b->facts[i];
            bad = p->tmpl;
            /* slot:value objects: the slots of one fact set together */
            size_t k = i;
            while (p->slot && k + 1 < b->nfacts && b->facts[k + 1].slot && !b->facts[k + 1].first_slot &&
                   b->facts[k + 1].tmpl == p->tmpl)
                k++;
            if (k > i) {
                const char *slots[64];
                sn_value vals[64];
                unsigned n = 0;
                for (size_t j = i; j <= k && n < 64; j++, n++) {
                    slots[n] = b->facts[j].slot;
                    vals[n] = b->facts[j].v;
                }
                ok = sn_assert_slots(b->e, p->tmpl, slots, vals, n, NULL, err, sizeof err) ==
                     SN_OK;
                i = k;
            } else {
                ok = sn_assert_slot(b->e, p->tmpl, p->slot, p->v, NULL, err, sizeof err) == SN_OK;
            }
            if (!ok)
                snprintf(err, sizeof err, "%s", sn_errmsg(b->e));
        }
        if (!ok) {
            /* what was asserted goes at the next reset: nothing of this
             * case is kept */
            char msg[400];
            if (bad)
                snprintf(msg, sizeof msg, "\"%s\": %s", bad, err);
            else
                snprintf(msg, sizeof msg, "%s", err);
            error_record(b, line, id, msg);
        } else {
            uint64_t fired;
            sn_stop stop;
            sn_run(b->e, -1, &fired, &stop);
            sbuf ib = {0};
            sb_id(&ib, id ? id : json_null());
            sb_grow(&ib, 1);
            ib.p[ib.n] = '\0';
            result(b, line, ib.p, fired, stop, NULL);
            free(ib.p);
            b->cases++;
        }
    }
    json_decref(obj);
    line_used = 0; /* every value of the line is gone */
}

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

int cmd_batch(int argc, char **argv, const char *def)
{
    double threshold = 0.2;
    bool explain = true;
    unsigned long long max_firings = SN_MAX_FIRINGS, max_memory = 0;
    cli_parse p;
    cli_begin(&p, "batch", argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        char *end;
        switch (c) {
        case 't':
            threshold = strtod(p.arg, &end);
            if (*end || end == p.arg || !(threshold >= -1 && threshold <= 1)) /* nan is neither */
                return cli_usage("batch", "--threshold is a number in -1 .. 1, not '%s'", p.arg);
            break;
        case 'n': explain = false; break;
        case 'M':
            if (!cli_count_parse(p.arg, &max_firings))
                return cli_usage("batch", "--max-firings is a whole number of firings, not '%s'", p.arg);
            break;
        case 'X':
            if (!cli_size_parse(p.arg, &max_memory))
                return cli_usage("batch", "--max-memory is a size in bytes (or with K, M, G), not '%s'",
                                 p.arg);
            break;
        case CLI_EXIT: return p.status;
        }
    }
    int first = p.optind;
    sn_engine *e = sn_new();
    if (!e)
        return EXIT_ERRORS;
    sn_set_output(e, NULL); /* rules' print output is not part of a result */
    sn_set_threshold(e, threshold); /* a new engine has the memory for this */
    sn_set_recording(e, explain);
    sn_set_max_firings(e, max_firings);
    sn_set_memory_limit(e, (size_t)max_memory);
    const char *one[] = {def};
    sn_report r = {0};
    bool ok = (argc > first ? sn_load_files(e, (const char *const *)argv + first,
                                            (unsigned)(argc - first), &r)
                             : sn_load_files(e, one, 1, &r)) == SN_OK;
    fputs(r.text ? r.text : "", stderr);
    sn_report_free(&r);
    if (!ok) {
        fprintf(stderr, "sinew batch: nothing loaded\n");
        sn_free(e);
        return EXIT_ERRORS;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    /* Ctrl-C stops the case running (its line says so) and the reading;
     * what was written is flushed whole and counted */
    interrupted = 0;
    sn_set_interrupt(e, &interrupted);
    struct sigaction sa = {.sa_handler = on_sigint}, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old); /* no SA_RESTART: a waiting read returns */
    unsigned long long cases, errors;
    batch_lines(e, stdin, stdout, explain, &interrupted, &cases, &errors);
    sigaction(SIGINT, &old, NULL);
    bool written = fflush(stdout) == 0 && !ferror(stdout);
    fprintf(stderr, "sinew batch: %llu case%s, %llu error%s%s\n", cases, cases == 1 ? "" : "s", errors,
            errors == 1 ? "" : "s", interrupted ? " (interrupted: the rest was not read)" : "");
    sn_free(e);
    if (interrupted)
        return 130;
    return errors || !written ? EXIT_ERRORS : 0;
}

void batch_lines(sn_engine *e, FILE *in, FILE *out, bool explain, volatile sig_atomic_t *stop,
                 unsigned long long *cases, unsigned long long *errors)
{
    line_arena = malloc(LINE_ARENA);
    json_set_alloc_funcs(line_alloc, line_free);
    batch b = {.e = e, .out = out, .explain = explain};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    while (!(stop && *stop) && (len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t k = 0;
        while (k < (size_t)len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == (size_t)len)
            continue; /* a blank line is no case */
        one_line(&b, line, (size_t)len, lineno);
    }
    free(line);
    batch_fini(&b);
    json_set_alloc_funcs(malloc, free);
    free(line_arena);
    line_arena = NULL;
    *cases = b.cases;
    *errors = b.errors;
}
