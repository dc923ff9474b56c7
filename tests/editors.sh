#!/bin/sh
# editors.sh — the editor files of editors/, checked. Prints PASS/FAIL lines.
#
#   sh tests/editors.sh BUILD_DIR TMPDIR
#
# Vim: the ftdetect, syntax and ftplugin files load in `vim -es` without an
# error, a .sinew file gets the filetype and the syntax, and words of each
# kind in tests/editors/sample.sinew get their syntax group. TextMate: the
# grammar and the VS Code manifest parse as JSON, the manifest names the
# grammar, the language configuration and the entry point, which is valid
# JavaScript and starts `sinew lsp`, and the grammar tokenizes the
# sample as tests/editors/sample.tokens says, with vscode-textmate (npm;
# installed into BUILD_DIR/npm the first time).
B=$1
TMP=$2/editors
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
mkdir -p "$TMP"

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

# ---- Vim ----
if ! command -v vim > /dev/null 2>&1; then
    fail "editors/vim: vim is not installed (apt-get install vim)"
else
    vim -Nu NONE -i NONE -es --cmd "set rtp^=$ROOT/editors/vim" --cmd "let g:out = '$TMP/vim.out'" \
        -c 'filetype plugin on' -c 'syntax on' -S tests/editors/check.vim \
        < /dev/null > "$TMP/vim.stdout" 2>&1
    status=$?
    tr -d '\r' < "$TMP/vim.out" > "$TMP/vim.got"
    if [ "$status" -eq 0 ] && cmp -s "$TMP/vim.got" tests/editors/vim.out; then
        pass "editors/vim"
    else
        fail "editors/vim: vim exited $status, or the syntax groups differ"
        diff -u tests/editors/vim.out "$TMP/vim.got" | head -n 40
        head -n 5 "$TMP/vim.stdout"
    fi
fi

# ---- TextMate grammar and the VS Code manifest ----
G=editors/vscode/syntaxes/sinew.tmLanguage.json
M=editors/vscode/package.json
if jq -e '.scopeName == "source.sinew" and (.patterns | length) > 0' "$G" > /dev/null 2>&1 &&
    jq -e '.contributes.grammars[0].path == "./syntaxes/sinew.tmLanguage.json" and
           .contributes.grammars[0].scopeName == "source.sinew" and
           .contributes.languages[0].extensions == [".sinew"] and
           .contributes.languages[0].configuration == "./language-configuration.json" and
           .main == "./extension.js" and (.dependencies | has("vscode-languageclient"))' "$M" > /dev/null 2>&1 &&
    node --check editors/vscode/extension.js > /dev/null 2>&1 &&
    grep -q "args: \['lsp'\]" editors/vscode/extension.js &&
    jq -e '.comments.lineComment == "#"' editors/vscode/language-configuration.json > /dev/null 2>&1; then
    pass "editors/textmate-json"
else
    fail "editors/textmate-json: the grammar, the manifest or the language configuration is not as expected"
fi

NPM=$B/npm
if [ ! -d "$NPM/node_modules/vscode-textmate" ] || [ ! -d "$NPM/node_modules/vscode-oniguruma" ]; then
    if command -v npm > /dev/null 2>&1; then
        mkdir -p "$NPM"
        npm install --prefix "$NPM" --no-audit --no-fund --silent \
            vscode-textmate@9 vscode-oniguruma@2 > "$TMP/npm.log" 2>&1
    fi
fi
if ! command -v node > /dev/null 2>&1 || [ ! -d "$NPM/node_modules/vscode-textmate" ]; then
    fail "editors/textmate: node and vscode-textmate are needed (apt-get install npm; npm install vscode-textmate vscode-oniguruma)"
    cat "$TMP/npm.log" 2> /dev/null | tail -n 5
elif NODE_PATH=$NPM/node_modules node tests/editors/tokenize.js "$G" tests/editors/sample.sinew \
        > "$TMP/tokens" 2> "$TMP/tokens.err" && cmp -s "$TMP/tokens" tests/editors/sample.tokens; then
    pass "editors/textmate"
else
    fail "editors/textmate: the tokens of tests/editors/sample.sinew differ"
    diff -u tests/editors/sample.tokens "$TMP/tokens" | head -n 30
    cat "$TMP/tokens.err"
fi
