// The confusion matrix of one run as a table: rows are the true classes, columns the predicted ones,
// each cell shaded by its share of the row. A table reads out well with a screen reader.
import type { ConfusionMatrix } from '../../src/core/dashboard/records';
import { h } from '../common/dom';

export function confusionTable(cm: ConfusionMatrix, caption: string): HTMLTableElement {
  const head = h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'actual ↓ / predicted →'), ...cm.labels.map((l) => h('th', { attrs: { scope: 'col' } }, l)));
  const rows = cm.matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return h(
      'tr',
      {},
      h('th', { attrs: { scope: 'row' } }, cm.labels[i]!),
      ...row.map((count, j) => {
        const share = total > 0 ? count / total : 0;
        const cell = h(
          'td',
          {
            class: i === j ? 'diagonal' : undefined,
            attrs: { title: `actual ${cm.labels[i]}, predicted ${cm.labels[j]}: ${count} (${(share * 100).toFixed(1)}% of the row)` },
          },
          String(count),
        );
        // Shade through a CSS variable so the colour itself stays with the theme's stylesheet.
        cell.style.setProperty('--share', `${Math.round(share * 100)}%`);
        return cell;
      }),
    );
  });
  return h('table', { class: 'confusion' }, h('caption', {}, caption), h('thead', {}, head), h('tbody', {}, ...rows));
}
