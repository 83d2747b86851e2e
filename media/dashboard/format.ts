// How values read in the dashboard: axis ticks short, readouts precise.
import type { ValueFormat } from '../../src/core/dashboardModel';

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
  switch (format) {
    case 'dollars': {
      const a = Math.abs(v);
      if (a >= 1e9) return `$${plain(v, 2)}`;
      if (a >= 1e6) return `$${parseFloat((v / 1e6).toPrecision(3))}M`;
      if (a >= 1e3) return `$${parseFloat((v / 1e3).toPrecision(3))}k`;
      return `$${parseFloat(v.toPrecision(3))}`;
    }
    case 'percent':
      return `${parseFloat((v * 100).toPrecision(3))}%`;
    case 'number':
      return plain(v, 3);
  }
}
