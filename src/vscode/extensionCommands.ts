// The handlers of the extension's commands (contributes.commands), over the parts createMain made.
import * as path from 'path';
import * as vscode from 'vscode';
import { readStudySpec, type StudySpec } from '../core/tuner';
import type { GradeReport } from '../core/grade/report';
import { labProgress } from '../core/run/labProgress';
import { RunStore } from '../core/run/store';
import { runVerdict } from '../core/run/verdict';
import { gradeRecord } from '../core/run/labRun';
import type { DashboardPanel } from './dashboardPanel';
import { openPlayground } from './playgroundPanel';
import { COMMAND, type CommandId } from './commands';
import type { GradeDiagnostics } from './gradeDiagnostics';
import { currentLabFolder, labFolderOf } from './labFolders';
import { TEXT, type LabRunner } from './labRunner';
import type { LabsView } from './labsView';
import type { LabTests } from './labTests';
import { installNativeBackendCommand, type NativeBackendOffer } from './nativeBackend';
import { resetFile } from './resetFile';
import { openLabFiles, startLab } from './startLab';
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

// VS Code passes a command whatever its caller gave (its API types them `any[]`), so each handler
// checks its own arguments.
export type CommandHandler = (...args: Parameters<Parameters<typeof vscode.commands.registerCommand>[1]>) => unknown;

/** The parts of the extension the commands act on, made once by createMain. */
export interface MainParts {
  context: vscode.ExtensionContext;
  installRoot: string;
  output: vscode.OutputChannel;
  runner: LabRunner;
  tests: LabTests;
  labsView: LabsView;
  diagnostics: GradeDiagnostics;
  nativeOffer: NativeBackendOffer;
  /** `reveal`: 'always' (the Open Dashboard command), 'beside' (a run: never over the code being edited). */
  dashboardFor: (labDir: string, reveal: 'always' | 'beside') => DashboardPanel;
  playgroundOptions: { log: (m: string) => void };
}

export function createCommands(parts: MainParts): Record<CommandId, CommandHandler> {
  const { context, installRoot, output, runner, tests, labsView, diagnostics, nativeOffer, dashboardFor, playgroundOptions } = parts;
  return {
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
      return gradeLatestRun(runner, diagnostics, labDir);
    },
    // Also opened from a lab's instructions with { preset: 'l1-sparsity' }.
    [COMMAND.openPlayground]: (args?: unknown) => openPlayground(context, args, playgroundOptions),
    [COMMAND.openDashboard]: async (target?: vscode.Uri | string) => {
      const labDir = await labDirFrom(target);
      if (!labDir) return void vscode.window.showInformationMessage(TEXT.notALab);
      dashboardFor(labDir, 'always');
    },
    [COMMAND.showHint]: showHint,
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
    [COMMAND.tune]: (target?: vscode.Uri | string, args?: { specFile?: string }) => tune(parts, target, args),
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
}

/** Grades the lab's latest run again, if its record verifies; offers to run the lab when it cannot. */
function gradeLatestRun(runner: LabRunner, diagnostics: GradeDiagnostics, labDir: string): GradeReport | undefined {
  const lab = runner.open(labDir);
  if (!lab) return undefined;
  const store = new RunStore(labDir);
  store.recoverInterrupted();
  const latest = store.latest();
  const read = latest ? store.read(latest.id) : undefined;
  if (!read)
    return void vscode.window.showInformationMessage(TEXT_MAIN.noRuns, TEXT_MAIN.runLab).then((c) => c && vscode.commands.executeCommand(COMMAND.run, labDir));
  if (!read.verified) {
    return void vscode.window
      .showWarningMessage(TEXT_MAIN.unverified(lab.manifest.title, read.record.id, read.unverified ?? ''), TEXT_MAIN.runLab)
      .then((c) => c && vscode.commands.executeCommand(COMMAND.run, labDir));
  }
  const grade = gradeRecord(lab, read.record, read.epochs, 'recorded');
  diagnostics.show(labDir, grade, lab.manifest.files[0]);
  void vscode.window.showInformationMessage(TEXT_MAIN.graded(lab.manifest.title, read.record.id, runVerdict(read.record, grade).text));
  return grade;
}

/** The hint of a failed check of the latest grade: `checkId`'s, the only one, or the one the learner picks. */
async function showHint(labDirArg?: string, checkId?: string): Promise<string | undefined> {
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
}

// Called with { specFile } (e.g. from a lab's instructions or a test), it skips the study picker.
async function tune({ installRoot, output, runner, labsView }: MainParts, target?: vscode.Uri | string, args?: { specFile?: string }) {
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
}

async function labDirFrom(target: vscode.Uri | string | undefined): Promise<string | undefined> {
  if (typeof target === 'string') return target;
  if (target instanceof vscode.Uri) return labFolderOf(target);
  return currentLabFolder();
}
