/* netdot.h — the Rete network as a Graphviz picture (netdot.c). The
 * public call is sn_network_dot (sinew.h); nothing else is offered. It
 * reads the network only through network.h's accessors.
 */
#ifndef SINEW_NETDOT_H
#define SINEW_NETDOT_H

#include "internal.h"

#endif
