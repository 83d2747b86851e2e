// Workspace Trust: in an untrusted workspace the learner's code never runs, and the user is told why;
// reading the instructions still works.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, workspaceRoot } from './helpers';

describe('ML Labs in an untrusted workspace', function () {
  this.timeout(60_000);

  it('never runs lab code, and still shows the instructions', async () => {
    await api();
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the launcher opens this workspace untrusted');
    const dir = path.join(workspaceRoot(), 'untrusted-lab');
    await vscode.commands.executeCommand('mllabs.startLab', 'hand-tuning', dir);
    const result = await vscode.commands.executeCommand('mllabs.run', dir);
    assert.strictEqual(result, undefined);
    assert.ok(!fs.existsSync(path.join(dir, '.mllabs', 'runs')), 'no run was started');
    assert.strictEqual(await vscode.commands.executeCommand('mllabs.openInstructions', dir), dir);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === path.join(dir, 'model.ts')));
  });
});
