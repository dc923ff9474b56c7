#!/bin/sh
# client.sh URL OUT — one consultation over HTTP, as a browser tab would
# run it: start a session, answer each question (none, else no, else the
# first answer) until the report, end the session. Writes to OUT the
# number of requests, then "ok" or the first error.
set -u
URL=$1
OUT=$2
n=0
fail() { echo "$n $*" > "$OUT"; exit 1; }
doc=$(curl -sf -X POST "${URL}api/session") || fail "cannot start a session"
n=1
sid=$(printf '%s' "$doc" | jq -r .session)
for _ in $(seq 100); do
    over=$(printf '%s' "$doc" | jq -r .over)
    [ "$over" = true ] && break
    answer=$(printf '%s' "$doc" | jq -r '.question.answers as $a |
        if ($a | index("none")) then "none" elif ($a | index("no")) then "no" else $a[0] end')
    doc=$(curl -sf -X POST --data-binary "$answer" "${URL}api/s/$sid/answer") || fail "answer '$answer' refused"
    n=$((n + 1))
    printf '%s' "$doc" | jq -e '[.lines[] | select(.error)] | length == 0' > /dev/null ||
        fail "an error: $(printf '%s' "$doc" | head -c 200)"
done
printf '%s' "$doc" | jq -e '.over == true and .result.schema == "sinew.result/1"' > /dev/null ||
    fail "no report after $n requests"
curl -sf -X DELETE "${URL}api/s/$sid" > /dev/null || fail "cannot end the session"
echo "$((n + 1)) ok" > "$OUT"
