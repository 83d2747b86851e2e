// The "Labs" view in the ML Labs activity bar: the course's labs grouped by module, each with the
// learner's progress (not started, in progress, passed) read from the lab folders of the workspace.
import * as vscode from 'vscode';
import { COMMAND } from './commands';
import { loadCatalog, type Lab } from '../core/lab/catalog';
import { labProgress, type LabProgressInfo } from '../core/run/labProgress';
import { installPaths } from '../core/files/paths';
import { runVerdict } from '../core/run/verdict';
import { findLabFolders } from './labFolders';
import { readManifestId } from './labIds';

const TEXT = {
  passed: vscode.l10n.t('passed'),
  inProgress: vscode.l10n.t('in progress'),
  notRun: vscode.l10n.t('not run yet'),
  lastRun: (what: string) => vscode.l10n.t('last run {0}', what),
  module: (n: number, title: string) => vscode.l10n.t('Module {0}: {1}', n, title),
  folder: (dir: string) => vscode.l10n.t('Folder: {0}', dir),
  open: vscode.l10n.t('Open'),
  start: vscode.l10n.t('Start'),
};

/** The learner's latest run in a few words: its grade, or that it did not train (not "1 of 7 checks passed"). */
function latestText(info: LabProgressInfo | undefined): string {
  if (!info?.latest || !info.grade) return TEXT.inProgress;
  const verdict = runVerdict(info.latest, info.grade);
  return verdict.graded ? verdict.text : TEXT.lastRun(verdict.text.replace(/:.*$/s, ''));
}

type Node = { kind: 'module'; number: number; title: string; labs: Lab[] } | { kind: 'lab'; lab: Lab; folders: { dir: string; info: LabProgressInfo }[] };

export class LabsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private folders: Map<string, { dir: string; info: LabProgressInfo }[]> | undefined;

  constructor(private readonly installRoot: string) {}

  refresh(): void {
    this.folders = undefined;
    this.changed.fire();
  }

  private async labFolders(): Promise<Map<string, { dir: string; info: LabProgressInfo }[]>> {
    if (this.folders) return this.folders;
    const map = new Map<string, { dir: string; info: LabProgressInfo }[]>();
    for (const dir of await findLabFolders()) {
      const id = readManifestId(dir);
      if (!id) continue;
      const list = map.get(id) ?? [];
      list.push({ dir, info: labProgress(dir) });
      map.set(id, list);
    }
    this.folders = map;
    return map;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const catalog = loadCatalog(installPaths(this.installRoot).templatesDir);
      const modules = new Map<number, Node & { kind: 'module' }>();
      for (const lab of catalog.labs) {
        const m = lab.manifest.module;
        const entry = modules.get(m.number) ?? { kind: 'module', number: m.number, title: m.title, labs: [] };
        entry.labs.push(lab);
        modules.set(m.number, entry);
      }
      return [...modules.values()];
    }
    if (node.kind === 'module') {
      const folders = await this.labFolders();
      return node.labs.map((lab) => ({ kind: 'lab', lab, folders: folders.get(lab.manifest.id) ?? [] }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'module') {
      const item = new vscode.TreeItem(TEXT.module(node.number, node.title), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `module-${node.number}`;
      return item;
    }
    const m = node.lab.manifest;
    const item = new vscode.TreeItem(m.title, vscode.TreeItemCollapsibleState.None);
    item.id = `lab-${m.id}`;
    const best = node.folders.find((f) => f.info.progress === 'passed') ?? node.folders.find((f) => f.info.progress === 'started') ?? node.folders[0];
    const progress = best?.info.progress ?? 'not-started';
    item.description = progress === 'passed' ? TEXT.passed : progress === 'started' ? latestText(best?.info) : best ? TEXT.notRun : '';
    item.iconPath = new vscode.ThemeIcon(progress === 'passed' ? 'pass-filled' : progress === 'started' ? 'circle-large-filled' : 'circle-large-outline');
    item.tooltip = new vscode.MarkdownString(
      `**${m.title}** (\`${m.id}\`)\n\n${m.summary}${best ? `\n\n${TEXT.folder(`\`${vscode.workspace.asRelativePath(best.dir)}\``)}` : ''}`,
    );
    item.contextValue = best ? 'labStarted' : 'labNew';
    item.command = best
      ? { command: COMMAND.openInstructions, title: TEXT.open, arguments: [best.dir] }
      : { command: COMMAND.startLab, title: TEXT.start, arguments: [m.id] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
