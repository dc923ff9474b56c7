#!/bin/sh
# gen.sh GUESTS DIR [HOBBIES] [SEED] — the guests of a Miss Manners party,
# in the manner of the benchmark's data generator: GUESTS guests (an even
# number), half of each sex in a random order, each with 2 to 4 different
# hobbies out of HOBBIES (default 5), and as many seats as guests; drawn
# with a seeded generator, so the same arguments give the same party on
# every machine. Writes DIR/manners_explicit_GUESTS.sinew and
# DIR/manners_explicit_GUESTS.clp.
set -eu
n=$1 dir=$2 h=${3:-5} seed=${4:-1988}
here=$(dirname "$0")
awk -v n="$n" -v h="$h" -v seed="$seed" -v sw="$dir/manners_explicit_$n.sinew" \
    -v cw="$dir/manners_explicit_$n.clp" \
    -f "$here/../lib/prng.awk" -f "$here/../lib/clips.awk" -f "$here/gen.awk"
