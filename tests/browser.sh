#!/bin/sh
# browser.sh BUILD_DIR TMPDIR — `sinew serve`, checked. Prints PASS/FAIL
# lines.
#
# Its API with curl: the page and nothing else served (no file is named
# by a request), a session per POST, answers and bad answers, why, how,
# the proof tree as SVG, whynot, a replayed step, every answer valid
# against its schema in docs/schema/ (sinew.serve/1 and the CLI's own
# documents inside), and the limits: a body too long (413), an unknown
# session (404), a wrong method (405), a full table of sessions (503),
# idle sessions freed, the saved fuzz inputs (fuzz/seeds/serve) replayed
# without a crash, SIGTERM ending it cleanly, and a `dot` that hangs or
# writes without end stopped at the time and size bounds. Then the page in
# headless Chromium (tests/browser.js, with playwright-core from npm,
# installed into BUILD_DIR/npm the first time): a consultation on the
# shipped knowledge base to its report, a proof tree, stepping through the
# firings, whynot; screenshots in BUILD_DIR/browser/.
B=$(cd "$1" && pwd)
TMP=$2/browser
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
mkdir -p "$TMP" "$B/browser"
SINEW=$B/sinew

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

if ! command -v curl > /dev/null 2>&1; then
    fail "serve: curl is not installed (apt-get install curl)"
    exit 0
fi

PID=
# start ARGS...: a server on a free port; URL is where it listens
start() {
    # emptied first: a server started before left its address in it
    : > "$TMP/serve.out"
    "$SINEW" serve --port 0 "$@" > "$TMP/serve.out" 2> "$TMP/serve.err" &
    PID=$!
    URL=
    for _ in $(seq 100); do
        URL=$(sed -n 's|^sinew serve: \(http://[^ ]*/\) .*|\1|p' "$TMP/serve.out" 2> /dev/null)
        [ -n "$URL" ] && return 0
        sleep 0.1
    done
    return 1
}
stop() {
    [ -n "$PID" ] || return 0
    kill -TERM "$PID" 2> /dev/null
    for _ in $(seq 50); do
        kill -0 "$PID" 2> /dev/null || break
        sleep 0.1
    done
    wait "$PID"
    status=$?
    PID=
    return $status
}
trap 'stop' EXIT

# req METHOD PATH [BODYFILE]: the body to $TMP/body, the status printed
req() {
    if [ -n "${3:-}" ]; then
        curl -s --path-as-is -o "$TMP/body" -w '%{http_code}' -X "$1" --data-binary "@$3" "${URL%/}$2"
    else
        curl -s --path-as-is -o "$TMP/body" -w '%{http_code}' -X "$1" "${URL%/}$2"
    fi
}
keep() { cat "$TMP/body" >> "$TMP/docs.jsonl"; echo >> "$TMP/docs.jsonl"; }
body() { printf '%s' "$1" > "$TMP/in"; echo "$TMP/in"; }

: > "$TMP/docs.jsonl"
if ! start --max-sessions 3 --idle 3 rules/; then
    fail "serve/start: sinew serve did not say where it listens"
    cat "$TMP/serve.err"
    exit 0
fi
pass "serve/start"

# the page, and only the page
s1=$(req GET /)
s2=$(req GET /app.js)
s3=$(req GET /../../etc/passwd)
s4=$(req GET /etc/passwd)
s5=$(req GET /web/index.html)
if [ "$s1" = 200 ] && [ "$s2" = 200 ] && [ "$s3" = 404 ] && [ "$s4" = 404 ] && [ "$s5" = 404 ] &&
    jq -e '.status == 404' "$TMP/body" > /dev/null 2>&1; then
    pass "serve/files"
else
    fail "serve/files: page $s1, script $s2, paths outside the table $s3 $s4 $s5"
fi

# a session, answers, explanations
st=$(req POST /api/session)
keep
SID=$(jq -r .session "$TMP/body" 2> /dev/null)
q0=$(jq -r .question.template "$TMP/body" 2> /dev/null)
if [ "$st" = 201 ] && echo "$SID" | grep -Eq '^[0-9a-f]{32}$' && [ -n "$q0" ] && [ "$q0" != null ]; then
    pass "serve/session"
else
    fail "serve/session: status $st, id '$SID', first question '$q0'"
fi
st=$(req POST "/api/s/$SID/answer" "$(body pop)")
keep
if [ "$st" = 200 ] && jq -e '[.result.red_flags[].fact] == ["red_flag(code: F09)"] and .question.template != "'"$q0"'" and .over == false' \
    "$TMP/body" > /dev/null 2>&1; then
    pass "serve/answer"
else
    fail "serve/answer: status $st: $(head -c 300 "$TMP/body")"
fi
st=$(req POST "/api/s/$SID/answer" "$(body frobnicate)")
keep
if [ "$st" = 200 ] && jq -e '(.lines[0].error | type) == "string" and .question != null' "$TMP/body" > /dev/null 2>&1; then
    pass "serve/bad-answer"
else
    fail "serve/bad-answer: status $st: $(head -c 300 "$TMP/body")"
fi
req POST "/api/s/$SID/answer" "$(body why)" > /dev/null; keep
req POST "/api/s/$SID/answer" "$(body sudden)" > /dev/null; keep
req GET "/api/s/$SID" > /dev/null; keep
sw=$(req POST "/api/s/$SID/why" "$(body 'red_flag(code: F09)')"); keep
grep -q '"rule":"red_flag_F09' "$TMP/body" || sw="$sw (no rule)"
sh=$(req POST "/api/s/$SID/how" "$(body 'red_flag(code: F09)')"); keep
sn=$(req POST "/api/s/$SID/whynot" "$(body 'diagnosis(name: sciatica)')"); keep
grep -q '"rule":"sciatica' "$TMP/body" || sn="$sn (no rule)"
sb=$(req POST "/api/s/$SID/whynot" "$(body 'diagnosis(name: ')"); keep
sp=$(req POST "/api/s/$SID/proof" "$(body 'red_flag(code: F09)')")
grep -q '<svg' "$TMP/body" && grep -q 'F09' "$TMP/body" || sp="$sp (not an SVG of the proof)"
if [ "$sw$sh$sn$sb$sp" = 200200200400200 ]; then
    pass "serve/explanations"
else
    fail "serve/explanations: why $sw, how $sh, whynot $sn, a bad pattern $sb, proof $sp"
fi
s1=$(req GET "/api/s/$SID/step/1"); keep
n=$(jq -r .steps "$TMP/body" 2> /dev/null)
# the trace's first FIRE line (a FOCUS line may come first: modules)
first=$(jq -r '.agenda_before[0].rule == .firing.rule and
    ([.trace[] | select(startswith("FIRE "))][0] | startswith("FIRE 1 "))' "$TMP/body" 2> /dev/null)
s2=$(req GET "/api/s/$SID/step/$n"); keep
after=$(jq -r '.agenda_after_size' "$TMP/body" 2> /dev/null)
s3=$(req GET "/api/s/$SID/step/$((n + 1))"); keep
s4=$(req GET "/api/s/$SID/step/0"); keep
if [ "$s1$s2$s3$s4" = 200200404404 ] && [ "$first" = true ] && [ "$after" = 0 ]; then
    pass "serve/step"
else
    fail "serve/step: statuses $s1 $s2 $s3 $s4, the first firing leads the agenda: $first, agenda after the last: $after"
fi

# the limits, each a JSON error
head -c 10000 /dev/zero | tr '\0' a > "$TMP/big"
s1=$(req POST "/api/s/$SID/answer" "$TMP/big"); keep
s2=$(req GET /api/s/0123456789abcdef0123456789abcdef); keep
s3=$(req GET /api/session); keep
s4=$(req DELETE /api/stats); keep
if [ "$s1$s2$s3$s4" = 413404405405 ]; then
    pass "serve/errors"
else
    fail "serve/errors: a long body $s1, an unknown session $s2, wrong methods $s3 $s4"
fi
req POST /api/session > /dev/null; keep
req POST /api/session > /dev/null; keep
s5=$(req POST /api/session); keep
if [ "$s5" = 503 ] && jq -e '.status == 503' "$TMP/body" > /dev/null 2>&1; then
    pass "serve/full"
else
    fail "serve/full: a fourth session with --max-sessions 3 got $s5"
fi

# the saved fuzz inputs: answered, and the server still up
bad=
for f in fuzz/seeds/serve/*; do
    line=$(head -n 1 "$f")
    tail -n +2 "$f" | sed "s/@SESSION@/$SID/g" > "$TMP/seed"
    path=$(echo "${line#* }" | sed "s/@SESSION@/$SID/g")
    if [ -s "$TMP/seed" ]; then st=$(req "${line%% *}" "$path" "$TMP/seed"); else st=$(req "${line%% *}" "$path"); fi
    case $st in 2??|4??|503) ;; *) bad="$bad $(basename "$f"):$st" ;; esac
done
st=$(req GET /api/stats); keep
if [ -z "$bad" ] && [ "$st" = 200 ]; then
    pass "serve/fuzz-seeds"
else
    fail "serve/fuzz-seeds: unexpected statuses:$bad; then stats $st"
fi

# idle sessions are freed
sleep 4.5
req GET /api/stats > /dev/null; keep
if jq -e '.sessions == 0 and .bytes == 0' "$TMP/body" > /dev/null 2>&1; then
    pass "serve/idle"
else
    fail "serve/idle: $(cat "$TMP/body")"
fi

# every answer valid against its schema, and the CLI's documents inside
jq -c 'select(.schema == "sinew.serve/1") | (.lines[]?, .question // empty, .result // empty)' \
    "$TMP/docs.jsonl" > "$TMP/inner.jsonl" 2> /dev/null
if python3 tests/json_check.py docs/schema "$TMP/docs.jsonl" "$TMP/inner.jsonl" > "$TMP/check.out" 2>&1 &&
    grep -q '"sinew.whynot/1"' "$TMP/docs.jsonl" && grep -q '"sinew.result/1"' "$TMP/inner.jsonl"; then
    pass "serve/schemas"
else
    fail "serve/schemas:"
    tail -n 8 "$TMP/check.out"
fi

if stop && ! grep -q . "$TMP/serve.err"; then
    pass "serve/stop"
else
    fail "serve/stop: sinew serve did not end cleanly on SIGTERM"
    head -n 20 "$TMP/serve.err"
fi

# dot bounded: one that hangs is stopped at the time bound, one that writes
# without end at the size bound; each a JSON error, and the server goes on
mkdir -p "$TMP/fakebin"
cat > "$TMP/fakebin/dot" << 'DOT'
#!/bin/sh
if grep -q red_flag; then exec sleep 60; else exec yes; fi
DOT
chmod +x "$TMP/fakebin/dot"
if PATH=$TMP/fakebin:$PATH start rules/; then
    st=$(req POST /api/session); SID=$(jq -r .session "$TMP/body" 2> /dev/null)
    req POST "/api/s/$SID/answer" "$(body '["pop"]')" > /dev/null
    req POST "/api/s/$SID/answer" "$(body sudden)" > /dev/null
    t0=$(date +%s)
    s1=$(req POST "/api/s/$SID/proof" "$(body 'red_flag(code: F09)')")
    e1=$(jq -r .error "$TMP/body" 2> /dev/null)
    t1=$(date +%s)
    s2=$(req POST "/api/s/$SID/proof" "$(body 'sign(name: injury_signs)')")
    e2=$(jq -r .error "$TMP/body" 2> /dev/null)
    s3=$(req GET "/api/s/$SID")
    if [ "$s1$s2$s3" = 503503200 ] && [ $((t1 - t0)) -ge 4 ] && [ $((t1 - t0)) -le 15 ] &&
        echo "$e1" | grep -q 'too long' && echo "$e2" | grep -q 'too much'; then
        pass "serve/dot-bounded"
    else
        fail "serve/dot-bounded: a hanging dot $s1 after $((t1 - t0)) s ($e1), an endless one $s2 ($e2), then $s3"
    fi
    stop || fail "serve/dot-bounded: the server did not end cleanly"
else
    fail "serve/dot-bounded: sinew serve did not start"
fi

# ---- the page in headless Chromium ----
NPM=$B/npm
if [ ! -d "$NPM/node_modules/playwright-core" ] && command -v npm > /dev/null 2>&1; then
    mkdir -p "$NPM"
    npm install --prefix "$NPM" --no-audit --no-fund --silent playwright-core@1 > "$TMP/npm.log" 2>&1
fi
if ! command -v node > /dev/null 2>&1 || [ ! -d "$NPM/node_modules/playwright-core" ]; then
    fail "browser: node and playwright-core are needed (apt-get install npm; npm install playwright-core)"
    tail -n 5 "$TMP/npm.log" 2> /dev/null
elif ! command -v chromium > /dev/null 2>&1; then
    fail "browser: chromium is not installed (apt-get install chromium chromium-driver)"
elif ! start rules/; then
    fail "browser: sinew serve did not start"
else
    CHROMIUM=$(command -v chromium) NODE_PATH=$NPM/node_modules timeout 240 node tests/browser.js "$URL" "$B/browser" 2>&1
    [ $? -eq 124 ] && fail "browser: timed out"
    stop || fail "browser/stop: sinew serve did not end cleanly"
    grep -v '^$' "$TMP/serve.err" | head -n 5 | sed 's/^/  serve: /'
fi
