// What one official grading of one submission produced, wherever it ran (a local process or a worker
// on another machine): the same shape, so that the gradebook does not care where a grade came from.
import * as z from 'zod/mini';
import '../zodMessages';
import { OfficialGradingError, type OfficialResult } from '../grade/official';
import { GradeReport } from '../grade/report';
import type { Check, LabManifest } from '../lab/manifest';
import { Metrics } from '../run/protocol';
import { RUN_STATUSES } from '../run/store';

/**
 * A run's end status; "refused": the files were refused before anything ran (too large, not the
 * lab's); "error": no grade could be made (a worker was lost for good, a result did not verify) —
 * such a learner is graded again when the class is graded again.
 */
export const GRADING_STATUSES = [...RUN_STATUSES.filter((s) => s !== 'running'), 'refused', 'error'] as const;
export type GradingStatus = Exclude<(typeof RUN_STATUSES)[number], 'running'> | 'refused' | 'error';

export const GradingOutcome = z.object({
  kind: z.literal('grade'),
  status: z.enum(GRADING_STATUSES as unknown as [GradingStatus, ...GradingStatus[]]),
  /** Why the run did not pass, in words (the failure, or the checks that failed). */
  reason: z.optional(z.string()),
  grade: z.optional(GradeReport),
  durationMs: z.optional(z.number()),
  outputs: z.optional(Metrics),
  backend: z.optional(z.string()),
  /** How the held-out rows and the seed were chosen. */
  seedPolicy: z.optional(z.string()),
  /** Which grading secret chose them (a public name of it), if one did. */
  secretId: z.optional(z.string()),
  /** Who graded: "local", or a worker's host and process. */
  gradedBy: z.optional(z.string()),
});
export type GradingOutcome = z.infer<typeof GradingOutcome>;

/** The failed required checks of a grade, as one line. */
export function failedChecks(grade: GradeReport): string {
  const failed = grade.results.filter((r) => r.status === 'fail' && !r.optional);
  return failed.length ? `failed: ${failed.map((r) => r.title).join('; ')}` : '';
}

export function outcomeOfOfficial(result: OfficialResult, extra: { secretId?: string; gradedBy?: string } = {}): GradingOutcome {
  const { record, grade } = result;
  const reason = record.status === 'completed' ? failedChecks(grade) : (record.failure?.message ?? record.diagnosis ?? `the run ended as "${record.status}"`);
  return {
    kind: 'grade',
    status: record.status as GradingOutcome['status'],
    ...(reason ? { reason } : {}),
    grade,
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
    ...(record.outputs ? { outputs: record.outputs } : {}),
    ...(record.backend ? { backend: record.backend } : {}),
    seedPolicy: result.seedPolicy,
    ...(extra.secretId ? { secretId: extra.secretId } : {}),
    ...(extra.gradedBy ? { gradedBy: extra.gradedBy } : {}),
  };
}

/** A grading that never ran: refused files (the learner's doing) or an error (the graders'). */
export function outcomeWithoutRun(status: 'refused' | 'error' | 'cancelled', reason: string, gradedBy?: string): GradingOutcome {
  return { kind: 'grade', status, reason, ...(gradedBy ? { gradedBy } : {}) };
}

/** An exception of gradeOfficial as an outcome: refused files are the submission's fault, the rest is not. */
export function outcomeOfError(err: unknown, gradedBy?: string): GradingOutcome {
  const message = err instanceof Error ? err.message : String(err);
  return outcomeWithoutRun(err instanceof OfficialGradingError ? 'refused' : 'error', message, gradedBy);
}

export function isPassed(outcome: GradingOutcome): boolean {
  return outcome.grade?.passed === true;
}

export interface ChecksCount {
  passed: number;
  total: number;
}

/** Required checks passed / required checks, as the grade's summary counts them. */
export function checksCount(grade: GradeReport | undefined): ChecksCount {
  if (!grade) return { passed: 0, total: 0 };
  const required = grade.results.filter((r) => !r.optional);
  return { passed: required.filter((r) => r.status === 'pass').length, total: required.length };
}

/**
 * The lab's main measured value, the one a gradebook shows: the first check that measures a held-out
 * output (test_rmse, test_loss, test_accuracy…), else the first check that measures any output.
 */
export function mainMetric(manifest: LabManifest): string | undefined {
  const measuring = manifest.checks.filter((c): c is Extract<Check, { kind: 'metric' | 'compare' }> => c.kind === 'metric' || c.kind === 'compare');
  return (measuring.find((c) => c.metric.startsWith('test_')) ?? measuring[0])?.metric;
}
