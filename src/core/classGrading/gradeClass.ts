// Grading a whole class: every learner's folder is an official grading, run by a Grader — local
// processes (LocalGrader) or workers through the queue (queue/grader.ts) — and recorded in the
// gradebook's journal as it ends. Learners graded before with the same files, manifest and settings
// are skipped; a submission that crashes, hangs, forges or floods is one failed row, never a stall.
import type { Lab } from '../lab/catalog';
import { mainMetric, outcomeWithoutRun, type GradingOutcome } from './outcome';
import { Gradebook, rowOf, stillValid, type GradebookRow, type RowInput } from './gradebook';
import { filesDigest, listSubmissions } from './submissions';

export interface GradingRequest {
  learner: string;
  files: Record<string, Buffer>;
}

/** Runs official gradings of one lab. */
export interface Grader {
  /** Gradings at once (for the estimate of the time left); Infinity when workers decide. */
  readonly parallel: number;
  /** One grading; undefined when it was stopped by `signal` (nothing to record). */
  grade(request: GradingRequest, signal: AbortSignal): Promise<GradingOutcome | undefined>;
}

export interface ClassPlan {
  /** Learners in the folder. */
  total: number;
  /** Learners whose earlier grade stands (unchanged files, manifest and settings). */
  skipped: number;
  /** Entries that are not learners' folders. */
  ignored: string[];
}

export interface ClassGradingOptions {
  submissionsDir: string;
  lab: Lab;
  grader: Grader;
  gradebook: Gradebook;
  /** The grading settings the grades depend on (backend, time budget, memory, secret). */
  settings: string;
  signal?: AbortSignal;
  onPlan?(plan: ClassPlan): void;
  /** A learner was graded now (not skipped); `row` is already in the journal. */
  onGraded?(row: GradebookRow): void;
}

export interface ClassGradingResult {
  /** Every learner's row, in folder order (those graded now and those skipped). */
  rows: GradebookRow[];
  graded: number;
  skipped: number;
  /** Rows whose grading ended in an error (graded again next time). */
  errors: number;
  /** The run was stopped before every learner was graded. */
  stopped: boolean;
  ignored: string[];
}

export async function gradeClass(options: ClassGradingOptions): Promise<ClassGradingResult> {
  const { lab, gradebook } = options;
  const signal = options.signal ?? new AbortController().signal;
  const { submissions, skipped: ignored } = listSubmissions(options.submissionsDir, lab.manifest);
  const metric = mainMetric(lab.manifest);
  const inputs = submissions.map((s) => ({
    submission: s,
    input: {
      learner: s.learner,
      folder: s.folder,
      ...(s.files ? { filesSha256: filesDigest(s.files) } : {}),
      manifestSha256: lab.sha256,
      settings: options.settings,
      ...(metric ? { metric } : {}),
    } satisfies RowInput,
  }));
  const todo = inputs.filter(({ input }) => !stillValid(gradebook.rows.get(input.learner), input));
  options.onPlan?.({ total: inputs.length, skipped: inputs.length - todo.length, ignored });

  let graded = 0;
  const record = (input: RowInput, outcome: GradingOutcome) => {
    const row = rowOf(input, outcome);
    gradebook.record(row);
    graded++;
    options.onGraded?.(row);
  };
  await Promise.all(
    todo.map(async ({ submission, input }) => {
      if (signal.aborted) return;
      if (!submission.files) return record(input, outcomeWithoutRun('refused', submission.problem ?? 'the submission cannot be read'));
      let outcome: GradingOutcome | undefined;
      try {
        outcome = await options.grader.grade({ learner: submission.learner, files: submission.files }, signal);
      } catch (err) {
        outcome = outcomeWithoutRun('error', `the grading could not run: ${(err as Error).message}`);
      }
      // Stopped by the user: nothing was decided about this learner.
      if (outcome && !signal.aborted) record(input, outcome);
    }),
  );
  const rows = inputs.map(({ input }) => gradebook.rows.get(input.learner)).filter((r): r is GradebookRow => r !== undefined);
  return {
    rows,
    graded,
    skipped: inputs.length - todo.length,
    errors: rows.filter((r) => r.status === 'error').length,
    stopped: signal.aborted,
    ignored,
  };
}
