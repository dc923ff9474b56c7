/* render.c — `dot -Tsvg` as a bounded child process. See render.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "render.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_both(int *fds)
{
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
}

bool render_svg(const char *dot, size_t len, unsigned timeout_ms, char **svg, size_t *svg_len,
                char *err, size_t errsize)
{
    *svg = NULL;
    *svg_len = 0;
    int to[2] = {-1, -1}, from[2] = {-1, -1};
    if (pipe(to) != 0 || pipe(from) != 0) {
        snprintf(err, errsize, "cannot make a pipe: %s", strerror(errno));
        close_both(to);
        return false;
    }
    /* the server's other descriptors are not the child's */
    for (int i = 0; i < 2; i++) {
        fcntl(to[i], F_SETFD, FD_CLOEXEC);
        fcntl(from[i], F_SETFD, FD_CLOEXEC);
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errsize, "cannot start dot: %s", strerror(errno));
        close_both(to);
        close_both(from);
        return false;
    }
    if (pid == 0) {
        /* the child: the pipes as its standard input and output, errors
         * thrown away, then dot (from PATH) */
        int devnull = open("/dev/null", O_WRONLY);
        if (dup2(to[0], 0) < 0 || dup2(from[1], 1) < 0 || devnull < 0 || dup2(devnull, 2) < 0)
            _exit(126);
        execlp("dot", "dot", "-Tsvg", (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    fcntl(to[1], F_SETFL, O_NONBLOCK);
    fcntl(from[0], F_SETFL, O_NONBLOCK);

    size_t cap = 1 << 16, n = 0, sent = 0;
    char *buf = malloc(cap);
    const char *why = buf ? NULL : "out of memory";
    long long deadline = now_ms() + timeout_ms;
    int in_fd = to[1], out_fd = from[0];
    if (len == 0) {
        close(in_fd);
        in_fd = -1;
    }
    while (!why && out_fd >= 0) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            why = "dot took too long; it was stopped";
            break;
        }
        struct pollfd p[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = in_fd, .events = POLLOUT}};
        int r = poll(p, in_fd >= 0 ? 2 : 1, (int)left);
        if (r < 0 && errno != EINTR) {
            why = "poll failed";
            break;
        }
        if (r <= 0)
            continue;
        if (in_fd >= 0 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(in_fd, dot + sent, len - sent);
            if (w > 0)
                sent += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == len) {
                close(in_fd);
                in_fd = -1;
            }
        }
        if (p[0].revents & (POLLIN | POLLERR | POLLHUP)) {
            if (n + 4096 > cap) {
                if (cap >= RENDER_MAX_SVG) {
                    why = "dot wrote too much; it was stopped";
                    break;
                }
                char *w = realloc(buf, cap * 2);
                if (!w) {
                    why = "out of memory";
                    break;
                }
                buf = w;
                cap *= 2;
            }
            ssize_t r2 = read(out_fd, buf + n, cap - n - 1);
            if (r2 > 0)
                n += (size_t)r2;
            else if (r2 == 0 || (errno != EAGAIN && errno != EINTR)) {
                close(out_fd);
                out_fd = -1;
            }
        }
    }
    if (in_fd >= 0)
        close(in_fd);
    if (out_fd >= 0)
        close(out_fd);
    if (why)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!why && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        why = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "Graphviz's dot is not installed"
                                                               : "dot failed on the picture";
    if (why) {
        snprintf(err, errsize, "%s", why);
        free(buf);
        return false;
    }
    buf[n] = '\0';
    *svg = buf;
    *svg_len = n;
    return true;
}
