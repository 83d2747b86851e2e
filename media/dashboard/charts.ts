// One uPlot chart per metric family (loss, RMSE, accuracy): every visible run drawn over the same
// epochs, validation solid and training dashed, smoothed as TensorBoard does, with a marker where a
// run stopped early. uPlot does the drawing, scales, cursor and legend readout; this file only feeds it.
import uPlot from 'uplot';
import { alignEpochs, decimate, nullable, spread } from '../../src/core/dashboard/epochColumns';
import { logSplits, seriesLevel, yRange, OFF_SCALE_RATIO, type YRange } from '../../src/core/dashboard/yAxis';
import { seriesOfRun, type ChartSpec } from '../../src/core/dashboard/model';
import type { RunMarker } from '../../src/core/dashboard/records';
import { EmaSmoother } from '../../src/core/dashboard/smoothing';
import { h } from './dom';
import type { RunEntry } from './store';
import type { Theme } from './theme';
import { formatTicks, formatValue, NO_VALUE } from '../../src/core/format';

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

interface SeriesMeta {
  run: RunEntry;
  metric: string;
  role: 'train' | 'validation';
  label: string;
  color: string;
  /** Position of each of the run's epochs in the shared x array (null: epoch k at k - 1). */
  positions: number[] | null;
}

interface SmoothCache {
  weight: number;
  revision: number;
  smoother: EmaSmoother;
  /** Smoothed values (NaN: missing); grows by doubling as epochs arrive. */
  buf: Float64Array;
  length: number;
}

export interface ChartInfo {
  kind: string;
  series: string[];
  /** Values per series in the chart's data (every epoch). */
  points: number[];
  /** Points per series handed to uPlot (fewer when decimated for drawing). */
  drawn: number[];
  data: (number | null)[][];
  x: number[];
  yDistr: number;
  yMin: number | undefined;
  yMax: number | undefined;
  zoomed: boolean;
  width: number;
  height: number;
  /** Line width per series: the best run's are thicker. */
  lineWidths: number[];
  /** The y axis's tick labels as last drawn. */
  yTicks: string[];
  /** Series left out of the y range (far above the others), by label. */
  offScale: string[];
}

const STOP_WORD: Record<RunMarker['kind'], string> = {
  diverged: 'diverged',
  cancelled: 'cancelled',
  failed: 'failed',
  timeout: 'timed out',
  crashed: 'crashed',
  oom: 'out of memory',
  interrupted: 'interrupted',
};

const OFF_SCALE_TEXT = `${OFF_SCALE_RATIO} times`;

/** uPlot's logarithmic scale (its const enum cannot be read under isolatedModules). */
const LOG_DISTRIBUTION = 3 as uPlot.Scale.Distr;

const X_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

export function runColor(theme: Theme, run: RunEntry): string {
  return theme.palette[run.colorIndex % theme.palette.length]!;
}

export class ChartView {
  readonly figure: HTMLElement;
  private readonly plotEl: HTMLDivElement;
  private readonly emptyEl: HTMLParagraphElement;
  private readonly offScaleEl: HTMLParagraphElement;
  private u: uPlot | undefined;
  /** The y range the data asks for (recomputed with the data), and the tick labels last drawn. */
  private yr: YRange | undefined;
  private yTicks: string[] = [];
  private structure = '';
  private meta: SeriesMeta[] = [];
  private inputs: ChartInputs | undefined;
  private readonly cache = new Map<string, SmoothCache>();
  private readonly resize: ResizeObserver;
  private resizeQueued = 0;
  private cursorIdx = -1;
  /** Every epoch of every series, as drawn before decimation. */
  private full: { x: number[]; ys: Float64Array[] } = { x: [], ys: [] };
  /** Index in `full` of each point handed to uPlot; null when nothing was decimated. */
  private source: number[] | null = null;
  /** Set while this view changes uPlot's data, to tell its own scale changes from the learner's zoom. */
  private updating = false;
  private rezoomQueued = 0;

  constructor(
    readonly spec: ChartSpec,
    private readonly handlers: { savePng(chart: ChartView): void; announce(text: string): void },
  ) {
    const titleId = `chart-title-${spec.kind}`;
    this.plotEl = h('div', {
      class: 'plot',
      attrs: {
        tabindex: '0',
        role: 'group',
        'aria-labelledby': titleId,
        'aria-description': 'Arrow keys step through epochs and read out the values; Home and End jump to the first and last epoch.',
      },
      on: { keydown: (e) => this.onKey(e), blur: () => this.hideCursor() },
    });
    this.emptyEl = h('p', { class: 'empty' }, 'No values yet.');
    this.offScaleEl = h('p', { class: 'off-scale', attrs: { role: 'note' } });
    this.offScaleEl.hidden = true;
    this.figure = h(
      'figure',
      { class: `chart chart-${spec.kind}`, attrs: { 'data-chart': spec.kind } },
      h(
        'figcaption',
        {},
        h('h2', { attrs: { id: titleId } }, spec.title),
        h('span', { class: 'legend-note', attrs: { 'aria-hidden': 'true' } }, '— validation  ┄ training'),
        h(
          'button',
          {
            class: 'secondary',
            attrs: { type: 'button', title: `Save the ${spec.title} chart as a PNG image` },
            on: { click: () => this.handlers.savePng(this) },
          },
          'Save PNG',
        ),
      ),
      this.emptyEl,
      this.offScaleEl,
      this.plotEl,
    );
    this.resize = new ResizeObserver(() => {
      if (this.resizeQueued) return;
      this.resizeQueued = requestAnimationFrame(() => {
        this.resizeQueued = 0;
        this.fitSize();
      });
    });
    this.resize.observe(this.figure);
  }

  private size(): { width: number; height: number } {
    const width = Math.max(240, Math.floor(this.figure.clientWidth || 600));
    return { width, height: Math.round(Math.min(340, Math.max(200, width * 0.42))) };
  }

  private fitSize(): void {
    if (!this.u) return;
    const s = this.size();
    if (s.width !== this.u.width || s.height !== this.u.height) {
      this.u.setSize(s);
      this.redecimate();
    }
  }

  /** Brings the chart up to date; `changed` are the runs whose epochs changed since the last call. */
  update(inputs: ChartInputs, changed: ReadonlySet<string> | 'all'): void {
    const prev = this.inputs;
    this.inputs = inputs;
    const logApplies = this.spec.better === 'lower';
    const meta: SeriesMeta[] = [];
    for (const run of inputs.runs) {
      const models: string[] = [];
      for (const s of seriesOfRun(this.spec, Object.keys(run.epochs.metrics))) {
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
    // The best run is not part of the structure: it changes often while a run streams, and only
    // its line width changes (set in place), not the series.
    const structure = JSON.stringify([
      meta.map((m) => [m.run.info.id, m.metric, m.label, m.color]),
      logApplies && inputs.logScale,
      inputs.themeStamp,
      inputs.smoothing > 0,
    ]);
    const structural = structure !== this.structure || !this.u;
    const relevant =
      changed === 'all' ||
      structural ||
      !prev ||
      prev.smoothing !== inputs.smoothing ||
      prev.bestRunId !== inputs.bestRunId ||
      meta.some((m) => changed.has(m.run.info.id));
    if (!relevant) return;

    const runsWithSeries = [...new Set(meta.map((m) => m.run))];
    const aligned = alignEpochs(runsWithSeries.map((r) => r.epochs.epoch));
    const posOf = new Map(runsWithSeries.map((r, i) => [r, aligned.positions[i]!] as const));
    for (const m of meta) m.positions = posOf.get(m.run) ?? null;
    const ys = meta.map((m) => spread(this.smoothed(m, inputs.smoothing), m.positions, aligned.x.length));
    this.full = { x: aligned.x, ys };
    this.meta = meta;
    const log = logApplies && inputs.logScale;
    this.yr = yRange(ys, log);
    this.showOffScale(log);

    this.emptyEl.hidden = meta.length > 0;
    this.plotEl.hidden = meta.length === 0;
    if (structural) {
      this.structure = structure;
      // Forget smoothed curves of series no longer shown (deleted runs, another lab).
      const keep = new Set(meta.map((m) => `${m.run.info.id}|${m.metric}`));
      for (const key of this.cache.keys()) if (!keep.has(key)) this.cache.delete(key);
      this.u?.destroy();
      this.u = undefined;
      if (meta.length === 0) return;
      const size = this.size();
      const data = this.drawData(size.width, null);
      this.updating = true;
      this.u = new uPlot(this.options(inputs, logApplies && inputs.logScale, size), data, (u, init) => {
        this.plotEl.replaceChildren(u.root);
        // Draw now rather than in a microtask, so a frame's work is measured and finished in that frame.
        u.batch(() => (init as () => void)()); // uPlot types it as Function
      });
      this.markBest(this.u, inputs);
      this.updating = false;
      this.cursorIdx = -1;
      return;
    }
    if (!this.u) return;
    const u = this.u;
    const zoomed = this.isZoomed();
    const data = this.drawData(u.width, zoomed ? this.xRange() : null);
    this.markBest(u, inputs);
    this.updating = true;
    u.batch(() => u.setData(data, !zoomed));
    this.updating = false;
  }

  /** Says which runs are cut off at the top, and how to see them. */
  private showOffScale(log: boolean): void {
    const above = this.yr?.above ?? [];
    const runs = new Map<string, { label: string; level: number }>();
    for (const i of above) {
      const m = this.meta[i];
      const level = m ? seriesLevel(this.full.ys[i]!, log) : undefined;
      if (m && level !== undefined && !runs.has(m.run.info.id)) runs.set(m.run.info.id, { label: m.run.info.label, level });
    }
    const text = [...runs.values()].map((r) => `${r.label} (around ${formatValue(r.level, this.spec.format)})`).join('; ');
    const note = runs.size
      ? `Above this chart: ${text}. Its values are over ${OFF_SCALE_TEXT} the others', which would flatten them; hide it in the list of runs, or turn on Log scale to see all.`
      : '';
    if (this.offScaleEl.textContent !== note) this.offScaleEl.textContent = note;
    this.offScaleEl.hidden = runs.size === 0;
  }

  private lineWidth(m: SeriesMeta, inputs: ChartInputs): number {
    return inputs.theme.lineWidth + (m.run.info.id === inputs.bestRunId ? 1.25 : 0);
  }

  /** The best run's lines are drawn thicker and its legend rows starred (uPlot reads widths at draw time). */
  private markBest(u: uPlot, inputs: ChartInputs): void {
    const rows = u.root.querySelectorAll('.u-legend .u-series');
    this.meta.forEach((m, i) => {
      const s = u.series[i + 1];
      if (s) s.width = this.lineWidth(m, inputs);
      rows[i + 1]?.classList.toggle('best-run', m.run.info.id === inputs.bestRunId);
    });
  }

  /**
   * The data handed to uPlot: every epoch while there are fewer than about 1.5 per pixel,
   * otherwise min/max per two-pixel bucket of the range in view (TensorBoard samples instead, which
   * can hide a spike). Zooming in brings back every epoch.
   */
  private drawData(widthPx: number, range: [number, number] | null): uPlot.AlignedData {
    const { x, ys } = this.full;
    let inView = x.length;
    if (range) {
      inView = 0;
      for (const e of x) if (e >= range[0] && e <= range[1]) inView++;
    }
    const plotPx = Math.max(100, widthPx - 90);
    const d = decimate(x, ys, inView / (plotPx / 2));
    this.source = d ? d.source : null;
    return d ? [d.x, ...d.ys] : [x, ...ys.map((y) => nullable(y, x.length))];
  }

  private xRange(): [number, number] | null {
    const sc = this.u?.scales['x'];
    return sc?.min !== undefined && sc.max !== undefined ? [sc.min, sc.max] : null;
  }

  /** After a zoom or resize: recompute what is drawn for the new range, keeping the view. */
  private redecimate(): void {
    if (this.rezoomQueued) return;
    this.rezoomQueued = requestAnimationFrame(() => {
      this.rezoomQueued = 0;
      const u = this.u;
      if (!u || (this.source === null && this.full.x.length < u.width / 2)) return;
      const data = this.drawData(u.width, this.isZoomed() ? this.xRange() : null);
      this.updating = true;
      u.batch(() => u.setData(data, false));
      this.updating = false;
    });
  }

  /** The exact value of series `i` at point `idx` of the drawn data (not the bucket's min or max). */
  private valueAt(i: number, idx: number): number | null {
    const j = this.source ? this.source[idx] : idx;
    const v = j === undefined ? undefined : this.full.ys[i]?.[j];
    return v === undefined || Number.isNaN(v) ? null : v;
  }

  private fullIndex(idx: number): number {
    return this.source ? (this.source[idx] ?? idx) : idx;
  }

  /** The learner dragged to zoom in: keep the view while new epochs arrive (double-click resets it). */
  private isZoomed(): boolean {
    const u = this.u;
    if (!u) return false;
    const x = u.data[0];
    const sc = u.scales['x'];
    if (!x.length || sc?.min === undefined || sc.max === undefined) return false;
    return sc.min > (x[0] as number) + 1e-9 || sc.max < (x[x.length - 1] as number) - 1e-9;
  }

  /** The series as drawn, smoothed (or copied at weight 0) into plain doubles. */
  private smoothed(m: SeriesMeta, weight: number): Float64Array {
    const col = m.run.epochs.metrics[m.metric]!;
    const key = `${m.run.info.id}|${m.metric}`;
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

  private rawAt(m: SeriesMeta, idx: number): number | null {
    const col = m.run.epochs.metrics[m.metric]!;
    if (m.positions === null) return col[idx] ?? null;
    const k = m.positions.indexOf(idx);
    return k >= 0 ? (col[k] ?? null) : null;
  }

  private options(inputs: ChartInputs, log: boolean, size: { width: number; height: number }): uPlot.Options {
    const { theme } = inputs;
    const fmt = this.spec.format;
    const axis = (label: string): uPlot.Axis => ({
      stroke: theme.muted,
      font: theme.font,
      labelFont: theme.font,
      label,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1, size: 4 },
    });
    const series: uPlot.Series[] = [
      { label: 'epoch', value: (_u, v) => (v === null || v === undefined ? NO_VALUE : String(v)) },
      ...this.meta.map<uPlot.Series>((m, i) => ({
        label: m.label,
        stroke: m.color,
        width: this.lineWidth(m, inputs),
        dash: m.role === 'train' ? [5, 4] : undefined,
        spanGaps: false,
        // Dots only while epochs are far apart; dense curves read better as lines.
        points: { size: 5, fill: m.color, space: 18 },
        value: (_u, _v, _s, idx) => {
          if (idx === null) return NO_VALUE;
          const value = this.valueAt(i, idx);
          // No point at this epoch (a non-finite value crossed JSON as null too): nothing to read.
          const shown = value === null ? NO_VALUE : formatValue(value, fmt);
          if (inputs.smoothing <= 0 || value === null) return shown;
          return `${shown} (raw ${formatValue(this.rawAt(this.meta[i]!, this.fullIndex(idx)), fmt)})`;
        },
      })),
    ];
    return {
      width: size.width,
      height: size.height,
      pxAlign: 0,
      scales: {
        x: { time: false },
        // The range comes from yRange (runs far above the others left out), not from every value.
        y: { ...(log ? { distr: 3, log: 10 } : { distr: 1 }), range: (_u, dataMin, dataMax) => (this.yr ? [this.yr.min, this.yr.max] : [dataMin, dataMax]) },
      },
      axes: [
        { ...axis('epoch'), incrs: X_INCRS, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
        {
          ...axis(''),
          size: 72,
          // Whole decades on a log axis: uPlot's default draws a line at every 1–9 × 10ⁿ, a grey band over many decades.
          // (uPlot's own log filter would then blank every other one of those few labels.)
          ...(log ? { splits: (_u: uPlot, _i: number, min: number, max: number) => logSplits(min, max), filter: (_u: uPlot, splits: number[]) => splits } : {}),
          values: (_u, splits) => (this.yTicks = formatTicks(splits, fmt)),
        },
      ],
      series,
      legend: { show: true, live: true },
      cursor: { focus: { prox: 24 }, points: { size: 7 } },
      focus: { alpha: theme.kind.startsWith('high-contrast') ? 1 : 0.35 },
      hooks: {
        draw: [(u) => this.drawMarkers(u)],
        setScale: [
          (_u, key) => {
            if (key === 'x' && !this.updating) this.redecimate();
          },
        ],
      },
    };
  }

  /** A dashed line and a word where each run stopped early, and a cross on its last value. */
  private drawMarkers(u: uPlot): void {
    const inputs = this.inputs;
    if (!inputs) return;
    const ctx = u.ctx;
    const pr = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    const seen = new Set<string>();
    let row = 0;
    ctx.save();
    ctx.font = `${Math.round(11 * pr)}px ${inputs.theme.font.replace(/^\S+\s/, '')}`;
    ctx.textBaseline = 'top';
    this.meta.forEach((m, i) => {
      const marker = m.run.info.marker;
      if (!marker || seen.has(m.run.info.id) || !u.series[i + 1]?.show) return;
      // One marker per run, on its validation curve when it has one.
      const sibling = this.meta.find((o) => o.run === m.run && o.role === 'validation');
      if (sibling && sibling !== m) return;
      seen.add(m.run.info.id);
      const ep = m.run.epochs.epoch;
      const epoch = marker.epoch ?? ep[ep.length - 1];
      if (epoch === undefined) return;
      const x = u.valToPos(epoch, 'x', true);
      if (x < left - 1 || x > left + width + 1) return;
      ctx.strokeStyle = m.color;
      ctx.fillStyle = m.color;
      ctx.lineWidth = pr;
      ctx.setLineDash([3 * pr, 3 * pr]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      const text = `✕ ${STOP_WORD[marker.kind]}`;
      const tw = ctx.measureText(text).width;
      const ty = top + 4 * pr + row * 15 * pr;
      row++;
      ctx.fillText(text, x + 4 * pr + tw > left + width ? x - 4 * pr - tw : x + 4 * pr, ty);
      // The cross on the curve: the last value drawn at or before the stop.
      const ys = u.data[i + 1]!;
      const xs = u.data[0];
      for (let k = Math.min(xs.length - 1, u.valToIdx(epoch)); k >= 0; k--) {
        const v = ys[k];
        if (v === null || v === undefined) continue;
        if (u.scales['y']?.distr === LOG_DISTRIBUTION && v <= 0) break;
        const px = u.valToPos(xs[k] as number, 'x', true);
        const py = u.valToPos(v, 'y', true);
        // A run cut off above the chart gets its line and word, not a cross drawn over the axis.
        if (py < top || py > top + height) break;
        const r = 4 * pr;
        ctx.lineWidth = 2 * pr;
        ctx.beginPath();
        ctx.moveTo(px - r, py - r);
        ctx.lineTo(px + r, py + r);
        ctx.moveTo(px + r, py - r);
        ctx.lineTo(px - r, py + r);
        ctx.stroke();
        break;
      }
    });
    ctx.restore();
  }

  // ── keyboard readout ────────────────────────────────────────────────────────────────────────

  private onKey(e: KeyboardEvent): void {
    const u = this.u;
    if (!u) return;
    const n = u.data[0].length;
    if (!n) return;
    let idx = this.cursorIdx < 0 ? n - 1 : this.cursorIdx;
    const step = e.shiftKey ? 10 : 1;
    switch (e.key) {
      case 'ArrowLeft':
        idx = this.cursorIdx < 0 ? n - 1 : Math.max(0, idx - step);
        break;
      case 'ArrowRight':
        idx = this.cursorIdx < 0 ? 0 : Math.min(n - 1, idx + step);
        break;
      case 'Home':
        idx = 0;
        break;
      case 'End':
        idx = n - 1;
        break;
      case 'Escape':
        this.hideCursor();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.cursorIdx = idx;
    const x = u.data[0][idx] as number;
    u.setCursor({ left: u.valToPos(x, 'x'), top: u.bbox.height / uPlot.pxRatio / 2 });
    const parts = this.meta
      .map((m, i) => ({ m, v: this.valueAt(i, idx) }))
      .filter(({ m, v }) => m.role === 'validation' && v !== null && v !== undefined)
      .map(({ m, v }) => `${m.run.info.label}: ${formatValue(v as number, this.spec.format)}`);
    this.handlers.announce(`${this.spec.title}, epoch ${x}. ${parts.length ? parts.join('; ') : 'No validation values.'}`);
  }

  private hideCursor(): void {
    this.cursorIdx = -1;
    this.u?.setCursor({ left: -10, top: -10 });
  }

  // ── export and inspection ───────────────────────────────────────────────────────────────────

  /** The chart with a title and a key of the runs, on the theme's background, as a PNG data URL. */
  toPng(labTitle: string): string | undefined {
    const u = this.u;
    const inputs = this.inputs;
    if (!u || !inputs) return undefined;
    const src = u.ctx.canvas;
    const pr = uPlot.pxRatio;
    const pad = 12 * pr;
    const line = 18 * pr;
    const runs = [...new Map(this.meta.map((m) => [m.run.info.id, m])).values()];
    const out = document.createElement('canvas');
    out.width = src.width + 2 * pad;
    out.height = src.height + 2 * pad + line * (2 + runs.length);
    const ctx = out.getContext('2d');
    if (!ctx) return undefined;
    const family = inputs.theme.font.replace(/^\S+\s/, '');
    ctx.fillStyle = inputs.theme.background;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = inputs.theme.foreground;
    ctx.textBaseline = 'middle';
    ctx.font = `bold ${Math.round(13 * pr)}px ${family}`;
    ctx.fillText(`${labTitle} — ${this.spec.title}${inputs.smoothing > 0 ? ` (smoothing ${inputs.smoothing})` : ''}`, pad, pad + line / 2);
    ctx.drawImage(src, pad, pad + line);
    ctx.font = `${Math.round(12 * pr)}px ${family}`;
    runs.forEach((m, i) => {
      const y = pad + line + src.height + line * (i + 1.5);
      ctx.strokeStyle = m.color;
      ctx.lineWidth = 2 * pr;
      ctx.beginPath();
      ctx.moveTo(pad, y);
      ctx.lineTo(pad + 24 * pr, y);
      ctx.stroke();
      ctx.fillStyle = inputs.theme.foreground;
      const stop = m.run.info.marker ? ` — ${STOP_WORD[m.run.info.marker.kind]}` : '';
      ctx.fillText(`${m.run.info.id === inputs.bestRunId ? '★ ' : ''}${m.run.info.label}${stop}`, pad + 32 * pr, y);
    });
    return out.toDataURL('image/png');
  }

  info(): ChartInfo {
    const u = this.u;
    const count = (ys: readonly (number | null | undefined)[]) => ys.reduce<number>((n, v) => (v === null || v === undefined ? n : n + 1), 0);
    const drawn = u ? (u.data.slice(1) as (number | null)[][]) : [];
    return {
      kind: this.spec.kind,
      series: this.meta.map((m) => m.label),
      points: u ? this.full.ys.map((y) => count(nullable(y, this.full.x.length))) : [],
      drawn: drawn.map(count),
      data: u ? this.full.ys.map((y) => nullable(y, this.full.x.length)) : [],
      x: u ? [...this.full.x] : [],
      yDistr: u?.scales['y']?.distr ?? 1,
      yMin: u?.scales['y']?.min,
      yMax: u?.scales['y']?.max,
      zoomed: this.isZoomed(),
      width: u?.width ?? 0,
      height: u?.height ?? 0,
      lineWidths: u ? u.series.slice(1).map((s) => s.width ?? 1) : [],
      yTicks: [...this.yTicks],
      offScale: (this.yr?.above ?? []).map((i) => this.meta[i]?.label ?? ''),
    };
  }

  destroy(): void {
    this.resize.disconnect();
    if (this.resizeQueued) cancelAnimationFrame(this.resizeQueued);
    if (this.rezoomQueued) cancelAnimationFrame(this.rezoomQueued);
    this.u?.destroy();
    this.u = undefined;
    this.figure.remove();
  }
}
