// Lab folders in the workspace: a folder holding a lab.json. Everything the extension shows is
// keyed by the folder's path.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { WORK_DIR } from '../core/files/paths';
import { MANIFEST_FILE } from './labIds';

/** The lab folder containing `file`, if any, without leaving the workspace folder. */
export function labFolderOf(uri: vscode.Uri | undefined): string | undefined {
  if (!uri || uri.scheme !== 'file') return undefined;
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  if (!root) return undefined;
  let dir = fs.existsSync(uri.fsPath) && fs.statSync(uri.fsPath).isDirectory() ? uri.fsPath : path.dirname(uri.fsPath);
  for (;;) {
    // Files under .mllabs (run snapshots) are not the learner's files.
    if (dir.split(path.sep).includes(WORK_DIR)) return undefined;
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return dir;
    if (dir === root || path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}

/** Every lab folder of the open workspace. */
export async function findLabFolders(): Promise<string[]> {
  const found = await vscode.workspace.findFiles(`**/${MANIFEST_FILE}`, `{**/node_modules/**,**/${WORK_DIR}/**}`, 200);
  return [...new Set(found.map((u) => path.dirname(u.fsPath)))].sort();
}

/** The lab folder the user most likely means: the active editor's, else the only one open. */
export async function currentLabFolder(): Promise<string | undefined> {
  const active = labFolderOf(vscode.window.activeTextEditor?.document.uri);
  if (active) return active;
  const all = await findLabFolders();
  if (all.length === 1) return all[0];
  if (all.length === 0) return undefined;
  const pick = await vscode.window.showQuickPick(
    all.map((dir) => ({ label: path.basename(dir), description: vscode.workspace.asRelativePath(dir), dir })),
    { placeHolder: vscode.l10n.t('Which lab?') },
  );
  return pick?.dir;
}
