#!/bin/sh
# gen.sh REGIONS DIR [SEED] — a line drawing for the Waltz benchmark:
# REGIONS regions side by side (ten to a row), each two boxes, one partly
# hidden behind the other (gen.awk draws one), at a size and handedness
# drawn with a seeded generator (the same arguments give the same drawing
# everywhere). Writes the points, lines and outline to DIR/waltz_REGIONS.sinew
# and DIR/waltz_REGIONS.clp.
set -eu
n=$1 dir=$2 seed=${3:-1975}
here=$(dirname "$0")
awk -v n="$n" -v seed="$seed" -v sw="$dir/waltz_$n.sinew" -v cw="$dir/waltz_$n.clp" \
    -f "$here/../lib/prng.awk" -f "$here/../lib/clips.awk" -f "$here/gen.awk"
