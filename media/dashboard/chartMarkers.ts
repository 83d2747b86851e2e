// Where a run stopped early, drawn over its chart: a dashed line and a word at the epoch it
// stopped, and a cross on its last value.
import uPlot from 'uplot';
import type { RunMarker } from '../../src/core/dashboard/records';
import type { SeriesMeta } from './chartData';
import type { Theme } from './theme';

export const STOP_WORD: Record<RunMarker['kind'], string> = {
  diverged: 'diverged',
  cancelled: 'cancelled',
  failed: 'failed',
  timeout: 'timed out',
  crashed: 'crashed',
  oom: 'out of memory',
  interrupted: 'interrupted',
};

/** uPlot's logarithmic scale (its const enum cannot be read under isolatedModules). */
const LOG_DISTRIBUTION = 3 as uPlot.Scale.Distr;

/** A dashed line and a word where each run stopped early, and a cross on its last value. */
export function drawStopMarkers(u: uPlot, meta: readonly SeriesMeta[], theme: Theme): void {
  const ctx = u.ctx;
  const pr = uPlot.pxRatio;
  const seen = new Set<string>();
  let row = 0;
  ctx.save();
  ctx.font = `${Math.round(11 * pr)}px ${theme.font.replace(/^\S+\s/, '')}`;
  ctx.textBaseline = 'top';
  meta.forEach((m, i) => {
    const marker = m.run.info.marker;
    if (!marker || seen.has(m.run.info.id) || !u.series[i + 1]?.show) return;
    // One marker per run, on its validation curve when it has one.
    const sibling = meta.find((o) => o.run === m.run && o.role === 'validation');
    if (sibling && sibling !== m) return;
    seen.add(m.run.info.id);
    const ep = m.run.epochs.epoch;
    const epoch = marker.epoch ?? ep[ep.length - 1];
    if (epoch === undefined) return;
    const x = u.valToPos(epoch, 'x', true);
    if (x < u.bbox.left - 1 || x > u.bbox.left + u.bbox.width + 1) return;
    ctx.strokeStyle = m.color;
    ctx.fillStyle = m.color;
    drawStopLine(u, x, `✕ ${STOP_WORD[marker.kind]}`, row++);
    drawCross(u, i + 1, epoch);
  });
  ctx.restore();
}

/** The dashed line at the stop, and its word on text row `row` (beside the line, inside the plot). */
function drawStopLine(u: uPlot, x: number, text: string, row: number): void {
  const ctx = u.ctx;
  const pr = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  ctx.lineWidth = pr;
  ctx.setLineDash([3 * pr, 3 * pr]);
  ctx.beginPath();
  ctx.moveTo(x, top);
  ctx.lineTo(x, top + height);
  ctx.stroke();
  ctx.setLineDash([]);
  const tw = ctx.measureText(text).width;
  const ty = top + 4 * pr + row * 15 * pr;
  ctx.fillText(text, x + 4 * pr + tw > left + width ? x - 4 * pr - tw : x + 4 * pr, ty);
}

/** The cross on series `s`: the last value drawn at or before the stop. */
function drawCross(u: uPlot, s: number, epoch: number): void {
  const ctx = u.ctx;
  const pr = uPlot.pxRatio;
  const { top, height } = u.bbox;
  const ys = u.data[s]!;
  const xs = u.data[0];
  for (let k = Math.min(xs.length - 1, u.valToIdx(epoch)); k >= 0; k--) {
    const v = ys[k];
    if (v === null || v === undefined) continue;
    if (u.scales['y']?.distr === LOG_DISTRIBUTION && v <= 0) break;
    const px = u.valToPos(xs[k] as number, 'x', true);
    const py = u.valToPos(v, 'y', true);
    // A run cut off above the chart gets its line and word, not a cross drawn over the axis.
    if (py < top || py > top + height) break;
    const r = 4 * pr;
    ctx.lineWidth = 2 * pr;
    ctx.beginPath();
    ctx.moveTo(px - r, py - r);
    ctx.lineTo(px + r, py + r);
    ctx.moveTo(px + r, py - r);
    ctx.lineTo(px - r, py + r);
    ctx.stroke();
    break;
  }
}
