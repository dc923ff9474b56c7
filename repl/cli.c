/* cli.c — the table of commands and options, their help, and reading
 * options from it. See cli.h.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define COLOR_OPTION \
    {"color", 0, 'C', "WHEN", "colour: auto (on a terminal, unless NO_COLOR is set or\n" \
                             "TERM is dumb), always or never"}
#define MAX_FIRINGS_OPTION \
    {"max-firings", 0, 'M', "N", "the most firings one run may make, or an error naming\n" \
                                 "the rules that fired most (default 1000000; 0: no bound)"}
#define MAX_MEMORY_OPTION \
    {"max-memory", 0, 'X', "SIZE", "the most memory the engine may hold (bytes, or with K, M\n" \
                                   "or G: 500M); past it a command fails with out of memory\n" \
                                   "and nothing is left half done (default: no limit)"}
#define SESSION_OPTIONS \
    {"file", 'f', 'f', "SCRIPT", "read the commands from SCRIPT, not standard input"}, \
    {"bail", 0, 'b', NULL, "without a terminal, stop at the first command that fails"}, \
    MAX_FIRINGS_OPTION, \
    MAX_MEMORY_OPTION, \
    COLOR_OPTION

static const cli_option repl_options[] = {
    SESSION_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option check_options[] = {
    {"werror", 0, 'W', NULL, "treat warnings as errors (exit 1)"},
    {"quiet", 'q', 'q', NULL, "print only the diagnostics, not the summary line"},
    {"ast", 0, 'A', NULL, "print the syntax tree (parenthesised) on standard output"},
    {"sources", 0, 'S', "DIR", "also look for each passage a rule's doc string quotes in\n"
                               "the text of the sources it cites, read from DIR"},
    COLOR_OPTION,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option run_options[] = {
    {"strategy", 0, 's', "S", "depth (default), breadth, lex or mea"},
    {"threshold", 0, 't', "X", "certainty below which a fact matches no pattern (0.2)"},
    {"limit", 0, 'l', "N", "stop after N firings"},
    {"focus", 0, 'o', "A,B", "run the rules of modules A, then B, first; then the\n"
                             "starting focus and main, as always"},
    MAX_FIRINGS_OPTION,
    MAX_MEMORY_OPTION,
    {"no-record", 0, 'R', NULL, "keep no justifications (faster; for benchmarks)"},
    {"stats", 0, 'S', NULL, "print firings, facts and peak memory on standard error,\n"
                            "then each rule's firings and the time in them"},
    {"quiet", 'q', 'q', NULL, "do not list conclusions and recommendations"},
    {"facts", 0, 'F', "FILE", "assert the facts in FILE (as in a facts block) first"},
    {"json", 0, 'J', NULL, "print the run as one JSON object: what stopped it, what\n"
                           "the rules printed, conclusions, recommendations"},
    {"query", 0, 'Q', "CALL", "after the run, print the matches of a query instead of the\n"
                              "conclusions; CALL is its name and arguments: 'by_site groin'"},
    {"facts-out", 0, 'O', "PATTERN", "after the run, list the facts matching PATTERN, however\n"
                                     "they came: 'diagnosis()', 'pain(severity: > 5)'"},
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option test_options[] = {
    {"verbose", 'v', 'v', NULL, "name every case, passed or not"},
    {"coverage", 0, 'c', NULL, "list the rules no case fired (exit 1 if there are any)"},
    {"json", 0, 'J', NULL, "each case's run as a batch result line (reports go to\n"
                           "standard error)"},
    {"export", 0, 'E', NULL, "each case's given facts as a batch input line (not\n"
                             "with --json)"},
    MAX_FIRINGS_OPTION,
    MAX_MEMORY_OPTION,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option consult_options[] = {
    {"resume", 0, 'r', "FILE", "start from the answers saved in FILE ('save FILE')"},
    {"width", 0, 'w', "N", "wrap the questions and the report at N columns (default:\n"
                           "the terminal's width, 80 without a terminal)"},
    {"top", 0, 't', "N", "settle the N most likely diagnoses, in order, before\n"
                         "stopping (default 1); red flags are always settled"},
    {"jsonl", 0, 'j', NULL, "for another program: each question as a JSON line, one\n"
                            "answer a line, the report as a batch result line"},
    SESSION_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option batch_options[] = {
    {"threshold", 0, 't', "X", "as for run"},
    {"no-explain", 0, 'n', NULL, "leave out the rules behind each conclusion (faster)"},
    MAX_FIRINGS_OPTION,
    MAX_MEMORY_OPTION,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option fmt_options[] = {
    {"check", 0, 'c', NULL, "change nothing: list the files that would change (exit 1\n"
                            "if there are any)"},
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option lsp_options[] = {
    {"log", 0, 'L', "FILE", "append every message received and sent to FILE (to see\n"
                            "what an editor and the server say)"},
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option serve_options[] = {
    {"bind", 0, 'B', "ADDR", "the address to listen on (default 127.0.0.1: this\n"
                             "machine only)"},
    {"port", 0, 'p', "N", "the port (default 8080; 0: any free port, printed)"},
    {"max-sessions", 0, 'm', "N", "browser tabs served at once (default 100)"},
    {"idle", 0, 'i', "SECONDS", "a tab's session unused this long is freed (default\n"
                                "1800)"},
    {NULL, 0, 0, NULL, NULL},
};

static const cli_command table[] = {
    {"", "[FILE|DIR...]", "the REPL, on the shipped knowledge base or on these files",
     "The REPL, on the shipped knowledge base (./rules/, or PREFIX/share/sinew/rules\n"
     "beside an installed sinew; $SINEW_RULES names another) or on the files given:\n"
     "enter findings, run or step one rule at a time, ask why, how and whynot,\n"
     "draw the Rete network ('help' inside lists the commands). On a terminal it\n"
     "uses GNU readline; otherwise it reads commands from standard input (or\n"
     "SCRIPT), with no prompt: errors go to standard error as\n"
     "SCRIPT:LINE: error: ..., and the exit status is 1 if any command failed.\n",
     repl_options},
    {"check", "FILE|DIR...", "parse and check rule files; report every problem",
     "Parse and check rule files (a folder: every .sinew file in it) as one\n"
     "program; report every error and warning, with its line and a caret.\n",
     check_options},
    {"run", "FILE|DIR...", "load, run the rules to the end, print the conclusions",
     "Load the files, assert their facts blocks, run the rules to the end; the\n"
     "rules' print output on standard output, then the conclusions (cf at or above\n"
     "the threshold) and the recommendations.\n",
     run_options},
    {"test", "[FILE|DIR...]", "run the case tests of the files",
     "Run the case tests of the files (default: the shipped knowledge base); one\n"
     "line per failed case, then the count.\n",
     test_options},
    {"consult", "[FILE|DIR...]", "a consultation: sinew asks the questions",
     "A consultation: sinew asks the questions of the knowledge base's asks (answers\n"
     "are checked and completed with Tab; why, unknown, back, save FILE, quit),\n"
     "then reports, and the REPL goes on.\n",
     consult_options},
    {"batch", "[FILE|DIR...] < cases.jsonl", "JSON cases in, JSON results out",
     "One JSON case per line on standard input, one JSON result per line on\n"
     "standard output; a bad line gets an error record and the run goes on (exit\n"
     "status 1).\n",
     batch_options},
    {"fmt", "FILE|DIR|-...", "lay rule files out in the one layout",
     "Rewrite rule files (a folder: every .sinew file in it) in sinew's one\n"
     "layout: indentation, spacing and line breaks; comments and blank lines\n"
     "between items are kept, and the meaning never changes (a file with a\n"
     "syntax error is left as it is). Each file is written to a temporary file\n"
     "that replaces it, so a failed write loses nothing. '-' formats standard\n"
     "input to standard output.\n",
     fmt_options},
    {"lsp", "", "a language server for editors (standard input and output)",
     "A Language Server Protocol server on standard input and output, for\n"
     "editors: each document is checked with the other .sinew files of its\n"
     "folder, with the diagnostics of 'sinew check'; hover, go to definition,\n"
     "find references, completion, document symbols and formatting ('sinew\n"
     "fmt'). The editor starts it and talks to it; it ends on 'exit'.\n",
     lsp_options},
    {"serve", "[FILE|DIR...]", "a web page for the classroom (consult, explain, step)",
     "A web page for teaching on this machine (http://127.0.0.1:8080/ unless\n"
     "--bind and --port say otherwise): each browser tab is its own\n"
     "consultation, with the differential and red flags as they change, the\n"
     "proof tree of any conclusion drawn by Graphviz, the run replayed one\n"
     "firing at a time with its agenda, and whynot. The page is built into the\n"
     "program and needs no network. Ctrl-C stops it.\n",
     serve_options},
    {NULL, NULL, NULL, NULL, NULL},
};

const cli_command *cli_commands(void) { return table; }

const cli_command *cli_find(const char *name)
{
    for (const cli_command *c = table; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static const cli_option help_option = {"help", 'h', 'h', NULL, "this help"};

void cli_begin(cli_parse *p, const char *command, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cli_find(command);
    p->argc = argc;
    p->argv = argv;
    char *s = p->shorts;
    *s++ = ':'; /* a missing argument is ':', not '?' */
    unsigned n = 0;
    const cli_option *o = p->cmd->options;
    for (;; o++) {
        /* the table is ours: a command with more options needs a bigger
         * CLI_MAX_OPTIONS */
        assert(n < CLI_MAX_OPTIONS + 1);
        const cli_option *x = o->name ? o : &help_option;
        p->longs[n++] = (struct option){x->name, x->arg ? required_argument : no_argument, NULL, x->code};
        if (x->letter) {
            *s++ = x->letter;
            if (x->arg)
                *s++ = ':';
        }
        if (!o->name)
            break;
    }
    *s = '\0';
    optind = 1;
    opterr = 0;
}

/* The option getopt just refused, as it was written: "--frob", "-x". */
static void refused(const cli_parse *p, char *buf, size_t size)
{
    const char *word = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "";
    if (optopt && (word[0] != '-' || word[1] != '-')) {
        snprintf(buf, size, "-%c", optopt);
        return;
    }
    size_t n = strcspn(word, "=");
    snprintf(buf, size, "%.*s", (int)n, word);
}

int cli_next(cli_parse *p)
{
    const char *who = *p->cmd->name ? p->cmd->name : NULL;
    optopt = 0;
    int c = getopt_long(p->argc, p->argv, p->shorts, p->longs, NULL);
    char what[128];
    switch (c) {
    case -1:
        p->optind = optind;
        return CLI_END;
    case 'h':
        cli_help(stdout, p->cmd);
        p->status = EXIT_OK;
        return CLI_EXIT;
    case ':':
        refused(p, what, sizeof what);
        p->status = cli_usage(who, "option '%s' needs an argument", what);
        return CLI_EXIT;
    case '?':
        refused(p, what, sizeof what);
        p->status = cli_usage(who, "unknown option '%s'", what);
        return CLI_EXIT;
    default:
        p->arg = optarg;
        return c;
    }
}

bool cli_count_parse(const char *word, unsigned long long *n)
{
    char *end;
    if (*word < '0' || *word > '9')
        return false;
    errno = 0;
    *n = strtoull(word, &end, 10);
    return *end == '\0' && errno == 0;
}

bool cli_size_parse(const char *word, unsigned long long *bytes)
{
    unsigned long long n;
    char *end;
    if (*word < '0' || *word > '9')
        return false;
    errno = 0;
    n = strtoull(word, &end, 10);
    unsigned shift = 0;
    switch (*end) {
    case '\0': break;
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    default: return false;
    }
    if (*end || errno || n > (~0ULL >> shift))
        return false;
    *bytes = n << shift;
    return true;
}

bool cli_color_parse(const char *word, int *mode)
{
    static const char *const words[] = {"auto", "always", "never"};
    for (int i = 0; i < 3; i++)
        if (strcmp(word, words[i]) == 0) {
            *mode = i;
            return true;
        }
    return false;
}

bool cli_color_on(int mode, FILE *f)
{
    if (mode != CLI_COLOR_AUTO)
        return mode == CLI_COLOR_ALWAYS;
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(fileno(f)) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sinew%s%s: ", command ? " " : "", command ? command : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\ntry 'sinew%s%s --help'\n", command ? " " : "", command ? command : "");
    va_end(ap);
    return EXIT_USAGE;
}

/* "sinew run [--strategy S] [-q | --quiet] ... FILE|DIR...", in lines of
 * at most 79 columns after INDENT columns, the next lines under the first
 * option. */
static void synopsis(FILE *out, const cli_command *c, int indent)
{
    int col = indent + fprintf(out, "sinew%s%s", *c->name ? " " : "", c->name);
    int hang = col;
    for (const cli_option *o = c->options;; o++) {
        char word[96];
        if (!o->name)
            snprintf(word, sizeof word, "%s", c->operands);
        else
            snprintf(word, sizeof word, "[%s%s%s--%s%s%s]", o->letter ? "-" : "",
                     o->letter ? (char[2]){o->letter, 0} : "", o->letter ? " | " : "", o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
        if (col + 1 + (int)strlen(word) > 79)
            col = fprintf(out, "\n%*s", hang, "") - 1;
        col += fprintf(out, " %s", word);
        if (!o->name)
            break;
    }
    fputc('\n', out);
}

static void option_help(FILE *out, const cli_option *o)
{
    char head[64];
    int n = snprintf(head, sizeof head, "%s%s%s--%s%s%s", o->letter ? "-" : "",
                     o->letter ? (char[2]){o->letter, 0} : "", o->letter ? ", " : "", o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
    fprintf(out, "  %s%*s", head, n < 20 ? 20 - n : 1, "");
    /* continuation lines line up under the first */
    for (const char *h = o->help; *h; h++) {
        fputc(*h, out);
        if (*h == '\n')
            fprintf(out, "%22s", "");
    }
    fputc('\n', out);
}

void cli_help(FILE *out, const cli_command *c)
{
    if (c) {
        fputs("usage: ", out);
        synopsis(out, c, 7);
        fprintf(out, "\n%s\nOptions:\n", c->text);
        for (const cli_option *o = c->options; o->name; o++)
            option_help(out, o);
        option_help(out, &help_option);
        fputs("\nExit status: 0 clean, 1 errors found, 2 usage error.\n", out);
        return;
    }
    fputs("usage: sinew [OPTIONS] [FILE|DIR...]\n", out);
    for (const cli_command *x = table + 1; x->name; x++)
        fprintf(out, "       sinew %s [OPTIONS] %s\n", x->name, x->operands);
    fputs("       sinew --help | --version\n\nCommands:\n", out);
    for (const cli_command *x = table; x->name; x++)
        fprintf(out, "  %-20s%s\n", *x->name ? x->name : "(none)", x->summary);
    fputs("\n'sinew COMMAND --help' gives a command's options. The REPL's:\n", out);
    for (const cli_option *o = table[0].options; o->name; o++)
        option_help(out, o);
    fputs("\nExit status: 0 clean, 1 errors found (or a command failed), 2 usage error.\n"
          "Environment: NO_COLOR turns colour off; TERM=dumb too. SINEW_RULES names the\n"
          "knowledge base used when no file is given; SINEW_HISTFILE the REPL's history.\n",
          out);
}
