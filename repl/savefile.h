/* savefile.h — replace a file whole or not at all.
 *
 * savefile_open makes a temporary file, created exclusively (O_EXCL, by
 * mkstemp) in the folder of the file it will replace; the caller writes
 * to SF->out; savefile_commit flushes, syncs and renames it over the
 * target, or removes it and says why. The target must be a regular file
 * or absent; a symbolic link is followed to the file it names (which must
 * itself be a regular file or absent), so the link stays a link; anything
 * else (a folder, a device, a pipe) is refused before anything is
 * written. The struct owns the temporary file's name until commit or
 * abort, which free it.
 */
#ifndef SINEW_SAVEFILE_H
#define SINEW_SAVEFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct savefile {
    FILE *out;
    char *target; /* the file that will be replaced (links resolved) */
    char *tmp;    /* the temporary file, in the target's folder */
} savefile;

/* Open a temporary file to replace PATH. False with the reason in ERR. */
bool savefile_open(savefile *sf, const char *path, char *err, size_t size);
/* Put it in place. False (the target untouched) with the reason in ERR. */
bool savefile_commit(savefile *sf, char *err, size_t size);
/* Throw it away. */
void savefile_abort(savefile *sf);

#endif
