// "ML Labs: Tune Hyperparameters": runs (or resumes) a study of the lab with a progress
// notification that can cancel it, streams its trials to the output channel and the dashboard,
// and offers to write the best hyperparameters into the learner's code.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatSettings } from '../core/format';
import type { BackendChoice } from '../core/lab/manifest';
import type { LabRunOptions, OpenedLab } from '../core/run/labRun';
import { describeObjective, hyperparameterName, STUDY_SPEC_FILES, tuneLab, unknownParameters, type StudyScheduler } from '../core/tuner/labTuning';
import { RunStore } from '../core/run/store';
import { listStudies, readStudySpec, type BestTrial, type StudyEvent, type StudyOutcome, type StudySpec } from '../core/tuner';
import { applyBest } from './applyBest';
import { DashboardPanel } from './dashboardPanel';

const TEXT = {
  newStudy: (file: string) => vscode.l10n.t('New study from {0}', file),
  resume: (id: string) => vscode.l10n.t('Resume study {0}', id),
  trials: (done: number, max: number) => vscode.l10n.t('{0}/{1} trials', done, max),
  best: (objective: string) => vscode.l10n.t('best {0}', objective),
  fromFile: vscode.l10n.t('New study from a spec file…'),
  pickStudy: vscode.l10n.t('Hyperparameter study'),
  specFilter: vscode.l10n.t('Study spec'),
  useSpec: vscode.l10n.t('Use Spec'),
  badSpec: (file: string, errors: string) => vscode.l10n.t('{0} is not a valid study spec:\n{1}', file, errors),
  unknownParams: (tuned: string, read: string) => vscode.l10n.t("The spec tunes {0}, which this lab's code does not read (it reads {1}).", tuned, read),
  tuning: (lab: string) => vscode.l10n.t('ML Labs: tuning {0}', lab),
  progress: (finished: number, max: number) => vscode.l10n.t('{0}/{1} trials', finished, max),
  noTrial: (study: string, reason: string) => vscode.l10n.t('Study {0}: {1}. No trial completed.', study, reason),
  apply: (file: string) => vscode.l10n.t('Apply to {0}', file),
  finished: (study: string, status: string, trial: number, objective: string, values: string) =>
    vscode.l10n.t('Study {0} {1}: the best trial, {2}, reached {3} with {4}.', study, status, trial, objective, values),
};

/** A new study from a spec file, or an unfinished study to resume; undefined if the user stopped. */
async function chooseStudy(lab: OpenedLab): Promise<{ spec?: StudySpec; resume?: string } | undefined> {
  const unfinished = listStudies(lab.labDir).studies.filter(
    (s) => s.trials.filter((t) => t.state === 'completed' || t.state === 'pruned' || t.state === 'failed').length < s.spec.maxTrials,
  );
  const specFile = STUDY_SPEC_FILES.map((f) => path.join(lab.labDir, f)).find((f) => fs.existsSync(f));
  type Item = vscode.QuickPickItem & { resume?: string; file?: string; browse?: boolean };
  const items: Item[] = [];
  if (specFile) items.push({ label: `$(play) ${TEXT.newStudy(path.basename(specFile))}`, file: specFile });
  for (const s of unfinished) {
    const done = s.trials.filter((t) => t.state !== 'running' && t.state !== 'interrupted').length;
    items.push({
      label: `$(debug-continue) ${TEXT.resume(s.id)}`,
      description: `${TEXT.trials(done, s.spec.maxTrials)}${s.best ? `, ${TEXT.best(describeObjective(s.spec, s.best.objective, lab.manifest))}` : ''}`,
      resume: s.id,
    });
  }
  items.push({ label: `$(folder-opened) ${TEXT.fromFile}`, browse: true });
  const pick = items.length === 1 && !specFile ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: TEXT.pickStudy });
  if (!pick) return undefined;
  if (pick.resume) return { resume: pick.resume };
  let file = pick.file;
  if (pick.browse) {
    const chosen = await vscode.window.showOpenDialog({
      defaultUri: vscode.Uri.file(lab.labDir),
      filters: { [TEXT.specFilter]: ['yaml', 'yml', 'json'] },
      openLabel: TEXT.useSpec,
    });
    file = chosen?.[0]?.fsPath;
  }
  if (!file) return undefined;
  const result = readStudySpec(file);
  if (!result.ok) {
    void vscode.window.showErrorMessage(TEXT.badSpec(path.basename(file), result.errors.join('\n')), { modal: true });
    return undefined;
  }
  const unknown = unknownParameters(result.spec, lab.manifest);
  if (unknown.length) {
    void vscode.window.showErrorMessage(TEXT.unknownParams(unknown.join(', '), Object.keys(lab.manifest.hyperparameters).join(', ')));
    return undefined;
  }
  return { spec: result.spec };
}

/**
 * With mllabs.redisUrl set, the study's trials run on the queue's workers (the queue's code is loaded
 * only then). undefined: they run here. Throws with the reason when the queue cannot be used.
 */
async function queueScheduler(
  lab: OpenedLab,
  run: LabRunOptions,
  config: vscode.WorkspaceConfiguration,
  output: vscode.OutputChannel,
): Promise<{ scheduler: StudyScheduler; close(): Promise<void> } | undefined> {
  const url = config.get<string>('redisUrl', '').trim();
  if (!url) return undefined;
  const q = await import('../core/queue');
  const target = q.queueTarget(url, config.get<string>('queueName', q.DEFAULT_QUEUE) || q.DEFAULT_QUEUE);
  const key = q.loadQueueKey({ keyFile: config.get<string>('queueKeyFile', '').trim() || undefined, gradingSecret: process.env.MLLABS_GRADING_SECRET });
  const study = await q.openQueueStudy(lab, run, { target, key, warn: (m) => output.appendLine(`  note: ${m}`) });
  output.appendLine(`  trials run on the workers of queue "${target.queue}" at ${target.shown} (results signed with key ${key.fingerprint})`);
  return study;
}

export async function tuneStudy(
  lab: OpenedLab,
  installRoot: string,
  output: vscode.OutputChannel,
  choice?: { spec?: StudySpec; resume?: string },
): Promise<BestTrial | undefined> {
  const study = choice ?? (await chooseStudy(lab));
  if (!study) return undefined;
  const config = vscode.workspace.getConfiguration('mllabs', vscode.Uri.file(lab.labDir));
  const timeBudget = config.get<number>('timeBudgetSeconds', 0);
  const run: LabRunOptions = {
    installRoot,
    backend: config.get<BackendChoice>('backend', 'auto'),
    timeBudgetMs: timeBudget > 0 ? timeBudget * 1000 : undefined,
    memoryMb: config.get<number>('memoryLimitMb', 2048),
  };
  let queue: Awaited<ReturnType<typeof queueScheduler>>;
  try {
    queue = await queueScheduler(lab, run, config, output);
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('ML Labs: the study cannot use the queue set in mllabs.redisUrl: {0}', (err as Error).message));
    return undefined;
  }
  const store = new RunStore(lab.labDir);
  const panel = () => DashboardPanel.forLab(lab.labDir);
  const controller = new AbortController();

  const tuned = vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: TEXT.tuning(lab.manifest.title), cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      const report = studyReport(lab, study.spec, output, progress, panel);
      const outcome = await tuneLab(lab, {
        spec: study.spec,
        resume: study.resume,
        signal: controller.signal,
        run,
        ...(queue ? { scheduler: queue.scheduler } : {}),
        hooks: {
          onTrialRun: (_trial, runId) => {
            const record = store.list().runs.find((r) => r.id === runId);
            if (record) panel()?.runStarted(record);
          },
          onTrialEpoch: (e) => panel()?.epoch(e.runId, { epoch: e.epoch, elapsedMs: 0, metrics: e.metrics }),
        },
        onEvent: report.onEvent,
      });
      return offerBest(lab, outcome, report.objective, output);
    },
  );
  // The queue is let go however the study ends.
  return Promise.resolve(tuned).finally(() => queue?.close());
}

/**
 * Tells the study's events to the output channel, the progress notification and the dashboard.
 * `objective` reads a value as the study's metric, once its spec is known (a resumed study's comes when it opens).
 */
function studyReport(
  lab: OpenedLab,
  spec: StudySpec | undefined,
  output: vscode.OutputChannel,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  panel: () => DashboardPanel | undefined,
): { onEvent: (e: StudyEvent) => void; objective: (value: number) => string } {
  let maxTrials = 1;
  let openedSpec: StudySpec | undefined = spec;
  const objective = (value: number) => describeObjective(openedSpec ?? {}, value, lab.manifest);
  const onEvent = (e: StudyEvent) => {
    switch (e.type) {
      case 'opened':
        maxTrials = e.spec.maxTrials;
        openedSpec = e.spec;
        output.appendLine(
          `\n▶ ${e.resumed ? 'resuming study' : 'study'} ${e.studyId}: ${e.spec.maxTrials} trials, ${e.parallel} at a time, ${e.spec.algorithm ?? 'Bayesian optimisation'}`,
        );
        break;
      case 'trial-started':
        output.appendLine(`  trial ${e.trial.number}: ${formatSettings(e.trial.params)}`);
        break;
      case 'trial-finished':
        output.appendLine(
          `  trial ${e.trial.number} ${e.trial.state}${e.trial.objective != null ? ` → ${objective(e.trial.objective)}` : ''}${e.trial.error ? ` — ${e.trial.error}` : ''}`,
        );
        progress.report({ increment: 100 / maxTrials, message: TEXT.progress(e.progress.finished, e.progress.maxTrials) });
        panel()?.refresh();
        break;
      case 'best':
        output.appendLine(`  best so far: trial ${e.best.number} → ${objective(e.best.objective)} (${formatSettings(e.best.params)})`);
        break;
      case 'warning':
        output.appendLine(`  warning: ${e.message}`);
        break;
      case 'finished':
        output.appendLine(`■ study ${e.outcome.studyId}: ${e.outcome.status} — ${e.outcome.reason}`);
        break;
    }
  };
  return { onEvent, objective };
}

/** The study's best trial, offered to be written into the learner's code; undefined (said) when no trial completed. */
function offerBest(lab: OpenedLab, outcome: StudyOutcome, objective: (value: number) => string, output: vscode.OutputChannel): BestTrial | undefined {
  const best = outcome.best;
  if (!best) {
    void vscode.window.showWarningMessage(TEXT.noTrial(outcome.studyId, outcome.reason));
    return undefined;
  }
  const apply = TEXT.apply(lab.manifest.files[0]!);
  const names = Object.keys(best.params).map((p) => hyperparameterName(p, lab.manifest));
  void vscode.window
    .showInformationMessage(TEXT.finished(outcome.studyId, outcome.status, best.number, objective(best.objective), formatSettings(best.params)), apply)
    .then((c) => (c === apply ? applyBest(lab, best) : undefined));
  output.appendLine(`  best values for ${names.join(', ')}: ${formatSettings(best.params)}`);
  return best;
}
