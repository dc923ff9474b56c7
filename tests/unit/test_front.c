/* test_front.c — the front end's load boundary, memory and line tables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "front.h"
#include "mem.h"
#include "source.h"
#include "unit.h"
#if ARENA_REDZONE > 0
#include <sanitizer/asan_interface.h>
#endif

static const char good[] =
    "template pain { site: symbol  onset: symbol = gradual  severity: int = 0 }\n"
    "template diagnosis { name: symbol }\n"
    "ask pain.site \"Where is the pain?\" posterior_thigh, groin # allow W007\n"
    "facts { pain(site: groin) }\n"
    "rule r \"doc\" cites \"a.txt\" salience 5\n"
    "when\n"
    "    ?f <- pain(site: posterior_thigh, severity: ?s & > 3)\n"
    "    not diagnosis(name: strain)\n"
    "    test ?s * 2 < 20 || ?s == 10\n"
    "then\n"
    "    conclude diagnosis(name: strain) cf 0.7\n"
    "    modify ?f (severity: ?s + 1)\n"
    "    print concat(\"s=\", ?s)\n"
    "end\n"
    "case c given pain(site: posterior_thigh, severity: 5) expect diagnosis(name: strain) end\n";

static const char bad[] =
    "template pain { site: symbol }\n"
    "rule r1 when pain(site: ?x) then assert nope(a: ?y) end\n"
    "rule r2 when pain(site: ) then halt end\n"
    "rule r3 when pain(site: \"unterminated\n";

/* One load of one text: the memory, the sources, the diagnostics and the
 * program, made and freed together. */
typedef struct load {
    sn_mem m;
    check_env *env;
    srcset src;
    diag_list d;
    ast_program *p;
} load;

static void load_text(load *l, const char *text)
{
    mem_init(&l->m);
    srcset_init(&l->src, &l->m);
    diag_list_init(&l->d, &l->m);
    srcset_add(&l->src, "t.sinew", text, strlen(text));
    l->env = check_env_new(&l->m);
    l->p = front_build(&l->m, l->env, &l->src, 0, 1, &l->d, FRONT_PROGRAM);
}

static void load_free(load *l)
{
    ast_program_free(l->p);
    check_env_free(l->env);
    diag_list_fini(&l->d);
    srcset_fini(&l->src);
    CHECK_EQ_INT(l->m.used, 0); /* everything the load made is gone */
}

/* Parse TEXT with the Nth allocation (and all after it) failing. Returns 1
 * when the load completed, 0 when it ran out of memory; checks that
 * nothing leaked either way. */
static int load_failing_at(const char *text, long n, unsigned *errors)
{
    sn_mem m;
    mem_init(&m);
    srcset src;
    srcset_init(&src, &m);
    diag_list d;
    diag_list_init(&d, &m);
    int idx = srcset_add(&src, "t.sinew", text, strlen(text));
    CHECK(idx == 0);
    check_env *env = check_env_new(&m);
    CHECK(env != NULL);
    m.fail_after = (long)m.count + n;
    ast_program *p = front_build(&m, env, &src, 0, 1, &d, FRONT_PROGRAM);
    int done = p != NULL;
    if (!done) {
        /* out of memory is reported (E008), not silent, when there was
         * memory left to record it */
        CHECK(d.nerrors > 0);
        bool said = d.n == 0;
        for (unsigned i = 0; i < d.n; i++)
            said |= d.items[i].code == E_NOMEM;
        CHECK(said || d.n < d.nerrors);
    }
    *errors = d.nerrors;
    ast_program_free(p);
    check_env_rollback(env);
    check_env_free(env);
    diag_list_fini(&d);
    srcset_fini(&src);
    CHECK_EQ_INT(m.used, 0);
    return done;
}

/* Every allocation of a load fails in turn: each is reported and leaks
 * nothing, and the load finally succeeds with the same result. */
static void every_failure_point(const char *text, unsigned want_errors)
{
    unsigned errors = 0;
    long n = 0;
    while (!load_failing_at(text, n, &errors) && n < 100000)
        n++;
    CHECK(n > 0);
    CHECK_EQ_INT(errors, want_errors);
}

TEST(oom_good_program) { every_failure_point(good, 0); }

TEST(oom_bad_program) { every_failure_point(bad, 2); }

TEST(good_program_checks_clean)
{
    load l;
    load_text(&l, good);
    ast_program *p = l.p;
    CHECK(p != NULL);
    CHECK_EQ_INT(l.d.nerrors, 0);
    CHECK_EQ_INT(l.d.nwarnings, 0);
    if (!p)
        return;
    CHECK_EQ_INT(p->ndecls, 6);
    const ast_decl *x = p->decls;
    while (x && x->kind != DECL_RULE)
        x = x->next;
    CHECK(x != NULL);
    if (x) {
        const ast_rule *r = &x->u.rule;
        CHECK_STR(r->name.text, "r");
        CHECK_STR(r->doc.text, "doc");
        CHECK(r->salience && r->salience->u.i == 5);
        CHECK(r->conds && r->conds->kind == CE_PATTERN);
        CHECK(r->conds->u.pat.binding != NULL);
        CHECK_STR(r->conds->u.pat.binding->text, "f");
        CHECK(r->conds->next && r->conds->next->kind == CE_NOT);
        const ast_ce *t = r->conds->next->next;
        CHECK(t && t->kind == CE_TEST && t->u.test->kind == EX_BINARY &&
              t->u.test->u.op.op == OP_OR);
        /* the span of the rule's first pattern is its source text */
        span sp = r->conds->sp;
        CHECK_EQ_INT(sp.end - sp.start, strlen("?f <- pain(site: posterior_thigh, severity: ?s & > 3)"));
    }
    load_free(&l);
}

TEST(bad_program_reports_every_declaration)
{
    load l;
    load_text(&l, bad);
    CHECK(l.p != NULL);
    /* r2's syntax error, r3's unterminated string; checks wait for a clean parse */
    CHECK_EQ_INT(l.d.nerrors, 2);
    diag_sort(&l.d);
    CHECK(l.d.n >= 2 && l.d.items[0].code == E_SYNTAX && l.d.items[1].code == E_UNTERMINATED);
    if (l.d.n >= 1) {
        uint32_t line, col;
        src_position(srcset_file(&l.src, 0), l.d.items[0].sp.start, &line, &col);
        CHECK_EQ_INT(line, 3);
        CHECK_EQ_INT(col, 25);
    }
    load_free(&l);
}

/* A data file: a facts block of many facts of constants. Each is packed as
 * it is parsed (its tree freed), so the program's arena grows by a few
 * hundred bytes a fact, not by its tree; a fact with a computed value or a
 * comment inside keeps its tree; opening a packed fact gives back its
 * values with what the checker resolved. */
TEST(data_facts_are_packed)
{
    enum { N = 2000 };
    size_t size = N * 80 + 400;
    char *text = malloc(size);
    CHECK(text != NULL);
    if (!text)
        return;
    int at = snprintf(text, size, "template item { id: int  a: symbol  b: string  c: float }\n"
                                  "rule r when item(id: ?i, a: x1) then print ?i end\n"
                                  "facts data {\n");
    for (int i = 0; i < N; i++)
        at += snprintf(text + at, size - (size_t)at, "    item(id: %d, a: x%d, b: \"s%d\", c: %d.5)\n", i,
                       i % 7, i, i);
    snprintf(text + at, size - (size_t)at, "    item(id: 1 + 1, c: 2.0)\n    item(id: 7, # note\n a: y)\n}\n");
    load l;
    load_text(&l, text);
    CHECK(l.p != NULL);
    CHECK_EQ_INT(l.d.nerrors, 0);
    const ast_decl *x = l.p ? l.p->decls : NULL;
    while (x && x->kind != DECL_FACTS)
        x = x->next;
    CHECK(x != NULL);
    if (x) {
        unsigned packed = 0, trees = 0, n = 0;
        const ast_fact *last = NULL;
        for (const ast_fact *f = x->u.facts.facts; f; f = f->next, n++) {
            packed += f->packed != NULL && f->args == NULL;
            trees += f->packed == NULL && f->args != NULL;
            if (n == 1234)
                last = f;
        }
        CHECK_EQ_INT(n, N + 2);
        CHECK_EQ_INT(packed, N);
        CHECK_EQ_INT(trees, 2);
        /* a fact's tree is over 1 KB; packed, about 300 bytes (beside the
         * scanner's copy of the text) */
        CHECK(arena_used(l.p->arena) < strlen(text) + (size_t)N * 320);
        if (last) {
            arena_mark m = arena_get_mark(l.p->scratch);
            const ast_fact *u = ast_fact_open(last, l.p->scratch);
            CHECK(u != last && u->args != NULL);
            CHECK_STR(u->tmpl.text, "item");
            CHECK_EQ_INT(u->tmpl_id, 0);
            const ast_slotval *a = u->args;
            CHECK(a && a->value->kind == EX_LIT && a->value->u.lit.u.i == 1234 && a->name.slot == 0);
            a = a ? a->next : NULL;
            CHECK(a && a->name.slot == 1 && a->value->u.lit.type == TY_SYMBOL);
            if (a)
                CHECK_STR(a->value->u.lit.u.s, "x2");
            a = a ? a->next : NULL;
            CHECK(a && a->name.slot == 2 && a->value->u.lit.type == TY_STRING);
            if (a)
                CHECK_STR(a->value->u.lit.u.s, "s1234");
            a = a ? a->next : NULL;
            CHECK(a && a->name.slot == 3 && a->value->u.lit.u.f == 1234.5 && !a->next);
            /* the spans are the text's */
            if (a) {
                uint32_t line, col;
                src_position(srcset_file(&l.src, 0), a->name.sp.start, &line, &col);
                CHECK_EQ_INT(line, 1234 + 4);
                CHECK_EQ_INT(col, 5 + (int)strlen("item(id: 1234, a: x2, b: \"s1234\", "));
            }
            arena_rollback(l.p->scratch, m);
        }
    }
    load_free(&l);
    free(text);
}

TEST(arena_alignment_and_reuse)
{
    sn_mem m;
    mem_init(&m);
    arena *a = arena_new(&m);
    for (int i = 1; i < 2000; i++) {
        char *p = arena_alloc(a, (size_t)(i % 37) + 1);
        CHECK(((uintptr_t)p % ARENA_ALIGN) == 0);
        CHECK(p[0] == 0);
        p[0] = 'x';
    }
#ifndef SINEW_ARENA_MALLOC
    /* no more padding than the alignment: small nodes sit side by side
     * (under SANITIZE=1 each block is its own allocation; under
     * AddressSanitizer alone a poisoned redzone follows each) */
    char *p1 = arena_alloc(a, 8), *p2 = arena_alloc(a, 1), *p3 = arena_alloc(a, 24);
    CHECK(p2 == p1 + 8 + ARENA_REDZONE);
    CHECK(p3 == p2 + ARENA_ALIGN + ARENA_REDZONE);
#if ARENA_REDZONE > 0
    /* a block's bytes are there to be used, the rest of its granule and
     * its redzone are not; nor is what a rollback took back */
    CHECK(!__asan_address_is_poisoned(p2));
    CHECK(__asan_address_is_poisoned(p2 + 1));
    CHECK(__asan_address_is_poisoned(p1 + 8));
    CHECK(__asan_address_is_poisoned(p3 + 24));
    arena_mark mark = arena_get_mark(a);
    char *p4 = arena_alloc(a, 16);
    CHECK(!__asan_address_is_poisoned(p4 + 15));
    arena_rollback(a, mark);
    CHECK(__asan_address_is_poisoned(p4));
#endif
#endif
    char *big = arena_alloc(a, 200000); /* larger than a chunk */
    CHECK(big != NULL && big[199999] == 0);
    CHECK(arena_used(a) >= 200000);
    arena_free(a);
    CHECK_EQ_INT(m.used, 0);
}

TEST(mem_limit_and_counting)
{
    sn_mem m;
    mem_init(&m);
    m.limit = 1000;
    void *p = mem_alloc(&m, 600);
    CHECK(p != NULL);
    CHECK_EQ_INT(m.used, 600);
    CHECK(mem_alloc(&m, 600) == NULL); /* over the limit, no oom target */
    p = mem_realloc(&m, p, 900);
    CHECK(p != NULL);
    CHECK_EQ_INT(m.used, 900);
    CHECK_EQ_INT(m.peak, 900);
    mem_free(&m, p);
    CHECK_EQ_INT(m.used, 0);
    m.fail_after = (long)m.count; /* every allocation from now on fails */
    CHECK(mem_alloc(&m, 1) == NULL);
}

/* With the cache on, small blocks come from slabs and are reused by size;
 * a slab block grown past the small sizes moves out with its bytes; with
 * the cache off a freed slab block is not handed out again. */
TEST(mem_slabs_and_reuse)
{
    sn_mem m;
    mem_init(&m);
    m.cache = 1;
    char *a = mem_alloc(&m, 40), *b = mem_alloc(&m, 40);
    CHECK(a && b && a != b);
    CHECK(m.slabs != NULL);
    memset(a, 'x', 40);
    mem_free(&m, a);
    char *c = mem_alloc(&m, 37); /* the same 8-byte class: a's block again */
    CHECK(c == a);
    memset(c, 'y', 37);
    char *d = mem_realloc(&m, c, 5000); /* out of its slab */
    CHECK(d != NULL && d != c);
    CHECK(d[0] == 'y' && d[36] == 'y');
    CHECK_EQ_INT(m.used, 5000 + 40);
    char *big[400];
    for (int i = 0; i < 400; i++) /* several slabs' worth */
        CHECK((big[i] = mem_alloc(&m, 512)) != NULL);
    for (int i = 0; i < 400; i++)
        mem_free(&m, big[i]);
    m.cache = 0;
    mem_free(&m, b);
    char *e = mem_alloc(&m, 40); /* from malloc: b stays where it was */
    CHECK(e != NULL && e != b);
    mem_free(&m, e);
    mem_free(&m, d);
    CHECK_EQ_INT(m.used, 0);
    mem_fini(&m);
    CHECK(m.slabs == NULL);
}

/* Slab blocks carry one word: a size class that is a multiple of 16
 * bytes is aligned to 16 (what __int128 needs), every block to 8, and a
 * block shrunk into an even class is never handed out for one. */
TEST(mem_slab_alignment)
{
    sn_mem m;
    mem_init(&m);
    m.cache = 1;
    char *v[64];
    for (int i = 0; i < 64; i++) {
        size_t size = (size_t)(i % 32 + 1) * 8 - (size_t)(i % 3); /* every class, not all full */
        v[i] = mem_alloc(&m, size);
        CHECK(v[i] != NULL);
        CHECK((uintptr_t)v[i] % 8 == 0);
        if (((size + 7) / 8) % 2 == 0)
            CHECK((uintptr_t)v[i] % 16 == 0);
        memset(v[i], 'a' + i % 26, size);
    }
    /* each block whole: no neighbour wrote over it */
    for (int i = 0; i < 64; i++) {
        size_t size = (size_t)(i % 32 + 1) * 8 - (size_t)(i % 3);
        CHECK(v[i][0] == 'a' + i % 26 && v[i][size - 1] == 'a' + i % 26);
    }
    /* an odd class's block (8-aligned) shrunk to an even class, freed,
     * then a block of that even class asked for: 16-aligned all the same */
    char *odd = NULL;
    for (int i = 0; i < 8 && !odd; i++) {
        char *x = mem_alloc(&m, 24); /* class 3 */
        if ((uintptr_t)x % 16)
            odd = x;
    }
    CHECK(odd != NULL);
    odd = mem_realloc(&m, odd, 16); /* class 2: fits where it is */
    mem_free(&m, odd);
    char *even = mem_alloc(&m, 16);
    CHECK((uintptr_t)even % 16 == 0);
    mem_fini(&m);
}

/* With max_errors, errors past the limit are counted but not kept, and
 * their notes are not hung on the diagnostic before them. */
TEST(diag_limit_drops_notes_too)
{
    sn_mem m;
    mem_init(&m);
    diag_list d;
    diag_list_init(&d, &m);
    d.max_errors = 1;
    span sp = {0, 1, 0};
    diag_add(&d, DIAG_ERROR, E_SYNTAX, sp, "first");
    diag_note(&d, &sp, "note of the first");
    diag_add(&d, DIAG_ERROR, E_SYNTAX, sp, "second");
    diag_note(&d, &sp, "note of the second");
    diag_add(&d, DIAG_WARNING, W_UNUSED_VAR, sp, "a warning");
    CHECK_EQ_INT(d.nerrors, 2);
    CHECK_EQ_INT(d.n, 2);
    CHECK_EQ_INT(d.items[0].nnotes, 1);
    CHECK_STR(d.items[0].notes[0].msg, "note of the first");
    CHECK_STR(d.items[1].msg, "a warning");
    CHECK_STR(diag_code_name(E_SYNTAX), "E003");
    CHECK_STR(diag_code_name(W_UNUSED_VAR), "W001");
    diag_list_fini(&d);
    CHECK_EQ_INT(m.used, 0);
}

/* Diagnostics along one long line cost the line's length in all: 20,000
 * on a 1 MB line once took minutes (each walked its line from the start,
 * several times). Columns stay exact: an 'é' and a tab before the spans. */
TEST(diagnostics_along_a_long_line)
{
    enum { LONG = 1000000, N = 20000 };
    sn_mem m;
    mem_init(&m);
    srcset src;
    srcset_init(&src, &m);
    char *text = malloc(LONG + 8);
    memcpy(text, "ab\n\xc3\xa9\t", 6);
    memset(text + 6, 'x', LONG);
    text[LONG + 6] = '\n';
    int idx = srcset_add(&src, "t.sinew", text, LONG + 7);
    free(text);
    CHECK(idx == 0);
    FILE *null = fopen("/dev/null", "w");
    diag d = {.severity = DIAG_ERROR, .code = E_SYNTAX, .has_span = true, .msg = "here"};
    clock_t t0 = clock();
    for (unsigned i = 0; i < N && null; i++) {
        d.sp = (span){6 + 50 * i, 6 + 50 * i + 2, 0};
        diag_render(null, &src, &d, false);
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (null)
        fclose(null);
    CHECK(secs < 5.0);
    char *out = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&out, &len);
    d.sp = (span){6 + 50 * (N - 1), 6 + 50 * (N - 1) + 2, 0};
    diag_render(ms, &src, &d, false);
    fclose(ms);
    /* 'é' is one column, the tab one character: column 3 + 50 * (N - 1) */
    CHECK(out && strncmp(out, "t.sinew:2:999953: error[E003]: here\n", 36) == 0);
    CHECK(out && strstr(out, "\n    2 | ...xxxxxxxxxx") != NULL);
    /* the window starts 40 columns before the span, after "..." */
    CHECK(out && strstr(out, "\n      | " "                                           " "^~\n") != NULL);
    free(out);
    srcset_fini(&src);
}

int main(void)
{
    RUN(oom_good_program);
    RUN(oom_bad_program);
    RUN(good_program_checks_clean);
    RUN(bad_program_reports_every_declaration);
    RUN(data_facts_are_packed);
    RUN(arena_alignment_and_reuse);
    RUN(mem_limit_and_counting);
    RUN(mem_slabs_and_reuse);
    RUN(mem_slab_alignment);
    RUN(diag_limit_drops_notes_too);
    RUN(diagnostics_along_a_long_line);
    return UNIT_END();
}
