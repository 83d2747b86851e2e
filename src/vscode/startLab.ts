// "ML Labs: Start Lab…": pick a lab of the catalog, pick a folder, scaffold it without ever
// overwriting the learner's files, then open the instructions beside the starter code.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { findLab, loadCatalog, type Lab } from '../core/lab/catalog';
import { labProgress } from '../core/run/labProgress';
import { installPaths } from '../core/files/paths';
import { ScaffoldConflictError, scaffoldLab } from '../core/lab/scaffold';
import { findLabFolders } from './labFolders';
import { readManifestId } from './labIds';

const TEXT = {
  pickLab: vscode.l10n.t('Choose a lab of the course'),
  module: (n: number, title: string) => vscode.l10n.t('Module {0}: {1}', n, title),
  done: vscode.l10n.t('done'),
  started: vscode.l10n.t('started'),
  pickFolder: (id: string) => vscode.l10n.t('Where should "{0}" go?', id),
  newFolder: (rel: string) => vscode.l10n.t('New folder {0}', rel),
  chooseFolder: vscode.l10n.t('Choose a folder…'),
  startHere: vscode.l10n.t('Start Lab Here'),
  conflict: (files: string[]) =>
    files.length === 1
      ? vscode.l10n.t('The folder already has a file of this lab ({0}).', files[0]!)
      : vscode.l10n.t('The folder already has {0} files of this lab ({1}).', files.length, `${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}`),
  nothingChanged: vscode.l10n.t('Nothing has been changed yet. Your files are never overwritten.'),
  keep: vscode.l10n.t('Keep my files, add the missing ones'),
  openFolder: vscode.l10n.t('Open Folder'),
  notInWorkspace: (dir: string) => vscode.l10n.t('The lab is ready in {0}. Open that folder to work on it?', dir),
  noTemplate: (id: string) => vscode.l10n.t('There is no lab "{0}".', id),
};

/** After "Open Folder" reloads the window, the new window opens the lab's instructions. */
export const PENDING_OPEN_KEY = 'mllabs.pendingOpen';

/** The markdown extension's preview, opened as an editor (it then takes options such as preserveFocus). */
const MARKDOWN_PREVIEW_EDITOR = 'vscode.markdown.preview.editor';

/** Opens the starter code with the focus in it (where the learner types) and the instructions' preview beside it. */
export async function openLabFiles(lab: Lab | { manifest: Lab['manifest'] }, dir: string): Promise<void> {
  const entry = vscode.Uri.file(path.join(dir, lab.manifest.files[0]));
  await vscode.window.showTextDocument(entry, { viewColumn: vscode.ViewColumn.One, preview: false });
  const instructions = vscode.Uri.file(path.join(dir, lab.manifest.instructions));
  // markdown.showPreviewToSide focuses the preview once its page has loaded, after the command has
  // returned, so focusing the code again afterwards loses the race; opening the preview as an
  // editor that preserves the focus never takes it.
  try {
    await vscode.commands.executeCommand('vscode.openWith', instructions, MARKDOWN_PREVIEW_EDITOR, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: false,
    });
  } catch {
    // Without the markdown extension: the instructions as text, still beside the code.
    await vscode.window.showTextDocument(instructions, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
  }
  await vscode.window.showTextDocument(entry, { viewColumn: vscode.ViewColumn.One, preview: false, preserveFocus: false });
}

async function pickLab(labs: Lab[]): Promise<Lab | undefined> {
  const progress = new Map<string, string>();
  for (const dir of await findLabFolders()) {
    const id = readManifestId(dir);
    if (!id) continue;
    const p = labProgress(dir).progress;
    if (p === 'passed' || !progress.has(id)) progress.set(id, p);
  }
  type Item = vscode.QuickPickItem & { lab?: Lab };
  const items: Item[] = [];
  let module = 0;
  for (const lab of labs) {
    const m = lab.manifest;
    if (m.module.number !== module) {
      module = m.module.number;
      items.push({ label: TEXT.module(module, m.module.title), kind: vscode.QuickPickItemKind.Separator });
    }
    const p = progress.get(m.id);
    items.push({
      label: `${p === 'passed' ? '$(pass-filled)' : p ? '$(circle-large-filled)' : '$(circle-large-outline)'} ${m.title}`,
      description: `${m.id}${p === 'passed' ? ` · ${TEXT.done}` : p ? ` · ${TEXT.started}` : ''}`,
      detail: m.summary,
      lab,
    });
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder: TEXT.pickLab, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  return pick?.lab;
}

async function pickFolder(lab: Lab): Promise<string | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  type Item = vscode.QuickPickItem & { dir?: string };
  const items: Item[] = [];
  if (root) {
    let dir = path.join(root, lab.manifest.id);
    for (let n = 2; fs.existsSync(dir); n++) dir = path.join(root, `${lab.manifest.id}-${n}`);
    items.push({ label: `$(new-folder) ${TEXT.newFolder(vscode.workspace.asRelativePath(dir))}`, dir });
  }
  items.push({ label: `$(folder-opened) ${TEXT.chooseFolder}` });
  const pick =
    items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: TEXT.pickFolder(lab.manifest.id), ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.dir) return pick.dir;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: TEXT.startHere,
    defaultUri: root ? vscode.Uri.file(root) : undefined,
  });
  return chosen?.[0]?.fsPath;
}

/** Returns the folder the lab was scaffolded into, or undefined if the user stopped. */
export async function startLab(
  context: vscode.ExtensionContext,
  installRoot: string,
  labId?: string,
  targetDir?: string,
  options: { openFiles?: boolean } = {},
): Promise<string | undefined> {
  const templatesDir = installPaths(installRoot).templatesDir;
  const catalog = loadCatalog(templatesDir);
  const lab = labId ? findLab(catalog, labId) : await pickLab(catalog.labs);
  if (!lab) {
    if (labId) void vscode.window.showErrorMessage(TEXT.noTemplate(labId));
    return undefined;
  }
  const dir = targetDir ?? (await pickFolder(lab));
  if (!dir) return undefined;
  try {
    scaffoldLab(lab, templatesDir, dir, 'refuse');
  } catch (err) {
    if (!(err instanceof ScaffoldConflictError)) throw err;
    const choice = await vscode.window.showWarningMessage(TEXT.conflict(err.existing), { modal: true, detail: TEXT.nothingChanged }, TEXT.keep);
    if (choice !== TEXT.keep) return undefined;
    scaffoldLab(lab, templatesDir, dir, 'keep-existing');
  }
  if (!vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))) {
    const choice = await vscode.window.showInformationMessage(TEXT.notInWorkspace(dir), TEXT.openFolder);
    if (choice === TEXT.openFolder) {
      await context.globalState.update(PENDING_OPEN_KEY, dir);
      await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir));
      return dir;
    }
  }
  if (options.openFiles !== false) await openLabFiles(lab, dir);
  return dir;
}
