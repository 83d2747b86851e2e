// `mllabs tune` and `mllabs studies`: hyperparameter studies from the command line.
import * as fs from 'fs';
import * as path from 'path';
import { formatSettings, formatValue } from '../core/format';
import type { LabRunOptions, OpenedLab } from '../core/run/labRun';
import { STUDY_SPEC_FILES, tuneLab, unknownParameters, type StudyScheduler } from '../core/tuner/labTuning';
import {
  listStudies,
  loadStudySpec,
  StudyBusyError,
  StudyNotFoundError,
  StudySetupError,
  StudySpecError,
  type StudyEvent,
  type StudySpec,
  type Trial,
} from '../core/tuner';
import { isQueueSetupError, queueSetup, type QueueFlags } from './queueOptions';
import { bold, dim, green, red, yellow } from './render';

function describeParams(params: Record<string, number | string>): string {
  return formatSettings(params, ' ');
}

function describeTrial(t: Trial): string {
  const value = t.objective === undefined || t.objective === null ? '' : ` → ${formatValue(t.objective)}`;
  const mark = t.state === 'completed' ? green('✔') : t.state === 'pruned' ? yellow('✂') : t.state === 'failed' ? red('✘') : dim('·');
  return `${mark} trial ${t.number} ${t.state}${value}  ${dim(describeParams(t.params))}${t.error ? `  ${red(t.error)}` : ''}`;
}

export async function tuneCommand(
  lab: OpenedLab,
  installRoot: string,
  opts: { spec?: string; resume?: string; json?: boolean; run: LabRunOptions; queue?: QueueFlags },
): Promise<number> {
  void installRoot;
  let scheduler: (StudyScheduler & { close?(): Promise<void> }) | undefined;
  try {
    scheduler = await queueScheduler(lab, opts.run, opts.queue ?? {});
  } catch (err) {
    if (isQueueSetupError(err)) {
      process.stderr.write(`${red('error:')} ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  try {
    return await runTune(lab, opts, scheduler);
  } finally {
    await scheduler?.close?.();
  }
}

/** With a Redis URL, the trials run on the queue's workers. */
async function queueScheduler(lab: OpenedLab, run: LabRunOptions, flags: QueueFlags): Promise<(StudyScheduler & { close(): Promise<void> }) | undefined> {
  const setup = await queueSetup(flags);
  if (!setup) return undefined;
  const { q, target, key } = setup;
  const study = await q.openQueueStudy(lab, run, { target, key, warn: (m) => process.stderr.write(`  ${yellow('note:')} ${m}\n`) });
  process.stderr.write(`${dim(`trials run on the workers of queue "${target.queue}" at ${target.shown} (results signed with key ${key.fingerprint})`)}\n`);
  return Object.assign(study.scheduler, { close: () => study.close() });
}

async function runTune(
  lab: OpenedLab,
  opts: { spec?: string; resume?: string; json?: boolean; run: LabRunOptions },
  scheduler: StudyScheduler | undefined,
): Promise<number> {
  let spec: StudySpec | undefined;
  const specFile = opts.spec ? path.resolve(opts.spec) : STUDY_SPEC_FILES.map((f) => path.join(lab.labDir, f)).find((f) => fs.existsSync(f));
  if (specFile) {
    try {
      spec = loadStudySpec(specFile);
    } catch (err) {
      if (err instanceof StudySpecError) {
        process.stderr.write(`${red('error:')} ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  } else if (!opts.resume) {
    process.stderr.write(`${red('error:')} no study spec: pass --spec <file> or put ${STUDY_SPEC_FILES[0]} in ${lab.labDir}\n`);
    return 2;
  }
  const unknown = spec ? unknownParameters(spec, lab.manifest) : [];
  if (unknown.length) {
    process.stderr.write(
      `${red('error:')} the spec tunes ${unknown.join(', ')}, which this lab's code does not read (it reads ${Object.keys(lab.manifest.hyperparameters).join(', ')})\n`,
    );
    return 2;
  }
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write(`\n${yellow('stopping the study; resume it later with --resume')}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const outcome = await tuneLab(lab, {
      run: opts.run,
      ...(scheduler ? { scheduler } : {}),
      spec,
      resume: opts.resume,
      signal: controller.signal,
      onEvent: printStudyEvent,
    });
    if (opts.json) process.stdout.write(JSON.stringify(outcome, null, 2) + '\n');
    else {
      process.stdout.write(`\n${bold(`study ${outcome.studyId}: ${outcome.status}`)} — ${outcome.reason}\n`);
      if (outcome.best)
        process.stdout.write(
          `${green('best:')} trial ${outcome.best.number} → ${formatValue(outcome.best.objective)}  ${describeParams(outcome.best.params)}\n`,
        );
    }
    return outcome.status === 'failed' ? 1 : outcome.status === 'cancelled' ? 2 : 0;
  } catch (err) {
    if (err instanceof StudyNotFoundError || err instanceof StudyBusyError || err instanceof StudySetupError) {
      process.stderr.write(`${red('error:')} ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The study's progress on stderr, a line per event (stdout keeps the outcome). */
function printStudyEvent(e: StudyEvent): void {
  switch (e.type) {
    case 'opened':
      process.stderr.write(
        `${bold(e.resumed ? 'resuming study' : 'study')} ${e.studyId} ${dim(`(${e.location})`)}: ${e.spec.goal.toLowerCase()} ${e.spec.hyperparameterMetricTag ?? 'rmse'}, ` +
          `${e.spec.maxTrials} trials, ${e.parallel} at a time, ${e.spec.algorithm ?? 'Bayesian optimisation'}${e.spec.enableTrialEarlyStopping ? ', early stopping' : ''}\n`,
      );
      for (const t of e.trials) process.stderr.write(`  ${describeTrial(t)}\n`);
      if (e.interrupted.length) process.stderr.write(`  ${yellow(`trials ${e.interrupted.join(', ')} were interrupted and will run again`)}\n`);
      break;
    case 'trial-started':
      process.stderr.write(`  ${dim('▶')} trial ${e.trial.number} ${dim(describeParams(e.trial.params))}\n`);
      break;
    case 'trial-finished':
      process.stderr.write(`  ${describeTrial(e.trial)}  ${dim(`[${e.progress.finished}/${e.progress.maxTrials}]`)}\n`);
      break;
    case 'best':
      process.stderr.write(`  ${green('best so far:')} trial ${e.best.number} → ${formatValue(e.best.objective)} ${dim(describeParams(e.best.params))}\n`);
      break;
    case 'warning':
      process.stderr.write(`  ${yellow('warning:')} ${e.message}\n`);
      break;
    case 'finished':
      break;
  }
}

export function listStudiesCommand(labDir: string, json: boolean): number {
  const { studies, warnings } = listStudies(labDir);
  for (const w of warnings) process.stderr.write(`${yellow('warning:')} ${w}\n`);
  if (json) {
    process.stdout.write(JSON.stringify(studies, null, 2) + '\n');
    return 0;
  }
  if (studies.length === 0) process.stdout.write('no studies yet: run "mllabs tune"\n');
  for (const s of studies) {
    const done = s.trials.filter((t) => t.state === 'completed' || t.state === 'pruned' || t.state === 'failed').length;
    process.stdout.write(
      `${s.id}  ${done}/${s.spec.maxTrials} trials${s.best ? `  best ${formatValue(s.best.objective)} ${dim(describeParams(s.best.params))}` : ''}\n`,
    );
  }
  return 0;
}
