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
# wait_for TEXT: until the screen shows TEXT (5 s at most)
wait_for() {
    i=0
    while [ $i -lt 50 ]; do
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
        pane | tail -n 15 | sed 's/^/    | /'
    fi
}

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

# history: Up brings back the last line
t send-keys -t "$S" "facts" Enter
check facts "2 facts"
t send-keys -t "$S" Up
check history-up "sinew> facts"
t send-keys -t "$S" C-u

# Ctrl-C at the prompt drops the line being typed
t send-keys -t "$S" "this line is dropped" C-c
sleep 0.3
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

# Ctrl-D leaves, and the history is saved
t send-keys -t "$S" C-d
check ctrl-d "SESSION-OVER"
if grep -q "^templates$" "$TMP/home/.sinew_history" 2> /dev/null; then
    echo "PASS tty/history-saved"
else
    echo "FAIL tty/history-saved: $TMP/home/.sinew_history lacks 'templates'"
    ls -la "$TMP/home"; cat "$TMP/home/.sinew_history"; cat "$TMP/after-ctrl-c.txt"
fi

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
