/* home.c — what ships with the programs, found beside them. See home.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "home.h"

#define DEFAULT_RULES "rules"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running program into BUF; false when it is unknown. */
static bool bin_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

/* The first of BIN/PLACES[i] for which OK holds, in FOUND (SIZE bytes);
 * NULL when none does. */
static const char *first_of(const char *bin, const char *const *places, size_t n,
                            bool (*ok)(const char *), char *found, size_t size)
{
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(found, size, "%s%s", bin, places[i]);
        if (len > 0 && (size_t)len < size && ok(found))
            return found;
    }
    return NULL;
}

const char *home_default_rules(void)
{
    static char found[4096];
    const char *env = getenv("SINEW_RULES");
    if (env && *env)
        return env;
    if (is_dir(DEFAULT_RULES))
        return DEFAULT_RULES;
    char bin[4096];
    static const char *const beside[] = {"/../share/sinew/rules", "/../rules"};
    const char *dir = bin_dir(bin, sizeof bin)
                          ? first_of(bin, beside, sizeof beside / sizeof *beside, is_dir, found,
                                     sizeof found)
                          : NULL;
    return dir ? dir : DEFAULT_RULES;
}

static bool is_program(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

const char *home_program(const char *name, const char **tried)
{
    static char found[4096], first[4096];
    char bin[4096];
    if (tried)
        *tried = name;
    if (!bin_dir(bin, sizeof bin))
        return NULL;
    char beside[300], libexec[300];
    snprintf(beside, sizeof beside, "/%s", name);
    snprintf(libexec, sizeof libexec, "/../libexec/sinew/%s", name);
    const char *const places[] = {beside, libexec};
    int len = snprintf(first, sizeof first, "%s%s", bin, beside);
    if (tried && len > 0 && (size_t)len < sizeof first)
        *tried = first;
    return first_of(bin, places, sizeof places / sizeof *places, is_program, found, sizeof found);
}
