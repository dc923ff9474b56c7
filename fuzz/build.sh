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
# (SINEW_VERSION is given in the Makefile below, where make keeps its quotes)
CFLAGS="-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -fsanitize=fuzzer,address,undefined
    -fno-sanitize-recover=all -Wno-unused-function"
mkdir -p "$out"
web=$(ls repl/web/* | sort)
# shellcheck disable=SC2086
sh scripts/embed.sh $web > "$out/web_assets.c.new"
if cmp -s "$out/web_assets.c.new" "$out/web_assets.c"; then
    rm "$out/web_assets.c.new"
else
    mv "$out/web_assets.c.new" "$out/web_assets.c"
fi

# Every source is compiled once, as many at a time as there are
# processors, into $out/obj: the library's, the command line's but main.c,
# serve.c (its HTTP server, libmicrohttpd) and serve_main.c, and the
# harnesses'. Then each harness is linked from the objects it needs.
lib="base/*.c grammar/*.c engine/*.c build/gen/lexer.c build/gen/parser.c"
cli=$(ls repl/*.c | grep -v -e 'repl/main.c' -e 'repl/serve.c' -e 'repl/serve_main.c' | tr '\n' ' ')
# shellcheck disable=SC2086
srcs=$(ls $lib $cli fuzz/*.c | tr '\n' ' ')
obj=$out/obj
{
    echo "CFLAGS = $(echo $CFLAGS) -DSINEW_VERSION='\"fuzz\"'"
    echo "INC = -Igrammar -Ibuild/gen -Iengine -Irepl"
    echo "OBJ = \$(patsubst %.c,$obj/%.o,$srcs) $obj/web_assets.o $obj/fuzz_repl_nomain.o"
    echo "all: \$(OBJ)"
    echo "$obj/%.o: %.c"
    printf '\t@mkdir -p $(dir $@)\n\tclang $(CFLAGS) $(INC) -MMD -MP -c $< -o $@\n'
    echo "$obj/web_assets.o: $out/web_assets.c"
    printf '\tclang $(CFLAGS) -Irepl -c $< -o $@\n'
    echo "$obj/fuzz_repl_nomain.o: fuzz/fuzz_repl.c"
    printf '\tclang $(CFLAGS) $(INC) -DFUZZ_REPL_NO_MAIN -MMD -MP -c $< -o $@\n'
    echo "-include \$(OBJ:.o=.d)"
} > "$out/Makefile"
make -s -f "$out/Makefile" -j"$(nproc 2>/dev/null || echo 2)"
o() { for f in "$@"; do printf '%s ' "$obj/${f%.c}.o"; done; }
# shellcheck disable=SC2086
LIBO=$(o $lib)
# shellcheck disable=SC2086
REPLO="$(o $cli) $obj/web_assets.o"
link() { # NAME OBJECTS-AND-LIBRARIES...
    n=$1
    shift
    # shellcheck disable=SC2086
    clang $CFLAGS "$@" -o "$out/$n"
}
# shellcheck disable=SC2086
{
    link fuzz_front $(o fuzz/fuzz_front.c) $LIBO -lm
    link fuzz_facts $(o fuzz/fuzz_facts.c) $LIBO -lm
    link fuzz_batch $(o fuzz/fuzz_batch.c repl/batch.c repl/cli.c) $LIBO -ljansson -lm
    link fuzz_repl $(o fuzz/fuzz_repl.c) $REPLO $LIBO -lreadline -ljansson -lm
    link fuzz_consult $(o fuzz/fuzz_consult.c) "$obj/fuzz_repl_nomain.o" $REPLO $LIBO \
        -lreadline -ljansson -lm
    link fuzz_resume $(o fuzz/fuzz_resume.c) $LIBO -lm
    link fuzz_serve $(o fuzz/fuzz_serve.c repl/webapi.c repl/session.c repl/jsonl.c repl/batch.c \
        repl/render.c repl/cli.c) "$obj/web_assets.o" $LIBO -ljansson -lm
}
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
        set -- "$PWD"/fuzz/crashes/$h/*
        [ -f "$1" ] && "$out/fuzz_$h" "$@"
    done
    ;;
esac
