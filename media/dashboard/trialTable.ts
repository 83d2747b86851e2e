// The trials of a study as a table: one row per trial with its parameter values, state, objective,
// duration and what went wrong. Column headers are buttons that sort; the best trial is starred and
// a trial picked on a chart is highlighted and scrolled into view. A table reads well with a screen reader.
import { type ValueFormat } from '../../src/core/dashboard/model';
import type { StudyDetail, StudyTrial } from '../../src/core/dashboard/records';
import { fill, h } from '../common/dom';
import { formatDuration, NO_VALUE, formatSetting, formatValue } from '../../src/core/format';

type SortKey = { kind: 'number' } | { kind: 'objective' } | { kind: 'duration' } | { kind: 'param'; name: string };
type Direction = 'ascending' | 'descending';

const STATE_TEXT: Record<StudyTrial['state'], string> = {
  running: 'running',
  completed: 'completed',
  pruned: 'pruned',
  failed: 'failed',
  interrupted: 'interrupted',
};

function sameKey(a: SortKey, b: SortKey): boolean {
  return a.kind === b.kind && (a.kind !== 'param' || a.name === (b as { name: string }).name);
}

export class TrialTable {
  readonly el: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly wrap: HTMLDivElement;
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;
  private sort: { key: SortKey; dir: Direction } = { key: { kind: 'number' }, dir: 'ascending' };
  private study: StudyDetail | undefined;
  private format: ValueFormat = 'number';
  private headKey = '';
  private selected: number | undefined;

  constructor() {
    this.head = h('thead');
    this.body = h('tbody');
    this.table = h('table', { class: 'trials', attrs: { 'aria-labelledby': 'trials-title', 'aria-describedby': 'trials-hint' } }, this.head, this.body);
    this.wrap = h('div', { class: 'trials-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'trials-title' } }, this.table);
    this.el = h(
      'section',
      { class: 'trials-section', attrs: { 'aria-labelledby': 'trials-title' } },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { attrs: { id: 'trials-title' } }, 'Trials'),
        h(
          'span',
          { class: 'muted hint-line', attrs: { id: 'trials-hint' } },
          '★ marks the best trial. Click a point on a chart (or press Enter on it) to find its trial here.',
        ),
      ),
      this.wrap,
    );
  }

  render(study: StudyDetail, format: ValueFormat): void {
    if (this.study?.id !== study.id) {
      this.sort = { key: { kind: 'number' }, dir: 'ascending' };
      this.selected = undefined;
    }
    this.study = study;
    this.format = format;
    const headKey = JSON.stringify([study.id, study.params.map((p) => p.name), study.metric, study.goal, this.sort]);
    if (headKey !== this.headKey) {
      this.headKey = headKey;
      this.renderHead(study);
    }
    this.renderBody(study);
  }

  /** Highlights a trial's row and brings it into view. */
  select(trial: number): void {
    this.selected = trial;
    for (const row of this.body.rows) row.classList.toggle('selected', row.dataset['trial'] === String(trial));
    this.body.querySelector('tr.selected')?.scrollIntoView({ block: 'nearest' });
  }

  private renderHead(study: StudyDetail): void {
    const goal = study.goal === 'MINIMIZE' ? '↓' : '↑';
    const cols: { label: string; key?: SortKey; title?: string; numeric?: boolean }[] = [
      { label: '#', key: { kind: 'number' }, title: 'Trial number', numeric: true },
      { label: 'State' },
      ...study.params.map((p) => ({ label: p.name, key: { kind: 'param', name: p.name } as SortKey, numeric: p.type !== 'CATEGORICAL' })),
      {
        label: `${study.metric} ${goal}`,
        key: { kind: 'objective' },
        title: `The objective (${study.goal === 'MINIMIZE' ? 'lower' : 'higher'} is better)`,
        numeric: true,
      },
      { label: 'Duration', key: { kind: 'duration' }, numeric: true },
      { label: 'Note' },
    ];
    const row = h(
      'tr',
      {},
      ...cols.map((c) => {
        const th = h('th', { class: c.numeric ? 'num' : undefined, attrs: { scope: 'col', title: c.title } });
        if (!c.key) {
          th.textContent = c.label;
          return th;
        }
        const key = c.key;
        const active = sameKey(this.sort.key, key);
        if (active) th.setAttribute('aria-sort', this.sort.dir);
        const arrow = active ? (this.sort.dir === 'ascending' ? ' ▲' : ' ▼') : '';
        th.append(
          h(
            'button',
            { class: 'sort', attrs: { type: 'button' }, on: { click: () => this.sortBy(key) } },
            c.label,
            h('span', { attrs: { 'aria-hidden': 'true' } }, arrow),
          ),
        );
        return th;
      }),
    );
    fill(this.head, row);
  }

  private sortBy(key: SortKey): void {
    const same = sameKey(this.sort.key, key);
    // The objective sorts best first, whatever the goal; the rest in ascending order first.
    const first: Direction = key.kind === 'objective' && this.study?.goal === 'MAXIMIZE' ? 'descending' : 'ascending';
    this.sort = { key, dir: same ? (this.sort.dir === 'ascending' ? 'descending' : 'ascending') : first };
    if (!this.study) return;
    this.render(this.study, this.format);
    // The header was rebuilt: keep the keyboard on the button that was pressed.
    const index = [...this.head.querySelectorAll('th')].findIndex((th) => th.hasAttribute('aria-sort'));
    this.head.querySelectorAll('th')[index]?.querySelector('button')?.focus();
  }

  private sorted(study: StudyDetail): StudyTrial[] {
    const { key, dir } = this.sort;
    const sign = dir === 'ascending' ? 1 : -1;
    const value = (t: StudyTrial): number | string | undefined => {
      switch (key.kind) {
        case 'number':
          return t.number;
        case 'objective':
          return typeof t.objective === 'number' ? t.objective : undefined;
        case 'duration':
          return t.durationMs;
        case 'param':
          return Object.hasOwn(t.params, key.name) ? t.params[key.name] : undefined;
      }
    };
    return [...study.trials].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      // Trials without a value go last either way.
      if (va === undefined || vb === undefined) return va === vb ? a.number - b.number : va === undefined ? 1 : -1;
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return c * sign || a.number - b.number;
    });
  }

  private renderBody(study: StudyDetail): void {
    const best = study.best?.number;
    const rows = this.sorted(study).map((t) => {
      const isBest = t.number === best;
      const state = t.state === 'pruned' && t.lastStep !== undefined ? `pruned at step ${t.lastStep}` : STATE_TEXT[t.state];
      const note = t.error ?? (t.retryOf !== undefined ? `re-runs interrupted trial ${t.retryOf}` : '');
      const number = h(
        'td',
        { class: 'num' },
        String(t.number),
        isBest ? h('span', { class: 'best-mark', attrs: { role: 'img', 'aria-label': 'best', title: 'the best trial' } }, ' ★') : null,
      );
      const duration = t.durationMs !== undefined ? formatDuration(t.durationMs) : t.state === 'running' ? '…' : NO_VALUE;
      return h(
        'tr',
        {
          class: `trial state-${t.state}${isBest ? ' best' : ''}${this.selected === t.number ? ' selected' : ''}`,
          attrs: { 'data-trial': String(t.number) },
        },
        number,
        h('td', { class: `state status-${t.state}` }, state),
        ...study.params.map((p) => {
          const v = Object.hasOwn(t.params, p.name) ? t.params[p.name] : undefined;
          return h('td', { class: typeof v === 'number' ? 'num' : undefined }, v === undefined ? NO_VALUE : typeof v === 'number' ? formatSetting(v) : v);
        }),
        h('td', { class: 'num objective' }, formatValue(t.objective ?? null, this.format)),
        h('td', { class: 'num' }, duration),
        h('td', { class: 'note', attrs: { title: note || undefined } }, note),
      );
    });
    fill(this.body, ...rows);
    if (rows.length === 0) fill(this.body, h('tr', {}, h('td', { class: 'muted', attrs: { colspan: String(study.params.length + 5) } }, 'No trials yet.')));
  }
}
