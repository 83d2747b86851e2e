// The extension's implementation, bundled apart (dist/extensionMain.js) and loaded by the
// activation entry (extension.ts) on first use: a command, the Labs view, a restored panel, or the
// restore that follows activation. The entry owns what VS Code needs at activation and hands it in.
import * as path from 'path';
import * as vscode from 'vscode';
import { labProgress } from '../core/run/labProgress';
import { RunStore } from '../core/run/store';
import { refreshLabTypes } from '../core/lab/editorTypes';
import { installPaths } from '../core/files/paths';
import { DashboardPanel } from './dashboardPanel';
import { PlaygroundPanel } from './playgroundPanel';
import type { CommandId } from './commands';
import { createCommands, type CommandHandler, type MainParts } from './extensionCommands';
import { GradeDiagnostics } from './gradeDiagnostics';
import { findLabFolders } from './labFolders';
import { LabRunner } from './labRunner';
import { LabsView } from './labsView';
import { LabTests } from './labTests';
import { nativeBackendDir, NativeBackendOffer } from './nativeBackend';
import { openLabFiles, PENDING_OPEN_KEY } from './startLab';
import { announceRun, type Announcement } from './runAnnouncement';
import { RunContext } from './runContext';
import { RunStatusBar } from './statusBar';

/** What the entry created at activation. */
export interface MlLabsApi {
  runner: LabRunner;
  tests: LabTests;
  diagnostics: GradeDiagnostics;
  /** The run contexts (`mllabs.running`, `mllabs.labRunning`) as last set. */
  runContext: RunContext;
  /** Fires with what the learner is told when a run ends. */
  onDidAnnounce: vscode.Event<Announcement & { labDir: string }>;
}

export interface Shell {
  output: vscode.OutputChannel;
  testController: vscode.TestController;
}

export interface ExtensionMain {
  api: MlLabsApi;
  labsView: LabsView;
  commands: Record<CommandId, CommandHandler>;
  reviveDashboard(panel: vscode.WebviewPanel, state: unknown): void;
  revivePlayground(panel: vscode.WebviewPanel, state: unknown): void;
  /** Restores what a reload or a crash left: interrupted runs are marked, last grades shown again. */
  restore(): Promise<void>;
}

export function createMain(context: vscode.ExtensionContext, { output, testController }: Shell): ExtensionMain {
  const installRoot = context.extensionPath;
  const runner = new LabRunner(installRoot, output, nativeBackendDir(context));
  const diagnostics = new GradeDiagnostics();
  const tests = new LabTests(runner, testController);
  const labsView = new LabsView(installRoot);
  const statusBar = new RunStatusBar(runner);
  const nativeOffer = new NativeBackendOffer(context, runner);
  // The trainer process ends with its panel; the panel ends with the extension.
  context.subscriptions.push(runner, diagnostics, tests, labsView, statusBar, nativeOffer, { dispose: () => PlaygroundPanel.current?.dispose() });

  const dashboardOptions = { log: (m: string) => output.appendLine(`dashboard: ${m}`) };
  const playgroundOptions = { log: (m: string) => output.appendLine(m) };
  /** `reveal`: 'always' (the Open Dashboard command), 'beside' (a run: never over the code being edited). */
  const dashboardFor = (labDir: string, reveal: 'always' | 'beside') => {
    const existing = DashboardPanel.forLab(labDir);
    if (existing) {
      if (reveal === 'always' || existing.viewColumn !== vscode.window.activeTextEditor?.viewColumn) existing.reveal(true);
      return existing;
    }
    return DashboardPanel.createOrShow(context.extensionUri, labDir, {
      ...dashboardOptions,
      manifest: runner.open(labDir)?.manifest,
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
  };

  const runContext = new RunContext(runner);
  const announced = new vscode.EventEmitter<Announcement & { labDir: string }>();
  context.subscriptions.push(runContext, announced);

  context.subscriptions.push(
    // What the views show while a run streams.
    runner.onDidCreateRun((e) => {
      // Every run brings its dashboard forward (beside the code, keeping the focus in the editor).
      const open = vscode.workspace.getConfiguration('mllabs', vscode.Uri.file(e.labDir)).get<boolean>('autoOpenDashboard', true);
      const panel = open ? dashboardFor(e.labDir, 'beside') : DashboardPanel.forLab(e.labDir);
      panel?.runStarted(e.record);
    }),
    runner.onDidChooseBackend((e) => DashboardPanel.forLab(e.labDir)?.runUpdated(e.runId, { backend: e.ready.backend, backendReason: e.ready.reason })),
    runner.onDidStartTraining((e) =>
      DashboardPanel.forLab(e.labDir)?.runUpdated(e.runId, { hyperparameters: e.started.hyperparameters, epochsPlanned: e.started.epochs }),
    ),
    runner.onDidFinishEpoch((e) =>
      DashboardPanel.forLab(e.labDir)?.epoch(e.runId, { epoch: e.epoch.epoch, elapsedMs: e.epoch.elapsedMs, metrics: e.epoch.metrics }),
    ),
    runner.onDidFinishRun((e) => {
      diagnostics.show(e.labDir, e.result.grade, e.lab.manifest.files[0]);
      DashboardPanel.forLab(e.labDir)?.runFinished(e.result.record, e.result.grade);
      labsView.refresh();
      announceRun(e.lab, e.result, output, (a) => announced.fire({ ...a, labDir: e.labDir }));
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => labsView.refresh()),
  );

  const parts: MainParts = { context, installRoot, output, runner, tests, labsView, diagnostics, nativeOffer, dashboardFor, playgroundOptions };
  const commands = createCommands(parts);

  return {
    api: { runner, tests, diagnostics, runContext, onDidAnnounce: announced.event },
    labsView,
    commands,
    reviveDashboard: (panel, state) => void DashboardPanel.revive(panel, context.extensionUri, state, dashboardOptions),
    revivePlayground: (panel, state) => void PlaygroundPanel.revive(panel, context, state, playgroundOptions),
    restore: () => restoreLabs(parts),
  };
}

/** Restores what a reload or a crash left (see ExtensionMain.restore). */
async function restoreLabs({ context, installRoot, output, runner, tests, diagnostics }: MainParts): Promise<void> {
  const pending = context.globalState.get<string>(PENDING_OPEN_KEY);
  if (pending) {
    await context.globalState.update(PENDING_OPEN_KEY, undefined);
    const lab = runner.open(pending);
    if (lab && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(pending))) await openLabFiles(lab, pending);
  }
  for (const dir of await findLabFolders()) {
    new RunStore(dir).recoverInterrupted();
    // TensorFlow.js's declarations in the lab match this installation (after an update, or in a clone
    // without .mllabs/): only in a trusted workspace, since it writes into the folder.
    if (vscode.workspace.isTrusted && runner.open(dir)) {
      try {
        const written = refreshLabTypes(dir, installPaths(installRoot).templatesDir);
        if (written.length > 0) output.appendLine(`${path.basename(dir)}: TypeScript declarations brought up to date (${written.join(', ')})`);
      } catch (err) {
        output.appendLine(`${path.basename(dir)}: TypeScript declarations not refreshed: ${(err as Error).message}`);
      }
    }
    const info = labProgress(dir);
    const lab = runner.open(dir);
    if (info.grade && lab) diagnostics.show(dir, info.grade, lab.manifest.files[0]);
  }
  await tests.refresh();
}
