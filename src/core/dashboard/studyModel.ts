// What the dashboard computes for hyperparameter studies, shared by the host and the webview
// (browser-safe, pure): the best-so-far curve, how each parameter's axis is drawn, how the
// objective reads.
import type { StudyParam, StudyTrial } from './records';
import type { ValueFormat } from './model';

export type StudyGoal = 'MAXIMIZE' | 'MINIMIZE';

/** Whether objective `a` is strictly better than `b` (the tuner's own rule). */
export function betterObjective(goal: StudyGoal, a: number, b: number): boolean {
  return goal === 'MAXIMIZE' ? a > b : a < b;
}

/**
 * The best objective of the completed trials up to each trial (in the order given), null before the
 * first. Pruned trials do not count, as in the tuner: they never finished training.
 */
export function bestSoFar(trials: readonly Pick<StudyTrial, 'state' | 'objective'>[], goal: StudyGoal): (number | null)[] {
  let best: number | null = null;
  return trials.map((t) => {
    if (t.state === 'completed' && typeof t.objective === 'number' && (best === null || betterObjective(goal, t.objective, best))) best = t.objective;
    return best;
  });
}

/** How a parameter's axis is drawn: log-scaled ranges on a log axis, categories as evenly spaced names. */
export type ParamAxis = 'linear' | 'log' | 'category';

export function paramAxis(param: Pick<StudyParam, 'type' | 'scale'>): ParamAxis {
  if (param.type === 'CATEGORICAL') return 'category';
  // Reverse log crowds values near the top of the range; a linear axis still shows them in order.
  return param.scale === 'UNIT_LOG_SCALE' ? 'log' : 'linear';
}

/**
 * Where a trial sits on a categorical axis: its category's index, spread a little by trial number
 * (always the same way) so that trials of one category do not hide each other.
 */
export function categoryPosition(index: number, trialNumber: number): number {
  const spread = ((trialNumber * 0.6180339887) % 1) - 0.5;
  return index + spread * 0.5;
}

/**
 * How a study's objective reads: accuracy as a percentage, an error in the label's units (RMSE,
 * MAE) in dollars when the lab's label is a price, anything else as a plain number.
 */
export function objectiveFormat(metric: string, labelUnit: string | undefined): ValueFormat {
  if (/(^|_)(acc|accuracy)$/.test(metric)) return 'percent';
  if (labelUnit === 'dollars' && /(^|_)(rmse|mae)($|@)/.test(metric)) return 'dollars';
  return 'number';
}
