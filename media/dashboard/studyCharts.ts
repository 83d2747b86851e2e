// The charts of a study, on uPlot: the objective of every trial in trial order with the best-so-far
// line, and one scatter per parameter of its value against the objective (a log axis for log-scaled
// ranges, names for categories). Completed trials are filled dots, pruned ones hollow (their value
// is where they were stopped), and the best trial is ringed. Arrow keys step through the trials.
import uPlot from 'uplot';
import { paramAxis, type ParamAxis } from '../../src/core/dashboard/studyModel';
import { type ValueFormat } from '../../src/core/dashboard/model';
import type { StudyDetail, StudyParam } from '../../src/core/dashboard/records';
import { h } from '../common/dom';
import { studyChartOptions } from './studyChartOptions';
import { BEST_SO_FAR, finite, objectivePlot, paramPlot, type Plot } from './studyPlot';
import type { Theme } from './theme';
import { NO_VALUE, formatSetting, formatValue } from '../../src/core/format';
import { watchSize } from '../common/frames';

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

export class StudyChart {
  readonly figure: HTMLElement;
  private readonly plotEl: HTMLDivElement;
  private readonly emptyEl: HTMLParagraphElement;
  private readonly readout: HTMLParagraphElement;
  private u: uPlot | undefined;
  private structure = '';
  private plot: Plot = { x: [], trials: [], series: [] };
  private inputs: StudyChartInputs | undefined;
  private readonly stopWatchingSize: () => void;
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
    this.stopWatchingSize = watchSize(this.figure, () => this.fitSize());
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

  /** Brings the chart up to date with the study (a new object whenever the host sent it again). */
  update(inputs: StudyChartInputs): void {
    this.inputs = inputs;
    const plot = this.kind === 'objective' ? objectivePlot(inputs.study) : paramPlot(inputs.study, this.param!);
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
    const shape = { kind: this.kind, param: this.param, categories: plot.categories, yLog: this.yLog, size: this.size() };
    this.u = new uPlot(
      studyChartOptions(shape, inputs.theme, inputs.format, (idx) => this.showReadout(idx)),
      data,
      (u, init) => {
        this.plotEl.replaceChildren(u.root);
        u.batch(() => (init as () => void)()); // uPlot types it as Function
      },
    );
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
    this.stopWatchingSize();
    this.u?.destroy();
    this.u = undefined;
    this.figure.remove();
  }
}
