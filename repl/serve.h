/* serve.h — `sinew serve`: the classroom page over HTTP, served by
 * libmicrohttpd (repl/serve.c). The requests themselves are answered by
 * webapi.c; this module owns the daemon, its event loop and its limits.
 */
#ifndef SINEW_SERVE_H
#define SINEW_SERVE_H

/* ARGV[0] is "serve"; DEFAULT_RULES the knowledge base when no file is
 * given. Returns the exit status. */
int cmd_serve(int argc, char **argv, const char *default_rules);

#endif
