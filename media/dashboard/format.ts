// How values read in the dashboard: axis ticks short, readouts precise.
import type { ValueFormat } from '../../src/core/dashboard/model';

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

function plain(v: number, digits: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(Math.max(0, digits - 2)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(parseFloat(v.toPrecision(digits)));
}

/** A value in a readout (legend, grade, announcements). */
export function formatValue(v: number | null | undefined, format: ValueFormat): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (format) {
    case 'dollars':
      return Math.abs(v) >= 1e9 ? `$${plain(v, 3)}` : dollars.format(v);
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'number':
      return plain(v, 4);
  }
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
