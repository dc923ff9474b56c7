/* witness.h — the facts behind a condition that is not a plain pattern
 * (witness.c). Private to the engine.
 *
 * The network keeps only counts at an `exists`, a `not` and a group: a
 * partial match there knows how many facts (or group matches) join it,
 * not which. These calls find them again from the memories, without
 * changing anything: the facts that let a partial match through an
 * `exists` (or `exists { }`), and the facts that stop one at a `not` (or
 * `not { }`). Explanations record them at firing time (tms.c) and
 * whynot.c shows what blocks a rule now. Nothing is allocated: facts go
 * to the caller's array.
 */
#ifndef SINEW_WITNESS_H
#define SINEW_WITNESS_H

#include "internal.h"

/* The facts that let TOK, a partial match in N's memory, through N (an
 * `exists` node, or a group node of either kind: a `not { }` group lets
 * it through because something stops its inside, and that is what is
 * given). At most MAX into OUT, without repeats; returns how many (0 for
 * a plain join, a `not` or a test, which need no witness). */
uint32_t witness_passed(engine *, const node *n, const token *tok, struct fact **out, uint32_t max);
/* The facts that stop TOK at N (a `not` node, a `not { }` group whose
 * inside matches, a join or exists nothing joins: 0). */
uint32_t witness_blocked(engine *, const node *n, const token *tok, struct fact **out,
                         uint32_t max);
/* The kind of condition node N stands for in a rule's chain. */
cond_kind cond_kind_of(const node *n);

/* What the firing of P on the match TOK finds behind its conditions, read
 * before its actions run: KINDS[l - 1] the kind of condition l; the facts
 * that let each `exists` through, condition l's at IDS[AT[l - 1] ..
 * AT[l]) (AT has depth + 1 entries; at most MAX ids in all). */
void witness_record(engine *, const struct prod *p, const token *tok, uint8_t *kinds,
                    uint64_t *ids, uint32_t *at, uint32_t max);

/* The token of TOK's chain at LEVEL (TOK itself or an ancestor), or NULL. */
const token *token_at_level(const token *tok, uint32_t level);

#endif
