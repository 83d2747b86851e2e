// Activation entry: registers what VS Code needs at activation (commands, the Labs view, code
// actions, webview serializers, the test controller) and loads the implementation, a second bundle
// (extensionMain.ts → dist/extensionMain.js), on first use. Evaluating that bundle (zod schemas,
// tuner, dashboard…) costs most of the activation time, so this module imports nothing from it
// but types; every registration goes into context.subscriptions.
import * as vscode from 'vscode';
import type { DASHBOARD_VIEW_TYPE } from './dashboardPanel';
import { COMMAND_IDS } from './commands';
import type { ExtensionMain, MlLabsApi } from './extensionMain';
import { HintActions } from './hintActions';
import { findLabFolders, labFolderOf } from './labFolders';
import type { LabsView } from './labsView';
import type { PLAYGROUND_VIEW_TYPE } from './playgroundPanel';

export type { MlLabsApi } from './extensionMain';

type LabsNode = Parameters<LabsView['getTreeItem']>[0];

const DASHBOARD: typeof DASHBOARD_VIEW_TYPE = 'mllabs.dashboard';
const PLAYGROUND: typeof PLAYGROUND_VIEW_TYPE = 'mllabs.playground';

export function activate(context: vscode.ExtensionContext): MlLabsApi {
  const output = vscode.window.createOutputChannel('ML Labs');
  const testController = vscode.tests.createTestController('mllabs', 'ML Labs');
  const labsChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(output, testController, labsChanged);

  let main: ExtensionMain | undefined;
  const load = (): ExtensionMain => {
    if (!main) {
      // Left external by esbuild.js: resolves to dist/extensionMain.js next to this bundle.
      const { createMain } = require('./extensionMain') as typeof import('./extensionMain');
      main = createMain(context, { output, testController });
      context.subscriptions.push(main.labsView.onDidChangeTreeData(() => labsChanged.fire()));
    }
    return main;
  };

  for (const id of COMMAND_IDS) context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => load().commands[id](...args)));

  testController.resolveHandler = () => load().api.tests.refresh();
  testController.refreshHandler = () => load().api.tests.refresh();
  // Run: train and grade (continuously: again on every save). Debug: the learner's code under the debugger.
  testController.createRunProfile(
    vscode.l10n.t('Run and grade'),
    vscode.TestRunProfileKind.Run,
    (request, token) => load().api.tests.runTests(request, token, 'run'),
    true,
    undefined,
    true,
  );
  testController.createRunProfile(
    vscode.l10n.t('Debug'),
    vscode.TestRunProfileKind.Debug,
    (request, token) => load().api.tests.runTests(request, token, 'debug'),
    true,
  );

  // The view's nodes come from the implementation, so it answers every call once loaded.
  const labsView: vscode.TreeDataProvider<LabsNode> = {
    onDidChangeTreeData: labsChanged.event,
    getChildren: (node) => load().labsView.getChildren(node),
    getTreeItem: (node) => load().labsView.getTreeItem(node),
  };

  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('mllabs.labs', labsView),
    // Needs no implementation until an ML Labs diagnostic exists.
    vscode.languages.registerCodeActionsProvider({ scheme: 'file', language: 'typescript' }, new HintActions(), { providedCodeActionKinds: HintActions.kinds }),
    // Restore panels after a window reload; "onWebviewPanel:…" activation events bring us here for them.
    vscode.window.registerWebviewPanelSerializer(DASHBOARD, { deserializeWebviewPanel: async (panel, state) => load().reviveDashboard(panel, state) }),
    vscode.window.registerWebviewPanelSerializer(PLAYGROUND, { deserializeWebviewPanel: async (panel, state) => load().revivePlayground(panel, state) }),
    vscode.window.onDidChangeActiveTextEditor((editor) => updateEditorContext(editor)),
  );
  updateEditorContext(vscode.window.activeTextEditor);

  // The restore needs the implementation: load it right after activation, not during it.
  const restoring = setImmediate(() => void load().restore());
  context.subscriptions.push({ dispose: () => clearImmediate(restoring) });

  // Tests and other extensions reach the implementation through these; the first access loads it.
  return {
    get runner() {
      return load().api.runner;
    },
    get tests() {
      return load().api.tests;
    },
    get diagnostics() {
      return load().api.diagnostics;
    },
    get runContext() {
      return load().api.runContext;
    },
    get onDidAnnounce() {
      return load().api.onDidAnnounce;
    },
  };
}

function updateEditorContext(editor: vscode.TextEditor | undefined): void {
  const labDir = labFolderOf(editor?.document.uri);
  void vscode.commands.executeCommand('setContext', 'mllabs.isLabFile', !!labDir && /\.tsx?$/.test(editor?.document.uri.fsPath ?? ''));
  if (labDir) {
    void vscode.commands.executeCommand('setContext', 'mllabs.inLab', true);
    return;
  }
  // Focus on the instructions' preview, or on another file: the lab commands still find the lab
  // (the only one, or the one the user picks), so they stay in the palette while the workspace has one.
  void findLabFolders().then((dirs) => vscode.commands.executeCommand('setContext', 'mllabs.inLab', dirs.length > 0));
}

export function deactivate(): void {
  // Disposables (including running labs) are disposed by VS Code through context.subscriptions.
}
