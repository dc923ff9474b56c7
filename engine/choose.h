/* choose.h — which question a consultation asks next (choose.c). Private
 * to the engine.
 *
 * Owns nothing past a call: each choice analyses the engine afresh
 * (relevance.c) and tries answers on the engine's copy (whatif.c), which
 * the engine owns. Its calls are public (sinew.h): sn_next_question,
 * sn_next_question_any, sn_ask_relevant, sn_ask_reasons,
 * sn_set_consult_top and sn_consult_top.
 */
#ifndef SINEW_CHOOSE_H
#define SINEW_CHOOSE_H

#include "internal.h"

#endif
