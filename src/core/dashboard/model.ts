// What the dashboard computes from runs, shared by the host and the webview (browser-safe, pure):
// run labels, stop markers, the best run and which series each chart draws. Epoch columns, studies
// and the y axis have modules of their own beside this one.
import type { ChartKind, DashboardRunStatus, EpochColumns, RunMarker } from './records';
import type { Hyperparameters } from '../run/protocol';
import { formatSetting, type ValueFormat as AnyValueFormat } from '../format';

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
