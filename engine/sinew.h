/* sinew.h — the embedding API of the sinew inference engine.
 *
 * This header is the whole public interface: the `sinew` command and the
 * REPL use nothing else from the engine. An sn_engine holds everything —
 * symbols, templates, rules, the Rete network, working memory, the agenda
 * and the justification records — so two engines in one process are
 * independent. No function keeps global state.
 *
 * Loading is atomic: sn_load_* parses and checks the new text together
 * with everything loaded before; on any error nothing in the engine
 * changes and the diagnostics come back in an sn_report.
 *
 * Errors: every call that can fail returns an sn_status (below), and
 * sn_errmsg says what went wrong in words; calls that read text also fill
 * an sn_report with the diagnostics. The library never aborts and never
 * exits: out of memory is SN_ERR_NOMEM, with the engine left whole.
 *
 * Ownership: the caller owns the engine (sn_free) and every sn_report
 * (sn_report_free). Pointers into the engine (facts, rules, strings) are
 * borrowed: a fact stays valid until it is retracted and the next engine
 * call that changes working memory; a rule until it is removed.
 */
#ifndef SINEW_H
#define SINEW_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Everything declared here is the library's interface: built with hidden
 * visibility, the library exports these names and no others. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sn_engine sn_engine;

/* What a call came to. */
typedef enum sn_status {
    SN_OK = 0,
    SN_ERR_INPUT,   /* what was given is wrong: text that does not check (the
                       report says where), an unknown name, a value not allowed */
    SN_ERR_NOMEM,   /* memory ran out, or the limit set by sn_set_memory_limit
                       was reached: see "Out of memory" below */
    SN_ERR_RUNTIME  /* a rule failed while it fired (a division by zero, a
                       retracted fact modified, too many firings): the run stopped */
} sn_status;
/* "ok", "input error", "out of memory", "runtime error". */
const char *sn_status_name(sn_status);
/* The edits from A to B (a byte inserted, deleted or changed) when at most
 * LIMIT of them (up to 8); LIMIT + 1 when more. For a "did you mean". */
unsigned sn_edit_distance(const char *a, const char *b, unsigned limit);

typedef struct fact sn_fact;
typedef struct rule sn_rule;
typedef struct tmpl sn_template;
typedef struct just sn_just;
typedef struct activation sn_activation;
typedef struct ask sn_ask;

/* ---- diagnostics as values ------------------------------------------ */

typedef struct sn_diag {
    bool error;            /* else a warning */
    char code[8];          /* "E003", "W001" */
    const char *file;      /* "" when the problem has no file */
    unsigned line, col;    /* 1-based; 0 when not known */
    const char *message;
    unsigned end_line, end_col; /* where its span ends (exclusive); as line, col */
} sn_diag;

typedef struct sn_report {
    unsigned nerrors, nwarnings;
    unsigned n;
    sn_diag *items;
    char *text;            /* every diagnostic rendered with its source line and caret */
} sn_report;

void sn_report_free(sn_report *);

/* ---- checking files without an engine (`sinew check`) ---------------- */

typedef struct sn_check_result {
    unsigned files;                  /* read */
    unsigned templates, rules, facts_blocks, asks, cases;
    bool syntax_errors;              /* names and types were not judged */
    unsigned quotes;                 /* quoted passages looked up (SOURCES_DIR) */
} sn_check_result;

enum { SN_CHECK_COLOR = 1, SN_CHECK_AST = 2 };

/* Read, parse and check PATHS (a directory: its *.sinew files in name
 * order) as one program, as a load would, without loading it anywhere.
 * With SOURCES_DIR (else NULL), a program with no error also has every
 * passage its rules' doc strings quote looked up in the text of the
 * sources they cite, read from that folder (E123 for one not found).
 * REPORT gets every diagnostic, warnings too; its text renders them with
 * the source line and a caret, in colour with SN_CHECK_COLOR. With
 * SN_CHECK_AST the parsed program is listed to AST_OUT. RESULT (may be
 * NULL) counts what the files declare. SN_OK when there is no error,
 * SN_ERR_INPUT when there is one, SN_ERR_NOMEM when memory ran out (E008). */
sn_status sn_check_files(const char *const *paths, unsigned n, unsigned flags, FILE *ast_out,
                         const char *sources_dir, sn_report *report,
                         sn_check_result *result);

/* ---- the one layout (`sinew fmt`) ------------------------------------- */

/* Lay out TEXT (LEN bytes, the file NAME) in sinew's one layout: every
 * comment kept, the meaning unchanged (the result is parsed again and
 * must give the same syntax tree, or nothing is returned). On success
 * *OUT is the new text (malloc'd, NUL-terminated, the caller frees it)
 * and *OUT_LEN its length. SN_ERR_INPUT on a syntax error, SN_ERR_NOMEM when
 * memory ran out, with REPORT (may be NULL) saying why; *OUT is then NULL. */
sn_status sn_layout(const char *name, const char *text, size_t len, char **out, size_t *out_len,
                    sn_report *report);

/* ---- what the files declare and use (`sinew lsp`) ------------------- */

typedef enum sn_sym_kind {
    SN_SYM_TEMPLATE, SN_SYM_SLOT, SN_SYM_RULE, SN_SYM_CASE, SN_SYM_FACTS, SN_SYM_ASK,
    SN_SYM_SOURCE, SN_SYM_VALUE,
    SN_SYM_FUNCTION, SN_SYM_QUERY,
} sn_sym_kind;

/* One name in the text: where a template, slot, rule, case, facts block,
 * ask, source, ask answer, function or query is declared (DEFINITION), or where it is used
 * (a pattern's or fact's template and slots, a constant value in a slot,
 * a cited source). */
typedef struct sn_symbol {
    sn_sym_kind kind;
    bool definition;
    const char *name;   /* as written; an ask's is "TEMPLATE.SLOT", a value's its text */
    const char *tmpl;   /* a slot's, a value's or an ask's template; "" for others */
    const char *slot;   /* a value's or an ask's slot; "" for others */
    unsigned file;      /* index into the texts analysed */
    unsigned line, col, end_line, end_col; /* 1-based, columns in characters; end exclusive */
    const char *detail; /* definitions: what a hover shows (a template's slots and
                         * types, a rule's doc string and sources, an ask's question
                         * and answers, a source's title); "" for uses */
} sn_symbol;

typedef struct sn_analysis {
    sn_report report;   /* every diagnostic, as `sinew check` gives it */
    unsigned n;
    sn_symbol *symbols; /* in the order of the files, then of the text */
    void *strings_;     /* the symbols' text (private) */
} sn_analysis;

/* Parse and check N texts (TEXTS[i], LENS[i] bytes, from the file
 * NAMES[i]) as one program, as `sinew check` does files, and list every
 * name each declares and uses; names and types are listed when the syntax
 * is right. The caller frees OUT with sn_analysis_free. SN_ERR_INPUT when
 * there are errors (OUT is filled all the same), SN_ERR_NOMEM when memory
 * ran out. */
sn_status sn_analyze(const char *const *names, const char *const *texts, const size_t *lens,
                     unsigned n, sn_analysis *out);
void sn_analysis_free(sn_analysis *);

/* ---- the engine ------------------------------------------------------ */

typedef enum sn_strategy { SN_DEPTH, SN_BREADTH, SN_LEX, SN_MEA } sn_strategy;

/* A new engine, or NULL when memory runs out. */
sn_engine *sn_new(void);
void sn_free(sn_engine *);

/* The last call's error in words ("" when it succeeded): for SN_ERR_INPUT
 * the first error of the report, for SN_ERR_RUNTIME the rule, its firing
 * and what failed. Valid until the next call. */
const char *sn_errmsg(const sn_engine *);

/* ---- out of memory ----------------------------------------------------
 *
 * Every byte an engine holds is counted (sn_get_stats). With a limit set,
 * an allocation that would go past it fails as if malloc had; 0 (the
 * default) is no limit. A call in which memory runs out returns
 * SN_ERR_NOMEM, and the engine is left whole:
 *
 * - A change to working memory is not left half done. The engine keeps a
 *   reserve (SN_MEMORY_RESERVE bytes past the limit) on which it finishes
 *   the step it was in, so the network always agrees with working memory;
 *   then the call undoes what it did. Calls that add facts (sn_assert_*,
 *   sn_ask_set) take them back; sn_retract and sn_ask_clear put the facts
 *   back (under new ids); sn_set_threshold, sn_set_strategy and sn_focus
 *   restore the old setting; sn_reset, sn_case_start and sn_case_resume
 *   leave working memory empty. What truth maintenance withdrew on the way
 *   (a conclusion whose match a new fact blocked) is back on the agenda:
 *   the next run concludes it again.
 * - sn_run and sn_step stop after the firing in which memory ran out, as
 *   an interrupt stops them: that firing and those before it stand.
 * - A load that runs out while reading or checking keeps nothing; one that
 *   runs out while compiling finishes on the reserve and is kept (it
 *   returns SN_OK; the next call finds the memory short).
 * - Calls that only read (explanations, queries, questions, what-if) give
 *   no result (what they wrote to a stream stays written).
 *
 * Until memory is available again (facts retracted, the limit raised)
 * every call that may allocate fails at once with SN_ERR_NOMEM, changing
 * nothing. Only a step that needs more than the reserve cannot be
 * finished: the engine is then marked broken, and every call but
 * sn_reset, sn_clear and sn_free fails until sn_reset or sn_clear has
 * rebuilt working memory (sn_clear only, when it was a load compiling its
 * rules); what the step held in hand is lost until sn_free. */
#define SN_MEMORY_RESERVE ((size_t)1 << 20)
void sn_set_memory_limit(sn_engine *, size_t bytes);
size_t sn_memory_limit(const sn_engine *);

/* Load rule files (a directory: its *.sinew files in name order), or text
 * named NAME. SN_OK when loaded; REPORT (may be NULL) receives the
 * diagnostics either way, warnings included; SN_ERR_INPUT when they hold
 * an error. Facts blocks are asserted. */
sn_status sn_load_files(sn_engine *, const char *const *paths, unsigned n, sn_report *report);
sn_status sn_load_string(sn_engine *, const char *name, const char *text, size_t len,
                         sn_report *report);
/* The same for TEXT that begins at line FIRST_LINE (1-based) of NAME, a
 * piece of a longer script (what a piped REPL session types in): the
 * diagnostics and the rules' places (sn_rule_where) give NAME's lines.
 * sn_load_string is this with FIRST_LINE 1. SN_ERR_INPUT for FIRST_LINE
 * 0, or a line number past 2^32 - 1 in the text. */
sn_status sn_load_string_at(sn_engine *, const char *name, unsigned first_line, const char *text,
                            size_t len, sn_report *report);

/* Remove a rule: its activations go and the network forgets it. Facts it
 * asserted stay; what it concluded is withdrawn. SN_ERR_INPUT when there
 * is no rule NAME. */
sn_status sn_remove_rule(sn_engine *, const char *name);

/* Working memory back to the facts blocks; the agenda refilled. */
/* The values only working memory held (a case's free values, strings
 * rules made; none a load compiled) are forgotten with it, here and at
 * sn_case_start, so a long run of cases holds one case's values. */
sn_status sn_reset(sn_engine *);
/* Everything gone: rules, templates, facts. The settings, the embedder's
 * functions and the memory limit stay. */
sn_status sn_clear(sn_engine *);

/* A new engine holding E's program, made without loading again: far
 * cheaper than the loads that made E (docs/engine.md, "Clones").
 *
 * Copied: every template, ask and grouped question, facts block, case,
 * module and the starting focus, function of the language and of the
 * embedder (sn_define_function: the same callbacks and contexts), rule
 * and query (removed rules stay removed), the compiled network (its
 * nodes, alpha memories and dispatch, expressions), the loaded sources
 * (diagnostics about later text quote their lines), and the settings:
 * strategy, threshold, memory limit, most firings, recording, profiling,
 * output, watch flags and stream, interrupt flag, diagnoses a
 * consultation settles.
 *
 * Not copied: working memory. The clone's is as sn_reset leaves it —
 * the facts blocks asserted, the agenda what they make — with no firings,
 * records, explanations, answers, focus or what-if copy behind it, fact
 * ids from 1: a clone of E and E after sn_reset give the same output for
 * the same calls. The counters start at zero (sn_fired_total, each rule's
 * firings), and the error message is "".
 *
 * Later loads, typed facts and patterns are checked in the clone exactly
 * as in E: the clone has a copy of what E's loads declared, so the first
 * text it reads costs no more than in E.
 *
 * The clone is its own: its own symbols, memory and tables; either
 * engine may be changed or freed without the other seeing it. E is only
 * read.
 *
 * NULL when memory runs out (within E's memory limit, which the clone
 * gets; nothing is left allocated), or when E cannot be copied: inside a
 * call on E (from a function the embedder defined, during sn_run), or
 * when E was left broken by memory that ran out (until sn_reset or
 * sn_clear mends it). */
sn_engine *sn_clone(const sn_engine *e);

sn_status sn_set_strategy(sn_engine *, sn_strategy);
sn_strategy sn_strategy_get(const sn_engine *);
const char *sn_strategy_name(sn_strategy);
bool sn_strategy_parse(const char *name, sn_strategy *out);
/* Facts whose certainty is below this do not satisfy a pattern unless the
 * pattern tests `cf`. Default 0.2. */
sn_status sn_set_threshold(sn_engine *, double);
double sn_threshold(const sn_engine *);
/* Record justifications (default on). Off keeps only what truth
 * maintenance needs: benchmarks. */
void sn_set_recording(sn_engine *, bool);

/* Where `print` and `recommend` write (default stdout; NULL: nowhere). */
void sn_set_output(sn_engine *, FILE *);
/* Set *FLAG non-zero (from a signal handler) to stop a run between firings. */
void sn_set_interrupt(sn_engine *, volatile sig_atomic_t *flag);

/* Trace what happens to OUT (NULL: nowhere): SN_WATCH_FACTS prints
 * "==> #12 fact cf" / "<== #12 fact" (a fact truth maintenance withdrew
 * says which rule's match went and why: ", withdrawn: rule R (firing 3)
 * lost its match: fact 2 was retracted") and a certainty that changed,
 * with its cause ("~ #12 fact 0.40 -> 0.46 by rule R, firing 5"),
 * SN_WATCH_RULES "FIRE n rule: #1, #2", SN_WATCH_ACTIVATIONS
 * "+ act rule: #1" / "- act rule: #1". */
enum { SN_WATCH_FACTS = 1, SN_WATCH_RULES = 2, SN_WATCH_ACTIVATIONS = 4 };
void sn_set_watch(sn_engine *, unsigned flags, FILE *out);
unsigned sn_watch(const sn_engine *);

/* Every symbol the engine knows (names in rules and facts), for
 * completion. */
void sn_each_symbol(const sn_engine *, void (*fn)(const char *name, void *ctx), void *ctx);

/* ---- facts ----------------------------------------------------------- */

/* Assert a fact written in the language, e.g. "pain(site: groin)", the
 * fact into *OUT (may be NULL; NULL there when truth maintenance withdrew
 * it at once). An equal fact already present is given (working memory is
 * a set). SN_ERR_INPUT with REPORT filled when the text is wrong. */
sn_status sn_assert_string(sn_engine *, const char *text, sn_fact **out, sn_report *report);
/* Assert every fact in TEXT, LEN bytes (facts one after another, as in a
 * facts block; NAME names it in diagnostics). All or nothing: on an error
 * none is asserted. *N (may be NULL) gets how many facts it held; the
 * first MAX of them go to OUT in order (NULL for one that truth
 * maintenance withdrew at once; OUT may be NULL). A NUL byte in TEXT is an
 * error at its place, like any byte that starts no token. */
sn_status sn_assert_facts(sn_engine *, const char *name, const char *text, size_t len,
                          sn_fact **out, size_t max, size_t *n, sn_report *report);
/* SN_ERR_INPUT when F is no longer in working memory. */
sn_status sn_retract(sn_engine *, sn_fact *);
sn_fact *sn_fact_by_id(const sn_engine *, uint64_t id);

/* Facts in order of id. sn_fact_next(e, NULL) is the first. */
sn_fact *sn_fact_next(const sn_engine *, const sn_fact *);
/* Facts matching PATTERN (a pattern as in a rule, e.g. "diagnosis(cf: > 0.5)"),
 * written into OUT (at most MAX); *N gets how many match. SN_ERR_INPUT
 * with REPORT filled when the pattern is wrong. Without a `cf` test, facts
 * below the threshold do not match. */
sn_status sn_query(sn_engine *, const char *pattern, sn_fact **out, size_t max, size_t *n,
                   sn_report *report);

uint64_t sn_fact_id(const sn_fact *);
double sn_fact_cf(const sn_fact *);
const char *sn_fact_template(const sn_fact *);
/* Slot I's value as text (a symbol or string without quotes) into BUF;
 * NULL when there is no slot I. */
const char *sn_fact_value(const sn_fact *, unsigned i, char *buf, size_t size);
/* "diagnosis(name: hip_bursitis)" into BUF (cut to SIZE, always ended by
 * a NUL when SIZE > 0); returns the length the whole text needs. */
size_t sn_fact_format(const sn_fact *, char *buf, size_t size);
/* The same text whole, in memory the caller frees with free(); NULL when
 * memory runs out. */
char *sn_fact_text(const sn_fact *);
void sn_fact_write(FILE *, const sn_fact *);

typedef enum sn_origin {
    SN_ORIGIN_TYPED,    /* sn_assert_string, the REPL */
    SN_ORIGIN_FACTS,    /* a facts block */
    SN_ORIGIN_CASE,     /* a case's given facts */
    SN_ORIGIN_RULE,     /* an assert or modify action */
    SN_ORIGIN_CONCLUDED /* only concluded: held by truth maintenance */
} sn_origin;
sn_origin sn_fact_origin(const sn_fact *);
/* Held up now by at least one rule's `conclude` (whatever else gave it):
 * what the tools call a conclusion. */
bool sn_fact_concluded(const sn_fact *);
/* The facts block or case that gave it, or NULL. */
const char *sn_fact_source(const sn_fact *);

/* ---- running --------------------------------------------------------- */

typedef enum sn_stop { SN_STOP_EMPTY, SN_STOP_LIMIT, SN_STOP_HALT, SN_STOP_INTERRUPT, SN_STOP_ERROR } sn_stop;

/* Fire up to LIMIT rules (< 0: until the agenda is empty). *FIRED (may be
 * NULL) receives how many fired, *STOP (may be NULL) why the run stopped.
 * A runtime error (a division by zero, a retracted fact modified) stops
 * the run with SN_ERR_RUNTIME (and SN_STOP_ERROR); sn_errmsg says what.
 * So does a run that would fire more than the engine's most firings
 * (rules that fire forever): the error names the rules that fired most.
 * Out of memory stops it too (SN_ERR_NOMEM, SN_STOP_ERROR). */
sn_status sn_run(sn_engine *, long limit, uint64_t *fired, sn_stop *stop);

/* The most firings one sn_run may make; 0: no bound. A new engine has
 * SN_MAX_FIRINGS. */
#define SN_MAX_FIRINGS 1000000
void sn_set_max_firings(sn_engine *, uint64_t max);
uint64_t sn_max_firings(const sn_engine *);
uint64_t sn_fired_total(const sn_engine *);

/* One firing at a time: sn_step fires the first activation of the agenda
 * (as sn_run(e, 1, ...) does) and says what it changed, in order: facts
 * added (asserted or concluded; by a modify, the fact replaced), removed
 * (retracted, or withdrawn by truth maintenance, with the cause) and
 * certainties changed (before and after, with the cause). The caller
 * frees the result with sn_step_free. */
typedef enum sn_change_kind { SN_CHANGE_ADDED, SN_CHANGE_REMOVED, SN_CHANGE_CF } sn_change_kind;
typedef struct sn_change {
    sn_change_kind kind;
    uint64_t id;
    char *fact;            /* "diagnosis(name: x)", as it was then */
    double before, after;  /* its cf (ADDED, REMOVED: both the same) */
    uint64_t replaces;     /* ADDED by a modify: the fact it replaced; else 0 */
    bool withdrawn;        /* REMOVED by truth maintenance, not by the rule */
    char *cause;           /* CF and withdrawn: why, in words; else NULL */
} sn_change;
enum { SN_STEP_MATCHED = 32 };
typedef struct sn_step_result {
    const sn_rule *rule;   /* the rule that fired; NULL: the agenda was empty */
    uint64_t firing;       /* its number (sn_fired_total); 0 when none fired */
    unsigned nmatched;     /* the facts its activation matched ... */
    uint64_t matched[SN_STEP_MATCHED]; /* ... their ids, the first SN_STEP_MATCHED */
    unsigned n;
    sn_change *changes;
} sn_step_result;
sn_status sn_step(sn_engine *, sn_step_result *out, sn_stop *stop);
void sn_step_free(sn_step_result *);

/* The agenda, in the order it will fire. */
sn_activation *sn_agenda_next(const sn_engine *, const sn_activation *);
const sn_rule *sn_activation_rule(const sn_activation *);
int sn_activation_salience(const sn_activation *);
/* The facts the activation matched (its positive patterns), in order. */
unsigned sn_activation_facts(const sn_activation *, const sn_fact **out, unsigned max);

/* ---- modules and focus (docs/language.md, "Modules and focus") ------- */

/* Module I's name (0 is main, the module of rules without a `module`
 * line), or NULL past the last. */
const char *sn_module_name(const sn_engine *, unsigned i);
/* Push MODULE on the focus stack: its rules fire next, then the run goes
 * on as it would have. An empty stack (after a reset, or a run that ran
 * out) is first filled as a run fills it: the starting focus, then main.
 * SN_ERR_INPUT when no module has that name, or the stack is full. */
sn_status sn_focus(sn_engine *, const char *module);
/* The focus stack, top first: up to MAX module names into OUT; returns
 * its depth (0: empty, and the next run starts from the starting focus). */
unsigned sn_focus_stack(const sn_engine *, const char **out, unsigned max);

/* ---- rules, templates ------------------------------------------------ */

const sn_rule *sn_rule_next(const sn_engine *, const sn_rule *);
const sn_rule *sn_rule_find(const sn_engine *, const char *name);
const char *sn_rule_name(const sn_rule *);
const char *sn_rule_doc(const sn_rule *);          /* "" when none */
unsigned sn_rule_ncites(const sn_rule *);
const char *sn_rule_cite(const sn_rule *, unsigned i);
int sn_rule_salience(const sn_rule *);
/* The number of its module (sn_module_name). */
unsigned sn_rule_module(const sn_rule *);
uint64_t sn_rule_fired(const sn_rule *);
/* Seconds spent in the rule's firings (its actions, what they set off in
 * the network, and choosing the activation that fires next: the clock is
 * read once per firing), counted while profiling is on (sn_set_profile:
 * off at first). */
double sn_rule_seconds(const sn_rule *);
void sn_set_profile(sn_engine *, bool);
/* "rules/hip.sinew:12" */
const char *sn_rule_where(const sn_rule *);

const sn_template *sn_template_next(const sn_engine *, const sn_template *);
const char *sn_template_name(const sn_template *);
unsigned sn_template_nslots(const sn_template *);
const char *sn_template_slot(const sn_template *, unsigned i);
/* Slot I's type as written: "symbol", "string", "int" or "float"; NULL when
 * there is no slot I. */
const char *sn_template_slot_type(const sn_template *, unsigned i);

/* ---- justifications -------------------------------------------------- */

/* The records of how a fact came to be, newest first: every rule firing
 * that asserted or concluded it, active or withdrawn. */
const sn_just *sn_fact_justs(const sn_fact *);
const sn_just *sn_just_next(const sn_just *);
const sn_rule *sn_just_rule(const sn_just *);
bool sn_just_logical(const sn_just *);   /* conclude (else assert/modify) */
bool sn_just_active(const sn_just *);    /* still holds */
double sn_just_cf(const sn_just *);      /* its contribution */
double sn_just_rule_cf(const sn_just *); /* the rule's cf */
double sn_just_min_cf(const sn_just *);  /* min cf of the facts it matched */
uint64_t sn_just_firing(const sn_just *);   /* which firing (1-based) made it */
/* What it matched: fact ids (0 where a pattern was negated or a test). */
unsigned sn_just_nfacts(const sn_just *);
uint64_t sn_just_fact(const sn_just *, unsigned i);
/* Variable bindings at the time of firing. */
unsigned sn_just_nbindings(const sn_just *);
const char *sn_just_binding(const sn_just *, unsigned i, char *buf, size_t size);
const char *sn_just_var(const sn_just *, unsigned i);
/* Why it was withdrawn: "fact 12 retracted", "" while active. */
const char *sn_just_withdrawn(const sn_just *);
/* Every condition of the rule, in the order written, with what held it
 * when the rule fired: a pattern the fact it matched; a `not` (or
 * `not { }`) none; an `exists` (or `exists { }`) the facts that let it
 * through then (they may have gone since); a test none (its variables
 * are among the bindings). None when recording was off. */
typedef enum sn_cond_kind {
    SN_COND_PATTERN, SN_COND_NOT, SN_COND_EXISTS, SN_COND_TEST, SN_COND_OTHER
} sn_cond_kind;
typedef struct sn_cond {
    sn_cond_kind kind;
    const char *text;        /* the condition as written */
    uint64_t fact;           /* a pattern's fact; else 0 */
    unsigned nfacts;         /* an exists: its facts' ids (borrowed from the record) */
    const uint64_t *facts;
} sn_cond;
unsigned sn_just_nconds(const sn_just *);
/* Condition I (from 0) into *OUT; false when there is none. */
bool sn_just_cond(const sn_just *, unsigned i, sn_cond *out);

/* Facts once concluded and since withdrawn (kept while recording), newest
 * first. */
sn_fact *sn_withdrawn_next(const sn_engine *, const sn_fact *);

/* ---- explanations (explain.c) ------------------------------------------ */

typedef enum sn_format { SN_TEXT, SN_JSON, SN_DOT } sn_format;

/* why: where F came from — given, or each rule firing that asserted or
 * concluded it (doc, citations, matched facts, bindings, cf arithmetic),
 * withdrawn ones with the reason. Text or JSON. */
sn_status sn_explain_why(sn_engine *, const sn_fact *f, sn_format, FILE *out);
/* how: the proof tree down to the given facts. Text, JSON or DOT. */
sn_status sn_explain_how(sn_engine *, const sn_fact *f, sn_format, FILE *out);
/* whynot: every rule that could conclude a fact matching PATTERN and what
 * stopped it, closest first, from the network's partial matches. Text or
 * JSON. SN_ERR_INPUT, with REPORT filled, when the pattern is wrong. */
sn_status sn_explain_whynot(sn_engine *, const char *pattern, sn_format, FILE *out,
                            sn_report *report);

/* The Rete network as a Graphviz picture (netdot.c), to OUT: the alpha
 * memories (template and the constants they discriminate on), the beta
 * nodes (joins, not, exists, groups and their subnetworks, tests) and a
 * terminal per rule alternative, each memory with how many entries it
 * holds now. RULE: only the nodes that rule uses; NULL: the whole
 * network. SN_ERR_INPUT when there is no rule RULE (nothing is written). */
sn_status sn_network_dot(sn_engine *, const char *rule, FILE *out);

/* F as one JSON object: id, fact, template, slots, cf, live, origin. */
void sn_fact_json(FILE *out, const sn_fact *f);
/* Slot I of F as a JSON value: a number, or a string. */
void sn_fact_value_json(FILE *out, const sn_fact *f, unsigned i);
/* S as a JSON string, quoted and escaped. */
void sn_json_string(FILE *out, const char *s);

/* ---- recommendations ------------------------------------------------- */

/* Recommendations made by rules whose match still holds: the most urgent
 * rule first (salience), then by rule name and text, so the order does
 * not depend on the order findings were given in. */
unsigned sn_recommendations(const sn_engine *, const char **texts, const sn_rule **rules,
                            unsigned max);

/* The red flag the recommendation TEXT (a pointer sn_recommendations gave)
 * rests on: a red_flag fact its rule matched; NULL when none. */
const sn_fact *sn_recommendation_flag(const sn_engine *, const char *text);
/* Are T's facts advice: read by rules that recommend and by no other
 * rule (and neither red flags nor diagnoses)? A report shows the
 * recommendations, not these. */
bool sn_template_advice(const sn_engine *, const sn_template *);

/* ---- case tests ------------------------------------------------------ */

typedef struct sn_case_result {
    const char *name;
    const char *where;     /* "rules/x.sinew:40" */
    bool passed;
    unsigned nexpect, nfailed;
    char *detail;          /* one line per failed expectation; NULL when passed */
} sn_case_result;

unsigned sn_case_count(const sn_engine *);
const char *sn_case_name(const sn_engine *, unsigned i);
/* Working memory reset to the facts blocks and case I's given facts; no
 * rule is run. SN_ERR_INPUT when there is no case I. */
sn_status sn_case_start(sn_engine *, unsigned i);
/* Start from the given facts of the last case in the file PATH (a saved
 * consultation): the file is checked against what is loaded but not kept,
 * so it can be read again any number of times. Working memory is reset to
 * the facts blocks and that case's given facts; the case's name goes to
 * NAME. SN_ERR_INPUT with REPORT filled when the file has errors, and
 * with no error in REPORT when it holds no case. */
sn_status sn_case_resume(sn_engine *, const char *path, char *name, size_t size,
                         sn_report *report);
/* Run case I: working memory is reset to the facts blocks and the case's
 * given facts, the rules run, the expectations are judged, and the engine
 * is reset again. Fills R (free R->detail with free()); a case whose run
 * failed (a runtime error, out of memory) has not passed, and its detail
 * says why. The status is the run's. */
sn_status sn_case_run(sn_engine *, unsigned i, sn_case_result *r);

/* ---- findings from outside: JSON cases, answers (given.c, ask.c) ---- */

/* A value from outside the language: TEXT is a symbol or a string (as the
 * slot's type wants), or the digits of a number for a number slot. */
typedef struct sn_value {
    bool is_number;
    const char *text;      /* when not a number */
    double number;
    bool is_string;        /* TEXT is a string, not a symbol (function calls) */
} sn_value;

/* TEXT as a number a person types: decimal digits with an optional sign,
 * point and exponent ("38.5", "-2", "3.85e1"), not hexadecimal, inf or nan
 * (which strtod takes). SN_NUMBER with *OUT set; SN_NOT_A_NUMBER;
 * SN_TOO_LARGE (1e400). Answers to number questions are read so. */
typedef enum sn_number_kind { SN_NUMBER, SN_NOT_A_NUMBER, SN_TOO_LARGE } sn_number_kind;
sn_number_kind sn_number_parse(const char *text, double *out);

/* Assert a fact of template TMPL with SLOT (NULL: the slot the template's
 * ask is for, or its only slot) set to V, its other slots at their
 * defaults; origin SN_ORIGIN_TYPED. Checked as a typed fact is: the
 * template and slot exist, V has the slot's type and, when the slot has an
 * ask, is one of its answers. The fact goes to *OUT (may be NULL; NULL
 * there when truth maintenance withdrew it at once); SN_ERR_INPUT with a
 * one-line reason in ERR (and sn_errmsg) when it does not check.
 * sn_check_slot checks the same and asserts nothing. */
sn_status sn_assert_slot(sn_engine *, const char *tmpl, const char *slot, sn_value v,
                         sn_fact **out, char *err, size_t errsize);
sn_status sn_check_slot(sn_engine *, const char *tmpl, const char *slot, sn_value v, char *err,
                        size_t errsize);
/* The same with N slots set at once (the others at their defaults). */
sn_status sn_assert_slots(sn_engine *, const char *tmpl, const char *const *slots,
                          const sn_value *vals, unsigned n, sn_fact **out, char *err,
                          size_t errsize);

/* ---- queries: `query NAME(?a) when CONDITIONS end` ---------------------- */

/* The matches of a query: one row per match, one column per variable its
 * conditions bind (fact variables and those inside not, exists and forall
 * aside), in the order they are first bound. Every cell has its text (a
 * number's too, as sinew writes it); a number also has is_number and
 * number, a string is_string. sn_rows_free frees it all. */
typedef struct sn_rows {
    unsigned ncols, nrows;
    char **cols;           /* the variables' names, without '?' */
    sn_value *cells;       /* nrows * ncols, row after row */
} sn_rows;

/* The Ith query in load order, or NULL past the last; *NPARAMS (may be
 * NULL) gets how many parameters it takes. */
const char *sn_query_at(const sn_engine *, unsigned i, unsigned *nparams);
/* The Ith parameter's name (without '?') of query NAME, or NULL. */
const char *sn_query_param(const sn_engine *, const char *name, unsigned i);
/* Run query NAME with its NARGS arguments: the matches whose parameters
 * are bound to those values (a number equals the same number, int or
 * float; text equals the same symbol or string) and, for parameters no
 * pattern binds, whose top-level tests hold with those values; ordered by
 * the facts they match, oldest first. A one-line reason in ERR (and
 * sn_errmsg) with SN_ERR_INPUT for an unknown query or a wrong number of
 * arguments, SN_ERR_RUNTIME for a runtime error in a test. */
sn_status sn_query_run(sn_engine *, const char *name, const sn_value *args, unsigned nargs,
                       sn_rows *out, char *err, size_t errsize);
void sn_rows_free(sn_rows *);
/* The same rows one at a time, none kept (16 bytes a match, for their
 * order): EACH gets the columns alone (ROW->nrows 0), then each row in
 * order (nrows 1). ROW is valid during the call only; EACH must not call
 * the engine, and returns false to stop (still SN_OK). Errors as
 * sn_query_run's, found before the first call but running out of memory. */
typedef bool (*sn_row_fn)(void *ctx, const sn_rows *row);
sn_status sn_query_each(sn_engine *, const char *name, const sn_value *args, unsigned nargs,
                        sn_row_fn each, void *ctx, char *err, size_t errsize);

/* ---- functions the rules can call, defined by the embedder -------------- */

/* Called with the N arguments of a call (borrowed for the call: numbers as
 * numbers, symbols and strings as text with is_string telling them apart).
 * Sets *RESULT (its text, if any, is copied before the call returns; a
 * whole number comes back as an int, any other number as a float) and
 * returns true; or returns false with a one-line reason in ERR, which stops
 * the run as a division by zero does. */
typedef bool (*sn_function)(void *ctx, const sn_value *args, unsigned n, sn_value *result,
                            char *err, size_t errsize);

/* Let the rules of E call NAME with MIN_ARGS to MAX_ARGS arguments
 * (MAX_ARGS < 0: no upper bound). Rules loaded after this are checked
 * against it as against the builtins (unknown name E113, wrong number of
 * arguments E114). SN_ERR_INPUT when NAME is not a name, is a builtin's or
 * is defined already. `sinew check`, with no engine, knows only the builtins. */
sn_status sn_define_function(sn_engine *, const char *name, int min_args, int max_args, sn_function fn,
                        void *ctx);

/* A template named `red_flag` holds urgent conclusions: consult asks for
 * the rules that make them first and reports them first. */
bool sn_template_red_flag(const sn_template *);
bool sn_rule_red_flag(const sn_rule *);
bool sn_fact_red_flag(const sn_fact *);
const sn_template *sn_template_find(const sn_engine *, const char *name);

/* ---- questions: consultation (ask.c, choose.c) -------------------------- */

/* The ask declarations, in order. */
const sn_ask *sn_ask_next(const sn_engine *, const sn_ask *);
const sn_ask *sn_ask_find(const sn_engine *, const char *tmpl);
const char *sn_ask_template(const sn_ask *);
const char *sn_ask_slot(const sn_ask *);
const char *sn_ask_question(const sn_ask *);
bool sn_ask_multiple(const sn_ask *);
unsigned sn_ask_nanswers(const sn_ask *);
const char *sn_ask_answer(const sn_ask *, unsigned i);
/* A grouped question ("any of these?") has items, each a finding's ask
 * (sn_ask_item) and the answer ticking it records (sn_ask_item_answer;
 * NULL: the finding's own question asks which); its answers are the
 * items' template names, then "none". A plain ask has no items, and
 * sn_ask_group gives the group it is an item of, or NULL. A group's
 * sn_ask_template is its name; its sn_ask_slot is "". */
unsigned sn_ask_nitems(const sn_ask *);
const sn_ask *sn_ask_item(const sn_ask *, unsigned i);
const char *sn_ask_item_answer(const sn_ask *, unsigned i);
const sn_ask *sn_ask_group(const sn_ask *);

/* Where a question stands. It is answered while a given fact of its
 * template is in working memory (from sn_ask_set, typed, a case or a
 * facts block), unknown once sn_ask_set_unknown says so; reset opens
 * every question again. */
typedef enum sn_ask_state { SN_ASK_OPEN, SN_ASK_ANSWERED, SN_ASK_UNKNOWN } sn_ask_state;
sn_ask_state sn_ask_state_of(const sn_engine *, const sn_ask *);
/* Answer: one fact per answer (several only when the ask is `multiple`).
 * All or nothing: an answer that is not allowed asserts nothing and ERR
 * says which. A grouped question is answered with the items that apply
 * (or "none"): an item ticked records its answer, or leaves its own
 * question open when it has none; an item not ticked records its
 * question's `no` or `none` (not known when it has neither). Items
 * settled before are left alone; unknown and clear act on the items the
 * group settled. SN_ERR_INPUT with ERR for an answer not allowed. */
sn_status sn_ask_set(sn_engine *, const sn_ask *, const char *const *answers, unsigned n,
                     char *err, size_t errsize);
/* The answer is not known: no fact, and the question is settled. */
sn_status sn_ask_set_unknown(sn_engine *, const sn_ask *);
/* Take the answer back: its facts are retracted (what rested on them is
 * withdrawn) and the question is open again. */
sn_status sn_ask_clear(sn_engine *, const sn_ask *);

/* The question to ask next into *OUT, NULL there when no answer to any
 * open question can change the report: a red flag, or the diagnoses (facts of the
 * template `diagnosis`) at the top of the differential and their order
 * (sn_consult_top of them). Of the open questions a rule
 * that matters waits on, the one whose answers, tried on a copy of the
 * engine, change the report most on average. The rules it could advance
 * (complete, or block when they have fired) are written to WHY (at most
 * MAX), closest first; *NWHY gets how many there are. docs/engine.md says
 * how the choice is made. */
typedef struct sn_reason {
    const sn_rule *rule;
    unsigned held, conditions;  /* of its closest partial match */
    bool blocks;                /* the answer could withdraw what it made */
    const char *condition;      /* the condition the answer bears on, as written */
} sn_reason;
sn_status sn_next_question(sn_engine *, const sn_ask **out, sn_reason *why, unsigned max,
                           unsigned *nwhy);
/* How many diagnoses at the top of the differential a consultation must
 * settle, in order, before it stops (default 1: the top diagnosis; 3
 * settles the top three). Red flags are always settled. */
void sn_set_consult_top(sn_engine *, unsigned n);
unsigned sn_consult_top(const sn_engine *);
/* The same for any open question some live rule waits on, whether or not
 * it could change the report (a consultation's `more`); NULL when none. */
sn_status sn_next_question_any(sn_engine *, const sn_ask **out, sn_reason *why, unsigned max,
                               unsigned *nwhy);
/* Could some answer to ASK change the report now? (what sn_next_question
 * chooses among) Into *OUT. */
sn_status sn_ask_relevant(sn_engine *, const sn_ask *, bool *out);
/* The rules an answer to ASK could decide, as sn_next_question gives them
 * for its choice: into WHY (at most MAX); *N gets how many there are. */
sn_status sn_ask_reasons(sn_engine *, const sn_ask *, sn_reason *why, unsigned max, unsigned *n);

/* What the report would be if ASK's answer were ANSWERS (N of them; 0:
 * not known), tried on a copy of the engine so nothing in the session
 * changes: red flags raised or withdrawn, the differential as it would
 * be ranked (with where each stands now), recommendations added or gone,
 * written to OUT as text; "nothing in the report would change" when so.
 * An answered question is tried as if answered otherwise. SN_ERR_INPUT
 * with ERR when an answer is not allowed. */
sn_status sn_whatif(sn_engine *, const sn_ask *, const char *const *answers, unsigned n,
                    FILE *out, char *err, size_t errsize);

/* How far rule R got: the conditions that hold, from the first, in its
 * closest partial match (the largest over its `or` alternatives), and how
 * many it has there. */
unsigned sn_rule_held(const sn_engine *, const sn_rule *, unsigned *conditions);

/* ---- statistics ------------------------------------------------------ */

typedef struct sn_stats {
    uint64_t facts, fired, activations, tokens, alpha_memories, beta_nodes;
    size_t bytes, peak_bytes;
    /* the copy that what-if tries answers on (sn_whatif, sn_next_question),
     * kept between calls once made: its bytes, and its facts (none between
     * calls: the copy's working memory is emptied after each use) */
    size_t whatif_bytes;
    uint64_t whatif_facts;
} sn_stats;
void sn_get_stats(const sn_engine *, sn_stats *);

#ifdef __cplusplus
}
#endif

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
