// How every number shown to a person reads — terminal, editor, grade, dashboard: one place, so that a
// value, a bar, a hint and a chart agree, and a value that is not a number reads the same everywhere.
// Errors in the label's units (RMSE, MAE) take the lab's label unit, e.g. "$82,417" for house prices;
// shares of rows read as percentages; everything else is a plain number. Browser-safe (the webviews
// import it).
import type { LabManifest } from './lab/manifest';

export type ValueFormat = 'number' | 'dollars' | 'percent' | 'integer';

/** What a non-finite value (NaN, infinity; null once it has crossed JSON) reads as. */
export const NOT_A_NUMBER = 'not a number';

/** What an empty place reads as: nothing there (an epoch a run does not have, a setting left out). */
export const NO_VALUE = '—';

/** A value for people; not-a-number says so. */
export function formatValue(x: number | null | undefined, format: ValueFormat = 'number'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NOT_A_NUMBER;
  switch (format) {
    case 'dollars':
      return `$${Math.round(x).toLocaleString('en-US')}`;
    case 'percent':
      return `${(x * 100).toFixed(1)}%`;
    case 'integer':
      return Math.round(x).toLocaleString('en-US');
    case 'number':
      if (Math.abs(x) >= 1e9 || (Math.abs(x) < 1e-3 && x !== 0)) return power(x, 2);
      if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
      return String(Number(x.toPrecision(4)));
  }
}

/** A power of ten as people write it: 2.58e10, not 2.58e+10. */
function power(x: number, digits: number): string {
  return x.toExponential(digits).replace('e+', 'e');
}

/** A number inside a sentence: three significant digits, thousands grouped, huge or tiny ones as powers. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return NOT_A_NUMBER;
  if (Math.abs(x) >= 1e7 || (Math.abs(x) < 1e-3 && x !== 0)) return power(x, 1);
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(3)));
}

/** A hyperparameter as the learner set it: integers exact, 0.01 as written, 1e-4 and 2.5e-5 as rates are. */
export function formatSetting(v: number): string {
  if (!Number.isFinite(v)) return NOT_A_NUMBER;
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(parseFloat(v.toPrecision(3)));
  return v
    .toExponential(2)
    .replace(/\.?0+e/, 'e')
    .replace('e+', 'e');
}

/** "learningRate=0.01, batchSize=32": a trial's or a run's settings on one line. */
export function formatSettings(params: Record<string, number | string | boolean>, separator = ', '): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatSetting(v) : v}`)
    .join(separator);
}

/** "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NO_VALUE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  if (m < 60) return `${m} min ${String(total % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A playground loss: three decimals, as TensorFlow Playground shows it. */
export function formatLoss(loss: number | null): string {
  return loss === null || !Number.isFinite(loss) ? NOT_A_NUMBER : loss.toFixed(3);
}

const LABEL_UNIT_METRIC = /(^|_)(rmse|mae)($|_|@)/;
/** Shares of rows (accuracy, recall): read as percentages. */
const SHARE_METRIC = /(^|_)(accuracy|recall)($|_|@)/;

/** A run output or curve value by its name: in the label's unit when it is an error in it, a share as a percentage. */
export function formatMetric(name: string, value: number | null | undefined, manifest: Pick<LabManifest, 'labelUnit'> | undefined): string {
  if (SHARE_METRIC.test(name)) return formatValue(value, 'percent');
  return formatValue(value, manifest?.labelUnit === 'dollars' && LABEL_UNIT_METRIC.test(name) ? 'dollars' : 'number');
}

// ── chart axes: short labels, never two alike ──────────────────────────────────────────────────

function plain(v: number, digits: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3))
    return v
      .toExponential(Math.max(0, digits - 2))
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  return String(parseFloat(v.toPrecision(digits)));
}

/** A value on an axis tick. */
export function formatTick(v: number, format: ValueFormat): string {
  return tickAt(v, format, 3);
}

/** A value on an axis tick, with `digits` significant digits. */
function tickAt(v: number, format: ValueFormat, digits: number): string {
  switch (format) {
    case 'dollars': {
      const a = Math.abs(v);
      if (a >= 1e9) return `$${plain(v, digits - 1)}`;
      if (a >= 1e6) return `$${parseFloat((v / 1e6).toPrecision(digits))}M`;
      if (a >= 1e3) return `$${parseFloat((v / 1e3).toPrecision(digits))}k`;
      return `$${parseFloat(v.toPrecision(digits))}`;
    }
    case 'percent':
      return `${parseFloat((v * 100).toPrecision(digits))}%`;
    case 'integer':
    case 'number':
      return plain(v, digits);
  }
}

/**
 * The labels of an axis: short, but never two alike for different values — a narrow range (a first
 * epoch's $234,100 to $234,400) gets the digits that tell its ticks apart.
 */
export function formatTicks(values: readonly (number | null | undefined)[], format: ValueFormat): string[] {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  for (let digits = 3; digits <= 12; digits++) {
    const labels = finite.map((v) => tickAt(v, format, digits));
    if (new Set(labels).size === new Set(finite).size) return values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? tickAt(v, format, digits) : ''));
  }
  return values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : ''));
}
