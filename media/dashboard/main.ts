// The dashboard webview: receives runs and studies from the extension host, validates every message,
// applies it to the store at once and redraws at most once per animation frame, so a fast run never
// floods the page and no epoch is lost. A selector switches between the runs and each of the lab's
// hyperparameter studies. View settings survive reloads through VS Code's webview state.
import './zodConfig';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { bestRunId, chartSpecFor } from '../../src/core/dashboard/model';
import { parseHostToWebview, type DashboardViewState } from '../../src/core/dashboard/protocol';
import { type ChartKind, type StudyDetail, type StudySummary } from '../../src/core/dashboard/records';
import { clampSmoothing } from '../../src/core/dashboard/smoothing';
import { ChartView, runColor, type ChartInfo } from './charts';
import { confusionTable } from './confusion';
import { fill, h } from './dom';
import { GradePanel } from './gradePanel';
import { codeLine, RunList } from './runList';
import { Store, type RunEntry } from './store';
import type { StudyChartInfo } from './studyCharts';
import { studyOptionText, StudyView } from './studyView';
import { readTheme, watchTheme, type Theme } from './theme';
import { Host } from './vscodeApi';
import { formatValue } from '../../src/core/format';

export interface DashboardStats {
  received: number;
  rejected: number;
  /** Time spent validating and storing the last message (ms). */
  lastReceiveMs: number;
  renders: number;
  lastRenderMs: number;
  maxRenderMs: number;
  totalRenderMs: number;
  epochsApplied: number;
}

/** Read-only inspection hook, used by the browser tests and handy in the webview developer tools. */
export interface DashboardProbe {
  stats: DashboardStats;
  charts(): ChartInfo[];
  runs(): { id: string; label: string; code: string; status: string; epochs: number; visible: boolean; best: boolean }[];
  view(): DashboardViewState;
  /** Resolves after the next frame that redrew something, with how long that took (ms). */
  nextRender(): Promise<number>;
  /** The study shown, if the view is on one. */
  study(): StudyProbe | undefined;
}

export interface StudyProbe {
  id: string;
  /** Whether its trials have arrived (else it shows "Loading"). */
  loaded: boolean;
  rows: number;
  bestTrial: number | undefined;
  charts: StudyChartInfo[];
}

declare global {
  interface Window {
    mlLabsDashboard?: DashboardProbe;
  }
}

const LOG_PREFIX = 'ML Labs dashboard:';
const TEXT = {
  loading: 'Loading the dashboard…',
  noRuns: 'No runs yet. Run the lab (ML Labs: Run Lab) and its curves appear here while it trains.',
  allHidden: 'Every run is hidden: tick a run in the list to draw it.',
  noMatrix: 'No confusion matrix for this run yet: it appears when a run that records one finishes.',
  runsOption: (n: number) => `Runs (${n})`,
  studyGone: (id: string) => `Study ${id} is no longer in the lab folder; showing the runs.`,
};

class Dashboard {
  private readonly host = new Host();
  private readonly store = new Store();
  private view: DashboardViewState;
  private theme: Theme = readTheme();
  private themeStamp = 0;
  private frame = 0;
  private viewDirty = true;
  private readonly charts = new Map<ChartKind, ChartView>();
  private readonly statuses = new Map<string, string>();
  private renderWaiters: ((ms: number) => void)[] = [];
  /** Announcements of the last second, and when the last was made. */
  private announced: string[] = [];
  private announcedAt = 0;
  private snapshotSeen = false;
  readonly stats: DashboardStats = {
    received: 0,
    rejected: 0,
    lastReceiveMs: 0,
    renders: 0,
    lastRenderMs: 0,
    maxRenderMs: 0,
    totalRenderMs: 0,
    epochsApplied: 0,
  };

  private readonly root = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));
  private readonly title = h('h1', {}, 'ML Labs');
  private readonly notice = h('p', { class: 'notice', attrs: { role: 'status' } });
  private readonly announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
  private readonly smoothing = h('input', { attrs: { type: 'range', id: 'smoothing', min: '0', max: '0.99', step: '0.01' } });
  private readonly smoothingOut = h('output', { attrs: { for: 'smoothing', id: 'smoothing-value' } });
  private readonly logBox = h('input', { attrs: { type: 'checkbox', id: 'log-scale', role: 'switch' } });
  private readonly warnings = h('details', { class: 'warnings' });
  private readonly empty = h('p', { class: 'empty big' }, TEXT.loading);
  private readonly chartsEl = h('div', { class: 'charts' });
  private readonly confusionEl = h('figure', { class: 'chart chart-confusion', attrs: { 'data-chart': 'confusion' } });
  private readonly runList: RunList;
  private readonly details: GradePanel;
  private readonly viewSelect = h('select', { attrs: { id: 'view-select' } });
  private readonly viewSwitch = h('span', { class: 'view-switch' }, h('label', { attrs: { for: 'view-select' } }, 'View'), this.viewSelect);
  private readonly runsOption = h('option', { attrs: { value: '' } });
  private toolbar!: HTMLElement;
  private readonly runsLayout = h('div', { class: 'layout' });
  private readonly studyView: StudyView;
  /** The study the host was last asked for, so that it is asked once per page and lab. */
  private studyAsked: string | undefined;
  /** States of the shown study's trials as last announced, to announce only what changed. */
  private trialStates: { id: string; states: Map<number, string>; best?: number } | undefined;

  constructor() {
    this.view = this.host.loadState();
    this.runList = new RunList({
      toggle: (id, visible) => this.setVisible([id], visible),
      select: (id) => this.select(id),
      setAll: (visible) => this.setVisible([...this.store.runs.keys()], visible),
    });
    this.details = new GradePanel({
      open: (loc) => this.post({ type: 'openLocation', file: loc.file, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn }),
      openCode: (runId, compare) => this.post({ type: 'openRunCode', runId, compare }),
    });
    this.studyView = new StudyView({
      applyBest: (studyId, trial) => {
        this.post({ type: 'applyBest', studyId, trial });
        this.announce(`Asked VS Code to apply the hyperparameters of trial ${trial}.`);
      },
      setLogScale: (on) => this.updateView({ studyLogScale: on }),
      announce: (t) => this.announce(t),
    });
    this.buildPage();
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    watchTheme(() => {
      this.theme = readTheme();
      this.themeStamp++;
      this.viewDirty = true;
      this.schedule();
    });
    this.post({ type: 'ready' });
  }

  // ── page ────────────────────────────────────────────────────────────────────────────────────

  private buildPage(): void {
    this.smoothing.value = String(this.view.smoothing);
    this.smoothingOut.value = this.view.smoothing.toFixed(2);
    this.smoothing.addEventListener('input', () => {
      const v = clampSmoothing(Number(this.smoothing.value));
      this.smoothingOut.value = v.toFixed(2);
      this.updateView({ smoothing: v });
    });
    this.logBox.checked = this.view.logScale;
    this.logBox.addEventListener('change', () => this.updateView({ logScale: this.logBox.checked }));
    this.toolbar = h(
      'div',
      { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Chart settings' } },
      h('label', { class: 'control', attrs: { for: 'smoothing' } }, 'Smoothing'),
      this.smoothing,
      this.smoothingOut,
      h('label', { class: 'control check' }, this.logBox, 'Log scale'),
      h(
        'button',
        { class: 'secondary', attrs: { type: 'button', title: 'Save the metrics of the runs shown as a CSV file' }, on: { click: () => this.exportCsv() } },
        'Export CSV',
      ),
    );
    this.viewSelect.append(this.runsOption);
    this.viewSelect.addEventListener('change', () => this.showStudy(this.viewSelect.value || undefined));
    fill(this.runsLayout, h('aside', {}, this.runList.el, this.details.el), h('div', { class: 'main' }, this.empty, this.chartsEl, this.confusionEl));
    fill(
      this.root,
      h('header', {}, h('div', { class: 'title' }, this.title, this.viewSwitch), this.toolbar),
      this.notice,
      this.warnings,
      this.runsLayout,
      this.studyView.el,
      this.announcer,
    );
    this.viewSwitch.hidden = true;
    this.studyView.el.hidden = true;
    this.warnings.hidden = true;
    this.confusionEl.hidden = true;
    this.root.setAttribute('aria-busy', 'true');
  }

  private layout(): void {
    const wanted = this.store.charts.filter((k): k is Exclude<ChartKind, 'confusion'> => k !== 'confusion');
    for (const [kind, view] of this.charts) {
      if (!wanted.includes(kind as Exclude<ChartKind, 'confusion'>)) {
        view.destroy();
        this.charts.delete(kind);
      }
    }
    for (const kind of wanted) {
      let view = this.charts.get(kind);
      const spec = chartSpecFor(kind, this.store.lab?.labelUnit);
      if (view && view.spec.format !== spec.format) {
        view.destroy();
        view = undefined;
      }
      if (!view) {
        view = new ChartView(spec, { savePng: (c) => this.savePng(c), announce: (t) => this.announce(t) });
        this.charts.set(kind, view);
      }
      this.chartsEl.append(view.figure);
    }
    this.confusionEl.hidden = !this.store.charts.includes('confusion');
    const lab = this.store.lab;
    this.title.textContent = lab ? lab.title : 'ML Labs';
    document.title = lab ? `Dashboard — ${lab.title}` : 'ML Labs Dashboard';
    if (this.store.warnings.length) {
      fill(
        this.warnings,
        h('summary', {}, `${this.store.warnings.length} problem${this.store.warnings.length === 1 ? '' : 's'} reading the run files`),
        h('ul', {}, ...this.store.warnings.map((w) => h('li', {}, w))),
      );
      this.warnings.hidden = false;
    } else this.warnings.hidden = true;
  }

  // ── messages ────────────────────────────────────────────────────────────────────────────────

  private receive(raw: unknown): void {
    const t0 = performance.now();
    this.stats.received++;
    const parsed = parseHostToWebview(raw);
    if (!parsed.ok) {
      this.stats.rejected++;
      if (this.stats.rejected <= 20 || this.stats.rejected % 100 === 0) console.warn(`${LOG_PREFIX} dropped a malformed message ${parsed.reason}`);
      return;
    }
    const m = parsed.message;
    if (m.type === 'snapshot') {
      if (this.view.folder !== m.lab.folder) {
        this.view = { ...this.view, folder: m.lab.folder, hidden: [], selected: undefined, study: undefined };
        this.studyAsked = undefined;
        this.viewDirty = true;
      }
      // Forget hidden runs that no longer exist, so the saved state does not grow without end.
      const ids = new Set(m.runs.map((r) => r.id));
      this.view = { ...this.view, hidden: this.view.hidden.filter((id) => ids.has(id)) };
      this.host.saveState(this.view);
      this.snapshotSeen = true;
      this.root.setAttribute('aria-busy', 'false');
    }
    if (m.type === 'study' && m.study.id === this.view.study) this.announceTrials(m.study);
    this.store.apply(m);
    if (m.type === 'snapshot' || m.type === 'studies') this.checkShownStudy();
    if (m.type === 'run') this.announceStatus(m.run.id);
    if (m.type === 'snapshot') for (const r of m.runs) this.statuses.set(r.id, r.status);
    this.stats.epochsApplied = this.store.epochsApplied;
    this.stats.lastReceiveMs = performance.now() - t0;
    this.schedule();
  }

  private post(message: Parameters<Host['post']>[0]): void {
    const error = this.host.post(message);
    if (error) this.say(`Could not send "${message.type}" to VS Code: ${error}`);
  }

  // ── view settings ───────────────────────────────────────────────────────────────────────────

  private updateView(patch: Partial<DashboardViewState>): void {
    this.view = { ...this.view, ...patch };
    this.host.saveState(this.view);
    this.viewDirty = true;
    this.schedule();
  }

  private setVisible(ids: string[], visible: boolean): void {
    const hidden = new Set(this.view.hidden);
    for (const id of ids) {
      if (visible) hidden.delete(id);
      else hidden.add(id);
      this.post({ type: 'toggleRun', runId: id, visible });
    }
    this.updateView({ hidden: [...hidden] });
  }

  private select(id: string): void {
    this.updateView({ selected: id });
    this.post({ type: 'selectRun', runId: id });
  }

  /** Switches the view to a study, or back to the runs (undefined). */
  private showStudy(id: string | undefined): void {
    if (id === this.view.study) return;
    this.trialStates = undefined;
    if (!id) this.studyView.clear();
    this.updateView({ study: id });
    this.studyAsked = id;
    this.post({ type: 'selectStudy', studyId: id ?? null });
  }

  /** After the study list changed: the shown study may be gone, or not asked for yet (after a reload). */
  private checkShownStudy(): void {
    const id = this.view.study;
    if (!id) return;
    if (!this.store.studies.some((s) => s.id === id)) {
      this.say(TEXT.studyGone(id));
      this.studyView.clear();
      this.trialStates = undefined;
      this.studyAsked = undefined;
      this.updateView({ study: undefined });
      return;
    }
    if (this.studyAsked !== id) {
      this.studyAsked = id;
      this.post({ type: 'selectStudy', studyId: id });
    }
  }

  private shownStudy(): StudySummary | undefined {
    const id = this.view.study;
    return id ? this.store.studies.find((s) => s.id === id) : undefined;
  }

  private selectedRun(): RunEntry | undefined {
    const runs = this.store.ordered();
    return (this.view.selected && this.store.runs.get(this.view.selected)) || runs[runs.length - 1];
  }

  private bestRun(runs: readonly RunEntry[]): string | undefined {
    const rankable = runs.map((r) => ({ id: r.info.id, status: r.info.status, epochs: r.epochs }));
    const byLoss = bestRunId(rankable, 'val_loss', 'lower');
    if (byLoss) return byLoss;
    return bestRunId(rankable, 'val_acc', 'higher') ?? bestRunId(rankable, 'loss', 'lower');
  }

  // ── drawing ─────────────────────────────────────────────────────────────────────────────────

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = 0;
    const t0 = performance.now();
    const d = this.store.takeDirty();
    const all = d.layout || this.viewDirty;
    if (d.layout) this.layout();
    if (d.studies || d.runs || all) this.renderViewSwitch();
    const study = this.shownStudy();
    this.runsLayout.hidden = study !== undefined;
    this.toolbar.hidden = study !== undefined;
    this.studyView.el.hidden = study === undefined;
    if (study && (all || d.studies || d.study.has(study.id))) {
      this.studyView.render(study, this.store.studyDetails.get(study.id), {
        theme: this.theme,
        themeStamp: this.themeStamp,
        logScale: this.view.studyLogScale ?? false,
      });
    }
    const runs = this.store.ordered();
    const hidden = new Set(this.view.hidden);
    const best = this.bestRun(runs);
    const selected = this.selectedRun();
    if (d.runs || all) {
      this.runList.render(runs, { hidden, selected: selected?.info.id, best, colorOf: (r) => runColor(this.theme, r) });
    }
    const visible = runs.filter((r) => !hidden.has(r.info.id));
    const inputs = {
      runs: visible,
      smoothing: this.view.smoothing,
      logScale: this.view.logScale,
      bestRunId: best,
      theme: this.theme,
      themeStamp: this.themeStamp,
    };
    for (const chart of this.charts.values()) chart.update(inputs, all ? 'all' : d.data);
    if (all || d.grade || (selected && d.data.has(selected.info.id))) {
      this.details.render(selected, selected ? runColor(this.theme, selected) : undefined);
      this.renderConfusion(selected);
    }
    this.empty.hidden = this.snapshotSeen && runs.length > 0 && visible.length > 0;
    this.empty.textContent = !this.snapshotSeen ? TEXT.loading : runs.length === 0 ? TEXT.noRuns : TEXT.allHidden;
    this.viewDirty = false;

    const ms = performance.now() - t0;
    this.stats.renders++;
    this.stats.lastRenderMs = ms;
    this.stats.totalRenderMs += ms;
    this.stats.maxRenderMs = Math.max(this.stats.maxRenderMs, ms);
    const waiters = this.renderWaiters;
    this.renderWaiters = [];
    for (const w of waiters) w(ms);
  }

  /** The view selector: the runs, then each study; shown once the lab has a study. */
  private renderViewSwitch(): void {
    const select = this.viewSelect;
    const runsText = TEXT.runsOption(this.store.runs.size);
    if (this.runsOption.textContent !== runsText) this.runsOption.textContent = runsText;
    // Options are updated in place, so a list open under the learner's pointer does not jump.
    const existing = new Map([...select.options].filter((o) => o.value).map((o) => [o.value, o]));
    const wanted = new Set(this.store.studies.map((s) => s.id));
    for (const [id, o] of existing) if (!wanted.has(id)) o.remove();
    for (const s of this.store.studies) {
      let o = existing.get(s.id);
      if (!o) {
        o = h('option', { attrs: { value: s.id } });
        select.append(o);
      }
      const text = studyOptionText(s);
      if (o.textContent !== text) o.textContent = text;
    }
    const value = this.shownStudy()?.id ?? '';
    if (select.value !== value) select.value = value;
    this.viewSwitch.hidden = this.store.studies.length === 0 && !this.view.study;
  }

  private renderConfusion(run: RunEntry | undefined): void {
    if (this.confusionEl.hidden) return;
    const heading = h('figcaption', {}, h('h2', {}, 'Confusion matrix'));
    if (!run?.info.confusion) {
      fill(this.confusionEl, heading, h('p', { class: 'empty' }, TEXT.noMatrix));
      return;
    }
    fill(this.confusionEl, heading, confusionTable(run.info.confusion, `Run ${run.info.label}: rows are the true classes, columns the predictions`));
  }

  // ── exports and messages to the learner ─────────────────────────────────────────────────────

  private savePng(chart: ChartView): void {
    const dataUrl = chart.toPng(this.store.lab?.title ?? 'ML Labs');
    if (!dataUrl) {
      this.say('Nothing to save yet: the chart has no curves.');
      return;
    }
    this.post({ type: 'savePng', chart: chart.spec.kind, dataUrl });
  }

  private exportCsv(): void {
    const hidden = new Set(this.view.hidden);
    const ids = this.store
      .ordered()
      .map((r) => r.info.id)
      .filter((id) => !hidden.has(id));
    if (!ids.length) {
      this.say('No runs shown: tick the runs to export.');
      return;
    }
    this.post({ type: 'exportCsv', runIds: ids });
  }

  private announceStatus(runId: string): void {
    const run = this.store.runs.get(runId);
    if (!run) return;
    const before = this.statuses.get(runId);
    this.statuses.set(runId, run.info.status);
    if (before === run.info.status) return;
    if (before === undefined && run.info.status === 'running') this.announce(`Run ${run.info.label} started.`);
    else if (run.info.status !== 'running') this.announce(`Run ${run.info.label}: ${run.info.marker?.message ?? run.info.status}.`);
  }

  /** Says what changed in the shown study while it runs: trials started and finished, a new best. */
  private announceTrials(study: StudyDetail): void {
    const before = this.trialStates?.id === study.id ? this.trialStates : undefined;
    const states = new Map(study.trials.map((t) => [t.number, t.state as string]));
    this.trialStates = { id: study.id, states, best: study.best?.number };
    if (!before) return;
    const format = study.format;
    const news: string[] = [];
    for (const t of study.trials) {
      const was = before.states.get(t.number);
      if (was === t.state) continue;
      if (t.state === 'running') news.push(`Trial ${t.number} started.`);
      else {
        const value = typeof t.objective === 'number' ? `: ${study.metric} ${formatValue(t.objective, format)}` : '';
        news.push(`Trial ${t.number} ${t.state}${value}.`);
      }
    }
    if (study.best && study.best.number !== before.best) news.push(`New best: trial ${study.best.number}.`);
    if (news.length) this.announceNews(news.join(' '));
  }

  private announce(text: string): void {
    this.announced = [text];
    this.announcedAt = performance.now();
    this.announcer.textContent = text;
  }

  /**
   * Like announce, but news within a second is said together: a finished trial and the next one
   * starting come as separate messages, and the second must not silence the first.
   */
  private announceNews(text: string): void {
    const now = performance.now();
    if (now - this.announcedAt > 1000) this.announced = [];
    this.announcedAt = now;
    this.announced.push(text);
    this.announcer.textContent = this.announced.join(' ');
  }

  private say(text: string): void {
    this.notice.textContent = text;
    this.announce(text);
  }

  probe(): DashboardProbe {
    return {
      stats: this.stats,
      charts: () => [...this.charts.values()].map((c) => c.info()),
      runs: () => {
        const runs = this.store.ordered();
        const best = this.bestRun(runs);
        const hidden = new Set(this.view.hidden);
        return runs.map((r) => ({
          id: r.info.id,
          label: r.info.label,
          code: codeLine(r.info),
          status: r.info.status,
          epochs: r.epochs.epoch.length,
          visible: !hidden.has(r.info.id),
          best: r.info.id === best,
        }));
      },
      view: () => ({ ...this.view, hidden: [...this.view.hidden] }),
      nextRender: () => new Promise<number>((resolve) => this.renderWaiters.push(resolve)),
      study: () => {
        const s = this.shownStudy();
        if (!s) return undefined;
        const detail = this.store.studyDetails.get(s.id);
        return {
          id: s.id,
          loaded: detail !== undefined,
          rows: this.studyView.el.querySelectorAll('table.trials tbody tr.trial').length,
          bestTrial: s.best?.number,
          charts: this.studyView.chartInfo(),
        };
      },
    };
  }
}

const dashboard = new Dashboard();
Object.defineProperty(window, 'mlLabsDashboard', { value: dashboard.probe(), writable: false, configurable: false });
