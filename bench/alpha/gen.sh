#!/bin/sh
# gen.sh RULES DIR [READINGS] [SEED] — the alpha dispatch benchmark: RULES
# rules, each testing a reading's sensor and kind against constants of its
# own and its value against a threshold of its own, and READINGS (default
# 4000) readings of random sensors, kinds and values, from a seeded
# generator (the same arguments give the same files everywhere). Writes
# DIR/alpha_RULES.sinew and DIR/alpha_RULES.clp, each a whole program.
set -eu
r=$1 dir=$2 f=${3:-4000} seed=${4:-1729}
here=$(dirname "$0")
awk -v r="$r" -v f="$f" -v seed="$seed" -v sw="$dir/alpha_$r.sinew" -v cw="$dir/alpha_$r.clp" \
    -f "$here/../lib/prng.awk" -f "$here/../lib/clips.awk" -f "$here/gen.awk"
