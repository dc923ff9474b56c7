#!/bin/sh
# save.sh SINEW — saving a consultation (the REPL's `save FILE`): a saved
# file round-trips what was asserted (long strings, every escape,
# non-ASCII) and can be resumed again and again in one session; the file
# is replaced whole through a temporary file in its folder; a link is
# written through (it stays a link); a folder, a device or a missing
# folder is refused with a reason, leaving everything as it was. Prints a
# PASS or FAIL line per check. Long facts are checked whole in batch and
# the consultation report too.
set -u
SINEW=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KB=$ROOT/tests/repl/save_kb.sinew
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-save.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

ok() { echo "PASS save/$1"; }
no() { echo "FAIL save/$1: $2"; }

# a string of 3,000 bytes with every escape and some non-ASCII text
long=$(awk 'BEGIN { for (i = 0; i < 60; i++) printf "line %02d \\\"quoted\\\" back\\\\slash\\ttab é ü → ", i }')
printf 'assert note(text: "%s")\nsave %s/a.sinew\n' "$long" "$TMP" > "$TMP/in1"
"$SINEW" "$KB" < "$TMP/in1" > "$TMP/out1" 2>&1
if [ $? -eq 0 ] && grep -q "saved the given facts" "$TMP/out1"; then ok save; else no save "$(cat "$TMP/out1")"; fi

# what was saved is what was asserted, and the saved case passes
printf 'facts\n' | "$SINEW" "$KB" > /dev/null 2>&1
printf 'assert note(text: "%s")\nfacts\n' "$long" | "$SINEW" "$KB" 2>&1 | grep 'note(' | sort -u > "$TMP/want"
printf 'consult %s/a.sinew\nfacts\nconsult %s/a.sinew\nconsult %s/a.sinew\nfacts\n' \
    "$TMP" "$TMP" "$TMP" | "$SINEW" "$KB" > "$TMP/out2" 2>&1
status=$?
n=$(grep -c '^resuming consult_a_[0-9a-f]* from ' "$TMP/out2")
if [ $status -eq 0 ] && [ "$n" -eq 3 ]; then ok resume_three_times; else
    no resume_three_times "status $status, $n resumes"; tail -n 20 "$TMP/out2"; fi
grep 'note(' "$TMP/out2" | sort -u > "$TMP/got"
if [ -s "$TMP/want" ] && cmp -s "$TMP/want" "$TMP/got"; then ok round_trip; else
    no round_trip "the resumed fact differs from the asserted one"; diff "$TMP/want" "$TMP/got" | head -n 5; fi
if "$SINEW" test "$KB" "$TMP/a.sinew" > "$TMP/out3" 2>&1; then ok test_saved; else
    no test_saved "sinew test on the saved file failed"; tail -n 5 "$TMP/out3"; fi

# two saves of different answers under one file name test together
mkdir "$TMP/b"
printf 'assert note(text: "other")\nsave %s/b/a.sinew\n' "$TMP" | "$SINEW" "$KB" > /dev/null 2>&1
if "$SINEW" test "$KB" "$TMP/a.sinew" "$TMP/b/a.sinew" > "$TMP/out4" 2>&1; then ok two_names; else
    no two_names "two saved files named a.sinew clash"; tail -n 5 "$TMP/out4"; fi

# a link is written through and stays a link; no temporary file is left
printf 'old\n' > "$TMP/real.sinew"
ln -s real.sinew "$TMP/link.sinew"
printf 'assert note(text: "x")\nsave %s/link.sinew\n' "$TMP" | "$SINEW" "$KB" > "$TMP/out5" 2>&1
if [ -L "$TMP/link.sinew" ] && grep -q '^case consult_link_' "$TMP/real.sinew"; then ok link; else
    no link "the link was replaced or its file not written"; cat "$TMP/out5"; fi
if ls -A "$TMP" | grep -q '^\.'; then no no_temporary "a temporary file was left: $(ls -A "$TMP")"; else
    ok no_temporary; fi

# refused: a folder, a device, a missing folder; each an error, exit 1
for target in "$TMP/b" /dev/null "$TMP/missing/a.sinew"; do
    printf 'assert note(text: "x")\nsave %s\n' "$target" | "$SINEW" "$KB" > "$TMP/out6" 2>&1
    status=$?
    if [ $status -eq 1 ] && grep -q "cannot write $target" "$TMP/out6"; then ok "refuse:$target"; else
        no "refuse:$target" "status $status"; cat "$TMP/out6"; fi
done
if [ -c /dev/null ] && [ -d "$TMP/b" ]; then ok refused_untouched; else
    no refused_untouched "a refused target was changed"; fi

# a long fact is whole wherever it is shown: batch's JSON result and the
# consultation's report (no cut at a fixed buffer)
long=$(awk 'BEGIN { for (i = 0; i < 1500; i++) printf "y" }')
want=$((12 + 1500 + 2))
printf '{"id":1,"note":"%s"}\n' "$long" | "$SINEW" batch "$KB" 2> /dev/null > "$TMP/b.out"
got=$(jq -r '.conclusions[0].fact' "$TMP/b.out" 2> /dev/null | tr -d '\n' | wc -c)
if [ "$got" -eq "$want" ]; then ok long_fact_batch; else no long_fact_batch "$got bytes, not $want"; fi
printf 'assert note(text: "%s")\nconsult\n' "$long" | "$SINEW" "$KB" > "$TMP/c.out" 2>&1
# (the report wraps: its lines are joined, spaces dropped, to compare)
if tr -d ' \n' < "$TMP/c.out" | grep -q "seen(text:\"$long\")1.00(#2)"; then ok long_fact_report; else
    no long_fact_report "the report cut the fact"; fi
