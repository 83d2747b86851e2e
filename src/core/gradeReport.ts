// The grader's output: one result per check, stored as grade.json and shown everywhere a grade shows.
import * as z from 'zod/mini';
import './zodLocale';

export const SourceRange = z.object({
  file: z.string(),
  line: z.int().check(z.minimum(1)),
  column: z.int().check(z.minimum(1)),
  endLine: z.int().check(z.minimum(1)),
  endColumn: z.int().check(z.minimum(1)),
});

export const CheckResult = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'skip']),
  optional: z.boolean(),
  /** What was measured, formatted for people (e.g. "$118,204"). */
  measured: z.optional(z.string()),
  /** The bar it was held to (e.g. "≤ $121,000"). */
  bar: z.optional(z.string()),
  message: z.string(),
  /** What to change and why; present on failures. */
  hint: z.optional(z.string()),
  location: z.optional(SourceRange),
  /** A safe edit that fixes the failure: replace `location` with `replacement`. */
  fix: z.optional(z.object({ title: z.string(), replacement: z.string() })),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const GradeReport = z.object({
  formatVersion: z.literal(1),
  lab: z.string(),
  runId: z.string(),
  gradedAt: z.string(),
  passed: z.boolean(),
  summary: z.string(),
  results: z.array(CheckResult),
});
export type GradeReport = z.infer<typeof GradeReport>;
