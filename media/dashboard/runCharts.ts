// The metric charts of the runs view: one ChartView per kind of chart the lab asks for, in its
// order (the confusion matrix is drawn apart), kept across redraws and rebuilt when its format changes.
import { chartSpecFor } from '../../src/core/dashboard/model';
import type { ChartKind } from '../../src/core/dashboard/records';
import type { ChartInputs } from './chartData';
import { ChartView, type ChartInfo } from './charts';
import { h } from '../common/dom';

type MetricChartKind = Exclude<ChartKind, 'confusion'>;

export class RunCharts {
  readonly el = h('div', { class: 'charts' });
  private readonly views = new Map<ChartKind, ChartView>();

  constructor(private readonly handlers: { savePng(chart: ChartView): void; announce(text: string): void }) {}

  layout(kinds: readonly ChartKind[], labelUnit: string | undefined): void {
    const wanted = kinds.filter((k): k is MetricChartKind => k !== 'confusion');
    for (const [kind, view] of this.views) {
      if (!wanted.includes(kind as MetricChartKind)) {
        view.destroy();
        this.views.delete(kind);
      }
    }
    for (const kind of wanted) {
      let view = this.views.get(kind);
      const spec = chartSpecFor(kind, labelUnit);
      if (view && view.spec.format !== spec.format) {
        view.destroy();
        view = undefined;
      }
      if (!view) {
        view = new ChartView(spec, this.handlers);
        this.views.set(kind, view);
      }
      this.el.append(view.figure);
    }
  }

  update(inputs: ChartInputs, changed: ReadonlySet<string> | 'all'): void {
    for (const chart of this.views.values()) chart.update(inputs, changed);
  }

  info(): ChartInfo[] {
    return [...this.views.values()].map((c) => c.info());
  }
}
