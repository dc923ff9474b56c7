#!/bin/sh
# build.sh — build the front end's libFuzzer harness with clang, and seed
# its corpus from the language tests and the shipped rules.
#
#   sh fuzz/build.sh            build build-fuzz/fuzz_front and build-fuzz/corpus/
#   sh fuzz/build.sh run [S]    build, then fuzz for S seconds (default 600)
#   sh fuzz/build.sh replay     run the harness once over fuzz/crashes/*
#
# Inputs that crash are written to build-fuzz/; copy them to fuzz/crashes/
# (with the fix) so `make test` replays them for ever.
set -eu
cd "$(dirname "$0")/.."
command -v clang >/dev/null 2>&1 || { echo "fuzzing needs clang: apt-get install clang" >&2; exit 1; }
make build/gen/lexer.c build/gen/parser.c >/dev/null
out=build-fuzz
mkdir -p "$out/corpus"
clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -DSINEW_ARENA_MALLOC \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Igrammar -Ibuild/gen -Wno-unused-function \
    fuzz/fuzz_front.c base/*.c grammar/*.c engine/*.c build/gen/lexer.c build/gen/parser.c \
    -lm -o "$out/fuzz_front"
for f in tests/lang/*.sinew rules/*.sinew; do
    [ -f "$f" ] && cp "$f" "$out/corpus/"
done
case "${1:-}" in
run)
    "$out/fuzz_front" -max_total_time="${2:-600}" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="$out/" "$out/corpus"
    ;;
replay)
    set -- fuzz/crashes/*
    [ -f "$1" ] && "$out/fuzz_front" "$@"
    ;;
esac
