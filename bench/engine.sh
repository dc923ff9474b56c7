#!/bin/sh
# engine.sh BUILD_DIR — the engine benchmarks: each program in sinew and in
# CLIPS 6.30, on the same generated data; both timed, their answers
# compared. See bench/README.md.
#
# For each benchmark and size: generate the data into BUILD_DIR/bench/, run
# `BUILD_DIR/sinew run --stats` and `clips -f2` on it 5 times each (once
# when the first run took 20 s or more), take the median wall time (date)
# and the peak resident set (GNU time), compare the answers (sorted: the
# order of the lines is not defined) and print one line of the table.
#
# Environment:
#   SINEW_BENCH_QUICK=1        only the smallest size of each benchmark, once
#   SINEW_BENCH_ONLY="a b"     only these benchmarks (manners manners_explicit
#                              waltz closure alpha churn)
#   SINEW_BENCH_RUN_FLAGS      options for `sinew run` besides --stats
#                              (default: --no-record -q)
#   SINEW_BENCH_TIMEOUT        seconds before a run is stopped (default 300)
#   CLIPS                      the CLIPS command (default: clips)
#
# Exit status: 0 when every sinew run worked and gave CLIPS's answer,
# 1 otherwise (a failed or timed-out run, a different answer, no CLIPS).
set -u
LC_ALL=C
export LC_ALL
B=${1:-build}
cd "$(dirname "$0")/.." || exit 1
out=$B/bench
res=$out/results
mkdir -p "$res" || exit 1

quick=${SINEW_BENCH_QUICK:-0}
all="manners manners_explicit waltz closure alpha churn"
only=${SINEW_BENCH_ONLY:-$all}
run_flags=${SINEW_BENCH_RUN_FLAGS---no-record -q}
limit=${SINEW_BENCH_TIMEOUT:-300}
clips=${CLIPS:-clips}
slow=20        # a first run at least this long is the only one

# sizes BENCHMARK — its sizes, the smallest (the quick one) first
sizes() {
    case $1 in
    manners | manners_explicit) echo 16 32 64 128 ;;   # guests
    waltz) echo 12 25 50 200 ;;                       # regions
    closure) echo 150 300 600 ;;                      # nodes (edges: twice that)
    alpha) echo 10000 ;;                              # rules
    churn) echo 1000000 ;;                            # operations
    esac
}

status=0
notes=$res/notes.txt
: > "$notes"
note() { printf '%s\n' "$*" >> "$notes"; }

if [ ! -x /usr/bin/time ]; then
    echo "engine.sh: GNU time (/usr/bin/time) is needed: apt-get install time" >&2
    exit 1
fi
if command -v timeout > /dev/null 2>&1; then
    tmo="timeout $limit"
else
    tmo=""
fi
have_clips=1
if ! command -v "$clips" > /dev/null 2>&1; then
    have_clips=0
    status=1
    note "CLIPS ($clips) is not installed: nothing to compare with (apt-get install clips)"
fi
have_sinew=1
if [ ! -x "$B/sinew" ]; then
    have_sinew=0
    status=1
    note "$B/sinew does not exist: run make first"
fi

# timed RUNS OUT ERR CMD... — run CMD RUNS times (or once, when the first
# run takes $slow s or more); the last run's output in OUT and ERR. Sets
# t_med (median wall s), t_mb (peak RSS, MB), t_runs, t_rc (exit status of
# the first failed run, or 0).
timed() {
    t_n=$1 t_o=$2 t_e=$3
    shift 3
    t_times="" t_peak=0 t_rc=0 t_runs=0
    t_i=0
    while [ "$t_i" -lt "$t_n" ]; do
        t_i=$((t_i + 1))
        t_0=$(date +%s.%N)
        # shellcheck disable=SC2086
        $tmo /usr/bin/time -f "%M" -o "$t_o.time" "$@" < /dev/null > "$t_o" 2> "$t_e"
        t_rc=$?
        t_1=$(date +%s.%N)
        [ "$t_rc" -ne 0 ] && return
        t_secs=$(awk -v a="$t_0" -v b="$t_1" "BEGIN { printf \"%.3f\", b - a }")
        read -r t_kb < "$t_o.time"
        t_times="$t_times $t_secs"
        [ "$t_kb" -gt "$t_peak" ] && t_peak=$t_kb
        t_runs=$t_i
        if [ "$t_i" -eq 1 ] && awk -v s="$t_secs" -v l="$slow" 'BEGIN { exit !(s >= l) }'; then
            break
        fi
    done
    # shellcheck disable=SC2086
    t_med=$(printf "%s\n" $t_times | sort -n | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    t_mb=$(awk -v k="$t_peak" 'BEGIN { printf "%.1f", k / 1024 }')
}

# why RC ERR — a few words on a failed run
why() {
    if [ "$1" -eq 124 ]; then
        echo "timed out after $limit s"
    else
        first=$(grep -v -E "^(fired|facts|alpha memories|beta nodes|peak bytes) " "$2" | head -n 1)
        echo "exit $1${first:+: $first}"
    fi
}

printf '\nengine: sinew against CLIPS 6.30 (wall s: median of 5 runs unless runs says otherwise; peak RSS in MB)\n'
row() {
    printf '%-16s %8s %5s %9s %9s %7s %8s %8s %9s %9s %7s %5s\n' "$@"
}
row benchmark size runs "sinew s" "CLIPS s" ratio "sinew MB" "CLIPS MB" \
    "fired(s)" "fired(C)" lines equal
row --------- ---- ---- ------- ------- ----- -------- -------- -------- -------- ----- -----

for b in $all; do
    case " $only " in *" $b "*) ;; *) continue ;; esac
    list=$(sizes "$b")
    [ "$quick" = 1 ] && list=${list%% *}
    for n in $list; do
        runs=5
        [ "$quick" = 1 ] && runs=1
        tag=${b}_$n
        # the programs: rules (+ generated data) for sinew; rules + data +
        # run.clp for CLIPS
        case $b in
        manners)
            # the classic program; its gen.sh writes one format at a time,
            # the CLIPS one with its own (reset) (run): left out, and the
            # deffacts split (lib/clips_rechunk.awk)
            sh bench/manners/gen.sh "$n" sinew > "$out/$tag.sinew"
            sh bench/manners/gen.sh "$n" clips > "$out/$tag.orig.clp"
            awk -v cw="$out/$tag.clp" -f bench/lib/clips.awk -f bench/lib/clips_rechunk.awk "$out/$tag.orig.clp"
            sfiles="bench/$b/$b.sinew $out/$tag.sinew"
            cat "bench/$b/$b.clp" "$out/$tag.clp" bench/lib/run.clp > "$out/$tag.run.clp" ;;
        alpha)
            sh bench/alpha/gen.sh "$n" "$out"
            sfiles="$out/$tag.sinew"
            cat "$out/$tag.clp" bench/lib/run.clp > "$out/$tag.run.clp" ;;
        churn)
            sfiles="bench/churn/churn.sinew"
            cat bench/churn/churn.clp bench/lib/run.clp > "$out/$tag.run.clp" ;;
        *)
            sh "bench/$b/gen.sh" "$n" "$out"
            sfiles="bench/$b/$b.sinew $out/$tag.sinew"
            cat "bench/$b/$b.clp" "$out/$tag.clp" bench/lib/run.clp > "$out/$tag.run.clp" ;;
        esac

        # CLIPS
        c_med=- c_mb=- c_fired=- c_ok=0 c_runs=0
        if [ "$have_clips" = 1 ]; then
            timed "$runs" "$res/$tag.clips.out" "$res/$tag.clips.err" "$clips" -f2 "$out/$tag.run.clp"
            c_runs=$t_runs
            if [ "$t_rc" -ne 0 ]; then
                note "$b $n: CLIPS failed ($(why "$t_rc" "$res/$tag.clips.err"))"
                status=1
            elif ! grep -q '^[0-9][0-9]* rules fired$' "$res/$tag.clips.out"; then
                note "$b $n: CLIPS did not finish the run: see $res/$tag.clips.out"
                status=1
            else
                c_ok=1 c_med=$t_med c_mb=$t_mb
                c_fired=$(sed -n 's/^\([0-9][0-9]*\) rules fired$/\1/p' "$res/$tag.clips.out")
                grep -v '^[0-9][0-9]* rules fired$' "$res/$tag.clips.out" |
                    grep -v '^[0-9][0-9]* mean number of ' | sort > "$res/$tag.clips.answer"
            fi
        fi

        # sinew
        s_med=- s_mb=- s_fired=- s_ok=0 s_runs=0
        if [ "$have_sinew" = 1 ]; then
            # shellcheck disable=SC2086
            if ! "$B/sinew" check --werror --quiet $sfiles > "$res/$tag.check" 2>&1; then
                note "$b $n: sinew check --werror fails on the program: see $res/$tag.check"
                status=1
            else
                # shellcheck disable=SC2086
                timed "$runs" "$res/$tag.sinew.out" "$res/$tag.sinew.err" "$B/sinew" run $run_flags --stats $sfiles
                s_runs=$t_runs
                if [ "$t_rc" -ne 0 ]; then
                    note "$b $n: sinew run failed ($(why "$t_rc" "$res/$tag.sinew.err")); see $res/$tag.sinew.err"
                    status=1
                else
                    s_ok=1 s_med=$t_med s_mb=$t_mb
                    s_fired=$(sed -n 's/^fired \([0-9][0-9]*\)$/\1/p' "$res/$tag.sinew.err")
                    [ -n "$s_fired" ] || s_fired="?"
                    sort "$res/$tag.sinew.out" > "$res/$tag.sinew.answer"
                fi
            fi
        fi

        # the answers
        equal=- lines=- ratio=-
        if [ "$c_ok" = 1 ]; then
            lines=$(wc -l < "$res/$tag.clips.answer" | tr -d ' ')
            case $b in manners*)
                if ! awk -f bench/lib/manners_check.awk "$out/$tag.sinew" "$res/$tag.clips.answer" > "$res/$tag.clips.check"; then
                    note "$b $n: CLIPS's seating is not a good one (bench/lib/manners_check.awk): see $res/$tag.clips.check"
                    status=1
                fi ;;
            esac
        fi
        if [ "$s_ok" = 1 ] && [ "${b#manners}" != "$b" ] &&
            ! awk -f bench/lib/manners_check.awk "$out/$tag.sinew" "$res/$tag.sinew.answer" > "$res/$tag.sinew.check"; then
            note "$b $n: sinew's seating is not a good one (bench/lib/manners_check.awk): see $res/$tag.sinew.check"
            status=1
        fi
        if [ "$s_ok" = 1 ] && [ "$c_ok" = 1 ]; then
            ratio=$(awk -v s="$s_med" -v c="$c_med" 'BEGIN { if (c > 0) printf "%.2f", s / c; else print "-" }')
            if cmp -s "$res/$tag.sinew.answer" "$res/$tag.clips.answer"; then
                equal=yes
            else
                equal=NO
                status=1
                note "$b $n: the answers differ: diff $res/$tag.sinew.answer $res/$tag.clips.answer"
            fi
            if [ "$s_fired" != "$c_fired" ]; then
                note "$b $n: sinew fired $s_fired rules, CLIPS $c_fired (the program is written so that they agree)"
            fi
        elif [ "$have_sinew" = 1 ] && [ "$s_ok" = 0 ]; then
            s_med=FAILED
        fi
        r=$c_runs
        [ "$s_runs" -gt "$r" ] && r=$s_runs
        [ "$s_runs" -ne 0 ] && [ "$c_runs" -ne 0 ] && [ "$s_runs" -ne "$c_runs" ] && r="$s_runs/$c_runs"
        row "$b" "$n" "$r" "$s_med" "$c_med" "$ratio" "$s_mb" "$c_mb" \
            "$s_fired" "$c_fired" "$lines" "$equal"
    done
done

if [ "$quick" = 1 ]; then
    echo "(SINEW_BENCH_QUICK=1: the smallest size of each, one run)"
else
    echo "(runs: 5, or 1 when the first run took ${slow} s or more; sinew runs/CLIPS runs when they differ)"
fi
if [ -s "$notes" ]; then
    echo
    echo "notes:"
    sed 's/^/  /' "$notes"
fi
if [ "$status" -ne 0 ]; then
    echo
    echo "engine benchmarks: FAILED (see the notes above)"
fi
exit "$status"
