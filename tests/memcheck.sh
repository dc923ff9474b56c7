#!/bin/sh
# memcheck.sh BUILD_DIR — every unit test binary (linked with the release
# objects, BUILD_DIR/mtests: the debug walk is for make test), the
# knowledge base's case tests, a batch of them and a scripted consultation,
# under valgrind: any invalid access or any leaked byte fails.
# Ends with "N passed, N failed" like tests/run.sh.
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null 2>&1; then
    echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
passed=0
failed=0
check() {
    name=$1
    shift
    if valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
        --error-exitcode=99 "$@" > /dev/null 2> "$B/memcheck.log"; then
        passed=$((passed + 1))
        echo "PASS memcheck/$name"
    else
        failed=$((failed + 1))
        echo "FAIL memcheck/$name"
        tail -n 30 "$B/memcheck.log"
    fi
}
# a run that must fail with status 1 (a script with errors), and be clean
check_failing() {
    name=$1
    shift
    valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
        --error-exitcode=99 "$@" > /dev/null 2> "$B/memcheck.log"
    status=$?
    if [ "$status" -eq 1 ]; then
        passed=$((passed + 1))
        echo "PASS memcheck/$name"
    else
        failed=$((failed + 1))
        echo "FAIL memcheck/$name (status $status)"
        tail -n 30 "$B/memcheck.log"
    fi
}
for t in "$B"/mtests/test_*; do
    [ -x "$t" ] || continue
    check "$(basename "$t")" "$t"
done
check "sinew-test-rules" "$B/sinew" test rules/
"$B/sinew" test --export rules/ > "$B/memcheck-cases.jsonl"
check "sinew-batch" "$B/sinew" batch rules/ < "$B/memcheck-cases.jsonl"
check "sinew-consult" "$B/sinew" consult rules/ < tests/consult/sciatica.in
check "sinew-repl-json" "$B/sinew" tests/repl/kb.sinew < tests/repl/json.in
check "sinew-test-json" "$B/sinew" test --json rules/
check_failing "sinew-repl-errors" "$B/sinew" tests/repl/kb.sinew < tests/repl/bad_inputs.in
check_failing "sinew-repl-multiline" "$B/sinew" tests/repl/kb.sinew < tests/repl/multiline.in
echo "memcheck: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
