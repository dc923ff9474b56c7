/* eval.h — evaluating compiled expressions (eval.c). Private to the engine. */
#ifndef SINEW_EVAL_H
#define SINEW_EVAL_H

#include "internal.h"

value cx_eval(ectx *, const cexpr *);
bool cx_truth(value);
/* Append a stable text form of X to the engine's scratch buffer (for
 * sharing: two expressions with the same text are the same). */
void cx_key(engine *, const cexpr *);

#endif
