/* lint.c — warnings about what a program probably does not mean; see lint.h. */
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

/* The default threshold of the engine (sn_set_threshold): a fact whose
 * certainty is below it matches no pattern and is not reported. */
#define LINT_THRESHOLD 0.2

#define WARN(d, code, sp, ...) diag_add((d), DIAG_WARNING, (code), (sp), __VA_ARGS__)

/* ---- rules compared: W004, W005 ---- */

/* A rule as the comparisons see it: what is kept of each rule while all
 * are compared is a few hashes, not its text. Two rules whose hashes
 * agree are formatted again and compared as text before a warning says
 * they are alike, so a collision of hashes costs a comparison, never a
 * wrong warning. */
typedef struct rule_sum {
    const ast_rule *rule;
    union {
        uint64_t *many;  /* each top-level condition's hash, in the order of
                            their texts as the layout writes them */
        uint64_t one;    /* ...when there is one (most rules): no array */
    } conds;
    uint64_t cond_key;   /* the sequence of the conditions' hashes: equal
                            conditions, equal keys */
    uint64_t act_key;    /* every action, one a line */
    uint32_t nconds;
    bool dup;            /* W004 said it repeats an earlier rule */
} rule_sum;

/* T's condition I's hash. */
static uint64_t cond_hash(const rule_sum *t, uint32_t i)
{
    return t->nconds == 1 ? t->conds.one : t->conds.many[i];
}

static uint64_t hash_text(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* H followed by X, for a sequence of hashes. */
static uint64_t hash_step(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 29);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Rule R's top-level conditions as the layout writes them, each
 * NUL-terminated in B, sorted: *N of them, the array from A. */
static const char **cond_texts(const ast_rule *r, const srcset *src, arena *a, fmt_buf *b,
                               uint32_t *n)
{
    const src_file *f = srcset_file(src, r->name.sp.file);
    uint32_t k = 0;
    for (const ast_ce *c = r->conds; c; c = c->next)
        k++;
    const char **v = arena_alloc(a, (k + 1) * sizeof *v);
    b->len = 0;
    for (const ast_ce *c = r->conds; c; c = c->next) {
        fmt_ce_line(b, c, f);
        fmt_buf_put(b, "", 1);
    }
    size_t at = 0;
    for (uint32_t i = 0; i < k; i++, at += strlen(b->text + at) + 1)
        v[i] = b->text + at;
    qsort(v, k, sizeof *v, by_string);
    *n = k;
    return v;
}

/* Rule R's actions as the layout writes them, one a line, in B. */
static void action_text(const ast_rule *r, const srcset *src, fmt_buf *b)
{
    const src_file *f = srcset_file(src, r->name.sp.file);
    b->len = 0;
    for (const ast_action *x = r->actions; x; x = x->next) {
        fmt_action_line(b, x, f);
        fmt_buf_put(b, "\n", 1);
    }
}

/* Rule R summed up in T: its hashes come from A, and the texts they are
 * made from are given back. */
static void sum_of(rule_sum *t, const ast_rule *r, const srcset *src, arena *a)
{
    t->rule = r;
    for (const ast_ce *c = r->conds; c; c = c->next)
        t->nconds++;
    if (t->nconds > 1)
        t->conds.many = arena_alloc(a, t->nconds * sizeof *t->conds.many);
    arena_mark m = arena_get_mark(a);
    fmt_buf b = {.arena = a};
    uint32_t n;
    const char **v = cond_texts(r, src, a, &b, &n);
    t->cond_key = 0x5eed;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t h = hash_text(v[i], strlen(v[i]));
        if (t->nconds > 1)
            t->conds.many[i] = h;
        else
            t->conds.one = h;
        t->cond_key = hash_step(t->cond_key, h);
    }
    action_text(r, src, &b);
    t->act_key = hash_text(b.text, b.len);
    arena_rollback(a, m);
}

/* Do X and Y do the same, as text? */
static bool same_actions(const rule_sum *x, const rule_sum *y, const srcset *src, arena *a)
{
    arena_mark m = arena_get_mark(a);
    fmt_buf p = {.arena = a}, q = {.arena = a};
    action_text(x->rule, src, &p);
    action_text(y->rule, src, &q);
    bool same = p.len == q.len && memcmp(p.text, q.text, p.len) == 0;
    arena_rollback(a, m);
    return same;
}

/* Are SMALL's conditions, as text, among BIG's: all of them (STRICT
 * false: the same conditions), or all and more (STRICT)? */
static bool conds_within(const rule_sum *small, const rule_sum *big, bool strict,
                         const srcset *src, arena *a)
{
    if (strict ? small->nconds >= big->nconds : small->nconds != big->nconds)
        return false;
    arena_mark m = arena_get_mark(a);
    fmt_buf p = {.arena = a}, q = {.arena = a};
    uint32_t ns, nb;
    const char **s = cond_texts(small->rule, src, a, &p, &ns);
    const char **g = cond_texts(big->rule, src, a, &q, &nb);
    bool ok = true;
    uint32_t j = 0;
    for (uint32_t i = 0; i < ns && ok; i++) {
        while (j < nb && strcmp(g[j], s[i]) < 0)
            j++;
        ok = j < nb && strcmp(g[j], s[i]) == 0;
        j++;
    }
    arena_rollback(a, m);
    return ok;
}

/* By keys; equal keys in the order they were written. */
static int by_key(const void *a, const void *b)
{
    const rule_sum *x = a, *y = b;
    if (x->cond_key != y->cond_key)
        return x->cond_key < y->cond_key ? -1 : 1;
    if (x->act_key != y->act_key)
        return x->act_key < y->act_key ? -1 : 1;
    span p = x->rule->name.sp, q = y->rule->name.sp;
    if (p.file != q.file)
        return p.file < q.file ? -1 : 1;
    return (p.start > q.start) - (p.start < q.start);
}

static int by_actions(const void *a, const void *b)
{
    const rule_sum *x = a, *y = b;
    if (x->act_key != y->act_key)
        return x->act_key < y->act_key ? -1 : 1;
    return by_key(a, b);
}

/* Every condition hash of SMALL is one of BIG's, and BIG has more (a
 * first sieve: conds_within judges the texts). */
static bool hashes_within(const rule_sum *small, const rule_sum *big)
{
    if (small->nconds >= big->nconds)
        return false;
    for (uint32_t i = 0; i < small->nconds; i++) {
        uint32_t j = 0;
        while (j < big->nconds && cond_hash(big, j) != cond_hash(small, i))
            j++;
        if (j == big->nconds)
            return false;
    }
    return true;
}

/* Rules of one group by their conditions' key. Open addressing. */
typedef struct cond_table {
    rule_sum **slots;
    uint32_t mask;
} cond_table;

static rule_sum **table_slot(cond_table *tb, uint64_t key)
{
    for (uint32_t i = (uint32_t)(key ^ key >> 32) & tb->mask;; i = (i + 1) & tb->mask) {
        rule_sum *t = tb->slots[i];
        if (!t || t->cond_key == key)
            return &tb->slots[i];
    }
}

static void report_subsumed(diag_list *d, const rule_sum *x, const rule_sum *y)
{
    WARN(d, W_SUBSUMED_RULE, x->rule->name.sp,
         "rule '%s' is subsumed by rule '%s': it does the same, and its conditions include "
         "all of '%s''s, so it fires only when '%s' fires too",
         x->rule->name.text, y->rule->name.text, y->rule->name.text, y->rule->name.text);
    diag_note(d, &y->rule->name.sp, "rule '%s' is here", y->rule->name.text);
}

enum { SUBSETS_UP_TO = 12 }; /* conditions whose subsets are tried one by one */

/* W005 among the N rules of V, whose actions hash alike: for a rule of k
 * conditions, look each proper subset of them up (2^k lookups; a rule
 * with more conditions is compared with each rule of the group). A rule
 * found is judged on the texts before it is reported. */
static void subsumed_in_group(diag_list *d, rule_sum *v, uint32_t n, const srcset *src,
                              arena *a)
{
    uint32_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    cond_table tb = {arena_alloc(a, cap * sizeof *tb.slots), cap - 1};
    for (uint32_t i = 0; i < n; i++) {
        if (v[i].dup)
            continue;
        rule_sum **slot = table_slot(&tb, v[i].cond_key);
        if (!*slot)
            *slot = &v[i];
    }
    for (uint32_t x = 0; x < n; x++) {
        const rule_sum *t = &v[x];
        if (t->dup)
            continue;
        if (t->nconds > SUBSETS_UP_TO) {
            for (uint32_t y = 0; y < n; y++)
                if (y != x && !v[y].dup && hashes_within(&v[y], t) &&
                    conds_within(&v[y], t, true, src, a) && same_actions(&v[y], t, src, a)) {
                    report_subsumed(d, t, &v[y]);
                    break;
                }
            continue;
        }
        for (uint32_t m = 0; m + 1 < (1u << t->nconds); m++) {
            uint64_t key = 0x5eed;
            for (uint32_t i = 0; i < t->nconds; i++)
                if (m & (1u << i))
                    key = hash_step(key, cond_hash(t, i));
            rule_sum *y = *table_slot(&tb, key);
            if (y && y != t && conds_within(y, t, true, src, a) && same_actions(y, t, src, a)) {
                report_subsumed(d, t, y);
                break;
            }
        }
    }
}

/* What is kept of the rules lives in the program's scratch arena, given
 * back at the end: a warning keeps nothing of them. */
static void compare_rules(const ast_program *prog, const srcset *src, diag_list *d)
{
    arena *a = prog->scratch;
    uint32_t n = 0;
    for (const ast_decl *x = prog->decls; x; x = x->next)
        n += x->kind == DECL_RULE;
    if (n < 2)
        return;
    arena_mark m = arena_get_mark(a);
    rule_sum *v = arena_alloc(a, n * sizeof *v);
    uint32_t i = 0;
    for (const ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_RULE)
            sum_of(&v[i++], &x->u.rule, src, a);

    /* W004: equal keys sort together, the first written first */
    qsort(v, n, sizeof *v, by_key);
    for (uint32_t lo = 0; lo < n;) {
        uint32_t hi = lo + 1;
        while (hi < n && v[hi].cond_key == v[lo].cond_key && v[hi].act_key == v[lo].act_key)
            hi++;
        for (i = lo + 1; i < hi; i++) {
            /* the first written of the run that it equals as text */
            uint32_t first = lo;
            while (first < i && (v[first].dup || !conds_within(&v[first], &v[i], false, src, a) ||
                                 !same_actions(&v[first], &v[i], src, a)))
                first++;
            if (first == i)
                continue;
            v[i].dup = true;
            WARN(d, W_DUP_RULE, v[i].rule->name.sp,
                 "rule '%s' has the same conditions and actions as rule '%s': it only fires a "
                 "second time", v[i].rule->name.text, v[first].rule->name.text);
            diag_note(d, &v[first].rule->name.sp, "rule '%s' is here", v[first].rule->name.text);
        }
        lo = hi;
    }

    /* W005: within each group of equal actions, a rule whose conditions
     * hold another's and more */
    qsort(v, n, sizeof *v, by_actions);
    for (uint32_t lo = 0; lo < n;) {
        uint32_t hi = lo + 1;
        while (hi < n && v[hi].act_key == v[lo].act_key)
            hi++;
        /* a conclusion's certainty adds to the same conclusion's from
         * another rule: a narrower rule concluding the same is more
         * evidence, not a repeat */
        bool concludes = false;
        for (const ast_action *act = v[lo].rule->actions; act; act = act->next)
            concludes |= act->kind == ACT_CONCLUDE;
        if (!concludes && hi - lo > 1)
            subsumed_in_group(d, v + lo, hi - lo, src, a);
        lo = hi;
    }
    arena_rollback(a, m);
}

/* ---- asks and what rules read: W006, W007 ---- */

typedef struct reads {
    const ast_ask *ask;
    bool *named;   /* answer i appears in a condition on the slot */
    bool any;      /* some condition waits on the slot */
    bool wildcard; /* ...and one of them takes more than named values */
} reads;

static bool lit_same(const ast_lit *a, const ast_lit *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case TY_SYMBOL:
    case TY_STRING: return a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
    case TY_INT: return a->u.i == b->u.i;
    case TY_FLOAT: return a->u.f == b->u.f;
    }
    return false;
}

/* Mark the answers constraint K names; false when K takes other values
 * too (a variable, a comparison, a predicate). */
static bool named_only(const ast_cons *k, reads *r)
{
    switch (k->kind) {
    case CT_LIT: {
        uint32_t i = 0;
        for (const ast_lit *l = answer_first(r->ask); l; l = answer_next(l), i++)
            if (lit_same(l, &k->u.lit))
                r->named[i] = true;
        return true;
    }
    case CT_AND:
    case CT_OR: {
        bool l = named_only(k->u.bin.lhs, r);
        bool rr = named_only(k->u.bin.rhs, r);
        return l && rr;
    }
    default: return false;
    }
}

static void read_pattern(const ast_pattern *p, reads *r)
{
    if (p->tmpl_id != r->ask->tmpl_id)
        return;
    bool mentioned = false;
    for (const ast_slotcons *a = p->args; a; a = a->next) {
        if (a->name.slot < 0 || (uint32_t)a->name.slot != r->ask->slot_index)
            continue;
        mentioned = true;
        r->any = true;
        if (!named_only(a->cons, r))
            r->wildcard = true;
    }
    if (!mentioned) { /* a fact of the template, whatever its value */
        r->any = true;
        r->wildcard = true;
    }
}

static void read_ces(const ast_ce *c, reads *r)
{
    for (; c; c = c->next) {
        switch (c->kind) {
        case CE_PATTERN: read_pattern(&c->u.pat, r); break;
        case CE_NOT:
        case CE_EXISTS: read_ces(c->u.sub, r); break;
        case CE_FORALL:
            read_ces(c->u.forall.domain, r);
            read_ces(c->u.forall.body, r);
            break;
        case CE_OR:
        case CE_AND: read_ces(c->u.list, r); break;
        case CE_TEST: break;
        case CE_AGG: read_ces(c->u.agg->src, r); break;
        }
    }
}

/* L as written in a list; returns the bytes used of BUF. */
static size_t lit_show(const ast_lit *l, char *buf, size_t size)
{
    int n;
    switch (l->type) {
    case TY_SYMBOL: n = snprintf(buf, size, "%.40s", l->u.s); break;
    case TY_STRING: n = snprintf(buf, size, "\"%.40s\"", l->u.s); break;
    case TY_INT: n = snprintf(buf, size, "%lld", (long long)l->u.i); break;
    default: n = snprintf(buf, size, "%g", l->u.f); break;
    }
    return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

static void judge_asks(const ast_program *prog, diag_list *d)
{
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_ASK)
            continue;
        const ast_ask *k = &x->u.ask;
        uint32_t n = 0;
        for (const ast_lit *l = answer_first(k); l; l = answer_next(l))
            n++;
        reads r = {.ask = k, .named = arena_alloc(prog->arena, (n + 1) * sizeof(bool))};
        for (const ast_decl *y = prog->decls; y && !r.wildcard; y = y->next)
            if (y->kind == DECL_RULE)
                read_ces(y->u.rule.conds, &r);
        span where = {k->tmpl.sp.start, k->slot.sp.end, k->tmpl.sp.file};
        if (!r.any) {
            WARN(d, W_ASK_UNUSED, where,
                 "no rule waits on '%s.%s': no condition tests it, so the question is never "
                 "asked", k->tmpl.text, k->slot.text);
            continue;
        }
        if (r.wildcard)
            continue;
        /* one warning, at the first answer no condition names */
        char list[256];
        size_t at = 0;
        unsigned unread = 0;
        const ast_lit *first = NULL;
        uint32_t i = 0;
        for (const ast_lit *l = answer_first(k); l; l = answer_next(l), i++) {
            if (r.named[i])
                continue;
            if (!first)
                first = l;
            if (unread++ > 0 && at < sizeof list)
                at += (size_t)snprintf(list + at, sizeof list - at, ", ");
            if (at < sizeof list - 48)
                at += lit_show(l, list + at, sizeof list - at);
            else if (at < sizeof list - 4)
                at += (size_t)snprintf(list + at, sizeof list - at, "...");
        }
        if (!first)
            continue;
        WARN(d, W_ANSWER_UNREAD, where,
             "no rule reads %s of '%s.%s': %s; every condition on the slot names other "
             "values, so %s as if nothing were given",
             unread == 1 ? "the answer" : "the answers", k->tmpl.text, k->slot.text, list,
             unread == 1 ? "it counts" : "they count");
    }
}

/* ---- conclusions below the threshold: W008 ---- */

static bool const_cf(const ast_expr *e, double *out)
{
    if (!e || e->kind != EX_LIT)
        return false;
    if (e->u.lit.type == TY_INT)
        *out = (double)e->u.lit.u.i;
    else if (e->u.lit.type == TY_FLOAT)
        *out = e->u.lit.u.f;
    else
        return false;
    return true;
}

/* The template of the fact action A makes or changes; false for others. */
static bool makes(const ast_action *a, uint32_t *tmpl)
{
    switch (a->kind) {
    case ACT_ASSERT: *tmpl = a->u.fact.tmpl_id; return true;
    case ACT_CONCLUDE: *tmpl = a->u.conclude.fact.tmpl_id; return true;
    case ACT_MODIFY: *tmpl = a->u.modify.tmpl_id; return true;
    default: return false;
    }
}

static void judge_thresholds(const ast_program *prog, diag_list *d)
{
    uint32_t max = 0, t;
    for (const ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_RULE)
            for (const ast_action *a = x->u.rule.actions; a; a = a->next)
                if (makes(a, &t) && t + 1 > max)
                    max = t + 1;
    if (max == 0)
        return;
    /* for each template, how many rules make its facts, and the last one */
    uint32_t *count = arena_alloc(prog->arena, max * sizeof *count);
    const ast_rule **last = arena_alloc(prog->arena, max * sizeof *last);
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_RULE)
            continue;
        for (const ast_action *a = x->u.rule.actions; a; a = a->next)
            if (makes(a, &t) && last[t] != &x->u.rule) {
                last[t] = &x->u.rule;
                count[t]++;
            }
    }
    /* facts blocks and cases make facts too: they may combine with it */
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        const ast_fact *f = x->kind == DECL_FACTS ? x->u.facts.facts
                          : x->kind == DECL_CASE  ? x->u.kase.given : NULL;
        for (; f; f = f->next)
            if (f->tmpl_id < max)
                count[f->tmpl_id] += 2;
    }
    for (const ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind != DECL_RULE)
            continue;
        for (const ast_action *a = x->u.rule.actions; a; a = a->next) {
            double cf;
            if (a->kind != ACT_CONCLUDE || !const_cf(a->u.conclude.cf, &cf) ||
                cf < 0 || cf >= LINT_THRESHOLD || count[a->u.conclude.fact.tmpl_id] != 1)
                continue;
            WARN(d, W_BELOW_THRESHOLD, a->u.conclude.cf->sp,
                 "rule '%s' concludes '%s' at cf %g, below the threshold %g, and no other "
                 "rule makes '%s' facts: no pattern matches the fact and no report lists it",
                 x->u.rule.name.text, a->u.conclude.fact.tmpl.text, cf, LINT_THRESHOLD,
                 a->u.conclude.fact.tmpl.text);
        }
    }
}

void lint_program(const ast_program *prog, const srcset *src, diag_list *d)
{
    compare_rules(prog, src, d);
    judge_asks(prog, d);
    judge_thresholds(prog, d);
}

/* ---- `# allow W004`: silencing a warning on one line ---- */

/* Does comment C (its text [p, end)) allow CODE? */
static bool allows(const char *p, const char *end, const char *code)
{
    p++; /* '#' */
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (end - p < 5 || memcmp(p, "allow", 5) != 0)
        return false;
    p += 5;
    if (p < end && *p != ' ' && *p != '\t')
        return false;
    size_t n = strlen(code);
    while (p < end) {
        while (p < end && strchr(" \t,", *p))
            p++;
        const char *w = p;
        while (p < end && !strchr(" \t,\r", *p))
            p++;
        if ((size_t)(p - w) == n && memcmp(w, code, n) == 0)
            return true;
        if (p == w)
            break;
    }
    return false;
}

/* Is the comment at OFFSET the first thing on its line? */
static bool alone(const src_file *f, uint32_t offset)
{
    while (offset > 0 && (f->text[offset - 1] == ' ' || f->text[offset - 1] == '\t'))
        offset--;
    return offset == 0 || f->text[offset - 1] == '\n';
}

void lint_allow(const ast_program *prog, const srcset *src, diag_list *d, unsigned from)
{
    for (unsigned i = d->n; i-- > from;) {
        const diag *x = &d->items[i];
        if (x->severity != DIAG_WARNING || !x->has_span)
            continue;
        const src_file *f = srcset_file(src, x->sp.file);
        uint32_t line, col;
        src_position(f, x->sp.start, &line, &col);
        const char *code = diag_code_name(x->code);
        for (const ast_comment *c = prog->comments; c; c = c->next) {
            if (c->sp.file != x->sp.file)
                continue;
            uint32_t cl, cc;
            src_position(f, c->sp.start, &cl, &cc);
            if ((cl == line || (cl + 1 == line && alone(f, c->sp.start))) &&
                allows(f->text + c->sp.start, f->text + c->sp.end, code)) {
                diag_drop(d, i);
                break;
            }
        }
    }
}
