/* focus.h — modules and the focus stack (focus.c). Private to the engine.
 *
 * Every rule belongs to a module (main, number 0, unless its `module` line
 * says another); each module has its own agenda (agenda.c keeps them, one
 * array of levels ordered by module). A run fires only the activations of
 * the module on top of the focus stack; when that agenda is empty the
 * module is popped and the one below runs, and when the stack is empty the
 * run ends. A run that starts with an empty stack fills it with the
 * starting focus (the knowledge base's `focus` declaration), then main,
 * so every run goes through the same phases and a knowledge base without
 * modules runs as it always did. `focus` (an action, sn_focus) pushes.
 * reset empties the stack; halt and errors leave it as it is.
 *
 * The engine owns the module table and the stack (e_alloc, freed by
 * focus_fini); names are interned symbols. The agenda reads the stack;
 * this module reads nothing of the agenda.
 */
#ifndef SINEW_FOCUS_H
#define SINEW_FOCUS_H

#include "internal.h"

/* The stack's depth past which a push is refused (a rule that focuses
 * forever): the run stops with an error. */
#define FOCUS_MAX 1000

void focus_init(engine *);
void focus_fini(engine *);
/* Declare a module: it gets the next number. */
void focus_add_module(engine *, const char *name, size_t len);
/* The number of module NAME, or -1. */
int32_t focus_module(const engine *, const char *name, size_t len);
/* The starting focus: N module numbers, the first to run first. */
void focus_set_start(engine *, const uint32_t *modules, uint32_t n);

/* Empty the stack (reset). */
void focus_clear(engine *);
/* At the start of a run: an empty stack gets the starting focus and main. */
void focus_begin(engine *);
/* Push MODULE (nothing when it is on top already). False when the stack
 * is full. */
bool focus_push(engine *, uint32_t module);
/* With `watch rules`, in a program with modules: "FOCUS NAME" before the
 * first firing of a module's turn in a run. */
void focus_watch(engine *, uint32_t module);
/* The module on top of the stack (UINT32_MAX: empty); take it off. */
uint32_t focus_top(const engine *);
void focus_pop(engine *);
/* The module a run takes Ith (from 0): the stack from the top or, when it
 * is empty, what focus_begin would push; UINT32_MAX past the last. */
uint32_t focus_run_at(const engine *, uint32_t i);
/* The modules in the order a run takes them now (the stack from the top,
 * or what focus_begin would push; then the others by number), each once:
 * the one after M (UINT32_MAX: the first), or UINT32_MAX after the last.
 * For listings: it costs the stack's depth times the modules. */
uint32_t focus_after(const engine *, uint32_t m);

#endif
