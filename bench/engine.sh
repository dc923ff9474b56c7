#!/bin/sh
# engine.sh BUILD_DIR — the engine benchmarks: each program in sinew and in
# CLIPS (6.41, the peer; 6.30 beside it where installed), on the same
# generated data; all timed, their answers compared. See bench/README.md.
#
# For each benchmark and size: generate the data into BUILD_DIR/bench/, run
# `BUILD_DIR/sinew run --stats` and `clips -f2` on it 5 times each, the
# systems taking turns (a program whose first run took 20 s or more runs
# once), take the median wall time (date) and the peak resident set (GNU
# time), compare the answers (sorted: the order of the lines is not
# defined) and print one line of the table.
#
# Environment:
#   SINEW_BENCH_QUICK=1        only the smallest size of each benchmark, once
#   SINEW_BENCH_ONLY="a b"     only these benchmarks (manners manners_explicit
#                              waltz closure alpha constants compile churn)
#   SINEW_BENCH_SIZES="a b"    only these sizes (of the benchmarks that have them)
#   SINEW_BENCH_RUN_FLAGS      options for `sinew run` besides --stats
#                              (default: --no-record -q)
#   SINEW_BENCH_TIMEOUT        seconds before a run is stopped (default 300)
#   CLIPS641                   CLIPS 6.41's binary; when unset, built into
#                              BUILD_DIR/peers by CLIPS641_BUILD (default:
#                              ../shared/peers/build-clips.sh beside the tree)
#   CLIPS630                   CLIPS 6.30's command (default: clips, when
#                              installed; Debian's package); CLIPS is the
#                              old name of this variable
#
# Exit status: 0 when every sinew run worked and gave CLIPS 6.41's answer,
# 1 otherwise (a failed or timed-out run, a different answer, no CLIPS 6.41).
set -u
LC_ALL=C
export LC_ALL
B=${1:-build}
cd "$(dirname "$0")/.." || exit 1
out=$B/bench
res=$out/results
mkdir -p "$res" || exit 1

quick=${SINEW_BENCH_QUICK:-0}
all="manners manners_explicit waltz closure alpha constants compile churn"
only=${SINEW_BENCH_ONLY:-$all}
run_flags=${SINEW_BENCH_RUN_FLAGS---no-record -q}
limit=${SINEW_BENCH_TIMEOUT:-300}
sizes_only=${SINEW_BENCH_SIZES:-}
clips630=${CLIPS630:-${CLIPS:-clips}}
slow=20        # a first run at least this long is the only one

# sizes BENCHMARK — its sizes, the smallest (the quick one) first
sizes() {
    case $1 in
    manners | manners_explicit) echo 16 32 64 128 ;;   # guests
    waltz) echo 12 25 50 200 ;;                       # regions
    closure) echo 150 300 600 ;;                      # nodes (edges: twice that)
    alpha) echo 10000 ;;                              # rules
    constants | compile) echo 1000 10000 100000 ;;    # rules
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
clips641=${CLIPS641:-}
if [ -z "$clips641" ]; then
    build641=${CLIPS641_BUILD:-../shared/peers/build-clips.sh}
    if [ -f "$build641" ]; then
        clips641=$(sh "$build641" "$B/peers") || clips641=""
    fi
fi
have_clips=1
if [ -z "$clips641" ] || [ ! -x "$clips641" ]; then
    have_clips=0
    status=1
    note "CLIPS 6.41 was not found: set CLIPS641 to its binary, or CLIPS641_BUILD to a script that builds it"
fi
have_630=1
command -v "$clips630" > /dev/null 2>&1 || have_630=0
have_sinew=1
if [ ! -x "$B/sinew" ]; then
    have_sinew=0
    status=1
    note "$B/sinew does not exist: run make first"
fi

# once SYS OUT ERR CMD... — run CMD once for system SYS (s, c or o: sinew,
# CLIPS 6.41, CLIPS 6.30), its output in OUT and ERR, unless SYS is done
# (it failed, or its first run took $slow s or more). Adds to SYS's wall
# times (${SYS}_times), peak RSS in KB (${SYS}_peak) and runs (${SYS}_runs);
# sets ${SYS}_rc to the exit status of a failed run.
once() {
    o_sys=$1 o_o=$2 o_e=$3
    shift 3
    eval "o_done=\$${o_sys}_done"
    [ "$o_done" = 1 ] && return
    o_0=$(date +%s.%N)
    # shellcheck disable=SC2086
    $tmo /usr/bin/time -f "%M" -o "$o_o.time" "$@" < /dev/null > "$o_o" 2> "$o_e"
    o_rc=$?
    o_1=$(date +%s.%N)
    if [ "$o_rc" -ne 0 ]; then
        eval "${o_sys}_rc=$o_rc ${o_sys}_done=1"
        return
    fi
    o_secs=$(awk -v a="$o_0" -v b="$o_1" "BEGIN { printf \"%.3f\", b - a }")
    read -r o_kb < "$o_o.time"
    eval "${o_sys}_times=\"\$${o_sys}_times $o_secs\""
    eval "o_peak=\$${o_sys}_peak o_runs=\$${o_sys}_runs"
    [ "$o_kb" -gt "$o_peak" ] && eval "${o_sys}_peak=$o_kb"
    eval "${o_sys}_runs=$((o_runs + 1))"
    if [ "$o_runs" -eq 0 ] && awk -v s="$o_secs" -v l="$slow" 'BEGIN { exit !(s >= l) }'; then
        eval "${o_sys}_done=1"
    fi
}

# fresh SYS — no runs yet for SYS
fresh() { eval "${1}_times='' ${1}_peak=0 ${1}_runs=0 ${1}_rc=0 ${1}_done=0"; }

# median TIMES... — their median; peak_mb KB — in MB
median() {
    printf "%s\n" "$@" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
peak_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# why RC ERR — a few words on a failed run
why() {
    if [ "$1" -eq 124 ]; then
        echo "timed out after $limit s"
    else
        first=$(grep -v -E "^(fired|facts|alpha memories|beta nodes|peak bytes|rule) " "$2" | head -n 1)
        echo "exit $1${first:+: $first}"
    fi
}

printf '\nengine: sinew against CLIPS 6.41, CLIPS 6.30 beside it (wall s: median of 5 runs, the systems in turn, unless runs says otherwise; peak RSS in MB)\n'
row() {
    printf '%-16s %7s %5s %8s %8s %6s %8s %8s %8s %8s %8s %6s %5s\n' "$@"
}
row benchmark size runs "sinew s" "6.41 s" ratio "6.30 s" "sinew MB" "6.41 MB" \
    "fired(s)" "fired(C)" lines equal
row --------- ---- ---- ------- ------ ----- ------ -------- ------- -------- -------- ----- -----

# clips_answer OUT ANSWER — CLIPS's answer without its statistics lines,
# sorted; its firings in c_fired. Fails when the run did not finish.
# (6.30 prints "N rules fired"; 6.41 "N rules fired  Run time is S seconds."
# and "R rules per second.")
clips_answer() {
    grep -q '^[0-9][0-9]* rules fired' "$1" || return 1
    c_fired=$(sed -n 's/^\([0-9][0-9]*\) rules fired.*$/\1/p' "$1")
    grep -v -E '^[0-9]+ rules fired|^[0-9.e+-]+ rules per second|^[0-9]+ mean number of ' "$1" |
        sort > "$2"
}

# query_flag BENCH — the --query whose rows are a benchmark's answer
# (each sinew program reports from a query after the run; churn and waltz
# still print theirs); sinew_answer BENCH OUT — sinew's answer as lines to
# compare with CLIPS's: the rows of that query (after the header line,
# before the "N rows" line) as CLIPS's report.clp prints them.
query_flag() {
    case $1 in
    closure) echo "--query paths" ;;
    manners | manners_explicit) echo "--query seats" ;;
    alpha) echo "--query alarms" ;;
    constants | compile) echo "--query hits" ;;
    esac
}
sinew_answer() {
    case $1 in
    closure) rows '{ print "path " $1 " " $2 }' "$2" ;;
    manners) rows '{ print $4 " " $3 }' "$2" ;;
    manners_explicit) rows '{ print "seat " $4 " n" $3 }' "$2" ;;
    alpha) rows '{ print "alarm r" $1 " " $2 }' "$2" ;;
    constants | compile) rows '{ print "hit " $1 " r" $2 }' "$2" ;;
    *) cat "$2" ;;
    esac
}
# rows PROGRAM OUT — awk PROGRAM over the rows of a query's table in OUT
rows() { awk 'NR > 1 && !/^[0-9]+ rows?$/' "$2" | awk "$1"; }

# with_report BENCH CLP — the CLIPS program CLP (ending in (exit)) with
# bench/BENCH/report.clp between its (run) and its (exit): the twin of the
# sinew program's query
with_report() {
    grep -v '^(exit)' "$2"
    cat "bench/$1/report.clp"
    echo '(exit)'
}

for b in $all; do
    case " $only " in *" $b "*) ;; *) continue ;; esac
    list=$(sizes "$b")
    [ "$quick" = 1 ] && list=${list%% *}
    for n in $list; do
        if [ -n "$sizes_only" ] && [ "$(echo "$list" | wc -w)" -gt 1 ]; then
            case " $sizes_only " in *" $n "*) ;; *) continue ;; esac
        fi
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
            cat "bench/$b/$b.clp" "$out/$tag.clp" bench/lib/run.clp > "$out/$tag.all.clp" ;;
        alpha | constants | compile)
            # the whole program is generated; compile is constants with
            # one fact
            case $b in
            alpha) sh bench/alpha/gen.sh "$n" "$out" ;;
            constants) sh bench/constants/gen.sh "$n" "$out" ;;
            compile) sh bench/constants/gen.sh "$n" "$out" 0 ;;
            esac
            sfiles="$out/$tag.sinew"
            if [ "$b" = alpha ]; then
                cat "$out/$tag.clp" bench/lib/run.clp > "$out/$tag.all.clp"
            else
                # the facts by load-facts after (reset) (see constants/gen.awk)
                { cat "$out/$tag.clp"
                  printf '(reset)\n(load-facts "%s")\n' "$out/$tag.fct"
                  grep -v '^(reset)' bench/lib/run.clp; } > "$out/$tag.all.clp"
            fi ;;
        churn)
            sfiles="bench/churn/churn.sinew"
            cat bench/churn/churn.clp bench/lib/run.clp > "$out/$tag.all.clp" ;;
        *)
            sh "bench/$b/gen.sh" "$n" "$out"
            sfiles="bench/$b/$b.sinew $out/$tag.sinew"
            cat "bench/$b/$b.clp" "$out/$tag.clp" bench/lib/run.clp > "$out/$tag.all.clp" ;;
        esac
        # the answer: a query's rows after the run in sinew; in CLIPS, the
        # same facts printed by report.clp between (run) and (exit)
        rb=$b
        [ "$b" = compile ] && rb=constants
        if [ -f "bench/$rb/report.clp" ]; then
            with_report "$rb" "$out/$tag.all.clp" > "$out/$tag.run.clp"
        else
            mv "$out/$tag.all.clp" "$out/$tag.run.clp"
        fi

        fresh s; fresh c; fresh o
        [ "$have_clips" = 1 ] || c_done=1
        [ "$have_630" = 1 ] || o_done=1
        if [ "$have_sinew" = 1 ]; then
            # shellcheck disable=SC2086
            if ! "$B/sinew" check --werror --quiet $sfiles > "$res/$tag.check" 2>&1; then
                note "$b $n: sinew check --werror fails on the program: see $res/$tag.check"
                status=1
                s_done=1 s_rc=-1
            fi
        else
            s_done=1
        fi
        # the systems in turn, so that a slow spell of the machine falls
        # on all of them
        i=0
        while [ "$i" -lt "$runs" ]; do
            i=$((i + 1))
            once c "$res/$tag.clips.out" "$res/$tag.clips.err" "$clips641" -f2 "$out/$tag.run.clp"
            # shellcheck disable=SC2086
            once s "$res/$tag.sinew.out" "$res/$tag.sinew.err" "$B/sinew" run $run_flags --stats $(query_flag "$b") $sfiles
            once o "$res/$tag.clips630.out" "$res/$tag.clips630.err" "$clips630" -f2 "$out/$tag.run.clp"
        done

        # CLIPS 6.41
        c_med=- c_mb=- c_fired=- c_ok=0
        if [ "$have_clips" = 1 ]; then
            if [ "$c_rc" -ne 0 ]; then
                note "$b $n: CLIPS 6.41 failed ($(why "$c_rc" "$res/$tag.clips.err"))"
                status=1
            elif ! clips_answer "$res/$tag.clips.out" "$res/$tag.clips.answer"; then
                note "$b $n: CLIPS 6.41 did not finish the run: see $res/$tag.clips.out"
                status=1
            else
                # shellcheck disable=SC2086
                c_ok=1 c_med=$(median $c_times) c_mb=$(peak_mb "$c_peak")
            fi
        fi
        # CLIPS 6.30: its time, and a note when its answer differs
        o_med=-
        if [ "$have_630" = 1 ]; then
            if [ "$o_rc" -ne 0 ]; then
                o_med=FAILED
            elif clips_answer "$res/$tag.clips630.out" "$res/$tag.clips630.answer"; then
                # shellcheck disable=SC2086
                o_med=$(median $o_times)
                if [ "$c_ok" = 1 ] && ! cmp -s "$res/$tag.clips630.answer" "$res/$tag.clips.answer"; then
                    note "$b $n: CLIPS 6.30 and 6.41 differ: diff $res/$tag.clips630.answer $res/$tag.clips.answer"
                fi
                [ "$c_ok" = 1 ] || c_fired=-
            fi
        fi

        # sinew
        s_med=- s_mb=- s_fired=- s_ok=0
        if [ "$have_sinew" = 1 ] && [ "$s_rc" -eq 0 ]; then
            s_ok=1
            # shellcheck disable=SC2086
            s_med=$(median $s_times) s_mb=$(peak_mb "$s_peak")
            s_fired=$(sed -n 's/^fired \([0-9][0-9]*\)$/\1/p' "$res/$tag.sinew.err")
            [ -n "$s_fired" ] || s_fired="?"
            sinew_answer "$b" "$res/$tag.sinew.out" | sort > "$res/$tag.sinew.answer"
        elif [ "$have_sinew" = 1 ] && [ "$s_rc" -gt 0 ]; then
            note "$b $n: sinew run failed ($(why "$s_rc" "$res/$tag.sinew.err")); see $res/$tag.sinew.err"
            status=1
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
        row "$b" "$n" "$r" "$s_med" "$c_med" "$ratio" "$o_med" "$s_mb" "$c_mb" \
            "$s_fired" "$c_fired" "$lines" "$equal"
    done
done

if [ "$quick" = 1 ]; then
    echo "(SINEW_BENCH_QUICK=1: the smallest size of each, one run)"
else
    echo "(runs: 5, or 1 when the first run took ${slow} s or more; sinew runs/CLIPS 6.41 runs when they differ)"
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
