/* test_check_env.c — check_env_clone: a copy of the check environment
 * judges text as the environment it was copied from does, and lives on
 * its own.
 *
 * A knowledge base with something of each kind the environment keeps
 * (templates with defaults, asks and a grouped question, the constants
 * facts and actions put into slots, functions of the language and of the
 * embedder, modules and the starting focus, sources, facts blocks, rules,
 * queries, cases) is checked into one environment, which is copied and
 * then freed. Each probe — a program typed on top, a typed fact, a
 * pattern — is judged against the copy and against a second environment
 * made from the same text, and every diagnostic, rendered with its line
 * and notes, must be the same.
 */
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "mem.h"
#include "source.h"
#include "unit.h"

static const char kb[] =
    "module triage\n"
    "focus main, triage\n"
    "source book \"A book on hips\"\n"
    "function twice(?x) = ?x * 2\n"
    "template pain { site: symbol  onset: symbol = gradual  severity: int = 0 }\n"
    "template fever { value: symbol = unknown }\n"
    "template bulge { value: symbol }\n"
    "template diagnosis { name: symbol }\n"
    "template level { v: symbol }\n"
    "template count { n: int }\n"
    "template score { v: int  w: float }\n"
    "ask pain.site \"Where is the pain?\" posterior_thigh, groin\n"
    "ask fever.value \"Is there a fever?\" yes, no\n"
    "ask bulge.value \"Is there a bulge?\" yes, no\n"
    "ask screening \"Any of these?\" fever: yes, bulge\n"
    "facts start { pain(site: groin) count(n: 1) }\n"
    "rule strain \"doc\" cites book\n"
    "when pain(site: posterior_thigh, severity: ?s) test(twice(?s) > ext(4))\n"
    "then conclude diagnosis(name: strain) cf 0.7 assert level(v: high) end\n"
    "rule hot module triage when fever(value: yes) level(v: high)\n"
    "then assert level(v: low) end\n"
    "rule scored when level(v: low) then assert score(v: 3, w: 2.5) end\n"
    "query diagnoses(?n) when diagnosis(name: ?n) end\n"
    "case c1 given pain(site: posterior_thigh, severity: 5)\n"
    "    expect diagnosis(name: strain) end\n";

typedef struct probe {
    front_mode mode;
    const char *text;
} probe;

/* Errors and warnings of every kind the environment answers for. */
static const probe probes[] = {
    {FRONT_PROGRAM, "rule fine when level(v: high) diagnosis(name: ?n) then halt end\n"},
    {FRONT_PROGRAM, "rule strain when level() then halt end\n"},
    {FRONT_PROGRAM, "template pain { x: int }\n"},
    {FRONT_PROGRAM, "rule r when pian(site: groin) then halt end\n"},
    {FRONT_PROGRAM, "rule r when pain(sight: groin) then halt end\n"},
    {FRONT_PROGRAM, "rule r when pain(severity: high) then halt end\n"},
    {FRONT_PROGRAM, "rule r when pain(site: knee) then halt end\n"},
    {FRONT_PROGRAM, "rule r when level(v: medium) then halt end\n"},
    {FRONT_PROGRAM, "rule r when count(n: 7) then halt end\n"},
    {FRONT_PROGRAM, "rule r when score(v: 3, w: 2.5) then halt end\n"},
    {FRONT_PROGRAM, "rule r when score(v: 4) then halt end\n"},
    {FRONT_PROGRAM, "rule r when score(w: 2.5) pain(severity: 0) then halt end\n"},
    {FRONT_PROGRAM, "rule r when pain() then assert fever(value: maybe) end\n"},
    {FRONT_PROGRAM, "rule r when pain(severity: ?s) test(twice(?s, 1) > 0) then halt end\n"},
    {FRONT_PROGRAM, "rule r when pain(severity: ?s) test(ext(?s) > thrice(?s)) then halt end\n"},
    {FRONT_PROGRAM, "function twice(?y) = ?y + ?y\n"},
    {FRONT_PROGRAM, "function ext(?y) = ?y\n"},
    {FRONT_PROGRAM, "module triage\n"},
    {FRONT_PROGRAM, "focus triage\n"},
    {FRONT_PROGRAM, "rule r module nowhere when pain() then halt end\n"},
    {FRONT_PROGRAM, "source book \"Another\"\n"},
    {FRONT_PROGRAM, "rule r cites book, nobook when pain() then halt end\n"},
    {FRONT_PROGRAM, "facts start { pain(site: groin) }\n"},
    {FRONT_PROGRAM, "case c1 given pain() expect level(v: high) end\n"},
    {FRONT_PROGRAM, "query diagnoses(?n) when diagnosis(name: ?n) end\n"},
    {FRONT_PROGRAM, "ask pain.site \"Again?\" groin\n"},
    {FRONT_PROGRAM, "ask screening \"Again?\" bulge\n"},
    {FRONT_PROGRAM, "template lonely { x: int }\n"},
    {FRONT_PROGRAM, "rule r when pain(site: ?x) then halt end\n"},
    {FRONT_FACTS, "pain(site: groin, severity: 3) level(v: high)\n"},
    {FRONT_FACTS, "pain(site: knee)\n"},
    {FRONT_FACTS, "pain(severity: x) nosuch(a: 1)\n"},
    {FRONT_PATTERN, "diagnosis(name: ?n)\n"},
    {FRONT_PATTERN, "pain(site: knee)\n"},
    {FRONT_PATTERN, "level(w: 1)\n"},
};
enum { NPROBES = sizeof probes / sizeof probes[0] };

/* An environment and the sources it was made from, in memory of its own. */
typedef struct world {
    sn_mem m;
    srcset src;
    check_env *env;
} world;

/* Check TEXT (in MODE) against W's environment and keep it when KEEP and
 * clean, else roll back; the diagnostics, rendered. Caller frees. */
static char *judge(world *w, front_mode mode, const char *text, bool keep)
{
    char *out = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&out, &len);
    int file = srcset_add(&w->src, "probe.sinew", text, strlen(text));
    diag_list d;
    diag_list_init(&d, &w->m);
    ast_program *p = front_build(&w->m, w->env, &w->src, (uint32_t)file, 1, &d, mode);
    fprintf(o, "%s %u errors %u warnings\n", p ? "built" : "no memory", d.nerrors,
            d.nwarnings);
    diag_sort(&d);
    for (unsigned i = 0; i < d.n; i++)
        diag_render(o, &w->src, &d.items[i], false);
    if (p && keep && d.nerrors == 0)
        check_env_commit(w->env);
    else
        check_env_rollback(w->env);
    ast_program_free(p);
    diag_list_fini(&d);
    fclose(o);
    return out;
}

static bool world_make(world *w)
{
    mem_init(&w->m);
    srcset_init(&w->src, &w->m);
    w->env = check_env_new(&w->m);
    if (!w->env || !check_env_add_function(w->env, "ext", 1, 1, 900))
        return false;
    char *said = judge(w, FRONT_PROGRAM, kb, true);
    bool clean = strstr(said, "built 0 errors") == said;
    if (!clean)
        printf("the knowledge base did not check clean:\n%s", said);
    free(said);
    return clean;
}

static void world_free(world *w)
{
    check_env_free(w->env);
    srcset_fini(&w->src);
    CHECK_EQ_INT(w->m.used, 0); /* everything was the world's own */
    mem_fini(&w->m);
}

/* W2 with a copy of W's environment and W's sources (as a clone has). */
static check_env *copy_into(world *w2, const world *w)
{
    mem_init(&w2->m);
    srcset_init(&w2->src, &w2->m);
    for (uint32_t i = 0; i < w->src.nfiles; i++)
        srcset_add_copy(&w2->src, srcset_file(&w->src, i));
    w2->env = check_env_clone(w->env, &w2->m);
    return w2->env;
}

static bool same(const char *what, const char *a, const char *b)
{
    if (a && b && strcmp(a, b) == 0)
        return true;
    UNIT_FAIL("%s: the copy judges otherwise\n--- original\n%s--- copy\n%s", what,
              a ? a : "(none)", b ? b : "(none)");
    return false;
}

TEST(a_copy_judges_as_the_original)
{
    world w, fresh, c;
    CHECK(world_make(&w));
    CHECK(world_make(&fresh));
    CHECK(copy_into(&c, &w) != NULL);
    if (!c.env)
        return;
    /* nothing of the copy points into the original */
    world_free(&w);
    unsigned errors = 0, warnings = 0;
    for (unsigned i = 0; i < NPROBES; i++) {
        char *want = judge(&fresh, probes[i].mode, probes[i].text, false);
        char *got = judge(&c, probes[i].mode, probes[i].text, false);
        same(probes[i].text, want, got);
        errors += strstr(want, "error[") != NULL;
        warnings += strstr(want, "warning[") != NULL;
        free(want);
        free(got);
    }
    /* the probes reach the environment: most find fault, some warn */
    CHECK(errors >= 20);
    CHECK(warnings >= 2);
    /* texts kept one after another, then judged: the same again */
    const char *more[] = {
        "template extra { k: symbol }\nrule mk when pain() then assert extra(k: a) end\n",
        "module later\nfunction thrice(?x) = ?x * 3\nsource other \"Other\"\n",
        "rule late module later cites other when extra(k: b) count(n: ?n)\n"
        "    test(thrice(?n) > 1) then halt end\n",
    };
    for (unsigned i = 0; i < 3; i++) {
        char *want = judge(&fresh, FRONT_PROGRAM, more[i], true);
        char *got = judge(&c, FRONT_PROGRAM, more[i], true);
        same(more[i], want, got);
        free(want);
        free(got);
    }
    for (unsigned i = 0; i < NPROBES; i++) {
        char *want = judge(&fresh, probes[i].mode, probes[i].text, false);
        char *got = judge(&c, probes[i].mode, probes[i].text, false);
        same(probes[i].text, want, got);
        free(want);
        free(got);
    }
    world_free(&fresh);
    world_free(&c);
}

/* What one keeps the other does not see, either way. */
TEST(a_copy_and_its_original_are_independent)
{
    world w, c;
    CHECK(world_make(&w));
    CHECK(copy_into(&c, &w) != NULL);
    if (!c.env)
        return;
    static const char only_copy[] = "template only_copy { x: int }\nmodule m2\n";
    static const char only_orig[] = "rule only_orig when pain() then halt end\n";
    char *a = judge(&c, FRONT_PROGRAM, only_copy, true);
    char *b = judge(&w, FRONT_PROGRAM, only_orig, true);
    CHECK(strstr(a, "built 0 errors") == a && strstr(b, "built 0 errors") == b);
    free(a);
    free(b);
    static const char uses_copy[] = "rule u module m2 when only_copy(x: 1) then halt end\n";
    a = judge(&c, FRONT_PROGRAM, uses_copy, false);
    b = judge(&w, FRONT_PROGRAM, uses_copy, false);
    CHECK(strstr(a, "built 0 errors") == a);
    CHECK(strstr(b, "E101") != NULL || strstr(b, "unknown template") != NULL);
    free(a);
    free(b);
    /* the original's rule name is free in the copy, taken in the original */
    a = judge(&c, FRONT_PROGRAM, only_orig, false);
    b = judge(&w, FRONT_PROGRAM, only_orig, false);
    CHECK(strstr(a, "built 0 errors") == a);
    CHECK(strstr(b, "defined twice") != NULL);
    free(a);
    free(b);
    CHECK_EQ_INT(check_env_templates(c.env), check_env_templates(w.env) + 1);
    CHECK_EQ_INT(check_env_modules(c.env), check_env_modules(w.env) + 1);
    world_free(&c);
    world_free(&w);
}

/* Memory that runs out anywhere in the copy: NULL, nothing left behind,
 * the original as it was; then a copy that judges as it does. */
TEST(out_of_memory_while_copying)
{
    world w;
    CHECK(world_make(&w));
    sn_mem m;
    mem_init(&m);
    check_env *c = NULL;
    long n = 0;
    for (; n < 100000 && !c; n++) {
        m.fail_after = (long)m.count + n;
        c = check_env_clone(w.env, &m);
        if (!c)
            CHECK_EQ_INT(m.used, 0);
    }
    CHECK(c != NULL);
    CHECK(n > 3); /* the environment, its arena, its chunks: every point reached */
    m.fail_after = -1;
    check_env_free(c);
    CHECK_EQ_INT(m.used, 0);
    mem_fini(&m);
    /* the original judges as before */
    char *got = judge(&w, FRONT_PROGRAM, probes[1].text, false);
    CHECK(strstr(got, "defined twice") != NULL);
    free(got);
    world_free(&w);
}

/* A copy made in the middle of a check would copy half a program. */
TEST(no_copy_of_an_open_transaction)
{
    world w;
    CHECK(world_make(&w));
    sn_mem m;
    mem_init(&m);
    check_env_begin(w.env);
    CHECK(check_env_clone(w.env, &m) == NULL);
    check_env_rollback(w.env);
    check_env *c = check_env_clone(w.env, &m);
    CHECK(c != NULL);
    check_env_free(c);
    CHECK_EQ_INT(m.used, 0);
    mem_fini(&m);
    world_free(&w);
}

/* A check rolled back leaves the environment's memory as it found it,
 * undo log included: a typed fact or pattern leaves nothing behind. */
TEST(a_rollback_leaves_nothing_behind)
{
    world w;
    CHECK(world_make(&w));
    for (unsigned i = 0; i < NPROBES; i++) {
        int file = srcset_add(&w.src, "probe.sinew", probes[i].text, strlen(probes[i].text));
        size_t used = w.m.used;
        diag_list d;
        diag_list_init(&d, &w.m);
        ast_program *p = front_build(&w.m, w.env, &w.src, (uint32_t)file, 1, &d, probes[i].mode);
        check_env_rollback(w.env);
        ast_program_free(p);
        diag_list_fini(&d);
        CHECK_EQ_INT(w.m.used, used);
        srcset_truncate(&w.src, (uint32_t)file);
    }
    world_free(&w);
}

int main(void)
{
    RUN(a_copy_judges_as_the_original);
    RUN(a_copy_and_its_original_are_independent);
    RUN(out_of_memory_while_copying);
    RUN(no_copy_of_an_open_transaction);
    RUN(a_rollback_leaves_nothing_behind);
    return UNIT_END();
}
