// How every number shown to a person reads (terminal, editor, grade): one place, so that a value, a
// bar and a hint agree. Errors in the label's units (RMSE, MAE) take the lab's label unit, e.g.
// "$82,417" for house prices; everything else is a plain number.
import type { LabManifest } from '../lab/manifest';

export type ValueFormat = 'number' | 'dollars' | 'percent' | 'integer';

/** A value for people; not-a-number says so. */
export function formatValue(x: number | null | undefined, format: ValueFormat = 'number'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'not a number';
  switch (format) {
    case 'dollars':
      return `$${Math.round(x).toLocaleString('en-US')}`;
    case 'percent':
      return `${(x * 100).toFixed(1)}%`;
    case 'integer':
      return Math.round(x).toLocaleString('en-US');
    case 'number':
      if (Math.abs(x) >= 1e9 || (Math.abs(x) < 1e-3 && x !== 0)) return x.toExponential(2);
      if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
      return String(Number(x.toPrecision(4)));
  }
}

/** A number inside a sentence: three significant digits, thousands grouped, huge or tiny ones as powers. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return 'not a number';
  if (Math.abs(x) >= 1e7 || (Math.abs(x) < 1e-3 && x !== 0)) return x.toExponential(1);
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(3)));
}

const LABEL_UNIT_METRIC = /(^|_)(rmse|mae)($|_|@)/;
/** Shares of rows (accuracy, recall): read as percentages. */
const SHARE_METRIC = /(^|_)(accuracy|recall)($|_|@)/;

/** A run output or curve value by its name: in the label's unit when it is an error in it, a share as a percentage. */
export function formatMetric(name: string, value: number | null | undefined, manifest: Pick<LabManifest, 'labelUnit'> | undefined): string {
  if (SHARE_METRIC.test(name)) return formatValue(value, 'percent');
  return formatValue(value, manifest?.labelUnit === 'dollars' && LABEL_UNIT_METRIC.test(name) ? 'dollars' : 'number');
}
