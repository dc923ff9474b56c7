#!/bin/sh
# json.sh SINEW — every JSON form sinew writes, validated against its
# schema in docs/schema/ (tests/json_check.py, with python3-jsonschema):
# why, how, explain and whynot --json in the REPL, run --json (with a
# query too), batch results and error records, test --json (with how each
# test came out), test --export, the lines of consult --jsonl; and a
# document changed by one name fails, so the check can fail. Prints a PASS
# or FAIL line per form.
set -u
SINEW=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-json.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
if ! python3 -c 'import jsonschema' 2> /dev/null; then
    echo "FAIL json: python3-jsonschema is not installed (apt-get install python3-jsonschema)"
    exit 1
fi

validate() {
    name=$1
    shift
    if python3 tests/json_check.py docs/schema "$@" > "$TMP/check.out" 2>&1; then
        echo "PASS json/$name"
    else
        echo "FAIL json/$name:"
        sed 's/^/    | /' "$TMP/check.out" | tail -n 8
    fi
}

# the explanations, on the transcripts' knowledge base and on the shipped one
"$SINEW" tests/repl/kb.sinew < tests/repl/json.in > "$TMP/repl.out" 2>&1
cat > "$TMP/session.in" << 'IN'
assert site(value: posterior_thigh) onset(sudden) onset_activity(sprinting) pop(yes)
run
why red_flag(code: F09) --json
how diagnosis(name: hamstring_strain) --json
explain #22 --json
whynot diagnosis(name: sciatica) --json
whynot diagnosis(name: hamstring_strain) --json
retract #25
how #22 --json
why #27 --json
IN
"$SINEW" rules/ < "$TMP/session.in" > "$TMP/session.out" 2>&1
grep -q '"schema":"sinew.why/1"' "$TMP/repl.out" && grep -q '"schema":"sinew.how/1"' "$TMP/session.out" &&
    grep -q '"schema":"sinew.whynot/1"' "$TMP/session.out" && grep -q '"retracted":true' "$TMP/session.out" ||
    echo "FAIL json/repl-forms: a form is missing"
# every kind of condition (not, exists, test) in why and how
sed "s|@TMP@|$TMP|g" tests/repl/conds.in | "$SINEW" tests/repl/conds.sinew > "$TMP/conds.out" 2>&1
grep -q '"kind":"exists"' "$TMP/conds.out" && grep -q '"kind":"test"' "$TMP/conds.out" &&
    grep -q '"kind":"not"' "$TMP/conds.out" || echo "FAIL json/conditions: a kind of condition is missing"
validate explanations "$TMP/repl.out" "$TMP/session.out" "$TMP/conds.out"

# run --json, also one a rule stopped with an error
printf 'site(value: posterior_thigh)\nonset(value: sudden)\npop(value: yes)\n' > "$TMP/case.facts"
"$SINEW" run --json --facts "$TMP/case.facts" rules/ > "$TMP/run.out" 2> /dev/null
"$SINEW" run --json tests/lang/run_runtime_error.sinew > "$TMP/run-error.out" 2> /dev/null
"$SINEW" run --json --query "in_city rome" tests/lang/run_queries.sinew > "$TMP/run-query.out" 2> /dev/null
grep -q '"query":{"name":"in_city"' "$TMP/run-query.out" || echo "FAIL json/run-query: no query object"
validate run "$TMP/run.out" "$TMP/run-error.out" "$TMP/run-query.out"

# batch: results and error records
for f in tests/batch/*.jsonl; do
    "$SINEW" batch $(cat "${f%.jsonl}.args" 2> /dev/null || echo rules/) < "$f" > "$TMP/$(basename "$f").out" 2> /dev/null
done
validate batch "$TMP"/*.jsonl.out

# test --json and --export, on the knowledge base and on cases that fail
"$SINEW" test --json rules/ > "$TMP/test.out" 2> /dev/null
"$SINEW" test --json tests/lang/test_failing_case.sinew > "$TMP/test-fails.out" 2> /dev/null
grep -q '"passed":false' "$TMP/test-fails.out" || echo "FAIL json/test-fails: no case failed in tests/lang/test_failing_case.sinew"
validate test "$TMP/test.out" "$TMP/test-fails.out"
"$SINEW" test --export rules/ > "$TMP/export.out" 2> /dev/null
validate export "$TMP/export.out"

# a consultation another program drives: questions (a grouped one with its
# items), why, answers not taken, an answer taken back, then the report
"$SINEW" $(cat tests/consult/jsonl.args) < tests/consult/jsonl.in > "$TMP/consult.out" 2> /dev/null
grep -q '"items":\[' "$TMP/consult.out" && grep -q '"why":\[' "$TMP/consult.out" &&
    grep -q '"error":' "$TMP/consult.out" && grep -q '"back":' "$TMP/consult.out" &&
    grep -q '"schema":"sinew.result/1","id":"consultation"' "$TMP/consult.out" ||
    echo "FAIL json/consult-forms: a form is missing"
validate consult "$TMP/consult.out"

# the check can fail: one name changed, or the schema left out
head -n 1 "$TMP/test.out" | sed 's/"justifications"/"because"/' > "$TMP/renamed.out"
head -n 1 "$TMP/run.out" | sed 's/"schema":"sinew.run\/1",//' > "$TMP/unnamed.out"
head -n 1 "$TMP/consult.out" | sed 's/"multiple"/"several"/' > "$TMP/question.out"
for bad in renamed unnamed question; do
    if python3 tests/json_check.py docs/schema "$TMP/$bad.out" > /dev/null 2>&1; then
        echo "FAIL json/rejects-$bad: an invalid document passed"
    else
        echo "PASS json/rejects-$bad"
    fi
done
