// The files a run leaves in `.mllabs/runs/<run-id>/` — the learner's data, so never lost:
// run.json and grade.json are written atomically (temp file + rename), metrics.jsonl is append-only
// and a torn last line is skipped with a warning. A run left "running" by a dead host is marked
// interrupted the next time the store is opened.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod/mini';
import { WORK_DIR } from './paths';
import { Hyperparameters, Metrics, SourceLocation } from './protocol';
import { GradeReport } from './gradeReport';
import './zodLocale';

export const RUNS_DIR = 'runs';
export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const GRADE_FILE = 'grade.json';

export const RUN_STATUSES = ['running', 'completed', 'diverged', 'failed', 'cancelled', 'timeout', 'crashed', 'oom', 'interrupted'] as const;
export type RecordStatus = (typeof RUN_STATUSES)[number];

export const RunRecord = z.object({
  formatVersion: z.literal(1),
  id: z.string(),
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
  diagnosis: z.optional(z.string()),
  /** Where the time went (ms), as measured by the runner. */
  timings: z.optional(z.record(z.string(), z.number())),
  failure: z.optional(
    z.object({ kind: z.string(), message: z.string(), location: z.optional(SourceLocation), stack: z.optional(z.string()) }),
  ),
  /** Process that owns the run; if it is gone while the status is "running", the run was interrupted. */
  hostPid: z.number(),
  childPid: z.optional(z.number()),
});
export type RunRecord = z.infer<typeof RunRecord>;

export const EpochRecord = z.object({ epoch: z.int().check(z.minimum(1)), elapsedMs: z.number(), metrics: Metrics });
export type EpochRecord = z.infer<typeof EpochRecord>;

export interface ReadRun {
  record: RunRecord;
  epochs: EpochRecord[];
  grade?: GradeReport;
  warnings: string[];
}

function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeJson(file: string, value: unknown): void {
  writeFileAtomic.sync(file, JSON.stringify(value, null, 2) + '\n');
}

/** Parses metrics.jsonl, skipping (and reporting) lines that are torn or malformed. */
export function parseMetricsLines(text: string, file = METRICS_FILE): { epochs: EpochRecord[]; warnings: string[] } {
  const epochs: EpochRecord[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n') || text.length === 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const isLast = i === lines.length - 1 && !endsClean;
    let parsed: { success: true; data: EpochRecord } | { success: false } | undefined;
    try {
      parsed = EpochRecord.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) epochs.push(parsed.data);
    else warnings.push(isLast ? `${file}: the last line is incomplete (the run was stopped while writing it) and was skipped` : `${file}: line ${i + 1} is not a valid epoch record and was skipped`);
  });
  return { epochs, warnings };
}

export class RunWriter {
  constructor(
    readonly dir: string,
    private record: RunRecord,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get current(): RunRecord {
    return this.record;
  }

  update(patch: Partial<RunRecord>): void {
    this.record = { ...this.record, ...patch };
    writeJson(path.join(this.dir, RUN_FILE), this.record);
  }

  appendEpoch(epoch: EpochRecord): void {
    fs.appendFileSync(path.join(this.dir, METRICS_FILE), JSON.stringify(epoch) + '\n');
  }

  writeGrade(grade: GradeReport): void {
    writeJson(path.join(this.dir, GRADE_FILE), grade);
  }
}

export interface RunListing {
  runs: RunRecord[];
  warnings: string[];
}

export class RunStore {
  readonly root: string;

  constructor(readonly labDir: string) {
    this.root = path.join(labDir, WORK_DIR, RUNS_DIR);
  }

  runDir(id: string): string {
    return path.join(this.root, id);
  }

  create(init: Omit<RunRecord, 'formatVersion' | 'id' | 'status' | 'createdAt' | 'epochs'>): RunWriter {
    fs.mkdirSync(this.root, { recursive: true });
    let id = newRunId();
    while (fs.existsSync(this.runDir(id))) id = newRunId();
    const dir = this.runDir(id);
    fs.mkdirSync(dir);
    const record: RunRecord = { formatVersion: 1, id, status: 'running', createdAt: new Date().toISOString(), epochs: 0, ...init };
    const writer = new RunWriter(dir, record);
    writer.update({});
    fs.writeFileSync(path.join(dir, METRICS_FILE), '');
    return writer;
  }

  /** All readable runs, oldest first; unreadable ones are reported, never thrown. */
  list(): RunListing {
    const warnings: string[] = [];
    const runs: RunRecord[] = [];
    if (!fs.existsSync(this.root)) return { runs, warnings };
    for (const entry of fs.readdirSync(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const r = this.readRecord(entry.name);
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
    const file = path.join(this.runDir(id), RUN_FILE);
    try {
      const parsed = RunRecord.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (parsed.success) return { record: parsed.data };
      return { warning: `${path.relative(this.labDir, file)} is not a valid run record (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); skipped` };
    } catch (err) {
      return { warning: `${path.relative(this.labDir, file)} cannot be read (${(err as Error).message.split('\n')[0]}); skipped` };
    }
  }

  read(id: string): ReadRun | undefined {
    const r = this.readRecord(id);
    if (!('record' in r)) return undefined;
    const dir = this.runDir(id);
    let metricsText = '';
    try {
      metricsText = fs.readFileSync(path.join(dir, METRICS_FILE), 'utf8');
    } catch {
      metricsText = '';
    }
    const { epochs, warnings } = parseMetricsLines(metricsText, `${path.relative(this.labDir, dir)}/${METRICS_FILE}`);
    const { grade, warning } = this.readGradeFile(id);
    if (warning) warnings.push(warning);
    return { record: r.record, epochs, grade, warnings };
  }

  /** The grade of a run, if it has a valid one. */
  readGrade(id: string): GradeReport | undefined {
    return this.readGradeFile(id).grade;
  }

  private readGradeFile(id: string): { grade?: GradeReport; warning?: string } {
    const gradeFile = path.join(this.runDir(id), GRADE_FILE);
    const rel = path.relative(this.labDir, gradeFile);
    if (!fs.existsSync(gradeFile)) return {};
    try {
      const parsed = GradeReport.safeParse(JSON.parse(fs.readFileSync(gradeFile, 'utf8')));
      return parsed.success ? { grade: parsed.data } : { warning: `${rel} is not a valid grade; ignored` };
    } catch {
      return { warning: `${rel} cannot be read; ignored` };
    }
  }

  /** Marks runs whose owning process is gone as interrupted. Returns their ids. */
  recoverInterrupted(isAlive: (pid: number) => boolean = pidAlive): string[] {
    const recovered: string[] = [];
    for (const run of this.list().runs) {
      if (run.status !== 'running') continue;
      // This process's own runs are live; another live process may still be running its own.
      if (run.hostPid === process.pid || isAlive(run.hostPid)) continue;
      const writer = new RunWriter(this.runDir(run.id), run);
      writer.update({
        status: 'interrupted',
        finishedAt: new Date().toISOString(),
        failure: { kind: 'interrupted', message: 'the run was interrupted: the program that started it stopped before it finished' },
      });
      recovered.push(run.id);
    }
    return recovered;
  }
}
