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
#include "givens.h"
#include "internal.h"
#include "load.h"
#include "network.h"
#include "tms.h"
#include "whatif.h"
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

/* Diagnostics about files from FIRST on go into R, rendered in colour
 * with COLOR. When memory runs out, R keeps the diagnostics copied so far
 * (its counts are all of them) and the text says what is missing. */
void fill_report_as(sn_report *r, const srcset *src, diag_list *d, uint32_t first,
                           bool color)
{
    if (!r)
        return;
    sn_report_free(r);
    diag_sort(d);
    r->items = calloc(d->n + 1, sizeof *r->items);
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    bool whole = r->items && ms;
    for (unsigned i = 0; i < d->n; i++) {
        const diag *x = &d->items[i];
        if (x->has_span && x->sp.file < first)
            continue;
        if (x->severity == DIAG_ERROR)
            r->nerrors++;
        else
            r->nwarnings++;
        if (ms)
            diag_render(ms, src, x, color);
        if (!r->items)
            continue;
        sn_diag *o = &r->items[r->n];
        o->error = x->severity == DIAG_ERROR;
        snprintf(o->code, sizeof o->code, "%s", diag_code_name(x->code));
        const char *file = x->file;
        if (x->has_span) {
            const src_file *f = srcset_file(src, x->sp.file);
            file = f->name;
            src_position(f, x->sp.start, &o->line, &o->col);
            src_position(f, x->sp.end, &o->end_line, &o->end_col);
        }
        o->file = strdup(file ? file : "");
        o->message = strdup(x->msg);
        if (o->file && o->message) {
            r->n++;
        } else {
            free((char *)o->file);
            free((char *)o->message);
            memset(o, 0, sizeof *o);
            whole = false;
        }
    }
    if (ms && fclose(ms) != 0)
        whole = false;
    if (!whole) {
        free(text);
        text = strdup("sinew: out of memory: some diagnostics are missing\n");
    }
    r->text = text;
}

/* The first error of D (what sn_errmsg says of a load that failed). */
static const char *first_error(const diag_list *d)
{
    for (unsigned i = 0; i < d->n; i++)
        if (d->items[i].severity == DIAG_ERROR)
            return d->items[i].msg;
    return "the text has errors";
}

/* What the diagnostics D came to: SN_ERR_NOMEM when reading ran out of
 * memory (E008, or errors counted that there was no memory to keep). */
sn_status diag_status(const diag_list *d)
{
    if (d->nerrors == 0)
        return SN_OK;
    for (unsigned i = 0; i < d->n; i++)
        if (d->items[i].code == E_NOMEM)
            return SN_ERR_NOMEM;
    return d->n == 0 ? SN_ERR_NOMEM : SN_ERR_INPUT;
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

sn_status standalone_end(standalone *s, sn_report *r, bool color)
{
    sn_status ok = diag_status(&s->d);
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

sn_status sn_check_files(const char *const *paths, unsigned n, unsigned flags, FILE *ast_out,
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

/* The first place in OLD[FROM, N) whose rule's name is not before R's. */
static uint32_t place_of(struct rule *const *old, uint32_t from, uint32_t n, struct rule *r)
{
    while (from < n) {
        uint32_t mid = from + (n - from) / 2;
        if (by_name(&old[mid], &r) < 0)
            from = mid + 1;
        else
            n = mid;
    }
    return from;
}

/* Number the rules in name order: orders that go by name compare numbers.
 * The rules from FRESH on were just loaded; the others are in e->by_name
 * already. The new ones are sorted and each is placed by a binary search,
 * so a load costs its own rules' sort and searches, and renumbering the
 * rules after the first place one of them goes (none, when their names
 * sort after every other): a script typing rules in one at a time does
 * not sort every rule again for each. */
static void rank_rules(engine *e, struct rule *fresh)
{
    uint32_t k = 0;
    for (struct rule *r = fresh; r; r = r->next)
        k += !r->removed;
    if (k == 0)
        return;
    uint32_t nold = e->nrules - k; /* ranked already: the live rules but these */
    struct rule *const *old = e->by_name;
    /* the new order, then the new rules sorted (one block: one allocation) */
    struct rule **v = e_alloc(e, ((size_t)nold + 2 * (size_t)k) * sizeof *v);
    struct rule **add = v + nold + k;
    uint32_t n = 0;
    for (struct rule *r = fresh; r; r = r->next)
        if (!r->removed)
            add[n++] = r;
    qsort(add, k, sizeof *add, by_name);
    uint32_t first = place_of(old, 0, nold, add[0]), from = 0, out = 0;
    for (uint32_t j = 0; j < k; j++) {
        uint32_t at = place_of(old, from, nold, add[j]);
        if (at > from)
            memcpy(v + out, old + from, (at - from) * sizeof *v);
        out += at - from;
        from = at;
        v[out++] = add[j];
    }
    if (nold > from)
        memcpy(v + out, old + from, (nold - from) * sizeof *v);
    for (uint32_t x = first; x < nold + k; x++)
        v[x]->rank = x;
    e_free(e, e->by_name);
    e->by_name = v;
}

/* Files [FIRST, end) of the engine's sources were just added: parse and
 * check them against what is loaded, then compile and commit, or forget
 * them. D holds what reading them said. */
static sn_status load_new(engine *e, uint32_t first, diag_list *d, sn_report *r)
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
    sn_status st = d->nerrors ? diag_status(d) : prog ? SN_OK : SN_ERR_NOMEM;
    fill_report(r, &e->src, d, first);
    if (st == SN_OK) {
        struct rule *last = e->rules_last;
        e->compiling = true;
        const given *added = compile_program(e, prog, &e->src);
        ast_program_free(prog);
        prog = NULL;
        compile_facts(e, added);
        e->compiling = false;
        /* the rules hold the names and constants they were compiled with */
        symtab_keep(&e->syms);
        check_env_commit(e->env);
        rank_rules(e, last ? last->next : e->rules);
        engine_quiesce(e);
        whatif_follow(e);
    } else {
        check_env_rollback(e->env);
        srcset_truncate(&e->src, first);
        call_error(e, st, "%s", first_error(d));
    }
    ast_program_free(prog);
    /* a load that ran short while compiling finished on the reserve: kept */
    return call_leave_kept(e, st);
}

sn_status sn_load_files(sn_engine *e, const char *const *paths, unsigned n, sn_report *r)
{
    CALL_ENTER(e);
    uint32_t first = e->src.nfiles, ignored;
    diag_list d;
    diag_list_init(&d, &e->mem);
    front_read(&e->src, paths, n, &ignored, &d);
    sn_status st = load_new(e, first, &d, r);
    diag_list_fini(&d);
    return st;
}

sn_status sn_load_string(sn_engine *e, const char *name, const char *text, size_t len,
                         sn_report *r)
{
    return sn_load_string_at(e, name, 1, text, len, r);
}

sn_status sn_load_string_at(sn_engine *e, const char *name, unsigned first_line, const char *text,
                            size_t len, sn_report *r)
{
    CALL_ENTER(e);
    uint32_t first = e->src.nfiles;
    if (first_line == 0 || (first_line > 1 && (uint64_t)first_line + len >= UINT32_MAX))
        return call_leave(e, call_error(e, SN_ERR_INPUT, "no text can begin at line %u of %s",
                                        first_line, name ? name : "<string>"));
    if (srcset_add_at(&e->src, name ? name : "<string>", first_line, text, len) < 0)
        return call_leave(e, SN_ERR_NOMEM);
    diag_list d;
    diag_list_init(&d, &e->mem);
    sn_status st = load_new(e, first, &d, r);
    diag_list_fini(&d);
    return st;
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
static sn_status extra_build(engine *e, extra *x, diag_list *d, sn_report *r, front_mode mode)
{
    x->decl = NULL;
    x->prog = NULL;
    if (d->nerrors == 0)
        x->prog = front_build(&e->mem, e->env, &e->src, x->file, e->src.nfiles - x->file, d,
                              mode);
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
    if (x->prog)
        return SN_OK;
    sn_status st = d->nerrors ? diag_status(d) : SN_ERR_INPUT;
    call_error(e, st, "%s", first_error(d));
    return st;
}

static sn_status extra_parse(engine *e, extra *x, const char *name, const char *text, size_t len,
                             sn_report *r, front_mode mode)
{
    x->file = e->src.nfiles;
    x->prog = NULL;
    if (srcset_add(&e->src, name, text, len) < 0)
        return SN_ERR_NOMEM;
    diag_list d;
    diag_list_init(&d, &e->mem);
    sn_status st = extra_build(e, x, &d, r, mode);
    diag_list_fini(&d);
    return st;
}

static void extra_end(engine *e, extra *x)
{
    if (!x->prog)
        return;
    ast_program_free(x->prog);
    x->prog = NULL;
    srcset_truncate(&e->src, x->file);
}

/* Assert the facts of TEXT (LEN bytes), checked as a facts block; *N
 * gets how many it held, the first MAX of them OUT (NULL there for one
 * truth maintenance withdrew at once), the last one *LAST. Should memory
 * run out, the facts it made are taken back. */
static sn_status assert_text(engine *e, const char *name, const char *text, size_t len,
                             sn_report *r, sn_fact **out, size_t max, size_t *n, sn_fact **last)
{
    CALL_ENTER(e);
    extra x;
    size_t count = 0;
    *last = NULL;
    uint64_t before = e->next_id;
    sn_status st = extra_parse(e, &x, name, text, len, r, FRONT_FACTS);
    if (st == SN_OK && x.decl->kind != DECL_FACTS)
        st = SN_ERR_INPUT;
    if (st == SN_OK) {
        /* the facts' values packed (givens.h), and the text and its tree
         * let go, before the facts go in: a big facts file does not hold
         * its tree and its facts at once */
        arena *packed = arena_new(&e->mem);
        given *head = NULL, **tail = &head;
        for (const ast_fact *af = x.decl->u.facts.facts; packed && af; af = af->next) {
            struct tmpl *t = tmpl_of(e, af->tmpl_id);
            value *vals = e_alloc(e, (t->nslots + 1) * sizeof *vals);
            arena_mark m = arena_get_mark(x.prog->scratch);
            bool ok = vals && facts_from_ast(e, ast_fact_open(af, x.prog->scratch), vals, &t);
            arena_rollback(x.prog->scratch, m);
            given *g = ok ? given_pack(packed, t, vals, NULL) : NULL;
            if (g) {
                *tail = g;
                tail = &g->next;
            }
            e_free(e, vals);
        }
        extra_end(e, &x);
        engine_assert_each(e, head, SN_ORIGIN_TYPED, out, max, &count, last);
        arena_free(packed);
        engine_quiesce(e);
        if (call_short(e)) {
            wm_take_back(e, before);
            engine_quiesce(e);
            count = 0;
            *last = NULL;
        }
    }
    extra_end(e, &x);
    if (*last && !(*last)->live)
        *last = NULL;
    for (size_t i = 0; out && i < count && i < max; i++)
        if (out[i] && !out[i]->live)
            out[i] = NULL;
    if (n)
        *n = count;
    return call_leave(e, st);
}

sn_status sn_assert_string(sn_engine *e, const char *text, sn_fact **out, sn_report *r)
{
    sn_fact *last;
    sn_status st = assert_text(e, "<input>", text, strlen(text), r, NULL, 0, NULL, &last);
    if (out)
        *out = st == SN_OK ? last : NULL;
    return st;
}

sn_status sn_assert_facts(sn_engine *e, const char *name, const char *text, size_t len,
                          sn_fact **out, size_t max, size_t *n, sn_report *r)
{
    sn_fact *last;
    return assert_text(e, name, text, len, r, out, max, n, &last);
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
    forget_case_symbols(e);
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

sn_status sn_case_resume(sn_engine *e, const char *path, char *name, size_t size,
                         sn_report *r)
{
    CALL_ENTER(e);
    extra x = {.file = e->src.nfiles};
    diag_list d;
    diag_list_init(&d, &e->mem);
    uint32_t first;
    front_read(&e->src, &path, 1, &first, &d);
    sn_status st = extra_build(e, &x, &d, r, FRONT_PROGRAM);
    if (st == SN_OK && !resume_case(e, &x, name, size))
        st = call_error(e, SN_ERR_INPUT, "%s holds no case", path);
    if (st == SN_OK && call_short(e))
        wm_clear(e);
    extra_end(e, &x);
    diag_list_fini(&d);
    return call_leave(e, st);
}

sn_status pattern_open(engine *e, const char *pattern, sn_report *r, typed_pattern *tp)
{
    extra x;
    memset(tp, 0, sizeof *tp);
    sn_status st = extra_parse(e, &x, "<pattern>", pattern, strlen(pattern), r, FRONT_PATTERN);
    if (st != SN_OK)
        return st;
    const ast_decl *d = x.decl;
    if (d->kind != DECL_RULE || !d->u.rule.conds || d->u.rule.conds->kind != CE_PATTERN ||
        d->u.rule.conds->next) {
        extra_end(e, &x);
        static const char one[] = "expected one pattern, like diagnosis(name: hip_bursitis)";
        if (r) {
            sn_report_free(r);
            r->nerrors = 1;
            r->text = strdup("expected one pattern, like diagnosis(name: hip_bursitis)\n");
        }
        return call_error(e, SN_ERR_INPUT, "%s", one);
    }
    tp->prog = x.prog;
    tp->file = x.file;
    tp->pat = &d->u.rule.conds->u.pat;
    tp->t = tmpl_of(e, tp->pat->tmpl_id);
    /* what the pattern compiles to lives only as long as it */
    tp->code = arena_new(&e->mem);
    arena *keep = e->code;
    e->code = tp->code;
    tp->test = compile_pattern_test(e, tp->pat, d->u.rule.nvars, &tp->tests_cf);
    e->code = keep;
    return SN_OK;
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

sn_status sn_query(sn_engine *e, const char *pattern, sn_fact **out, size_t max, size_t *n,
                   sn_report *r)
{
    CALL_ENTER(e);
    typed_pattern tp;
    size_t count = 0;
    sn_status st = pattern_open(e, pattern, r, &tp);
    if (st == SN_OK) {
        for (struct fact *f = tp.t->first; f; f = f->tnext)
            if ((tp.tests_cf || f->cf >= e->threshold) && pattern_matches(e, &tp, f)) {
                if (count < max)
                    out[count] = f;
                count++;
            }
        pattern_close(e, &tp);
    }
    if (n)
        *n = call_short(e) ? 0 : count;
    return call_leave(e, st);
}

/* A rule leaves: its activations go and the network forgets its nodes; what
 * it concluded is withdrawn (the nodes' tokens die). Memory that runs out
 * on the way does not stop it (the removal finishes on the reserve). */
sn_status sn_remove_rule(sn_engine *e, const char *name)
{
    CALL_ENTER(e);
    struct rule *r = (struct rule *)sn_rule_find(e, name);
    if (!r)
        return call_leave(e, call_error(e, SN_ERR_INPUT, "no rule is named %s", name));
    r->removed = true;
    for (uint32_t i = 0; i < r->nprods; i++)
        node_release(e, r->prods[i]->term);
    e->nrules--;
    /* out of the name order: the rules after it move up one */
    uint32_t at = r->rank;
    memmove(&e->by_name[at], &e->by_name[at + 1], (e->nrules - at) * sizeof *e->by_name);
    for (uint32_t i = at; i < e->nrules; i++)
        e->by_name[i]->rank = i;
    engine_quiesce(e);
    return call_leave(e, SN_OK);
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

sn_status sn_define_function(sn_engine *e, const char *name, int min_args, int max_args,
                             sn_function fn, void *ctx)
{
    CALL_ENTER(e);
    if (!name || !fn || !function_name(name) || min_args < 0 ||
        (max_args >= 0 && max_args < min_args))
        return call_leave(e, call_error(e, SN_ERR_INPUT, "%s is not a function name, or its "
                                                         "numbers of arguments are wrong",
                                        name ? name : "(null)"));
    if (e->nfns == e->capfns) {
        uint32_t cap = e->capfns ? e->capfns * 2 : 8;
        e->fns = e_realloc(e, e->fns, cap * sizeof *e->fns);
        e->capfns = cap;
    }
    char *copy = e_alloc(e, strlen(name) + 1);
    strcpy(copy, name);
    if (!check_env_add_function(e->env, name, min_args, max_args, FN_COUNT_ + e->nfns)) {
        e_free(e, copy);
        return call_leave(e, call_error(e, SN_ERR_INPUT, "%s is a builtin's name or is "
                                                         "defined already", name));
    }
    userfn *u = &e->fns[e->nfns++];
    u->name = copy;
    u->min_args = min_args;
    u->max_args = max_args;
    u->fn = fn;
    u->ctx = ctx;
    return call_leave(e, SN_OK);

}
