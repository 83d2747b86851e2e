// The list of runs: a checkbox per run to show or hide its curves, its colour, hyperparameters,
// status and progress, and a button to show its details. Rows are kept and updated in place, so a
// streaming run does not rebuild the list (or steal keyboard focus) every frame.

import { h } from '../common/dom';
import type { RunEntry } from './store';
import { formatSetting } from '../../src/core/format';

export interface RunListHandlers {
  toggle(runId: string, visible: boolean): void;
  select(runId: string): void;
  setAll(visible: boolean): void;
}

interface Row {
  li: HTMLLIElement;
  box: HTMLInputElement;
  swatch: HTMLSpanElement;
  label: HTMLSpanElement;
  code: HTMLSpanElement;
  status: HTMLSpanElement;
  best: HTMLSpanElement;
  grade: HTMLSpanElement;
  progress: HTMLSpanElement;
  details: HTMLButtonElement;
}

export interface RunListView {
  hidden: ReadonlySet<string>;
  selected: string | undefined;
  best: string | undefined;
  colorOf(run: RunEntry): string;
}

const STATUS_TEXT: Record<string, string> = {
  running: 'running',
  completed: 'completed',
  diverged: 'diverged',
  failed: 'failed',
  cancelled: 'cancelled',
  timeout: 'timed out',
  crashed: 'crashed',
  oom: 'out of memory',
  interrupted: 'interrupted',
};

let rowSeq = 0;

/** "code: labelScale 1 → 100_000 · seed 4821": the run's code change and seed in one line. */
export function codeLine(info: RunEntry['info']): string {
  const parts: string[] = [];
  if (info.trial) parts.push(`study trial ${info.trial}`);
  if (info.code) parts.push(info.code.changed ? `code: ${info.code.summary}` : info.code.summary === 'first run' ? 'first run' : 'same code as the run before');
  if (info.seed !== undefined) parts.push(`seed ${info.seed}`);
  return parts.join(' · ');
}

// Writes only what changed: rows are updated every frame while a run streams, and each write
// would make the browser recompute styles.
function set(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function attr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function cls(el: Element, value: string): void {
  if (el.className !== value) el.className = value;
}

function hide(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

export class RunList {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly rows = new Map<string, Row>();

  constructor(private readonly handlers: RunListHandlers) {
    this.list = h('ul', { class: 'run-list', attrs: { 'aria-label': 'Runs' } });
    this.el = h(
      'section',
      { class: 'runs', attrs: { 'aria-labelledby': 'runs-title' } },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { attrs: { id: 'runs-title' } }, 'Runs'),
        h(
          'span',
          { class: 'bulk' },
          h('button', { class: 'link', attrs: { type: 'button', title: 'Show every run' }, on: { click: () => handlers.setAll(true) } }, 'All'),
          h('button', { class: 'link', attrs: { type: 'button', title: 'Hide every run' }, on: { click: () => handlers.setAll(false) } }, 'None'),
        ),
      ),
      this.list,
    );
  }

  private makeRow(runId: string): Row {
    const id = `run-toggle-${++rowSeq}`;
    const box = h('input', { attrs: { type: 'checkbox', id } });
    box.addEventListener('change', () => this.handlers.toggle(runId, box.checked));
    const swatch = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
    const label = h('span', { class: 'run-label' });
    const code = h('span', { class: 'run-code' });
    const status = h('span', { class: 'status' });
    const best = h('span', { class: 'best' }, '★ best');
    const grade = h('span', { class: 'grade-badge' });
    const progress = h('span', { class: 'progress' });
    const details = h('button', { class: 'secondary details', attrs: { type: 'button' }, on: { click: () => this.handlers.select(runId) } }, 'Details');
    const li = h(
      'li',
      { class: 'run', attrs: { 'data-run-id': runId } },
      box,
      h('label', { attrs: { for: id } }, swatch, label),
      code,
      h('span', { class: 'badges' }, status, best, grade),
      progress,
      details,
    );
    return { li, box, swatch, label, code, status, best, grade, progress, details };
  }

  render(runs: readonly RunEntry[], view: RunListView): void {
    const keep = new Set(runs.map((r) => r.info.id));
    for (const [id, row] of this.rows) {
      if (!keep.has(id)) {
        row.li.remove();
        this.rows.delete(id);
      }
    }
    // Newest first: the run the learner just started is at the top.
    const ordered = [...runs].reverse();
    ordered.forEach((run, i) => {
      const id = run.info.id;
      let row = this.rows.get(id);
      if (!row) {
        row = this.makeRow(id);
        this.rows.set(id, row);
      }
      if (this.list.children[i] !== row.li) this.list.insertBefore(row.li, this.list.children[i] ?? null);
      this.updateRow(row, run, view);
    });
  }

  private updateRow(row: Row, run: RunEntry, view: RunListView): void {
    const info = run.info;
    const visible = !view.hidden.has(info.id);
    if (row.box.checked !== visible) row.box.checked = visible;
    const color = view.colorOf(run);
    if (row.swatch.dataset['color'] !== color) {
      row.swatch.dataset['color'] = color;
      row.swatch.style.backgroundColor = color;
    }
    set(row.label, info.label);
    attr(
      row.label,
      'title',
      Object.entries(info.hyperparameters)
        .map(([k, v]) => `${k} = ${typeof v === 'number' ? formatSetting(v) : String(v)}`)
        .join('\n') || info.label,
    );
    // What sets this run apart when the hyperparameters do not: its code and its seed.
    set(row.code, codeLine(info));
    attr(row.code, 'title', info.code?.diff.length ? info.code.diff.join('\n') : codeLine(info));
    const at = info.marker?.epoch ? ` at epoch ${info.marker.epoch}` : '';
    set(row.status, `${STATUS_TEXT[info.status] ?? info.status}${info.marker ? at : ''}`);
    cls(row.status, `status status-${info.status}`);
    hide(row.best, view.best !== info.id);
    if (run.grade) {
      set(row.grade, run.grade.passed ? '✓ passed' : '✗ not passed');
      cls(row.grade, `grade-badge ${run.grade.passed ? 'pass' : 'fail'}`);
    }
    hide(row.grade, !run.grade);
    const n = run.epochs.epoch.length;
    const planned = info.epochsPlanned ? `/${info.epochsPlanned}` : '';
    set(row.progress, `${n}${planned} epoch${n === 1 && !planned ? '' : 's'}${info.backend ? ` · ${info.backend}` : ''}`);
    if (info.backendReason) attr(row.progress, 'title', `backend: ${info.backend ?? '?'} — ${info.backendReason}`);
    const selected = view.selected === info.id;
    cls(row.li, `run${selected ? ' selected' : ''}${visible ? '' : ' off'}`);
    attr(row.details, 'aria-pressed', String(selected));
    attr(row.details, 'aria-label', `Details of run ${info.label}`);
  }
}
