#!/bin/sh
# build.sh — build the libFuzzer harnesses with clang and seed their
# corpora:
#   fuzz_front  rule files (the front end), seeded from tests/lang and rules/
#   fuzz_facts  facts files (run --facts) on the shipped rules, seeded from
#               fuzz/seeds/facts and the tests' .facts files
#   fuzz_batch  batch input lines on the shipped rules, seeded from
#               fuzz/seeds/batch and tests/batch
#   fuzz_repl   REPL command lines on the shipped rules, seeded from
#               fuzz/seeds/repl and the REPL transcripts (tests/repl)
#   fuzz_consult  a consultation's answers, seeded from fuzz/seeds/consult
#               and the consultation transcripts (tests/consult)
#   fuzz_resume saved consultations read back (consult --resume), seeded
#               from fuzz/seeds/resume and tests/consult/*.sinew
#   fuzz_serve  requests of `sinew serve` (its routes, sessions and JSON),
#               seeded from fuzz/seeds/serve
# Each has a dictionary of its words (fuzz/*.dict).
#
#   sh fuzz/build.sh            build build-fuzz/fuzz_* and build-fuzz/corpus-*/
#   sh fuzz/build.sh run [S]    build, then fuzz each harness for S seconds
#                               (default 600)
#   sh fuzz/build.sh replay     run each harness once over fuzz/crashes/NAME/*
#
# Inputs that crash are written to build-fuzz/; copy them to
# fuzz/crashes/NAME/ (NAME: front, facts, batch, repl, consult, resume, serve; with
# the fix) so `make test` replays them for ever, through the program.
set -eu
cd "$(dirname "$0")/.."
command -v clang >/dev/null 2>&1 || { echo "fuzzing needs clang: apt-get install clang" >&2; exit 1; }
make build/gen/lexer.c build/gen/parser.c >/dev/null
out=$(pwd)/build-fuzz # absolute: fuzz_repl and fuzz_consult work in a folder of their own
CFLAGS="-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -DSINEW_ARENA_MALLOC -DSINEW_VERSION=\"fuzz\"
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
# the command line's files but main.c, serve.c (its HTTP server, libmicrohttpd) and serve_main.c
REPL="$(ls repl/*.c | grep -v -e 'repl/main.c' -e 'repl/serve.c' -e 'repl/serve_main.c' | tr '\n' ' ') $out/web_assets.c"
# shellcheck disable=SC2086
clang $CFLAGS -Igrammar -Ibuild/gen -Iengine -Irepl fuzz/fuzz_repl.c $REPL $LIB \
    -lreadline -ljansson -lm -o "$out/fuzz_repl"
# shellcheck disable=SC2086
clang $CFLAGS -DFUZZ_REPL_NO_MAIN -Igrammar -Ibuild/gen -Iengine -Irepl fuzz/fuzz_consult.c \
    fuzz/fuzz_repl.c $REPL $LIB -lreadline -ljansson -lm -o "$out/fuzz_consult"
# shellcheck disable=SC2086
clang $CFLAGS -Igrammar -Ibuild/gen -Iengine fuzz/fuzz_resume.c $LIB -lm -o "$out/fuzz_resume"

# shellcheck disable=SC2086
clang $CFLAGS -Igrammar -Ibuild/gen -Iengine -Irepl fuzz/fuzz_serve.c repl/webapi.c repl/session.c \
    repl/jsonl.c repl/batch.c repl/render.c repl/cli.c "$out/web_assets.c" $LIB -ljansson -lm \
    -o "$out/fuzz_serve"

mkdir -p "$out/corpus-front" "$out/corpus-facts" "$out/corpus-batch" "$out/corpus-repl" \
    "$out/corpus-consult" "$out/corpus-resume" "$out/corpus-serve"
for f in tests/lang/*.sinew rules/*.sinew; do
    [ -f "$f" ] && cp "$f" "$out/corpus-front/"
done
for f in fuzz/seeds/facts/* tests/lang/*.facts; do
    [ -f "$f" ] && cp "$f" "$out/corpus-facts/$(basename "$(dirname "$f")")_$(basename "$f")"
done
for f in fuzz/seeds/batch/* tests/batch/*.jsonl; do
    [ -f "$f" ] && cp "$f" "$out/corpus-batch/$(basename "$(dirname "$f")")_$(basename "$f")"
done

for f in fuzz/seeds/repl/* tests/repl/*.in; do
    [ -f "$f" ] && cp "$f" "$out/corpus-repl/$(basename "$(dirname "$f")")_$(basename "$f")"
done
for f in fuzz/seeds/consult/* tests/consult/*.in; do
    [ -f "$f" ] && cp "$f" "$out/corpus-consult/$(basename "$(dirname "$f")")_$(basename "$f")"
done
for f in fuzz/seeds/resume/* tests/consult/*.sinew; do
    [ -f "$f" ] && cp "$f" "$out/corpus-resume/$(basename "$(dirname "$f")")_$(basename "$f")"
done
for f in fuzz/seeds/serve/*; do
    [ -f "$f" ] && cp "$f" "$out/corpus-serve/"
done

case "${1:-}" in
run)
    for h in front facts batch repl consult resume serve; do
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
    for h in front facts batch repl consult resume serve; do
        set -- fuzz/crashes/$h/*
        [ -f "$1" ] && "$out/fuzz_$h" "$@"
    done
    ;;
esac
