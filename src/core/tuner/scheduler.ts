// Running trials. The study runner hands each trial to a TrialScheduler and awaits its result; how
// and where it runs is the scheduler's business. The local scheduler runs an injected trial
// function in this process (which, for a lab, starts a runner child process) with at most
// `capacity` at once. A scheduler over a job queue with remote workers can implement the same
// interface, relaying `report` calls and aborts through the queue.
import * as os from 'os';
import type { Params } from './scale';

export interface TrialRequest {
  number: number;
  params: Params;
}

export interface TrialContext {
  /**
   * Reports an intermediate value of the objective at `step` (e.g. after an epoch). Resolves true
   * when the trial should stop now because it was pruned; `signal` is aborted as well.
   */
  report(step: number, value: number): Promise<boolean>;
  /** Aborted when the trial must stop: pruned, study cancelled, or out of time. */
  signal: AbortSignal;
}

export interface TrialResult {
  /** The value of the study's metric; null (or absent, non-finite) means the trial failed. */
  objective: number | null;
  /** Other outputs worth keeping with the trial (shown in the studies view). */
  metrics?: Record<string, number | null>;
  /** Why the trial failed, in words. A trial with an error is failed even if it has an objective. */
  error?: string;
}

/** One trial, start to finish. Should honour `context.signal`, and may throw (recorded as failed). */
export type TrialFunction = (trial: TrialRequest, context: TrialContext) => Promise<TrialResult>;

export interface TrialScheduler {
  /** How many trials this scheduler can run at once; the study runs min(maxParallelTrials, capacity). */
  readonly capacity: number;
  /** Runs one trial; resolves with its result (errors are results, not rejections). */
  run(trial: TrialRequest, context: TrialContext): Promise<TrialResult>;
}

export interface LocalSchedulerOptions {
  /** Upper bound on trials at once (default: the number of CPU cores). */
  maxParallel?: number;
  /** Cores to assume instead of asking the OS (tests). */
  cpuCount?: number;
  /** Abort a trial that runs longer than this (the trial function should also keep its own budget). */
  timeoutMs?: number;
}

export function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : Math.max(1, os.cpus().length);
}

/**
 * Runs trials in this process through a trial function, never more than `capacity` at once
 * (extra calls wait their turn) and never more than there are CPU cores, because each trial
 * trains a model and more would only make them all slower.
 */
export class LocalTrialScheduler implements TrialScheduler {
  readonly capacity: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly trialFunction: TrialFunction,
    private readonly options: LocalSchedulerOptions = {},
  ) {
    const cores = Math.max(1, options.cpuCount ?? cpuCount());
    this.capacity = Math.max(1, Math.min(options.maxParallel ?? cores, cores));
  }

  /** Trials running now (for tests and status displays). */
  get running(): number {
    return this.active;
  }

  async run(trial: TrialRequest, context: TrialContext): Promise<TrialResult> {
    await this.acquire();
    try {
      // Cancelled while waiting for a slot: never started.
      if (context.signal.aborted) return { objective: null, error: 'cancelled before it started' };
      return await this.execute(trial, context);
    } finally {
      this.release();
    }
  }

  private async execute(trial: TrialRequest, context: TrialContext): Promise<TrialResult> {
    const controller = new AbortController();
    const forward = () => controller.abort(context.signal.reason);
    context.signal.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const timer =
      this.options.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            controller.abort(new Error('trial timed out'));
          }, this.options.timeoutMs)
        : undefined;
    try {
      const result = await this.trialFunction(trial, { report: (step, value) => context.report(step, value), signal: controller.signal });
      if (timedOut) return { ...result, objective: null, error: result.error ?? `timed out after ${formatSeconds(this.options.timeoutMs as number)}` };
      return result;
    } catch (err) {
      if (timedOut) return { objective: null, error: `timed out after ${formatSeconds(this.options.timeoutMs as number)}` };
      return { objective: null, error: errorMessage(err) };
    } finally {
      if (timer) clearTimeout(timer);
      context.signal.removeEventListener('abort', forward);
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.capacity) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiting trial.
    if (next) next();
    else this.active--;
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
