/* render.h — a DOT picture drawn as SVG by Graphviz's `dot`, bounded
 * (repl/render.c).
 *
 * `dot -Tsvg` runs as a child process (fork and exec, the DOT text on its
 * standard input, the SVG read from its standard output), not through
 * libgvc in this process: a layout that crashes or runs away cannot take
 * the server with it, it is killed at the time bound, and the program
 * does not carry Graphviz's plugins and their global state.
 */
#ifndef SINEW_RENDER_H
#define SINEW_RENDER_H

#include <stdbool.h>
#include <stddef.h>

enum { RENDER_MAX_SVG = 8 << 20 };   /* bytes of SVG read at most */

/* Draw DOT (LEN bytes) as SVG: true with *SVG (malloc'd, NUL-terminated;
 * the caller frees it) and *SVG_LEN; false with a one-line reason in ERR
 * when dot is missing, fails, takes more than TIMEOUT_MS milliseconds or
 * writes more than RENDER_MAX_SVG bytes (it is then killed). */
bool render_svg(const char *dot, size_t len, unsigned timeout_ms, char **svg, size_t *svg_len,
                char *err, size_t errsize);

#endif
