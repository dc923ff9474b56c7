#!/bin/sh
# run.sh BUILD_DIR — consultations on every case of the shipped knowledge
# base, answered from the case (consult_bench.c says how). One line:
# questions asked (median, max), agreement with the full run on red flags
# and the top diagnoses, and the time to choose a question; once settling
# the top diagnosis (the default), once the top three.
set -u
B=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
mkdir -p "$B/bench" || exit 1
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$B/bench/consult_bench" bench/consult/consult_bench.c \
    "$B/libsinew.a" -lreadline -ljansson -lm || exit 1
status=0
"$B/bench/consult_bench" rules/ 1 || status=1
"$B/bench/consult_bench" rules/ 3 || status=1
exit $status
