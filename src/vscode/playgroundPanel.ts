// The playground webview panel: one panel at a time, owning its disposables. It supplies VS Code's
// effects (post, export into a file) to PlaygroundHost, which does the rest and is tested without
// VS Code. The webview is not kept alive while hidden: training pauses, and when shown again the
// page reloads, says `ready` and gets a snapshot. After a window reload the serializer restores the
// panel from the settings the webview saved.
import { randomBytes } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { MANIFEST_FILE, readManifest } from '../core/catalog';
import { resolveConfig, type PlaygroundConfig } from '../core/playground/config';
import { EXPORT_BEGIN } from '../core/playground/exportCode';
import { findPreset, PRESET_IDS } from '../core/playground/presets';
import { chooseExportTarget, planExport, type ExportCandidate } from '../core/playgroundExport';
import { PlaygroundHost } from '../core/playgroundHost';
import { playgroundHtml } from '../core/playgroundHtml';
import { OpenPlaygroundArgs, parseViewState, type Engine, type Speed } from '../core/playgroundProtocol';
import { findLabFolders } from './labFolders';

export const PLAYGROUND_VIEW_TYPE = 'mllabs.playground';
export const OPEN_PLAYGROUND_COMMAND = 'mllabs.openPlayground';

const TEXT = {
  title: 'ML Labs Playground',
  badArgs: (why: string) => `ML Labs: Open Playground was given arguments it does not understand (${why}). Expected e.g. { "preset": "l1-sparsity" }.`,
  unknownPreset: (id: string) => `ML Labs has no playground preset "${id}". Known presets: ${PRESET_IDS.join(', ')}.`,
  pickFile: 'Write the network into which file?',
  anotherFile: 'Another file…',
  newFile: 'New untitled file',
  noFeatures: 'select at least one input feature first',
  editRefused: (name: string) => `VS Code did not apply the edit to ${name}`,
  exported: (name: string, replaced: boolean, fn: string) =>
    `${replaced ? 'Replaced the earlier export in' : 'Exported the network to'} ${name}: ${fn}() builds it with TensorFlow.js (Ctrl+Z in the editor undoes it).`,
};

export interface PlaygroundPanelOptions {
  /** Where dropped messages and failures are reported (e.g. the extension's output channel). */
  log?(message: string): void;
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
    const panel = vscode.window.createWebviewPanel(PLAYGROUND_VIEW_TYPE, TEXT.title, options.viewColumn ?? vscode.ViewColumn.Beside, playgroundWebviewOptions(context.extensionUri));
    const preset = args.preset ? findPreset(args.preset) : undefined;
    return new PlaygroundPanel(panel, context, { config: { ...(preset?.config ?? {}), ...(args.config ?? {}) }, presetId: preset?.id ?? null, engine: args.engine }, options);
  }

  /** Takes over a panel VS Code restored after a window reload, with the settings the webview saved. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown, options: PlaygroundPanelOptions = {}): PlaygroundPanel {
    PlaygroundPanel.instance?.dispose();
    const saved = parseViewState(state);
    if (state !== undefined && !saved) options.log?.('playground: the saved settings were not readable; starting from the defaults');
    return new PlaygroundPanel(panel, context, { config: saved?.config ?? {}, presetId: saved?.presetId ?? null, engine: saved?.engine }, options, saved?.speed);
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
    const webview = this.panel.webview;
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'media', name)).toString();
    return playgroundHtml({
      nonce: randomBytes(18).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: asset('playground.js'),
      styleUri: asset('playground.css'),
      title: TEXT.title,
    });
  }

  // ── export to code ────────────────────────────────────────────────────────────────────────────

  private async exportModel(config: PlaygroundConfig, presetId: string | null): Promise<string | undefined> {
    if (config.features.length === 0) throw new Error(TEXT.noFeatures);
    const target = await this.pickTarget(presetId);
    if (!target) return undefined;
    const doc = target === 'untitled' ? await vscode.workspace.openTextDocument({ language: 'typescript', content: '' }) : await vscode.workspace.openTextDocument(target);
    // No await between reading the text and applying the edit: the learner's typing cannot slip in.
    const plan = planExport(doc.getText(), config);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(plan.edit.start), doc.positionAt(plan.edit.end)), plan.edit.text);
    const name = doc.isUntitled ? 'a new file' : path.basename(doc.uri.fsPath);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(TEXT.editRefused(name));
    // Beside the playground, never over it (that would hide it and pause training).
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const column = shown?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false });
    const at = doc.positionAt(Math.max(0, doc.getText().indexOf(EXPORT_BEGIN)));
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.AtTop);
    return TEXT.exported(name, plan.replaced, plan.functionName);
  }

  /** The learner's lab file to write into; asks when there is more than one sensible answer. */
  private async pickTarget(presetId: string | null): Promise<vscode.Uri | 'untitled' | undefined> {
    const candidates: ExportCandidate[] = [];
    for (const dir of await findLabFolders()) {
      const read = readManifest(path.join(dir, MANIFEST_FILE));
      if (read.ok) for (const f of read.manifest.files) candidates.push({ file: path.join(dir, f), labDir: dir, labId: read.manifest.id });
    }
    // With the panel focused there is no active text editor: a single visible lab file counts too.
    const shown = (vscode.window.activeTextEditor ? [vscode.window.activeTextEditor] : vscode.window.visibleTextEditors)
      .filter((e) => e.document.uri.scheme === 'file')
      .map((e) => e.document.uri.fsPath)
      .filter((f) => candidates.some((c) => path.resolve(c.file) === path.resolve(f)));
    const choice = chooseExportTarget(candidates, {
      activeFile: shown.length === 1 ? shown[0] : undefined,
      presetLab: presetId ? findPreset(presetId)?.lab : undefined,
    });
    if (choice.target) return vscode.Uri.file(choice.target.file);
    type Item = vscode.QuickPickItem & { target: vscode.Uri | 'untitled' | 'browse' };
    const items: Item[] = choice.choices.map((c) => ({
      label: path.basename(c.file),
      description: c.labId,
      detail: vscode.workspace.asRelativePath(c.file),
      target: vscode.Uri.file(c.file),
    }));
    const active = vscode.window.activeTextEditor?.document;
    if (active && !active.isUntitled && /\.(ts|js)$/.test(active.uri.fsPath) && !items.some((i) => i.target instanceof vscode.Uri && i.target.fsPath === active.uri.fsPath)) {
      items.push({ label: path.basename(active.uri.fsPath), description: 'open in the editor', target: active.uri });
    }
    items.push({ label: TEXT.anotherFile, target: 'browse' }, { label: TEXT.newFile, target: 'untitled' });
    const picked = await vscode.window.showQuickPick(items, { placeHolder: TEXT.pickFile });
    if (!picked) return undefined;
    if (picked.target !== 'browse') return picked.target;
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { TypeScript: ['ts'], JavaScript: ['js'] }, openLabel: 'Export here' });
    return files?.[0];
  }
}

/**
 * Opens the playground (`mllabs.openPlayground`). `args` may come from a lab's instructions, so it
 * is validated: e.g. `{ preset: 'l1-sparsity' }`, `{ config: { dataset: 'spiral' } }`, `{ engine: 'tfjs' }`.
 * Resolves with the settings the panel starts from, undefined when the arguments were refused.
 */
export async function openPlayground(context: vscode.ExtensionContext, args: unknown, options: PlaygroundPanelOptions = {}): Promise<PlaygroundConfig | undefined> {
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
