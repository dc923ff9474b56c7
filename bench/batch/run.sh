#!/bin/sh
# run.sh BUILD_DIR — `sinew batch` throughput on the shipped knowledge base.
#
# Generates 10,000 and 100,000 runner cases (gen.awk, seeded), runs
# `sinew batch rules/` on each five times (the large file with and without
# explanations), and prints for each the median wall time, cases per
# second, cases per CPU second (one process: one core), the peak
# resident set and the size of a result. The timed runs write to
# /dev/null; one more run of each keeps its results to check them. The peak must not grow with the number of cases: the run
# fails when the 100,000-case peak exceeds the 10,000-case one by more
# than 10 %. Every result line is checked to be a result, not an error.
#
# Environment: SINEW_BENCH_QUICK=1 — one run of each instead of five.
set -u
LC_ALL=C
export LC_ALL
B=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
out=$B/bench/batch
mkdir -p "$out" || exit 1
quick=${SINEW_BENCH_QUICK:-0}
runs=5
[ "$quick" = 1 ] && runs=1
if [ ! -x /usr/bin/time ]; then
    echo "batch: GNU time (/usr/bin/time) is needed: apt-get install time" >&2
    exit 1
fi
status=0

for n in 10000 100000; do
    awk -v n=$n -v seed=1 -f bench/lib/prng.awk -f bench/batch/gen.awk rules/findings.sinew \
        > "$out/cases_$n.jsonl"
done

# measure LABEL N FLAGS: median over $runs runs
measure() {
    label=$1 n=$2
    shift 2
    walls="" cpus="" peak=0
    i=0
    while [ $i -lt $runs ]; do
        /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$B/sinew" batch "$@" rules/ \
            < "$out/cases_$n.jsonl" > /dev/null 2> "$out/err"
        # the last line: GNU time says first when the command failed
        read -r wall user sys kb <<EOF
$(tail -n 1 "$out/time")
EOF
        walls="$walls $wall"
        cpus="$cpus $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')"
        [ "$kb" -gt "$peak" ] && peak=$kb
        i=$((i + 1))
    done
    # the timed runs write to /dev/null (a disk's speed is not the
    # engine's); one more run keeps the results, to check them
    "$B/sinew" batch "$@" rules/ < "$out/cases_$n.jsonl" > "$out/results.jsonl" 2> "$out/err"
    lines=$(wc -l < "$out/results.jsonl")
    errors=$(grep -c '"error"' "$out/results.jsonl")
    if [ "$lines" -ne "$n" ] || [ "$errors" -ne 0 ]; then
        echo "batch: $label: $lines results, $errors errors for $n cases" >&2
        status=1
    fi
    wall=$(printf '%s\n' $walls | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    cpu=$(printf '%s\n' $cpus | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    bytes=$(wc -c < "$out/results.jsonl")
    awk -v l="$label" -v n="$n" -v w="$wall" -v c="$cpu" -v kb="$peak" -v b="$bytes" 'BEGIN {
        printf "| %-22s | %7d | %6.2f | %8.0f | %8.0f | %6.1f | %6.0f |\n",
            l, n, w, n / w, n / c, kb / 1024, b / n }'
    last_peak=$peak
}

echo "batch (median of $runs; cases/s wall, and per CPU second = per core):"
echo "| run                    |   cases | wall s |  cases/s | cases/core-s | peak MB | bytes/case |"
echo "|---|---|---|---|---|---|---|"
measure "explained" 10000
peak_small=$last_peak
measure "explained" 100000
peak_large=$last_peak
measure "--no-explain" 100000 --no-explain
if [ "$peak_large" -gt $((peak_small + peak_small / 10)) ]; then
    echo "batch: peak memory grows with the cases: $peak_small KB for 10,000, $peak_large KB for 100,000" >&2
    status=1
fi
exit $status
