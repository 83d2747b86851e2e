// The dashboard webview panel: one class per panel, owning its disposables. It supplies VS Code's
// effects (post, save dialog, open editor, edit the learner's code) to DashboardController, which does the rest and is
// tested without VS Code. The webview is not kept alive while hidden: it reloads, says `ready`, and
// gets a snapshot rebuilt from the run files, which is also how a window reload restores it.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { MANIFEST_FILE } from '../core/lab/catalog';
import { DashboardController, type DashboardEffects } from '../core/dashboard/controller';
import type { SourceSpan } from '../core/dashboard/webviewRequests';
import { dashboardHtml } from '../core/dashboard/html';
import { DashboardViewState } from '../core/dashboard/protocol';
import type { GradeReport } from '../core/grade/report';
import type { LabManifest } from '../core/lab/manifest';
import { openLab } from '../core/run/labRun';
import type { EpochRecord, RunRecord } from '../core/run/store';
import type { BestTrial } from '../core/tuner';
import { applyBest } from './applyBest';
import { webviewPage } from './webviewPage';

export const DASHBOARD_VIEW_TYPE = 'mllabs.dashboard';

const TEXT = {
  title: vscode.l10n.t('ML Labs Dashboard'),
  titleFor: (lab: string) => vscode.l10n.t('Dashboard — {0}', lab),
  saved: (name: string) => vscode.l10n.t('Saved {0}', name),
  open: vscode.l10n.t('Open'),
  saveFailed: (name: string, why: string) => vscode.l10n.t('Could not save {0}: {1}', name, why),
  labGone: (folder: string) => vscode.l10n.t('The ML Labs dashboard was not restored: {0} is no longer a lab folder.', folder),
  applyFailed: (study: string, why: string) => vscode.l10n.t('Could not apply the best hyperparameters of study {0}: {1}', study, why),
  png: vscode.l10n.t('PNG image'),
  csv: vscode.l10n.t('CSV (comma-separated values)'),
};

export interface DashboardPanelOptions {
  /** Where dropped messages and failures are reported (e.g. the extension's output channel). */
  log?: (message: string) => void;
  /** The manifest to use (e.g. the course's); read from the folder's lab.json when absent. */
  manifest?: LabManifest;
  viewColumn?: vscode.ViewColumn;
  /** Keep the focus in the editor, e.g. when the dashboard opens by itself on a run. */
  preserveFocus?: boolean;
}

/** Scripts on; local files only from the bundled front end and the media folder. */
export function dashboardWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'media'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? path.resolve(p).toLowerCase() : path.resolve(p));
  return norm(a) === norm(b);
}

export class DashboardPanel {
  private static readonly panels = new Set<DashboardPanel>();
  private static last: DashboardPanel | undefined;

  private readonly controller: DashboardController;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log: (message: string) => void;
  private disposed = false;

  /** The panel shown or revealed most recently. */
  static get current(): DashboardPanel | undefined {
    return DashboardPanel.last;
  }

  /** The panel showing this lab folder, if any: where a run's live updates go. */
  static forLab(labDir: string): DashboardPanel | undefined {
    if (DashboardPanel.last && samePath(DashboardPanel.last.labDir, labDir)) return DashboardPanel.last;
    for (const p of DashboardPanel.panels) if (samePath(p.labDir, labDir)) return p;
    return undefined;
  }

  /** Shows the dashboard of a lab, reusing the open panel (switching it to this lab if needed). */
  static createOrShow(extensionUri: vscode.Uri, labDir: string, options: DashboardPanelOptions = {}): DashboardPanel {
    const column = options.viewColumn ?? vscode.ViewColumn.Beside;
    const existing = DashboardPanel.forLab(labDir) ?? DashboardPanel.last;
    if (existing) {
      if (!samePath(existing.labDir, labDir)) existing.showLab(labDir, options.manifest);
      existing.panel.reveal(column, options.preserveFocus ?? false);
      DashboardPanel.last = existing;
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      TEXT.title,
      { viewColumn: column, preserveFocus: options.preserveFocus ?? false },
      dashboardWebviewOptions(extensionUri),
    );
    return new DashboardPanel(panel, extensionUri, labDir, options);
  }

  /**
   * Takes over a panel VS Code restored after a window reload. The lab folder comes from the
   * webview's saved state; returns undefined (and closes the panel) when it is no longer a lab.
   */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown, options: DashboardPanelOptions = {}): DashboardPanel | undefined {
    const parsed = DashboardViewState.safeParse(state);
    const folder = parsed.success ? parsed.data.folder : undefined;
    if (!folder || !path.isAbsolute(folder) || !fs.existsSync(path.join(folder, MANIFEST_FILE))) {
      options.log?.(TEXT.labGone(folder ?? '(unknown folder)'));
      panel.dispose();
      return undefined;
    }
    return new DashboardPanel(panel, extensionUri, folder, options);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    labDir: string,
    options: DashboardPanelOptions,
  ) {
    this.log = options.log ?? ((m) => console.warn(m));
    const effects: DashboardEffects = {
      post: (message) => {
        this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.log(`dashboard: could not post to the webview: ${String(err)}`));
      },
      saveFile: (kind, name, bytes) => this.saveFile(kind, name, bytes),
      openLocation: (file, span) => this.openLocation(file, span),
      applyBest: (best, studyId) => this.applyBest(best, studyId),
      openRunCode: (file, previous, title) => this.openRunCode(file, previous, title),
      log: (message) => this.log(message),
    };
    this.controller = new DashboardController(labDir, effects, { manifest: options.manifest });
    panel.webview.options = dashboardWebviewOptions(extensionUri);
    panel.title = TEXT.titleFor(this.controller.labId);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.controller.receive(message)),
      panel.onDidChangeViewState((e) => {
        // A hidden webview is unloaded; it asks for a fresh snapshot when shown again.
        if (!e.webviewPanel.visible) this.controller.webviewUnloaded();
        else DashboardPanel.last = this;
      }),
    );
    DashboardPanel.panels.add(this);
    DashboardPanel.last = this;
  }

  get labDir(): string {
    return this.controller.labDir;
  }

  /** Switches this panel to another lab folder. */
  showLab(labDir: string, manifest?: LabManifest): void {
    this.controller.setLab(labDir, manifest);
    this.panel.title = TEXT.titleFor(this.controller.labId);
  }

  // ── what the extension calls while a run streams ───────────────────────────────────────────

  /** A run's folder exists (LabRunEvents.onCreated). */
  runStarted(record: RunRecord): void {
    this.controller.runStarted(record);
  }

  /** The runner reported its backend (onReady) or effective hyperparameters and epochs (onStarted). */
  runUpdated(runId: string, patch: Parameters<DashboardController['runUpdated']>[1]): void {
    this.controller.runUpdated(runId, patch);
  }

  /** One finished epoch (onEpoch); batched before it reaches the webview. */
  epoch(runId: string, epoch: EpochRecord): void {
    this.controller.epoch(runId, epoch);
  }

  /** The run ended and was graded (LabRunResult.record and .grade). */
  runFinished(record: RunRecord, grade?: GradeReport): void {
    this.controller.runFinished(record, grade);
  }

  /** Re-reads every run and study from disk (e.g. after runs were deleted or written by the CLI). */
  refresh(): void {
    this.controller.refresh();
  }

  /** A study of the lab changed (e.g. a trial started or finished): re-reads its files. */
  studyChanged(studyId: string): void {
    this.controller.studyChanged(studyId);
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  reveal(preserveFocus = true): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    DashboardPanel.panels.delete(this);
    if (DashboardPanel.last === this) DashboardPanel.last = [...DashboardPanel.panels].pop();
    this.controller.dispose();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  // ── effects ─────────────────────────────────────────────────────────────────────────────────

  private html(): string {
    return dashboardHtml(webviewPage(this.panel.webview, this.extensionUri, 'dashboard', TEXT.title));
  }

  private async saveFile(kind: 'png' | 'csv', name: string, bytes: Uint8Array): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.labDir, name)),
      filters: kind === 'png' ? { [TEXT.png]: ['png'] } : { [TEXT.csv]: ['csv'] },
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (err) {
      void vscode.window.showErrorMessage(TEXT.saveFailed(path.basename(target.fsPath), (err as Error).message));
      return;
    }
    const choice = await vscode.window.showInformationMessage(TEXT.saved(path.basename(target.fsPath)), TEXT.open);
    if (choice === TEXT.open) await vscode.commands.executeCommand('vscode.open', target);
  }

  private async applyBest(best: BestTrial, studyId: string): Promise<void> {
    try {
      // The extension's folder is the install root (as for every command that opens a lab).
      await applyBest(openLab(this.labDir, this.extensionUri.fsPath), best);
    } catch (err) {
      void vscode.window.showErrorMessage(TEXT.applyFailed(studyId, (err as Error).message));
      throw err;
    }
  }

  /** A run's code opens beside the dashboard, as a diff with the previous run's when asked. */
  private async openRunCode(file: string, previous: string | undefined, title: string): Promise<void> {
    const options: vscode.TextDocumentShowOptions = { viewColumn: vscode.ViewColumn.One, preview: true };
    if (previous) await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(previous), vscode.Uri.file(file), title, options);
    else await vscode.window.showTextDocument(vscode.Uri.file(file), options);
  }

  private async openLocation(file: string, span: SourceSpan): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const range = new vscode.Range(span.line - 1, span.column - 1, span.endLine - 1, span.endColumn - 1);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range, preview: false });
  }
}
