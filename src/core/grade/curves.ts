// Reading a training curve the way the labs teach it: did it diverge, jump about, stay where it
// started, keep falling, or turn back up on the validation rows while the training loss fell?
import type { Metrics } from '../run/protocol';

export interface CurveFacts {
  /** Epochs with a value. */
  n: number;
  first: number;
  last: number;
  min: number;
  /** 1-based epoch of the lowest value. */
  minAt: number;
  /** A value became NaN or infinite. */
  diverged: boolean;
  /** The largest jump, in the final window, above the lowest value before it (1 = none). */
  worstRise: number;
  worstRiseAt: number;
  /** Fraction by which the best value of the final window beats the best before it (negative: it did not). */
  fallInWindow: number;
  window: number;
  /** Epochs whose value rose above the epoch before (after the first epoch: every step). */
  rises: number;
  /** The rises added up, as a fraction of the lowest value: how far the curve climbed back in all. */
  climbed: number;
}

export function seriesOf(epochs: readonly { metrics: Metrics }[], name: string): (number | null)[] {
  return epochs.map((e) => (e.metrics[name] === undefined ? null : e.metrics[name]));
}

export function curveFacts(values: readonly (number | null)[], window = 5): CurveFacts | undefined {
  const present = values.filter((v): v is number | null => v !== undefined);
  if (present.length === 0) return undefined;
  const diverged = present.some((v) => v === null || !Number.isFinite(v));
  const finite = present.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0)
    return {
      n: present.length,
      first: NaN,
      last: NaN,
      min: NaN,
      minAt: 0,
      diverged: true,
      worstRise: Infinity,
      worstRiseAt: 1,
      fallInWindow: 0,
      window,
      rises: 0,
      climbed: 0,
    };
  const w = Math.min(window, Math.max(1, finite.length - 1));
  let min = finite[0];
  let minAt = 1;
  let worstRise = 1;
  let worstRiseAt = 0;
  let lowest = finite[0];
  for (let t = 1; t < finite.length; t++) {
    if (t >= finite.length - w) {
      const rise = lowest > 0 ? finite[t] / lowest : finite[t] <= lowest ? 1 : Infinity;
      if (rise > worstRise) [worstRise, worstRiseAt] = [rise, t + 1];
    }
    lowest = Math.min(lowest, finite[t]);
    if (finite[t] < min) [min, minAt] = [finite[t], t + 1];
  }
  const before = Math.min(...finite.slice(0, finite.length - w + 1));
  const inWindow = Math.min(...finite.slice(-w + 1 || finite.length));
  const fallInWindow = before > 0 ? (before - inWindow) / before : 0;
  // A curve that learns steadily only goes down, but for small noise; one whose steps overshoot keeps
  // climbing back (read over every step: an unstable start is as telling as an unstable end).
  let rises = 0;
  let up = 0;
  for (let t = 1; t < finite.length; t++) {
    if (finite[t] > finite[t - 1]) {
      rises++;
      up += finite[t] - finite[t - 1];
    }
  }
  const climbed = min > 0 ? up / min : 0;
  return {
    n: finite.length,
    first: finite[0],
    last: finite[finite.length - 1],
    min,
    minAt,
    diverged,
    worstRise,
    worstRiseAt,
    fallInWindow,
    window: w,
    rises,
    climbed,
  };
}

/**
 * The model learned (almost) nothing: its loss hardly moved from where it started (before training
 * when known, else after the first epoch) and ended where always predicting the average would leave
 * it. A model that learned the average quickly and could do no better is not stuck: its loss fell.
 */
export function isStuck(train: CurveFacts | undefined, baselineLoss: number | undefined, initialLoss?: number): boolean {
  if (!train || train.diverged) return false;
  const start = initialLoss !== undefined && Number.isFinite(initialLoss) && initialLoss > 0 ? initialLoss : train.first;
  const fell = start > 0 ? (start - train.last) / start : 0;
  if (fell >= 0.1) return false;
  return baselineLoss === undefined || !(baselineLoss > 0) || train.last >= 0.8 * baselineLoss;
}
