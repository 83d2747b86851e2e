// The host half of the dashboard, without VS Code: answers the webview, streams live runs to it in
// batches, keeps the lab's hyperparameter studies current from their files, and turns the
// webview's requests into validated effects (save a file, open a location, apply the best
// hyperparameters). The VS Code panel only supplies those effects, so all of this is tested with
// plain mocha.
import * as fs from 'fs';
import * as path from 'path';
import { LIMITS, MetricName, StudyId, type ChartKind, type EpochColumns, type StudyDetail, type StudySummary } from './records';
import {
  parseWebviewToHost,
  type ApplyBestMessage,
  type HostToWebview,
  type OpenLocationMessage,
  type OpenRunCodeMessage,
  type WebviewToHost,
} from './protocol';
import { chartsForLab } from './model';
import {
  confusionFromOutputs,
  decodePngDataUrl,
  EpochBatcher,
  exportFileName,
  loadDashboard,
  metricsCsv,
  readLabManifest,
  resolveInLab,
  runCode,
  type RunIdentity,
  runInfo,
  studyDetail,
  studyIds,
  studySummary,
  studyStamp,
  timerScheduler,
  type LoadedRun,
  type Scheduler,
} from './data';
import type { GradeReport } from '../grade/report';
import type { LabManifest } from '../lab/manifest';
import { RunStore, type EpochRecord, type RunRecord } from '../run/store';
import { SOURCE_DIR } from '../run/codeSnapshot';
import { trialOf } from '../run/trialRuns';
import { readStudy, type BestTrial } from '../tuner';

export interface SourceSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** What the dashboard needs from its surroundings (VS Code, or a test). */
export interface DashboardEffects {
  /** Sends a message to the webview; may silently drop it while the webview is not loaded. */
  post(message: HostToWebview): void;
  /** Asks where to save and writes the file; resolves when done or cancelled. */
  saveFile(kind: 'png' | 'csv', suggestedName: string, bytes: Uint8Array): Promise<void>;
  /** Opens a file of the lab (already checked to be inside it) at a 1-based span. */
  openLocation(absolutePath: string, span: SourceSpan): Promise<void>;
  /** Writes a study's best trial's values into the learner's code (the trial is read from the study's files). */
  applyBest(best: BestTrial, studyId: string): Promise<void>;
  /**
   * Opens the code a run ran (a file of its source/ folder), or compares it with the previous
   * run's version of that file when `previousFile` is given. `title` names both runs.
   */
  openRunCode(file: string, previousFile: string | undefined, title: string): Promise<void>;
  log(message: string): void;
}

export interface DashboardControllerOptions {
  manifest?: LabManifest;
  /** Host-side batching interval for live epochs; 16 ms lets the webview redraw at 60 Hz. */
  batchMs?: number;
  /**
   * While a study of the lab runs, its files are checked this often (ms), so the view also follows
   * a study started elsewhere and sees it end (its lock released after the last trial).
   */
  studyPollMs?: number;
  schedule?: Scheduler;
}

interface KnownStudy {
  stamp: string;
  summary: StudySummary;
  /** The last detail built, to send only what changed. */
  detailJson: string;
  detail: StudyDetail | undefined;
}

interface LiveRun {
  record: RunRecord;
  epochs: Pick<EpochColumns, 'epoch' | 'metrics'>;
}

/** The list entry of a study, from its detail. */
function summaryOf(detail: StudyDetail): StudySummary {
  const { params: _params, trials: _trials, warnings: _warnings, ...summary } = detail;
  return summary;
}

/** Logs the first few dropped messages, then one in a hundred, so a broken sender cannot flood the log. */
const LOG_EVERY_AFTER = 20;

export class DashboardController {
  private labDirValue: string;
  private manifest: LabManifest | undefined;
  private ready = false;
  private readonly batcher: EpochBatcher;
  private readonly live = new Map<string, LiveRun>();
  /** Live runs' numbers and code comparisons, computed once per run (its code never changes). */
  private readonly identities = new Map<string, RunIdentity>();
  private charts: ChartKind[] = [];
  private readonly metricNames = new Set<string>();
  private dropped = 0;
  private visibility = new Map<string, boolean>();
  private selected: string | undefined;
  private readonly studies = new Map<string, KnownStudy>();
  private shownStudy: string | undefined;
  private studyPoll: { cancel(): void } | undefined;
  private readonly studyPollMs: number;
  private readonly schedule: Scheduler;

  constructor(
    labDir: string,
    private readonly effects: DashboardEffects,
    options: DashboardControllerOptions = {},
  ) {
    this.labDirValue = path.resolve(labDir);
    this.manifest = options.manifest ?? readLabManifest(this.labDirValue);
    this.schedule = options.schedule ?? timerScheduler;
    this.studyPollMs = options.studyPollMs ?? 1000;
    this.batcher = new EpochBatcher((runId, epochs) => this.send({ type: 'epochs', runId, epochs }), options.batchMs ?? 16, this.schedule);
  }

  get labDir(): string {
    return this.labDirValue;
  }

  get labId(): string {
    return this.manifest?.id ?? path.basename(this.labDirValue);
  }

  /** The run the learner last selected in the dashboard. */
  get selectedRunId(): string | undefined {
    return this.selected;
  }

  /** The study the webview shows, if it shows one. */
  get shownStudyId(): string | undefined {
    return this.shownStudy;
  }

  /** Whether the learner left a run's curves on (true when never toggled). */
  isRunVisible(runId: string): boolean {
    return this.visibility.get(runId) ?? true;
  }

  /** Shows another lab folder in the same dashboard. */
  setLab(labDir: string, manifest?: LabManifest): void {
    this.batcher.clear();
    this.live.clear();
    this.identities.clear();
    this.visibility.clear();
    this.selected = undefined;
    this.studies.clear();
    this.shownStudy = undefined;
    this.labDirValue = path.resolve(labDir);
    this.manifest = manifest ?? readLabManifest(this.labDirValue);
    this.refresh();
  }

  /** Re-reads the run and study files and replaces what the webview shows. */
  refresh(): void {
    if (!this.ready) return;
    const data = loadDashboard(this.labDirValue, this.manifest);
    this.metricNames.clear();
    for (const run of data.snapshot.runs) for (const k of Object.keys(run.epochs.metrics)) this.metricNames.add(k);
    this.charts = data.snapshot.charts;
    this.readStudies('all');
    this.send({ ...data.snapshot, studies: this.studySummaries() });
    const shown = this.shownStudy ? this.studies.get(this.shownStudy)?.detail : undefined;
    if (shown) this.send({ type: 'study', study: shown });
  }

  /** The webview is gone or reloading: hold live messages until it says `ready` again. */
  webviewUnloaded(): void {
    this.ready = false;
    this.batcher.clear();
    this.stopStudyPoll();
  }

  // ── studies ───────────────────────────────────────────────────────────────────────────────────

  /**
   * A study's files changed (a trial started or finished, the study opened or stopped): re-reads
   * them and updates the study list and, if the webview shows it, the study. The journal is the
   * source of truth, so callers need not say what changed.
   */
  studyChanged(studyId: string): void {
    if (!this.ready || !StudyId.safeParse(studyId).success) return;
    this.syncStudies(studyId);
  }

  private studySummaries(): StudySummary[] {
    return [...this.studies.values()].map((s) => s.summary).slice(-LIMITS.studies);
  }

  /**
   * Re-reads studies whose files changed since last time, those a process is running (their lock's
   * owner may have died without a trace in the files), and `force` (a study's id, or "all"). Returns
   * whether the list changed and which studies' details did.
   */
  private readStudies(force: string | undefined): { listChanged: boolean; changed: Set<string> } {
    const ids = studyIds(this.labDirValue);
    const present = new Set(ids);
    let listChanged = false;
    const changed = new Set<string>();
    for (const id of [...this.studies.keys()]) {
      if (!present.has(id)) {
        this.studies.delete(id);
        listChanged = true;
      }
    }
    for (const id of ids) {
      const known = this.studies.get(id);
      const stamp = studyStamp(this.labDirValue, id);
      if (known && force !== 'all' && force !== id && known.stamp === stamp && !known.summary.active) continue;
      const snapshot = readStudy(this.labDirValue, id);
      if (!snapshot) {
        // Not (yet) a study: e.g. its folder exists but the spec is still being written.
        if (known) {
          this.studies.delete(id);
          listChanged = true;
        }
        continue;
      }
      const built = studyDetail(snapshot, this.manifest);
      // Said once, not at every re-read of a study that stays broken.
      if (!built.ok && (!known || known.detail)) this.effects.log(`dashboard: study ${id} cannot be shown (${built.reason})`);
      const detail = built.ok ? built.study : undefined;
      const summary = detail ? summaryOf(detail) : studySummary(snapshot, this.manifest);
      const detailJson = detail ? JSON.stringify(detail) : '';
      if (!known || JSON.stringify(known.summary) !== JSON.stringify(summary)) listChanged = true;
      if (!known || known.detailJson !== detailJson) changed.add(id);
      this.studies.set(id, { stamp, summary, detailJson, detail });
    }
    this.pollStudies();
    return { listChanged, changed };
  }

  /** Reads the studies and sends what changed: the list, and the shown study. */
  private syncStudies(force?: string): void {
    const { listChanged, changed } = this.readStudies(force);
    if (listChanged) this.send({ type: 'studies', studies: this.studySummaries() });
    if (this.shownStudy && changed.has(this.shownStudy)) {
      const detail = this.studies.get(this.shownStudy)?.detail;
      if (detail) this.send({ type: 'study', study: detail });
    }
  }

  private pollStudies(): void {
    const running = [...this.studies.values()].some((s) => s.summary.active);
    if (!this.ready || !running) return this.stopStudyPoll();
    this.studyPoll ??= this.schedule(() => {
      this.studyPoll = undefined;
      if (this.ready) this.syncStudies();
    }, this.studyPollMs);
  }

  private stopStudyPoll(): void {
    this.studyPoll?.cancel();
    this.studyPoll = undefined;
  }

  private selectStudy(studyId: string | null): void {
    this.shownStudy = studyId ?? undefined;
    if (studyId === null) return;
    this.readStudies(studyId);
    const detail = this.studies.get(studyId)?.detail;
    if (detail) this.send({ type: 'study', study: detail });
    // An unknown id: the list the webview already has does not contain it, so it shows the runs.
    else this.effects.log(`dashboard: there is no study "${studyId}" in ${this.labDirValue}`);
  }

  private async applyBest(m: ApplyBestMessage): Promise<void> {
    const snapshot = readStudy(this.labDirValue, m.studyId);
    if (!snapshot) {
      this.effects.log(`dashboard: there is no study "${m.studyId}" in ${this.labDirValue}; nothing applied`);
      return;
    }
    if (!snapshot.best) {
      this.effects.log(`dashboard: study ${m.studyId} has no completed trial yet; nothing applied`);
      return;
    }
    if (snapshot.best.number !== m.trial) {
      // The study moved on since the view was drawn: show the learner the new best rather than write it unseen.
      this.effects.log(`dashboard: the best trial of study ${m.studyId} is now ${snapshot.best.number}, not ${m.trial}; nothing applied`);
      this.syncStudies(m.studyId);
      return;
    }
    await this.effects.applyBest(snapshot.best, m.studyId);
  }

  // ── live runs ─────────────────────────────────────────────────────────────────────────────────

  runStarted(record: RunRecord): void {
    const live = this.live.get(record.id);
    this.live.set(record.id, { record, epochs: live?.epochs ?? { epoch: [], metrics: {} } });
    this.sendRun(record.id);
    // A study's trial is a run: the journal already holds the trial that started it.
    if (this.ready) this.syncStudies();
  }

  /** Backend chosen, effective hyperparameters known, epochs planned: what the runner reports after start. */
  runUpdated(runId: string, patch: Partial<Pick<RunRecord, 'hyperparameters' | 'backend' | 'backendReason' | 'epochsPlanned' | 'status' | 'diagnosis'>>): void {
    const live = this.live.get(runId) ?? this.adopt(runId);
    if (!live) return;
    live.record = { ...live.record, ...patch };
    this.sendRun(runId);
  }

  epoch(runId: string, epoch: EpochRecord): void {
    const live = this.live.get(runId) ?? this.adopt(runId);
    if (!live) return;
    // Kept to place the marker if the run stops early; the values themselves live in the webview.
    live.epochs.epoch.push(epoch.epoch);
    for (const [k, v] of Object.entries(epoch.metrics)) {
      if (!MetricName.safeParse(k).success) continue;
      let col = Object.hasOwn(live.epochs.metrics, k) ? live.epochs.metrics[k] : undefined;
      if (!col) {
        col = live.epochs.metrics[k] = new Array<number | null>(live.epochs.epoch.length - 1).fill(null);
      }
      col.push(v === null || !Number.isFinite(v) ? null : v);
      if (!this.metricNames.has(k)) {
        this.metricNames.add(k);
        this.updateCharts();
      }
    }
    // A metric missing from this epoch stays aligned with the epoch numbers.
    for (const col of Object.values(live.epochs.metrics)) if (col.length < live.epochs.epoch.length) col.push(null);
    if (this.ready) this.batcher.add(runId, epoch);
  }

  runFinished(record: RunRecord, grade?: GradeReport): void {
    // Epochs first, then the final status, so the marker lands on a curve that is complete.
    this.batcher.flush(record.id);
    const live = this.live.get(record.id);
    this.live.set(record.id, { record, epochs: live?.epochs ?? { epoch: [], metrics: {} } });
    this.sendRun(record.id);
    if (grade) this.send({ type: 'grade', runId: record.id, grade });
    this.live.delete(record.id);
    this.identities.delete(record.id);
  }

  dispose(): void {
    this.batcher.dispose();
    this.live.clear();
    this.stopStudyPoll();
  }

  /** A run this controller was not told about (started elsewhere): take its record from disk. */
  private adopt(runId: string): LiveRun | undefined {
    const read = new RunStore(this.labDirValue).read(runId);
    if (!read) {
      this.effects.log(`dashboard: no run "${runId}" in ${this.labDirValue}; its update was ignored`);
      return undefined;
    }
    const live: LiveRun = { record: read.record, epochs: { epoch: [], metrics: {} } };
    this.live.set(runId, live);
    this.sendRun(runId);
    return live;
  }

  private sendRun(runId: string): void {
    const live = this.live.get(runId);
    if (live)
      this.send({
        type: 'run',
        run: runInfo(live.record, live.epochs, confusionFromOutputs(live.record.outputs, this.manifest?.classification?.classes), this.identity(runId)),
      });
  }

  /** The run's number and how its code differs from the run before it, as the snapshot computes them. */
  private identity(runId: string): RunIdentity {
    let identity = this.identities.get(runId);
    if (identity) return identity;
    const store = new RunStore(this.labDirValue);
    const runs = store.list().runs;
    const i = runs.findIndex((r) => r.id === runId);
    if (i < 0) return {};
    identity = { number: i + 1, code: runCode(store, runId, runs[i - 1]?.id, this.manifest?.files[0]), trial: trialOf(store.runDir(runId))?.trial };
    this.identities.set(runId, identity);
    return identity;
  }

  private updateCharts(): void {
    const next = chartsForLab({ harness: this.manifest?.harness, charts: this.charts.length ? this.charts : undefined }, this.metricNames);
    if (next.join() !== this.charts.join()) {
      this.charts = next;
      this.send({ type: 'charts', charts: next });
    }
  }

  private send(message: HostToWebview): void {
    if (this.ready) this.effects.post(message);
  }

  // ── messages from the webview ─────────────────────────────────────────────────────────────────

  /** Validates and acts on one message from the webview; anything malformed is logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewToHost(raw);
    if (!parsed.ok) {
      this.dropped++;
      if (this.dropped <= LOG_EVERY_AFTER || this.dropped % 100 === 0) {
        this.effects.log(`dashboard: dropped a malformed message from the webview (${parsed.reason}); ${this.dropped} so far`);
      }
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (err) {
      this.effects.log(`dashboard: ${parsed.message.type} failed: ${(err as Error).message}`);
    }
  }

  private async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        // A (re)loaded page asks for its study again once it has the list.
        this.shownStudy = undefined;
        this.refresh();
        return;
      case 'toggleRun':
        this.visibility.set(m.runId, m.visible);
        return;
      case 'selectRun':
        this.selected = m.runId;
        return;
      case 'exportCsv':
        return this.exportCsv(m.runIds);
      case 'savePng': {
        const bytes = decodePngDataUrl(m.dataUrl);
        if (!bytes) {
          this.effects.log('dashboard: the chart image is not a PNG; nothing was saved');
          return;
        }
        return this.effects.saveFile('png', exportFileName(this.labId, m.chart, 'png'), bytes);
      }
      case 'openLocation':
        return this.openLocation(m);
      case 'openRunCode':
        return this.openRunCode(m);
      case 'selectStudy':
        return this.selectStudy(m.studyId);
      case 'applyBest':
        return this.applyBest(m);
    }
  }

  private async exportCsv(runIds: readonly string[]): Promise<void> {
    const store = new RunStore(this.labDirValue);
    const wanted = runIds.length ? runIds : store.list().runs.map((r) => r.id);
    const runs: LoadedRun[] = [];
    for (const id of wanted) {
      const read = store.read(id);
      if (read) runs.push({ record: read.record, epochs: read.epochs });
    }
    if (runs.length === 0) {
      this.effects.log('dashboard: no runs to export');
      return;
    }
    await this.effects.saveFile('csv', exportFileName(this.labId, 'metrics', 'csv'), new TextEncoder().encode(metricsCsv(runs)));
  }

  /** Only runs of this lab, and only files of their source/ folders. */
  private async openRunCode(m: OpenRunCodeMessage): Promise<void> {
    const store = new RunStore(this.labDirValue);
    const runs = store.list().runs;
    const i = runs.findIndex((r) => r.id === m.runId);
    if (i < 0) {
      this.effects.log(`dashboard: refused to open the code of "${m.runId}": not a run of the lab`);
      return;
    }
    const code = runCode(store, m.runId, runs[i - 1]?.id, this.manifest?.files[0]);
    // The first changed file when comparing (else the entry file): what the learner wants to see.
    const changedFile = m.compare ? /^@@ (.+?)(?::\d+)?(?::| new file| removed|$)/.exec(code.diff[0] ?? '')?.[1] : undefined;
    const rel = changedFile && code.files.includes(changedFile) ? changedFile : code.files[0];
    if (!rel) {
      this.effects.log(`dashboard: run ${m.runId} kept no code`);
      return;
    }
    const file = path.join(store.runDir(m.runId), SOURCE_DIR, ...rel.split('/'));
    const previousId = m.compare ? runs[i - 1]?.id : undefined;
    const previousFile = previousId ? path.join(store.runDir(previousId), SOURCE_DIR, ...rel.split('/')) : undefined;
    const title = previousId ? `${rel}: run #${i} ↔ run #${i + 1}` : `${rel} (run #${i + 1})`;
    await this.effects.openRunCode(file, previousFile && fs.existsSync(previousFile) ? previousFile : undefined, title);
  }

  private async openLocation(m: OpenLocationMessage): Promise<void> {
    const abs = resolveInLab(this.labDirValue, m.file);
    if (!abs) {
      this.effects.log(`dashboard: refused to open "${m.file}": not a file of the lab`);
      return;
    }
    await this.effects.openLocation(abs, { line: m.line, column: m.column, endLine: m.endLine ?? m.line, endColumn: m.endColumn ?? m.column });
  }
}
