/* load.c — text into the engine: rule files, typed facts, patterns.
 *
 * The engine keeps a check environment (grammar/check.h) and the sources
 * it loaded. A load parses and checks only its own text against that
 * environment, compiles it, and then commits: on any error the
 * environment's transaction is rolled back and the sources it added are
 * dropped, so the engine is as it was. A typed fact, a query or a whynot
 * pattern is parsed and checked alone the same way, always rolled back,
 * and compiled into a scratch arena freed on return: what it costs does
 * not grow with the knowledge base, and it leaves nothing behind but the
 * facts it asserts.
 */
#include <stdlib.h>
#include <string.h>

#include "../grammar/diag.h"
#include "../grammar/dump.h"
#include "../grammar/front.h"
#include "../grammar/sources.h"
#include "alloc.h"
#include "compile.h"
#include "engine.h"
#include "eval.h"
#include "internal.h"
#include "load.h"
#include "network.h"
#include "tms.h"
#include "wm.h"

void sn_report_free(sn_report *r)
{
    if (!r)
        return;
    for (unsigned i = 0; i < r->n; i++) {
        free((char *)r->items[i].file);
        free((char *)r->items[i].message);
    }
    free(r->items);
    free(r->text);
    memset(r, 0, sizeof *r);
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p)
        engine_out_of_memory();
    return p;
}

/* Diagnostics about files from FIRST on go into R, rendered in colour
 * with COLOR. */
void fill_report_as(sn_report *r, const srcset *src, diag_list *d, uint32_t first,
                           bool color)
{
    if (!r)
        return;
    sn_report_free(r);
    diag_sort(d);
    r->items = calloc(d->n + 1, sizeof *r->items);
    if (!r->items)
        engine_out_of_memory();
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    for (unsigned i = 0; i < d->n; i++) {
        const diag *x = &d->items[i];
        if (x->has_span && x->sp.file < first)
            continue;
        sn_diag *o = &r->items[r->n++];
        o->error = x->severity == DIAG_ERROR;
        snprintf(o->code, sizeof o->code, "%s", diag_code_name(x->code));
        if (x->has_span) {
            const src_file *f = srcset_file(src, x->sp.file);
            o->file = xstrdup(f->name);
            src_position(f, x->sp.start, &o->line, &o->col);
            src_position(f, x->sp.end, &o->end_line, &o->end_col);
        } else {
            o->file = xstrdup(x->file);
        }
        o->message = xstrdup(x->msg);
        if (o->error)
            r->nerrors++;
        else
            r->nwarnings++;
        if (ms)
            diag_render(ms, src, x, color);
    }
    if (ms)
        fclose(ms);
    r->text = text ? text : xstrdup("");
}

static void fill_report(sn_report *r, const srcset *src, diag_list *d, uint32_t first)
{
    fill_report_as(r, src, d, first, false);
}

void standalone_init(standalone *s)
{
    memset(s, 0, sizeof *s);
    mem_init(&s->mem);
    srcset_init(&s->src, &s->mem);
    diag_list_init(&s->d, &s->mem);
}

void standalone_build(standalone *s, uint32_t first, unsigned n, const char *name)
{
    s->env = check_env_new(&s->mem);
    s->prog = s->env ? front_build(&s->mem, s->env, &s->src, first, n, &s->d, FRONT_PROGRAM)
                     : NULL;
    if (!s->env)
        diag_add_file(&s->d, DIAG_ERROR, E_NOMEM, name, "out of memory");
}

bool standalone_end(standalone *s, sn_report *r, bool color)
{
    bool ok = s->d.nerrors == 0;
    sn_report scratch = {0};
    fill_report_as(r ? r : &scratch, &s->src, &s->d, 0, color);
    sn_report_free(&scratch);
    ast_program_free(s->prog);
    check_env_free(s->env);
    diag_list_fini(&s->d);
    srcset_fini(&s->src);
    mem_fini(&s->mem);
    return ok;
}

bool sn_check_files(const char *const *paths, unsigned n, unsigned flags, FILE *ast_out,
                    const char *sources_dir, sn_report *r, sn_check_result *res)
{
    standalone s;
    standalone_init(&s);
    uint32_t first;
    unsigned nfiles = front_read(&s.src, paths, n, &first, &s.d);
    standalone_build(&s, first, nfiles, n ? paths[0] : "");
    unsigned quotes = 0;
    if (sources_dir && s.prog && s.d.nerrors == 0)
        quotes = sources_quotes(s.prog, &s.src, sources_dir, &s.d);
    if (res) {
        memset(res, 0, sizeof *res);
        res->files = nfiles;
        res->quotes = quotes;
        for (const ast_decl *x = s.prog ? s.prog->decls : NULL; x; x = x->next) {
            res->templates += x->kind == DECL_TEMPLATE;
            res->rules += x->kind == DECL_RULE;
            res->facts_blocks += x->kind == DECL_FACTS;
            res->asks += x->kind == DECL_ASK;
            res->cases += x->kind == DECL_CASE;
        }
        for (unsigned i = 0; i < s.d.n; i++)
            res->syntax_errors |= (s.d.items[i].code < E_UNKNOWN_TEMPLATE && s.d.items[i].code != E_IO) ||
                                  (s.d.items[i].code >= E_CLIPS_NOT && s.d.items[i].code <= E_NAME_DASH);
    }
    if ((flags & SN_CHECK_AST) && s.prog && ast_out)
        ast_dump(ast_out, s.prog);
    return standalone_end(&s, r, flags & SN_CHECK_COLOR);
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(struct rule *const *)a)->name->text, (*(struct rule *const *)b)->name->text);
}

/* Number the rules in name order: orders that go by name compare numbers. */
static void rank_rules(engine *e)
{
    struct rule **v = e_alloc(e, (e->nrules + 1) * sizeof *v);
    uint32_t n = 0;
    for (struct rule *r = e->rules; r; r = r->next)
        if (!r->removed && n < e->nrules)
            v[n++] = r;
    qsort(v, n, sizeof *v, by_name);
    for (uint32_t i = 0; i < n; i++)
        v[i]->rank = i;
    e_free(e, v);
}

/* Files [FIRST, end) of the engine's sources were just added: parse and
 * check them against what is loaded, then compile and commit, or forget
 * them. D holds what reading them said. */
static bool load_new(engine *e, uint32_t first, diag_list *d, sn_report *r)
{
    ast_program *prog = NULL;
    if (d->nerrors == 0)
        prog = front_build(&e->mem, e->env, &e->src, first, e->src.nfiles - first, d,
                           FRONT_PROGRAM);
    /* Ctrl-C while reading, parsing or checking: nothing is kept */
    if (prog && d->nerrors == 0 && e->interrupt && *e->interrupt) {
        const char *name = first < e->src.nfiles ? srcset_file(&e->src, first)->name : "<input>";
        diag_add_file(d, DIAG_ERROR, E_INTERRUPTED, name, "interrupted: nothing was loaded");
    }
    bool ok = prog && d->nerrors == 0;
    fill_report(r, &e->src, d, first);
    if (ok) {
        compile_program(e, prog, &e->src);
        check_env_commit(e->env);
        rank_rules(e);
        engine_quiesce(e);
    } else {
        check_env_rollback(e->env);
        srcset_truncate(&e->src, first);
    }
    ast_program_free(prog);
    return ok;
}

bool sn_load_files(sn_engine *e, const char *const *paths, unsigned n, sn_report *r)
{
    uint32_t first = e->src.nfiles, ignored;
    diag_list d;
    diag_list_init(&d, &e->mem);
    front_read(&e->src, paths, n, &ignored, &d);
    bool ok = load_new(e, first, &d, r);
    diag_list_fini(&d);
    return ok;
}

bool sn_load_string(sn_engine *e, const char *name, const char *text, size_t len, sn_report *r)
{
    uint32_t first = e->src.nfiles;
    if (srcset_add(&e->src, name ? name : "<string>", text, len) < 0)
        engine_out_of_memory();
    diag_list d;
    diag_list_init(&d, &e->mem);
    bool ok = load_new(e, first, &d, r);
    diag_list_fini(&d);
    return ok;
}

/* TEXT, what the user typed, parsed in MODE (as a facts block or a rule's
 * one condition) and checked against what is loaded; the environment is
 * left as it was. On success X->prog holds it and X->decl its
 * declaration; R gets only errors (a typed fact's warnings are not worth
 * saying). extra_end frees it all. */
typedef struct extra {
    ast_program *prog;
    const ast_decl *decl;
    uint32_t file;
} extra;

/* Parse and check file X->file (just added to the engine's sources, with
 * what reading it said in D) in MODE; see extra_parse. */
static bool extra_build(engine *e, extra *x, diag_list *d, sn_report *r, front_mode mode)
{
    x->decl = NULL;
    x->prog = NULL;
    if (d->nerrors == 0)
        x->prog = front_build(&e->mem, e->env, &e->src, x->file, e->src.nfiles - x->file, d, mode);
    check_env_rollback(e->env);
    if (!x->prog || d->nerrors > 0) {
        fill_report(r, &e->src, d, x->file);
        ast_program_free(x->prog);
        x->prog = NULL;
    } else {
        sn_report_free(r);
        x->decl = x->prog->decls;
    }
    if (x->prog && !x->decl) {
        ast_program_free(x->prog);
        x->prog = NULL;
    }
    if (!x->prog)
        srcset_truncate(&e->src, x->file);
    return x->prog != NULL;
}

static bool extra_parse(engine *e, extra *x, const char *name, const char *text, size_t len,
                        sn_report *r, front_mode mode)
{
    x->file = e->src.nfiles;
    if (srcset_add(&e->src, name, text, len) < 0)
        engine_out_of_memory();
    diag_list d;
    diag_list_init(&d, &e->mem);
    bool ok = extra_build(e, x, &d, r, mode);
    diag_list_fini(&d);
    return ok;
}

static void extra_end(engine *e, extra *x)
{
    if (!x->prog)
        return;
    ast_program_free(x->prog);
    x->prog = NULL;
    srcset_truncate(&e->src, x->file);
}

/* Assert the facts of TEXT (LEN bytes), checked as a facts block; the
 * first MAX of them in OUT (NULL there for one truth maintenance withdrew
 * at once), the last one in *LAST. */
static long assert_text(engine *e, const char *name, const char *text, size_t len, sn_report *r,
                        sn_fact **out, size_t max, sn_fact **last)
{
    extra x;
    long n = -1;
    *last = NULL;
    if (extra_parse(e, &x, name, text, len, r, FRONT_FACTS) && x.decl->kind == DECL_FACTS) {
        n = 0;
        for (const ast_fact *af = x.decl->u.facts.facts; af; af = af->next) {
            struct tmpl *t = tmpl_of(e, af->tmpl_id);
            value *vals = e_alloc(e, (t->nslots + 1) * sizeof *vals);
            arena_mark m = arena_get_mark(x.prog->scratch);
            bool ok = facts_from_ast(e, ast_fact_open(af, x.prog->scratch), vals, &t);
            arena_rollback(x.prog->scratch, m);
            if (ok) {
                *last = fact_assert(e, t, vals, SN_ORIGIN_TYPED, NULL, NULL);
                if (out && (size_t)n < max)
                    out[n] = *last;
                n++;
            }
            e_free(e, vals);
        }
        engine_quiesce(e);
    }
    extra_end(e, &x);
    if (*last && !(*last)->live)
        *last = NULL;
    for (long i = 0; out && i < n && (size_t)i < max; i++)
        if (out[i] && !out[i]->live)
            out[i] = NULL;
    return n;
}

sn_fact *sn_assert_string(sn_engine *e, const char *text, sn_report *r)
{
    sn_fact *last;
    assert_text(e, "<input>", text, strlen(text), r, NULL, 0, &last);
    return last;
}

long sn_assert_facts(sn_engine *e, const char *name, const char *text, size_t len, sn_fact **out,
                     size_t max, sn_report *r)
{
    sn_fact *last;
    return assert_text(e, name, text, len, r, out, max, &last);
}

/* The given facts of the last case in X, asserted as a case's (working
 * memory reset to the facts blocks first); its name into NAME. */
static bool resume_case(engine *e, const extra *x, char *name, size_t size)
{
    const ast_case *c = NULL;
    for (const ast_decl *d = x->decl; d; d = d->next)
        if (d->kind == DECL_CASE)
            c = &d->u.kase;
    if (!c)
        return false;
    snprintf(name, size, "%.*s", (int)c->name.len, c->name.text);
    wm_clear(e);
    engine_assert_given(e, e->facts_blocks, SN_ORIGIN_FACTS);
    for (const ast_fact *af = c->given; af; af = af->next) {
        struct tmpl *t = tmpl_of(e, af->tmpl_id);
        value *vals = e_alloc(e, (t->nslots + 1) * sizeof *vals);
        if (facts_from_ast(e, af, vals, &t))
            fact_assert(e, t, vals, SN_ORIGIN_CASE, NULL, NULL);
        e_free(e, vals);
    }
    engine_quiesce(e);
    return true;
}

bool sn_case_resume(sn_engine *e, const char *path, char *name, size_t size, sn_report *r)
{
    extra x = {.file = e->src.nfiles};
    diag_list d;
    diag_list_init(&d, &e->mem);
    uint32_t first;
    front_read(&e->src, &path, 1, &first, &d);
    bool ok = extra_build(e, &x, &d, r, FRONT_PROGRAM) && resume_case(e, &x, name, size);
    extra_end(e, &x);
    diag_list_fini(&d);
    return ok;
}

bool pattern_open(engine *e, const char *pattern, sn_report *r, typed_pattern *tp)
{
    extra x;
    memset(tp, 0, sizeof *tp);
    if (!extra_parse(e, &x, "<pattern>", pattern, strlen(pattern), r, FRONT_PATTERN))
        return false;
    const ast_decl *d = x.decl;
    if (d->kind != DECL_RULE || !d->u.rule.conds || d->u.rule.conds->kind != CE_PATTERN ||
        d->u.rule.conds->next) {
        extra_end(e, &x);
        if (r) {
            sn_report_free(r);
            r->nerrors = 1;
            r->text = xstrdup("expected one pattern, like diagnosis(name: hip_bursitis)\n");
        }
        return false;
    }
    tp->prog = x.prog;
    tp->file = x.file;
    tp->pat = &d->u.rule.conds->u.pat;
    tp->t = tmpl_of(e, tp->pat->tmpl_id);
    /* what the pattern compiles to lives only as long as it */
    tp->code = arena_new(&e->mem);
    if (!tp->code)
        engine_out_of_memory();
    arena *keep = e->code;
    e->code = tp->code;
    tp->test = compile_pattern_test(e, tp->pat, d->u.rule.nvars, &tp->tests_cf);
    e->code = keep;
    return true;
}

void pattern_close(engine *e, typed_pattern *tp)
{
    extra x = {.prog = tp->prog, .file = tp->file};
    extra_end(e, &x);
    arena_free(tp->code);
    memset(tp, 0, sizeof *tp);
}

bool pattern_matches(engine *e, const typed_pattern *tp, const struct fact *f)
{
    if (f->t != tp->t)
        return false;
    if (tp->test) {
        ectx c = {.e = e, .f = f};
        if (!cx_truth(cx_eval(&c, tp->test)) || c.failed)
            return false;
    }
    return true;
}

long sn_query(sn_engine *e, const char *pattern, sn_fact **out, size_t max, sn_report *r)
{
    typed_pattern tp;
    if (!pattern_open(e, pattern, r, &tp))
        return -1;
    long count = 0;
    for (struct fact *f = tp.t->first; f; f = f->tnext)
        if ((tp.tests_cf || f->cf >= e->threshold) && pattern_matches(e, &tp, f)) {
            if ((size_t)count < max)
                out[count] = f;
            count++;
        }
    pattern_close(e, &tp);
    return count;
}

/* A rule leaves: its activations go and the network forgets its nodes; what
 * it concluded is withdrawn (the nodes' tokens die). */
bool sn_remove_rule(sn_engine *e, const char *name)
{
    struct rule *r = (struct rule *)sn_rule_find(e, name);
    if (!r)
        return false;
    r->removed = true;
    for (uint32_t i = 0; i < r->nprods; i++)
        node_release(e, r->prods[i]->term);
    e->nrules--;
    engine_quiesce(e);
    return true;
}

/* Letters, digits and _, not starting with a digit: a name a rule can call. */
static bool function_name(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

bool sn_define_function(sn_engine *e, const char *name, int min_args, int max_args, sn_function fn,
                        void *ctx)
{
    if (!name || !fn || !function_name(name) || min_args < 0 ||
        (max_args >= 0 && max_args < min_args))
        return false;
    if (e->nfns == e->capfns) {
        uint32_t cap = e->capfns ? e->capfns * 2 : 8;
        e->fns = e_realloc(e, e->fns, cap * sizeof *e->fns);
        e->capfns = cap;
    }
    if (!check_env_add_function(e->env, name, min_args, max_args, FN_COUNT_ + e->nfns))
        return false;
    userfn *u = &e->fns[e->nfns++];
    u->name = mem_strndup(&e->mem, name, strlen(name));
    if (!u->name)
        engine_out_of_memory();
    u->min_args = min_args;
    u->max_args = max_args;
    u->fn = fn;
    u->ctx = ctx;
    return true;
}
