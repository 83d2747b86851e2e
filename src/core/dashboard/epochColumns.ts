// A run's epochs as the dashboard holds them, shared by the host and the webview (browser-safe,
// pure): columns merged batch by batch, several runs aligned on one x axis, and decimation for
// drawing many points.
import type { EpochColumns } from './records';

export function emptyColumns(): EpochColumns {
  return { epoch: [], elapsedMs: [], metrics: {} };
}

/**
 * Adds a batch of epochs to a run's columns in place. Epochs already present are replaced, so the
 * same epoch sent twice (a snapshot racing a live batch) never draws twice and none is lost.
 * Returns whether existing epochs changed (not just appended), which invalidates cached smoothing.
 */
export function mergeEpochs(target: EpochColumns, batch: EpochColumns): { appended: number; rewritten: boolean } {
  const n = target.epoch.length;
  for (const name of Object.keys(batch.metrics)) {
    if (!Object.hasOwn(target.metrics, name)) target.metrics[name] = new Array<number | null>(n).fill(null);
  }
  const names = Object.keys(target.metrics);
  const last = n ? target.epoch[n - 1]! : 0;
  if (batch.epoch.length === 0) return { appended: 0, rewritten: false };
  if (batch.epoch[0]! > last) {
    // The common case while a run streams: everything is new and in order.
    for (let k = 0; k < batch.epoch.length; k++) {
      target.epoch.push(batch.epoch[k]!);
      target.elapsedMs.push(batch.elapsedMs[k]!);
      for (const name of names) target.metrics[name]!.push(batch.metrics[name]?.[k] ?? null);
    }
    return { appended: batch.epoch.length, rewritten: false };
  }
  let appended = 0;
  let rewritten = false;
  for (let k = 0; k < batch.epoch.length; k++) {
    const e = batch.epoch[k]!;
    const i = lowerBound(target.epoch, e);
    if (target.epoch[i] === e) {
      rewritten = true;
      target.elapsedMs[i] = batch.elapsedMs[k]!;
      for (const name of Object.keys(batch.metrics)) target.metrics[name]![i] = batch.metrics[name]![k] ?? null;
    } else {
      if (i < target.epoch.length) rewritten = true;
      else appended++;
      target.epoch.splice(i, 0, e);
      target.elapsedMs.splice(i, 0, batch.elapsedMs[k]!);
      for (const name of names) target.metrics[name]!.splice(i, 0, batch.metrics[name]?.[k] ?? null);
    }
  }
  return { appended, rewritten };
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The x values shared by several runs (uPlot draws series over one x array) and, per run, the
 * position of each of its epochs in it. Runs numbered 1..n (the usual case) need no search.
 */
export function alignEpochs(runs: readonly (readonly number[])[]): { x: number[]; positions: (number[] | null)[] } {
  let max = 0;
  let contiguous = true;
  for (const ep of runs) {
    if (ep.length && ep[ep.length - 1]! !== ep.length) contiguous = false;
    if (ep.length) max = Math.max(max, ep[ep.length - 1]!);
  }
  if (contiguous) {
    const x = new Array<number>(max);
    for (let i = 0; i < max; i++) x[i] = i + 1;
    // null: epoch k sits at index k - 1.
    return { x, positions: runs.map(() => null) };
  }
  const all = new Set<number>();
  for (const ep of runs) for (const e of ep) all.add(e);
  const x = [...all].sort((a, b) => a - b);
  const index = new Map<number, number>();
  x.forEach((e, i) => index.set(e, i));
  return { x, positions: runs.map((ep) => ep.map((e) => index.get(e)!)) };
}

/** A series as drawn: numbers, with null, undefined or NaN for a missing value. */
export type SeriesValues = ArrayLike<number | null | undefined>;

export interface Decimated {
  x: number[];
  ys: (number | null)[][];
  /** For each point kept, its index in the full data (to read out exact values under the cursor). */
  source: number[];
}

/**
 * Min/max decimation for drawing many more epochs than there are pixels: each bucket of `bucket`
 * consecutive epochs keeps, per series, its lowest and highest value in the order they occur,
 * at the bucket's first and last epoch. Spikes (a loss blowing up) survive, and the line drawn
 * differs from the full one by less than a bucket's width, i.e. a pixel or two. Buckets with no
 * value for a series stay gaps. Returns undefined when there is nothing to gain (bucket < 3).
 */
export function decimate(x: readonly number[], ys: readonly SeriesValues[], bucket: number): Decimated | undefined {
  const b = Math.floor(bucket);
  const n = x.length;
  if (b < 3 || n <= b) return undefined;
  const outX: number[] = [];
  const source: number[] = [];
  for (let start = 0; start < n; start += b) {
    const end = Math.min(n, start + b) - 1;
    outX.push(x[start]!);
    source.push(start);
    // A last bucket of one epoch gives one point: x values must not repeat.
    if (end > start) {
      outX.push(x[end]!);
      source.push(end);
    }
  }
  const outYs = ys.map((y) => {
    const out: (number | null)[] = [];
    for (let start = 0; start < n; start += b) {
      const end = Math.min(n, start + b);
      let iMin = -1;
      let iMax = -1;
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const v = y[i];
        if (v === null || v === undefined || v !== v) continue;
        if (v < min) {
          min = v;
          iMin = i;
        }
        if (v > max) {
          max = v;
          iMax = i;
        }
      }
      const two = end - 1 > start;
      if (iMin < 0) {
        out.push(null);
        if (two) out.push(null);
      } else if (!two) out.push(min);
      else if (iMin <= iMax) out.push(min, max);
      else out.push(max, min);
    }
    return out;
  });
  return { x: outX, ys: outYs, source };
}

/**
 * A run's values over the shared x array, NaN where the run has no epoch. Runs numbered 1..n need
 * no copy: their values already sit at the right places (reads past their end are missing values).
 */
export function spread(values: Float64Array, positions: readonly number[] | null, length: number): Float64Array {
  if (positions === null) return values;
  const out = new Float64Array(length).fill(Number.NaN);
  for (let k = 0; k < positions.length; k++) out[positions[k]!] = values[k]!;
  return out;
}

/** A drawn series for uPlot, which marks gaps with null. */
export function nullable(values: SeriesValues, length: number): (number | null)[] {
  const out = new Array<number | null>(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined || v !== v ? null : v;
  }
  return out;
}
