// "ML Labs: Reset File to Starter": puts the starter code back, after saving the learner's
// version in .mllabs/backups/ so nothing is lost.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { findLab, loadCatalog } from '../core/catalog';
import { installPaths, WORK_DIR } from '../core/paths';
import { readManifestId } from './labIds';

/** Asks before the reset; replaceable so the flow can be exercised without a modal dialog. */
export type ConfirmReset = (rel: string) => Thenable<boolean>;

const askUser: ConfirmReset = (rel) =>
  vscode.window
    .showWarningMessage(`Reset ${rel} to the starter code?`, { modal: true, detail: `Your current version will be saved in ${WORK_DIR}/backups/.` }, 'Reset')
    .then((choice) => choice === 'Reset');

export async function resetFile(installRoot: string, labDir: string, file: string, confirm: ConfirmReset = askUser): Promise<boolean> {
  const id = readManifestId(labDir);
  const lab = id ? findLab(loadCatalog(installPaths(installRoot).templatesDir), id) : undefined;
  const rel = path.relative(labDir, file).split(path.sep).join('/');
  const starter = lab ? path.join(lab.dir, rel) : undefined;
  if (!lab || !starter || !fs.existsSync(starter)) {
    void vscode.window.showErrorMessage(`${rel} has no starter version in the course's "${id ?? '?'}" lab.`);
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
  void vscode.window.showInformationMessage(`${rel} is back to the starter code. Your version is in ${path.relative(labDir, backup)}.`);
  return true;
}
