#!/bin/sh
# run.sh BUILD_DIR — the benchmarks. Never part of `make test`.
#
# front end: parse and check a generated file of 10,000 rules, five times;
# prints the median wall time, rules per second and lines per second.
# Then the language server's response to a change on the shipped rules
# (tests/lsp/client.py --bench), typed facts, queries and loads against the
# knowledge base's size (bench/typed/run.sh), consultations on the
# knowledge base's cases (bench/consult/run.sh), batch throughput
# (bench/batch/run.sh), one fact changed under aggregates over 10,000 and
# 100,000 facts (bench/aggregate/run.sh), 50 consultations at once over
# HTTP against `sinew serve` (bench/serve/run.sh) and the engine benchmarks
# against CLIPS
# (bench/engine.sh).
set -eu
B=${1:-build}
cd "$(dirname "$0")/.."
mkdir -p "$B/bench"
rules=${SINEW_BENCH_RULES:-10000}
file=$B/bench/rules_$rules.sinew
sh bench/gen_rules.sh "$rules" > "$file"
lines=$(wc -l < "$file")
"$B/sinew" check --werror "$file" > /dev/null 2>&1 || {
    echo "bench: the generated file does not check clean:" >&2
    "$B/sinew" check "$file" 2>&1 | tail -n 20 >&2
    exit 1
}
times=""
for _ in 1 2 3 4 5; do
    t0=$(date +%s.%N)
    "$B/sinew" check "$file" > /dev/null 2>&1
    t1=$(date +%s.%N)
    times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')"
done
median=$(printf '%s\n' $times | sort -n | sed -n 3p)
awk -v r="$rules" -v l="$lines" -v m="$median" 'BEGIN {
    printf "front end: %d rules, %d lines: median %.3f s over 5 runs (%.0f rules/s, %.0f lines/s)\n",
        r, l, m, r / m, l / m }'
status=0
# the language server: a change to one file of the shipped rules, checked
# with the others, to its diagnostics (target under 50 ms)
python3 tests/lsp/client.py "$B/sinew" rules --bench || status=1
sh bench/typed/run.sh "$B" || status=1
sh bench/consult/run.sh "$B" || status=1
sh bench/batch/run.sh "$B" || status=1
sh bench/aggregate/run.sh "$B" || status=1
sh bench/serve/run.sh "$B" || status=1
if [ -x bench/engine.sh ]; then
    sh bench/engine.sh "$B" || status=1
fi
exit $status
