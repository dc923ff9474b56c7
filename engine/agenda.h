/* agenda.h — the agenda (agenda.c). Private to the engine. */
#ifndef SINEW_AGENDA_H
#define SINEW_AGENDA_H

#include "internal.h"

void agenda_add(engine *, token *, struct prod *);
void agenda_remove(engine *, struct activation *);
/* The activation to fire next, as a run would pick it (focus.h), or
 * NULL; nothing changes. */
struct activation *agenda_first(engine *);
/* The activation a run fires next: the first of the agenda of the module
 * on top of the focus stack, popping modules whose agenda is empty; NULL
 * when the stack is empty. */
struct activation *agenda_next_to_fire(engine *);
/* The first activation of MODULE's agenda, or NULL. */
struct activation *agenda_first_in(const engine *, uint32_t module);
/* Every activation, one after another: the modules in the order a run
 * takes them (focus_after), each module's in firing order. A NULL: the
 * first; NULL after the last. */
struct activation *agenda_next(const engine *, const struct activation *a);
/* Re-order for a new strategy. */
void agenda_resort(engine *);
void agenda_clear(engine *);

#endif
