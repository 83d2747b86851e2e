// Early stopping of unpromising trials. A pruner is asked after every intermediate value a trial
// reports; it answers from the study so far, and keeps no state of its own.
import type { StudySpec } from './spec';
import type { StudyView } from './study';
import type { Trial } from './trial';

export interface Pruner {
  /** Whether `trial` (still running, with the values it has reported so far) should stop now. */
  prune(study: StudyView, trial: Trial): boolean;
}

/** Never stops a trial (early stopping off). */
export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}

export interface MedianStoppingOptions {
  /** Completed trials needed before any trial is stopped. Default 5. */
  startupTrials?: number;
  /** A trial is never stopped at a step below this (early values are noisy). Default 2. */
  warmupSteps?: number;
  /** Completed trials that must have a value at the step for the comparison to count. Default 1. */
  minTrialsAtStep?: number;
}

/**
 * The median stopping rule (as in Vizier): a trial is stopped at step s if the best value it has
 * reported up to s is worse than the median of the completed trials' values at step s. A completed
 * trial's value "at step s" is the last one it reported at or before s. A trial whose latest value
 * is not finite (its training diverged) is stopped as soon as the warm-up is over.
 */
export class MedianStoppingPruner implements Pruner {
  private readonly startupTrials: number;
  private readonly warmupSteps: number;
  private readonly minTrialsAtStep: number;

  constructor(options: MedianStoppingOptions = {}) {
    this.startupTrials = options.startupTrials ?? 5;
    this.warmupSteps = options.warmupSteps ?? 2;
    this.minTrialsAtStep = Math.max(1, options.minTrialsAtStep ?? 1);
  }

  prune(study: StudyView, trial: Trial): boolean {
    const last = trial.intermediate[trial.intermediate.length - 1];
    if (!last || last.step < this.warmupSteps) return false;
    if (last.value === null || !Number.isFinite(last.value)) return true;
    const completed = study.trials.filter((t) => t.state === 'completed' && t.number !== trial.number);
    if (completed.length < this.startupTrials) return false;
    const step = last.step;
    const others: number[] = [];
    for (const t of completed) {
      const v = valueAtStep(t, step);
      if (v !== undefined) others.push(v);
    }
    if (others.length < this.minTrialsAtStep) return false;
    const best = bestSoFar(study.spec.goal, trial, step) as number;
    const mid = median(others);
    return study.spec.goal === 'MAXIMIZE' ? best < mid : best > mid;
  }
}

/** The last finite value a trial reported at or before `step`. */
export function valueAtStep(trial: Trial, step: number): number | undefined {
  let found: { step: number; value: number } | undefined;
  for (const v of trial.intermediate) {
    if (v.step > step || v.value === null || !Number.isFinite(v.value)) continue;
    if (!found || v.step >= found.step) found = { step: v.step, value: v.value };
  }
  return found?.value;
}

function bestSoFar(goal: StudySpec['goal'], trial: Trial, step: number): number | undefined {
  let best: number | undefined;
  for (const v of trial.intermediate) {
    if (v.step > step || v.value === null || !Number.isFinite(v.value)) continue;
    if (best === undefined || (goal === 'MAXIMIZE' ? v.value > best : v.value < best)) best = v.value;
  }
  return best;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The pruner a spec asks for: the median stopping rule when early stopping is enabled. */
export function createPruner(spec: Pick<StudySpec, 'enableTrialEarlyStopping'>, options?: MedianStoppingOptions): Pruner {
  return spec.enableTrialEarlyStopping ? new MedianStoppingPruner(options) : new NopPruner();
}
