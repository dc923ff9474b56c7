#!/bin/sh
# diagnoses.sh — the knowledge base keeps one list of diagnosis names.
#
#   sh tests/diagnoses.sh [RULES_DIR [FINDINGS_MD]]
#
# The list is the facts block of diagnosis_kind(name: N, group: G) facts
# (rules/conclusions.sinew). Every diagnosis a rule or a case names must be
# in it, every name in it must be concluded by some rule, and, when
# FINDINGS_MD is there (default ../shared/findings.md), its table of
# conclusion names must hold the same names (grade values and red flags
# are not diagnoses). Each problem is one line, FILE:LINE: what; the exit
# status is 1 when there is one.

DIR=${1:-rules}
MD=${2:-../shared/findings.md}

# FILE:LINE:NAME for every constant name in the diagnosis(name: ...)
# patterns and conclusions (alternatives a | b included, variables and
# != tests left out), and for the list.
names() {
    for f in "$DIR"/*.sinew; do
        awk -v f="$f" -v want="$1" '
        {
            line = $0
            sub(/#.*/, "", line)
            while (match(line, want "\\(name: [^,)]*")) {
                body = substr(line, RSTART, RLENGTH)
                line = substr(line, RSTART + RLENGTH)
                sub(/^[a-z_]*\(name: /, "", body)
                n = split(body, alt, "|")
                for (i = 1; i <= n; i++) {
                    v = alt[i]
                    gsub(/[ \t]/, "", v)
                    if (v ~ /^[a-z_][a-z0-9_]*$/)
                        print f ":" FNR ":" v
                }
            }
        }' "$f"
    done
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sinew-dx.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

names 'diagnosis_kind' > "$tmp/listed"
names 'diagnosis' | grep -v ':diagnosis_kind$' > "$tmp/used"
# a conclusion: "conclude diagnosis(name: X)" on one line
for f in "$DIR"/*.sinew; do
    sed -n 's/^[[:space:]]*conclude diagnosis(name: \([a-z_][a-z0-9_]*\)).*/\1/p' "$f"
done | sort -u > "$tmp/concluded"
cut -d: -f3 "$tmp/listed" | sort -u > "$tmp/list"

problems=0
if [ ! -s "$tmp/list" ]; then
    echo "$DIR: no diagnosis_kind(name: ..., group: ...) facts: the list of diagnoses is missing"
    exit 1
fi
# listed twice
cut -d: -f3 "$tmp/listed" | sort | uniq -d > "$tmp/dup"
while read -r n; do
    grep ":$n\$" "$tmp/listed" | sed -n '2p' | cut -d: -f1,2 | tr '\n' ':'
    echo " diagnosis '$n' is listed twice"
    problems=$((problems + 1))
done < "$tmp/dup"
# named somewhere, not listed
while IFS=: read -r file line n; do
    if ! grep -qx "$n" "$tmp/list"; then
        echo "$file:$line: diagnosis '$n' is not in the list of diagnoses (diagnosis_kind facts)"
        problems=$((problems + 1))
    fi
done < "$tmp/used"
# listed, never concluded
while IFS=: read -r file line n; do
    if ! grep -qx "$n" "$tmp/concluded"; then
        echo "$file:$line: diagnosis '$n' is listed, but no rule concludes it"
        problems=$((problems + 1))
    fi
done < "$tmp/listed"
# the shared vocabulary's table of conclusion names
if [ -f "$MD" ]; then
    awk '/^### Conclusion names/ { on = 1; next } /^##/ { on = 0 }
         on && /^\| `/ { split($0, c, "`"); print FNR ":" c[2] }' "$MD" > "$tmp/md"
    while IFS=: read -r line n; do
        if ! grep -qx "$n" "$tmp/list"; then
            echo "$MD:$line: conclusion name '$n' is not in the list of diagnoses"
            problems=$((problems + 1))
        fi
    done < "$tmp/md"
    cut -d: -f2 "$tmp/md" | sort -u > "$tmp/mdnames"
    while IFS=: read -r file line n; do
        if ! grep -qx "$n" "$tmp/mdnames"; then
            echo "$file:$line: diagnosis '$n' is not a conclusion name of $MD"
            problems=$((problems + 1))
        fi
    done < "$tmp/listed"
fi
if [ "$problems" -gt 0 ]; then
    echo "diagnoses: $problems problem(s)"
    exit 1
fi
echo "diagnoses: $(wc -l < "$tmp/list" | tr -d ' ') names, one list"
