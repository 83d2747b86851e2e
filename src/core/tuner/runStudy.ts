// Runs a study to its end: ask the sampler, hand trials to the scheduler (several at once),
// pass intermediate values to the pruner, and record every step in the journal as it happens.
// Because the journal is written before anything depends on it, a study stopped at any moment
// (killed, cancelled, crashed) resumes from it: finished trials are kept and never re-run; trials
// that were running are recorded as interrupted and their parameters run again as new trials.
import { createPruner, type Pruner } from './pruners';
import { RandomSampler } from './samplers/random';
import type { Proposal, Sampler } from './samplers/sampler';
import { searchSpace, type Params } from './scale';
import { errorMessage, type TrialContext, type TrialResult, type TrialScheduler } from './scheduler';
import type { StudySpec } from './spec';
import { bestTrial, type BestTrial, type StudyView } from './study';
import type { StudyStorage } from './storage';
import type { StudyEvent, StudyOutcome, StudyProgress, StudyStatus } from './studyEvents';
import { createSampler, openSpec, openStorage } from './studySetup';
import { applyTrialEvent, isFinished, TrialEvent, type NewTrialEvent, type Trial } from './trial';

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

/** What the loop that starts trials works with. */
interface TrialSlots {
  sampler: Sampler;
  pruner: Pruner;
  /** Resolves when the study is cancelled. */
  cancelled: Promise<void>;
  /** Interrupted trials whose parameters run again, first. */
  retries: Trial[];
  running: Map<number, Promise<void>>;
  parallel: number;
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
    const opened = openSpec(this.storage, this.resuming, this.options.spec, (w) => this.warn(w));
    this.spec = opened.spec;
    for (const t of opened.trials) {
      this.byNumber.set(t.number, t);
      this.trials.push(t);
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
    this.announceOpened(interrupted, parallel);

    const running = new Map<number, Promise<void>>();
    let exhausted = false;
    while (true) {
      if (!exhausted) exhausted = await this.startTrials({ sampler, pruner, cancelled, retries, running, parallel });
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    if (this.fatal) throw this.fatal.error;

    const { status, reason } = this.ending(exhausted);
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

  /** The 'opened' event, then the warnings found while opening. */
  private announceOpened(interrupted: number[], parallel: number): void {
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
  }

  /**
   * Creates trials and hands them to the scheduler while slots and the budget allow (retries of
   * interrupted trials first). Returns true when the sampler has nothing left to propose.
   */
  private async startTrials(slots: TrialSlots): Promise<boolean> {
    const { running, retries } = slots;
    while (this.mayStart(running.size, slots.parallel)) {
      const retry = retries.shift();
      // Trials are created only here, one ask at a time: the number is still free when the answer comes.
      const number = this.nextNumber;
      let params: Proposal;
      if (retry) params = retry.params;
      else {
        const answer = this.ask(slots.sampler, number);
        if (isPromiseLike(answer)) {
          // The sampler answers later (from its worker thread). Meanwhile trials may finish, which
          // frees slots or stops the study, and the study may be cancelled: then nothing is created.
          params = await Promise.race([answer, slots.cancelled.then(() => undefined)]);
          if (this.signal.aborted || this.stopping || this.fatal) return false;
        } else params = answer;
      }
      if (!params) return true;
      const trial = this.create(number, params, retry);
      // Not recorded, so not run; the trials already running finish first.
      if (!trial) return false;
      this.emit({ type: 'trial-started', trial: copy(trial), progress: this.progress(running.size + 1) });
      const done = this.execute(trial, slots.pruner, () => running.size)
        .catch((error: unknown) => {
          this.fatal ??= { error };
        })
        .finally(() => running.delete(trial.number));
      running.set(trial.number, done);
    }
    return false;
  }

  private mayStart(running: number, parallel: number): boolean {
    return !this.signal.aborted && !this.stopping && !this.fatal && running < parallel && this.progress(0).finished + running < this.spec.maxTrials;
  }

  /** Journals a new trial; undefined when it cannot be recorded (the error then ends the study). */
  private create(number: number, params: Params, retry: Trial | undefined): Trial | undefined {
    try {
      this.nextNumber = number + 1;
      return this.record({ type: 'created', trial: number, params, retryOf: retry?.number });
    } catch (error) {
      this.fatal ??= { error };
      return undefined;
    }
  }

  /** Why the study stopped, once no trial runs any more. */
  private ending(exhausted: boolean): { status: StudyStatus; reason: string } {
    const finished = this.progress(0).finished;
    if (this.signal.aborted) return { status: 'cancelled', reason: `cancelled after ${finished} of ${this.spec.maxTrials} trials` };
    if (this.stopping) return this.stopping;
    if (exhausted && finished < this.spec.maxTrials) return { status: 'exhausted', reason: `every point of the search space was tried (${finished} trials)` };
    return { status: 'completed', reason: `${finished} of ${this.spec.maxTrials} trials finished` };
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
