#!/bin/sh
# scale.sh SINEW — inputs that once cost quadratic time now cost linear
# time: each is run under a limit far above what the linear program takes
# (about 1 s, 10 s under the sanitizers) and far below what the quadratic
# one took. Prints a PASS or FAIL line per check.
set -u
SINEW=$1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-scale.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

ok() { echo "PASS scale/$1"; }
no() { echo "FAIL scale/$1: $2"; }

# N lines of "  t(n: I)" from 1 to N
lines() {
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "  t(n: %d)\n", i }'
}

# A construct typed line by line into the REPL: 100,000 lines of one facts
# block. The parser was asked after every line whether the construct was
# complete, re-reading it whole each time (20,000 lines took 4.3 s; this
# would take minutes); now it is asked where the construct may end.
{
    echo 'template t { n: int }'
    echo 'facts many {'
    lines 100000
    echo '}'
    echo 'facts t(n: 100000)'
    echo 'rule r when t(n: 7) then'
    echo '    print "seven"'
    echo 'end'
    echo 'run'
} > "$TMP/typed.in"
timeout -s KILL 60 "$SINEW" < "$TMP/typed.in" > "$TMP/typed.out" 2> "$TMP/typed.err"
status=$?
if [ $status -eq 0 ] && grep -q '^#[0-9]* *t(n: 100000)$' "$TMP/typed.out" &&
    grep -q '^seven$' "$TMP/typed.out" && [ "$(grep -c '^loaded$' "$TMP/typed.out")" -eq 3 ]; then
    ok typed_construct
else
    no typed_construct "a 100,000-line facts block typed in: exit $status (137: over 60 s)"
    tail -n 5 "$TMP/typed.out" "$TMP/typed.err"
fi

# A broken construct is still reported while it is typed, not only at its
# end: the error is shown before the lines after it are read as commands.
printf 'facts {\n  t(n: 1)\n  t(n: ]\n  t(n: 2)\n  t(n: 3)\n  t(n: 4)\n  t(n: 5)\n}\nfacts\n' > "$TMP/broken.in"
printf 'template t { n: int }\n' > "$TMP/t.sinew"
"$SINEW" "$TMP/t.sinew" < "$TMP/broken.in" > "$TMP/broken.out" 2> "$TMP/broken.err"
if grep -q 'error\[E001\]' "$TMP/broken.err" && grep -q 'nothing loaded' "$TMP/broken.err" &&
    grep -q '^0 facts' "$TMP/broken.out"; then
    ok broken_construct
else
    no broken_construct "a broken facts block typed in was not reported"
    cat "$TMP/broken.out" "$TMP/broken.err"
fi

# A rule's place (FILE:LINE in `why`) under a path of 600+ bytes: it was
# written into a fixed buffer of ~510 (ASan: a stack over-read).
d=$TMP
for i in 1 2 3 4 5 6 7 8 9 10; do
    d=$d/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
done
mkdir -p "$d"
printf 'template f { v: symbol }\ntemplate g { v: symbol }\nfacts { f(a) }\nrule r when f(v: ?x) then conclude g(v: ?x) end\n' > "$d/kb.sinew"
printf 'run\nwhy g()\n' | "$SINEW" "$d/kb.sinew" > "$TMP/path.out" 2>&1
if grep -q "concluded by rule r ($d/kb.sinew:4)" "$TMP/path.out"; then
    ok long_path
else
    no long_path "why does not name the rule's place under a 600-byte path"
    cut -c1-200 "$TMP/path.out"
fi

# A piped script of 20,000 one-line rules, each loaded on its own as it is
# read. Each was loaded padded with as many empty lines as came before it,
# so that its diagnostics gave the script's lines, and the engine kept that
# text (54 s, 1 GB); and every load sorted all the rules by name again. Now
# a construct is loaded as beginning at its line, and a load places only
# its own rules in the order: about a second. The lines must stay right:
# an error on the last line and `why` name their line of the script. The
# sanitizer build (SANITIZE=1) checks the whole network after every change
# (SINEW_DEBUG), which costs the network's size per load: there only the
# lines are checked, on 2,000 rules.
n=20000
[ "${SANITIZE:-0}" = 1 ] && n=2000
{
    echo 'template t { n: int }'
    awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++) printf "rule r%d when t(n: %d) then assert t(n: -%d) end\n", i, i, i }'
    echo 'rule broken when t(n: ]) then end'
    echo "assert t(n: $n)"
    echo 'run'
    echo "why t(n: -$n)"
} > "$TMP/rules.in"
timeout -s KILL 20 "$SINEW" "$TMP/t.sinew" < "$TMP/rules.in" > "$TMP/rules.out" 2> "$TMP/rules.err"
status=$?
if [ $status -eq 1 ] && [ "$(grep -c '^loaded$' "$TMP/rules.out")" -eq $n ] &&
    grep -q "^<stdin>:$((n + 2)):23: error\[E001\]" "$TMP/rules.err" &&
    grep -q "^ *$((n + 2)) | rule broken when t(n: \]) then end\$" "$TMP/rules.err" &&
    grep -q "asserted by rule r$n (<stdin>:$((n + 1))), firing 1" "$TMP/rules.out"; then
    ok typed_rules
else
    no typed_rules "$n one-line rules piped in: exit $status (137: over 20 s)"
    tail -n 5 "$TMP/rules.out" "$TMP/rules.err"
fi

# The memory a rule costs, at its peak: 5,000 rules of one pattern with
# three constant tests and one action, compiled. Parsing, checking and
# compiling them once took 3,260 bytes a rule at the peak (the tree of
# every rule, the checker's undo log and tables, expressions the compiler
# made and dropped), then 1,830; now about 1,550. The sanitizers' builds give each
# arena block its own allocation, so their bytes say nothing here.
if [ "${SANITIZE:-0}" != 1 ]; then
    n=5000
    awk -v n=$n 'BEGIN {
        print "template item { id: int  a: symbol  b: symbol  c: int  d: int }"
        print "template hit { id: int  by: int }"
        for (i = 0; i < n; i++)
            printf "rule r%d\nwhen\n    item(id: ?i, a: a%d, c: %d, d: %d)\nthen\n" \
                   "    assert hit(id: ?i, by: %d)\nend\n\n", i, i % 32, (i * 7) % 32, (i * 13) % 32, i
    }' > "$TMP/mem.sinew"
    "$SINEW" run --no-record -q --stats "$TMP/mem.sinew" > "$TMP/mem.out" 2> "$TMP/mem.err"
    peak=$(awk '$1 == "peak" && $2 == "bytes" { print $3 }' "$TMP/mem.err")
    if [ -n "$peak" ] && [ "$peak" -le $((n * 1800)) ]; then
        ok memory_per_rule
    else
        no memory_per_rule "$n rules: peak ${peak:-unknown} bytes, over 1,800 a rule"
        tail -n 5 "$TMP/mem.err"
    fi

    # A facts file (run --facts) is read as a facts block's inside: each
    # fact packed as it is parsed, so 20,000 data facts cost no more there
    # than in a block of the program (they once kept a whole tree each:
    # 1.8 times the block's peak).
    n=20000
    printf 'template item { id: int  a: symbol  b: symbol  c: int  d: int }\n' > "$TMP/items.sinew"
    awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
        printf "item(id: %d, a: a%d, b: b%d, c: %d, d: %d)\n", i, i % 32, i % 17, i % 29, i % 31 }' \
        > "$TMP/items.facts"
    { cat "$TMP/items.sinew"; echo 'facts items {'; cat "$TMP/items.facts"; echo '}'; } > "$TMP/block.sinew"
    "$SINEW" run --no-record -q --stats "$TMP/block.sinew" > /dev/null 2> "$TMP/block.err"
    "$SINEW" run --no-record -q --stats --facts "$TMP/items.facts" "$TMP/items.sinew" \
        > /dev/null 2> "$TMP/file.err"
    in_block=$(awk '$1 == "peak" && $2 == "bytes" { print $3 }' "$TMP/block.err")
    in_file=$(awk '$1 == "peak" && $2 == "bytes" { print $3 }' "$TMP/file.err")
    facts=$(awk '$1 == "facts" { print $2 }' "$TMP/file.err")
    if [ -n "$in_block" ] && [ -n "$in_file" ] && [ "$facts" = "$n" ] &&
        [ "$in_file" -le $((in_block * 5 / 4)) ]; then
        ok facts_file_memory
    else
        no facts_file_memory "$n facts: ${facts:-?} asserted; peak ${in_file:-?} bytes from a file, ${in_block:-?} in a block"
    fi
fi
