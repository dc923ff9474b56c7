// tokenize.js — tokenize a file with the TextMate grammar of
// editors/vscode, as VS Code does (vscode-textmate on Oniguruma), and
// print each token: its line, its text and its innermost scope.
//
//   node tests/editors/tokenize.js GRAMMAR FILE
//
// NODE_PATH must reach vscode-textmate and vscode-oniguruma.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const [grammarPath, file] = process.argv.slice(2);
const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')),
                                       'onig.wasm')).buffer;

oniguruma.loadWASM(wasm).then(() => {
    const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
            createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
            createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName) => {
            if (scopeName !== 'source.sinew')
                return null;
            return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
        },
    });
    return registry.loadGrammar('source.sinew');
}).then((grammar) => {
    let state = vsctm.INITIAL;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const out = [];
    lines.forEach((line, i) => {
        const r = grammar.tokenizeLine(line, state);
        for (const t of r.tokens) {
            const text = line.substring(t.startIndex, t.endIndex);
            if (text.trim() === '')
                continue;
            out.push(`${i + 1}\t${text}\t${t.scopes[t.scopes.length - 1]}`);
        }
        state = r.ruleStack;
    });
    process.stdout.write(out.join('\n') + '\n');
}).catch((e) => {
    process.stderr.write(`tokenize.js: ${e.stack || e}\n`);
    process.exit(1);
});
