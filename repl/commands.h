/* commands.h — the `sinew` subcommands beyond `check` (repl/run.c).
 *
 * Each takes the arguments after the command name (argv[0] is the
 * command) and returns the process exit status.
 */
#ifndef SINEW_COMMANDS_H
#define SINEW_COMMANDS_H

int cmd_run(int argc, char **argv, const char *default_rules);
int cmd_test(int argc, char **argv, const char *default_rules);

#endif
