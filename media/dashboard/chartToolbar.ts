// The runs view's toolbar: smoothing, log scale and CSV export. It reports each change; the page
// keeps the view settings.
import { clampSmoothing } from '../../src/core/dashboard/smoothing';
import { h } from '../common/dom';

export interface ChartToolbarEvents {
  smoothing(weight: number): void;
  logScale(on: boolean): void;
  exportCsv(): void;
}

/** The toolbar, set to the saved view settings. */
export function chartToolbar(view: { smoothing: number; logScale: boolean }, on: ChartToolbarEvents): HTMLElement {
  const smoothing = h('input', { attrs: { type: 'range', id: 'smoothing', min: '0', max: '0.99', step: '0.01' } });
  const smoothingOut = h('output', { attrs: { for: 'smoothing', id: 'smoothing-value' } });
  const logBox = h('input', { attrs: { type: 'checkbox', id: 'log-scale', role: 'switch' } });
  smoothing.value = String(view.smoothing);
  smoothingOut.value = view.smoothing.toFixed(2);
  smoothing.addEventListener('input', () => {
    const v = clampSmoothing(Number(smoothing.value));
    smoothingOut.value = v.toFixed(2);
    on.smoothing(v);
  });
  logBox.checked = view.logScale;
  logBox.addEventListener('change', () => on.logScale(logBox.checked));
  return h(
    'div',
    { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Chart settings' } },
    h('label', { class: 'control', attrs: { for: 'smoothing' } }, 'Smoothing'),
    smoothing,
    smoothingOut,
    h('label', { class: 'control check' }, logBox, 'Log scale'),
    h(
      'button',
      { class: 'secondary', attrs: { type: 'button', title: 'Save the metrics of the runs shown as a CSV file' }, on: { click: () => on.exportCsv() } },
      'Export CSV',
    ),
  );
}
