#!/bin/sh
# fmt.sh — `sinew fmt`, checked. Prints PASS/FAIL lines.
#
#   sh tests/fmt.sh SINEW TMPDIR
#
# Golden layouts: tests/fmt/NAME.sinew formatted must read NAME.out, with
# NAME.err on standard error (exit status 1) when there is one. Every
# .sinew file in the project, formatted, keeps its syntax tree (`sinew
# check --ast`) and is stable (formatting it again changes nothing); one
# that cannot be formatted (a syntax error) is left byte for byte as it
# was. --check lists what would change and exits 1; the shipped rules are
# formatted; a write that fails leaves the file as it was and no
# temporary file behind.
SINEW=$1
TMP=$2/fmt
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
rm -rf "$TMP"
mkdir -p "$TMP"

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

for src in tests/fmt/*.sinew; do
    name=$(basename "$src" .sinew)
    cp "$src" "$TMP/$name.sinew"
    (cd "$TMP" && "$SINEW" fmt "$name.sinew" > "$name.stdout" 2> "$name.stderr")
    status=$?
    want=0
    [ -f "tests/fmt/$name.err" ] && want=1
    if ! cmp -s "$TMP/$name.sinew" "tests/fmt/$name.out"; then
        fail "fmt/$name: the layout differs"
        diff -u "tests/fmt/$name.out" "$TMP/$name.sinew" | head -n 30
    elif [ -f "tests/fmt/$name.err" ] && ! cmp -s "$TMP/$name.stderr" "tests/fmt/$name.err"; then
        fail "fmt/$name: the diagnostics differ"
        diff -u "tests/fmt/$name.err" "$TMP/$name.stderr" | head -n 20
    elif [ ! -f "tests/fmt/$name.err" ] && [ -s "$TMP/$name.stderr" ]; then
        fail "fmt/$name: unexpected diagnostics"
        cat "$TMP/$name.stderr"
    elif [ "$status" -ne "$want" ] || [ -s "$TMP/$name.stdout" ]; then
        fail "fmt/$name: exit status $status (expected $want), or output on stdout"
    else
        pass "fmt/$name"
    fi
done

# every .sinew file in the project
n=0
for src in $(find bench rules tests -name '*.sinew' | sort); do
    n=$((n + 1))
    copy=$TMP/each.sinew
    cp "$src" "$copy"
    "$SINEW" fmt "$copy" > /dev/null 2> "$TMP/each.err"
    status=$?
    if [ "$status" -ne 0 ]; then
        if ! cmp -s "$src" "$copy"; then
            fail "fmt/every $src: not formatted (status $status) but changed"
        elif ! grep -q -E 'error\[E(00[1-6]|15[5-8])\]' "$TMP/each.err"; then
            fail "fmt/every $src: not formatted, and not for a syntax error"
            head -n 5 "$TMP/each.err"
        else
            pass "fmt/every $src (a syntax error: left as it was)"
        fi
        continue
    fi
    "$SINEW" check --ast "$src" > "$TMP/ast.before" 2> /dev/null
    "$SINEW" check --ast "$copy" > "$TMP/ast.after" 2> /dev/null
    if ! cmp -s "$TMP/ast.before" "$TMP/ast.after" || [ ! -s "$TMP/ast.before" ] && [ -s "$src" ] &&
        grep -qE '^(rule|template|facts|ask|case|source)' "$src"; then
        fail "fmt/every $src: the syntax tree changed"
        diff -u "$TMP/ast.before" "$TMP/ast.after" | head -n 20
    elif ! "$SINEW" fmt --check "$copy" > "$TMP/again" 2>&1 || [ -s "$TMP/again" ]; then
        fail "fmt/every $src: formatting twice changes it again"
        cp "$copy" "$TMP/twice.sinew"
        "$SINEW" fmt "$TMP/twice.sinew" > /dev/null 2>&1
        diff -u "$copy" "$TMP/twice.sinew" | head -n 20
    else
        pass "fmt/every $src"
    fi
done
[ "$n" -ge 150 ] || fail "fmt/every: only $n .sinew files found"

# --check: lists the file that would change, changes nothing, exits 1
cp tests/fmt/layout.sinew "$TMP/check.sinew"
"$SINEW" fmt --check "$TMP/check.sinew" > "$TMP/check.out" 2>&1
status=$?
if [ "$status" -eq 1 ] && [ "$(cat "$TMP/check.out")" = "$TMP/check.sinew" ] &&
    cmp -s tests/fmt/layout.sinew "$TMP/check.sinew"; then
    pass "fmt/check-lists"
else
    fail "fmt/check-lists: status $status, output '$(cat "$TMP/check.out")'"
fi

# the shipped rules are in the one layout
if "$SINEW" fmt --check rules/ > "$TMP/rules.out" 2>&1 && [ ! -s "$TMP/rules.out" ]; then
    pass "fmt/rules"
else
    fail "fmt/rules: 'sinew fmt --check rules/' lists files; run 'sinew fmt rules/'"
    cat "$TMP/rules.out"
fi

# a write that fails (no room for even one block) loses nothing
mkdir -p "$TMP/full"
cp tests/fmt/layout.sinew "$TMP/full/x.sinew"
# (the messages go through a pipe: the limit applies to files only)
(trap '' XFSZ; ulimit -f 0; "$SINEW" fmt "$TMP/full/x.sinew" 2>&1; echo "status $?") | cat > "$TMP/full.err"
status=$(sed -n 's/^status //p' "$TMP/full.err")
if [ "$status" = 1 ] && cmp -s tests/fmt/layout.sinew "$TMP/full/x.sinew" &&
    [ "$(ls "$TMP/full")" = "x.sinew" ] && grep -q 'cannot write' "$TMP/full.err"; then
    pass "fmt/failed-write"
else
    fail "fmt/failed-write: status $status; files: $(ls "$TMP/full" | tr '\n' ' ')"
    cat "$TMP/full.err"
fi

# a folder formats each .sinew in it; no operand is a usage error
mkdir -p "$TMP/dir"
cp tests/fmt/layout.sinew tests/fmt/comments.sinew "$TMP/dir/"
if "$SINEW" fmt "$TMP/dir" && cmp -s "$TMP/dir/layout.sinew" tests/fmt/layout.out &&
    cmp -s "$TMP/dir/comments.sinew" tests/fmt/comments.out; then
    pass "fmt/folder"
else
    fail "fmt/folder: the files of a folder were not formatted"
fi
"$SINEW" fmt > /dev/null 2>&1
status=$?
if [ "$status" -eq 2 ]; then pass "fmt/usage"; else fail "fmt/usage: status $status, not 2"; fi

# `-`: standard input to standard output, the file untouched
if "$SINEW" fmt - < tests/fmt/layout.sinew > "$TMP/stdin.out" 2> "$TMP/stdin.err" &&
    cmp -s "$TMP/stdin.out" tests/fmt/layout.out && [ ! -s "$TMP/stdin.err" ]; then
    pass "fmt/stdin"
else
    fail "fmt/stdin: 'sinew fmt -' did not write the layout on standard output"
fi
"$SINEW" fmt - < tests/fmt/syntax_error.sinew > "$TMP/stdin.out" 2> "$TMP/stdin.err"
status=$?
if [ "$status" -eq 1 ] && [ ! -s "$TMP/stdin.out" ] && grep -q '^<stdin>:5:1: error\[E003\]' "$TMP/stdin.err"; then
    pass "fmt/stdin-error"
else
    fail "fmt/stdin-error: status $status"
fi
