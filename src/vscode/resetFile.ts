// "ML Labs: Reset File to Starter": puts the starter code back, after saving the learner's
// version in .mllabs/backups/ so nothing is lost.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { findLab, loadCatalog } from '../core/lab/catalog';
import { installPaths, WORK_DIR } from '../core/files/paths';
import { readManifestId } from './labIds';

/** Asks before the reset; replaceable so the flow can be exercised without a modal dialog. */
export type ConfirmReset = (rel: string) => Thenable<boolean>;

const TEXT = {
  confirm: (rel: string) => vscode.l10n.t('Reset {0} to the starter code?', rel),
  kept: (dir: string) => vscode.l10n.t('Your current version will be saved in {0}.', dir),
  reset: vscode.l10n.t('Reset'),
  noStarter: (rel: string, lab: string) => vscode.l10n.t('{0} has no starter version in the course\'s "{1}" lab.', rel, lab),
  done: (rel: string, backup: string) => vscode.l10n.t('{0} is back to the starter code. Your version is in {1}.', rel, backup),
};

const askUser: ConfirmReset = (rel) =>
  vscode.window
    .showWarningMessage(TEXT.confirm(rel), { modal: true, detail: TEXT.kept(`${WORK_DIR}/backups/`) }, TEXT.reset)
    .then((choice) => choice === TEXT.reset);

export async function resetFile(installRoot: string, labDir: string, file: string, confirm: ConfirmReset = askUser): Promise<boolean> {
  const id = readManifestId(labDir);
  const lab = id ? findLab(loadCatalog(installPaths(installRoot).templatesDir), id) : undefined;
  const rel = path.relative(labDir, file).split(path.sep).join('/');
  const starter = lab ? path.join(lab.dir, rel) : undefined;
  if (!lab || !starter || !fs.existsSync(starter)) {
    void vscode.window.showErrorMessage(TEXT.noStarter(rel, id ?? '?'));
    return false;
  }
  if (!(await confirm(rel))) return false;
  const uri = vscode.Uri.file(file);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
  const current = doc ? doc.getText() : fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backup = path.join(labDir, WORK_DIR, 'backups', `${rel.replace(/\//g, '_')}.${stamp}`);
  fs.mkdirSync(path.dirname(backup), { recursive: true });
  fs.writeFileSync(backup, current);
  // Through a workspace edit, so the reset is one undoable change in the open editor.
  const edit = new vscode.WorkspaceEdit();
  const text = fs.readFileSync(starter, 'utf8');
  if (doc) edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  else edit.createFile(uri, { overwrite: true, contents: Buffer.from(text) });
  await vscode.workspace.applyEdit(edit);
  if (doc) await doc.save();
  void vscode.window.showInformationMessage(TEXT.done(rel, path.relative(labDir, backup)));
  return true;
}
