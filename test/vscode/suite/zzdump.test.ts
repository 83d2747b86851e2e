import * as fs from 'fs';
import * as vscode from 'vscode';
describe('dump', () => {
  it('dumps default keybindings', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
    fs.writeFileSync('/tmp/scratch/keybindings.json', doc.getText());
  });
});
