/* web.h — the page's static files, built into the program: the table is
 * generated from repl/web/ by scripts/embed.sh (build/gen/web_assets.c).
 */
#ifndef SINEW_WEB_H
#define SINEW_WEB_H

#include <stddef.h>

typedef struct web_asset {
    const char *path;   /* "/index.html" */
    const char *type;   /* its Content-Type */
    const unsigned char *data;
    size_t len;
} web_asset;

/* The files, ending with a NULL path. */
extern const web_asset web_assets[];

#endif
