#!/bin/sh
# run.sh BUILD_DIR — `sinew serve` under load: 50 sessions at once, each
# running a consultation on the shipped knowledge base over HTTP
# (client.sh, curl), then ended. One line: the wall time, the requests
# made, the largest resident set, and the server's memory before and
# after. Fails when a request fails, when a session is left open, or when
# the resident set once they have ended is more than 2 MiB above where it
# started (the sessions' memory goes back).
set -u
B=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
out=$B/bench/serve
mkdir -p "$out" || exit 1
clients=${SINEW_BENCH_SESSIONS:-50}
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

"$B/sinew" serve --port 0 rules/ > "$out/serve.out" 2> "$out/serve.err" &
pid=$!
trap 'kill -TERM $pid 2> /dev/null' EXIT
url=
for _ in $(seq 50); do
    url=$(sed -n 's|^sinew serve: \(http://[^ ]*/\) .*|\1|p' "$out/serve.out")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "serve: the server did not start" >&2; exit 1; }
before=$(rss $pid)

t0=$(date +%s.%N)
i=0
pids=
while [ $i -lt "$clients" ]; do
    sh bench/serve/client.sh "$url" "$out/client.$i" &
    pids="$pids $!"
    i=$((i + 1))
done
for p in $pids; do
    wait "$p"
done
t1=$(date +%s.%N)
sleep 1.5 # the loop's next turn gives the freed memory back
after=$(rss $pid)
peak=$(hwm $pid)
stats=$(curl -sf "${url}api/stats")
requests=0
errors=0
for f in "$out"/client.*; do
    n=0 word="no answer" rest=
    [ -s "$f" ] && read -r n word rest < "$f"
    requests=$((requests + n))
    if [ "$word" != ok ]; then
        errors=$((errors + 1))
        echo "serve: $(basename "$f"): $word $rest" >&2
    fi
done
rm -f "$out"/client.*
open=$(printf '%s' "$stats" | jq -r .sessions)
awk -v c="$clients" -v r="$requests" -v a="$t0" -v b="$t1" -v before="$before" -v after="$after" \
    -v peak="$peak" -v e="$errors" 'BEGIN {
    printf "serve: %d sessions at once, each a consultation: %d requests in %.2f s (%.0f/s), %d errors; " \
           "resident %.1f MiB before, %.1f MiB at the peak, %.1f MiB after\n",
           c, r, b - a, r / (b - a), e, before / 1024, peak / 1024, after / 1024 }'
status=0
[ "$errors" -eq 0 ] || status=1
[ "$open" = 0 ] || { echo "serve: $open sessions left open" >&2; status=1; }
[ $((after - before)) -le 2048 ] || { echo "serve: the memory did not go back: $before KiB before, $after KiB after" >&2; status=1; }
exit $status
