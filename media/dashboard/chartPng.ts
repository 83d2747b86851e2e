// A run chart saved as a picture: the chart with a title and a key of the runs, on the theme's
// background.
import uPlot from 'uplot';
import type { ChartInputs, SeriesMeta } from './chartData';
import { STOP_WORD } from './chartMarkers';

/** The chart `u` draws, titled `title`, as a PNG data URL (undefined: the browser has no 2D canvas). */
export function chartPng(u: uPlot, meta: readonly SeriesMeta[], inputs: ChartInputs, title: string): string | undefined {
  const src = u.ctx.canvas;
  const pr = uPlot.pxRatio;
  const pad = 12 * pr;
  const line = 18 * pr;
  const runs = [...new Map(meta.map((m) => [m.run.info.id, m])).values()];
  const out = document.createElement('canvas');
  out.width = src.width + 2 * pad;
  out.height = src.height + 2 * pad + line * (2 + runs.length);
  const ctx = out.getContext('2d');
  if (!ctx) return undefined;
  const family = inputs.theme.font.replace(/^\S+\s/, '');
  ctx.fillStyle = inputs.theme.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = inputs.theme.foreground;
  ctx.textBaseline = 'middle';
  ctx.font = `bold ${Math.round(13 * pr)}px ${family}`;
  ctx.fillText(`${title}${inputs.smoothing > 0 ? ` (smoothing ${inputs.smoothing})` : ''}`, pad, pad + line / 2);
  ctx.drawImage(src, pad, pad + line);
  ctx.font = `${Math.round(12 * pr)}px ${family}`;
  runs.forEach((m, i) => {
    const y = pad + line + src.height + line * (i + 1.5);
    ctx.strokeStyle = m.color;
    ctx.lineWidth = 2 * pr;
    ctx.beginPath();
    ctx.moveTo(pad, y);
    ctx.lineTo(pad + 24 * pr, y);
    ctx.stroke();
    ctx.fillStyle = inputs.theme.foreground;
    const stop = m.run.info.marker ? ` — ${STOP_WORD[m.run.info.marker.kind]}` : '';
    ctx.fillText(`${m.run.info.id === inputs.bestRunId ? '★ ' : ''}${m.run.info.label}${stop}`, pad + 32 * pr, y);
  });
  return out.toDataURL('image/png');
}
