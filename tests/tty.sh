#!/bin/sh
# tty.sh SINEW — drive the REPL on a real terminal (tmux): tab completion,
# history, Ctrl-C during a long run and at the prompt, Ctrl-D. Prints a
# PASS or FAIL line per check.
set -u
SINEW=$1
if ! command -v tmux > /dev/null 2>&1; then
    echo "FAIL tty: tmux is not installed (apt-get install tmux)"
    exit 1
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sinew-tty.XXXXXX") || exit 1
S=sinew-tty-$$
SOCK="$TMP/tmux.sock"
t() { tmux -S "$SOCK" "$@"; }
cleanup() { t kill-server > /dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$TMP"; }
trap cleanup EXIT
mkdir -p "$TMP/home"

pane() { t capture-pane -p -t "$S" -S -200; }
# wait_for TEXT: until the screen shows TEXT (10 s at most: the machine may
# be busy)
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        pane | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
check() {
    if wait_for "$2"; then
        echo "PASS tty/$1"
    else
        echo "FAIL tty/$1: the screen never showed '$2'"
        pane | grep -v '^ *$' | tail -n 15 | sed 's/^/    | /'
    fi
}

# a session that outlives the others, so the server never exits between
# two of them
t new-session -d -s keep "sleep 600"
t new-session -d -s "$S" -x 150 -y 50 \
    "env HOME=$TMP/home XDG_STATE_HOME= TERM=xterm NO_COLOR=1 $SINEW tests/repl/kb.sinew; echo SESSION-OVER; sleep 30"
check start "'help' lists the commands"

# a command completed with Tab
t send-keys -t "$S" "templ" Tab
check complete-command "sinew> templates"
t send-keys -t "$S" Enter
check ran-completed "4 templates"

# a template and a symbol of the knowledge base completed
t send-keys -t "$S" "assert findi" Tab
check complete-template "sinew> assert finding"
t send-keys -t "$S" BSpace "(sudden_p" Tab
check complete-symbol "assert finding(sudden_pain"
t send-keys -t "$S" BSpace ")" Enter
check asserted "finding(name: sudden_pain)"

# completion by context. After 'slot: ' the values that slot can take: its
# ask's answers, nothing else the knowledge base knows
t send-keys -t "$S" C-l "assert finding(name: " Tab Tab
check complete-ask-domain "gradual_ache"
if pane | grep -q -e strain -e tear -e F01; then
    echo "FAIL tty/complete-ask-domain-only: other symbols were offered"
    pane | tail -n 5 | sed 's/^/    | /'
else
    echo "PASS tty/complete-ask-domain-only"
fi
t send-keys -t "$S" C-u
# the values in working memory (severity(3) from the facts block); a slot
# name; a template where a template goes
t send-keys -t "$S" "facts severity(value: " Tab
check complete-wm-value "facts severity(value: 3)"
t send-keys -t "$S" C-u "whynot diagnosis(" Tab
check complete-slot "whynot diagnosis(name:"
t send-keys -t "$S" C-u "facts diag" Tab
check complete-template-paren "facts diagnosis("
# fact ids after why, how, explain, retract
t send-keys -t "$S" C-u C-l "retract #" Tab Tab
check complete-fact-ids "#1  #2"
t send-keys -t "$S" C-u "how #2" Tab "x"
check complete-fact-id "sinew> how #2 x"
# file names after load, save, consult and --dot
t send-keys -t "$S" C-u "load tests/repl/kb.si" Tab
check complete-file-load "sinew> load tests/repl/kb.sinew"
t send-keys -t "$S" C-u "save tests/repl/bai" Tab
check complete-file-save "sinew> save tests/repl/bail."
t send-keys -t "$S" C-u "explain #2 --dot tests/repl/kb.s" Tab
check complete-file-dot "explain #2 --dot tests/repl/kb.sinew"
t send-keys -t "$S" C-u "network tear_n" Tab
check complete-rule-network "sinew> network tear_needs_bruising"
t send-keys -t "$S" C-u
# a module after focus (main: every knowledge base has it)
t send-keys -t "$S" "focus ma" Tab
check complete-module "sinew> focus main"
t send-keys -t "$S" C-u

# history: Up brings back the last line
t send-keys -t "$S" "facts" Enter
check facts "2 facts"
t send-keys -t "$S" Up
check history-up "sinew> facts"
t send-keys -t "$S" C-u

# Ctrl-C at the prompt drops the line being typed
t send-keys -t "$S" "this line is dropped" C-c
sleep 0.5
t send-keys -t "$S" "help quit" Enter
check ctrl-c-prompt "leave (Ctrl-D too)"
pane > "$TMP/after-ctrl-c.txt"
if pane | grep -q "unknown command 'this'"; then
    echo "FAIL tty/ctrl-c-clears: the interrupted line was run"
else
    echo "PASS tty/ctrl-c-clears"
fi

# Ctrl-C stops a run that would never end, and the session goes on
t send-keys -t "$S" "rule forever when ?f <- severity(value: ?v) then modify ?f (value: ?v + 1) end" Enter
check typed-rule "loaded"
t send-keys -t "$S" "run" Enter
sleep 1
t send-keys -t "$S" C-c
check ctrl-c-run "(interrupted: working memory is as it was after the last firing)"
t send-keys -t "$S" "facts severity()" Enter
check after-interrupt "1 fact"
t send-keys -t "$S" "agenda" Enter
check agenda-intact "forever: #"

# Ctrl-C in an open construct gives it up: the next line is a command
t send-keys -t "$S" "rule half_typed when finding(name: pop)" Enter
check construct-open "   ..."
t send-keys -t "$S" C-c
sleep 0.5
t send-keys -t "$S" "rules half" Enter
check ctrl-c-construct "0 rules"

# a construct of several lines is one history entry; a line typed again is
# kept once; a line that starts with a space is not kept
t send-keys -t "$S" "facts" Enter
t send-keys -t "$S" " conclusions" Enter
t send-keys -t "$S" "rule two_lines" Enter "when finding(name: bruising)" Enter \
    "then conclude diagnosis(name: bruise) end" Enter
check multi-line-loaded "loaded"

# Ctrl-D leaves, and the history is saved where XDG says (~/.local/state
# when XDG_STATE_HOME is not set), its folders created
t send-keys -t "$S" C-d
check ctrl-d "SESSION-OVER"
H=$TMP/home/.local/state/sinew/history
if grep -q "^templates$" "$H" 2> /dev/null; then
    echo "PASS tty/history-saved"
else
    echo "FAIL tty/history-saved: $H lacks 'templates'"
    ls -laR "$TMP/home"; cat "$H"; cat "$TMP/after-ctrl-c.txt"
fi
if [ "$(grep -c '^facts$' "$H")" -eq 1 ] && ! grep -q 'conclusions' "$H" && ! grep -q '^$' "$H"; then
    echo "PASS tty/history-no-duplicates"
else
    echo "FAIL tty/history-no-duplicates: 'facts' twice, ' conclusions' kept, or an empty entry"; sed 's/^/    | /' "$H"
fi
if grep -A1 '^rule two_lines$' "$H" | grep -q '^when finding(name: bruising)$'; then
    echo "PASS tty/history-one-entry"
else
    echo "FAIL tty/history-one-entry: the rule is not one entry"; sed 's/^/    | /' "$H"
fi
# in the next session, Up brings the whole rule back, and Enter loads it
t kill-session -t "$S" > /dev/null 2>&1
t new-session -d -s "$S" -x 150 -y 50 \
    "env HOME=$TMP/home XDG_STATE_HOME= TERM=xterm NO_COLOR=1 $SINEW tests/repl/kb.sinew; echo AGAIN-OVER; sleep 30"
check history-start "'help' lists the commands"
t send-keys -t "$S" Up
check history-recall "then conclude diagnosis(name: bruise) end"
t send-keys -t "$S" Enter
check history-reload "loaded"
t send-keys -t "$S" "rules two" Enter
check history-reloaded "two_lines"
t send-keys -t "$S" C-d
check history-ctrl-d "AGAIN-OVER"

# two sessions at once, on an XDG_STATE_HOME that does not exist yet: each
# keeps its lines
X=$TMP/state-new
for who in p q; do
    t new-session -d -s "$S-$who" -x 150 -y 50 \
        "env HOME=$TMP/home XDG_STATE_HOME=$X TERM=xterm NO_COLOR=1 $SINEW tests/repl/kb.sinew; sleep 30"
done
S0=$S
S=$S0-p; check concurrent-p "'help' lists the commands"
S=$S0-q; check concurrent-q "'help' lists the commands"
t send-keys -t "$S0-p" "rules strain" Enter
t send-keys -t "$S0-q" "templates red" Enter
S=$S0-q; check concurrent-q-ran "1 template"
t send-keys -t "$S0-p" C-d
sleep 0.5
t send-keys -t "$S0-q" C-d
sleep 0.5
S=$S0
if grep -q '^rules strain$' "$X/sinew/history" 2> /dev/null && grep -q '^templates red$' "$X/sinew/history"; then
    echo "PASS tty/history-concurrent"
else
    echo "FAIL tty/history-concurrent: $X/sinew/history lost a session's line"; cat "$X/sinew/history"
fi

# SINEW_HISTFILE names another file
t new-session -d -s "$S-own" -x 150 -y 50 \
    "env HOME=$TMP/home SINEW_HISTFILE=$TMP/own-history TERM=xterm NO_COLOR=1 $SINEW tests/repl/kb.sinew; sleep 30"
S=$S0-own; check own-start "'help' lists the commands"
t send-keys -t "$S" "rules tear" Enter
check own-ran "1 rule"
t send-keys -t "$S" C-d
sleep 0.5
S=$S0
if grep -q '^rules tear$' "$TMP/own-history" 2> /dev/null; then
    echo "PASS tty/history-own-file"
else
    echo "FAIL tty/history-own-file: $TMP/own-history lacks 'rules tear'"
fi

# a history that cannot be saved (a folder where the file goes) is said
# at the end, not lost without a word
mkdir -p "$TMP/history-folder"
t new-session -d -s "$S0-nohist" -x 150 -y 50 \
    "env HOME=$TMP/home SINEW_HISTFILE=$TMP/history-folder TERM=xterm NO_COLOR=1 $SINEW tests/repl/kb.sinew; echo NOHIST-OVER; sleep 30"
S=$S0-nohist; check nohist-start "'help' lists the commands"
t send-keys -t "$S" "rules tear" Enter
check nohist-ran "1 rule"
t send-keys -t "$S" C-d
check history-not-saved "the history was not saved in $TMP/history-folder"
S=$S0

# colour: none with TERM=dumb, even on a terminal; some with TERM=xterm
esc=$(printf '\033[')
for term in dumb xterm; do
    t new-session -d -s "$S0-$term" -x 150 -y 50 \
        "env -u NO_COLOR HOME=$TMP/home TERM=$term $SINEW tests/repl/kb.sinew; sleep 30"
    S=$S0-$term
    check "color-$term-start" "'help' lists the commands"
    t send-keys -t "$S" "frobnicate" Enter
    check "color-$term-error" "unknown command 'frobnicate'"
    if t capture-pane -e -p -t "$S" | grep -qF "$esc"; then colored=yes; else colored=no; fi
    case $term:$colored in
    dumb:no | xterm:yes) echo "PASS tty/color-$term" ;;
    *) echo "FAIL tty/color-$term: colour $colored" ;;
    esac
    t send-keys -t "$S" C-d
done
S=$S0

# a consultation on a terminal: the prompt names the finding, Tab completes
# the answers, a bad answer is asked again, Ctrl-C drops the line
t kill-session -t "$S" > /dev/null 2>&1
t new-session -d -s "$S" -x 150 -y 50 \
    "env HOME=$TMP/home XDG_STATE_HOME= TERM=xterm NO_COLOR=1 $SINEW consult rules/; echo CONSULT-OVER; sleep 30"
check consult-start "screening?"
t send-keys -t "$S" "bul" Tab
check consult-complete "screening? bulge"
t send-keys -t "$S" C-c
sleep 0.3
t send-keys -t "$S" "grion" Enter
check consult-bad-answer "error: 'grion' is not an answer here"
t send-keys -t "$S" "bul" Tab Enter
check consult-next "course?"
t send-keys -t "$S" "w" Enter
check consult-prefix "red_flag(code: F01)"
t send-keys -t "$S" "quit" Enter
check consult-report "The consultation is over"
t send-keys -t "$S" "why red_flag(code: F03)" Enter
check consult-then-repl "concluded by rule red_flag_F03_hernia"
t send-keys -t "$S" C-d
check consult-ctrl-d "CONSULT-OVER"

# the terminal is standard input's: with standard output into a pipe
# (sinew | tee log) the prompt, completion and history are still there
t kill-session -t "$S" > /dev/null 2>&1
t new-session -d -s "$S" -x 150 -y 50 \
    "env HOME=$TMP/home XDG_STATE_HOME= TERM=xterm NO_COLOR=1 $SINEW tests/repl/kb.sinew | cat; echo PIPE-OVER; sleep 30"
check pipe-start "'help' lists the commands"
t send-keys -t "$S" "templ" Tab
check pipe-complete "sinew> templates"
t send-keys -t "$S" Enter
check pipe-ran "4 templates"
t send-keys -t "$S" C-d
check pipe-ctrl-d "PIPE-OVER"
