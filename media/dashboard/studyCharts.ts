// The charts of a study, on uPlot: the objective of every trial in trial order with the best-so-far
// line, and one scatter per parameter of its value against the objective (a log axis for log-scaled
// ranges, names for categories). Completed trials are filled dots, pruned ones hollow (their value
// is where they were stopped), and the best trial is ringed. Arrow keys step through the trials.
import uPlot from 'uplot';
import { bestSoFar, categoryPosition, paramAxis, type ParamAxis } from '../../src/core/dashboard/studyModel';
import { type ValueFormat } from '../../src/core/dashboard/model';
import type { StudyDetail, StudyParam, StudyTrial } from '../../src/core/dashboard/records';
import { h } from './dom';
import type { Theme } from './theme';
import { NO_VALUE, formatSetting, formatTick, formatValue } from '../../src/core/format';

export interface StudyChartInputs {
  study: StudyDetail;
  /** How the objective reads (RMSE in dollars…). */
  format: ValueFormat;
  logScale: boolean;
  theme: Theme;
  themeStamp: number;
}

export interface StudyChartInfo {
  kind: 'objective' | 'param';
  param?: string;
  /** 'trial' for the objective chart; otherwise how the parameter's axis is drawn. */
  axis: 'trial' | ParamAxis;
  xDistr: number;
  yDistr: number;
  series: string[];
  /** Values drawn per series. */
  points: number[];
  /** The trial at each x position. */
  trials: number[];
  /** Tick labels of a categorical axis. */
  categories?: string[];
  width: number;
  height: number;
}

export interface StudyChartHandlers {
  announce(text: string): void;
  /** The learner picked a trial on the chart (click, or Enter on the keyboard cursor). */
  pick(trial: number): void;
}

/** Series of every chart, in order; the objective chart adds the best-so-far line before the ring. */
const COMPLETED = 'completed';
const PRUNED = 'pruned';
const BEST_SO_FAR = 'best so far';
const BEST = 'best trial';

/** What the chart draws: one x per trial shown, one array per series. */
interface Plot {
  x: number[];
  trials: StudyTrial[];
  series: { label: string; values: (number | null)[] }[];
  categories?: string[];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function hasObjective(t: StudyTrial): t is StudyTrial & { objective: number } {
  return (t.state === 'completed' || t.state === 'pruned') && finite(t.objective);
}

/** `v` rounded down (or up) to one significant digit: 0.0095 → 0.009, 0.105 → 0.2. */
function oneDigit(v: number, up: boolean): number {
  const m = Math.pow(10, Math.floor(Math.log10(v)));
  const k = up ? Math.ceil(v / m - 1e-9) : Math.floor(v / m + 1e-9);
  return parseFloat((Math.max(1, k) * m).toPrecision(1));
}

/**
 * Padded limits, so points at the ends are not cut in half by the plot's edge. A log axis starts on
 * a value with one significant digit: uPlot places its ticks from there (and loops on other values).
 */
function padded(min: number, max: number, log: boolean): uPlot.Range.MinMax {
  if (log) {
    if (!(min > 0) || !(max > 0)) return [min, max];
    const lo = oneDigit(min / 1.05, false);
    const hi = oneDigit(max * 1.05, true);
    return [lo, hi > lo ? hi : oneDigit(lo * 2, true)];
  }
  if (min === max) return min === 0 ? [-1, 1] : [min - Math.abs(min) * 0.1, max + Math.abs(max) * 0.1];
  const p = (max - min) * 0.06;
  return [min - p, max + p];
}

export class StudyChart {
  readonly figure: HTMLElement;
  private readonly plotEl: HTMLDivElement;
  private readonly emptyEl: HTMLParagraphElement;
  private readonly readout: HTMLParagraphElement;
  private u: uPlot | undefined;
  private structure = '';
  private plot: Plot = { x: [], trials: [], series: [] };
  private inputs: StudyChartInputs | undefined;
  private readonly resize: ResizeObserver;
  private resizeQueued = 0;
  private cursorIdx = -1;
  private yLog = false;

  constructor(
    readonly kind: 'objective' | 'param',
    readonly param: StudyParam | undefined,
    private readonly handlers: StudyChartHandlers,
    title: string,
    key: string,
  ) {
    const titleId = `study-chart-${key}`;
    this.plotEl = h('div', {
      class: 'plot',
      attrs: {
        tabindex: '0',
        role: 'group',
        'aria-labelledby': titleId,
        'aria-description': 'Arrow keys step through the trials and read them out; Enter shows the trial in the table.',
      },
      on: {
        keydown: (e) => this.onKey(e),
        blur: () => this.hideCursor(),
        click: () => {
          const trial = this.u && this.u.cursor.idx != null ? this.plot.trials[this.u.cursor.idx] : undefined;
          if (trial) this.handlers.pick(trial.number);
        },
      },
    });
    this.emptyEl = h('p', { class: 'empty' }, 'No trial has a value of the objective yet.');
    this.readout = h('p', { class: 'readout muted', attrs: { 'aria-hidden': 'true' } }, '\u00a0');
    this.figure = h(
      'figure',
      { class: `chart study-chart study-chart-${kind}`, attrs: { 'data-study-chart': key } },
      h('figcaption', {}, h('h3', { attrs: { id: titleId } }, title)),
      this.emptyEl,
      this.plotEl,
      this.readout,
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
    const width = Math.max(220, Math.floor(this.figure.clientWidth - 26 || 500));
    const height = this.kind === 'objective' ? Math.min(300, Math.max(200, width * 0.32)) : Math.min(240, Math.max(170, width * 0.55));
    return { width, height: Math.round(height) };
  }

  private fitSize(): void {
    if (!this.u) return;
    const s = this.size();
    if (s.width !== this.u.width || s.height !== this.u.height) this.u.setSize(s);
  }

  // ── data ────────────────────────────────────────────────────────────────────────────────────

  private build(study: StudyDetail): Plot {
    const best = study.best?.number;
    if (this.kind === 'objective') {
      // Every trial has a place on the x axis, so gaps show trials without a value (failed, running).
      const trials = study.trials;
      const so = bestSoFar(trials, study.goal);
      return {
        x: trials.map((t) => t.number),
        trials,
        series: [
          { label: COMPLETED, values: trials.map((t) => (t.state === 'completed' && finite(t.objective) ? t.objective : null)) },
          { label: PRUNED, values: trials.map((t) => (t.state === 'pruned' && finite(t.objective) ? t.objective : null)) },
          { label: BEST_SO_FAR, values: so },
          { label: BEST, values: trials.map((t) => (t.number === best && finite(t.objective) ? t.objective : null)) },
        ],
      };
    }
    const p = this.param!;
    const axis = paramAxis(p);
    const categories = axis === 'category' ? (p.values ?? []).map(String) : undefined;
    const placed: { x: number; t: StudyTrial & { objective: number } }[] = [];
    for (const t of study.trials) {
      if (!hasObjective(t) || !Object.hasOwn(t.params, p.name)) continue;
      const v = t.params[p.name];
      let x: number;
      if (categories) {
        const i = categories.indexOf(String(v));
        if (i < 0) continue;
        x = categoryPosition(i, t.number);
      } else {
        if (!finite(v) || (axis === 'log' && v <= 0)) continue;
        x = v;
      }
      placed.push({ x, t });
    }
    placed.sort((a, b) => a.x - b.x || a.t.number - b.t.number);
    const trials = placed.map((p) => p.t);
    return {
      x: placed.map((p) => p.x),
      trials,
      categories,
      series: [
        { label: COMPLETED, values: trials.map((t) => (t.state === 'completed' ? t.objective : null)) },
        { label: PRUNED, values: trials.map((t) => (t.state === 'pruned' ? t.objective : null)) },
        { label: BEST, values: trials.map((t) => (t.number === best ? t.objective : null)) },
      ],
    };
  }

  /** Brings the chart up to date with the study (a new object whenever the host sent it again). */
  update(inputs: StudyChartInputs): void {
    this.inputs = inputs;
    const plot = this.build(inputs.study);
    const values = plot.series.flatMap((s) => s.values).filter(finite);
    // A log axis only when every value can be drawn on one.
    this.yLog = inputs.logScale && values.length > 0 && values.every((v) => v > 0);
    if (this.yLog) for (const s of plot.series) s.values = s.values.map((v) => (v !== null && v > 0 ? v : null));
    this.plot = plot;
    const shown = plot.series.some((s) => s.values.some((v) => v !== null));
    this.emptyEl.hidden = shown;
    this.plotEl.hidden = !shown;
    const structure = JSON.stringify([this.yLog, inputs.themeStamp, inputs.format, plot.categories, this.param?.scale]);
    const data: uPlot.AlignedData = [plot.x, ...plot.series.map((s) => s.values)];
    if (!shown) {
      this.u?.destroy();
      this.u = undefined;
      this.structure = '';
      return;
    }
    if (this.u && structure === this.structure) {
      this.u.batch(() => this.u!.setData(data, true));
      if (this.cursorIdx >= plot.x.length) this.hideCursor();
      return;
    }
    this.structure = structure;
    this.u?.destroy();
    this.cursorIdx = -1;
    this.u = new uPlot(this.options(inputs), data, (u, init) => {
      this.plotEl.replaceChildren(u.root);
      u.batch(() => (init as () => void)()); // uPlot types it as Function
    });
  }

  private options(inputs: StudyChartInputs): uPlot.Options {
    const { theme, format } = inputs;
    const [cCompleted, cPruned, cBestSoFar, cBest] = [theme.palette[0]!, theme.palette[1]!, theme.palette[2]!, theme.palette[5]!];
    const axis = (label: string): uPlot.Axis => ({
      stroke: theme.muted,
      font: theme.font,
      labelFont: theme.font,
      label,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1, size: 4 },
    });
    const none = () => null;
    const dots = (label: string, color: string, hollow: boolean): uPlot.Series => ({
      label,
      stroke: color,
      width: 0,
      paths: none,
      points: { show: true, size: 7, width: 1.5, stroke: color, fill: hollow ? theme.background : color },
    });
    const ring: uPlot.Series = {
      label: BEST,
      stroke: cBest,
      width: 0,
      paths: none,
      points: { show: true, size: 15, width: 2.5, stroke: cBest, fill: 'rgba(0,0,0,0)' },
    };
    const series: uPlot.Series[] = [{ label: 'x' }, dots(COMPLETED, cCompleted, false), dots(PRUNED, cPruned, true)];
    if (this.kind === 'objective') {
      series.push({
        label: BEST_SO_FAR,
        stroke: cBestSoFar,
        width: theme.lineWidth,
        paths: uPlot.paths.stepped!({ align: 1 }),
        spanGaps: true,
        points: { show: false },
      });
    }
    series.push(ring);

    const yScale: uPlot.Scale = this.yLog
      ? { distr: 3, log: 10, range: (_u, min, max) => padded(min, max, true) }
      : { distr: 1, range: (_u, min, max) => padded(min, max, false) };
    let xScale: uPlot.Scale;
    let xAxis: uPlot.Axis;
    const axisKind = this.kind === 'objective' ? 'trial' : paramAxis(this.param!);
    if (axisKind === 'trial') {
      xScale = { time: false, range: (_u, min, max) => [Math.min(min, max) - 0.5, max + 0.5] };
      xAxis = {
        ...axis('trial'),
        incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000],
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
      };
    } else if (axisKind === 'category') {
      const names = this.plot.categories ?? [];
      xScale = { time: false, range: () => [-0.5, Math.max(0.5, names.length - 0.5)] };
      xAxis = { ...axis(this.param!.name), splits: () => names.map((_, i) => i), values: (_u, splits) => splits.map((i) => names[i] ?? '') };
    } else if (axisKind === 'log') {
      xScale = { time: false, distr: 3, log: 10, range: (_u, min, max) => padded(min, max, true) };
      xAxis = {
        ...axis(`${this.param!.name} (log scale)`),
        values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatSetting(v))),
      };
    } else {
      xScale = { time: false, range: (_u, min, max) => padded(min, max, false) };
      xAxis = { ...axis(this.param!.name), values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatSetting(v))) };
    }
    // Tick labels and the axis name close together: these charts are small.
    xAxis = { ...xAxis, size: 32, labelSize: 20, labelGap: 0 };
    const size = this.size();
    return {
      width: size.width,
      height: size.height,
      pxAlign: 0,
      scales: { x: xScale, y: yScale },
      axes: [xAxis, { ...axis(''), size: 64, values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatTick(v, format))) }],
      series,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 9 } },
      focus: { alpha: 1 },
      hooks: { setCursor: [(u) => this.showReadout(u.cursor.idx ?? null)] },
    };
  }

  // ── reading out ─────────────────────────────────────────────────────────────────────────────

  private describe(idx: number): string | undefined {
    const t = this.plot.trials[idx];
    const inputs = this.inputs;
    if (!t || !inputs) return undefined;
    const study = inputs.study;
    const metric = `${study.metric} ${formatValue(t.objective ?? null, inputs.format)}`;
    const value = (p: StudyParam) => {
      const v = t.params[p.name];
      return v === undefined ? NO_VALUE : typeof v === 'number' ? formatSetting(v) : v;
    };
    const params = this.param ? `${this.param.name} ${value(this.param)}` : study.params.map((p) => `${p.name} ${value(p)}`).join(', ');
    const state = t.state === 'pruned' ? `pruned${t.lastStep !== undefined ? ` at step ${t.lastStep}` : ''}` : t.state;
    const best = t.number === study.best?.number ? ', the best' : '';
    const soFar = this.kind === 'objective' ? this.plot.series[2]?.values[idx] : undefined;
    const line = soFar !== undefined && soFar !== null && !best ? `; best so far ${formatValue(soFar, inputs.format)}` : '';
    return `Trial ${t.number} (${state}${best}): ${params} → ${t.objective === undefined ? 'no value' : metric}${line}`;
  }

  private showReadout(idx: number | null): void {
    const text = idx === null || idx < 0 ? undefined : this.describe(idx);
    this.readout.textContent = text ?? '\u00a0';
  }

  private onKey(e: KeyboardEvent): void {
    const u = this.u;
    if (!u) return;
    // Only positions with a point: the objective chart also has trials without a value.
    const stops = this.plot.x.map((_, i) => i).filter((i) => this.plot.series.some((s) => s.label !== BEST_SO_FAR && s.values[i] !== null));
    if (!stops.length) return;
    const at = stops.indexOf(this.cursorIdx);
    let next: number;
    switch (e.key) {
      case 'ArrowLeft':
        next = at < 0 ? stops.length - 1 : Math.max(0, at - 1);
        break;
      case 'ArrowRight':
        next = at < 0 ? 0 : Math.min(stops.length - 1, at + 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = stops.length - 1;
        break;
      case 'Enter':
      case ' ': {
        const t = this.plot.trials[this.cursorIdx];
        if (t) {
          e.preventDefault();
          this.handlers.pick(t.number);
        }
        return;
      }
      case 'Escape':
        this.hideCursor();
        return;
      default:
        return;
    }
    e.preventDefault();
    const idx = stops[next]!;
    this.cursorIdx = idx;
    const y = this.plot.series.map((s) => s.values[idx]).find((v) => v !== null && v !== undefined);
    u.setCursor({ left: u.valToPos(this.plot.x[idx]!, 'x'), top: y === undefined || y === null ? u.bbox.height / uPlot.pxRatio / 2 : u.valToPos(y, 'y') });
    const text = this.describe(idx);
    if (text) this.handlers.announce(text);
  }

  private hideCursor(): void {
    this.cursorIdx = -1;
    this.u?.setCursor({ left: -10, top: -10 });
    this.showReadout(null);
  }

  // ── inspection ──────────────────────────────────────────────────────────────────────────────

  info(): StudyChartInfo {
    const u = this.u;
    const info: StudyChartInfo = {
      kind: this.kind,
      axis: this.kind === 'objective' ? 'trial' : paramAxis(this.param!),
      xDistr: u?.scales['x']?.distr ?? 1,
      yDistr: u?.scales['y']?.distr ?? 1,
      series: this.plot.series.map((s) => s.label),
      points: this.plot.series.map((s) => s.values.filter((v) => v !== null).length),
      trials: this.plot.trials.map((t) => t.number),
      width: u?.width ?? 0,
      height: u?.height ?? 0,
    };
    if (this.param) info.param = this.param.name;
    if (this.plot.categories) info.categories = [...this.plot.categories];
    return info;
  }

  destroy(): void {
    this.resize.disconnect();
    if (this.resizeQueued) cancelAnimationFrame(this.resizeQueued);
    this.u?.destroy();
    this.u = undefined;
    this.figure.remove();
  }
}
