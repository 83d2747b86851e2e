// One lab run end to end, shared by the CLI and the extension: start the evaluator, record the run's
// files as it goes, grade the outcome, write the grade and seal the record. The caller only renders
// events. Every measurement comes from the evaluator; the learner's process is never believed.
import { randomInt } from 'crypto';
import * as path from 'path';
import { findLab, loadCatalog, MANIFEST_FILE, parseManifest, type ManifestProblem } from '../lab/catalog';
import { FILE_LIMITS, LabFileError, readLabText } from '../files/labFiles';
import { grade } from '../grade/grader';
import type { GradeProvenance, GradeReport } from '../grade/report';
import type { BackendChoice, LabManifest } from '../lab/manifest';
import { installPaths, WORK_DIR } from '../files/paths';
import type { Hyperparameters } from './protocol';
import { startRun, type RunEvents, type RunOutcome, type RunRequest } from './runnerHost';
import { RunStore, textDigest, type EpochRecord, type RunRecord, type RunWriter } from './store';

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
  /** sha256 of the manifest used. */
  sha256: string;
  notes: string[];
}

/** Words every output uses for a lab graded with its folder's own manifest. */
export function inDevelopmentNote(manifest: LabManifest): string {
  return `"${manifest.id}" is not a lab of the course: it is graded as a lab in development, with the bars of this folder's own ${MANIFEST_FILE}, not the course's`;
}

/**
 * Reads `<labDir>/lab.json`. A course lab is graded with the catalog's manifest, so editing the
 * copy in the workspace cannot lower a bar; a lab that is not in the catalog uses its own, and says so.
 */
export function openLab(labDir: string, installRoot: string): OpenedLab {
  let text: string | undefined;
  try {
    text = readLabText(labDir, MANIFEST_FILE, FILE_LIMITS.manifest);
  } catch (err) {
    throw new LabFolderError(`${labDir} cannot be opened as a lab: ${(err as Error).message}`);
  }
  if (text === undefined) throw new LabFolderError(`${labDir} is not a lab folder: it has no ${MANIFEST_FILE}. Start a lab with "mllabs init <lab> <folder>".`);
  const file = path.join(labDir, MANIFEST_FILE);
  const local = parseManifest(file, text);
  const catalog = loadCatalog(installPaths(installRoot).templatesDir);
  let id: string | undefined;
  if (local.ok) id = local.manifest.id;
  else {
    try {
      const raw = (JSON.parse(text) as { id?: unknown }).id;
      id = typeof raw === 'string' ? raw : undefined;
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
    return { labDir, manifest: course.manifest, source: 'catalog', sha256: course.sha256, notes };
  }
  const refused = id ? catalog.problems.find((p) => path.basename(path.dirname(p.file)) === id) : undefined;
  if (refused) throw new LabFolderError(`the course's "${id}" lab cannot be used:\n${refused.messages.map((m) => `  - ${m}`).join('\n')}`, refused);
  if (!local.ok) {
    throw new LabFolderError(`${file} is not a valid lab manifest:\n${local.problem.messages.map((m) => `  - ${m}`).join('\n')}`, local.problem);
  }
  return { labDir, manifest: local.manifest, source: 'folder', sha256: textDigest(text), notes: [inDevelopmentNote(local.manifest)] };
}

/** The learner's files (regular files in the lab folder, size-capped); undefined when missing. */
export function readSources(labDir: string, manifest: LabManifest): Record<string, string | undefined> {
  const sources: Record<string, string | undefined> = {};
  for (const f of manifest.files) sources[f] = readLabText(labDir, f, FILE_LIMITS.source);
  return sources;
}

/** Like readSources, but a file that cannot be read is a clear error, not a missing file. */
export function readSourcesOrExplain(labDir: string, manifest: LabManifest): Record<string, string | undefined> {
  try {
    return readSources(labDir, manifest);
  } catch (err) {
    if (err instanceof LabFileError) throw new LabFolderError(`the lab's code cannot be read: ${err.message}`);
    throw err;
  }
}

export interface LabRunOptions {
  installRoot: string;
  backend?: BackendChoice;
  seed?: number;
  /** The shuffle seed of the split (official grading: a secret one). Default: the lab's. */
  splitSeed?: number;
  hyperparameters?: Hyperparameters;
  timeBudgetMs?: number;
  memoryMb?: number;
  /** The evaluator's script (tests use stand-ins). Default: dist/evaluator.js of the install. */
  evaluatorScript?: string;
  /** Where the native backend was installed on demand. */
  nativeDir?: string;
  /** Run the learner's code under the inspector on this port (a debugging session: not confined). */
  debug?: { port: number };
  /** How the grade says the run came about (default "run"). */
  from?: GradeProvenance['from'];
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
  /** Process id of the evaluator child (for monitoring). */
  readonly childPid: number | undefined;
  cancel(): void;
  readonly result: Promise<LabRunResult>;
}

export function provenanceOf(lab: OpenedLab, record: RunRecord, from: GradeProvenance['from'], extra: Partial<GradeProvenance> = {}): GradeProvenance {
  return {
    manifest: lab.source === 'catalog' ? 'course' : 'folder',
    manifestSha256: lab.sha256,
    from,
    ...(record.trainedBy ? { trainedBy: record.trainedBy } : {}),
    ...(record.confinement ? { confinement: record.confinement } : {}),
    ...(record.backend ? { backend: record.backend } : {}),
    ...extra,
  };
}

export function gradeRecord(
  lab: OpenedLab,
  record: RunRecord,
  epochs: EpochRecord[],
  from: GradeProvenance['from'] = 'recorded',
  sources: Record<string, string | undefined> = readSources(lab.labDir, lab.manifest),
  extra: Partial<GradeProvenance> = {},
): GradeReport {
  return grade({
    manifest: lab.manifest,
    run: {
      id: record.id,
      status: record.status,
      outputs: record.outputs,
      reported: record.reported,
      epochs,
      hyperparameters: record.hyperparameters,
      diagnosis: record.diagnosis,
      failure: record.failure,
      trainedBy: record.trainedBy,
      evidence: record.evidence,
    },
    sources,
    provenance: provenanceOf(lab, record, from, extra),
  });
}

export function runLab(lab: OpenedLab, options: LabRunOptions, events: LabRunEvents = {}): LabRunHandle {
  const sources = readSourcesOrExplain(lab.labDir, lab.manifest);
  const seed = options.seed ?? randomInt(1, 2 ** 31 - 1);
  const backend = options.backend ?? 'auto';
  const writer = createRun(lab, options, seed, backend, sources);
  events.onCreated?.(writer.current);

  const epochs: EpochRecord[] = [];
  const handle = startRun(runRequest(lab, options, writer, seed, backend, sources), recordingEvents(writer, epochs, events));
  if (handle.pid !== undefined) writer.update({ childPid: handle.pid });

  const result = handle.outcome.then((outcome) => {
    writer.update(outcomePatch(outcome, epochs, writer));
    const report = gradeRecord(lab, writer.current, epochs, options.from ?? 'run', sources, {
      ...(outcome.ready?.versions ? { versions: outcome.ready.versions } : {}),
      ...(options.splitSeed !== undefined ? { split: 'secret' as const } : { split: 'lab' as const }),
    });
    writer.writeGrade(report);
    writer.seal();
    return { record: writer.current, outcome, grade: report };
  });
  return { runId: writer.id, childPid: handle.pid, cancel: () => handle.cancel(), result };
}

/** The run's folder, with run.json saying "running" and the code it runs. */
function createRun(lab: OpenedLab, options: LabRunOptions, seed: number, backend: BackendChoice, sources: Record<string, string | undefined>): RunWriter {
  const store = new RunStore(lab.labDir);
  store.recoverInterrupted();
  const writer: RunWriter = store.create({
    lab: lab.manifest.id,
    seed,
    backendRequested: backend,
    hyperparameters: options.hyperparameters ?? {},
    hostPid: process.pid,
    manifestSource: lab.source === 'catalog' ? 'course' : 'folder',
    manifestSha256: lab.sha256,
  });
  // Keep the exact code that produced this run next to its results.
  for (const [rel, text] of Object.entries(sources)) if (text !== undefined) writer.writeFile(`source/${rel}`, text);
  return writer;
}

function runRequest(
  lab: OpenedLab,
  options: LabRunOptions,
  writer: RunWriter,
  seed: number,
  backend: BackendChoice,
  sources: Record<string, string | undefined>,
): RunRequest {
  const present: Record<string, string> = {};
  for (const [rel, text] of Object.entries(sources)) if (text !== undefined) present[rel] = text;
  return {
    evaluatorScript: options.evaluatorScript ?? installPaths(options.installRoot).evaluatorScript,
    installRoot: options.installRoot,
    labDir: lab.labDir,
    manifest: lab.manifest,
    sources: present,
    buildDir: path.join(writer.dir, 'build'),
    backend,
    seed,
    ...(options.splitSeed !== undefined ? { splitSeed: options.splitSeed } : {}),
    hyperparameters: options.hyperparameters,
    timeBudgetMs: options.timeBudgetMs,
    memoryMb: options.memoryMb,
    ...(options.nativeDir ? { nativeDir: options.nativeDir } : {}),
    ...(options.debug ? { debugPort: options.debug.port } : {}),
  };
}

/** The caller's events, with what each one adds to the run's record written first. */
function recordingEvents(writer: RunWriter, epochs: EpochRecord[], events: LabRunEvents): RunEvents {
  return {
    ...events,
    onReady: (m) => {
      writer.update({ backend: m.backend, backendReason: m.reason, ...(m.confinement ? { confinement: m.confinement } : {}) });
      events.onReady?.(m);
    },
    onStarted: (m) => {
      writer.update({ hyperparameters: m.hyperparameters, epochsPlanned: m.epochs });
      events.onStarted?.(m);
    },
    onEpoch: (m) => {
      const rec: EpochRecord = { epoch: m.epoch, elapsedMs: m.elapsedMs, metrics: m.metrics, ...(m.source ? { source: m.source } : {}) };
      epochs.push(rec);
      writer.appendEpoch(rec);
      events.onEpoch?.(m);
    },
  };
}

/** What the run's record gains when it ends; the files it exported are written to its export/ folder. */
function outcomePatch(outcome: RunOutcome, epochs: readonly EpochRecord[], writer: RunWriter): Partial<RunRecord> {
  const patch: Partial<RunRecord> = {
    status: outcome.status,
    finishedAt: new Date().toISOString(),
    durationMs: outcome.durationMs,
    epochs: epochs.length,
  };
  if (outcome.done) {
    patch.outputs = outcome.done.outputs;
    if (outcome.done.reported) patch.reported = outcome.done.reported;
    if (outcome.done.trainedBy) patch.trainedBy = outcome.done.trainedBy;
    if (outcome.done.evidence) patch.evidence = outcome.done.evidence;
    patch.timings = { ...outcome.done.timings, totalMs: outcome.durationMs };
    if (outcome.done.diagnosis) patch.diagnosis = outcome.done.diagnosis;
    for (const a of outcome.done.artifacts ?? []) {
      if (a.path.split('/').some((p) => p === '..' || p === '.')) continue;
      writer.writeFile(`export/${a.path}`, Buffer.from(a.base64, 'base64'));
    }
  }
  if (outcome.failure) patch.failure = outcome.failure;
  return patch;
}

export function workDir(labDir: string): string {
  return path.join(labDir, WORK_DIR);
}
