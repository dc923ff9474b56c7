/* serve_main.c — the `sinew-serve` program: `sinew serve` in a program of
 * its own, so that the HTTP server's libraries (libmicrohttpd, GnuTLS)
 * load only when a page is served. `sinew serve ARGS` runs
 * `sinew-serve ARGS` in its place (repl/main.c); its options, help and
 * messages are those of `sinew serve` (cli.c, serve.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "home.h"
#include "serve.h"

int main(int argc, char **argv)
{
    char name[] = "serve";
    char *none[] = {name, NULL};
    if (argc < 1)
        argv = none, argc = 1;
    argv[0] = name;
    int status = cmd_serve(argc, argv, home_default_rules());
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sinew: cannot write the output%s%s\n", errno ? ": " : "",
                errno ? strerror(errno) : "");
        return status ? status : EXIT_ERRORS;
    }
    return status;
}
