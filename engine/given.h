/* given.h — facts from outside the language, checked (given.c). Private
 * to the engine.
 *
 * Owns nothing: a fact it asserts belongs to working memory (wm.c); an
 * error is written into the caller's buffer.
 */
#ifndef SINEW_GIVEN_H
#define SINEW_GIVEN_H

#include "internal.h"

/* The template, slot and value V stands for, checked against the
 * template, the slot's type and its ask's answers: into *TP, *SP, *OUT.
 * SNAME NULL: the ask's slot, or the only one. False with ERR when V
 * cannot be given there (nothing changed). */
bool given_resolve(engine *, const char *tname, const char *sname, sn_value v, struct tmpl **tp,
                   uint32_t *sp, value *out, char *err, size_t errsize);
/* Assert a typed fact of T with X in slot S and the defaults elsewhere;
 * the rules have not run yet (the caller quiesces the engine). */
struct fact *given_assert(engine *, struct tmpl *t, uint32_t s, value x);

#endif
