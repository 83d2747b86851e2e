// The dashboard webview: receives runs and studies from the extension host, validates every message,
// applies it to the store at once and redraws at most once per animation frame, so a fast run never
// floods the page and no epoch is lost. A selector switches between the runs and each of the lab's
// hyperparameter studies. View settings survive reloads through VS Code's webview state.
import '../common/zodConfig';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { bestRunId } from '../../src/core/dashboard/model';
import { DashboardViewState, DEFAULT_VIEW_STATE, parseHostToWebview, WebviewToHost } from '../../src/core/dashboard/protocol';
import type { StudySummary } from '../../src/core/dashboard/records';
import { Announcer } from './announcer';
import { runColor, type ChartView } from './charts';
import { chartToolbar } from './chartToolbar';
import { confusionTable } from './confusion';
import { fill, h } from '../common/dom';
import { GradePanel } from './gradePanel';
import type { DashboardProbe, DashboardStats } from './probe';
import { RunCharts } from './runCharts';
import { codeLine, RunList } from './runList';
import { Store, type RunEntry } from './store';
import { StudyView } from './studyView';
import { readTheme, type Theme } from './theme';
import { watchTheme } from '../common/frames';
import { DroppedMessages } from '../../src/core/droppedMessages';
import { ViewSwitch } from './viewSwitch';
import { WebviewHost } from '../common/vscodeApi';

const LOG_PREFIX = 'ML Labs dashboard:';
const TEXT = {
  loading: 'Loading the dashboard…',
  noRuns: 'No runs yet. Run the lab (ML Labs: Run Lab) and its curves appear here while it trains.',
  allHidden: 'Every run is hidden: tick a run in the list to draw it.',
  noMatrix: 'No confusion matrix for this run yet: it appears when a run that records one finishes.',
  studyGone: (id: string) => `Study ${id} is no longer in the lab folder; showing the runs.`,
};

class Dashboard {
  private readonly dropped = new DroppedMessages((text) => console.warn(text));
  private readonly host = new WebviewHost(WebviewToHost, (saved): DashboardViewState => {
    const r = DashboardViewState.safeParse(saved);
    return r.success ? r.data : { ...DEFAULT_VIEW_STATE };
  });
  private readonly store = new Store();
  private view: DashboardViewState;
  private theme: Theme = readTheme();
  private themeStamp = 0;
  private frame = 0;
  private viewDirty = true;
  private renderWaiters: ((ms: number) => void)[] = [];
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
  private readonly announcer = new Announcer();
  private readonly warnings = h('details', { class: 'warnings' });
  private readonly empty = h('p', { class: 'empty big' }, TEXT.loading);
  private readonly runCharts = new RunCharts({ savePng: (c) => this.savePng(c), announce: (t) => this.announcer.announce(t) });
  private readonly confusionEl = h('figure', { class: 'chart chart-confusion', attrs: { 'data-chart': 'confusion' } });
  private readonly runList: RunList;
  private readonly details: GradePanel;
  private readonly viewSwitch = new ViewSwitch((id) => this.showStudy(id));
  private toolbar!: HTMLElement;
  private readonly runsLayout = h('div', { class: 'layout' });
  private readonly studyView: StudyView;
  /** The study the host was last asked for, so that it is asked once per page and lab. */
  private studyAsked: string | undefined;

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
        this.announcer.announce(`Asked VS Code to apply the hyperparameters of trial ${trial}.`);
      },
      setLogScale: (on) => this.updateView({ studyLogScale: on }),
      announce: (t) => this.announcer.announce(t),
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
    this.toolbar = chartToolbar(this.view, {
      smoothing: (v) => this.updateView({ smoothing: v }),
      logScale: (on) => this.updateView({ logScale: on }),
      exportCsv: () => this.exportCsv(),
    });
    fill(this.runsLayout, h('aside', {}, this.runList.el, this.details.el), h('div', { class: 'main' }, this.empty, this.runCharts.el, this.confusionEl));
    fill(
      this.root,
      h('header', {}, h('div', { class: 'title' }, this.title, this.viewSwitch.el), this.toolbar),
      this.notice,
      this.warnings,
      this.runsLayout,
      this.studyView.el,
      this.announcer.el,
    );
    this.studyView.el.hidden = true;
    this.warnings.hidden = true;
    this.confusionEl.hidden = true;
    this.root.setAttribute('aria-busy', 'true');
  }

  private layout(): void {
    this.runCharts.layout(this.store.charts, this.store.lab?.labelUnit);
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
      this.dropped.drop(() => `${LOG_PREFIX} dropped a malformed message ${parsed.reason}`);
      this.stats.rejected = this.dropped.total;
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
    if (m.type === 'study' && m.study.id === this.view.study) this.announcer.trials(m.study);
    this.store.apply(m);
    if (m.type === 'snapshot' || m.type === 'studies') this.checkShownStudy();
    if (m.type === 'run') this.announcer.runStatus(m.run.id, this.store.runs.get(m.run.id));
    if (m.type === 'snapshot') this.announcer.knowStatuses(m.runs);
    this.stats.epochsApplied = this.store.epochsApplied;
    this.stats.lastReceiveMs = performance.now() - t0;
    this.schedule();
  }

  private post(message: WebviewToHost): void {
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
    this.announcer.forgetTrials();
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
      this.announcer.forgetTrials();
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
    if (d.studies || d.runs || all) this.viewSwitch.render(this.store.runs.size, this.store.studies, this.shownStudy()?.id, this.view.study);
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
    this.runCharts.update(inputs, all ? 'all' : d.data);
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

  private say(text: string): void {
    this.notice.textContent = text;
    this.announcer.announce(text);
  }

  probe(): DashboardProbe {
    return {
      stats: this.stats,
      charts: () => this.runCharts.info(),
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
