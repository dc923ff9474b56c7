#!/bin/sh
# gen.sh NODES DIR [SEED] — a random directed graph of NODES nodes
# (numbered 1..NODES) and 2 x NODES distinct edges, no self-loops, drawn
# with a seeded generator: the same arguments give the same graph on every
# machine and every awk. Writes DIR/closure_NODES.sinew (a facts block) and
# DIR/closure_NODES.clp (a deffacts) with the same edges in the same order.
set -eu
n=$1 dir=$2 seed=${3:-20240611}
here=$(dirname "$0")
awk -v n="$n" -v seed="$seed" -v sw="$dir/closure_$n.sinew" -v cw="$dir/closure_$n.clp" \
    -f "$here/../lib/prng.awk" -f "$here/../lib/clips.awk" -f "$here/gen.awk"
