#!/bin/sh
# docs.sh — every example in docs/language.md is checked.
#
#   sh tests/docs.sh BUILD_DIR
#
# A ```sinew block must be check-clean: `sinew check` exits 0 with no
# errors and no warnings. A ```sinew-error block must produce at least one
# error, and the ```text block right after it (blank lines between are
# allowed) holds the exact output: diagnostics and summary line. Each block
# is checked on its own, written to example.sinew in a fresh folder and
# checked from there, so the file name in the output is always
# example.sinew. Prints one line per failure, then "docs: N passed, N failed".

if [ $# -ne 1 ]; then
    echo "usage: sh tests/docs.sh BUILD_DIR" >&2
    exit 2
fi
B=$(cd "$1" 2>/dev/null && pwd) || { echo "docs: no build folder '$1'" >&2; exit 2; }
SINEW=$B/sinew
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOC=docs/language.md
if [ ! -x "$SINEW" ]; then
    echo "docs: $SINEW is missing; run make first" >&2
    exit 2
fi
if [ ! -f "$ROOT/$DOC" ]; then
    echo "docs: $DOC is missing" >&2
    exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sinew-docs.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM

# Split the document into $T/N/{kind,line,example.sinew,expected}.
# kind is "sinew" or "sinew-error"; expected is written only for a
# sinew-error block followed by a ```text block, and "missing" records that
# it was not.
awk -v dir="$T" '
    function start(kind) {
        n++
        block = dir "/" n
        system("mkdir -p \"" block "\"")
        print kind > (block "/kind"); close(block "/kind")
        print NR > (block "/line"); close(block "/line")
        file = block "/example.sinew"
        printf "" > file
        state = "in"
    }
    state == "in" {
        if ($0 == "```") {
            close(file)
            state = (kindnow == "sinew-error") ? "want_text" : ""
            next
        }
        print > file
        next
    }
    state == "want_text" {
        if ($0 ~ /^[ \t]*$/)
            next
        if ($0 == "```text") {
            file = block "/expected"
            printf "" > file
            state = "text"
            next
        }
        print "missing" > (block "/missing"); close(block "/missing")
        state = ""
        # fall through: this line may open the next block
    }
    state == "text" {
        if ($0 == "```") {
            close(file)
            state = ""
            next
        }
        print > file
        next
    }
    $0 == "```sinew" { kindnow = "sinew"; start(kindnow); next }
    $0 == "```sinew-error" { kindnow = "sinew-error"; start(kindnow); next }
    END {
        if (state == "in" || state == "text")
            print "unclosed" > (block "/unclosed")
        if (state == "want_text")
            print "missing" > (block "/missing")
    }
' "$ROOT/$DOC"

pass=0
fail=0
failed() {
    echo "docs: $DOC:$line: $*"
    fail=$((fail + 1))
}

for d in $(ls "$T" | sort -n); do
    dir=$T/$d
    [ -f "$dir/kind" ] || continue
    kind=$(cat "$dir/kind")
    line=$(cat "$dir/line")
    if [ -f "$dir/unclosed" ]; then
        failed "the block is never closed"
        continue
    fi
    (cd "$dir" && NO_COLOR=1 "$SINEW" check example.sinew >output 2>&1)
    status=$?
    first=$(grep -E '^example\.sinew:[0-9]+:[0-9]+: (error|warning)' "$dir/output" | head -n 1)
    if [ "$kind" = sinew ]; then
        if [ $status -ne 0 ]; then
            failed "example is not check-clean (exit $status): ${first:-$(tail -n1 "$dir/output")}"
        elif ! tail -n1 "$dir/output" | grep -q ': no problems$'; then
            failed "example has warnings: ${first:-$(tail -n1 "$dir/output")}"
        else
            pass=$((pass + 1))
        fi
        continue
    fi
    # sinew-error
    if [ -f "$dir/missing" ] || [ ! -f "$dir/expected" ]; then
        failed "error example is not followed by a \`\`\`text block with its expected output"
    elif [ $status -ne 1 ] || ! grep -q '^example\.sinew:[0-9]*:[0-9]*: error\[' "$dir/output"; then
        failed "error example reports no error (exit $status)"
    elif ! cmp -s "$dir/expected" "$dir/output"; then
        diffline=$(diff "$dir/expected" "$dir/output" | grep '^[<>]' | head -n 1)
        failed "error example's output differs from the text block: $diffline"
    else
        pass=$((pass + 1))
    fi
done

echo "docs: $pass passed, $fail failed"
[ $fail -eq 0 ]
