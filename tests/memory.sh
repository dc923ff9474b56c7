#!/bin/sh
# memory.sh SINEW — --max-memory on the command line: rules that grow
# working memory without end stop with "out of memory" and a clear
# message, not a crash, in `run` (exit 1), the REPL (the session goes on,
# and a reset gives the memory back) and `batch` (the case's result says
# so and the next case runs in full); a load that does not fit keeps
# nothing (E008); a size that is not one is a usage error. Prints a PASS or
# FAIL line per check. (The firing at which memory runs out depends on the
# engine's data layout, so the checks look for the message, not a count.)
set -u
SINEW=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-memory.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

ok() { echo "PASS memory/$1"; }
no() { echo "FAIL memory/$1: $2"; }

# a rule that adds a fact for ever, and one that concludes once
cat > "$TMP/grow.sinew" <<'EOF'
template n { i: int }
template d { name: symbol }
rule grow when n(i: ?i & > 0) then assert n(i: ?i + 1) end
rule done when n(i: 0) then conclude d(name: zero) end
EOF
printf 'facts { n(1) }\n' > "$TMP/start.sinew"
limit="the limit of 4194304 bytes was reached"

"$SINEW" run --max-memory 4M --max-firings 0 -q "$TMP/grow.sinew" "$TMP/start.sinew" \
    > "$TMP/run.out" 2>&1
status=$?
if [ $status -eq 1 ] && grep -q "^sinew: the run stopped: out of memory: $limit\$" "$TMP/run.out"; then
    ok run
else
    no run "status $status: $(cat "$TMP/run.out")"
fi

# the REPL: the run fails and the session goes on; while memory is short
# a command that needs some fails at once; reset gives it back
printf 'assert n(i: 1)\nrun\nfacts n(i: 2)\nreset\nassert n(i: 0)\nrun\nfacts d()\n' |
    "$SINEW" --max-memory 4M --max-firings 0 "$TMP/grow.sinew" > "$TMP/repl.out" 2>&1
status=$?
if [ $status -eq 1 ] && grep -q "^<stdin>:2: error: out of memory: $limit\$" "$TMP/repl.out" &&
    grep -q "^<stdin>:3: error: out of memory: $limit\$" "$TMP/repl.out" &&
    [ "$(grep -c 'error' "$TMP/repl.out")" -eq 2 ] &&
    grep -q '^working memory reset' "$TMP/repl.out" && grep -q 'd(name: zero)' "$TMP/repl.out"; then
    ok repl
else
    no repl "status $status: $(cat "$TMP/repl.out")"
fi

# batch: the growing case runs out, the cases after it run in full
printf '{"id":"grows","n":[{"i":1}]}\n{"id":"after","n":[{"i":0}]}\n{"id":"again","n":[{"i":0}]}\n' \
    > "$TMP/cases.jsonl"
"$SINEW" batch --max-memory 4M --max-firings 0 "$TMP/grow.sinew" < "$TMP/cases.jsonl" \
    > "$TMP/batch.out" 2> "$TMP/batch.err"
status=$?
if [ $status -eq 0 ] && [ "$(wc -l < "$TMP/batch.out")" -eq 3 ] &&
    sed -n 1p "$TMP/batch.out" | grep -q "\"id\":\"grows\",.*\"error\":\"out of memory: $limit\"" &&
    sed -n 2p "$TMP/batch.out" | grep -q '"id":"after","line":2,"fired":1,"red_flags":\[\],"conclusions":\[{"fact":"d(name: zero)"' &&
    sed -n 3p "$TMP/batch.out" | grep -q '"id":"again".*"fact":"d(name: zero)"'; then
    ok batch
else
    no batch "status $status: $(cat "$TMP/batch.out" "$TMP/batch.err")"
fi

# a knowledge base that does not fit: nothing loaded, E008
"$SINEW" run --max-memory 1K "$ROOT/rules" > "$TMP/load.out" 2>&1
status=$?
if [ $status -eq 1 ] && grep -q 'error\[E008\]' "$TMP/load.out" &&
    grep -q '^sinew: nothing loaded' "$TMP/load.out"; then
    ok load
else
    no load "status $status: $(cat "$TMP/load.out")"
fi

# sizes
for bad in 12Q -5 4MB ""; do
    "$SINEW" run --max-memory "$bad" "$TMP/grow.sinew" > "$TMP/bad.out" 2>&1
    status=$?
    if [ $status -eq 2 ] && grep -q "^sinew run: --max-memory is a size in bytes (or with K, M, G), not '$bad'" "$TMP/bad.out"; then
        ok "size-$bad"
    else
        no "size-$bad" "status $status: $(cat "$TMP/bad.out")"
    fi
done
"$SINEW" run --max-memory 64M -q "$TMP/grow.sinew" > "$TMP/fits.out" 2>&1
status=$?
if [ $status -eq 0 ] && [ ! -s "$TMP/fits.out" ]; then ok fits; else no fits "status $status: $(cat "$TMP/fits.out")"; fi
