#!/bin/sh
# interrupt.sh SINEW — Ctrl-C (SIGINT) where a program reads its input:
# `sinew batch` finishes the line it wrote, prints its count and exits 130;
# a REPL reading a pipe stops reading, says where, and exits 130. Each
# program is signalled once its first output is out, while it waits for
# more input. Prints a PASS or FAIL line per check.
set -u
SINEW=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KB=$ROOT/tests/repl/save_kb.sinew
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-int.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

ok() { echo "PASS interrupt/$1"; }
no() { echo "FAIL interrupt/$1: $2"; }

# wait (at most 10 s) until FILE has N lines
wait_lines() {
    i=0
    while [ "$(cat "$1" 2> /dev/null | wc -l)" -lt "$2" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}

# a writer that gives two lines, then holds the pipe open until told
feed() {
    printf '%s\n%s\n' "$1" "$2"
    i=0
    while [ ! -f "$TMP/done" ] && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}

rm -f "$TMP/done"
feed '{"id":1,"facts":[]}' '{"id":2,"facts":[]}' | "$SINEW" batch "$KB" > "$TMP/b.out" 2> "$TMP/b.err" &
wait_lines "$TMP/b.out" 2
pkill -INT -f "$SINEW batch $KB"
wait $!
status=$?
touch "$TMP/done"
if [ $status -eq 130 ] && [ "$(wc -l < "$TMP/b.out")" -eq 2 ] &&
    jq -e . "$TMP/b.out" > /dev/null 2>&1 &&
    grep -q '^sinew batch: 2 cases, 0 errors (interrupted' "$TMP/b.err"; then
    ok batch
else
    no batch "status $status"; cat "$TMP/b.out" "$TMP/b.err"
fi

rm -f "$TMP/done"
feed 'facts' 'rules' | "$SINEW" "$KB" > "$TMP/r.out" 2> "$TMP/r.err" &
wait_lines "$TMP/r.out" 2
pkill -INT -f "$SINEW $KB"
wait $!
status=$?
touch "$TMP/done"
if [ $status -eq 130 ] && grep -q '^sinew: interrupted at <stdin>:2; the rest was not read' "$TMP/r.err"; then
    ok piped_repl
else
    no piped_repl "status $status"; cat "$TMP/r.out" "$TMP/r.err"
fi
