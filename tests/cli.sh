#!/bin/sh
# cli.sh SINEW — the command line against its one table (repl/cli.c) and
# the man page: every command's --help (exit 0, on standard output, nothing
# on standard error); the options it lists are exactly those of the
# command's SYNOPSIS line in docs/sinew.1, and each is described in the
# command's entry there; an unknown option and a missing argument are
# named in the error, with exit status 2. Prints a PASS or FAIL line per
# check.
set -u
SINEW=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAN=$ROOT/docs/sinew.1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

ok() { echo "PASS cli/$1"; }
no() { echo "FAIL cli/$1: $2"; }

# the commands, from the list in `sinew --help` ("(none)" is the REPL)
"$SINEW" --help > "$TMP/help" 2> "$TMP/err"
status=$?
if [ $status -eq 0 ] && [ ! -s "$TMP/err" ] && grep -q '^Commands:' "$TMP/help"; then
    ok help
else
    no help "sinew --help: status $status"; cat "$TMP/err"
fi
commands=$(sed -n '/^Commands:/,/^$/p' "$TMP/help" | sed -n 's/^  \([a-z()]*\) .*/\1/p')
[ -n "$commands" ] || no commands "sinew --help lists no commands"

# the man page's SYNOPSIS entry of a command: from ".B sinew CMD" to ".br"
synopsis() {
    if [ "$1" = "(none)" ]; then head=".B sinew"; else head=".B sinew $1"; fi
    awk -v head="$head" '
        /^\.SH / { in_syn = ($2 == "SYNOPSIS") }
        in_syn && $0 == head { on = 1; next }
        on && /^\.br/ { exit }
        on { print }' "$MAN"
}
# the man page's description of a command: its ".TP .B CMD" entry under
# COMMANDS, or the OPTIONS section for the REPL
described() {
    if [ "$1" = "(none)" ]; then
        awk '/^\.SH / { on = ($2 == "OPTIONS"); next } on' "$MAN"
    else
        awk -v head=".B $1" '
            /^\.SH / { in_cmds = ($2 == "COMMANDS"); on = 0; next }
            in_cmds && prev == ".TP" && $0 == head { on = 1; prev = $0; next }
            in_cmds && $0 == ".TP" { on = 0 }
            on { print }
            { prev = $0 }' "$MAN"
    fi
}
# options in roff ("\-\-no\-record", "\-q") or plain text, one a line
roff_options() { sed 's/\\-/-/g' | grep -oE '(^|[^a-z-])--?[a-z][a-z-]*' | sed 's/^[^-]*//' | sort -u; }

for cmd in $commands; do
    if [ "$cmd" = "(none)" ]; then args=""; name=repl; else args=$cmd; name=$cmd; fi
    # shellcheck disable=SC2086
    "$SINEW" $args --help > "$TMP/out" 2> "$TMP/err"
    status=$?
    if [ $status -eq 0 ] && [ ! -s "$TMP/err" ] && head -n 1 "$TMP/out" | grep -q "^usage: sinew $args"; then
        ok "$name-help"
    else
        no "$name-help" "sinew $args --help: status $status, or not its own usage"; head -n 3 "$TMP/out" "$TMP/err"
    fi
    # the options it lists: "  -q, --quiet ..." or "  --strategy S ..."
    sed -n 's/^  \(-[a-z], \)\{0,1\}\(--[a-z-]*\).*/\1\2/p' "$TMP/out" | tr -d ',' | tr ' ' '\n' |
        grep -v -e '^--help$' -e '^-h$' -e '^$' | sort -u > "$TMP/help.opts"
    synopsis "$cmd" | roff_options > "$TMP/man.opts"
    if [ ! -s "$TMP/man.opts" ] && [ ! -s "$TMP/help.opts" ]; then
        no "$name-man" "neither --help nor the man page lists an option"
    elif cmp -s "$TMP/help.opts" "$TMP/man.opts"; then
        ok "$name-man"
    else
        no "$name-man" "the options of 'sinew $args --help' (<) and of its SYNOPSIS in sinew.1 (>) differ"
        diff "$TMP/help.opts" "$TMP/man.opts" | grep '^[<>]'
    fi
    described "$cmd" | roff_options > "$TMP/described"
    missing=$(comm -23 "$TMP/help.opts" "$TMP/described" | tr '\n' ' ')
    if [ -z "$missing" ]; then
        ok "$name-described"
    else
        no "$name-described" "sinew.1 does not describe $missing"
    fi
    # an unknown option is named; an option that needs an argument says so
    # shellcheck disable=SC2086
    "$SINEW" $args --no-such-option > "$TMP/out" 2> "$TMP/err" < /dev/null
    status=$?
    if [ $status -eq 2 ] && grep -q "unknown option '--no-such-option'" "$TMP/err" && [ ! -s "$TMP/out" ]; then
        ok "$name-unknown"
    else
        no "$name-unknown" "status $status"; cat "$TMP/err"
    fi
done

# an option that takes an argument, given none; a short option unknown
"$SINEW" run --facts > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 2 ] && grep -q "option '--facts' needs an argument" "$TMP/err"; then
    ok missing-argument
else
    no missing-argument "status $status"; cat "$TMP/err"
fi
"$SINEW" test -x > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 2 ] && grep -q "unknown option '-x'" "$TMP/err"; then
    ok unknown-short
else
    no unknown-short "status $status"; cat "$TMP/err"
fi
# a bad value, a mistyped command, `help COMMAND`
"$SINEW" run --strategy sideways rules/ > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 2 ] && grep -q "not 'sideways'" "$TMP/err"; then ok bad-value; else no bad-value "status $status"; fi
"$SINEW" chek rules/ > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 2 ] && grep -q "unknown command or file 'chek'" "$TMP/err"; then ok bad-command; else no bad-command "status $status"; fi
"$SINEW" help batch > "$TMP/out" 2>&1
if [ $? -eq 0 ] && head -n 1 "$TMP/out" | grep -q '^usage: sinew batch'; then ok help-command; else no help-command "sinew help batch"; fi

# a script: results on standard output, errors on standard error with the
# script's line, exit status 1; a clean one exits 0 with nothing on stderr
cd "$ROOT" || exit 1
"$SINEW" tests/repl/kb.sinew < tests/repl/bad_inputs.in > "$TMP/out" 2> "$TMP/err"
status=$?
if [ $status -eq 1 ] && ! grep -q 'error' "$TMP/out" && grep -q "^<stdin>:3: error: unknown command 'frobnicate'" "$TMP/err"; then
    ok script-streams
else
    no script-streams "status $status; errors on standard output:"; grep error "$TMP/out" | head -n 3
fi
"$SINEW" tests/repl/kb.sinew < tests/repl/clean.in > "$TMP/out" 2> "$TMP/err"
status=$?
if [ $status -eq 0 ] && [ ! -s "$TMP/err" ] && grep -q 'rules fired' "$TMP/out"; then
    ok script-clean
else
    no script-clean "status $status"; cat "$TMP/err"
fi
"$SINEW" -f tests/repl/no-such-script tests/repl/kb.sinew < /dev/null > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 1 ] && grep -q "cannot read tests/repl/no-such-script" "$TMP/err"; then
    ok script-missing
else
    no script-missing "status $status"; cat "$TMP/err"
fi
# --color: always colours even into a pipe; never and NO_COLOR do not
esc=$(printf '\033[')
"$SINEW" --color=always tests/repl/kb.sinew < tests/repl/bail.in > "$TMP/out" 2>&1
if grep -qF "$esc" "$TMP/out"; then ok color-always; else no color-always "no escape sequence"; fi
NO_COLOR= "$SINEW" --color=auto tests/repl/kb.sinew < tests/repl/bail.in > "$TMP/out" 2>&1
if ! grep -qF "$esc" "$TMP/out"; then ok color-auto-pipe; else no color-auto-pipe "colour into a pipe"; fi
"$SINEW" --color=sometimes tests/repl/kb.sinew < /dev/null > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 2 ] && grep -q "not 'sometimes'" "$TMP/err"; then ok color-bad; else no color-bad "status $status"; fi

# output that cannot be written is an error (status 1, a message)
if [ -w /dev/full ]; then
    for args in "--help" "test --export rules/" "batch rules/"; do
        # shellcheck disable=SC2086
        "$SINEW" $args < tests/batch/slots.jsonl > /dev/full 2> "$TMP/err"
        status=$?
        if [ $status -eq 1 ] && grep -q "cannot write the output" "$TMP/err"; then
            ok "write-error-$(echo "$args" | cut -d' ' -f1 | tr -d -)"
        else
            no "write-error-$args" "status $status writing to /dev/full"
        fi
    done
    printf 'assert finding(pop)\nrun\nexplain #2 --dot /dev/full\n' |
        "$SINEW" tests/repl/kb.sinew > /dev/null 2> "$TMP/err"
    status=$?
    if [ $status -eq 1 ] && grep -q "<stdin>:3: error: cannot write /dev/full" "$TMP/err"; then
        ok write-error-dot
    else
        no write-error-dot "status $status"; cat "$TMP/err"
    fi
else
    no write-errors "/dev/full is missing: the write errors were not tested"
fi

# `sinew serve` is the program sinew-serve, run in sinew's place: sinew
# itself does not load the HTTP server's libraries, the two say the same,
# and a sinew without its sinew-serve says what is missing (status 1)
SERVE=$(dirname "$SINEW")/sinew-serve
if command -v ldd > /dev/null 2>&1; then
    if ldd "$SINEW" > "$TMP/ldd" 2>&1 && ! grep -q microhttpd "$TMP/ldd" &&
        ldd "$SERVE" 2>&1 | grep -q microhttpd; then
        ok serve-apart
    else
        no serve-apart "sinew links libmicrohttpd, or sinew-serve does not"; cat "$TMP/ldd"
    fi
fi
"$SINEW" serve --help > "$TMP/via" 2>&1
s1=$?
"$SERVE" --help > "$TMP/direct" 2>&1
s2=$?
"$SINEW" serve --port x > "$TMP/via-bad" 2>&1
s3=$?
if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ $s3 -eq 2 ] && cmp -s "$TMP/via" "$TMP/direct" &&
    grep -q '^usage: sinew serve' "$TMP/via" && grep -q "^sinew serve: " "$TMP/via-bad"; then
    ok serve-exec
else
    no serve-exec "statuses $s1 $s2 $s3"; cat "$TMP/via" "$TMP/via-bad"
fi
mkdir "$TMP/alone" && cp "$SINEW" "$TMP/alone/sinew"
"$TMP/alone/sinew" serve --help > "$TMP/out" 2> "$TMP/err"
status=$?
if [ $status -eq 1 ] && grep -q "^sinew serve: cannot run $TMP/alone/sinew-serve: no such program" "$TMP/err"; then
    ok serve-missing
else
    no serve-missing "status $status"; cat "$TMP/err"
fi
