// The CSV export of the dashboard: every epoch of the chosen runs, one row each, safe to open in a spreadsheet.
import type { LoadedRun } from './data';

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const METRIC_ORDER = ['loss', 'val_loss'];

/**
 * One row per run and epoch: run id, status, its hyperparameters, epoch, elapsed time, then every
 * metric any of the runs reports (loss and val_loss first). Ready for a spreadsheet or pandas.
 */
export function metricsCsv(runs: readonly LoadedRun[]): string {
  const hps = new Set<string>();
  const metrics = new Set<string>();
  for (const r of runs) {
    for (const k of Object.keys(r.record.hyperparameters)) hps.add(k);
    for (const e of r.epochs) for (const k of Object.keys(e.metrics)) metrics.add(k);
  }
  const metricCols = [...metrics].sort((a, b) => {
    const ia = METRIC_ORDER.indexOf(a);
    const ib = METRIC_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const hpCols = [...hps].sort();
  const lines = [['run', 'status', ...hpCols, 'epoch', 'elapsed_ms', ...metricCols].map(csvCell).join(',')];
  for (const r of runs) {
    const fixed = [r.record.id, r.record.status, ...hpCols.map((k) => r.record.hyperparameters[k])];
    for (const e of r.epochs) {
      lines.push([...fixed, e.epoch, e.elapsedMs, ...metricCols.map((k) => e.metrics[k])].map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}
