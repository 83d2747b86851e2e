// Hyperparameter studies of a lab: each trial is a normal lab run (runner child process, run files,
// grade) with the trial's values as hyperparameter overrides. Intermediate values are the run's
// per-epoch validation metric, so the pruner can stop a hopeless trial early; the objective is a
// validation metric too, never the held-out test set the grade is measured on.
import type { LabManifest } from '../lab/manifest';
import { runLab, type LabRunOptions, type OpenedLab } from '../run/labRun';
import { installPaths } from '../files/paths';
import type { Hyperparameters, Metrics } from '../run/protocol';
import { objectiveFormat } from '../dashboard/studyModel';
import { formatValue } from '../format';
import { RunStore } from '../run/store';
import { markTrialRun } from '../run/trialRuns';
import type { RunRecord } from '../run/store';
import {
  LocalTrialScheduler,
  runStudy,
  type Params,
  type StudyEvent,
  type StudyOutcome,
  type StudySpec,
  type TrialFunction,
  type TrialResult,
  type TrialScheduler,
} from './';

/** The objective when the spec names none: the validation error every regression lab reports. */
export const DEFAULT_METRIC_TAG = 'rmse';

/** Where a lab folder's study spec is looked for, in this order, when none is named. */
export const STUDY_SPEC_FILES = ['hptuning.yaml', 'hptuning.yml', 'hptuning.json'];

/**
 * Maps a spec's parameter name to the learner's hyperparameter: the name itself, or its camelCase
 * form (the course's specs say learning_rate, the labs' code says learningRate).
 */
export function hyperparameterName(param: string, manifest: LabManifest): string {
  if (param in manifest.hyperparameters) return param;
  const camel = param.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return camel in manifest.hyperparameters ? camel : param;
}

export function trialHyperparameters(params: Params, manifest: LabManifest): Hyperparameters {
  const out: Hyperparameters = {};
  for (const [name, value] of Object.entries(params)) out[hyperparameterName(name, manifest)] = value;
  return out;
}

/** Spec parameters the lab does not know: a typo would silently tune nothing. */
export function unknownParameters(spec: StudySpec, manifest: LabManifest): string[] {
  return spec.params.map((p) => p.parameterName).filter((p) => !(hyperparameterName(p, manifest) in manifest.hyperparameters));
}

function pick(metrics: Metrics | undefined, names: string[]): number | null {
  for (const n of names) {
    const v = metrics?.[n];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** The per-epoch value the pruner sees: the validation form of the metric first. */
export function intermediateValue(tag: string, epochMetrics: Metrics): number | null {
  return pick(epochMetrics, [`val_${tag}`, tag]);
}

/** The trial's objective: a validation measurement, from the outputs or the last epoch. */
export function objectiveValue(tag: string, outputs: Metrics | undefined, lastEpoch: Metrics | undefined): number | null {
  return pick(outputs, [`val_${tag}`]) ?? pick(lastEpoch, [`val_${tag}`]) ?? pick(outputs, [tag]) ?? pick(lastEpoch, [tag]);
}

/** A finished run as a trial's result: the objective, or why there is none. */
export function trialResultOf(
  tag: string,
  record: Pick<RunRecord, 'status' | 'outputs' | 'diagnosis' | 'failure'>,
  lastEpoch: Metrics | undefined,
): TrialResult {
  const metrics: Record<string, number | null> = { ...(record.outputs ?? {}) };
  if (record.status === 'diverged') return { objective: null, metrics, error: record.diagnosis ?? 'the loss diverged' };
  if (record.status !== 'completed') return { objective: null, metrics, error: record.failure?.message ?? `the run ended as "${record.status}"` };
  const objective = objectiveValue(tag, record.outputs, lastEpoch);
  if (objective === null) return { objective: null, metrics, error: `the run reported no "${tag}" (nor "val_${tag}") to optimise` };
  return { objective, metrics };
}

export interface TrialEpochEvent {
  trial: number;
  runId: string;
  epoch: number;
  metrics: Metrics;
}

export interface LabTrialHooks {
  onTrialRun?(trial: number, runId: string): void;
  onTrialEpoch?(event: TrialEpochEvent): void;
}

export function labTrialFunction(lab: OpenedLab, spec: StudySpec, options: LabRunOptions, hooks: LabTrialHooks = {}): TrialFunction {
  const tag = spec.hyperparameterMetricTag ?? DEFAULT_METRIC_TAG;
  return async (trial, ctx) => {
    let last: Metrics | undefined;
    // One seed for every trial: trials then differ by their hyperparameters, not by luck.
    const handle = runLab(
      lab,
      { ...options, seed: options.seed ?? spec.seed ?? 1, hyperparameters: trialHyperparameters(trial.params, lab.manifest) },
      {
        onEpoch: (m) => {
          last = m.metrics;
          hooks.onTrialEpoch?.({ trial: trial.number, runId: handle.runId, epoch: m.epoch, metrics: m.metrics });
          const value = intermediateValue(tag, m.metrics);
          if (value !== null) void ctx.report(m.epoch, value).then((stop) => stop && handle.cancel());
        },
      },
    );
    markTrialRun(new RunStore(lab.labDir).runDir(handle.runId), { trial: trial.number });
    hooks.onTrialRun?.(trial.number, handle.runId);
    const cancel = () => handle.cancel();
    ctx.signal.addEventListener('abort', cancel, { once: true });
    try {
      const { record } = await handle.result;
      return trialResultOf(tag, record, last);
    } finally {
      ctx.signal.removeEventListener('abort', cancel);
    }
  };
}

export interface TuneLabOptions {
  run: LabRunOptions;
  spec?: StudySpec;
  resume?: string;
  signal?: AbortSignal;
  onEvent?(event: StudyEvent): void;
  hooks?: LabTrialHooks;
  /**
   * The Bayesian sampler's worker script, so that it computes off the caller's thread (the
   * extension host's must never block). Default: dist/samplerWorker.js of `run.installRoot`.
   */
  samplerWorker?: string;
  /** Runs the trials elsewhere (queue workers); default: local runner processes, as many as the cores. */
  scheduler?: StudyScheduler;
}

/** A scheduler that needs to know the study it runs trials of (its id and spec) before the first trial. */
export interface StudyScheduler extends TrialScheduler {
  opened?(studyId: string, spec: StudySpec): void;
}

/** Runs (or resumes) a study of a lab in `<lab>/.mllabs/studies/`. */
export async function tuneLab(lab: OpenedLab, options: TuneLabOptions): Promise<StudyOutcome> {
  let spec = options.spec;
  let trialFn: TrialFunction | undefined;
  // On resume without a spec, the stored one is used: the trial function is made once it is known.
  const scheduler =
    options.scheduler ??
    new LocalTrialScheduler(async (trial, ctx) => {
      if (!trialFn) throw new Error('the study spec is not known yet');
      return trialFn(trial, ctx);
    });
  return runStudy({
    labDir: lab.labDir,
    spec,
    resume: options.resume,
    scheduler,
    samplerWorker: options.samplerWorker ?? installPaths(options.run.installRoot).samplerWorkerScript,
    signal: options.signal,
    onEvent: (event) => {
      if (event.type === 'opened') {
        spec = event.spec;
        trialFn = labTrialFunction(lab, spec, options.run, options.hooks);
        options.scheduler?.opened?.(event.studyId, event.spec);
      }
      options.onEvent?.(event);
    },
  });
}

/**
 * A study's objective as people read it: the metric's name and the value in its unit, e.g.
 * "validation rmse $82,417" or "validation accuracy 84.0%" (trials are measured on validation data).
 */
export function describeObjective(spec: Pick<StudySpec, 'hyperparameterMetricTag'>, value: number, manifest: Pick<LabManifest, 'labelUnit'>): string {
  const tag = spec.hyperparameterMetricTag ?? DEFAULT_METRIC_TAG;
  return `validation ${tag} ${formatValue(value, objectiveFormat(tag, manifest.labelUnit))}`;
}
