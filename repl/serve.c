/* serve.c — `sinew serve`: libmicrohttpd in this thread. See serve.h.
 *
 * The daemon runs without threads of its own: this process's one thread
 * waits in MHD_run_wait, answers each request through webapi_handle (so
 * sessions need no locks), and frees idle sessions once a second. A
 * signal (SIGINT, SIGTERM) ends the loop; every session is then freed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "cli.h"
#include "serve.h"
#include "sinew.h"
#include "webapi.h"

enum {
    MAX_CONNECTIONS = 256,     /* connections open at once */
    CONNECTION_TIMEOUT = 30,   /* seconds a connection may stay idle */
};

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* A request's body, read in pieces. */
typedef struct request {
    char *body;
    size_t len;
    bool too_long;
} request;

static enum MHD_Result send_reply(struct MHD_Connection *c, webapi_reply *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body, r->static_body ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        webapi_reply_fini(r);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls)
{
    (void)version;
    webapi *w = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > WEBAPI_MAX_BODY)
            rq->too_long = true;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->too_long && rq->len + *upload_size <= WEBAPI_MAX_BODY) {
            char *b = realloc(rq->body, rq->len + *upload_size + 1);
            if (!b)
                return MHD_NO;
            memcpy(b + rq->len, upload, *upload_size);
            rq->body = b;
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        } else {
            rq->too_long = true;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    webapi_reply r;
    webapi_handle(w, method, url, rq->body, rq->too_long ? WEBAPI_MAX_BODY + 1 : rq->len, time(NULL), &r);
    return send_reply(c, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

static bool whole(const char *word, unsigned long lo, unsigned long hi, unsigned long *n)
{
    char *end;
    if (*word < '0' || *word > '9')
        return false;
    errno = 0;
    *n = strtoul(word, &end, 10);
    return *end == '\0' && errno == 0 && *n >= lo && *n <= hi;
}

int cmd_serve(int argc, char **argv, const char *default_rules)
{
    const char *bind = "127.0.0.1";
    unsigned long port = 8080, max_sessions = 100, idle = 1800;
    cli_parse p;
    cli_begin(&p, "serve", argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        switch (c) {
        case 'B': bind = p.arg; break;
        case 'p':
            if (!whole(p.arg, 0, 65535, &port))
                return cli_usage("serve", "--port is a port number from 0 to 65535, not '%s'", p.arg);
            break;
        case 'm':
            if (!whole(p.arg, 1, 10000, &max_sessions))
                return cli_usage("serve", "--max-sessions is a number from 1 to 10000, not '%s'", p.arg);
            break;
        case 'i':
            if (!whole(p.arg, 1, 7 * 24 * 3600, &idle))
                return cli_usage("serve", "--idle is a number of seconds from 1 to 604800, not '%s'", p.arg);
            break;
        case CLI_EXIT: return p.status;
        }
    }
    struct sockaddr_in in4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    const struct sockaddr *addr;
    unsigned flags = MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, bind, &in4.sin_addr) == 1) {
        addr = (const struct sockaddr *)&in4;
    } else if (inet_pton(AF_INET6, bind, &in6.sin6_addr) == 1) {
        addr = (const struct sockaddr *)&in6;
        flags |= MHD_USE_IPv6;
    } else {
        return cli_usage("serve", "--bind is an IPv4 or IPv6 address, not '%s'", bind);
    }

    const char *def[] = {default_rules};
    const char *const *paths = argc > p.optind ? (const char *const *)argv + p.optind : def;
    unsigned npaths = argc > p.optind ? (unsigned)(argc - p.optind) : 1;
    webapi_config cfg = {
        .max_sessions = (unsigned)max_sessions,
        .idle_seconds = (unsigned)idle,
        .render = true,
    };
    /* the knowledge base must load before anyone is told to come; it is
     * loaded once, and each session's engines are clones of it */
    sn_engine *base = sn_new();
    sn_report rep = {0};
    bool loaded = base && sn_load_files(base, paths, npaths, &rep) == SN_OK;
    fputs(rep.text ? rep.text : "", stderr);
    sn_report_free(&rep);
    if (!loaded) {
        sn_free(base);
        return EXIT_ERRORS;
    }
    sn_set_output(base, NULL);
    cfg.base = base;

    webapi *w = webapi_new(&cfg);
    if (!w) {
        fprintf(stderr, "sinew serve: out of memory\n");
        sn_free(base);
        return EXIT_ERRORS;
    }
    /* a client gone mid-reply, or dot ending early, is not a reason to die */
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, w, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)CONNECTION_TIMEOUT, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "sinew serve: cannot listen on %s port %lu: %s\n", bind, port,
                errno ? strerror(errno) : "the daemon did not start");
        webapi_free(w);
        sn_free(base);
        return EXIT_ERRORS;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : (unsigned)port;
    printf("sinew serve: http://%s%s%s:%u/ (Ctrl-C stops it)\n", addr == (const struct sockaddr *)&in6 ? "[" : "",
           bind, addr == (const struct sockaddr *)&in6 ? "]" : "", bound);
    if (fflush(stdout) != 0) {
        MHD_stop_daemon(d);
        webapi_free(w);
        sn_free(base);
        return EXIT_ERRORS;
    }
    unsigned before = 0;
    while (!stop_requested) {
        MHD_run_wait(d, 1000);
        webapi_sweep(w, time(NULL));
        unsigned now = webapi_sessions(w);
        /* the last session gone: its memory back to the system */
        if (now == 0 && before > 0)
            malloc_trim(0);
        before = now;
    }
    MHD_stop_daemon(d);
    webapi_free(w);
    sn_free(base);
    return EXIT_OK;
}
