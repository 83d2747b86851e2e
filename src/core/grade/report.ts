// The grader's output: one result per check, stored as grade.json and shown everywhere a grade shows.
import * as z from 'zod/mini';
import '../zodMessages';

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
  /** A safe edit that fixes the failure: replace `range` (the check's own anchor, else `location`) with `replacement`. */
  fix: z.optional(z.object({ title: z.string(), replacement: z.string(), range: z.optional(SourceRange) })),
  /** "learner" when the check read what the learner's own process reported (not measured by the lab). */
  source: z.optional(z.enum(['lab', 'learner'])),
  /** The cause the diagnosis found for a failure (an id, for tools and tests; the hint says it in words). */
  cause: z.optional(z.string()),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** Whose bars, from which run, measured how: said with every grade. */
export const GradeProvenance = z.object({
  /** The course's manifest (from the install, checked against the build) or the folder's own (a lab in development). */
  manifest: z.enum(['course', 'folder']),
  manifestSha256: z.optional(z.string()),
  /** A run just made, a recorded run graded again, or an official grading (fresh scaffold, learner files only). */
  from: z.enum(['run', 'recorded', 'official']),
  /** Who trained the model: the lab's own loop, or the learner's process (its curve is then reported, not measured). */
  trainedBy: z.optional(z.enum(['lab', 'learner'])),
  confinement: z.optional(z.object({ active: z.boolean(), detail: z.string() })),
  /** How the held-out rows were chosen: the lab's published split, or a secret one. */
  split: z.optional(z.enum(['lab', 'secret'])),
  backend: z.optional(z.string()),
  versions: z.optional(z.record(z.string(), z.string())),
});
export type GradeProvenance = z.infer<typeof GradeProvenance>;

export const GradeReport = z.object({
  formatVersion: z.literal(1),
  lab: z.string(),
  runId: z.string(),
  gradedAt: z.string(),
  passed: z.boolean(),
  summary: z.string(),
  results: z.array(CheckResult),
  provenance: z.optional(GradeProvenance),
});
export type GradeReport = z.infer<typeof GradeReport>;

/** The provenance of a grade in plain words, one line each: whose bars, which run, who trained, how confined. */
export function describeProvenance(p: GradeProvenance | undefined, lab: string, runId: string): string[] {
  if (!p) return [];
  const lines: string[] = [];
  lines.push(
    p.manifest === 'course'
      ? `bars: the course's "${lab}" lab, as installed and checked against this ML Labs build`
      : `bars: this folder's own lab.json — "${lab}" is a lab in development, not a lab of the course`,
  );
  if (p.from === 'recorded') lines.push(`graded from the recorded run ${runId} (its files verified), not a new run`);
  else if (p.from === 'official') lines.push('official grading: a fresh copy of the course lab with only your files, nothing recorded re-used');
  if (p.split === 'secret') lines.push('held-out rows: a secret split, unknown in advance');
  if (p.trainedBy === 'learner')
    lines.push('trained by your code (the lab needs your training step), so its curve is as your code reported it; the score is measured by the lab');
  else if (p.trainedBy === 'lab') lines.push("trained and measured by the lab's own loop, outside your code's process");
  if (p.confinement)
    lines.push(
      `your code ran ${p.confinement.active ? 'confined' : 'unconfined'}: ${p.confinement.detail.replace(/^(not )?confined[: ]*(by )?/, (m) => (m.startsWith('not') ? '' : 'by '))}`,
    );
  return lines;
}
