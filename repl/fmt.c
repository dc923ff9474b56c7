/* fmt.c — `sinew fmt [--check] FILE|DIR...`: rule files in the one layout.
 *
 * Each file is read, laid out by sn_layout (which refuses a layout that
 * would change the file's meaning) and, when the text changed, written
 * back through a temporary file in the same folder that is then renamed
 * over it: a failed write leaves the original as it was. With --check
 * nothing is written; the files that would change are listed on standard
 * output and the exit status is 1 if there are any. The operand `-` is
 * standard input, written formatted to standard output.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sinew.h"
#include "cli.h"
#include "commands.h"

/* The whole of PATH (malloc'd) in *TEXT, *LEN; false with errno set. */
static bool read_all(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf; n += got) {
        if (n == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                errno = ENOMEM;
                break;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
    }
    bool ok = buf && !ferror(f);
    int saved = errno;
    fclose(f);
    if (!ok) {
        free(buf);
        errno = saved ? saved : EIO;
        return false;
    }
    *text = buf;
    *len = n;
    return true;
}

/* Replace PATH's content with TEXT: write a temporary file beside it (same
 * permissions), flush it to disk, rename it over PATH. On failure PATH is
 * untouched, the temporary file removed, and errno says why. */
static bool write_over(const char *path, const char *text, size_t len, mode_t mode)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return false;
    snprintf(tmp, n, "%s.fmt.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return false;
    }
    FILE *f = fdopen(fd, "wb");
    bool ok = f && fchmod(fd, mode & 07777) == 0 && fwrite(text, 1, len, f) == len &&
              fflush(f) == 0 && fsync(fd) == 0;
    int saved = errno;
    if (f) {
        if (fclose(f) != 0 && ok) {
            ok = false;
            saved = errno;
        }
    } else {
        close(fd);
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return ok;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct fmt_run {
    bool check;
    unsigned changed, failed;
} fmt_run;

static void fmt_file(fmt_run *run, const char *path)
{
    char *text;
    size_t len;
    struct stat st;
    if (stat(path, &st) != 0 || !read_all(path, &text, &len)) {
        fprintf(stderr, "%s: error[E007]: cannot read this file: %s\n", path, strerror(errno));
        run->failed++;
        return;
    }
    char *out;
    size_t out_len;
    sn_report r = {0};
    if (sn_layout(path, text, len, &out, &out_len, &r) != SN_OK) {
        fputs(r.text ? r.text : "", stderr);
        run->failed++;
    } else if (out_len != len || memcmp(out, text, len) != 0) {
        run->changed++;
        if (run->check) {
            printf("%s\n", path);
        } else if (!write_over(path, out, out_len, st.st_mode)) {
            fprintf(stderr, "%s: error: cannot write the formatted text: %s; the file is "
                            "unchanged\n", path, strerror(errno));
            run->failed++;
        }
    }
    sn_report_free(&r);
    free(out);
    free(text);
}

/* Every *.sinew file directly in DIR, in name order (as `sinew check`). */
static void fmt_dir(fmt_run *run, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "%s: error[E007]: cannot read this folder: %s\n", dir, strerror(errno));
        run->failed++;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(dp));) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".sinew"))
            continue;
        if (n == cap) {
            char **grown = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len)))
            break;
        snprintf(names[n++], len, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", e->d_name);
    }
    closedir(dp);
    if (n == 0) {
        fprintf(stderr, "%s: error[E007]: this folder holds no .sinew files\n", dir);
        run->failed++;
    }
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        fmt_file(run, names[i]);
        free(names[i]);
    }
    free(names);
}

/* `-`: standard input, formatted, to standard output (for editors'
 * filters); with --check, only whether it would change. */
static void fmt_stdin(fmt_run *run)
{
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    for (size_t got; text; len += got) {
        if (len == cap) {
            char *grown = realloc(text, cap *= 2);
            if (!grown) {
                free(text);
                text = NULL;
                break;
            }
            text = grown;
        }
        if ((got = fread(text + len, 1, cap - len, stdin)) == 0)
            break;
    }
    if (!text || ferror(stdin)) {
        fprintf(stderr, "<stdin>: error[E007]: cannot read standard input\n");
        free(text);
        run->failed++;
        return;
    }
    char *out;
    size_t out_len;
    sn_report r = {0};
    if (sn_layout("<stdin>", text, len, &out, &out_len, &r) != SN_OK) {
        fputs(r.text ? r.text : "", stderr);
        run->failed++;
    } else if (run->check) {
        if (out_len != len || memcmp(out, text, len) != 0) {
            printf("<stdin>\n");
            run->changed++;
        }
    } else {
        fwrite(out, 1, out_len, stdout);
    }
    sn_report_free(&r);
    free(out);
    free(text);
}

int cmd_fmt(int argc, char **argv)
{
    fmt_run run = {0};
    cli_parse p;
    cli_begin(&p, "fmt", argc, argv);
    for (int c; (c = cli_next(&p)) != CLI_END;) {
        switch (c) {
        case 'c': run.check = true; break;
        case CLI_EXIT: return p.status;
        }
    }
    if (p.optind >= argc)
        return cli_usage("fmt", "which files? name the files or folders to format");
    for (int i = p.optind; i < argc; i++) {
        struct stat st;
        if (strcmp(argv[i], "-") == 0)
            fmt_stdin(&run);
        else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            fmt_dir(&run, argv[i]);
        else
            fmt_file(&run, argv[i]);
    }
    if (run.failed)
        return EXIT_ERRORS;
    return run.check && run.changed ? EXIT_ERRORS : EXIT_OK;
}
