// Train and test loss per epoch (TF Playground's mean ½·(output − label)²) as a small uPlot chart.
// The curve lives in a LossHistory, bounded like the trainer's; a redraw hands uPlot its columns.
import uPlot from 'uplot';
import type { LossHistory } from '../../src/core/playground/session';
import { h } from '../common/dom';
import type { Palette } from './colors';
import { formatLoss, NO_VALUE } from '../../src/core/format';

const HEIGHT = 130;

export class LossChart {
  readonly el: HTMLElement;
  private readonly plot = h('div', { class: 'plot' });
  private u: uPlot | undefined;
  private width = 0;
  private points = 0;

  constructor() {
    this.el = h('figure', { class: 'loss-chart', attrs: { 'aria-label': 'Training and test loss per epoch' } }, this.plot);
    new ResizeObserver(() => {
      const w = Math.floor(this.el.clientWidth);
      if (w > 0 && w !== this.width) {
        this.width = w;
        this.u?.setSize({ width: w, height: HEIGHT });
      }
    }).observe(this.el);
  }

  /** Redraws from the history; `rebuild` after a theme change (uPlot keeps colours per series). */
  update(history: LossHistory, p: Palette, rebuild: boolean): void {
    // uPlot draws gaps for null; a diverged epoch's NaN would break its scales.
    const nul = (v: number) => (Number.isFinite(v) ? v : null);
    const data: uPlot.AlignedData = [history.epochs.slice(), history.train.map(nul), history.test.map(nul)];
    this.points = history.epochs.length;
    if (rebuild || !this.u) {
      this.u?.destroy();
      this.width = Math.max(200, Math.floor(this.el.clientWidth) || 300);
      this.u = new uPlot(this.options(p), data, this.plot);
      return;
    }
    this.u.setData(data);
  }

  info(): { points: number; width: number } {
    return { points: this.points, width: this.width };
  }

  private options(p: Palette): uPlot.Options {
    const axis = (): uPlot.Axis => ({ stroke: p.muted, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 }, font: p.font, size: 44 });
    const fmt = (_u: uPlot, v: number | null) => (v === null || v === undefined ? NO_VALUE : formatLoss(v));
    return {
      width: this.width,
      height: HEIGHT,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(0.05, max ?? 0.5) * 1.05] } },
      axes: [axis(), { ...axis(), values: (_u, ticks) => ticks.map((t) => t.toFixed(2)) }],
      series: [
        { label: 'Epoch', value: (_u, v) => (v === null || v === undefined ? NO_VALUE : String(v)) },
        { label: 'Training loss', stroke: p.muted, width: p.highContrast ? 2.5 : 1.5, value: fmt, points: { show: false } },
        { label: 'Test loss', stroke: p.foreground, width: p.highContrast ? 2.5 : 1.5, value: fmt, points: { show: false } },
      ],
    };
  }
}
