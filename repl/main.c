/* main.c — the `sinew` command: dispatch to its subcommands.
 *
 * Exit codes (also in --help and docs/sinew.1):
 *   0  success (check: no errors; warnings allowed unless --werror)
 *   1  the input has errors (check), or a run failed
 *   2  usage error: unknown command or option
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "consult.h"
#include "diag.h"
#include "dump.h"
#include "front.h"
#include "repl.h"

enum { EXIT_ERRORS = 1, EXIT_USAGE = 2 };

#define DEFAULT_RULES "rules"
#ifndef SINEW_RULES_DIR
#define SINEW_RULES_DIR "/usr/local/share/sinew/rules"
#endif

/* The shipped knowledge base: ./rules when it is there (a source tree),
 * else where `make install` put it. */
static const char *default_rules(void)
{
    struct stat st;
    if (stat(DEFAULT_RULES, &st) == 0 && S_ISDIR(st.st_mode))
        return DEFAULT_RULES;
    return SINEW_RULES_DIR;
}

static int usage_error(const char *fmt, const char *what)
{
    fprintf(stderr, "sinew: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\nusage: sinew [FILE|DIR...] | sinew check|run|test|consult|batch ... \n"
                    "try 'sinew --help' for more\n");
    return EXIT_USAGE;
}

static const char usage_text[] =
    "usage: sinew [FILE|DIR...]\n"
    "       sinew check [--werror] [--quiet] [--ast] FILE|DIR...\n"
    "       sinew run [OPTIONS] FILE|DIR...\n"
    "       sinew test [--verbose] [--coverage] [--json | --export] [FILE|DIR...]\n"
    "       sinew consult [--resume FILE] [--width N] [--top N] [--jsonl] [FILE|DIR...]\n"
    "       sinew batch [--threshold X] [--no-explain] [FILE|DIR...] < cases.jsonl\n"
    "       sinew --help | --version\n"
    "\n"
    "Commands:\n"
    "  check FILE|DIR...   parse and check rule files (a folder: every .sinew file\n"
    "                      in it) as one program; report every error and warning\n"
    "  run FILE|DIR...     load the files, assert their facts blocks, run the rules\n"
    "                      to the end; rules' print output on standard output,\n"
    "                      then the conclusions (cf at or above the threshold)\n"
    "                      and the recommendations\n"
    "  test [FILE|DIR...]  run the case tests of the files (default: the shipped\n"
    "                      knowledge base); one line per failed case\n"
    "  consult [FILE...]   a consultation: sinew asks the questions whose answers\n"
    "                      could change the report (answers are checked and\n"
    "                      completed with Tab; why, whatif, unknown, more, back,\n"
    "                      save FILE, quit), then reports, and the REPL goes on\n"
    "  batch [FILE...]     one JSON case per line on standard input, one JSON\n"
    "                      result per line on standard output; a bad line gets\n"
    "                      an error record and the run goes on\n"
    "  (none), FILE|DIR... the REPL, on the shipped knowledge base (./rules/, or\n"
    "                      the installed one in " SINEW_RULES_DIR ") or on these\n"
    "                      files: enter findings, run, ask why, how and whynot\n"
    "                      ('help' inside lists the commands). Without a terminal\n"
    "                      it reads commands from standard input, no prompt\n"
    "\n"
    "Options for check:\n"
    "  --werror            treat warnings as errors (exit 1)\n"
    "  -q, --quiet         print only the diagnostics, not the summary line\n"
    "  --ast               print the syntax tree (parenthesised) on standard output\n"
    "\n"
    "Options for run:\n"
    "  --strategy S        depth (default), breadth, lex or mea\n"
    "  --threshold X       certainty below which a fact matches no pattern (0.2)\n"
    "  --limit N           stop after N firings\n"
    "  --no-record         keep no justifications (faster; for benchmarks)\n"
    "  --stats             print firings, facts and peak memory on standard error\n"
    "  -q, --quiet         do not list conclusions and recommendations\n"
    "  --facts FILE        assert the facts in FILE (as in a facts block) first\n"
    "  --json              print the run as one JSON object: what stopped it, what\n"
    "                      the rules printed, conclusions, recommendations\n"
    "\n"
    "Options for test:\n"
    "  -v, --verbose       name every case, passed or not\n"
    "  --coverage          list the rules no case fired (exit 1 if there are any)\n"
    "  --json              each case's run as a batch result line (reports go to\n"
    "                      standard error)\n"
    "  --export            each case's given facts as a batch input line\n"
    "\n"
    "Options for consult:\n"
    "  --resume FILE       start from the answers saved in FILE ('save FILE')\n"
    "  --width N           wrap the questions and the report at N columns (default:\n"
    "                      the terminal's width, 80 without a terminal)\n"
    "  --top N             settle the N most likely diagnoses, in order, before\n"
    "                      stopping (default 1); red flags are always settled\n"
    "  --jsonl             for another program: each question as a JSON line, one\n"
    "                      answer a line, the report as a batch result line\n"
    "\n"
    "Options for batch:\n"
    "  --threshold X       as for run\n"
    "  --no-explain        leave out the rules behind each conclusion (faster)\n"
    "\n"
    "Exit status: 0 clean, 1 errors found, 2 usage error.\n"
    "Environment: NO_COLOR turns colour off; colour is used only on a terminal.\n";

static bool use_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(nc && *nc);
}

static const char *plural(unsigned n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"werror", no_argument, NULL, 'W'},
        {"quiet", no_argument, NULL, 'q'},
        {"ast", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    bool werror = false, quiet = false, dump = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'W': werror = true; break;
        case 'q': quiet = true; break;
        case 'A': dump = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return usage_error("check: unknown option '%s'", argv[optind - 1]);
        }
    }
    const char *def[] = {default_rules()};
    const char *const *paths = (const char *const *)argv + optind;
    unsigned npaths = (unsigned)(argc - optind);
    if (npaths == 0) {
        paths = def;
        npaths = 1;
    }

    sn_mem mem;
    mem_init(&mem);
    srcset src;
    srcset_init(&src, &mem);
    diag_list d;
    diag_list_init(&d, &mem);

    uint32_t first;
    unsigned nfiles = front_read(&src, paths, npaths, &first, &d);
    unsigned read_errors = d.nerrors;
    ast_program *prog = front_build(&mem, &src, first, nfiles, &d);

    unsigned counts[5] = {0};
    if (prog)
        for (const ast_decl *x = prog->decls; x; x = x->next)
            counts[x->kind]++;
    bool syntax_errors = false;
    for (unsigned i = 0; i < d.n; i++)
        syntax_errors |= d.items[i].code < E_UNKNOWN_TEMPLATE && d.items[i].code != E_IO;

    if (dump && prog) {
        ast_dump(stdout, prog);
        fflush(stdout);
    }
    diag_sort(&d);
    bool color = use_color(stderr);
    for (unsigned i = 0; i < d.n; i++)
        diag_render(stderr, &src, &d.items[i], color);

    if (!quiet) {
        fprintf(stderr, "checked %u %s: %u %s, %u %s, %u %s, %u %s, %u %s: ", nfiles,
                plural(nfiles, "file", "files"), counts[DECL_TEMPLATE],
                plural(counts[DECL_TEMPLATE], "template", "templates"), counts[DECL_RULE],
                plural(counts[DECL_RULE], "rule", "rules"), counts[DECL_FACTS],
                plural(counts[DECL_FACTS], "facts block", "facts blocks"), counts[DECL_ASK],
                plural(counts[DECL_ASK], "ask", "asks"), counts[DECL_CASE],
                plural(counts[DECL_CASE], "case", "cases"));
        if (d.nerrors == 0 && d.nwarnings == 0)
            fprintf(stderr, "no problems\n");
        else
            fprintf(stderr, "%u %s, %u %s%s\n", d.nerrors, plural(d.nerrors, "error", "errors"),
                    d.nwarnings, plural(d.nwarnings, "warning", "warnings"),
                    syntax_errors ? " (names and types are checked once the syntax is right)"
                    : werror && d.nwarnings > 0 ? " (--werror: warnings fail the check)"
                                                : "");
    }
    (void)read_errors;
    int status = d.nerrors > 0 || (werror && d.nwarnings > 0) ? EXIT_ERRORS : 0;
    ast_program_free(prog);
    diag_list_fini(&d);
    srcset_fini(&src);
    return status;
}

/* sinew consult --jsonl: load the knowledge base (and the answers to
 * resume from), then the consultation on standard input and output. */
static int consult_jsonl_main(int npaths, char **paths, const repl_start *start)
{
    sn_engine *e = sn_new();
    if (!e)
        return 1;
    const char *def[] = {default_rules()};
    sn_report r = {0};
    bool ok = npaths > 0 ? sn_load_files(e, (const char *const *)paths, (unsigned)npaths, &r)
                         : sn_load_files(e, def, 1, &r);
    fputs(r.text ? r.text : "", stderr);
    sn_report_free(&r);
    if (ok && start->resume) {
        unsigned before = sn_case_count(e);
        sn_report rr = {0};
        ok = sn_load_files(e, &start->resume, 1, &rr) && sn_case_count(e) > before;
        fputs(rr.text ? rr.text : "", stderr);
        sn_report_free(&rr);
        if (ok)
            sn_case_start(e, sn_case_count(e) - 1);
        else
            fprintf(stderr, "sinew consult: %s holds no case to resume from\n", start->resume);
    }
    if (!ok) {
        sn_free(e);
        return 1;
    }
    sn_set_output(e, NULL);
    if (start->top)
        sn_set_consult_top(e, start->top);
    int status = consult_jsonl(e, stdin, stdout);
    sn_free(e);
    return status;
}

/* sinew consult [--resume FILE] [--width N] [--top N] [--jsonl] [FILE|DIR...] */
static int cmd_consult(int argc, char **argv)
{
    static const struct option opts[] = {
        {"resume", required_argument, NULL, 'r'},
        {"width", required_argument, NULL, 'w'},
        {"top", required_argument, NULL, 't'},
        {"jsonl", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    repl_start start = {.consult = true};
    char *end;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': start.resume = optarg; break;
        case 'w':
            start.width = (unsigned)strtoul(optarg, &end, 10);
            if (*end || start.width < 20 || start.width > 1000)
                return usage_error("consult: --width takes a number of columns from 20 to 1000, not '%s'", optarg);
            break;
        case 't':
            start.top = (unsigned)strtoul(optarg, &end, 10);
            if (*end || start.top < 1 || start.top > 100)
                return usage_error("consult: --top takes a number of diagnoses from 1 to 100, not '%s'", optarg);
            break;
        case 'j': start.jsonl = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return usage_error("consult: unknown option or missing argument '%s'", argv[optind - 1]);
        }
    }
    if (start.jsonl)
        return consult_jsonl_main(argc - optind, argv + optind, &start);
    return repl_main(argc - optind, argv + optind, default_rules(), &start);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return repl_main(0, NULL, default_rules(), NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("sinew %s\n", SINEW_VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, default_rules());
    if (strcmp(cmd, "test") == 0)
        return cmd_test(argc - 1, argv + 1, default_rules());
    if (strcmp(cmd, "consult") == 0)
        return cmd_consult(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return cmd_batch(argc - 1, argv + 1, default_rules());
    if (cmd[0] == '-')
        return usage_error("unknown option '%s'", cmd);
    /* sinew FILE...: the REPL with these files */
    struct stat st;
    if (stat(cmd, &st) == 0)
        return repl_main(argc - 1, argv + 1, default_rules(), NULL);
    return usage_error("unknown command or file '%s'", cmd);
}
