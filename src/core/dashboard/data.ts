// The host side of the dashboard's data, without VS Code: the run list read from a lab folder, the
// CSV export, the batching of live epochs, and checks on what the webview asks the host to write or open.
import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE, readManifest } from '../lab/catalog';
import { FILE_LIMITS, listLabDir, readLabText } from '../files/labFiles';
import {
  ConfusionMatrix,
  LIMITS,
  MetricName,
  StudyDetail,
  StudyId,
  type ChartKind,
  type EpochColumns,
  type LabInfo,
  type RunCode,
  type RunInfo,
  type RunSnapshot,
  type StudyParam,
  type StudySummary,
  type StudyTrial,
} from './records';
import { PNG_DATA_URL_PREFIX, type SnapshotMessage } from './protocol';
import { chartsForLab, fallbackLabel, runLabel, runMarker } from './model';
import { objectiveFormat } from './studyModel';
import type { LabManifest } from '../lab/manifest';
import { DEFAULT_METRIC_TAG } from '../tuner/labTuning';
import { compareSources, readRunSources, type Sources } from '../run/codeSnapshot';
import { RunStore, type EpochRecord, type RunRecord } from '../run/store';
import { trialOf } from '../run/trialRuns';
import { JOURNAL_FILE, samplerKind, SPEC_FILE, studiesRoot, type StudySnapshot, type Trial } from '../tuner';
import { LOCK_FILE } from '../tuner/storage';

/** Optional file a classification harness leaves next to run.json: { labels, matrix[actual][predicted] }. */
export const CONFUSION_FILE = 'confusion.json';

export function toColumns(epochs: readonly EpochRecord[]): EpochColumns {
  const cols: EpochColumns = { epoch: [], elapsedMs: [], metrics: {} };
  const names = new Set<string>();
  // A name the webview would refuse (it would drop the whole snapshot) is left out here instead.
  for (const e of epochs) for (const k of Object.keys(e.metrics)) if (MetricName.safeParse(k).success) names.add(k);
  for (const k of names) cols.metrics[k] = [];
  let prev = 0;
  for (const e of epochs) {
    // metrics.jsonl is append-only; a repeated or out-of-order line (a resumed writer) keeps the first.
    if (e.epoch <= prev) continue;
    prev = e.epoch;
    cols.epoch.push(e.epoch);
    cols.elapsedMs.push(Math.max(0, e.elapsedMs));
    for (const k of names) {
      const v = Object.hasOwn(e.metrics, k) ? e.metrics[k] : undefined;
      cols.metrics[k]!.push(v === undefined || v === null || !Number.isFinite(v) ? null : v);
    }
  }
  return cols;
}

/** What identifies a run beyond its record: its number in the lab, its code compared with the previous run's, the trial that ran it. */
export interface RunIdentity {
  number?: number;
  code?: RunCode;
  trial?: number;
}

export function runInfo(record: RunRecord, epochs: Pick<EpochColumns, 'epoch' | 'metrics'>, confusion?: ConfusionMatrix, identity: RunIdentity = {}): RunInfo {
  const label = runLabel(record.hyperparameters, fallbackLabel(record.createdAt, record.id));
  const info: RunInfo = {
    id: record.id,
    label: identity.number ? `#${identity.number} ${label}` : label,
    hyperparameters: record.hyperparameters,
    status: record.status,
    createdAt: record.createdAt,
    seed: record.seed,
  };
  if (identity.number) info.number = identity.number;
  if (identity.trial) info.trial = identity.trial;
  if (identity.code) info.code = identity.code;
  if (record.backend) info.backend = record.backend;
  if (record.backendReason) info.backendReason = record.backendReason;
  if (record.epochsPlanned !== undefined) info.epochsPlanned = record.epochsPlanned;
  if (record.diagnosis) info.diagnosis = record.diagnosis;
  const marker = runMarker(record.status, epochs, { diagnosis: record.diagnosis, failureMessage: record.failure?.message });
  if (marker) info.marker = marker;
  if (confusion) info.confusion = confusion;
  return info;
}

/**
 * A run's code compared with the previous run's, read from their source/ folders. `sources` caches
 * what was read (a run's code never changes), so a lab's runs are each read once.
 */
export function runCode(
  store: RunStore,
  runId: string,
  previousId: string | undefined,
  entry: string | undefined,
  sources: Map<string, Sources> = new Map(),
): RunCode {
  const read = (id: string) => {
    let s = sources.get(id);
    if (!s) sources.set(id, (s = readRunSources(store.runDir(id))));
    return s;
  };
  const current = read(runId);
  const compared = compareSources(previousId ? read(previousId) : undefined, current);
  const files = Object.keys(current).sort((a, b) => Number(b === entry) - Number(a === entry) || a.localeCompare(b));
  const code: RunCode = { summary: compared.summary, changed: compared.changed, diff: compared.diff, files };
  if (previousId) code.previous = previousId;
  return code;
}

function readConfusion(runDir: string): ConfusionMatrix | undefined {
  try {
    const text = readLabText(runDir, CONFUSION_FILE, FILE_LIMITS.record);
    if (text === undefined) return undefined;
    const parsed = ConfusionMatrix.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A classification harness reports its confusion matrix as outputs `confusion_<actual>_<predicted>`,
 * with the class names in the manifest (in the order of the model's outputs).
 */
export function confusionFromOutputs(outputs: RunRecord['outputs'], labels: readonly string[] | undefined): ConfusionMatrix | undefined {
  if (!outputs || !labels || labels.length < 2 || outputs['confusion_0_0'] === undefined) return undefined;
  const matrix = labels.map((_, i) => labels.map((__, j) => outputs[`confusion_${i}_${j}`] ?? 0));
  const parsed = ConfusionMatrix.safeParse({ labels: [...labels], matrix });
  return parsed.success ? parsed.data : undefined;
}

export interface LoadedRun {
  record: RunRecord;
  epochs: EpochRecord[];
}

export interface DashboardData {
  snapshot: SnapshotMessage;
  /** Records and epochs as read, for the CSV export. */
  runs: LoadedRun[];
}

/** The manifest of the folder, or undefined when it has none or it does not parse. */
export function readLabManifest(labDir: string): LabManifest | undefined {
  const r = readManifest(path.join(labDir, MANIFEST_FILE));
  return r.ok ? r.manifest : undefined;
}

export function labInfo(labDir: string, manifest: LabManifest | undefined): LabInfo {
  const info: LabInfo = { id: manifest?.id ?? path.basename(labDir), title: manifest?.title ?? path.basename(labDir), folder: labDir };
  if (manifest?.labelUnit) info.labelUnit = manifest.labelUnit;
  return info;
}

/**
 * Everything the dashboard shows for a lab folder, read from `.mllabs/runs/`. Unreadable files
 * become warnings, never errors: one broken run must not hide the others.
 */
export function loadDashboard(labDir: string, manifest: LabManifest | undefined = readLabManifest(labDir)): DashboardData {
  const store = new RunStore(labDir);
  const listing = store.list();
  const warnings = [...listing.warnings];
  const runs: RunSnapshot[] = [];
  const loaded: LoadedRun[] = [];
  const metricNames = new Set<string>();
  const sources = new Map<string, Sources>();
  listing.runs.forEach((record, i) => {
    const read = store.read(record.id);
    if (!read) return;
    warnings.push(...read.warnings);
    const epochs = toColumns(read.epochs);
    for (const k of Object.keys(epochs.metrics)) metricNames.add(k);
    const confusion = readConfusion(store.runDir(record.id)) ?? confusionFromOutputs(read.record.outputs, manifest?.classification?.classes);
    const identity: RunIdentity = {
      number: i + 1,
      code: runCode(store, record.id, listing.runs[i - 1]?.id, manifest?.files[0], sources),
      trial: trialOf(store.runDir(record.id))?.trial,
    };
    // The previous run's files are no longer needed once this one is compared.
    if (i > 0) sources.delete(listing.runs[i - 1]!.id);
    const snap: RunSnapshot = { ...runInfo(read.record, epochs, confusion, identity), epochs };
    // A grade is shown only from a record as ML Labs sealed it.
    if (read.grade && read.verified) snap.grade = read.grade;
    else if (read.grade && read.record.status !== 'running')
      warnings.push(`run ${read.record.id}: its grade is not shown, because its record does not verify (${read.unverified})`);
    runs.push(snap);
    loaded.push({ record: read.record, epochs: read.epochs });
  });
  const charts = chartsForLab({ harness: manifest?.harness, charts: declaredCharts(manifest) }, metricNames);
  return {
    snapshot: { type: 'snapshot', lab: labInfo(labDir, manifest), charts, runs, warnings: warnings.slice(0, 100) },
    runs: loaded,
  };
}

/** A manifest may list its charts (`charts`); manifests without the field get their harness's. */
function declaredCharts(manifest: LabManifest | undefined): ChartKind[] | undefined {
  const charts = (manifest as { charts?: unknown } | undefined)?.charts;
  return Array.isArray(charts)
    ? (charts as unknown[]).filter((c): c is ChartKind => typeof c === 'string' && ['loss', 'rmse', 'accuracy', 'confusion'].includes(c))
    : undefined;
}

// ── CSV ────────────────────────────────────────────────────────────────────────────────────────

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const METRIC_ORDER = ['loss', 'val_loss'];

/**
 * One row per run and epoch: run id, status, its hyperparameters, epoch, elapsed time, then every
 * metric any of the runs reports (loss and val_loss first). Ready for a spreadsheet or pandas.
 */
export function metricsCsv(runs: readonly LoadedRun[]): string {
  const hps = new Set<string>();
  const metrics = new Set<string>();
  for (const r of runs) {
    for (const k of Object.keys(r.record.hyperparameters)) hps.add(k);
    for (const e of r.epochs) for (const k of Object.keys(e.metrics)) metrics.add(k);
  }
  const metricCols = [...metrics].sort((a, b) => {
    const ia = METRIC_ORDER.indexOf(a);
    const ib = METRIC_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const hpCols = [...hps].sort();
  const lines = [['run', 'status', ...hpCols, 'epoch', 'elapsed_ms', ...metricCols].map(csvCell).join(',')];
  for (const r of runs) {
    const fixed = [r.record.id, r.record.status, ...hpCols.map((k) => r.record.hyperparameters[k])];
    for (const e of r.epochs) {
      lines.push([...fixed, e.epoch, e.elapsedMs, ...metricCols.map((k) => e.metrics[k])].map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

// ── live batching ──────────────────────────────────────────────────────────────────────────────

export interface Scheduler {
  (fn: () => void, ms: number): { cancel(): void };
}

export const timerScheduler: Scheduler = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(t) };
};

/**
 * Collects epochs as the runner reports them and hands them on at most once per interval, one
 * batch per run in epoch order. A fast run then costs one webview message per interval, and
 * nothing is dropped: every epoch added is in exactly one batch.
 */
export class EpochBatcher {
  private pending = new Map<string, EpochRecord[]>();
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly deliver: (runId: string, epochs: EpochColumns) => void,
    private readonly intervalMs = 16,
    private readonly schedule: Scheduler = timerScheduler,
  ) {}

  add(runId: string, epoch: EpochRecord): void {
    let list = this.pending.get(runId);
    if (!list) this.pending.set(runId, (list = []));
    list.push(epoch);
    this.timer ??= this.schedule(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
  }

  /** Delivers everything pending now (e.g. before a run's final status, so it arrives after its epochs). */
  flush(runId?: string): void {
    const ids = runId === undefined ? [...this.pending.keys()] : [runId];
    for (const id of ids) {
      const list = this.pending.get(id);
      this.pending.delete(id);
      if (list && list.length) this.deliver(id, toColumns([...list].sort((a, b) => a.epoch - b.epoch)));
    }
    if (this.pending.size === 0 && this.timer) {
      this.timer.cancel();
      this.timer = undefined;
    }
  }

  /** Forgets pending epochs (their runs are re-read from disk by the next snapshot). */
  clear(): void {
    this.pending.clear();
    this.timer?.cancel();
    this.timer = undefined;
  }

  dispose(): void {
    this.clear();
  }
}

// ── what the webview may ask for ───────────────────────────────────────────────────────────────

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG bytes of a data URL, or undefined when it is not really a PNG. */
export function decodePngDataUrl(dataUrl: string): Uint8Array | undefined {
  if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX)) return undefined;
  const bytes = Buffer.from(dataUrl.slice(PNG_DATA_URL_PREFIX.length), 'base64');
  if (bytes.length < PNG_SIGNATURE.length + 12) return undefined;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The absolute path of a file inside the lab folder, or undefined if the path leaves it. */
export function resolveInLab(labDir: string, relative: string): string | undefined {
  if (path.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) return undefined;
  const root = path.resolve(labDir);
  const abs = path.resolve(root, relative);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  // The learner's files, not the run store or anything hidden.
  if (rel.split(path.sep).some((part) => part.startsWith('.'))) return undefined;
  return abs;
}

/** A file name safe on every platform, from a lab id and a chart name. */
export function exportFileName(labId: string, what: string, ext: 'png' | 'csv'): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'lab';
  return `${clean(labId)}-${clean(what)}.${ext}`;
}

// ── studies ────────────────────────────────────────────────────────────────────────────────────

/** The folders of `<lab>/.mllabs/studies/` that can be studies, by name (oldest first: ids start with the time). */
export function studyIds(labDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = listLabDir(labDir, path.relative(labDir, studiesRoot(labDir)).split(path.sep).join('/'));
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && StudyId.safeParse(e.name).success)
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
}

/**
 * Changes whenever a study's files do: the journal grows with every trial event, the spec is
 * rewritten on resume, the lock comes and goes with the process that runs it. Cheap (three stats),
 * so the dashboard re-reads only the studies that changed.
 */
export function studyStamp(labDir: string, id: string): string {
  const dir = path.join(studiesRoot(labDir), id);
  return [SPEC_FILE, JOURNAL_FILE, LOCK_FILE]
    .map((f) => {
      try {
        const st = fs.lstatSync(path.join(dir, f));
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function studyParam(p: StudySnapshot['spec']['params'][number]): StudyParam {
  const out: StudyParam = { name: p.parameterName, type: p.type };
  if (p.type !== 'CATEGORICAL') out.scale = p.scaleType ?? 'UNIT_LINEAR_SCALE';
  if (finite(p.minValue)) out.min = p.minValue;
  if (finite(p.maxValue)) out.max = p.maxValue;
  const values = p.type === 'CATEGORICAL' ? p.categoricalValues : p.type === 'DISCRETE' ? p.discreteValues : undefined;
  if (values) out.values = values.slice(0, LIMITS.paramValues).map((v) => (typeof v === 'string' ? clip(v, 1000) : v));
  return out;
}

function studyTrial(t: Trial): StudyTrial {
  const params: StudyTrial['params'] = {};
  for (const [k, v] of Object.entries(t.params)) params[k] = typeof v === 'string' ? clip(v, 1000) : v;
  const out: StudyTrial = { number: t.number, state: t.state, params, steps: t.intermediate.length, createdAt: clip(t.createdAt, 100) };
  if (t.objective !== undefined) out.objective = finite(t.objective) ? t.objective : null;
  if (finite(t.durationMs) && t.durationMs >= 0) out.durationMs = t.durationMs;
  if (t.error) out.error = clip(t.error, LIMITS.trialError);
  const last = t.intermediate[t.intermediate.length - 1];
  if (last && finite(last.step)) out.lastStep = last.step;
  if (t.retryOf !== undefined) out.retryOf = t.retryOf;
  return out;
}

/** What the study selector shows: counts, best and whether a process runs the study now. */
export function studySummary(s: StudySnapshot, manifest?: Pick<LabManifest, 'labelUnit'>): StudySummary {
  const counts: StudySummary['counts'] = { running: 0, completed: 0, pruned: 0, failed: 0, interrupted: 0 };
  for (const t of s.trials) counts[t.state]++;
  const metric = clip(s.spec.hyperparameterMetricTag ?? DEFAULT_METRIC_TAG, 200);
  const summary: StudySummary = {
    id: s.id,
    goal: s.spec.goal,
    metric,
    format: objectiveFormat(metric, manifest?.labelUnit),
    sampler: samplerKind(s.spec),
    maxTrials: s.spec.maxTrials,
    maxParallelTrials: s.spec.maxParallelTrials,
    earlyStopping: s.spec.enableTrialEarlyStopping,
    counts,
    active: s.activePid !== undefined,
  };
  if (s.best && finite(s.best.objective)) summary.best = { number: s.best.number, objective: s.best.objective };
  if (s.trials[0]) summary.startedAt = clip(s.trials[0].createdAt, 100);
  return summary;
}

/**
 * A study as the webview shows it, checked against the message schema: a study the webview would
 * refuse (a parameter named "__proto__"…) is reported here rather than silently dropped there.
 */
export function studyDetail(s: StudySnapshot, manifest?: Pick<LabManifest, 'labelUnit'>): { ok: true; study: StudyDetail } | { ok: false; reason: string } {
  const warnings = s.warnings.slice(0, 99).map((w) => clip(w, LIMITS.text));
  let trials = s.trials;
  if (trials.length > LIMITS.trials) {
    warnings.push(`only the last ${LIMITS.trials} of ${trials.length} trials are shown`);
    trials = trials.slice(-LIMITS.trials);
  }
  const summary = studySummary(s, manifest);
  // A best trial cut off above is not in the table, so it is not marked either.
  if (summary.best && !trials.some((t) => t.number === summary.best!.number)) delete summary.best;
  const candidate = { ...summary, params: s.spec.params.slice(0, LIMITS.params).map(studyParam), trials: trials.map(studyTrial), warnings };
  const parsed = StudyDetail.safeParse(candidate);
  if (parsed.success) return { ok: true, study: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${issue?.path.map(String).join('.') || '(study)'}: ${issue?.message ?? 'invalid'}` };
}
