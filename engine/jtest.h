/* jtest.h — a beta node's join tests compiled to comparisons (jtest.c).
 * Private to the engine.
 *
 * The tests a join, not, exists or aggregate node makes beyond its hashed
 * keys are one conjunction (node.test). Each conjunct that compares two
 * plain operands — a slot or the cf of the new fact, of a fact of the
 * token, or a constant — with = != < <= > >= becomes a jstep that reads
 * both and compares them directly; any other conjunct stays an expression
 * for the interpreter. The steps keep the conjuncts' order, so a test
 * that reports an error is reached exactly when the expression would
 * reach it. The steps live in the engine's arena, with the node.
 */
#ifndef SINEW_JTEST_H
#define SINEW_JTEST_H

#include "internal.h"

typedef enum jo_kind { JO_SLOT, JO_CF, JO_VAR, JO_VARCF, JO_CONST } jo_kind;

typedef struct jopnd {
    uint8_t kind;         /* jo_kind */
    uint16_t level;       /* JO_VAR, JO_VARCF: the token's fact at this level */
    int32_t slot;         /* JO_SLOT, JO_VAR */
    value k;              /* JO_CONST */
} jopnd;

typedef struct jstep {
    uint8_t op;           /* OP_EQ ... OP_GE; JSTEP_EXPR: `x`, interpreted */
    jopnd a, b;
    const cexpr *x;
} jstep;

enum { JSTEP_EXPR = 0xff };

/* TEST (a node's join tests, or NULL) as steps: *N of them (0 and NULL
 * for no test). */
jstep *jtest_compile(engine *, const cexpr *test, uint32_t *n);
/* Do token T and fact F pass the steps? */
bool jtest_run(engine *, const jstep *, uint32_t n, token *t, const struct fact *f);

#endif
