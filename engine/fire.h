/* fire.h — firing rules (fire.c). Private to the engine.
 *
 * fire.c implements the network's two upward calls (rete_matched and
 * rete_unmatched, declared in rete.h) and the public sn_run; it has
 * nothing else to offer the other modules.
 */
#ifndef SINEW_FIRE_H
#define SINEW_FIRE_H

#include "internal.h"

#endif
