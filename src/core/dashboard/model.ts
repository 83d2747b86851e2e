// What the dashboard computes from runs, shared by the host and the webview (browser-safe, pure):
// run labels, stop markers, the best run, which series each chart draws, and epoch bookkeeping;
// for studies, the best-so-far curve and how each parameter's axis is drawn.
import type { ChartKind, DashboardRunStatus, EpochColumns, RunMarker, StudyParam, StudyTrial } from './protocol';
import type { Hyperparameters } from '../run/protocol';
import { formatSetting, NO_VALUE, type ValueFormat as AnyValueFormat } from '../format';

// ── labels ─────────────────────────────────────────────────────────────────────────────────────

/** Short names for the hyperparameters every lab has; the rest keep their own names. */
const SHORT_NAMES: Record<string, string> = {
  learningRate: 'lr',
  batchSize: 'batch',
  epochs: 'epochs',
  optimizer: 'opt',
  regularizationRate: 'reg',
  hiddenUnits: 'hidden',
};
const LABEL_ORDER = Object.keys(SHORT_NAMES);

/** "lr 0.01 · batch 32 · epochs 20": the run as the learner set it up. */
export function runLabel(hyperparameters: Hyperparameters, fallback: string): string {
  const keys = Object.keys(hyperparameters).sort((a, b) => {
    const ia = LABEL_ORDER.indexOf(a);
    const ib = LABEL_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.localeCompare(b);
  });
  if (keys.length === 0) return fallback;
  return keys
    .map((k) => {
      const v = hyperparameters[k]!;
      return `${Object.hasOwn(SHORT_NAMES, k) ? SHORT_NAMES[k] : k} ${typeof v === 'number' ? formatSetting(v) : String(v)}`;
    })
    .join(' · ');
}

/** "run 14:03:05" from an ISO time, for runs without hyperparameters. */
export function fallbackLabel(createdAt: string, id: string): string {
  const m = /T(\d\d:\d\d:\d\d)/.exec(createdAt);
  return m ? `run ${m[1]}` : `run ${id}`;
}

// ── markers ────────────────────────────────────────────────────────────────────────────────────

const STOP_TEXT: Record<RunMarker['kind'], string> = {
  diverged: 'the loss diverged',
  cancelled: 'the run was cancelled',
  failed: 'the run failed',
  timeout: 'the run hit its time limit',
  crashed: 'the runner crashed',
  oom: 'the run ran out of memory',
  interrupted: 'the run was interrupted',
};

/** Where and why a curve stops early; undefined for runs that are running or completed. */
export function runMarker(
  status: DashboardRunStatus,
  epochs: Pick<EpochColumns, 'epoch' | 'metrics'>,
  detail: { diagnosis?: string; failureMessage?: string } = {},
): RunMarker | undefined {
  if (status === 'running' || status === 'completed') return undefined;
  const last = epochs.epoch.length ? epochs.epoch[epochs.epoch.length - 1] : undefined;
  if (status === 'diverged') {
    // The first epoch whose loss is missing is where the numbers blew up.
    let at: number | undefined;
    for (const name of ['loss', 'val_loss']) {
      const col = epochs.metrics[name];
      if (!col) continue;
      const i = col.findIndex((v) => v === null);
      if (i >= 0 && (at === undefined || epochs.epoch[i]! < at)) at = epochs.epoch[i];
    }
    return withEpoch({ kind: 'diverged', message: detail.diagnosis ?? STOP_TEXT.diverged }, at ?? last);
  }
  return withEpoch({ kind: status, message: detail.failureMessage ?? STOP_TEXT[status] }, last);
}

function withEpoch(m: RunMarker, epoch: number | undefined): RunMarker {
  return epoch === undefined ? m : { ...m, epoch };
}

// ── charts ─────────────────────────────────────────────────────────────────────────────────────

/** How the dashboard reads a series' values: the formats of core/format.ts a chart draws. */
export type ValueFormat = Exclude<AnyValueFormat, 'integer'>;

export interface SeriesSpec {
  /** Names a run may use for this series; the first one present is drawn. */
  metrics: readonly string[];
  role: 'train' | 'validation';
}

export interface ChartSpec {
  kind: ChartKind;
  title: string;
  format: ValueFormat;
  /** Lower values are better (loss, error) or higher (accuracy). */
  better: 'lower' | 'higher';
  series: readonly SeriesSpec[];
}

export const CHART_SPECS: Record<Exclude<ChartKind, 'confusion'>, ChartSpec> = {
  loss: {
    kind: 'loss',
    title: 'Loss',
    format: 'number',
    better: 'lower',
    series: [
      { metrics: ['loss'], role: 'train' },
      { metrics: ['val_loss'], role: 'validation' },
    ],
  },
  rmse: {
    kind: 'rmse',
    title: 'RMSE',
    format: 'dollars',
    better: 'lower',
    series: [
      { metrics: ['rmse'], role: 'train' },
      { metrics: ['val_rmse'], role: 'validation' },
    ],
  },
  accuracy: {
    kind: 'accuracy',
    title: 'Accuracy',
    format: 'percent',
    better: 'higher',
    series: [
      { metrics: ['acc', 'accuracy'], role: 'train' },
      { metrics: ['val_acc', 'val_accuracy'], role: 'validation' },
    ],
  },
};

/** A chart's spec for a lab: errors in the label's units read in dollars only when the label is a price. */
export function chartSpecFor(kind: Exclude<ChartKind, 'confusion'>, labelUnit: string | undefined): ChartSpec {
  const spec = CHART_SPECS[kind];
  return spec.format === 'dollars' && labelUnit !== 'dollars' ? { ...spec, format: 'number' } : spec;
}

export interface DrawnSeries {
  metric: string;
  role: SeriesSpec['role'];
  /** The model a side-by-side run trained it for ("good", "linear"), from the `metric@model` name. */
  model?: string;
}

/**
 * What a chart draws of one run. A run that trains several models side by side reports each
 * model's series as `metric@model` (and its primary model's again under the plain name): then every
 * model gets its own curve and the plain duplicate is left out.
 */
export function seriesOfRun(spec: ChartSpec, metricNames: readonly string[]): DrawnSeries[] {
  const out: DrawnSeries[] = [];
  const names = new Set(metricNames);
  const models: string[] = [];
  for (const n of metricNames) {
    const at = n.indexOf('@');
    if (at > 0 && at < n.length - 1 && !models.includes(n.slice(at + 1))) models.push(n.slice(at + 1));
  }
  for (const s of spec.series) {
    const perModel = models.flatMap((model) => {
      const metric = s.metrics.map((m) => `${m}@${model}`).find((m) => names.has(m));
      return metric ? [{ metric, role: s.role, model }] : [];
    });
    if (perModel.length > 0) {
      out.push(...perModel);
      continue;
    }
    const metric = s.metrics.find((m) => names.has(m));
    if (metric) out.push({ metric, role: s.role });
  }
  // Each model's train and validation curves next to each other in the legend.
  return models.length ? [...out].sort((a, b) => models.indexOf(a.model ?? '') - models.indexOf(b.model ?? '')) : out;
}

/** Charts each harness shows when its manifest does not list them. */
const HARNESS_CHARTS: Record<string, readonly ChartKind[]> = {
  regression: ['loss', 'rmse'],
  classification: ['loss', 'accuracy', 'confusion'],
};

/**
 * The lab's chart list: what the manifest declares (or its harness implies), plus charts whose
 * metrics the runs actually report, so a new metric is never recorded but hidden.
 */
export function chartsForLab(lab: { harness?: string; charts?: readonly ChartKind[] }, metricNames: Iterable<string>): ChartKind[] {
  const set = new Set<ChartKind>(['loss', ...(lab.charts ?? HARNESS_CHARTS[lab.harness ?? ''] ?? [])]);
  const names = new Set(metricNames);
  for (const spec of Object.values(CHART_SPECS)) {
    if (spec.series.some((s) => s.metrics.some((m) => names.has(m)))) set.add(spec.kind);
  }
  const order: readonly ChartKind[] = ['loss', 'rmse', 'accuracy', 'confusion'];
  return order.filter((k) => set.has(k));
}

// ── best run ───────────────────────────────────────────────────────────────────────────────────

export interface RankableRun {
  id: string;
  status: DashboardRunStatus;
  epochs: Pick<EpochColumns, 'metrics'>;
}

function lastFinite(col: readonly (number | null)[] | undefined): number | undefined {
  if (!col) return undefined;
  for (let i = col.length - 1; i >= 0; i--) {
    const v = col[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
}

/**
 * The run whose final model is best on validation data (the model a run leaves is its last one).
 * Only runs that completed can win: one still running, stopped (cancelled, timed out, interrupted)
 * or failed left no finished model. Ties go to the earlier run.
 */
export function bestRunId(runs: readonly RankableRun[], metric = 'val_loss', better: 'lower' | 'higher' = 'lower'): string | undefined {
  let best: { id: string; value: number } | undefined;
  for (const run of runs) {
    if (run.status !== 'completed') continue;
    const v = lastFinite(run.epochs.metrics[metric]);
    if (v === undefined) continue;
    if (!best || (better === 'lower' ? v < best.value : v > best.value)) best = { id: run.id, value: v };
  }
  return best?.id;
}

// ── epochs ─────────────────────────────────────────────────────────────────────────────────────

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

// ── studies ────────────────────────────────────────────────────────────────────────────────────

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

/** "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NO_VALUE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  if (m < 60) return `${m} min ${String(total % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

// ── y axis ─────────────────────────────────────────────────────────────────────────────────────

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
    for (let e = lo - 1; e <= hi; e++) for (const m of [1, 2, 5]) {
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
