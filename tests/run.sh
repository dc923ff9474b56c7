#!/bin/sh
# run.sh — every test suite, and one closing line "N passed, N failed".
#
#   sh tests/run.sh BUILD_DIR
#
# Suites: unit tests (C), language tests (tests/lang/*.sinew against their
# .out), documentation examples (tests/docs.sh), transcripts (with saving,
# tests/save.sh, and --max-memory, tests/memory.sh), batch, the
# terminal (tests/tty.sh), the JSON schemas (tests/json.sh), the command
# line (tests/cli.sh), large inputs in linear time (tests/scale.sh), sinew fmt (tests/fmt.sh), the language server
# (tests/lsp/client.py), the editor files
# (tests/editors.sh), `sinew serve` and its page in a browser
# (tests/browser.sh), install and uninstall (tests/install.sh), the
# knowledge base's cases, the library's edge and the code's shape
# (tests/library.sh, structure.sh), and the replay of saved fuzz inputs
# (fuzz/crashes/*). A failing test prints one line (and a diff); passes
# are counted, not listed. Exits 1 when anything failed.

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: sh tests/run.sh BUILD_DIR" >&2
    exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "$1" && pwd)
SINEW=$B/sinew
cd "$ROOT" || exit 2
export NO_COLOR=1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-test.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' HUP INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); suite_pass=$((suite_pass + 1)); }
fail() { failed=$((failed + 1)); suite_fail=$((suite_fail + 1)); echo "FAIL $*"; }
begin() { suite=$1; suite_pass=0; suite_fail=0; }
end() { echo "$suite: $suite_pass passed, $suite_fail failed"; }
# checks SCRIPT ARGS...: a script that prints a PASS or FAIL line per check;
# its FAIL lines and anything else it says are shown
checks() {
    sh "$@" > "$TMP/checks.out" 2>&1
    p=$(grep -c '^PASS ' "$TMP/checks.out")
    f=$(grep -c '^FAIL ' "$TMP/checks.out")
    passed=$((passed + p)); suite_pass=$((suite_pass + p))
    failed=$((failed + f)); suite_fail=$((suite_fail + f))
    grep -v '^PASS ' "$TMP/checks.out" | sed '/^FAIL /!s/^/  /'
}

# ---- unit tests: each binary prints PASS/FAIL lines ----
begin unit
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    "$t" > "$TMP/unit.out" 2>&1
    status=$?
    p=$(grep -c '^PASS ' "$TMP/unit.out")
    f=$(grep -c '^FAIL ' "$TMP/unit.out")
    passed=$((passed + p)); suite_pass=$((suite_pass + p))
    failed=$((failed + f)); suite_fail=$((suite_fail + f))
    grep '^FAIL ' "$TMP/unit.out"
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        fail "$name: exited with status $status"
        tail -n 20 "$TMP/unit.out"
    fi
done
end

# ---- language tests: sinew's exact output on a .sinew file ----
# NAME.args, when present, holds the arguments instead of "check".
# An expected output with an error line (or a warning, under --werror)
# means exit status 1, else 0; NAME.status, when present, says otherwise.
begin lang
for src in tests/lang/*.sinew; do
    [ -f "$src" ] || continue
    base=${src%.sinew}
    name=$(basename "$base")
    if [ ! -f "$base.out" ]; then
        fail "lang/$name: no expected output $base.out"
        continue
    fi
    args=check
    [ -f "$base.args" ] && args=$(cat "$base.args")
    # shellcheck disable=SC2086
    "$SINEW" $args "$src" > "$TMP/got" 2>&1
    status=$?
    want_status=0
    grep -q ': error\[' "$base.out" && want_status=1
    case " $args " in
    *" --werror "*) grep -q ': warning\[' "$base.out" && want_status=1 ;;
    esac
    [ -f "$base.status" ] && want_status=$(cat "$base.status")
    if ! cmp -s "$TMP/got" "$base.out"; then
        fail "lang/$name: output differs"
        diff -u "$base.out" "$TMP/got" | head -n 40
    elif [ "$status" -ne "$want_status" ]; then
        fail "lang/$name: exit status $status, expected $want_status"
    else
        pass
    fi
done
end

# ---- documentation examples ----
begin docs
if [ -f tests/docs.sh ] && [ -f docs/language.md ]; then
    sh tests/docs.sh "$B" > "$TMP/docs.out" 2>&1
    status=$?
    line=$(grep -E '^docs: [0-9]+ passed, [0-9]+ failed' "$TMP/docs.out" | tail -n 1)
    grep -v -E '^docs: [0-9]+ passed, [0-9]+ failed' "$TMP/docs.out"
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/^docs: ([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        passed=$((passed + p)); suite_pass=$((suite_pass + p))
        failed=$((failed + f)); suite_fail=$((suite_fail + f))
        [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && fail "docs: exited with status $status"
    else
        fail "docs: tests/docs.sh printed no summary (status $status)"
    fi
else
    fail "docs: tests/docs.sh or docs/language.md is missing"
fi
end

# ---- the shipped knowledge base checks clean ----
begin rules
if "$SINEW" check --werror rules/ > "$TMP/rules.out" 2>&1; then
    pass
else
    fail "rules: 'sinew check --werror rules/' found problems"
    cat "$TMP/rules.out"
fi
# one list of diagnoses: the shipped rules agree with it (and with the
# shared vocabulary when it is there), and the check finds each
# disagreement in a knowledge base built to have them
if sh tests/diagnoses.sh rules > "$TMP/dx.out" 2>&1; then
    pass
else
    fail "rules/diagnoses: the diagnosis names disagree"
    cat "$TMP/dx.out"
fi
sh tests/diagnoses.sh tests/diagnoses/bad tests/diagnoses/bad/findings.md > "$TMP/dx.out" 2>&1
status=$?
if [ "$status" -ne 1 ] || ! cmp -s "$TMP/dx.out" tests/diagnoses/bad.out; then
    fail "rules/diagnoses-bad: exit status $status, or output differs"
    diff -u tests/diagnoses/bad.out "$TMP/dx.out" | head -n 20
else
    pass
fi
end

# ---- transcripts: lines in (NAME.in), exact output out (NAME.out), without
# a terminal. NAME.args holds sinew's arguments (default: the second
# argument). @TMP@ in the input names a fresh folder, and the folder's path
# in the output reads @TMP@ again. The exit status must be 0 (or what
# NAME.status says): a session survives whatever it was given ---
transcripts() {
    for input in "$1"/*.in; do
        [ -f "$input" ] || continue
        base=${input%.in}
        name=$(basename "$base")
        args=$2
        [ -f "$base.args" ] && args=$(cat "$base.args")
        work=$TMP/work.$name
        mkdir -p "$work"
        sed "s|@TMP@|$work|g" "$input" > "$TMP/in"
        # shellcheck disable=SC2086
        { "$SINEW" $args < "$TMP/in" 2>&1; echo $? > "$TMP/status"; } | sed "s|$work|@TMP@|g" > "$TMP/got"
        status=$(cat "$TMP/status")
        want=0
        [ -f "$base.status" ] && want=$(cat "$base.status")
        if [ ! -f "$base.out" ]; then
            fail "$1/$name: no expected output $base.out"
        elif ! cmp -s "$TMP/got" "$base.out"; then
            fail "$1/$name: output differs"
            diff -u "$base.out" "$TMP/got" | head -n 40
        elif [ "$status" -ne "$want" ]; then
            fail "$1/$name: exit status $status, not $want"
        else
            pass
        fi
    done
}

begin repl
transcripts tests/repl tests/repl/kb.sinew
if command -v dot > /dev/null 2>&1; then
    printf 'assert finding(sudden_pain) finding(pop) finding(bruising)\nrun\nexplain diagnosis(name: tear) --dot %s\n' \
        "$TMP/proof.dot" | "$SINEW" tests/repl/kb.sinew > "$TMP/dot.log" 2>&1
    if dot -Tsvg "$TMP/proof.dot" -o "$TMP/proof.svg" 2> "$TMP/dot.err" &&
        grep -q 'strain_pop' "$TMP/proof.svg" && grep -q 'finding(name: pop)' "$TMP/proof.svg"; then
        pass
    else
        fail "repl/dot: explain --dot did not render with dot"
        cat "$TMP/dot.log" "$TMP/dot.err"
    fi
    # every kind of condition in the picture: not, exists (with the fact
    # that let it through), a test with its value, and the cf arithmetic
    printf 'assert finding(pop) site(calf) severity(7) finding(swelling)\nrun\nexplain diagnosis(name: tear) --dot %s\n' \
        "$TMP/conds.dot" | "$SINEW" tests/repl/conds.sinew > "$TMP/dot.log" 2>&1
    if dot -Tsvg "$TMP/conds.dot" -o "$TMP/conds.svg" 2> "$TMP/dot.err" &&
        grep -q 'not finding(name: numbness)' "$TMP/conds.svg" &&
        grep -q 'exists site(value: thigh | calf)' "$TMP/conds.svg" &&
        grep -q 'test ?v &gt;= 5' "$TMP/conds.svg" && grep -q 'true (?v = 7)' "$TMP/conds.svg" &&
        grep -q 'certainty: 0.50 + 0.80 x (1 &#45; 0.50) = 0.90' "$TMP/conds.svg" &&
        grep -q '<title>f2&#45;&gt;c' "$TMP/conds.svg"; then
        pass
    else
        fail "repl/dot-conditions: explain --dot leaves a condition out"
        cat "$TMP/dot.log" "$TMP/dot.err"
    fi
    # the Rete network: one rule's part, with its memories' counts, and the
    # whole shipped knowledge base, rendered by dot
    printf 'assert finding(pop) site(calf) severity(7) finding(swelling)\nrun\nnetwork tear_with_every_condition --dot %s\n' \
        "$TMP/rule.dot" | "$SINEW" tests/repl/conds.sinew > "$TMP/net.log" 2>&1
    if dot -Tsvg "$TMP/rule.dot" -o "$TMP/rule.svg" 2> "$TMP/dot.err" &&
        grep -q 'rule tear_with_every_condition' "$TMP/rule.svg" &&
        grep -q 'join: finding(name: pop)' "$TMP/rule.svg" &&
        grep -q 'not finding(name: numbness)' "$TMP/rule.svg" &&
        grep -q 'exists site(value: thigh | calf)' "$TMP/rule.svg" &&
        grep -q 'test ?v &gt;= 5' "$TMP/rule.svg" && grep -q 'group end' "$TMP/rule.svg" &&
        grep -q 'finding(name: swelling)' "$TMP/rule.svg" && grep -q 'alpha memory: 1 fact' "$TMP/rule.svg" &&
        grep -q 'alpha memory: 0 facts' "$TMP/rule.svg" && ! grep -q 'rule tear_from_the_pop' "$TMP/rule.svg"; then
        pass
    else
        fail "repl/network-rule: network RULE --dot did not draw the rule's nodes"
        cat "$TMP/net.log" "$TMP/dot.err"
    fi
    printf 'network --dot %s\n' "$TMP/kb.dot" | "$SINEW" rules/ > "$TMP/net.log" 2>&1
    rules=$(printf 'rules\n' | "$SINEW" rules/ | sed -n 's/^\([0-9]*\) rules$/\1/p')
    drawn=$(grep -c 'shape=doubleoctagon, label="rule ' "$TMP/kb.dot")
    if dot -Tsvg "$TMP/kb.dot" -o "$TMP/kb.svg" 2> "$TMP/dot.err" && [ -n "$rules" ] &&
        [ "$drawn" -ge "$rules" ] && grep -q 'rule hamstring_strain_pop' "$TMP/kb.svg"; then
        pass
    else
        fail "repl/network: network --dot of rules/ drew $drawn terminals for ${rules:-?} rules"
        cat "$TMP/net.log" "$TMP/dot.err"
    fi
else
    fail "repl/dot: Graphviz's dot is not installed (apt-get install graphviz)"
fi
end

# ---- consultations on the shipped knowledge base, scripted ----
begin consult
transcripts tests/consult "consult rules/"
# a consultation another program drives: every line it writes is JSON
for args in tests/consult/*.args; do
    grep -q -- '--jsonl' "$args" || continue
    name=$(basename "${args%.args}")
    # shellcheck disable=SC2046
    "$SINEW" $(cat "$args") < "${args%.args}.in" > "$TMP/jsonl.out" 2> /dev/null
    if ! command -v jq > /dev/null 2>&1; then
        fail "consult/$name: jq is not installed (apt-get install jq)"
    elif jq -e -c 'type == "object"' "$TMP/jsonl.out" > "$TMP/jsonl.jq" 2>&1 &&
        ! grep -qv '^true$' "$TMP/jsonl.jq" &&
        [ "$(wc -l < "$TMP/jsonl.jq")" -eq "$(wc -l < "$TMP/jsonl.out")" ] &&
        tail -n 1 "$TMP/jsonl.out" | jq -e '.id == "consultation" and (.red_flags | type) == "array"' > /dev/null; then
        pass
    else
        fail "consult/$name: a line of --jsonl output is not a JSON object, or the last is not the report"
        head -c 2000 "$TMP/jsonl.jq"
    fi
done
# a saved consultation is a case the knowledge base passes
if "$SINEW" test rules/ tests/consult/saved_runner.sinew > "$TMP/saved.out" 2>&1; then
    pass
else
    fail "consult/saved_runner: 'sinew test' on the saved answers failed"
    tail -n 20 "$TMP/saved.out"
fi
# saving: round trips, resumes, links, refusals (tests/save.sh)
checks tests/save.sh "$SINEW"
grep -q '^PASS save/refused_untouched$' "$TMP/checks.out" || fail "save: the checks did not all pass"
# --max-memory: out of memory is a message, in run, the REPL and batch
checks tests/memory.sh "$SINEW"
grep -q '^PASS memory/fits$' "$TMP/checks.out" || fail "memory: the checks did not all pass"
end

# ---- batch: JSON cases in, JSON results out ----
# NAME.jsonl through `sinew batch` (NAME.args: its arguments, default
# rules/); standard output and error must be NAME.out, the exit status
# NAME.status (default 0). Then the knowledge base's own cases, exported
# by `sinew test --export`, must give in batch exactly what `sinew test
# --json` reports for them.
begin batch
for input in tests/batch/*.jsonl; do
    [ -f "$input" ] || continue
    base=${input%.jsonl}
    name=$(basename "$base")
    args=rules/
    [ -f "$base.args" ] && args=$(cat "$base.args")
    # shellcheck disable=SC2086
    "$SINEW" batch $args < "$input" > "$TMP/got" 2>&1
    status=$?
    want=0
    [ -f "$base.status" ] && want=$(cat "$base.status")
    if ! cmp -s "$TMP/got" "$base.out"; then
        fail "batch/$name: output differs"
        diff -u "$base.out" "$TMP/got" | head -n 40
    elif [ "$status" -ne "$want" ]; then
        fail "batch/$name: exit status $status, not $want"
    else
        pass
    fi
done
"$SINEW" test --export rules/ > "$TMP/cases.jsonl" 2> "$TMP/export.err"
"$SINEW" batch rules/ < "$TMP/cases.jsonl" > "$TMP/batch.raw" 2> "$TMP/batch.err"
"$SINEW" test --json rules/ > "$TMP/test.raw" 2> "$TMP/test.err"
# `test --json` says besides how each case's test came out (.test)
jq -c . < "$TMP/batch.raw" > "$TMP/batch.jsonl"
jq -c 'del(.test)' < "$TMP/test.raw" > "$TMP/test.jsonl"
if [ "$(jq -c 'select(.test.passed == true)' < "$TMP/test.raw" | wc -l)" -ne "$(wc -l < "$TMP/cases.jsonl")" ]; then
    fail "batch/test-json: not every case of the knowledge base says \"passed\": true"
else
    pass
fi
n=$(wc -l < "$TMP/cases.jsonl")
if [ "$n" -lt 60 ]; then
    fail "batch/agreement: only $n cases exported"
    cat "$TMP/export.err"
elif ! cmp -s "$TMP/batch.jsonl" "$TMP/test.jsonl"; then
    fail "batch/agreement: batch and 'sinew test --json' differ on the knowledge base's cases"
    cat "$TMP/batch.err" "$TMP/test.err"
    diff "$TMP/batch.jsonl" "$TMP/test.jsonl" | head -c 2000
elif [ "$(wc -l < "$TMP/batch.jsonl")" -ne "$n" ] || grep -q '"error"' "$TMP/batch.jsonl"; then
    fail "batch/agreement: not one clean result per case"
else
    pass
fi
end

# ---- the REPL on a real terminal (tmux): completion, history, Ctrl-C ----
begin tty
sh tests/tty.sh "$SINEW" > "$TMP/tty.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/tty.out"
grep -v '^PASS ' "$TMP/tty.out" | grep -v '^FAIL ' | sed 's/^/  /'
end

# ---- JSON as a contract: every JSON form validated against its schema in
# docs/schema/ (tests/json.sh) ----
begin json
sh tests/json.sh "$SINEW" > "$TMP/json.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/json.out"
grep -v '^PASS ' "$TMP/json.out" | grep -v '^FAIL ' | sed 's/^/  /'
grep -q '^PASS json/rejects-renamed$' "$TMP/json.out" || fail "json: the schemas were not checked"
end

# ---- the command line: each command's --help, usage errors, the man page
# against the table of commands and options (tests/cli.sh) ----
begin cli
sh tests/cli.sh "$SINEW" > "$TMP/cli.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/cli.out"
grep -v '^PASS ' "$TMP/cli.out" | grep -v '^FAIL ' | sed 's/^/  /'
grep -q '^PASS cli/batch-man$' "$TMP/cli.out" || fail "cli: the man page was not checked"
# Ctrl-C while batch and a piped REPL read (tests/interrupt.sh)
checks tests/interrupt.sh "$SINEW"
grep -q '^PASS interrupt/piped_repl$' "$TMP/checks.out" || fail "interrupt: the checks did not all pass"
# large inputs in linear time (tests/scale.sh)
checks tests/scale.sh "$SINEW"
grep -q '^PASS scale/typed_construct$' "$TMP/checks.out" || fail "scale: the checks did not all pass"
end

# ---- sinew fmt: golden layouts, every .sinew file of the project keeps its
# syntax tree and is stable, --check, the shipped rules formatted, a failed
# write (tests/fmt.sh) ----
begin fmt
sh tests/fmt.sh "$SINEW" "$TMP" > "$TMP/fmt.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/fmt.out"
grep -v '^PASS ' "$TMP/fmt.out" | grep -v '^FAIL ' | sed 's/^/  /'
grep -q '^PASS fmt/failed-write$' "$TMP/fmt.out" || fail "fmt: the failed write was not checked"
end

# ---- the language server: a scripted session driven by a small client
# (tests/lsp/client.py) ----
begin lsp
python3 tests/lsp/client.py "$SINEW" "$TMP" > "$TMP/lsp.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/lsp.out"
grep -v '^PASS ' "$TMP/lsp.out" | grep -v '^FAIL ' | sed 's/^/  /'
grep -q '^PASS lsp/exit$' "$TMP/lsp.out" || fail "lsp: the session did not reach its end"
end

# ---- the editor files: Vim loads them, the TextMate grammar tokenizes a
# sample (tests/editors.sh) ----
begin editors
sh tests/editors.sh "$B" "$TMP" > "$TMP/editors.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/editors.out"
grep -v '^PASS ' "$TMP/editors.out" | grep -v '^FAIL ' | sed 's/^/  /'
[ "$suite_pass" -eq 3 ] || [ "$suite_fail" -gt 0 ] || fail "editors: ran $suite_pass of its 3 checks"
end

# ---- sinew serve: its API with curl, the page in headless Chromium
# (tests/browser.sh) ----
begin browser
sh tests/browser.sh "$B" "$TMP" > "$TMP/browser.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/browser.out"
grep -v '^PASS ' "$TMP/browser.out" | grep -v '^FAIL ' | sed 's/^/  /'
grep -q '^PASS browser/tab-closed$' "$TMP/browser.out" || fail "browser: the page was not driven to its end"
end

# ---- make install into a temporary prefix, the installed sinew on the
# installed rules from another folder, make uninstall (tests/install.sh) ----
begin install
sh tests/install.sh "$B" > "$TMP/install.out" 2>&1
while read -r word rest; do
    case $word in
    PASS) pass ;;
    FAIL) fail "$rest" ;;
    esac
done < "$TMP/install.out"
grep -v '^PASS ' "$TMP/install.out" | grep -v '^FAIL ' | sed 's/^/  /'
grep -q '^PASS install/uninstall$' "$TMP/install.out" || fail "install: no uninstall check ran"
end

# ---- the knowledge base's own case tests, one result per case, and
# every rule fired by some case ----
begin cases
"$SINEW" test --verbose --coverage rules/ > "$TMP/cases.out" 2>&1
status=$?
ncases=0
while read -r word name rest; do
    case $word in
    pass) pass; ncases=$((ncases + 1)) ;;
    FAIL) fail "cases/$name $rest"; ncases=$((ncases + 1)) ;;
    coverage:)
        # "coverage: X of Y rules fired by the cases"
        set -- $name $rest
        if [ "$1" = "$3" ]; then pass; else fail "cases/coverage: $1 of $3 rules fired"; fi ;;
    esac
done < "$TMP/cases.out"
grep -v '^pass ' "$TMP/cases.out" | grep -v '^FAIL ' | grep -v 'cases: ' | grep -v '^coverage: ' | sed 's/^/  /'
if [ "$status" -gt 1 ] || [ "$ncases" -eq 0 ]; then
    fail "cases: 'sinew test rules/' exited $status after $ncases cases"
fi
end

# ---- saved fuzz inputs: no crash, no hang ----
# ---- the library's edge and the code's shape (tests/library.sh,
# tests/structure.sh): each prints PASS/FAIL lines, N checks in all ----
begin library
checks tests/library.sh "$B" "$TMP"
checks tests/structure.sh
[ "$suite_pass" -eq 6 ] || [ "$suite_fail" -gt 0 ] ||
    fail "library: ran $suite_pass of its 6 checks"
end

begin fuzz-replay
# every seed and every saved crash of each fuzzing harness, through the
# program as a user would give it: no crash (a signal), no hang (10 s)
replay() { # NAME INPUT: INPUT given to harness NAME's surface
    t="timeout -s KILL 10"
    case $1 in
    front) $t "$SINEW" check "$2" ;;
    facts) $t "$SINEW" run --max-firings 5000 --facts "$2" rules/ ;;
    batch) $t "$SINEW" batch --max-firings 5000 rules/ < "$2" ;;
    repl) (cd "$TMP/scratch" && $t "$SINEW" --max-firings 5000 "$ROOT/rules" < "$2") ;;
    consult) { echo consult; cat "$2"; } |
        (cd "$TMP/scratch" && $t "$SINEW" --max-firings 5000 "$ROOT/rules") ;;
    resume) $t "$SINEW" consult --resume "$2" rules/ < /dev/null ;;
    esac
}
mkdir -p "$TMP/scratch"
for h in front facts batch repl consult resume; do
    for input in fuzz/seeds/$h/* fuzz/crashes/$h/*; do
        [ -f "$input" ] || continue
        replay "$h" "$ROOT/$input" > /dev/null 2>&1
        status=$?
        if [ "$status" -le 2 ]; then
            pass
        else
            fail "fuzz-replay/$h/$(basename "$input"): exit status $status"
        fi
    done
done
[ "$suite_pass" -ge 6 ] || [ "$suite_fail" -gt 0 ] || fail "fuzz-replay: a harness has no seeds"
end

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
