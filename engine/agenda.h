/* agenda.h — the agenda (agenda.c). Private to the engine. */
#ifndef SINEW_AGENDA_H
#define SINEW_AGENDA_H

#include "internal.h"

void agenda_add(engine *, token *, struct prod *);
void agenda_remove(engine *, struct activation *);
/* The activation to fire next, or NULL. */
struct activation *agenda_first(engine *);
/* Re-order for a new strategy. */
void agenda_resort(engine *);
void agenda_clear(engine *);

#endif
