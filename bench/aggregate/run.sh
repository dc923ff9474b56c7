#!/bin/sh
# aggregate/run.sh BUILD_DIR — one changed fact against an aggregate over
# 10,000 and 100,000 facts (bench/aggregate/aggregate.c): the time per
# change should be the same for both.
set -eu
B=${1:-build}
cd "$(dirname "$0")/../.."
out=$B/bench/aggregate
mkdir -p "$out"
${CC:-cc} -O2 -Iengine -o "$out/aggregate" bench/aggregate/aggregate.c "$B/libsinew.a" -lreadline -ljansson -lm
echo "aggregates (count, sum, max and avg of one group), one fact changed:"
"$out/aggregate" ${SINEW_BENCH_AGG_SIZES:-10000 100000}
