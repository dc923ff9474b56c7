/* home.h — where the `sinew` programs find what ships with them: the
 * knowledge base, and the program `sinew serve` runs (sinew-serve).
 *
 * Found at run time from the running program's own path, so that an
 * installed sinew works whatever PREFIX it was installed under and after
 * it is moved. Both return static storage, valid for the life of the
 * process; nothing is to be freed.
 */
#ifndef SINEW_HOME_H
#define SINEW_HOME_H

#include <stddef.h>

/* The shipped knowledge base:
 *   $SINEW_RULES when set;
 *   ./rules when it is there (a source tree);
 *   BINDIR/../share/sinew/rules (installed: PREFIX/bin/sinew);
 *   BINDIR/../rules (built in a source tree: build/sinew).
 * Else "rules", which the load reports as missing. BINDIR is the folder of
 * the running program. */
const char *home_default_rules(void);

/* The program NAME that ships with this one: BINDIR/NAME (built: beside
 * build/sinew) or BINDIR/../libexec/sinew/NAME (installed), whichever is
 * an executable file. NULL when neither is; then *TRIED (when not NULL)
 * is the first place looked at, for the error message. */
const char *home_program(const char *name, const char **tried);

#endif
