// What samplers and pruners see of a study: its spec, its search space and every trial so far,
// including those still running. Read-only; the study runner owns the state.
import type { Params, SearchParam } from './scale';
import type { StudySpec } from './spec';
import type { Trial } from './trial';

export interface StudyView {
  readonly spec: StudySpec;
  readonly space: readonly SearchParam[];
  /** In number order. */
  readonly trials: readonly Trial[];
}

/** The best trial so far: only completed trials count (a pruned trial never finished its training). */
export interface BestTrial {
  number: number;
  params: Params;
  objective: number;
  metrics?: Record<string, number | null>;
}

/** Whether objective `a` is strictly better than `b` under the study's goal. */
export function isBetter(goal: StudySpec['goal'], a: number, b: number): boolean {
  return goal === 'MAXIMIZE' ? a > b : a < b;
}

export function bestTrial(spec: Pick<StudySpec, 'goal'>, trials: readonly Trial[]): BestTrial | undefined {
  let best: Trial | undefined;
  for (const t of trials) {
    if (t.state !== 'completed' || typeof t.objective !== 'number') continue;
    if (!best || isBetter(spec.goal, t.objective, best.objective as number)) best = t;
  }
  if (!best) return undefined;
  return { number: best.number, params: best.params, objective: best.objective as number, metrics: best.metrics };
}
