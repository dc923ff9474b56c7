/* savefile.c — replace a file whole or not at all (see savefile.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "savefile.h"

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    return p ? memcpy(p, s, n) : NULL;
}

/* The file a save to PATH replaces: PATH itself, or what its links name.
 * NULL with the reason in ERR when that is not a regular file. */
static char *target_of(const char *path, char *err, size_t size)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return dup_text(path);
        snprintf(err, size, "cannot write %s: %s", path, strerror(errno));
        return NULL;
    }
    char *target = S_ISLNK(st.st_mode) ? realpath(path, NULL) : dup_text(path);
    if (!target) {
        snprintf(err, size, "cannot write %s: %s", path,
                 errno == ENOENT ? "it is a link to nothing" : strerror(errno));
        return NULL;
    }
    if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, size, "cannot write %s: not a regular file (a save replaces only files)",
                 path);
        free(target);
        return NULL;
    }
    return target;
}

bool savefile_open(savefile *sf, const char *path, char *err, size_t size)
{
    *sf = (savefile){0};
    sf->target = target_of(path, err, size);
    if (!sf->target)
        return false;
    const char *slash = strrchr(sf->target, '/');
    size_t dir = slash ? (size_t)(slash - sf->target) + 1 : 0;
    const char *base = sf->target + dir;
    sf->tmp = malloc(dir + strlen(base) + 16);
    if (!sf->tmp) {
        snprintf(err, size, "cannot write %s: out of memory", path);
        savefile_abort(sf);
        return false;
    }
    sprintf(sf->tmp, "%.*s.%s.XXXXXX", (int)dir, sf->target, base);
    int fd = mkstemp(sf->tmp);
    if (fd < 0) {
        snprintf(err, size, "cannot write %s: %s", path, strerror(errno));
        free(sf->tmp);
        sf->tmp = NULL;
        savefile_abort(sf);
        return false;
    }
    /* mkstemp makes it private; a saved file gets the usual permissions. */
    mode_t mask = umask(0);
    umask(mask);
    struct stat st;
    fchmod(fd, stat(sf->target, &st) == 0 ? st.st_mode & 07777 : 0666 & ~mask);
    sf->out = fdopen(fd, "w");
    if (!sf->out) {
        snprintf(err, size, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        savefile_abort(sf);
        return false;
    }
    return true;
}

bool savefile_commit(savefile *sf, char *err, size_t size)
{
    int why = 0;
    errno = 0;
    if (fflush(sf->out) != 0 || ferror(sf->out))
        why = errno ? errno : EIO;
    else if (fsync(fileno(sf->out)) != 0)
        why = errno;
    if (fclose(sf->out) != 0 && !why)
        why = errno ? errno : EIO;
    sf->out = NULL;
    if (!why && rename(sf->tmp, sf->target) != 0)
        why = errno;
    if (why)
        snprintf(err, size, "cannot write %s: %s", sf->target, strerror(why));
    else {
        free(sf->tmp);
        sf->tmp = NULL;
    }
    savefile_abort(sf);
    return why == 0;
}

void savefile_abort(savefile *sf)
{
    if (sf->out)
        fclose(sf->out);
    if (sf->tmp)
        unlink(sf->tmp);
    free(sf->tmp);
    free(sf->target);
    *sf = (savefile){0};
}
