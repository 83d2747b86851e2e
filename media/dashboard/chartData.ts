// What a run chart draws, before uPlot sees it: a series per run and metric of the chart's family
// (its label and colour), and each series smoothed, cached so new epochs only extend the curve.
import { seriesOfRun, type ChartSpec } from '../../src/core/dashboard/model';
import { EmaSmoother } from '../../src/core/dashboard/smoothing';
import type { RunEntry } from './store';
import type { Theme } from './theme';

export interface ChartInputs {
  /** Visible runs, oldest first. */
  runs: readonly RunEntry[];
  smoothing: number;
  logScale: boolean;
  bestRunId: string | undefined;
  theme: Theme;
  /** Changes whenever the theme is re-read, to rebuild with new colours. */
  themeStamp: number;
}

export interface SeriesMeta {
  run: RunEntry;
  metric: string;
  role: 'train' | 'validation';
  label: string;
  color: string;
  /** Position of each of the run's epochs in the shared x array (null: epoch k at k - 1). */
  positions: number[] | null;
}

/** Every series of the chart's family in the visible runs, in order. */
export function seriesMetaOf(spec: ChartSpec, inputs: ChartInputs): SeriesMeta[] {
  const meta: SeriesMeta[] = [];
  for (const run of inputs.runs) {
    const models: string[] = [];
    for (const s of seriesOfRun(spec, Object.keys(run.epochs.metrics))) {
      // Models trained side by side in one run: each its own colour, named in the label.
      let k = 0;
      if (s.model !== undefined) {
        k = models.indexOf(s.model);
        if (k < 0) k = models.push(s.model) - 1;
      }
      const role = s.role === 'train' ? 'train' : 'val';
      meta.push({
        run,
        metric: s.metric,
        role: s.role,
        label: s.model === undefined ? `${run.info.label} · ${role}` : `${run.info.label} · ${s.model} · ${role}`,
        color: inputs.theme.palette[(run.colorIndex + k) % inputs.theme.palette.length]!,
        positions: null,
      });
    }
  }
  return meta;
}

/** The best run's lines are thicker. */
export function lineWidth(m: SeriesMeta, inputs: ChartInputs): number {
  return inputs.theme.lineWidth + (m.run.info.id === inputs.bestRunId ? 1.25 : 0);
}

/** The series' recorded value at position `idx` of the shared x array (null: none there). */
export function rawAt(m: SeriesMeta, idx: number): number | null {
  const col = m.run.epochs.metrics[m.metric]!;
  if (m.positions === null) return col[idx] ?? null;
  const k = m.positions.indexOf(idx);
  return k >= 0 ? (col[k] ?? null) : null;
}

interface SmoothCache {
  weight: number;
  revision: number;
  smoother: EmaSmoother;
  /** Smoothed values (NaN: missing); grows by doubling as epochs arrive. */
  buf: Float64Array;
  length: number;
}

const keyOf = (m: SeriesMeta) => `${m.run.info.id}|${m.metric}`;

export class SmoothedCurves {
  private readonly cache = new Map<string, SmoothCache>();

  /** The series as drawn, smoothed (or copied at weight 0) into plain doubles. */
  of(m: SeriesMeta, weight: number): Float64Array {
    const col = m.run.epochs.metrics[m.metric]!;
    const key = keyOf(m);
    let c = this.cache.get(key);
    if (!c || c.weight !== weight || c.revision !== m.run.revision || c.length > col.length) {
      c = { weight, revision: m.run.revision, smoother: new EmaSmoother(weight), buf: new Float64Array(Math.max(64, col.length)), length: 0 };
      this.cache.set(key, c);
    }
    if (col.length > c.buf.length) {
      const grown = new Float64Array(Math.max(col.length, c.buf.length * 2));
      grown.set(c.buf.subarray(0, c.length));
      c.buf = grown;
    }
    // EMA only looks back, so new epochs extend the cached curve instead of recomputing it.
    c.smoother.extendInto(col, c.buf, c.length);
    c.length = col.length;
    return c.buf.subarray(0, c.length);
  }

  /** Forgets the curves of series no longer shown (deleted runs, another lab). */
  keepOnly(meta: readonly SeriesMeta[]): void {
    const keep = new Set(meta.map(keyOf));
    for (const key of this.cache.keys()) if (!keep.has(key)) this.cache.delete(key);
  }
}
