// uPlot's options for a study chart: dots for completed trials, hollow dots for pruned ones, a
// ring on the best and (objective chart) the best-so-far step line; an x axis per kind of chart.
import uPlot from 'uplot';
import { paramAxis, type ParamAxis } from '../../src/core/dashboard/studyModel';
import type { ValueFormat } from '../../src/core/dashboard/model';
import type { StudyParam } from '../../src/core/dashboard/records';
import { formatSetting, formatTick } from '../../src/core/format';
import { axisStyle } from './axisStyle';
import { BEST, BEST_SO_FAR, COMPLETED, PRUNED } from './studyPlot';
import type { Theme } from './theme';

/** What of a chart its options depend on. */
export interface StudyChartShape {
  kind: 'objective' | 'param';
  param: StudyParam | undefined;
  /** Names on a categorical x axis. */
  categories: string[] | undefined;
  yLog: boolean;
  size: { width: number; height: number };
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

function series(kind: StudyChartShape['kind'], theme: Theme): uPlot.Series[] {
  const [cCompleted, cPruned, cBestSoFar, cBest] = [theme.palette[0]!, theme.palette[1]!, theme.palette[2]!, theme.palette[5]!];
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
  const list: uPlot.Series[] = [{ label: 'x' }, dots(COMPLETED, cCompleted, false), dots(PRUNED, cPruned, true)];
  if (kind === 'objective') {
    list.push({
      label: BEST_SO_FAR,
      stroke: cBestSoFar,
      width: theme.lineWidth,
      paths: uPlot.paths.stepped!({ align: 1 }),
      spanGaps: true,
      points: { show: false },
    });
  }
  list.push(ring);
  return list;
}

const settingTicks = (_u: uPlot, splits: number[]) => splits.map((v) => (v === null || v === undefined ? '' : formatSetting(v)));

/** The x scale and axis of each kind of chart: trial numbers, category names, or a parameter's values. */
const X_AXES: Record<'trial' | ParamAxis, (theme: Theme, shape: StudyChartShape) => { scale: uPlot.Scale; axis: uPlot.Axis }> = {
  trial: (theme) => ({
    scale: { time: false, range: (_u, min, max) => [Math.min(min, max) - 0.5, max + 0.5] },
    axis: {
      ...axisStyle(theme, 'trial'),
      incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000],
      values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
    },
  }),
  category: (theme, shape) => {
    const names = shape.categories ?? [];
    return {
      scale: { time: false, range: () => [-0.5, Math.max(0.5, names.length - 0.5)] },
      axis: { ...axisStyle(theme, shape.param!.name), splits: () => names.map((_, i) => i), values: (_u, splits) => splits.map((i) => names[i] ?? '') },
    };
  },
  log: (theme, shape) => ({
    scale: { time: false, distr: 3, log: 10, range: (_u, min, max) => padded(min, max, true) },
    axis: { ...axisStyle(theme, `${shape.param!.name} (log scale)`), values: settingTicks },
  }),
  linear: (theme, shape) => ({
    scale: { time: false, range: (_u, min, max) => padded(min, max, false) },
    axis: { ...axisStyle(theme, shape.param!.name), values: settingTicks },
  }),
};

/** `format`: how the objective reads on the y axis; `onCursor`: the point under the cursor (null: none). */
export function studyChartOptions(shape: StudyChartShape, theme: Theme, format: ValueFormat, onCursor: (idx: number | null) => void): uPlot.Options {
  const yScale: uPlot.Scale = shape.yLog
    ? { distr: 3, log: 10, range: (_u, min, max) => padded(min, max, true) }
    : { distr: 1, range: (_u, min, max) => padded(min, max, false) };
  const x = X_AXES[shape.kind === 'objective' ? 'trial' : paramAxis(shape.param!)](theme, shape);
  return {
    width: shape.size.width,
    height: shape.size.height,
    pxAlign: 0,
    scales: { x: x.scale, y: yScale },
    axes: [
      // Tick labels and the axis name close together: these charts are small.
      { ...x.axis, size: 32, labelSize: 20, labelGap: 0 },
      { ...axisStyle(theme, ''), size: 64, values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatTick(v, format))) },
    ],
    series: series(shape.kind, theme),
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 9 } },
    focus: { alpha: 1 },
    hooks: { setCursor: [(u) => onCursor(u.cursor.idx ?? null)] },
  };
}
