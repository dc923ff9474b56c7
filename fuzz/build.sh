#!/bin/sh
# build.sh — build the libFuzzer harnesses with clang and seed their
# corpora:
#   fuzz_front  rule files (the front end), seeded from tests/lang and rules/
#   fuzz_facts  facts files (run --facts) on the shipped rules, seeded from
#               fuzz/seeds/facts and the tests' .facts files
#   fuzz_batch  batch input lines on the shipped rules, seeded from
#               fuzz/seeds/batch and tests/batch
#   fuzz_serve  requests of `sinew serve` (its routes, sessions and JSON),
#               seeded from fuzz/seeds/serve
# Each has a dictionary of its words (fuzz/*.dict).
#
#   sh fuzz/build.sh            build build-fuzz/fuzz_* and build-fuzz/corpus-*/
#   sh fuzz/build.sh run [S]    build, then fuzz each harness for S seconds
#                               (default 600)
#   sh fuzz/build.sh replay     run fuzz_front once over fuzz/crashes/*
#
# Inputs that crash are written to build-fuzz/; copy them to fuzz/crashes/
# (with the fix) so `make test` replays them for ever.
set -eu
cd "$(dirname "$0")/.."
command -v clang >/dev/null 2>&1 || { echo "fuzzing needs clang: apt-get install clang" >&2; exit 1; }
make build/gen/lexer.c build/gen/parser.c >/dev/null
out=build-fuzz
CFLAGS="-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -DSINEW_ARENA_MALLOC
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Wno-unused-function"
LIB="base/*.c grammar/*.c engine/*.c build/gen/lexer.c build/gen/parser.c"
mkdir -p "$out"
# shellcheck disable=SC2086
clang $CFLAGS -Igrammar -Ibuild/gen fuzz/fuzz_front.c $LIB -lm -o "$out/fuzz_front"
# shellcheck disable=SC2086
clang $CFLAGS -Igrammar -Ibuild/gen -Iengine fuzz/fuzz_facts.c $LIB -lm -o "$out/fuzz_facts"
# shellcheck disable=SC2086
clang $CFLAGS -Igrammar -Ibuild/gen -Iengine -Irepl fuzz/fuzz_batch.c repl/batch.c repl/cli.c $LIB \
    -ljansson -lm -o "$out/fuzz_batch"

web=$(ls repl/web/* | sort)
# shellcheck disable=SC2086
sh scripts/embed.sh $web > "$out/web_assets.c"
# shellcheck disable=SC2086
clang $CFLAGS -Igrammar -Ibuild/gen -Iengine -Irepl fuzz/fuzz_serve.c repl/webapi.c repl/session.c \
    repl/jsonl.c repl/batch.c repl/render.c repl/cli.c "$out/web_assets.c" $LIB -ljansson -lm \
    -o "$out/fuzz_serve"

mkdir -p "$out/corpus-front" "$out/corpus-facts" "$out/corpus-batch" "$out/corpus-serve"
for f in tests/lang/*.sinew rules/*.sinew; do
    [ -f "$f" ] && cp "$f" "$out/corpus-front/"
done
for f in fuzz/seeds/facts/* tests/lang/*.facts; do
    [ -f "$f" ] && cp "$f" "$out/corpus-facts/$(basename "$(dirname "$f")")_$(basename "$f")"
done
for f in fuzz/seeds/batch/* tests/batch/*.jsonl; do
    [ -f "$f" ] && cp "$f" "$out/corpus-batch/$(basename "$(dirname "$f")")_$(basename "$f")"
done

for f in fuzz/seeds/serve/*; do
    [ -f "$f" ] && cp "$f" "$out/corpus-serve/"
done

case "${1:-}" in
run)
    for h in front facts batch serve; do
        dict=
        [ -f "fuzz/$h.dict" ] && dict="-dict=fuzz/$h.dict"
        echo "== fuzz_$h: ${2:-600} s"
        # shellcheck disable=SC2086
        "$out/fuzz_$h" -max_total_time="${2:-600}" -max_len=65536 -timeout=10 \
            -rss_limit_mb=2048 -artifact_prefix="$out/$h-" $dict "$out/corpus-$h" 2>&1 |
            grep -E '^#[0-9]+ +DONE|^Done|ERROR|SUMMARY|crash-|leak-|timeout-|oom-' || true
    done
    ;;
replay)
    set -- fuzz/crashes/*
    [ -f "$1" ] && "$out/fuzz_front" "$@"
    ;;
esac
