// The host side of the dashboard's data, without VS Code: the run list read from a lab folder, and each
// run as the webview shows it (its columns of epochs, its number, its code compared with the run before).
import * as path from 'path';
import { MANIFEST_FILE, readManifest } from '../lab/catalog';
import { FILE_LIMITS, readLabText } from '../files/labFiles';
import { ConfusionMatrix, MetricName, type ChartKind, type EpochColumns, type LabInfo, type RunCode, type RunInfo, type RunSnapshot } from './records';
import type { SnapshotMessage } from './protocol';
import { chartsForLab, fallbackLabel, runLabel, runMarker } from './model';
import type { LabManifest } from '../lab/manifest';
import { compareSources, readRunSources, type Sources } from '../run/codeSnapshot';
import { RunStore, type EpochRecord, type RunRecord } from '../run/store';
import { trialOf } from '../run/trialRuns';

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
