// The host half of the dashboard, without VS Code: answers the webview, streams live runs to it in
// batches, keeps the lab's hyperparameter studies current from their files, and turns the
// webview's requests into validated effects (save a file, open a location, apply the best
// hyperparameters). The VS Code panel only supplies those effects, so all of this is tested with
// plain mocha.
import * as path from 'path';
import { MetricName, StudyId, type ChartKind, type EpochColumns } from './records';
import { parseWebviewToHost, type HostToWebview, type WebviewToHost } from './protocol';
import { chartsForLab } from './model';
import { confusionFromOutputs, loadDashboard, readLabManifest, runCode, runInfo, type RunIdentity } from './data';
import { EpochBatcher, timerScheduler, type Scheduler } from './epochBatcher';
import { StudyTracker } from './studyTracker';
import { exportCsv, openLocation, openRunCode, savePng, type RequestEffects, type RequestScope } from './webviewRequests';
import { DroppedMessages } from '../droppedMessages';
import type { GradeReport } from '../grade/report';
import type { LabManifest } from '../lab/manifest';
import { RunStore, type EpochRecord, type RunRecord } from '../run/store';
import { trialOf } from '../run/trialRuns';
import type { BestTrial } from '../tuner';

/** What the dashboard needs from its surroundings (VS Code, or a test); the file requests' effects are in webviewRequests.ts. */
export interface DashboardEffects extends RequestEffects {
  /** Sends a message to the webview; may silently drop it while the webview is not loaded. */
  post(message: HostToWebview): void;
  /** Writes a study's best trial's values into the learner's code (the trial is read from the study's files). */
  applyBest(best: BestTrial, studyId: string): Promise<void>;
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

interface LiveRun {
  record: RunRecord;
  epochs: Pick<EpochColumns, 'epoch' | 'metrics'>;
}

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
  private readonly dropped: DroppedMessages;
  private visibility = new Map<string, boolean>();
  private selected: string | undefined;
  private readonly studies: StudyTracker;

  constructor(
    labDir: string,
    private readonly effects: DashboardEffects,
    options: DashboardControllerOptions = {},
  ) {
    this.labDirValue = path.resolve(labDir);
    this.manifest = options.manifest ?? readLabManifest(this.labDirValue);
    const schedule = options.schedule ?? timerScheduler;
    this.batcher = new EpochBatcher((runId, epochs) => this.send({ type: 'epochs', runId, epochs }), options.batchMs ?? 16, schedule);
    const host = {
      labDir: () => this.labDirValue,
      manifest: () => this.manifest,
      ready: () => this.ready,
      send: (message: HostToWebview) => this.send(message),
      log: (message: string) => this.effects.log(message),
    };
    this.studies = new StudyTracker(host, schedule, options.studyPollMs ?? 1000);
    this.dropped = new DroppedMessages(host.log);
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
    return this.studies.shownId;
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
    const studies = this.studies.readAll();
    this.send({ ...data.snapshot, studies });
    this.studies.resendShown();
  }

  /** The webview is gone or reloading: hold live messages until it says `ready` again. */
  webviewUnloaded(): void {
    this.ready = false;
    this.batcher.clear();
    this.studies.stopPoll();
  }

  // ── studies ───────────────────────────────────────────────────────────────────────────────────

  /**
   * A study's files changed (a trial started or finished, the study opened or stopped): re-reads
   * them and updates the study list and, if the webview shows it, the study. The journal is the
   * source of truth, so callers need not say what changed.
   */
  studyChanged(studyId: string): void {
    if (!this.ready || !StudyId.safeParse(studyId).success) return;
    this.studies.sync(studyId);
  }

  // ── live runs ─────────────────────────────────────────────────────────────────────────────────

  runStarted(record: RunRecord): void {
    const live = this.live.get(record.id);
    this.live.set(record.id, { record, epochs: live?.epochs ?? { epoch: [], metrics: {} } });
    this.sendRun(record.id);
    // A study's trial is a run: the journal already holds the trial that started it.
    if (this.ready) this.studies.sync();
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
    this.studies.stopPoll();
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
    if (!parsed.ok) return this.dropped.drop((count) => `dashboard: dropped a malformed message from the webview (${parsed.reason}); ${count} so far`);
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
        this.studies.forgetShown();
        this.refresh();
        return;
      case 'toggleRun':
        this.visibility.set(m.runId, m.visible);
        return;
      case 'selectRun':
        this.selected = m.runId;
        return;
      case 'exportCsv':
        return exportCsv(this.requestScope(), m.runIds);
      case 'savePng':
        return savePng(this.requestScope(), m);
      case 'openLocation':
        return openLocation(this.requestScope(), m);
      case 'openRunCode':
        return openRunCode(this.requestScope(), m);
      case 'selectStudy':
        return this.studies.select(m.studyId);
      case 'applyBest':
        return this.studies.applyBest(m, (best, studyId) => this.effects.applyBest(best, studyId));
    }
  }

  private requestScope(): RequestScope {
    return { labDir: this.labDirValue, labId: this.labId, manifest: this.manifest, effects: this.effects };
  }
}
