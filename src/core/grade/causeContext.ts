// What a cause reads from a run: the context it is given (evidence, outputs, curves, settings, the
// learner's sources) and small readings of it shared by the causes (a curve's facts, the rate, the
// widest input, money in the lab's unit).
import type { Evidence } from './evidence';
import { curveFacts, seriesOf, type CurveFacts } from './curves';
import { formatNumber } from '../format';
import type { Hyperparameters, Metrics } from '../run/protocol';

export interface CauseContext {
  evidence?: Evidence;
  outputs: Metrics;
  hyperparameters: Hyperparameters;
  /** Recorded epochs in order; `epoch` is the epoch's number when not every epoch was recorded. */
  epochs: readonly { epoch?: number; metrics: Metrics }[];
  status: string;
  /** Classification labs: the class names. */
  classes?: readonly string[];
  /** The label's unit, for errors shown in it. */
  labelUnit?: 'dollars';
}

/** Where the fix goes in the learner's file. */
export type Knob = { export: string } | { value: string } | { pattern: string };

export interface Explanation {
  /** What the evidence shows and what to change, in plain words. */
  text: string;
  knob: Knob;
  /** The cause it comes down to, when another one explains this (a stuck model whose label is unscaled). */
  rootCause?: string;
}

export interface Cause {
  id: string;
  explain(ctx: CauseContext): Explanation | undefined;
}

export const SYMMETRIC_INIT = new Set(['Zeros', 'Ones', 'Constant']);
/** A curve that climbs back by this share of its lowest value per epoch, on average, is erratic (small-batch noise: about 1 %). */
const ZIGZAG = 0.05;

export function curve(ctx: CauseContext, name: string): CurveFacts | undefined {
  return curveFacts(seriesOf(ctx.epochs, name));
}

/** The curve ended on (about) its lowest value and was still going down: training had more to give. */
export function stillImproving(c: CurveFacts): boolean {
  return c.last <= 1.005 * c.min && c.fallInWindow > 0.005 && !zigzags(c);
}

/** Up and down by large steps, epoch after epoch: a last value that happens to be low is luck, not progress. */
export function zigzags(c: CurveFacts): boolean {
  return c.rises >= 2 && c.n > 1 && c.climbed / (c.n - 1) >= ZIGZAG;
}

/** The epoch number of the i-th (1-based) recorded point of a curve that every record has. */
export function epochNumber(ctx: CauseContext, i: number): number {
  return ctx.epochs[i - 1]?.epoch ?? i;
}

/** How many epochs a span of `points` recorded points at the end of the curve covers. */
export function epochsIn(ctx: CauseContext, n: number, points: number): number {
  return epochNumber(ctx, n) - (n - points >= 1 ? epochNumber(ctx, n - points) : 0);
}

/** A regression model whose held-out error is within 5 % of the best straight line through its features. */
export function asGoodAsBestLine(ctx: CauseContext): boolean {
  const test = ctx.outputs.test_rmse;
  const line = ctx.outputs.least_squares_rmse;
  return ctx.evidence?.task === 'regression' && typeof test === 'number' && typeof line === 'number' && test <= 1.05 * line;
}

export function rate(ctx: CauseContext): number | undefined {
  const v = ctx.evidence?.model?.learningRate ?? ctx.hyperparameters.learningRate;
  return typeof v === 'number' ? v : undefined;
}

export function money(ctx: CauseContext, x: number): string {
  return ctx.labelUnit === 'dollars' ? `$${Math.round(x).toLocaleString('en-US')}` : formatNumber(x);
}

export function widest(e: Evidence): { column: number; mean: number; std: number } | undefined {
  if (!e.inputs?.length) return undefined;
  let best: { column: number; mean: number; std: number } | undefined;
  e.inputs.forEach((c, i) => {
    const size = Math.max(Math.abs(c.mean), c.std);
    if (!best || size > Math.max(Math.abs(best.mean), best.std)) best = { column: i + 1, mean: c.mean, std: c.std };
  });
  return best;
}
