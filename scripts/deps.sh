#!/bin/sh
# deps.sh — make sure the build's tools are here: a C compiler, make, flex,
# bison, the GNU readline headers, Jansson (JSON, for `sinew batch`) and
# libmicrohttpd (the HTTP server of `sinew serve`);
# and the tests' tools: Graphviz (the pictures `explain --dot` writes are
# rendered), tmux (the REPL is driven on a real terminal), groff (the
# installed man pages are rendered), jq and python3-jsonschema (every JSON
# output is validated against its schema in docs/schema/, and every line of
# `sinew consult --jsonl` is checked to be JSON), g++ and pkg-config (a C
# and a C++ program are built against the installed library), vim and npm
# (the editor files are loaded in Vim and tokenized with vscode-textmate),
# chromium with chromium-driver and curl (the page of `sinew serve` is
# driven in headless Chromium by playwright-core, from npm, and its
# requests are sent with curl).
# Installs what is missing with apt-get (through sudo when not root);
# without apt-get, stops and says what to install. Quiet when everything is
# present.
set -eu

missing=""
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v flex >/dev/null 2>&1 || missing="$missing flex"
command -v bison >/dev/null 2>&1 || missing="$missing bison"
[ -f /usr/include/readline/readline.h ] || missing="$missing libreadline-dev"
[ -f /usr/include/jansson.h ] || missing="$missing libjansson-dev"
[ -f /usr/include/microhttpd.h ] || missing="$missing libmicrohttpd-dev"
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v groff >/dev/null 2>&1 || missing="$missing groff-base"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
command -v g++ >/dev/null 2>&1 || missing="$missing g++"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
python3 -c 'import jsonschema' >/dev/null 2>&1 || missing="$missing python3-jsonschema"
command -v vim >/dev/null 2>&1 || missing="$missing vim"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
command -v curl >/dev/null 2>&1 || missing="$missing curl"

[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "sinew needs:$missing" >&2
    echo "install them with your package manager, then run make again" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "sinew needs:$missing" >&2
    echo "run as root: apt-get update && apt-get install -y$missing" >&2
    exit 1
fi

echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq $missing >&2
