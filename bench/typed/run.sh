#!/bin/sh
# typed/run.sh BUILD_DIR — what a typed fact, a query and a load cost as the
# knowledge base grows (bench/typed/typed.c): a typed assert and a query on
# the shipped rules and on 5,000 generated rules (the cost should be the
# same), the engine's live bytes after 50,000 of each (no growth but the
# symbols of new values: the generated facts name 50,000 of them), and ten
# files loaded one after another against each load alone (linear).
set -eu
B=${1:-build}
cd "$(dirname "$0")/../.."
out=$B/bench/typed
mkdir -p "$out"
${CC:-cc} -O2 -Iengine -o "$out/typed" bench/typed/typed.c "$B/libsinew.a" -lreadline -ljansson -lm
sh bench/gen_rules.sh 5000 > "$out/rules_5000.sinew"
echo "typed facts and queries:"
printf '  shipped rules:    '
"$out/typed" rules -- 'site(value: posterior_thigh)'
printf '  5,000 rules:      '
"$out/typed" "$out/rules_5000.sinew" -- 'diagnosis(name: d%d)'
# ten files: the templates and the first 500 rules, then 500 rules each
awk -v dir="$out" '
    /^rule / { n++ }
    { part = n == 0 ? 0 : int((n - 1) / 500); print > (dir "/part_" part ".sinew") }
' "$out/rules_5000.sinew"
printf '  loads:            '
"$out/typed" --loads "$out"/part_[0-9].sinew
