// The one thing a sampler does: propose the parameters of the next trial from the trials so far.
// Samplers keep no state between calls (any randomness is keyed by seed and trial number), so a
// study that is resumed from its journal continues exactly where it stopped.
import type { Params } from '../scale';
import type { StudyView } from '../study';

/** A sampler's answer: the parameters of the trial, or undefined when nothing is left to try. */
export type Proposal = Params | undefined;

/** What the study runner offers a sampler besides the trials: nothing it may base a proposal on. */
export interface SamplerContext {
  /** Tells the user something that does not stop the study (it becomes a study warning). */
  warn(message: string): void;
}

export interface Sampler {
  /**
   * Parameters for trial `number`, given every trial so far — including those still running, so
   * parallel trials are not all sent to the same place. Undefined when nothing is left to try
   * (a grid that is exhausted).
   *
   * A sampler that computes for long may answer with a promise (e.g. from a worker thread), so
   * the caller's thread stays free. The answer must depend only on the view as it is at the call:
   * the caller's trials go on changing while the promise is pending (trials finish), so such a
   * sampler copies what it needs before it returns.
   */
  ask(study: StudyView, number: number, context?: SamplerContext): Proposal | Promise<Proposal>;
  /**
   * Releases what the sampler holds (a worker thread); the study runner calls it when the study
   * ends. A sampler that is asked again afterwards takes up what it needs again.
   */
  close?(): void | Promise<void>;
}

/** A sampler that answers at once, on the caller's thread: grid, random, Gaussian process. */
export interface SyncSampler extends Sampler {
  ask(study: StudyView, number: number): Proposal;
}

/** The seed samplers use: the spec's, or a fixed one if a caller built the view without it. */
export function studySeed(study: StudyView): number {
  return study.spec.seed ?? 0;
}
