// One hyperparameter study: what it searches and how far it got, its best trial with the button that
// writes those values into the learner's code, the charts, and the table of trials. Rebuilt from
// each `study` message; the charts and the table keep their elements and only take the new data.
import { type ValueFormat } from '../../src/core/dashboard/model';
import type { StudyDetail, StudyParam, StudySummary } from '../../src/core/dashboard/records';
import { fill, h } from '../common/dom';
import { StudyChart, type StudyChartInfo } from './studyCharts';
import type { Theme } from './theme';
import { TrialTable } from './trialTable';
import { formatSetting, formatValue } from '../../src/core/format';

export interface StudyViewHandlers {
  applyBest(studyId: string, trial: number): void;
  setLogScale(on: boolean): void;
  announce(text: string): void;
}

export interface StudyViewInputs {
  theme: Theme;
  themeStamp: number;
  logScale: boolean;
}

const SAMPLER_TEXT: Record<StudySummary['sampler'], string> = {
  grid: 'grid search',
  random: 'random search',
  bayesian: 'Bayesian optimisation (Gaussian process)',
};

export const APPLY_LABEL = 'Apply best hyperparameters';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function paramText(p: StudyParam): string {
  const scale = p.scale === 'UNIT_LOG_SCALE' ? ', log scale' : p.scale === 'UNIT_REVERSE_LOG_SCALE' ? ', reverse log scale' : '';
  switch (p.type) {
    case 'DOUBLE':
      return `${formatSetting(p.min ?? NaN)} – ${formatSetting(p.max ?? NaN)}${scale}`;
    case 'INTEGER':
      return `integers ${formatSetting(p.min ?? NaN)} – ${formatSetting(p.max ?? NaN)}${scale}`;
    case 'DISCRETE':
      return `one of ${(p.values ?? []).map((v) => (typeof v === 'number' ? formatSetting(v) : v)).join(', ')}${scale}`;
    case 'CATEGORICAL':
      return `one of ${(p.values ?? []).join(', ')}`;
  }
}

/** "running: 2 trials in progress", "finished", "stopped after 6 of 10 trials". */
export function studyStatus(s: StudySummary): string {
  const finished = s.counts.completed + s.counts.pruned + s.counts.failed;
  if (s.active) return `running — ${plural(s.counts.running, 'trial')} in progress`;
  if (finished >= s.maxTrials) return 'finished';
  return `stopped after ${finished} of ${s.maxTrials} trials`;
}

/** The selector's line for a study. */
export function studyOptionText(s: StudySummary): string {
  const finished = s.counts.completed + s.counts.pruned + s.counts.failed;
  const best = s.best ? ` · best ${formatValue(s.best.objective, s.format)}` : '';
  return `Study ${s.id} · ${finished}/${s.maxTrials} trials${best}${s.active ? ' · running' : ''}`;
}

export class StudyView {
  readonly el: HTMLElement;
  private readonly title = h('h2', { attrs: { id: 'study-title' } });
  private readonly status = h('span', { class: 'study-status' });
  private readonly facts = h('dl', { class: 'facts' });
  private readonly warnings = h('details', { class: 'warnings' });
  private readonly best = h('section', { class: 'best-card', attrs: { 'aria-labelledby': 'best-title' } });
  private readonly apply: HTMLButtonElement;
  private readonly logBox = h('input', { attrs: { type: 'checkbox', id: 'study-log-scale', role: 'switch' } });
  private readonly loading = h('p', { class: 'empty big' }, 'Loading the study…');
  private readonly chartsEl = h('div', { class: 'study-charts' });
  private readonly chartsSection: HTMLElement;
  private readonly table = new TrialTable();
  private charts: StudyChart[] = [];
  private chartsKey = '';
  private shown: { id: string; best?: number } | undefined;

  constructor(private readonly handlers: StudyViewHandlers) {
    this.apply = h('button', { class: 'primary apply', attrs: { type: 'button' } }, APPLY_LABEL);
    this.apply.addEventListener('click', () => {
      const s = this.shown;
      if (s?.best !== undefined) this.handlers.applyBest(s.id, s.best);
    });
    this.logBox.addEventListener('change', () => this.handlers.setLogScale(this.logBox.checked));
    const key = h(
      'p',
      { class: 'study-key', attrs: { 'aria-hidden': 'true' } },
      h('span', { class: 'key key-completed' }, 'completed'),
      h('span', { class: 'key key-pruned' }, 'pruned (its value when stopped)'),
      h('span', { class: 'key key-best-so-far' }, 'best so far'),
      h('span', { class: 'key key-best' }, 'best trial'),
    );
    this.chartsSection = h(
      'section',
      { class: 'study-charts-section', attrs: { 'aria-labelledby': 'study-charts-title' } },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { attrs: { id: 'study-charts-title' } }, 'Objective'),
        h('label', { class: 'control check' }, this.logBox, 'Log scale'),
      ),
      key,
      this.chartsEl,
    );
    this.warnings.hidden = true;
    this.el = h(
      'div',
      { class: 'study-view' },
      h(
        'div',
        { class: 'study-top' },
        h(
          'section',
          { class: 'study-summary', attrs: { 'aria-labelledby': 'study-title' } },
          h('div', { class: 'study-head' }, this.title, this.status),
          this.facts,
          this.warnings,
        ),
        this.best,
      ),
      this.loading,
      this.chartsSection,
      this.table.el,
    );
  }

  render(summary: StudySummary, detail: StudyDetail | undefined, inputs: StudyViewInputs): void {
    const format = summary.format;
    this.title.textContent = `Study ${summary.id}`;
    this.status.textContent = studyStatus(summary);
    this.status.className = `study-status${summary.active ? ' status-running' : ''}`;
    this.logBox.checked = inputs.logScale;
    this.renderFacts(summary, detail);
    this.renderBest(summary, detail, format);
    this.loading.hidden = detail !== undefined;
    this.chartsSection.hidden = detail === undefined;
    this.table.el.hidden = detail === undefined;
    if (!detail) return;
    this.renderWarnings(detail);
    this.renderCharts(detail, format, inputs);
    this.table.render(detail, format);
  }

  private renderFacts(s: StudySummary, detail: StudyDetail | undefined): void {
    const finished = s.counts.completed + s.counts.pruned + s.counts.failed;
    const parts = [
      s.counts.completed ? `${s.counts.completed} completed` : '',
      s.counts.pruned ? `${s.counts.pruned} pruned` : '',
      s.counts.failed ? `${s.counts.failed} failed` : '',
      s.counts.interrupted ? `${s.counts.interrupted} interrupted` : '',
      s.counts.running ? `${s.counts.running} running` : '',
    ].filter(Boolean);
    const row = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];
    fill(
      this.facts,
      ...row('objective', `${s.goal === 'MINIMIZE' ? 'minimise' : 'maximise'} ${s.metric}`),
      ...row('search', SAMPLER_TEXT[s.sampler]),
      ...row('trials', `${finished} of ${s.maxTrials}${parts.length ? ` (${parts.join(', ')})` : ''}`),
      ...row('at once', `up to ${s.maxParallelTrials}`),
      ...row('early stopping', s.earlyStopping ? 'on (median rule)' : 'off'),
      ...(detail ? detail.params.flatMap((p) => row(p.name, paramText(p))) : []),
    );
  }

  private renderBest(s: StudySummary, detail: StudyDetail | undefined, format: ValueFormat): void {
    const trial = s.best && detail ? detail.trials.find((t) => t.number === s.best!.number) : undefined;
    this.shown = { id: s.id, best: s.best?.number };
    const heading = h('h2', { attrs: { id: 'best-title' } }, s.best ? `★ Best trial ${s.best.number}${s.active ? ' so far' : ''}` : 'Best trial');
    if (!s.best) {
      this.apply.disabled = true;
      this.apply.title = 'No trial has completed yet.';
      fill(this.best, heading, h('p', { class: 'muted' }, s.active ? 'No trial has completed yet.' : 'No trial completed.'), this.apply);
      return;
    }
    const values = trial ? Object.entries(trial.params) : [];
    this.apply.disabled = false;
    this.apply.title = `Write the values of trial ${s.best.number} into the lab's code, as one edit you can undo`;
    fill(
      this.best,
      heading,
      h('p', { class: 'best-objective' }, `${s.metric} `, h('strong', {}, formatValue(s.best.objective, format))),
      values.length
        ? h('dl', { class: 'facts' }, ...values.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'number' ? formatSetting(v) : v)]))
        : null,
      this.apply,
    );
  }

  private renderWarnings(detail: StudyDetail): void {
    if (!detail.warnings.length) {
      this.warnings.hidden = true;
      return;
    }
    fill(
      this.warnings,
      h('summary', {}, plural(detail.warnings.length, 'problem') + ' reading the study files'),
      h('ul', {}, ...detail.warnings.map((w) => h('li', {}, w))),
    );
    this.warnings.hidden = false;
  }

  private renderCharts(detail: StudyDetail, format: ValueFormat, inputs: StudyViewInputs): void {
    const key = JSON.stringify([detail.id, detail.params]);
    if (key !== this.chartsKey) {
      this.chartsKey = key;
      for (const c of this.charts) c.destroy();
      const handlers = { announce: (t: string) => this.handlers.announce(t), pick: (n: number) => this.table.select(n) };
      this.charts = [
        new StudyChart('objective', undefined, handlers, `${detail.metric} by trial`, 'objective'),
        ...detail.params.map((p, i) => new StudyChart('param', p, handlers, `${detail.metric} by ${p.name}`, `param-${i}`)),
      ];
      fill(this.chartsEl, this.charts[0]!.figure, h('div', { class: 'param-charts' }, ...this.charts.slice(1).map((c) => c.figure)));
    }
    for (const c of this.charts) c.update({ study: detail, format, logScale: inputs.logScale, theme: inputs.theme, themeStamp: inputs.themeStamp });
  }

  chartInfo(): StudyChartInfo[] {
    return this.charts.map((c) => c.info());
  }

  /** Leaves the study: its charts stop observing the page. */
  clear(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.chartsKey = '';
    fill(this.chartsEl);
  }
}
