// The one thing a sampler does: propose the parameters of the next trial from the trials so far.
// Samplers keep no state between calls (any randomness is keyed by seed and trial number), so a
// study that is resumed from its journal continues exactly where it stopped.
import type { Params } from '../scale';
import type { StudyView } from '../study';

export interface Sampler {
  /**
   * Parameters for trial `number`, given every trial so far — including those still running, so
   * parallel trials are not all sent to the same place. Undefined when nothing is left to try
   * (a grid that is exhausted).
   */
  ask(study: StudyView, number: number): Params | undefined;
}

/** The seed samplers use: the spec's, or a fixed one if a caller built the view without it. */
export function studySeed(study: StudyView): number {
  return study.spec.seed ?? 0;
}
