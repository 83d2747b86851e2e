// One uPlot chart per metric family (loss, RMSE, accuracy): every visible run drawn over the same
// epochs, validation solid and training dashed, smoothed as TensorBoard does, with a marker where a
// run stopped early. uPlot does the drawing, scales, cursor and legend readout; this file only feeds it.
import uPlot from 'uplot';
import { alignEpochs, decimate, nullable, spread } from '../../src/core/dashboard/epochColumns';
import { seriesLevel, yRange, OFF_SCALE_RATIO, type YRange } from '../../src/core/dashboard/yAxis';
import type { ChartSpec } from '../../src/core/dashboard/model';
import { lineWidth, rawAt, seriesMetaOf, SmoothedCurves, type ChartInputs, type SeriesMeta } from './chartData';
import { drawStopMarkers } from './chartMarkers';
import { chartOptions } from './chartOptions';
import { chartPng } from './chartPng';
import { h } from '../common/dom';
import type { RunEntry } from './store';
import type { Theme } from './theme';
import { formatValue } from '../../src/core/format';
import { watchSize } from '../common/frames';

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

const OFF_SCALE_TEXT = `${OFF_SCALE_RATIO} times`;

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
  private readonly curves = new SmoothedCurves();
  private readonly stopWatchingSize: () => void;
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
    this.stopWatchingSize = watchSize(this.figure, () => this.fitSize());
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
    const log = this.spec.better === 'lower' && inputs.logScale;
    const meta = seriesMetaOf(this.spec, inputs);
    // The best run is not part of the structure: it changes often while a run streams, and only
    // its line width changes (set in place), not the series.
    const structure = JSON.stringify([meta.map((m) => [m.run.info.id, m.metric, m.label, m.color]), log, inputs.themeStamp, inputs.smoothing > 0]);
    const structural = structure !== this.structure || !this.u;
    const relevant =
      changed === 'all' ||
      structural ||
      !prev ||
      prev.smoothing !== inputs.smoothing ||
      prev.bestRunId !== inputs.bestRunId ||
      meta.some((m) => changed.has(m.run.info.id));
    if (!relevant) return;
    this.recompute(meta, inputs, log);
    if (structural) this.rebuild(structure, inputs, log);
    else this.refresh(inputs);
  }

  /** Lines the series up on the epochs of every run, smoothed, and the y range they ask for. */
  private recompute(meta: SeriesMeta[], inputs: ChartInputs, log: boolean): void {
    const runsWithSeries = [...new Set(meta.map((m) => m.run))];
    const aligned = alignEpochs(runsWithSeries.map((r) => r.epochs.epoch));
    const posOf = new Map(runsWithSeries.map((r, i) => [r, aligned.positions[i]!] as const));
    for (const m of meta) m.positions = posOf.get(m.run) ?? null;
    const ys = meta.map((m) => spread(this.curves.of(m, inputs.smoothing), m.positions, aligned.x.length));
    this.full = { x: aligned.x, ys };
    this.meta = meta;
    this.yr = yRange(ys, log);
    this.showOffScale(log);
    this.emptyEl.hidden = meta.length > 0;
    this.plotEl.hidden = meta.length === 0;
  }

  /** A new uPlot for new series, scale or colours (none while there is nothing to draw). */
  private rebuild(structure: string, inputs: ChartInputs, log: boolean): void {
    this.structure = structure;
    this.curves.keepOnly(this.meta);
    this.u?.destroy();
    this.u = undefined;
    if (this.meta.length === 0) return;
    const size = this.size();
    const data = this.drawData(size.width, null);
    this.updating = true;
    this.u = new uPlot(this.options(inputs, log, size), data, (u, init) => {
      this.plotEl.replaceChildren(u.root);
      // Draw now rather than in a microtask, so a frame's work is measured and finished in that frame.
      u.batch(() => (init as () => void)()); // uPlot types it as Function
    });
    this.markBest(this.u, inputs);
    this.updating = false;
    this.cursorIdx = -1;
  }

  /** New epochs on the same series: new data, keeping the learner's zoom. */
  private refresh(inputs: ChartInputs): void {
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

  /** The best run's lines are drawn thicker and its legend rows starred (uPlot reads widths at draw time). */
  private markBest(u: uPlot, inputs: ChartInputs): void {
    const rows = u.root.querySelectorAll('.u-legend .u-series');
    this.meta.forEach((m, i) => {
      const s = u.series[i + 1];
      if (s) s.width = lineWidth(m, inputs);
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

  private options(inputs: ChartInputs, log: boolean, size: { width: number; height: number }): uPlot.Options {
    return chartOptions(this.spec, this.meta, inputs, log, size, {
      valueAt: (i, idx) => this.valueAt(i, idx),
      rawAt: (i, idx) => rawAt(this.meta[i]!, this.fullIndex(idx)),
      yRange: () => this.yr,
      ticksDrawn: (ticks) => (this.yTicks = ticks),
      draw: (u) => {
        if (this.inputs) drawStopMarkers(u, this.meta, this.inputs.theme);
      },
      xScaleSet: () => {
        if (!this.updating) this.redecimate();
      },
    });
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
    if (!this.u || !this.inputs) return undefined;
    return chartPng(this.u, this.meta, this.inputs, `${labTitle} — ${this.spec.title}`);
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
    this.stopWatchingSize();
    if (this.rezoomQueued) cancelAnimationFrame(this.rezoomQueued);
    this.u?.destroy();
    this.u = undefined;
    this.figure.remove();
  }
}
