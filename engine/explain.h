/* explain.h — what explain.c lends whynot.c: writing facts and JSON
 * strings the same way everywhere. Private to the engine. */
#ifndef SINEW_EXPLAIN_H
#define SINEW_EXPLAIN_H

#include <stdio.h>

#include "internal.h"

/* "#12 diagnosis(name: x) cf 0.80", " (withdrawn)" when it is; no newline. */
void fact_line(FILE *out, const struct fact *f);
/* S as a JSON string, quoted and escaped. */
void json_str(FILE *out, const char *s);

#endif
