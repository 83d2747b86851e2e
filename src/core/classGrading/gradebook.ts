// A class's gradebook. The journal (gradebook.jsonl) is its source of truth: one line per grading,
// appended as each ends, so a grading of the class killed at any moment keeps every grade made so
// far, and the next run skips the learners whose files and lab manifest are unchanged. The CSV and
// the JSON are views of it, rewritten whole (atomically) when a run ends.
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as z from 'zod/mini';
import '../zodMessages';
import { canonicalJson } from '../canonicalJson';
import { GradeReport } from '../grade/report';
import { checksCount, GRADING_STATUSES, type GradingOutcome, type GradingStatus } from './outcome';

export const GradebookRow = z.object({
  learner: z.string(),
  /** The submission folder's name as found (the learner name may be a cleaned form of it). */
  folder: z.string(),
  passed: z.boolean(),
  checksPassed: z.int(),
  checksTotal: z.int(),
  metric: z.optional(z.string()),
  value: z.optional(z.nullable(z.number())),
  status: z.enum(GRADING_STATUSES as unknown as [GradingStatus, ...GradingStatus[]]),
  reason: z.optional(z.string()),
  /** sha256 of the learner's files; with the manifest and settings, what "unchanged" means. */
  filesSha256: z.optional(z.string()),
  manifestSha256: z.string(),
  /** A digest of the grading settings (backend, time budget, memory, secret) the grade was made with. */
  settings: z.string(),
  gradedAt: z.string(),
  gradedBy: z.optional(z.string()),
  durationMs: z.optional(z.number()),
  seedPolicy: z.optional(z.string()),
  grade: z.optional(GradeReport),
});
export type GradebookRow = z.infer<typeof GradebookRow>;

export interface GradebookPaths {
  csv: string;
  json: string;
  journal: string;
  /** One JUnit file per learner. */
  junitDir: string;
}

/** gradebook.csv → gradebook.json, gradebook.jsonl, gradebook-junit/. */
export function gradebookPaths(csv: string): GradebookPaths {
  const abs = path.resolve(csv);
  const base = abs.replace(/\.csv$/i, '');
  return { csv: abs, json: `${base}.json`, journal: `${base}.jsonl`, junitDir: `${base}-junit` };
}

/** The settings a grade depends on besides files and manifest, as a short digest. */
export function settingsDigest(settings: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex').slice(0, 16);
}

export interface RowInput {
  learner: string;
  folder: string;
  filesSha256?: string;
  manifestSha256: string;
  settings: string;
  metric?: string;
}

export function rowOf(input: RowInput, outcome: GradingOutcome, now = new Date()): GradebookRow {
  const counts = checksCount(outcome.grade);
  const value = input.metric !== undefined ? outcome.outputs?.[input.metric] : undefined;
  return {
    learner: input.learner,
    folder: input.folder,
    passed: outcome.grade?.passed === true,
    checksPassed: counts.passed,
    checksTotal: counts.total,
    ...(input.metric !== undefined ? { metric: input.metric } : {}),
    ...(value !== undefined ? { value } : {}),
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(input.filesSha256 ? { filesSha256: input.filesSha256 } : {}),
    manifestSha256: input.manifestSha256,
    settings: input.settings,
    gradedAt: now.toISOString(),
    ...(outcome.gradedBy ? { gradedBy: outcome.gradedBy } : {}),
    ...(outcome.durationMs !== undefined ? { durationMs: outcome.durationMs } : {}),
    ...(outcome.seedPolicy ? { seedPolicy: outcome.seedPolicy } : {}),
    ...(outcome.grade ? { grade: outcome.grade } : {}),
  };
}

/** Whether an earlier row still stands for a submission: same files, manifest and settings, and a real grade. */
export function stillValid(row: GradebookRow | undefined, input: RowInput): boolean {
  return (
    row !== undefined &&
    row.status !== 'error' &&
    row.filesSha256 === input.filesSha256 &&
    row.manifestSha256 === input.manifestSha256 &&
    row.settings === input.settings &&
    row.folder === input.folder
  );
}

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
function cell(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = ['learner', 'passed', 'checks_passed', 'checks_total', 'metric', 'value', 'status', 'reason'] as const;

export function toCsv(rows: readonly GradebookRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.learner, r.passed ? 'yes' : 'no', r.checksPassed, r.checksTotal, r.metric, r.value, r.status, r.reason?.replace(/\s+/g, ' ')].map(cell).join(','),
    );
  }
  return lines.join('\n') + '\n';
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

export class Gradebook {
  readonly paths: GradebookPaths;
  /** The latest row of each learner, from the journal. */
  readonly rows = new Map<string, GradebookRow>();
  readonly warnings: string[] = [];

  constructor(csv: string) {
    this.paths = gradebookPaths(csv);
    this.load();
  }

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.paths.journal, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: ReturnType<typeof GradebookRow.safeParse> | undefined;
      try {
        parsed = GradebookRow.safeParse(JSON.parse(line));
      } catch {
        parsed = undefined;
      }
      if (parsed?.success) this.rows.set(parsed.data.learner, parsed.data);
      else if (i === lines.length - 1)
        this.warnings.push(`${path.basename(this.paths.journal)}: the last line is incomplete (a grading was stopped while writing it) and was skipped`);
      else this.warnings.push(`${path.basename(this.paths.journal)}: line ${i + 1} is not a gradebook row and was skipped`);
    });
    // A torn last line would swallow the next row: cut it off.
    if (text.length > 0 && !text.endsWith('\n')) fs.truncateSync(this.paths.journal, text.lastIndexOf('\n') + 1);
  }

  /** Appends a row to the journal (one write: a kill tears at most this line). */
  record(row: GradebookRow): void {
    fs.mkdirSync(path.dirname(this.paths.journal), { recursive: true });
    fs.appendFileSync(this.paths.journal, JSON.stringify(row) + '\n');
    this.rows.set(row.learner, row);
  }

  /** Writes the CSV and the JSON for these learners (in this order), from their latest rows. */
  write(learners: readonly string[], header: Record<string, unknown>): GradebookRow[] {
    const rows = learners.map((l) => this.rows.get(l)).filter((r): r is GradebookRow => r !== undefined);
    writeAtomic(this.paths.csv, toCsv(rows));
    writeAtomic(this.paths.json, JSON.stringify({ ...header, writtenAt: new Date().toISOString(), learners: rows }, null, 2) + '\n');
    return rows;
  }
}
