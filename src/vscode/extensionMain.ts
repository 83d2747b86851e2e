// The extension's implementation, bundled apart (dist/extensionMain.js) and loaded by the
// activation entry (extension.ts) on first use: a command, the Labs view, a restored panel, or the
// restore that follows activation. The entry owns what VS Code needs at activation and hands it in.
import * as path from 'path';
import * as vscode from 'vscode';
import { readStudySpec, type StudySpec } from '../core/tuner';
import { labProgress } from '../core/run/labProgress';
import { RunStore } from '../core/run/store';
import { runVerdict } from '../core/run/verdict';
import { gradeRecord } from '../core/run/labRun';
import { refreshLabTypes } from '../core/lab/editorTypes';
import { installPaths } from '../core/files/paths';
import { DashboardPanel } from './dashboardPanel';
import { openPlayground, PlaygroundPanel } from './playgroundPanel';
import { COMMAND, type CommandId } from './commands';
import { GradeDiagnostics } from './gradeDiagnostics';
import { currentLabFolder, findLabFolders, labFolderOf } from './labFolders';
import { LabRunner, TEXT } from './labRunner';
import { LabsView } from './labsView';
import { LabTests } from './labTests';
import { installNativeBackendCommand, nativeBackendDir, NativeBackendOffer } from './nativeBackend';
import { resetFile } from './resetFile';
import { openLabFiles, PENDING_OPEN_KEY, startLab } from './startLab';
import { announceRun, type Announcement } from './runAnnouncement';
import { RunContext } from './runContext';
import { RunStatusBar } from './statusBar';
import { takeQuiz } from './quizCommand';
import { tuneStudy } from './tuneStudy';

const TEXT_MAIN = {
  noRuns: vscode.l10n.t('This lab has no runs yet: run it first.'),
  runLab: vscode.l10n.t('Run Lab'),
  graded: (lab: string, run: string, verdict: string) => vscode.l10n.t('{0}, graded from the recorded run {1}: {2}.', lab, run, verdict),
  unverified: (lab: string, run: string, why: string) =>
    vscode.l10n.t('The latest run of {0} ({1}) cannot be graded: its record does not verify ({2}). Run the lab again to get a grade.', lab, run, why),
  noHintNeeded: vscode.l10n.t('Every check of the latest run passed: no hint needed.'),
  runFirst: vscode.l10n.t('Run the lab first: hints come with the grade.'),
  whichCheck: vscode.l10n.t('Which check?'),
  hint: (check: string, hint: string) => vscode.l10n.t('{0}: {1}', check, hint),
  measured: (v: string) => vscode.l10n.t('Measured: {0}', v),
  bar: (v: string) => vscode.l10n.t('Bar: {0}', v),
  badSpec: (file: string, why: string) => vscode.l10n.t('{0}: {1}', file, why),
};

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

// VS Code passes a command whatever its caller gave (its API types them `any[]`), so each handler
// checks its own arguments.
type CommandHandler = (...args: Parameters<Parameters<typeof vscode.commands.registerCommand>[1]>) => unknown;

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

  const commands = {
    // (labId, targetDir, { openFiles: false }) from the playground's export, which opens the file itself.
    [COMMAND.startLab]: async (labId?: string, targetDir?: string, options?: { openFiles?: boolean }) => {
      const dir = await startLab(context, installRoot, typeof labId === 'string' ? labId : undefined, typeof targetDir === 'string' ? targetDir : undefined, {
        openFiles: options?.openFiles !== false,
      });
      if (dir) {
        labsView.refresh();
        void tests.refresh();
      }
      return dir;
    },
    [COMMAND.run]: async (target?: vscode.Uri | string) => {
      const labDir = await labDirFrom(target);
      if (!labDir) return void vscode.window.showInformationMessage(TEXT.notALab);
      await vscode.workspace.saveAll(false);
      return runner.run(labDir);
    },
    [COMMAND.stop]: async (target?: vscode.Uri | string) => {
      const labDir = typeof target === 'string' || target instanceof vscode.Uri ? await labDirFrom(target) : undefined;
      return runner.stop(labDir);
    },
    [COMMAND.grade]: async (target?: vscode.Uri | string) => {
      const labDir = await labDirFrom(target);
      if (!labDir) return void vscode.window.showInformationMessage(TEXT.notALab);
      const lab = runner.open(labDir);
      if (!lab) return undefined;
      const store = new RunStore(labDir);
      store.recoverInterrupted();
      const latest = store.latest();
      const read = latest ? store.read(latest.id) : undefined;
      if (!read)
        return void vscode.window
          .showInformationMessage(TEXT_MAIN.noRuns, TEXT_MAIN.runLab)
          .then((c) => c && vscode.commands.executeCommand(COMMAND.run, labDir));
      if (!read.verified) {
        return void vscode.window
          .showWarningMessage(TEXT_MAIN.unverified(lab.manifest.title, read.record.id, read.unverified ?? ''), TEXT_MAIN.runLab)
          .then((c) => c && vscode.commands.executeCommand(COMMAND.run, labDir));
      }
      const grade = gradeRecord(lab, read.record, read.epochs, 'recorded');
      diagnostics.show(labDir, grade, lab.manifest.files[0]);
      void vscode.window.showInformationMessage(TEXT_MAIN.graded(lab.manifest.title, read.record.id, runVerdict(read.record, grade).text));
      return grade;
    },
    // Also opened from a lab's instructions with { preset: 'l1-sparsity' }.
    [COMMAND.openPlayground]: (args?: unknown) => openPlayground(context, args, playgroundOptions),
    [COMMAND.openDashboard]: async (target?: vscode.Uri | string) => {
      const labDir = await labDirFrom(target);
      if (!labDir) return void vscode.window.showInformationMessage(TEXT.notALab);
      dashboardFor(labDir, 'always');
    },
    [COMMAND.showHint]: async (labDirArg?: string, checkId?: string) => {
      const labDir = labDirArg ?? (await currentLabFolder());
      if (!labDir) return void vscode.window.showInformationMessage(TEXT.notALab);
      const grade = labProgress(labDir).grade;
      const failed = grade?.results.filter((r) => r.status === 'fail' && r.hint) ?? [];
      if (failed.length === 0) return void vscode.window.showInformationMessage(grade ? TEXT_MAIN.noHintNeeded : TEXT_MAIN.runFirst);
      const result =
        failed.find((r) => r.id === checkId) ??
        (failed.length === 1
          ? failed[0]
          : (
              await vscode.window.showQuickPick(
                failed.map((r) => ({ label: r.title, detail: r.message, result: r })),
                { placeHolder: TEXT_MAIN.whichCheck },
              )
            )?.result);
      if (!result) return undefined;
      const detail = [result.message, result.measured !== undefined ? TEXT_MAIN.measured(result.measured) : '', result.bar ? TEXT_MAIN.bar(result.bar) : '']
        .filter(Boolean)
        .join('\n');
      void vscode.window.showInformationMessage(TEXT_MAIN.hint(result.title, result.hint ?? ''), { modal: true, detail });
      return result.hint;
    },
    [COMMAND.resetFile]: async (target?: vscode.Uri) => {
      const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
      const labDir = labFolderOf(uri);
      if (!uri || !labDir) return void vscode.window.showInformationMessage(TEXT.notALab);
      return resetFile(installRoot, labDir, uri.fsPath);
    },
    [COMMAND.openInstructions]: async (target?: vscode.Uri | string) => {
      const labDir = await labDirFrom(target);
      if (!labDir) return undefined;
      const lab = runner.open(labDir);
      if (lab) await openLabFiles(lab, labDir);
      return labDir;
    },
    // Called with { specFile } (e.g. from a lab's instructions or a test), it skips the study picker.
    [COMMAND.tune]: async (target?: vscode.Uri | string, args?: { specFile?: string }) => {
      const labDir = await labDirFrom(target);
      if (!labDir) return void vscode.window.showInformationMessage(TEXT.notALab);
      if (!runner.ensureTrusted()) return undefined;
      const lab = runner.open(labDir);
      if (!lab) return undefined;
      let choice: { spec: StudySpec } | undefined;
      if (args?.specFile) {
        const result = readStudySpec(path.resolve(labDir, args.specFile));
        if (!result.ok) return void vscode.window.showErrorMessage(TEXT_MAIN.badSpec(args.specFile, result.errors.join('; ')));
        choice = { spec: result.spec };
      }
      const best = await tuneStudy(lab, installRoot, output, choice);
      labsView.refresh();
      return best;
    },
    // Also opened from a lab's instructions with a quiz id, e.g. command:mllabs.takeQuiz?%5B%22art-of-ml%22%5D.
    [COMMAND.takeQuiz]: (quizId?: unknown) =>
      takeQuiz(installRoot, context.globalStorageUri.fsPath, quizId, (m) => output.appendLine(`knowledge checks: ${m}`)),
    [COMMAND.refreshLabs]: () => {
      labsView.refresh();
      return tests.refresh();
    },
    // Also run from the status bar offer with { fromOffer: true }.
    [COMMAND.installNativeBackend]: (args?: unknown) => installNativeBackendCommand(context, output, nativeOffer, args),
  } satisfies Record<CommandId, CommandHandler>;

  async function restore(): Promise<void> {
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

  return {
    api: { runner, tests, diagnostics, runContext, onDidAnnounce: announced.event },
    labsView,
    commands,
    reviveDashboard: (panel, state) => void DashboardPanel.revive(panel, context.extensionUri, state, dashboardOptions),
    revivePlayground: (panel, state) => void PlaygroundPanel.revive(panel, context, state, playgroundOptions),
    restore,
  };
}

async function labDirFrom(target: vscode.Uri | string | undefined): Promise<string | undefined> {
  if (typeof target === 'string') return target;
  if (target instanceof vscode.Uri) return labFolderOf(target);
  return currentLabFolder();
}
