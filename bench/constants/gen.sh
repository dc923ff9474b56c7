#!/bin/sh
# gen.sh RULES DIR [FACTS] [SEED] — the many-rule constant-test benchmark:
# RULES rules over one template of four keyed slots, each rule testing
# three of the four against constants of its own (which slot it leaves out
# turns with the rule's number), and FACTS (default 50000) facts with
# random values in those slots, from a seeded generator (the same
# arguments give the same files everywhere). Each slot takes one of 32
# values, so a fact matches about RULES / 32,768 rules: the work done for
# the facts grows with the matches, not with the rules. FACTS 0 writes one
# fact: the rules alone, which measures compiling them.
# Writes DIR/constants_RULES.sinew (the whole program), DIR/constants_RULES.clp
# (CLIPS's rules) and DIR/constants_RULES.fct (CLIPS's facts, for
# load-facts); DIR/compile_RULES.* when FACTS is 0.
set -eu
r=$1 dir=$2 f=${3:-50000} seed=${4:-4711}
here=$(dirname "$0")
name=constants
[ "$f" -eq 0 ] && name=compile
awk -v r="$r" -v f="$f" -v seed="$seed" -v sw="$dir/${name}_$r.sinew" -v cw="$dir/${name}_$r.clp" \
    -v fw="$dir/${name}_$r.fct" -f "$here/../lib/prng.awk" -f "$here/gen.awk"
