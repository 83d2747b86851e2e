// The dashboard's y axis (browser-safe, pure): a series' level, a range that keeps an off-scale
// run from flattening the others, and the splits of a log axis.
import type { SeriesValues } from './epochColumns';

/** A series' typical value: the median of its finite (on a log axis: positive) values. */
export function seriesLevel(values: SeriesValues, log: boolean): number | undefined {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v !== v || !Number.isFinite(v) || (log && v <= 0)) continue;
    finite.push(v);
  }
  if (!finite.length) return undefined;
  finite.sort((a, b) => a - b);
  return finite[Math.floor((finite.length - 1) / 2)];
}

/** How far above the others a series' typical value must sit to be left out of the y range. */
export const OFF_SCALE_RATIO = 100;

export interface YRange {
  min: number;
  max: number;
  /** Series (by index) left out of the range: they run far above the others and are cut off at the top. */
  above: number[];
}

/**
 * The y range of a chart. On a linear axis, a run whose values sit more than OFF_SCALE_RATIO × above
 * the rest (a starter whose loss is 5e10 beside runs at 0.5) would flatten every other curve onto
 * zero: it is left out of the range and reported, so the learner sees the runs they compare. On a
 * log axis every run fits, in whole decades.
 */
export function yRange(ys: readonly SeriesValues[], log: boolean): YRange | undefined {
  const levels = ys.map((y) => seriesLevel(y, log));
  const above = new Set<number>();
  if (!log) {
    const known = levels.map((l, i) => ({ l, i })).filter((x): x is { l: number; i: number } => x.l !== undefined);
    const sorted = [...known].sort((a, b) => Math.abs(a.l) - Math.abs(b.l));
    // The first big jump between consecutive levels splits the runs: everything above it is out.
    for (let k = 1; k < sorted.length; k++) {
      const lo = Math.max(Math.abs(sorted[k - 1]!.l), Number.MIN_VALUE);
      if (Math.abs(sorted[k]!.l) / lo > OFF_SCALE_RATIO) {
        for (const x of sorted.slice(k)) above.add(x.i);
        break;
      }
    }
  }
  let min = Infinity;
  let max = -Infinity;
  ys.forEach((y, i) => {
    if (above.has(i)) return;
    for (let k = 0; k < y.length; k++) {
      const v = y[k];
      if (v === null || v === undefined || v !== v || !Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  });
  if (min === Infinity) return undefined;
  if (log) {
    const lo = Math.floor(Math.log10(min) + 1e-9);
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
    return { min: 10 ** lo, max: 10 ** hi, above: [] };
  }
  const span = max - min;
  // A flat curve (one epoch) still gets a readable band around its value.
  const pad = span > 0 ? span * 0.05 : Math.abs(max) * 0.05 || 1;
  return { min: min >= 0 && min - pad < 0 ? 0 : min - pad, max: max + pad, above: [...above].sort((a, b) => a - b) };
}

/**
 * Tick values of a log axis: whole decades, every k-th one when there are many, so a range of
 * eleven decades draws six grid lines, not ninety; within one decade, 1-2-5 steps.
 */
export function logSplits(min: number, max: number, maxTicks = 6): number[] {
  if (!(min > 0) || !(max > min)) return min > 0 ? [min] : [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi - lo <= 1) {
    const out: number[] = [];
    for (let e = lo - 1; e <= hi; e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
      }
    return out;
  }
  const step = Math.max(1, Math.ceil((hi - lo + 1) / maxTicks));
  const out: number[] = [];
  for (let e = lo; e <= hi; e += step) {
    const v = 10 ** e;
    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
  }
  return out;
}
