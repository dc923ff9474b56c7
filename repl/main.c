/* main.c — the `sinew` command: dispatch to its subcommands.
 *
 * The commands and their options are described once, in cli.c.
 * Exit codes (also in --help and docs/sinew.1):
 *   0  success (check: no errors; warnings allowed unless --werror)
 *   1  the input has errors (check), or a run failed
 *   2  usage error: unknown command or option
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "consult.h"
#include "repl.h"
#include "home.h"

static const char *default_rules(void) { return home_default_rules(); }

/* `sinew serve ARGS`: sinew-serve ARGS in this process's place (it links
 * the HTTP server, which the other commands need not load). Returns only
 * when it cannot be run. */
static int cmd_serve(int argc, char **argv)
{
    const char *tried;
    const char *prog = home_program("sinew-serve", &tried);
    if (prog) {
        argv[0] = (char *)prog;
        execv(prog, argv);
        tried = prog;
    }
    fprintf(stderr, "sinew serve: cannot run %s: %s\n", tried,
            prog ? strerror(errno) : "no such program (it is built and installed with sinew)");
    (void)argc;
    return EXIT_ERRORS;
}

static const char *plural(unsigned n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int cmd_check(int argc, char **argv)
{
    bool werror = false, quiet = false, dump = false;
    const char *sources_dir = NULL;
    int color = CLI_COLOR_AUTO;
    cli_parse p;
    cli_begin(&p, "check", argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        switch (c) {
        case 'W': werror = true; break;
        case 'q': quiet = true; break;
        case 'A': dump = true; break;
        case 'S': sources_dir = p.arg; break;
        case 'C':
            if (!cli_color_parse(p.arg, &color))
                return cli_usage("check", "--color is auto, always or never, not '%s'", p.arg);
            break;
        case CLI_EXIT: return p.status;
        }
    }
    const char *def[] = {default_rules()};
    const char *const *paths = (const char *const *)argv + p.optind;
    unsigned npaths = (unsigned)(argc - p.optind);
    if (npaths == 0) {
        paths = def;
        npaths = 1;
    }

    sn_report r = {0};
    sn_check_result res;
    bool ok = sn_check_files(paths, npaths,
                             (cli_color_on(color, stderr) ? SN_CHECK_COLOR : 0) |
                                 (dump ? SN_CHECK_AST : 0),
                             stdout, sources_dir, &r, &res) == SN_OK;
    if (dump)
        fflush(stdout);
    fputs(r.text ? r.text : "", stderr);
    if (!quiet && sources_dir)
        fprintf(stderr, "%u quoted %s looked up in the sources in %s\n", res.quotes,
                plural(res.quotes, "passage", "passages"), sources_dir);
    if (!quiet) {
        fprintf(stderr, "checked %u %s: %u %s, %u %s, %u %s, %u %s, %u %s: ", res.files,
                plural(res.files, "file", "files"), res.templates,
                plural(res.templates, "template", "templates"), res.rules,
                plural(res.rules, "rule", "rules"), res.facts_blocks,
                plural(res.facts_blocks, "facts block", "facts blocks"), res.asks,
                plural(res.asks, "ask", "asks"), res.cases, plural(res.cases, "case", "cases"));
        if (r.nerrors == 0 && r.nwarnings == 0)
            fprintf(stderr, "no problems\n");
        else
            fprintf(stderr, "%u %s, %u %s%s\n", r.nerrors, plural(r.nerrors, "error", "errors"),
                    r.nwarnings, plural(r.nwarnings, "warning", "warnings"),
                    res.syntax_errors ? " (names and types are checked once the syntax is right)"
                    : werror && r.nwarnings > 0 ? " (--werror: warnings fail the check)"
                                                : "");
    }
    int status = !ok || (werror && r.nwarnings > 0) ? EXIT_ERRORS : 0;
    sn_report_free(&r);
    return status;
}

/* sinew consult --jsonl: load the knowledge base (and the answers to
 * resume from), then the consultation on standard input and output. */
static int consult_jsonl_main(int npaths, char **paths, const repl_start *start)
{
    sn_engine *e = sn_new();
    if (!e)
        return 1;
    if (start->max_firings_set)
        sn_set_max_firings(e, start->max_firings);
    sn_set_memory_limit(e, (size_t)start->max_memory);
    const char *def[] = {default_rules()};
    sn_report r = {0};
    bool ok = (npaths > 0 ? sn_load_files(e, (const char *const *)paths, (unsigned)npaths, &r)
                          : sn_load_files(e, def, 1, &r)) == SN_OK;
    fputs(r.text ? r.text : "", stderr);
    sn_report_free(&r);
    if (ok && start->resume) {
        char name[256];
        sn_report rr = {0};
        ok = sn_case_resume(e, start->resume, name, sizeof name, &rr) == SN_OK;
        fputs(rr.text ? rr.text : "", stderr);
        if (!ok && rr.nerrors == 0)
            fprintf(stderr, "sinew consult: %s holds no case to resume from\n", start->resume);
        sn_report_free(&rr);
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

/* The REPL (COMMAND "") and `sinew consult`: their options, then the
 * session. */
static int session(const char *command, int argc, char **argv)
{
    repl_start start = {.consult = *command != '\0', .color = CLI_COLOR_AUTO};
    char *end;
    cli_parse p;
    cli_begin(&p, command, argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        switch (c) {
        case 'r': start.resume = p.arg; break;
        case 'f': start.script = p.arg; break;
        case 'b': start.bail = true; break;
        case 'M':
            if (!cli_count_parse(p.arg, &start.max_firings))
                return cli_usage(*command ? command : NULL,
                                 "--max-firings is a whole number of firings, not '%s'", p.arg);
            start.max_firings_set = true;
            break;
        case 'X':
            if (!cli_size_parse(p.arg, &start.max_memory))
                return cli_usage(*command ? command : NULL,
                                 "--max-memory is a size in bytes (or with K, M, G), not '%s'",
                                 p.arg);
            break;
        case 'w':
            start.width = (unsigned)strtoul(p.arg, &end, 10);
            if (*end || start.width < 20 || start.width > 1000)
                return cli_usage(command, "--width takes a number of columns from 20 to 1000, not '%s'",
                                 p.arg);
            break;
        case 't':
            start.top = (unsigned)strtoul(p.arg, &end, 10);
            if (*end || start.top < 1 || start.top > 100)
                return cli_usage(command, "--top takes a number of diagnoses from 1 to 100, not '%s'",
                                 p.arg);
            break;
        case 'j': start.jsonl = true; break;
        case 'C':
            if (!cli_color_parse(p.arg, &start.color))
                return cli_usage(*command ? command : NULL, "--color is auto, always or never, not '%s'",
                                 p.arg);
            break;
        case CLI_EXIT: return p.status;
        }
    }
    argc -= p.optind;
    argv += p.optind;
    /* sinew chek: a mistyped command, not a file to load */
    struct stat st;
    if (!*command && argc > 0 && stat(argv[0], &st) != 0)
        return cli_usage(NULL, "unknown command or file '%s'", argv[0]);
    if (start.jsonl)
        return consult_jsonl_main(argc, argv, &start);
    return repl_main(argc, argv, default_rules(), &start);
}

static int dispatch(int argc, char **argv);

/* Whatever the command, output that could not be written (a full disk, a
 * file system gone) is an error: status 1 and a message. */
int main(int argc, char **argv)
{
    int status = dispatch(argc, argv);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sinew: cannot write the output%s%s\n", errno ? ": " : "", errno ? strerror(errno) : "");
        return status ? status : EXIT_ERRORS;
    }
    return status;
}

static int dispatch(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        const cli_command *c = strcmp(cmd, "help") == 0 && argc > 2 ? cli_find(argv[2]) : NULL;
        if (strcmp(cmd, "help") == 0 && argc > 2 && !c)
            return cli_usage(NULL, "no command '%s'", argv[2]);
        cli_help(stdout, c);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("sinew %s\n", SINEW_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, default_rules());
    if (strcmp(cmd, "test") == 0)
        return cmd_test(argc - 1, argv + 1, default_rules());
    if (strcmp(cmd, "batch") == 0)
        return cmd_batch(argc - 1, argv + 1, default_rules());
    if (strcmp(cmd, "fmt") == 0)
        return cmd_fmt(argc - 1, argv + 1);
    if (strcmp(cmd, "lsp") == 0)
        return cmd_lsp(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "consult") == 0)
        return session("consult", argc - 1, argv + 1);
    /* sinew [OPTIONS] [FILE|DIR...]: the REPL */
    return session("", argc, argv);
}
