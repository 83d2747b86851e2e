// uPlot's options for a run chart: a series per run and metric (validation solid, training
// dashed), the y range and ticks the chart computes, and its hooks for markers and zoom.
import type uPlot from 'uplot';
import type { ChartSpec } from '../../src/core/dashboard/model';
import { logSplits, type YRange } from '../../src/core/dashboard/yAxis';
import { formatTicks, formatValue, NO_VALUE } from '../../src/core/format';
import { axisStyle } from './axisStyle';
import { lineWidth, type ChartInputs, type SeriesMeta } from './chartData';

const X_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

/** What the options read from their chart while uPlot draws. */
export interface ChartHooks {
  /** The exact value of series `i` at point `idx` of the drawn data, and its raw (unsmoothed) value. */
  valueAt(i: number, idx: number): number | null;
  rawAt(i: number, idx: number): number | null;
  /** The y range the data asks for. */
  yRange(): YRange | undefined;
  /** The y axis's tick labels, as drawn. */
  ticksDrawn(ticks: string[]): void;
  draw(u: uPlot): void;
  /** The x scale changed (a zoom, or uPlot fitting new data). */
  xScaleSet(): void;
}

function series(spec: ChartSpec, meta: readonly SeriesMeta[], inputs: ChartInputs, hooks: ChartHooks): uPlot.Series[] {
  const fmt = spec.format;
  return [
    { label: 'epoch', value: (_u, v) => (v === null || v === undefined ? NO_VALUE : String(v)) },
    ...meta.map<uPlot.Series>((m, i) => ({
      label: m.label,
      stroke: m.color,
      width: lineWidth(m, inputs),
      dash: m.role === 'train' ? [5, 4] : undefined,
      spanGaps: false,
      // Dots only while epochs are far apart; dense curves read better as lines.
      points: { size: 5, fill: m.color, space: 18 },
      value: (_u, _v, _s, idx) => {
        if (idx === null) return NO_VALUE;
        const value = hooks.valueAt(i, idx);
        // No point at this epoch (a non-finite value crossed JSON as null too): nothing to read.
        const shown = value === null ? NO_VALUE : formatValue(value, fmt);
        if (inputs.smoothing <= 0 || value === null) return shown;
        return `${shown} (raw ${formatValue(hooks.rawAt(i, idx), fmt)})`;
      },
    })),
  ];
}

export function chartOptions(
  spec: ChartSpec,
  meta: readonly SeriesMeta[],
  inputs: ChartInputs,
  log: boolean,
  size: { width: number; height: number },
  hooks: ChartHooks,
): uPlot.Options {
  const { theme } = inputs;
  return {
    width: size.width,
    height: size.height,
    pxAlign: 0,
    scales: {
      x: { time: false },
      // The range comes from yRange (runs far above the others left out), not from every value.
      y: {
        ...(log ? { distr: 3, log: 10 } : { distr: 1 }),
        range: (_u, dataMin, dataMax) => {
          const yr = hooks.yRange();
          return yr ? [yr.min, yr.max] : [dataMin, dataMax];
        },
      },
    },
    axes: [
      { ...axisStyle(theme, 'epoch'), incrs: X_INCRS, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      {
        ...axisStyle(theme, ''),
        size: 72,
        // Whole decades on a log axis: uPlot's default draws a line at every 1–9 × 10ⁿ, a grey band over many decades.
        // (uPlot's own log filter would then blank every other one of those few labels.)
        ...(log ? { splits: (_u: uPlot, _i: number, min: number, max: number) => logSplits(min, max), filter: (_u: uPlot, splits: number[]) => splits } : {}),
        values: (_u, splits) => {
          const ticks = formatTicks(splits, spec.format);
          hooks.ticksDrawn(ticks);
          return ticks;
        },
      },
    ],
    series: series(spec, meta, inputs, hooks),
    legend: { show: true, live: true },
    cursor: { focus: { prox: 24 }, points: { size: 7 } },
    focus: { alpha: theme.kind.startsWith('high-contrast') ? 1 : 0.35 },
    hooks: {
      draw: [(u) => hooks.draw(u)],
      setScale: [
        (_u, key) => {
          if (key === 'x') hooks.xScaleSet();
        },
      ],
    },
  };
}
