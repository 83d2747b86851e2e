// The dashboard webview: receives runs from the extension host, validates every message, applies it
// to the store at once and redraws at most once per animation frame, so a fast run never floods the
// page and no epoch is lost. View settings survive reloads through VS Code's webview state.
import './zodConfig';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { bestRunId, CHART_SPECS } from '../../src/core/dashboardModel';
import { parseHostToWebview, type ChartKind, type DashboardViewState } from '../../src/core/dashboardProtocol';
import { clampSmoothing } from '../../src/core/smoothing';
import { ChartView, runColor, type ChartInfo } from './charts';
import { confusionTable } from './confusion';
import { fill, h } from './dom';
import { GradePanel } from './gradePanel';
import { RunList } from './runList';
import { Store, type RunEntry } from './store';
import { readTheme, watchTheme, type Theme } from './theme';
import { Host } from './vscodeApi';

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
  runs(): { id: string; label: string; status: string; epochs: number; visible: boolean; best: boolean }[];
  view(): DashboardViewState;
  /** Resolves after the next frame that redrew something, with how long that took (ms). */
  nextRender(): Promise<number>;
}

declare global {
  interface Window {
    mlLabsDashboard?: DashboardProbe;
  }
}

const LOG_PREFIX = 'ML Labs dashboard:';
const TEXT = {
  loading: 'Loading the dashboard…',
  noRuns: 'No runs yet. Run the lab (ML Labs: Run) and its curves appear here while it trains.',
  allHidden: 'Every run is hidden: tick a run in the list to draw it.',
  noMatrix: 'No confusion matrix for this run yet: it appears when a run that records one finishes.',
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
  private snapshotSeen = false;
  readonly stats: DashboardStats = { received: 0, rejected: 0, lastReceiveMs: 0, renders: 0, lastRenderMs: 0, maxRenderMs: 0, totalRenderMs: 0, epochsApplied: 0 };

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

  constructor() {
    this.view = this.host.loadState();
    this.runList = new RunList({
      toggle: (id, visible) => this.setVisible([id], visible),
      select: (id) => this.select(id),
      setAll: (visible) => this.setVisible([...this.store.runs.keys()], visible),
    });
    this.details = new GradePanel({
      open: (loc) => this.post({ type: 'openLocation', file: loc.file, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn }),
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
    const toolbar = h(
      'div',
      { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Chart settings' } },
      h('label', { class: 'control', attrs: { for: 'smoothing' } }, 'Smoothing'),
      this.smoothing,
      this.smoothingOut,
      h('label', { class: 'control check' }, this.logBox, 'Log scale'),
      h('button', { class: 'secondary', attrs: { type: 'button', title: 'Save the metrics of the runs shown as a CSV file' }, on: { click: () => this.exportCsv() } }, 'Export CSV'),
    );
    fill(
      this.root,
      h('header', {}, this.title, toolbar),
      this.notice,
      this.warnings,
      h('div', { class: 'layout' }, h('aside', {}, this.runList.el, this.details.el), h('div', { class: 'main' }, this.empty, this.chartsEl, this.confusionEl)),
      this.announcer,
    );
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
      if (!view) {
        view = new ChartView(CHART_SPECS[kind], { savePng: (c) => this.savePng(c), announce: (t) => this.announce(t) });
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
      if (this.view.folder !== m.lab.folder) this.view = { ...this.view, folder: m.lab.folder, hidden: [], selected: undefined };
      // Forget hidden runs that no longer exist, so the saved state does not grow without end.
      const ids = new Set(m.runs.map((r) => r.id));
      this.view = { ...this.view, hidden: this.view.hidden.filter((id) => ids.has(id)) };
      this.host.saveState(this.view);
      this.snapshotSeen = true;
      this.root.setAttribute('aria-busy', 'false');
    }
    this.store.apply(m);
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
    const runs = this.store.ordered();
    const hidden = new Set(this.view.hidden);
    const best = this.bestRun(runs);
    const selected = this.selectedRun();
    if (d.runs || all) {
      this.runList.render(runs, { hidden, selected: selected?.info.id, best, colorOf: (r) => runColor(this.theme, r) });
    }
    const visible = runs.filter((r) => !hidden.has(r.info.id));
    const inputs = { runs: visible, smoothing: this.view.smoothing, logScale: this.view.logScale, bestRunId: best, theme: this.theme, themeStamp: this.themeStamp };
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
    const ids = this.store.ordered().map((r) => r.info.id).filter((id) => !hidden.has(id));
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

  private announce(text: string): void {
    this.announcer.textContent = text;
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
        return runs.map((r) => ({ id: r.info.id, label: r.info.label, status: r.info.status, epochs: r.epochs.epoch.length, visible: !hidden.has(r.info.id), best: r.info.id === best }));
      },
      view: () => ({ ...this.view, hidden: [...this.view.hidden] }),
      nextRender: () => new Promise<number>((resolve) => this.renderWaiters.push(resolve)),
    };
  }
}

const dashboard = new Dashboard();
Object.defineProperty(window, 'mlLabsDashboard', { value: dashboard.probe(), writable: false, configurable: false });
