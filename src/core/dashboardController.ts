// The host half of the dashboard, without VS Code: answers the webview, streams live runs to it in
// batches, and turns its requests into validated effects (save a file, open a location). The
// VS Code panel only supplies those effects, so all of this is tested with plain mocha.
import * as path from 'path';
import {
  MetricName,
  parseWebviewToHost,
  type ChartKind,
  type EpochColumns,
  type HostToWebview,
  type OpenLocationMessage,
  type WebviewToHost,
} from './dashboardProtocol';
import { chartsForLab } from './dashboardModel';
import {
  confusionFromOutputs,
  decodePngDataUrl,
  EpochBatcher,
  exportFileName,
  loadDashboard,
  metricsCsv,
  readLabManifest,
  resolveInLab,
  runInfo,
  timerScheduler,
  type LoadedRun,
  type Scheduler,
} from './dashboardData';
import type { GradeReport } from './gradeReport';
import type { LabManifest } from './labManifest';
import { RunStore, type EpochRecord, type RunRecord } from './runStore';

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
  log(message: string): void;
}

export interface DashboardControllerOptions {
  manifest?: LabManifest;
  /** Host-side batching interval for live epochs; 16 ms lets the webview redraw at 60 Hz. */
  batchMs?: number;
  schedule?: Scheduler;
}

interface LiveRun {
  record: RunRecord;
  epochs: Pick<EpochColumns, 'epoch' | 'metrics'>;
}

/** Logs the first few dropped messages, then one in a hundred, so a broken sender cannot flood the log. */
const LOG_EVERY_AFTER = 20;

export class DashboardController {
  private labDirValue: string;
  private manifest: LabManifest | undefined;
  private ready = false;
  private readonly batcher: EpochBatcher;
  private readonly live = new Map<string, LiveRun>();
  private charts: ChartKind[] = [];
  private readonly metricNames = new Set<string>();
  private dropped = 0;
  private visibility = new Map<string, boolean>();
  private selected: string | undefined;

  constructor(
    labDir: string,
    private readonly effects: DashboardEffects,
    options: DashboardControllerOptions = {},
  ) {
    this.labDirValue = path.resolve(labDir);
    this.manifest = options.manifest ?? readLabManifest(this.labDirValue);
    this.batcher = new EpochBatcher((runId, epochs) => this.send({ type: 'epochs', runId, epochs }), options.batchMs ?? 16, options.schedule ?? timerScheduler);
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

  /** Whether the learner left a run's curves on (true when never toggled). */
  isRunVisible(runId: string): boolean {
    return this.visibility.get(runId) ?? true;
  }

  /** Shows another lab folder in the same dashboard. */
  setLab(labDir: string, manifest?: LabManifest): void {
    this.batcher.clear();
    this.live.clear();
    this.visibility.clear();
    this.selected = undefined;
    this.labDirValue = path.resolve(labDir);
    this.manifest = manifest ?? readLabManifest(this.labDirValue);
    this.refresh();
  }

  /** Re-reads the run files and replaces what the webview shows. */
  refresh(): void {
    if (!this.ready) return;
    const data = loadDashboard(this.labDirValue, this.manifest);
    this.metricNames.clear();
    for (const run of data.snapshot.runs) for (const k of Object.keys(run.epochs.metrics)) this.metricNames.add(k);
    this.charts = data.snapshot.charts;
    this.send(data.snapshot);
  }

  /** The webview is gone or reloading: hold live messages until it says `ready` again. */
  webviewUnloaded(): void {
    this.ready = false;
    this.batcher.clear();
  }

  // ── live runs ─────────────────────────────────────────────────────────────────────────────────

  runStarted(record: RunRecord): void {
    const live = this.live.get(record.id);
    this.live.set(record.id, { record, epochs: live?.epochs ?? { epoch: [], metrics: {} } });
    this.sendRun(record.id);
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
  }

  dispose(): void {
    this.batcher.dispose();
    this.live.clear();
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
    if (live) this.send({ type: 'run', run: runInfo(live.record, live.epochs, confusionFromOutputs(live.record.outputs, this.manifest?.classification?.classes)) });
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

  private async openLocation(m: OpenLocationMessage): Promise<void> {
    const abs = resolveInLab(this.labDirValue, m.file);
    if (!abs) {
      this.effects.log(`dashboard: refused to open "${m.file}": not a file of the lab`);
      return;
    }
    await this.effects.openLocation(abs, { line: m.line, column: m.column, endLine: m.endLine ?? m.line, endColumn: m.endColumn ?? m.column });
  }
}
