/* cli.h — the `sinew` command line: one table of commands and options.
 *
 * The table (cli.c) is the only description of the command line:
 * `sinew --help`, every `sinew COMMAND --help` and the options each
 * command reads come from it, and tests/cli.sh checks docs/sinew.1
 * against the help it prints. Every command takes -h, --help.
 *
 * A command reads its options with cli_begin and cli_next:
 *
 *     cli_parse p;
 *     cli_begin(&p, "run", argc, argv);
 *     for (int c; (c = cli_next(&p)) != CLI_END;)
 *         switch (c) {
 *         case 's': ... p.arg ...; break;
 *         case CLI_EXIT: return p.status;   (help printed, or a usage error)
 *         }
 *     operands: argv + p.optind, argc - p.optind
 */
#ifndef SINEW_CLI_H
#define SINEW_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

typedef struct cli_option {
    const char *name; /* the long name, without "--" */
    char letter;      /* the short form (-q), or 0 */
    int code;         /* what cli_next returns for it */
    const char *arg;  /* its argument's name ("FILE"), or NULL: none */
    const char *help;
} cli_option;

typedef struct cli_command {
    const char *name;     /* "" for the REPL: sinew [OPTIONS] [FILE|DIR...] */
    const char *operands; /* "FILE|DIR..." */
    const char *summary;  /* for the list of commands */
    const char *text;     /* what it does, for its --help */
    const cli_option *options;
} cli_command;

/* NULL when there is no such command. The REPL's entry is "". */
const cli_command *cli_find(const char *name);
/* The table, ending with a NULL name. */
const cli_command *cli_commands(void);

enum { CLI_END = -1, CLI_EXIT = -2 };
enum { CLI_MAX_OPTIONS = 16 };

typedef struct cli_parse {
    const cli_command *cmd;
    int argc;
    char **argv;
    const char *arg;  /* the option's argument (borrowed from argv) */
    int optind;       /* the first operand, once cli_next gave CLI_END */
    int status;       /* the exit status, once cli_next gave CLI_EXIT */
    struct option longs[CLI_MAX_OPTIONS + 2];
    char shorts[2 * CLI_MAX_OPTIONS + 4];
} cli_parse;

/* ARGV[0] is the command's name (or the program's, for the REPL). */
void cli_begin(cli_parse *, const char *command, int argc, char **argv);
/* The next option's code; CLI_END after the last; CLI_EXIT when --help was
 * printed (status 0) or a usage error was (status 2). */
int cli_next(cli_parse *);

/* --max-firings N: WORD is a whole number (0: no bound): *N set, true. */
bool cli_count_parse(const char *word, unsigned long long *n);
/* --max-memory SIZE: WORD is a number of bytes, or of K, M or G (1024,
 * 1024², 1024³ bytes; 0: no limit): *BYTES set, true. */
bool cli_size_parse(const char *word, unsigned long long *bytes);


/* --color=WHEN */
enum { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };
/* WORD is auto, always or never: *MODE set, true. */
bool cli_color_parse(const char *word, int *mode);
/* Colour on F? always; never; auto: when F is a terminal, NO_COLOR is unset
 * or empty, and TERM is not dumb. */
bool cli_color_on(int mode, FILE *f);

/* Print "sinew COMMAND: MESSAGE" and where to look, on standard error;
 * returns EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The help of one command, or of them all (COMMAND NULL). */
void cli_help(FILE *, const cli_command *command);

#endif
