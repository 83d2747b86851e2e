// The playground webview panel: one panel at a time, owning its disposables. It supplies VS Code's
// effects (post, export into a file) to PlaygroundHost, which does the rest and is tested without
// VS Code. The webview is not kept alive while hidden: training pauses, and when shown again the
// page reloads, says `ready` and gets a snapshot. After a window reload the serializer restores the
// panel from the settings the webview saved.
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMAND } from './commands';
import { resolveConfig, type PlaygroundConfig } from '../core/playground/config';
import { EXPORT_BEGIN, EXPORT_END } from '../core/playground/exportCode';
import { findPreset, PRESET_IDS } from '../core/playground/presets';
import { findLab, loadCatalog, MANIFEST_FILE, readManifest } from '../core/lab/catalog';
import { labProgress } from '../core/run/labProgress';
import { installPaths } from '../core/files/paths';
import { describeNetwork, exportOptions, lineCount, planExport, type ExportCandidate, type ExportOption } from '../core/playground/exportEdit';
import { PlaygroundHost } from '../core/playground/host';
import { playgroundHtml } from '../core/playground/html';
import { OpenPlaygroundArgs, parseViewState, type Engine, type Speed } from '../core/playground/protocol';
import { findLabFolders, labFolderOf } from './labFolders';
import { readManifestId } from './labIds';
import { webviewPage } from './webviewPage';

export const PLAYGROUND_VIEW_TYPE = 'mllabs.playground';

const TEXT = {
  title: vscode.l10n.t('ML Labs Playground'),
  badArgs: (why: string) =>
    vscode.l10n.t('ML Labs: Open Playground was given arguments it does not understand ({0}). Expected e.g. {1}.', why, '{ "preset": "l1-sparsity" }'),
  unknownPreset: (id: string) => vscode.l10n.t('ML Labs has no playground preset "{0}". Known presets: {1}.', id, PRESET_IDS.join(', ')),
  exportTitle: vscode.l10n.t('Export the network to code'),
  pickLab: vscode.l10n.t('Which lab should the network go into?'),
  startAndExport: (lab: string) => vscode.l10n.t('Start "{0}" and write the network into it', lab),
  presetLab: vscode.l10n.t("this preset's lab"),
  passed: vscode.l10n.t('passed'),
  anotherFile: vscode.l10n.t('Another file…'),
  newFile: vscode.l10n.t('New untitled file'),
  exportHere: vscode.l10n.t('Export Here'),
  aNewFile: vscode.l10n.t('a new file'),
  noFeatures: vscode.l10n.t('select at least one input feature first'),
  editRefused: (name: string) => vscode.l10n.t('VS Code did not apply the edit to {0}', name),
  passedTitle: (lab: string) => vscode.l10n.t('You have passed "{0}". Write the playground\'s network into its code anyway?', lab),
  passedDetail: (file: string) =>
    vscode.l10n.t(
      'The export adds a block of code to {0}, which then no longer is the code that passed (each run keeps its code in .mllabs/runs/<run>/source/). Nothing is saved: Undo takes it out again.',
      file,
    ),
  writeAnyway: vscode.l10n.t('Write Anyway'),
  exported: (name: string, lines: number, replaced: boolean, fn: string, network: string) =>
    replaced
      ? vscode.l10n.t('Replaced the earlier export in {0} with {1} lines: {2}() builds the network {3}. The file is not saved yet.', name, lines, fn, network)
      : vscode.l10n.t('Wrote {1} lines into {0}: {2}() builds the network {3}. The file is not saved yet.', name, lines, fn, network),
  undo: vscode.l10n.t('Undo'),
  undoStale: (name: string) => vscode.l10n.t('{0} changed since the export: use Undo in the editor instead.', name),
};

export interface PlaygroundPanelOptions {
  /** Where dropped messages and failures are reported (e.g. the extension's output channel). */
  log?: (message: string) => void;
  viewColumn?: vscode.ViewColumn;
}

/** Scripts on; local files only from the bundled front end and the media folder. */
export function playgroundWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'media'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

interface StartSettings {
  config: Partial<PlaygroundConfig>;
  presetId: string | null;
  engine?: Engine;
}

export class PlaygroundPanel {
  private static instance: PlaygroundPanel | undefined;

  private readonly host: PlaygroundHost;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log: (message: string) => void;
  private disposed = false;

  static get current(): PlaygroundPanel | undefined {
    return PlaygroundPanel.instance;
  }

  /** Shows the playground; an open one is revealed and given the arguments (a preset, settings, an engine). */
  static createOrShow(context: vscode.ExtensionContext, args: OpenPlaygroundArgs, options: PlaygroundPanelOptions = {}): PlaygroundPanel {
    const existing = PlaygroundPanel.instance;
    if (existing) {
      existing.apply(args);
      existing.panel.reveal(options.viewColumn ?? existing.panel.viewColumn);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PLAYGROUND_VIEW_TYPE,
      TEXT.title,
      options.viewColumn ?? vscode.ViewColumn.Beside,
      playgroundWebviewOptions(context.extensionUri),
    );
    const preset = args.preset ? findPreset(args.preset) : undefined;
    return new PlaygroundPanel(
      panel,
      context,
      { config: { ...(preset?.config ?? {}), ...(args.config ?? {}) }, presetId: preset?.id ?? null, engine: args.engine },
      options,
    );
  }

  /** Takes over a panel VS Code restored after a window reload, with the settings the webview saved. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown, options: PlaygroundPanelOptions = {}): PlaygroundPanel {
    PlaygroundPanel.instance?.dispose();
    const saved = parseViewState(state);
    if (state !== undefined && !saved) options.log?.('playground: the saved settings were not readable; starting from the defaults');
    return new PlaygroundPanel(
      panel,
      context,
      { config: saved?.config ?? {}, presetId: saved?.presetId ?? null, engine: saved?.engine },
      options,
      saved?.speed,
    );
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    start: StartSettings,
    options: PlaygroundPanelOptions,
    speed?: Speed,
  ) {
    this.log = options.log ?? ((m) => console.warn(m));
    this.host = new PlaygroundHost(
      {
        post: (message) => {
          this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.log(`playground: could not post to the webview: ${String(err)}`));
        },
        exportModel: (config, presetId) => this.exportModel(config, presetId),
        log: (message) => this.log(message),
      },
      {
        childScript: path.join(context.extensionPath, 'dist', 'playground.js'),
        config: start.config,
        presetId: start.presetId,
        ...(start.engine ? { engine: start.engine } : {}),
        ...(speed !== undefined ? { speed } : {}),
      },
    );
    panel.webview.options = playgroundWebviewOptions(context.extensionUri);
    panel.title = TEXT.title;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icons', 'mllabs.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.host.receive(message)),
      // A hidden webview is unloaded; training pauses and resumes when it is shown again.
      panel.onDidChangeViewState((e) => this.host.setVisible(e.webviewPanel.visible)),
    );
    PlaygroundPanel.instance = this;
    // The trainer starts (about a second) while the page loads.
    this.host.start();
  }

  /** The settings the learner sees now (for tests and for commands that return them). */
  get config(): PlaygroundConfig {
    return this.host.config;
  }

  apply(args: OpenPlaygroundArgs): void {
    if (args.preset) this.host.applyPreset(args.preset);
    if (args.config) this.host.change(args.config);
    if (args.engine) this.host.setEngine(args.engine);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (PlaygroundPanel.instance === this) PlaygroundPanel.instance = undefined;
    this.host.dispose();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private html(): string {
    return playgroundHtml(webviewPage(this.panel.webview, this.context.extensionUri, 'playground', TEXT.title));
  }

  // ── export to code ────────────────────────────────────────────────────────────────────────────

  /**
   * Writes the network into the lab the learner picks (never one chosen for them), after a modal
   * confirmation when that lab has passed; says in a notification what it wrote and where.
   */
  private async exportModel(config: PlaygroundConfig, presetId: string | null): Promise<string | undefined> {
    if (config.features.length === 0) throw new Error(TEXT.noFeatures);
    const target = await this.pickTarget(presetId);
    if (!target) return undefined;
    if (target !== 'untitled' && target.passed && !(await confirmPassed(target))) return undefined;
    const uri = target === 'untitled' ? undefined : target.uri;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : await vscode.workspace.openTextDocument({ language: 'typescript', content: '' });
    // No await between reading the text and applying the edit: the learner's typing cannot slip in.
    const before = doc.getText();
    const plan = planExport(before, config);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(plan.edit.start), doc.positionAt(plan.edit.end)), plan.edit.text);
    const name = doc.isUntitled ? TEXT.aNewFile : vscode.workspace.asRelativePath(doc.uri);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(TEXT.editRefused(name));
    const written = { start: plan.edit.start, text: plan.edit.text, old: before.slice(plan.edit.start, plan.edit.end), version: doc.version };
    // Beside the playground, never over it (that would hide it and pause training).
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const column = shown?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, preserveFocus: true });
    const at = doc.positionAt(Math.max(0, doc.getText().indexOf(EXPORT_BEGIN)));
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.AtTop);
    const lines = lineCount(plan.text.slice(plan.text.indexOf(EXPORT_BEGIN), plan.text.indexOf(EXPORT_END) + EXPORT_END.length));
    const said = TEXT.exported(name, lines, plan.replaced, plan.functionName, describeNetwork(config));
    // Said where VS Code says things (the webview repeats it for its own screen reader users).
    void vscode.window.showInformationMessage(said, TEXT.undo).then(async (choice) => {
      if (choice !== TEXT.undo) return;
      // Only the exact text written, and only if the file has not changed since.
      if (doc.isClosed || doc.version !== written.version) return void vscode.window.showWarningMessage(TEXT.undoStale(name));
      const undo = new vscode.WorkspaceEdit();
      undo.replace(doc.uri, new vscode.Range(doc.positionAt(written.start), doc.positionAt(written.start + written.text.length)), written.old);
      await vscode.workspace.applyEdit(undo);
    });
    return said;
  }

  /** Asks which lab the network goes into: the preset's own lab first (starting it if it has no folder yet). */
  private async pickTarget(presetId: string | null): Promise<ExportTarget | 'untitled' | undefined> {
    const catalog = loadCatalog(installPaths(this.context.extensionPath).templatesDir);
    const candidates: ExportCandidate[] = [];
    for (const dir of await findLabFolders()) {
      const read = readManifest(path.join(dir, MANIFEST_FILE));
      if (!read.ok) continue;
      const passed = labProgress(dir).everPassed;
      for (const f of read.manifest.files) candidates.push({ file: path.join(dir, f), labDir: dir, labId: read.manifest.id, passed });
    }
    const presetLab = presetId ? findPreset(presetId)?.lab : undefined;
    const titleOf = (id: string) => findLab(catalog, id)?.manifest.title ?? id;
    const options = exportOptions(candidates, { presetLab, canStart: (id) => !!findLab(catalog, id) });
    type Item = vscode.QuickPickItem & { target: ExportOption | 'untitled' | 'browse' };
    const items: Item[] = options.map((o) =>
      o.kind === 'start'
        ? { label: `$(add) ${TEXT.startAndExport(titleOf(o.labId))}`, description: TEXT.presetLab, target: o }
        : {
            label: `${o.candidate.passed ? '$(pass-filled)' : '$(file-code)'} ${titleOf(o.candidate.labId)}`,
            description: [path.basename(o.candidate.file), o.ofPreset ? TEXT.presetLab : '', o.candidate.passed ? TEXT.passed : ''].filter(Boolean).join(' · '),
            detail: vscode.workspace.asRelativePath(o.candidate.file),
            target: o,
          },
    );
    items.push({ label: `$(folder-opened) ${TEXT.anotherFile}`, target: 'browse' }, { label: `$(new-file) ${TEXT.newFile}`, target: 'untitled' });
    const picked = await vscode.window.showQuickPick(items, { title: TEXT.exportTitle, placeHolder: TEXT.pickLab, ignoreFocusOut: true });
    if (!picked) return undefined;
    const t = picked.target;
    if (t === 'untitled') return 'untitled';
    if (t === 'browse') {
      const files = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { TypeScript: ['ts'], JavaScript: ['js'] },
        openLabel: TEXT.exportHere,
      });
      if (!files?.[0]) return undefined;
      const labDir = labFolderOf(files[0]);
      return { uri: files[0], passed: !!labDir && labProgress(labDir).everPassed, labTitle: labDir ? titleOf(readManifestId(labDir) ?? '') : undefined };
    }
    if (t.kind === 'file') return { uri: vscode.Uri.file(t.candidate.file), passed: !!t.candidate.passed, labTitle: titleOf(t.candidate.labId) };
    // Start the preset's lab (its folder is asked for as for Start Lab), then write into its entry file.
    const dir = await vscode.commands.executeCommand<string | undefined>(COMMAND.startLab, t.labId, undefined, { openFiles: false });
    const lab = findLab(catalog, t.labId);
    if (!dir || !lab) return undefined;
    return { uri: vscode.Uri.file(path.join(dir, lab.manifest.files[0])), passed: false, labTitle: lab.manifest.title };
  }
}

interface ExportTarget {
  uri: vscode.Uri;
  passed: boolean;
  labTitle?: string;
}

/** A lab that passed keeps its passing code unless the learner says otherwise. */
async function confirmPassed(target: ExportTarget): Promise<boolean> {
  const name = vscode.workspace.asRelativePath(target.uri);
  const choice = await vscode.window.showWarningMessage(
    TEXT.passedTitle(target.labTitle ?? name),
    { modal: true, detail: TEXT.passedDetail(name) },
    TEXT.writeAnyway,
  );
  return choice === TEXT.writeAnyway;
}

/**
 * Opens the playground (`mllabs.openPlayground`). `args` may come from a lab's instructions, so it
 * is validated: e.g. `{ preset: 'l1-sparsity' }`, `{ config: { dataset: 'spiral' } }`, `{ engine: 'tfjs' }`.
 * Resolves with the settings the panel starts from, undefined when the arguments were refused.
 */
export async function openPlayground(
  context: vscode.ExtensionContext,
  args: unknown,
  options: PlaygroundPanelOptions = {},
): Promise<PlaygroundConfig | undefined> {
  const parsed = OpenPlaygroundArgs.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    void vscode.window.showErrorMessage(TEXT.badArgs(`${issue?.path.map(String).join('.') || 'arguments'}: ${issue?.message ?? 'invalid'}`));
    return undefined;
  }
  const a = parsed.data;
  if (a.preset && !findPreset(a.preset)) {
    void vscode.window.showErrorMessage(TEXT.unknownPreset(a.preset));
    return undefined;
  }
  const panel = PlaygroundPanel.createOrShow(context, a, options);
  const preset = a.preset ? findPreset(a.preset) : undefined;
  return preset || a.config ? resolveConfig({ ...(preset ? preset.config : panel.config), ...(a.config ?? {}) }) : panel.config;
}
