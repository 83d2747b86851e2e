// The selected run in detail: how it ran (status, backend, why it stopped) and its grade, each
// failed check with the hint that says what to change and a link to the line to change.
import type { CheckResult } from '../../src/core/grade/report';

import { fill, h } from '../common/dom';
import type { RunEntry } from './store';
import { formatSetting } from '../../src/core/format';

export interface GradePanelHandlers {
  open(location: NonNullable<CheckResult['location']>): void;
  /** Open the run's code (its source/ folder), or compare it with the previous run's. */
  openCode(runId: string, compare: boolean): void;
}

const ICON: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', skip: '–' };

export class GradePanel {
  readonly el: HTMLElement;
  private readonly body: HTMLDivElement;
  /** What the panel shows, except the epoch count, which is updated in place while a run streams. */
  private key = '';
  private epochsText: Text | undefined;

  constructor(private readonly handlers: GradePanelHandlers) {
    this.body = h('div', { class: 'details-body' });
    this.el = h(
      'section',
      { class: 'details', attrs: { 'aria-labelledby': 'details-title', 'aria-live': 'polite' } },
      h('h2', { attrs: { id: 'details-title' } }, 'Run details'),
      this.body,
    );
  }

  render(run: RunEntry | undefined, color: string | undefined): void {
    const key = run ? JSON.stringify([run.info, run.grade?.gradedAt, run.grade?.runId, color]) : '';
    const epochs = run ? `${run.epochs.epoch.length}${run.info.epochsPlanned ? ` of ${run.info.epochsPlanned}` : ''}` : '';
    if (key === this.key && this.epochsText) {
      if (this.epochsText.data !== epochs) this.epochsText.data = epochs;
      return;
    }
    this.key = key;
    this.epochsText = undefined;
    if (!run) {
      fill(this.body, h('p', { class: 'muted' }, 'Select a run to see its grade.'));
      return;
    }
    this.epochsText = document.createTextNode(epochs);
    const info = run.info;
    const swatch = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
    if (color) swatch.style.backgroundColor = color;
    const hp = Object.entries(info.hyperparameters);
    const facts = h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'status'),
      h('dd', {}, info.status),
      h('dt', {}, 'epochs'),
      h('dd', {}, this.epochsText),
      info.seed !== undefined ? h('dt', {}, 'seed') : null,
      info.seed !== undefined
        ? h('dd', { attrs: { title: 'The run drew its random numbers from this seed: mllabs run --seed reproduces it' } }, String(info.seed))
        : null,
      info.trial ? h('dt', {}, 'study trial') : null,
      info.trial ? h('dd', {}, String(info.trial)) : null,
      info.backend ? h('dt', {}, 'backend') : null,
      info.backend ? h('dd', { attrs: { title: info.backendReason } }, info.backend) : null,
      ...hp.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'number' ? formatSetting(v) : String(v))]),
    );
    const stop = info.marker ? h('p', { class: `stop stop-${info.marker.kind}`, attrs: { role: 'note' } }, `✕ ${info.marker.message}`) : null;
    fill(this.body, h('p', { class: 'run-head' }, swatch, h('strong', {}, info.label)), facts, this.code(run), stop, this.grade(run));
  }

  /** What changed in the code since the run before, the lines themselves, and links to the code. */
  private code(run: RunEntry): HTMLElement | null {
    const code = run.info.code;
    if (!code) return null;
    const id = run.info.id;
    const summary = code.changed
      ? `Code changed since the run before: ${code.summary}.`
      : code.summary === 'first run'
        ? 'The first run of this lab.'
        : 'Same code as the run before.';
    const diff = code.diff.length
      ? h(
          'pre',
          { class: 'code-diff', attrs: { 'aria-label': 'Lines changed since the run before' } },
          ...code.diff.map((line) =>
            h('span', { class: line.startsWith('@@') ? 'head' : line.startsWith('-') ? 'del' : line.startsWith('+') ? 'add' : '' }, `${line}\n`),
          ),
        )
      : null;
    const file = code.files[0] ?? 'source';
    return h(
      'section',
      { class: 'code-change', attrs: { 'aria-label': 'Code of this run' } },
      h('p', { class: 'code-summary' }, summary),
      diff,
      h(
        'p',
        { class: 'code-actions' },
        code.files.length
          ? h(
              'button',
              {
                class: 'link open-code',
                attrs: { type: 'button', title: `Open ${file} as this run ran it (kept in .mllabs/runs/${id}/source/)` },
                on: { click: () => this.handlers.openCode(id, false) },
              },
              `Open this run's ${file}`,
            )
          : null,
        code.changed && code.previous
          ? h(
              'button',
              {
                class: 'link compare-code',
                attrs: { type: 'button', title: 'Show the changes side by side' },
                on: { click: () => this.handlers.openCode(id, true) },
              },
              'Compare with the run before',
            )
          : null,
      ),
    );
  }

  private grade(run: RunEntry): HTMLElement {
    const g = run.grade;
    if (!g) {
      return h('p', { class: 'muted' }, run.info.status === 'running' ? 'The grade appears when the run finishes.' : 'This run has no grade.');
    }
    const failed = g.results.filter((r) => r.status === 'fail');
    return h(
      'div',
      { class: `grade ${g.passed ? 'pass' : 'fail'}` },
      h('p', { class: 'grade-summary' }, h('strong', {}, g.passed ? '✓ Passed' : '✗ Not passed yet'), ` — ${g.summary}`),
      h('ul', { class: 'checks' }, ...[...failed, ...g.results.filter((r) => r.status !== 'fail')].map((r) => this.check(r))),
    );
  }

  private check(r: CheckResult): HTMLLIElement {
    const measured = r.measured !== undefined ? `${r.measured}${r.bar ? ` (needs ${r.bar})` : ''}` : '';
    const loc = r.location;
    return h(
      'li',
      { class: `check ${r.status}${r.optional ? ' optional' : ''}` },
      h('span', { class: 'icon', attrs: { 'aria-label': r.status } }, ICON[r.status]),
      h(
        'div',
        {},
        h('span', { class: 'check-title' }, r.title, r.optional ? h('span', { class: 'muted' }, ' (optional)') : null),
        measured ? h('span', { class: 'measured' }, measured) : null,
        r.status !== 'pass' ? h('p', { class: 'message' }, r.message) : null,
        r.hint && r.status === 'fail' ? h('p', { class: 'hint' }, h('strong', {}, 'Hint: '), r.hint) : null,
        loc
          ? h(
              'button',
              {
                class: 'link location',
                attrs: { type: 'button', title: `Open ${loc.file} at line ${loc.line}` },
                on: { click: () => this.handlers.open(loc) },
              },
              `${loc.file}:${loc.line}`,
            )
          : null,
      ),
    );
  }
}
