// One lab run end to end, shared by the CLI and the extension: start the runner, record the run's
// files as it goes, grade the outcome, and write the grade. The caller only renders events.
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog, MANIFEST_FILE, readManifest, type ManifestProblem } from './catalog';
import { grade } from './grader';
import type { GradeReport } from './gradeReport';
import type { BackendChoice, LabManifest } from './labManifest';
import { installPaths, WORK_DIR } from './paths';
import type { Hyperparameters } from './protocol';
import { startRun, type RunEvents, type RunOutcome } from './runnerHost';
import { RunStore, type RunRecord, type RunWriter } from './runStore';

export class LabFolderError extends Error {
  constructor(
    message: string,
    readonly problem?: ManifestProblem,
  ) {
    super(message);
    this.name = 'LabFolderError';
  }
}

export interface OpenedLab {
  labDir: string;
  manifest: LabManifest;
  /** Where the manifest came from: the course catalog (authoritative) or the folder (a lab in development). */
  source: 'catalog' | 'folder';
  notes: string[];
}

/**
 * Reads `<labDir>/lab.json`. A course lab is graded with the catalog's manifest, so editing the
 * copy in the workspace cannot lower a bar; a lab that is not in the catalog uses its own.
 */
export function openLab(labDir: string, installRoot: string): OpenedLab {
  const file = path.join(labDir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new LabFolderError(`${labDir} is not a lab folder: it has no ${MANIFEST_FILE}. Start a lab with "mllabs init <lab> <folder>".`);
  const local = readManifest(file);
  const catalog = loadCatalog(installPaths(installRoot).templatesDir);
  let id: string | undefined;
  if (local.ok) id = local.manifest.id;
  else {
    try {
      id = (JSON.parse(fs.readFileSync(file, 'utf8')) as { id?: string }).id;
    } catch {
      id = undefined;
    }
  }
  const course = id ? findLab(catalog, id) : undefined;
  if (course) {
    const notes: string[] = [];
    if (!local.ok || JSON.stringify(local.manifest) !== JSON.stringify(course.manifest)) {
      notes.push(`${MANIFEST_FILE} in this folder differs from the course's "${id}" lab; the course's version is used for running and grading`);
    }
    return { labDir, manifest: course.manifest, source: 'catalog', notes };
  }
  if (!local.ok) {
    throw new LabFolderError(`${file} is not a valid lab manifest:\n${local.problem.messages.map((m) => `  - ${m}`).join('\n')}`, local.problem);
  }
  return { labDir, manifest: local.manifest, source: 'folder', notes: [] };
}

export function readSources(labDir: string, manifest: LabManifest): Record<string, string | undefined> {
  const sources: Record<string, string | undefined> = {};
  for (const f of manifest.files) {
    try {
      sources[f] = fs.readFileSync(path.join(labDir, f), 'utf8');
    } catch {
      sources[f] = undefined;
    }
  }
  return sources;
}

export interface LabRunOptions {
  installRoot: string;
  backend?: BackendChoice;
  seed?: number;
  hyperparameters?: Hyperparameters;
  timeBudgetMs?: number;
  memoryMb?: number;
  runnerScript?: string;
  /** Start the runner under the inspector, paused until a debugger attaches on this port (127.0.0.1). */
  debug?: { port: number };
}

export interface LabRunEvents extends RunEvents {
  /** The run's folder exists and run.json says "running". */
  onCreated?(record: RunRecord): void;
}

export interface LabRunResult {
  record: RunRecord;
  outcome: RunOutcome;
  grade: GradeReport;
}

export interface LabRunHandle {
  readonly runId: string;
  /** Process id of the runner child (for monitoring). */
  readonly childPid: number | undefined;
  cancel(): void;
  readonly result: Promise<LabRunResult>;
}

export function gradeRecord(lab: OpenedLab, record: RunRecord, epochs: { epoch: number; metrics: Record<string, number | null> }[]): GradeReport {
  return grade({
    manifest: lab.manifest,
    run: {
      id: record.id,
      status: record.status,
      outputs: record.outputs,
      epochs,
      hyperparameters: record.hyperparameters,
      diagnosis: record.diagnosis,
      failure: record.failure,
    },
    sources: readSources(lab.labDir, lab.manifest),
  });
}

export function runLab(lab: OpenedLab, options: LabRunOptions, events: LabRunEvents = {}): LabRunHandle {
  const store = new RunStore(lab.labDir);
  store.recoverInterrupted();
  const seed = options.seed ?? randomInt(1, 2 ** 31 - 1);
  const backend = options.backend ?? 'auto';
  const writer: RunWriter = store.create({
    lab: lab.manifest.id,
    seed,
    backendRequested: backend,
    hyperparameters: options.hyperparameters ?? {},
    hostPid: process.pid,
  });
  // Keep the exact code that produced this run next to its results.
  for (const [rel, text] of Object.entries(readSources(lab.labDir, lab.manifest))) {
    if (text === undefined) continue;
    const target = path.join(writer.dir, 'source', rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  events.onCreated?.(writer.current);

  const epochs: { epoch: number; metrics: Record<string, number | null> }[] = [];
  const paths = installPaths(options.installRoot);
  const handle = startRun(
    {
      runnerScript: options.runnerScript ?? paths.runnerScript,
      installRoot: options.installRoot,
      labDir: lab.labDir,
      manifest: lab.manifest,
      buildDir: path.join(writer.dir, 'build'),
      backend,
      seed,
      hyperparameters: options.hyperparameters,
      timeBudgetMs: options.timeBudgetMs,
      memoryMb: options.memoryMb,
      debug: options.debug,
    },
    {
      ...events,
      onReady: (m) => {
        writer.update({ backend: m.backend, backendReason: m.reason });
        events.onReady?.(m);
      },
      onStarted: (m) => {
        writer.update({ hyperparameters: m.hyperparameters, epochsPlanned: m.epochs });
        events.onStarted?.(m);
      },
      onEpoch: (m) => {
        const rec = { epoch: m.epoch, elapsedMs: m.elapsedMs, metrics: m.metrics };
        epochs.push(rec);
        writer.appendEpoch(rec);
        events.onEpoch?.(m);
      },
    },
  );
  if (handle.pid !== undefined) writer.update({ childPid: handle.pid });

  const result = handle.outcome.then((outcome) => {
    const patch: Partial<RunRecord> = {
      status: outcome.status,
      finishedAt: new Date().toISOString(),
      durationMs: outcome.durationMs,
      epochs: epochs.length,
    };
    if (outcome.done) {
      patch.outputs = outcome.done.outputs;
      patch.timings = { ...outcome.done.timings, totalMs: outcome.durationMs };
      if (outcome.done.diagnosis) patch.diagnosis = outcome.done.diagnosis;
    }
    if (outcome.failure) patch.failure = outcome.failure;
    writer.update(patch);
    const report = gradeRecord(lab, writer.current, epochs);
    writer.writeGrade(report);
    return { record: writer.current, outcome, grade: report };
  });
  return { runId: writer.id, childPid: handle.pid, cancel: handle.cancel, result };
}

export function workDir(labDir: string): string {
  return path.join(labDir, WORK_DIR);
}
