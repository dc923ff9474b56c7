// extension.js — the sinew extension for VS Code: starts `sinew lsp` (the
// `sinew.path` setting names the program; default: sinew on the PATH) and
// connects it to .sinew documents through vscode-languageclient.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
    const command = vscode.workspace.getConfiguration('sinew').get('path') || 'sinew';
    const server = { command, args: ['lsp'] };
    client = new LanguageClient('sinew', 'sinew', { run: server, debug: server }, {
        documentSelector: [{ scheme: 'file', language: 'sinew' }],
    });
    context.subscriptions.push({ dispose: () => client && client.stop() });
    return client.start();
}

function deactivate() {
    return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
