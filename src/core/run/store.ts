// The files a run leaves in `.mllabs/runs/<run-id>/` — the learner's data, so never lost — and the
// only record of a grade, so never believed unless it verifies. run.json and grade.json are written
// atomically, metrics.jsonl is append-only (a torn last line is skipped with a warning), and at the
// end the host seals them all (see run/seal.ts). Everything is read through checked, size-capped
// reads: a lab folder may be hostile. A run left "running" by a dead host is marked interrupted the
// next time the store is opened.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as z from 'zod/mini';
import { appendLabFile, ensureLabDir, FILE_LIMITS, LabFileError, listLabDir, lstatInLab, readLabFile, readLabText, writeLabFile } from '../files/labFiles';
import { pidAlive } from '../process/alive';
import { WORK_DIR } from '../files/paths';
import { recordJson, timestampedId } from '../files/workRecords';
import { Confinement, CURVE_SOURCES, Hyperparameters, Metrics, SourceLocation } from './protocol';
import { GradeReport } from '../grade/report';
import { checkSeal, makeSeal, Seal, SEAL_FILE, sha256 } from './seal';
import '../zodMessages';

export const RUNS_DIR = 'runs';
export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const GRADE_FILE = 'grade.json';
/** At most this many runs are listed (the newest), whatever a folder holds. */
export const MAX_LISTED_RUNS = 2000;
/** At most this many epochs are read from one metrics.jsonl. */
export const MAX_EPOCHS_READ = 20_000;

export const RUN_STATUSES = ['running', 'completed', 'diverged', 'failed', 'cancelled', 'timeout', 'crashed', 'oom', 'interrupted'] as const;
export type RecordStatus = (typeof RUN_STATUSES)[number];

/** A run id names a folder: a timestamp and 4 hex digits, nothing that could leave the runs folder. */
export const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

export function isRunId(id: string): boolean {
  return RUN_ID.test(id);
}

export const RunRecord = z.object({
  formatVersion: z.literal(1),
  id: z.string().check(z.regex(RUN_ID)),
  lab: z.string(),
  status: z.enum(RUN_STATUSES),
  createdAt: z.string(),
  finishedAt: z.optional(z.string()),
  durationMs: z.optional(z.number()),
  seed: z.number(),
  backendRequested: z.string(),
  backend: z.optional(z.string()),
  backendReason: z.optional(z.string()),
  hyperparameters: Hyperparameters,
  epochsPlanned: z.optional(z.number()),
  epochs: z.number(),
  outputs: z.optional(Metrics),
  /** Outputs only the learner's process could observe (not measured by the lab). */
  reported: z.optional(Metrics),
  /** Who trained the model: the lab's loop ("lab") or the learner's process ("learner"). */
  trainedBy: z.optional(z.enum(CURVE_SOURCES)),
  /** How the learner's process was confined. */
  confinement: z.optional(Confinement),
  /** Whose bars: the course's manifest (from the install) or the folder's own (a lab in development). */
  manifestSource: z.optional(z.enum(['course', 'folder'])),
  manifestSha256: z.optional(z.string()),
  diagnosis: z.optional(z.string()),
  evidence: z.optional(z.record(z.string(), z.unknown())),
  /** Where the time went (ms), as measured by the runner. */
  timings: z.optional(z.record(z.string(), z.number())),
  failure: z.optional(z.object({ kind: z.string(), message: z.string(), location: z.optional(SourceLocation), stack: z.optional(z.string()) })),
  /** Process that owns the run; if it is gone while the status is "running", the run was interrupted. */
  hostPid: z.number(),
  childPid: z.optional(z.number()),
});
export type RunRecord = z.infer<typeof RunRecord>;

export const EpochRecord = z.object({
  epoch: z.int().check(z.minimum(1)),
  elapsedMs: z.number(),
  metrics: Metrics,
  source: z.optional(z.enum(CURVE_SOURCES)),
});
export type EpochRecord = z.infer<typeof EpochRecord>;

export interface ReadRun {
  record: RunRecord;
  epochs: EpochRecord[];
  grade?: GradeReport;
  /** The run's files are as ML Labs sealed them. Unverified records are shown, never believed. */
  verified: boolean;
  /** Why the record does not verify. */
  unverified?: string;
  warnings: string[];
}

/** Parses metrics.jsonl text, skipping (and reporting) lines that are torn or malformed. */
export function parseMetricsLines(text: string, file = METRICS_FILE): { epochs: EpochRecord[]; warnings: string[] } {
  const parser = new MetricsParser(file);
  parser.push(text);
  return parser.end();
}

/** metrics.jsonl, parsed as it streams in: bounded line length and epoch count. */
class MetricsParser {
  private rest = '';
  private line = 0;
  private skippedLong = false;
  readonly epochs: EpochRecord[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly file: string) {}

  push(text: string): void {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    if (this.rest.length > FILE_LIMITS.metricsLine) {
      this.rest = '';
      this.skippedLong = true;
    }
    for (const p of parts) this.take(p, false);
  }

  end(): { epochs: EpochRecord[]; warnings: string[] } {
    if (this.rest.trim() !== '') this.take(this.rest, true);
    return { epochs: this.epochs, warnings: this.warnings };
  }

  private take(line: string, last: boolean): void {
    this.line++;
    if (this.skippedLong) {
      this.skippedLong = false;
      this.warnings.push(`${this.file}: line ${this.line} is longer than any epoch record and was skipped`);
      return;
    }
    if (line.trim() === '') return;
    if (this.epochs.length >= MAX_EPOCHS_READ) {
      if (this.epochs.length === MAX_EPOCHS_READ) this.warnings.push(`${this.file}: only the first ${MAX_EPOCHS_READ} epochs were read`);
      return;
    }
    let parsed: { success: true; data: EpochRecord } | { success: false } | undefined;
    try {
      parsed = line.length <= FILE_LIMITS.metricsLine ? EpochRecord.safeParse(JSON.parse(line)) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) this.epochs.push(parsed.data);
    else
      this.warnings.push(
        last
          ? `${this.file}: the last line is incomplete (the run was stopped while writing it) and was skipped`
          : `${this.file}: line ${this.line} is not a valid epoch record and was skipped`,
      );
  }
}

export class RunWriter {
  constructor(
    readonly labDir: string,
    /** Relative to the lab folder. */
    readonly rel: string,
    private record: RunRecord,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get dir(): string {
    return path.join(this.labDir, this.rel);
  }

  get current(): RunRecord {
    return this.record;
  }

  update(patch: Partial<RunRecord>): void {
    this.record = { ...this.record, ...patch };
    writeLabFile(this.labDir, `${this.rel}/${RUN_FILE}`, recordJson(this.record));
  }

  appendEpoch(epoch: EpochRecord): void {
    appendLabFile(this.labDir, `${this.rel}/${METRICS_FILE}`, JSON.stringify(epoch) + '\n');
  }

  writeGrade(grade: GradeReport): void {
    writeLabFile(this.labDir, `${this.rel}/${GRADE_FILE}`, recordJson(grade));
  }

  /** A file the run leaves (its source, an exported model), relative to the run's folder. */
  writeFile(rel: string, data: string | Uint8Array): void {
    writeLabFile(this.labDir, `${this.rel}/${rel}`, data);
  }

  /** Seals the run's files as they are now: from here on, any change shows. */
  seal(): void {
    const files = digests(this.labDir, this.rel);
    writeLabFile(this.labDir, `${this.rel}/${SEAL_FILE}`, recordJson(makeSeal(this.record.id, files)));
  }
}

/** The files a seal covers: everything in the run's folder but the seal and the compiled bundle. */
const UNSEALED = new Set([SEAL_FILE, 'build']);

function digests(labDir: string, runRel: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string, depth: number) => {
    if (depth > 6) return;
    for (const entry of listLabDir(labDir, `${runRel}${rel ? `/${rel}` : ''}`)) {
      if (!rel && UNSEALED.has(entry.name)) continue;
      if (entry.name.startsWith('.') && entry.name.endsWith('.tmp')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child, depth + 1);
      else {
        const data = readLabFile(labDir, `${runRel}/${child}`, child === METRICS_FILE ? FILE_LIMITS.metrics : FILE_LIMITS.metrics);
        if (data) out[child] = sha256(data);
      }
    }
  };
  walk('', 0);
  return out;
}

export interface RunListing {
  runs: RunRecord[];
  warnings: string[];
}

export class RunStore {
  readonly root: string;
  private readonly rel = `${WORK_DIR}/${RUNS_DIR}`;

  constructor(readonly labDir: string) {
    this.root = path.join(labDir, WORK_DIR, RUNS_DIR);
  }

  runDir(id: string): string {
    if (!isRunId(id)) throw new LabFileError(`"${id}" is not a run id (they look like 20261205-142311-a3f0)`);
    return path.join(this.root, id);
  }

  create(init: Omit<RunRecord, 'formatVersion' | 'id' | 'status' | 'createdAt' | 'epochs'>): RunWriter {
    ensureLabDir(this.labDir, this.rel);
    let id = timestampedId();
    while (lstatInLab(this.labDir, `${this.rel}/${id}`)) id = timestampedId();
    fs.mkdirSync(path.join(this.root, id));
    const record: RunRecord = { formatVersion: 1, id, status: 'running', createdAt: new Date().toISOString(), epochs: 0, ...init };
    const writer = new RunWriter(this.labDir, `${this.rel}/${id}`, record);
    writer.update({});
    writeLabFile(this.labDir, `${this.rel}/${id}/${METRICS_FILE}`, '');
    return writer;
  }

  /** All readable runs, oldest first; unreadable ones are reported, never thrown. */
  list(): RunListing {
    const warnings: string[] = [];
    const runs: RunRecord[] = [];
    let entries: fs.Dirent[];
    try {
      entries = listLabDir(this.labDir, this.rel);
    } catch (err) {
      return { runs, warnings: [(err as Error).message] };
    }
    const ids = entries
      .filter((e) => e.isDirectory() && isRunId(e.name))
      .map((e) => e.name)
      .sort();
    if (ids.length > MAX_LISTED_RUNS) warnings.push(`${this.rel} holds ${ids.length} runs; only the newest ${MAX_LISTED_RUNS} are shown`);
    for (const id of ids.slice(-MAX_LISTED_RUNS)) {
      const r = this.readRecord(id);
      if ('record' in r) runs.push(r.record);
      else warnings.push(r.warning);
    }
    runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return { runs, warnings };
  }

  latest(): RunRecord | undefined {
    const { runs } = this.list();
    return runs[runs.length - 1];
  }

  private readRecord(id: string): { record: RunRecord } | { warning: string } {
    const rel = `${this.rel}/${id}/${RUN_FILE}`;
    try {
      const text = readLabText(this.labDir, rel, FILE_LIMITS.record);
      if (text === undefined) return { warning: `${rel} is missing; skipped` };
      const parsed = RunRecord.safeParse(JSON.parse(text));
      if (!parsed.success)
        return { warning: `${rel} is not a valid run record (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); skipped` };
      if (parsed.data.id !== id) return { warning: `${rel} names another run (${parsed.data.id}); skipped` };
      return { record: parsed.data };
    } catch (err) {
      return { warning: `${rel} cannot be read (${(err as Error).message.split('\n')[0]}); skipped` };
    }
  }

  /** A run with its epochs and grade, and whether its seal verifies; undefined if it cannot be read. */
  read(id: string): ReadRun | undefined {
    if (!isRunId(id)) return undefined;
    const r = this.readRecord(id);
    if (!('record' in r)) return undefined;
    const dir = `${this.rel}/${id}`;
    const warnings: string[] = [];
    let epochs: EpochRecord[] = [];
    try {
      const parser = new MetricsParser(`${dir}/${METRICS_FILE}`);
      const data = readLabFile(this.labDir, `${dir}/${METRICS_FILE}`, FILE_LIMITS.metrics);
      if (data) for (let at = 0; at < data.length; at += 1 << 20) parser.push(data.subarray(at, at + (1 << 20)).toString('utf8'));
      const parsed = parser.end();
      epochs = parsed.epochs;
      warnings.push(...parsed.warnings);
    } catch (err) {
      warnings.push(`${dir}/${METRICS_FILE}: ${(err as Error).message}; its curve is not shown`);
    }
    const { grade, warning } = this.readGradeFile(id);
    if (warning) warnings.push(warning);
    const unverified = this.verify(id, r.record);
    return { record: r.record, epochs, grade, verified: unverified === undefined, ...(unverified ? { unverified } : {}), warnings };
  }

  /** Why a run's record does not verify, or undefined when it does. */
  verify(id: string, record?: RunRecord): string | undefined {
    if (record?.status === 'running') return 'the run has not finished';
    const dir = `${this.rel}/${id}`;
    try {
      const text = readLabText(this.labDir, `${dir}/${SEAL_FILE}`, FILE_LIMITS.record);
      if (text === undefined) return 'it has no seal (it was not recorded by this version of ML Labs, or was copied without one)';
      const seal = Seal.safeParse(JSON.parse(text));
      if (!seal.success) return 'its seal is damaged';
      return checkSeal(id, seal.data, digests(this.labDir, dir));
    } catch (err) {
      return (err as Error).message.split('\n')[0];
    }
  }

  /** The grade of a run, if it has a valid one and the run's record verifies. */
  readGrade(id: string): GradeReport | undefined {
    if (!isRunId(id) || this.verify(id) !== undefined) return undefined;
    return this.readGradeFile(id).grade;
  }

  private readGradeFile(id: string): { grade?: GradeReport; warning?: string } {
    const rel = `${this.rel}/${id}/${GRADE_FILE}`;
    try {
      const text = readLabText(this.labDir, rel, FILE_LIMITS.record);
      if (text === undefined) return {};
      const parsed = GradeReport.safeParse(JSON.parse(text));
      return parsed.success ? { grade: parsed.data } : { warning: `${rel} is not a valid grade; ignored` };
    } catch (err) {
      return { warning: `${rel} cannot be read (${(err as Error).message.split('\n')[0]}); ignored` };
    }
  }

  /** Marks runs whose owning process is gone as interrupted, and seals them so. Returns their ids. */
  recoverInterrupted(isAlive: (pid: number) => boolean = pidAlive): string[] {
    const recovered: string[] = [];
    for (const run of this.list().runs) {
      if (run.status !== 'running') continue;
      // This process's own runs are live; another live process may still be running its own.
      if (run.hostPid === process.pid || isAlive(run.hostPid)) continue;
      const writer = new RunWriter(this.labDir, `${this.rel}/${run.id}`, run);
      try {
        // Nothing measured survives an interruption: the record keeps only what it was asked to do.
        writer.update({
          outputs: undefined,
          reported: undefined,
          evidence: undefined,
          status: 'interrupted',
          finishedAt: new Date().toISOString(),
          failure: { kind: 'interrupted', message: 'the run was interrupted: the program that started it stopped before it finished' },
        });
        writer.seal();
        recovered.push(run.id);
      } catch {
        // A folder we cannot write to (or a hostile one): leave it as it is.
      }
    }
    return recovered;
  }
}

/** sha256 of a text, for the manifest a run was graded with. */
export function textDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
