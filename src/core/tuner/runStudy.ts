// Runs a study to its end: ask the sampler, hand trials to the scheduler (several at once),
// pass intermediate values to the pruner, and record every step in the journal as it happens.
// Because the journal is written before anything depends on it, a study stopped at any moment
// (killed, cancelled, crashed) resumes from it: finished trials are kept and never re-run; trials
// that were running are recorded as interrupted and their parameters run again as new trials.
import { randomInt } from 'crypto';
import { createPruner, type Pruner } from './pruners';
import { GaussianProcessSampler } from './samplers/bayesian';
import { defaultGridResolution, GridSampler } from './samplers/grid';
import { RandomSampler } from './samplers/random';
import type { Proposal, Sampler } from './samplers/sampler';
import { WorkerSampler } from './samplers/workerSampler';
import { searchSpace, type Params } from './scale';
import { errorMessage, type TrialContext, type TrialResult, type TrialScheduler } from './scheduler';
import { resumeConflict, samplerKind, type StudySpec } from './spec';
import { bestTrial, type BestTrial, type StudyView } from './study';
import { FileStudyStorage, newStudyId, StudyNotFoundError, type StudyStorage } from './storage';
import { applyTrialEvent, isFinished, replayJournal, TrialEvent, type NewTrialEvent, type Trial } from './trial';

export type StudyStatus = 'completed' | 'exhausted' | 'cancelled' | 'failed';

export interface StudyProgress {
  /** Trials that used up a slot of maxTrials (completed, pruned or failed). */
  finished: number;
  running: number;
  maxTrials: number;
}

export interface StudyOutcome {
  studyId: string;
  location: string;
  /**
   * completed: maxTrials trials finished; exhausted: the sampler had nothing left to try (a grid
   * smaller than maxTrials); cancelled: the signal was aborted; failed: too many trials failed.
   */
  status: StudyStatus;
  /** Why the study stopped, in words. */
  reason: string;
  trials: Trial[];
  best?: BestTrial;
  warnings: string[];
}

/** What a study runner reports as it goes; each carries copies, safe to keep or post to a webview. */
export type StudyEvent =
  // The study is open: its trials so far (after marking those left running as interrupted).
  | {
      type: 'opened';
      studyId: string;
      location: string;
      resumed: boolean;
      spec: StudySpec;
      trials: Trial[];
      interrupted: number[];
      parallel: number;
      best?: BestTrial;
    }
  // A trial was created and handed to the scheduler.
  | { type: 'trial-started'; trial: Trial; progress: StudyProgress }
  // A running trial reported an intermediate value.
  | { type: 'trial-reported'; trial: number; step: number; value: number | null }
  // A trial ended: completed, pruned, failed or interrupted.
  | { type: 'trial-finished'; trial: Trial; progress: StudyProgress }
  // A completed trial is the new best.
  | { type: 'best'; best: BestTrial }
  // Something the user should know that does not stop the study (a skipped journal line…).
  | { type: 'warning'; message: string }
  // The study stopped; the same outcome `runStudy` resolves with.
  | { type: 'finished'; outcome: StudyOutcome };

export interface RunStudyOptions {
  /** Runs the trials. Its capacity caps the spec's maxParallelTrials. */
  scheduler: TrialScheduler;
  /** The spec of a new study; with `resume` (or its own resumePreviousJobId), the budgets to continue with. */
  spec?: StudySpec;
  /** Id of a study to continue. */
  resume?: string;
  /** The lab folder; the study lives in `<labDir>/.mllabs/studies/<id>/`. */
  labDir?: string;
  /** Instead of `labDir`: where to keep the study (e.g. MemoryStudyStorage); its id is the study's. */
  storage?: StudyStorage;
  /** Default: from the spec's algorithm. The study closes it when it ends (see Sampler.close). */
  sampler?: Sampler;
  /**
   * The sampler worker's script (dist/samplerWorker.js). With it, the default Bayesian sampler
   * runs in a worker thread and leaves this thread free while it computes (about a second per
   * trial); without it, or if the worker cannot run, on this thread. Grid and random search are
   * instant and always run here.
   */
  samplerWorker?: string;
  /** Default: the median stopping rule if the spec enables early stopping, else none. */
  pruner?: Pruner;
  signal?: AbortSignal;
  onEvent?: (event: StudyEvent) => void;
}

export class StudySetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StudySetupError';
  }
}

/** The spec's sampler; with `workerScript`, the Bayesian one runs in a worker thread. */
export function createSampler(spec: Pick<StudySpec, 'algorithm'>, options: { workerScript?: string } = {}): Sampler {
  switch (samplerKind(spec)) {
    case 'grid':
      return new GridSampler();
    case 'random':
      return new RandomSampler();
    case 'bayesian':
      return options.workerScript ? new WorkerSampler({ script: options.workerScript, sampler: { kind: 'gaussian-process' } }) : new GaussianProcessSampler();
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** Metrics as the journal keeps them: numbers, with non-finite ones (and anything else) as null. */
function cleanMetrics(metrics: TrialResult['metrics']): Record<string, number | null> | undefined {
  if (!metrics || typeof metrics !== 'object') return undefined;
  const out: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(metrics)) out[name] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  return out;
}

/** A promise that resolves when the signal aborts, and a way to stop listening. */
function untilAborted(signal: AbortSignal): { promise: Promise<void>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<void>((resolve) => (onAbort = () => resolve()));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** If no trial has succeeded, the study stops after this many failures (the trial code is broken). */
const FAILURES_BEFORE_GIVING_UP = 3;

const copy = <T>(value: T): T => structuredClone(value);

/** Opens (or creates) the study the options name. */
function openStorage(options: RunStudyOptions): { storage: StudyStorage; resuming: boolean } {
  if (options.storage) return { storage: options.storage, resuming: options.storage.exists() };
  if (!options.labDir) throw new StudySetupError('runStudy needs a labDir or a storage');
  const resumeId = options.resume ?? options.spec?.resumePreviousJobId;
  if (resumeId !== undefined) {
    const storage = new FileStudyStorage(options.labDir, resumeId);
    if (!storage.exists()) throw new StudyNotFoundError(resumeId, options.labDir);
    return { storage, resuming: true };
  }
  let storage = new FileStudyStorage(options.labDir, newStudyId());
  while (storage.exists()) storage = new FileStudyStorage(options.labDir, newStudyId());
  return { storage, resuming: false };
}

/** The spec the study continues with: the stored one, with the new budgets if a spec was given. */
function resumedSpec(stored: StudySpec, next: StudySpec | undefined): StudySpec {
  if (!next) return stored;
  const conflict = resumeConflict(stored, next);
  if (conflict) throw new StudySetupError(`cannot resume the study with this spec: ${conflict}`);
  // The seed and grid stay those of the study, so earlier trials keep their meaning.
  return { ...next, seed: stored.seed, gridResolution: next.gridResolution ?? stored.gridResolution, resumePreviousJobId: undefined };
}

export async function runStudy(options: RunStudyOptions): Promise<StudyOutcome> {
  const { storage, resuming } = openStorage(options);
  const emit = (event: StudyEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing listener must not stop the study.
    }
  };
  const release = storage.lock();
  try {
    return await new StudyRun(storage, resuming, options, emit).run();
  } finally {
    release();
  }
}

class StudyRun {
  private spec!: StudySpec;
  private readonly byNumber = new Map<number, Trial>();
  /** The same trials in number order (shared with samplers and pruners through `view`). */
  private readonly trials: Trial[] = [];
  private readonly warnings: string[] = [];
  private view!: StudyView;
  private best: BestTrial | undefined;
  private nextNumber = 1;
  private stopping: { status: StudyStatus; reason: string } | undefined;
  /** An error that prevents recording (e.g. the disk is full): no new trials, and runStudy rejects. */
  private fatal: { error: unknown } | undefined;
  private readonly signal: AbortSignal;

  constructor(
    private readonly storage: StudyStorage,
    private readonly resuming: boolean,
    private readonly options: RunStudyOptions,
    private readonly emit: (event: StudyEvent) => void,
  ) {
    this.signal = options.signal ?? new AbortController().signal;
  }

  /** Warnings found while opening wait until the 'opened' event has gone out. */
  private opened = false;

  private warn(message: string): void {
    this.warnings.push(message);
    if (this.opened) this.emit({ type: 'warning', message });
  }

  /**
   * Stamps, journals, then applies an event: the journal is always ahead of memory. Each event is
   * checked against the journal's schema first, so that nothing is written that could not be read.
   */
  private record(event: NewTrialEvent): Trial {
    const stamped = TrialEvent.parse({ ...event, at: new Date().toISOString() });
    this.storage.append(stamped);
    const isNew = !this.byNumber.has(stamped.trial);
    const warning = applyTrialEvent(this.byNumber, stamped);
    if (warning) this.warn(warning);
    const trial = this.byNumber.get(stamped.trial) as Trial;
    if (isNew) this.trials.push(trial);
    return trial;
  }

  private progress(running: number): StudyProgress {
    return { finished: this.trials.filter((t) => isFinished(t.state)).length, running, maxTrials: this.spec.maxTrials };
  }

  private open(): { interrupted: number[]; retries: Trial[] } {
    if (this.resuming) {
      const stored = this.storage.load();
      this.spec = resumedSpec(stored.spec, this.options.spec);
      if (JSON.stringify(this.spec) !== JSON.stringify(stored.spec)) this.storage.saveSpec(this.spec);
      stored.warnings.forEach((w) => this.warn(w));
      const replayed = replayJournal(stored.events);
      replayed.warnings.forEach((w) => this.warn(w));
      for (const t of replayed.trials) {
        this.byNumber.set(t.number, t);
        this.trials.push(t);
      }
    } else {
      if (!this.options.spec) throw new StudySetupError('a new study needs a spec');
      const spec = this.options.spec;
      // The seed (and a grid's resolution) are fixed now and stored, so that a resumed study
      // proposes what this one would have, even if it is resumed with a larger maxTrials.
      this.spec = { ...spec, seed: spec.seed ?? randomInt(1, 2 ** 31 - 1), resumePreviousJobId: undefined };
      if (samplerKind(spec) === 'grid' && spec.gridResolution === undefined) {
        this.spec.gridResolution = defaultGridResolution(searchSpace(spec), spec.maxTrials);
      }
      this.storage.create(this.spec);
    }
    this.view = { spec: this.spec, space: searchSpace(this.spec), trials: this.trials };
    this.nextNumber = this.trials.reduce((n, t) => Math.max(n, t.number), 0) + 1;

    // This process holds the lock, so a trial still "running" in the journal belongs to a run that died.
    const interrupted: number[] = [];
    for (const t of [...this.trials]) {
      if (t.state !== 'running') continue;
      this.record({ type: 'interrupted', trial: t.number, reason: 'the study stopped before this trial finished (its program was closed or killed)' });
      interrupted.push(t.number);
    }
    const retried = new Set(this.trials.map((t) => t.retryOf).filter((n) => n !== undefined));
    const retries = this.trials.filter((t) => t.state === 'interrupted' && !retried.has(t.number));
    this.best = bestTrial(this.spec, this.trials);
    if (this.best) this.storage.saveBest(this.best);
    return { interrupted, retries };
  }

  async run(): Promise<StudyOutcome> {
    const { interrupted, retries } = this.open();
    const sampler = this.options.sampler ?? createSampler(this.spec, { workerScript: this.options.samplerWorker });
    const cancelled = untilAborted(this.signal);
    try {
      return await this.runTrials(sampler, cancelled.promise, interrupted, retries);
    } finally {
      cancelled.dispose();
      try {
        await sampler.close?.();
      } catch {
        // The study is over; a sampler that cannot let go of its worker changes nothing in it.
      }
    }
  }

  private async runTrials(sampler: Sampler, cancelled: Promise<void>, interrupted: number[], retries: Trial[]): Promise<StudyOutcome> {
    const pruner = this.options.pruner ?? createPruner(this.spec);
    const capacity = this.options.scheduler.capacity;
    const parallel = Math.max(1, Math.min(this.spec.maxParallelTrials, Number.isFinite(capacity) ? Math.floor(capacity) : 1));
    this.emit({
      type: 'opened',
      studyId: this.storage.id,
      location: this.storage.location,
      resumed: this.resuming,
      spec: copy(this.spec),
      trials: copy(this.trials),
      interrupted,
      parallel,
      best: copy(this.best),
    });
    this.opened = true;
    this.warnings.forEach((message) => this.emit({ type: 'warning', message }));

    const running = new Map<number, Promise<void>>();
    let exhausted = false;
    while (true) {
      while (
        !this.signal.aborted &&
        !this.stopping &&
        !this.fatal &&
        !exhausted &&
        running.size < parallel &&
        this.progress(0).finished + running.size < this.spec.maxTrials
      ) {
        const retry = retries.shift();
        // Trials are created only here, one ask at a time: the number is still free when the answer comes.
        const number = this.nextNumber;
        let params: Proposal;
        if (retry) params = retry.params;
        else {
          const answer = this.ask(sampler, number);
          if (isPromiseLike(answer)) {
            // The sampler answers later (from its worker thread). Meanwhile trials may finish, which
            // frees slots or stops the study, and the study may be cancelled: then nothing is created.
            params = await Promise.race([answer, cancelled.then(() => undefined)]);
            if (this.signal.aborted || this.stopping || this.fatal) break;
          } else params = answer;
        }
        if (!params) {
          exhausted = true;
          break;
        }
        let trial: Trial;
        try {
          this.nextNumber = number + 1;
          trial = this.record({ type: 'created', trial: number, params, retryOf: retry?.number });
        } catch (error) {
          // Not recorded, so not run; the trials already running finish first.
          this.fatal ??= { error };
          break;
        }
        this.emit({ type: 'trial-started', trial: copy(trial), progress: this.progress(running.size + 1) });
        const done = this.execute(trial, pruner, () => running.size)
          .catch((error: unknown) => {
            this.fatal ??= { error };
          })
          .finally(() => running.delete(trial.number));
        running.set(trial.number, done);
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    if (this.fatal) throw this.fatal.error;

    const finished = this.progress(0).finished;
    let status: StudyStatus;
    let reason: string;
    if (this.signal.aborted) {
      status = 'cancelled';
      reason = `cancelled after ${finished} of ${this.spec.maxTrials} trials`;
    } else if (this.stopping) {
      ({ status, reason } = this.stopping);
    } else if (exhausted && finished < this.spec.maxTrials) {
      status = 'exhausted';
      reason = `every point of the search space was tried (${finished} trials)`;
    } else {
      status = 'completed';
      reason = `${finished} of ${this.spec.maxTrials} trials finished`;
    }
    const outcome: StudyOutcome = {
      studyId: this.storage.id,
      location: this.storage.location,
      status,
      reason,
      trials: copy(this.trials),
      best: copy(this.best),
      warnings: [...this.warnings],
    };
    this.emit({ type: 'finished', outcome: copy(outcome) });
    return outcome;
  }

  /**
   * The sampler's proposal for trial `number`, now or later; should the sampler fail, a random
   * point, so one bug does not end the study.
   */
  private ask(sampler: Sampler, number: number): Proposal | Promise<Proposal> {
    const fallback = (err: unknown): Params => {
      this.warn(`the sampler failed (${errorMessage(err)}); trial ${number} uses random parameters instead`);
      return new RandomSampler().ask(this.view, number);
    };
    let answer: Proposal | PromiseLike<Proposal>;
    try {
      answer = sampler.ask(this.view, number, { warn: (message) => this.warn(message) });
    } catch (err) {
      return fallback(err);
    }
    if (!isPromiseLike(answer)) return answer;
    // An answer that comes after a cancel is not used, so its failure is not news either.
    return Promise.resolve(answer).then(
      (params) => params,
      (err: unknown) => (this.signal.aborted ? undefined : fallback(err)),
    );
  }

  private async execute(trial: Trial, pruner: Pruner, runningCount: () => number): Promise<void> {
    const controller = new AbortController();
    const cancel = () => controller.abort(this.signal.reason);
    if (this.signal.aborted) cancel();
    else this.signal.addEventListener('abort', cancel, { once: true });
    let prunedAt: number | undefined;
    const started = Date.now();

    const context: TrialContext = {
      signal: controller.signal,
      report: async (step, value) => {
        if (typeof step !== 'number' || !Number.isFinite(step)) throw new TypeError(`report(step, value): step must be a finite number, got ${String(step)}`);
        // Reports after the end (or after a stop) change nothing.
        if (prunedAt !== undefined || trial.state !== 'running') return true;
        if (controller.signal.aborted) return true;
        const stored = typeof value === 'number' && Number.isFinite(value) ? value : null;
        this.record({ type: 'reported', trial: trial.number, step, value: stored });
        this.emit({ type: 'trial-reported', trial: trial.number, step, value: stored });
        let stop = false;
        try {
          stop = pruner.prune(this.view, trial);
        } catch (err) {
          this.warn(`the pruner failed on trial ${trial.number} (${errorMessage(err)}); the trial goes on`);
        }
        if (stop) {
          prunedAt = step;
          controller.abort(new Error(`trial ${trial.number} was stopped early at step ${step}`));
        }
        return stop;
      },
    };

    let result: TrialResult;
    try {
      result = await this.options.scheduler.run({ number: trial.number, params: { ...trial.params } }, context);
    } catch (err) {
      result = { objective: null, error: errorMessage(err) };
    } finally {
      this.signal.removeEventListener('abort', cancel);
    }
    const durationMs = Date.now() - started;
    const objective = typeof result.objective === 'number' && Number.isFinite(result.objective) ? result.objective : undefined;
    const metrics = cleanMetrics(result.metrics);

    if (prunedAt !== undefined) {
      const last = [...trial.intermediate].reverse().find((v) => v.value !== null);
      this.record({ type: 'pruned', trial: trial.number, step: prunedAt, objective: last?.value ?? null, metrics, durationMs });
    } else if (this.signal.aborted && (result.error !== undefined || objective === undefined)) {
      this.record({ type: 'interrupted', trial: trial.number, reason: 'the study was cancelled while this trial ran' });
    } else if (result.error !== undefined || objective === undefined) {
      this.record({ type: 'failed', trial: trial.number, error: result.error ?? 'the trial finished without a value of the objective', metrics, durationMs });
    } else {
      this.record({ type: 'completed', trial: trial.number, objective, metrics, durationMs });
    }

    const best = bestTrial(this.spec, this.trials);
    if (best && best.number !== this.best?.number) {
      this.best = best;
      this.storage.saveBest(best);
      this.emit({ type: 'best', best: copy(best) });
    }
    // The trial is still counted as running by the caller until this promise settles.
    this.emit({ type: 'trial-finished', trial: copy(trial), progress: this.progress(runningCount() - 1) });
    this.checkFailures();
  }

  private checkFailures(): void {
    if (this.stopping) return;
    const failed = this.trials.filter((t) => t.state === 'failed');
    const limit = this.spec.maxFailedTrials ?? 0;
    if (limit > 0 && failed.length >= limit) {
      this.stopping = {
        status: 'failed',
        reason: `${failed.length} trials failed (maxFailedTrials is ${limit}); last error: ${failed[failed.length - 1].error}`,
      };
    } else if (limit === 0 && failed.length >= FAILURES_BEFORE_GIVING_UP && !this.trials.some((t) => t.state === 'completed' || t.state === 'pruned')) {
      this.stopping = {
        status: 'failed',
        reason: `the first ${failed.length} trials all failed, so the trial itself is probably broken; last error: ${failed[failed.length - 1].error}`,
      };
    }
  }
}
