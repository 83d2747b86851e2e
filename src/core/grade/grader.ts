// The grader: pure functions from (the lab's checks, a run's outputs and evidence, the learner's
// source) to results. Each failure carries the measured value, the bar, a hint that names the cause
// the evidence shows (see diagnose.ts) and, where it can, the place in the learner's file it concerns.
import { RUN_CHECK_ID, type Check } from '../lab/manifest';
import { ERROR_KINDS, type SourceLocation } from '../run/protocol';
import { RUN_STATUSES } from '../run/store';
export { RUN_CHECK_ID };
import type { CheckResult, GradeReport } from './report';
import { locatePattern, type SourceRange } from '../source/locate';
import type { CauseContext } from './causes';
import { CHECK_KINDS, type CheckOutcome } from './checks';
import type { CheckContext, GradedRunStatus, GradeInput } from './input';
import { diagnose } from './diagnose';
import { Evidence } from './evidence';
import { formatMetric } from '../format';

export type { CheckContext, GradedRunStatus, GradeInput } from './input';

const RAN = new Set<GradedRunStatus>(['completed', 'diverged']);

function fill(template: string, input: GradeInput, values: Record<string, string>): string {
  return template.replace(/\{([\w.@]+)\}/g, (whole, key: string) => {
    if (key in values) return values[key];
    if (key.startsWith('hp.')) {
      const v = input.run.hyperparameters[key.slice(3)];
      return v === undefined ? whole : String(v);
    }
    if (key.startsWith('output.')) {
      const name = key.slice(7);
      const v = input.run.outputs?.[name] ?? input.run.reported?.[name];
      return v === undefined ? whole : formatMetric(name, v, input.manifest);
    }
    return whole;
  });
}

function anchor(check: Check, input: GradeInput): SourceRange | undefined {
  if (!check.at) return undefined;
  const text = input.sources[check.at.file];
  return text === undefined ? undefined : locatePattern(check.at.file, text, check.at.pattern);
}

function pointRange(loc: SourceLocation): SourceRange {
  return { file: loc.file, line: loc.line, column: loc.column, endLine: loc.line, endColumn: loc.column + 1 };
}

function notMeasured(check: Check, input: GradeInput): CheckResult {
  const why = input.run.status === 'running' ? 'the run has not finished' : `the run did not train (it ${STATUS_WORDS[input.run.status] ?? 'stopped'})`;
  return { id: check.id, title: check.title, status: 'skip', optional: check.optional ?? false, message: `not measured: ${why}` };
}

const STATUS_WORDS: Partial<Record<GradedRunStatus, string>> = {
  failed: 'failed',
  cancelled: 'was cancelled',
  timeout: 'ran out of time',
  crashed: 'crashed',
  oom: 'ran out of memory',
  interrupted: 'was interrupted',
};

function context(input: GradeInput): CheckContext {
  const parsed = Evidence.safeParse(input.run.evidence);
  const cause: CauseContext = {
    ...(parsed.success ? { evidence: parsed.data } : {}),
    outputs: { ...(input.run.reported ?? {}), ...(input.run.outputs ?? {}) },
    hyperparameters: input.run.hyperparameters,
    epochs: input.run.epochs,
    status: input.run.status,
    ...(input.manifest.classification ? { classes: input.manifest.classification.classes } : {}),
    ...(input.manifest.labelUnit ? { labelUnit: input.manifest.labelUnit } : {}),
  };
  return {
    input,
    cause,
    output: (name) => {
      const measured = input.run.outputs?.[name];
      if (measured !== undefined) return { value: measured, source: 'lab' };
      return { value: input.run.reported?.[name], source: input.run.reported && name in input.run.reported ? 'learner' : 'lab' };
    },
    curveSource: () => (input.run.epochs.some((e) => e.source === 'learner') ? 'learner' : 'lab'),
  };
}

function gradeCheck(check: Check, ctx: CheckContext): CheckResult {
  const { input } = ctx;
  const needsRun = check.kind !== 'code';
  if (needsRun && !RAN.has(input.run.status)) return notMeasured(check, input);
  const outcome: CheckOutcome = (CHECK_KINDS[check.kind] as (c: Check, x: CheckContext) => CheckOutcome)(check, ctx);
  const values = { measured: outcome.measured ?? '', bar: outcome.bar ?? '', diagnosis: input.run.diagnosis ?? '' };
  const out: CheckResult = { id: check.id, title: check.title, status: outcome.status, optional: check.optional ?? false, message: outcome.message };
  if (outcome.measured !== undefined) out.measured = outcome.measured;
  if (outcome.bar !== undefined) out.bar = outcome.bar;
  if (outcome.source === 'learner') out.source = 'learner';
  if (outcome.status !== 'fail') return out;
  // The cause: what the evidence shows (an outcome may know it already, e.g. a stuck curve).
  const causes = outcome.cause ? [outcome.cause, ...(check.causes ?? []).filter((c) => c !== outcome.cause)] : check.causes;
  const found = diagnose(
    { ...check, causes },
    {
      manifest: input.manifest,
      context: ctx.cause,
      sources: input.sources,
      format: (name, v) => formatMetric(name, v, input.manifest),
    },
  );
  out.hint = found ? found.hint : fill(check.hint, input, values);
  out.cause = found?.cause ?? 'unexplained';
  const location = found?.location ?? outcome.location ?? anchor(check, input);
  if (location) out.location = location;
  // A quick fix belongs to the check's own anchor (the value it replaces, which may not be where the
  // diagnosis points): offered when the diagnosis agrees with it (its first cause, or a cause that
  // points at that same place).
  const fixAt = check.fix ? anchor(check, input) : undefined;
  const samePlace =
    !!fixAt && !!found?.location && found.location.file === fixAt.file && found.location.line === fixAt.line && found.location.column === fixAt.column;
  if (fixAt && check.fix && (!found || found.cause === check.causes?.[0] || samePlace)) out.fix = { ...check.fix, range: fixAt };
  return out;
}

const RUN_CHECK_TITLE = 'The run finishes';

/** The causes a run that did not train is put down to (a wrong solution may name one). */
export const RUN_FAILURE_CAUSES: ReadonlySet<string> = new Set(['wrong-shapes', 'rate-too-high', ...ERROR_KINDS, ...RUN_STATUSES]);

/** The first result: did the run itself finish? Its failure carries the runner's diagnosis. */
function runResult(input: GradeInput): CheckResult {
  const { status, failure, diagnosis } = input.run;
  const base = { id: RUN_CHECK_ID, title: RUN_CHECK_TITLE, optional: false };
  if (status === 'completed') return { ...base, status: 'pass', message: 'the run finished and was measured on the held-out data' };
  if (status === 'diverged') {
    return {
      ...base,
      status: 'fail',
      message: diagnosis ?? 'the loss diverged',
      hint: 'Lower the learning rate, or scale the inputs and label so the loss starts near 1.',
      cause: 'rate-too-high',
    };
  }
  const message = failure?.message ?? `the run did not train (it ${STATUS_WORDS[status] ?? 'stopped'})`;
  // A tensor of the wrong shape is a cause of its own, whatever raised it.
  const cause = failure?.kind === 'learner' && /\bshape\b|dimensions|ndim/.test(message) ? 'wrong-shapes' : (failure?.kind ?? status);
  const out: CheckResult = { ...base, status: 'fail', message, hint: hintForFailure(failure?.kind ?? status), cause };
  if (failure?.location) out.location = pointRange(failure.location);
  return out;
}

function hintForFailure(kind: string): string {
  switch (kind) {
    case 'compile':
      return 'Fix the syntax error at the marked line; the editor underlines it too.';
    case 'learner':
      return 'Your code threw an exception at the marked line. Read the message, fix the cause, and run again.';
    case 'contract':
      return 'The lab needs your file to export what the instructions describe, with values of the right type and range.';
    case 'timeout':
      return 'Look for a loop that never ends, or reduce the work (fewer epochs, bigger batches, a smaller model).';
    case 'oom':
      return 'Dispose tensors you no longer need (tf.tidy, tensor.dispose()) and avoid keeping large arrays alive.';
    case 'protocol':
      return "Remove any code that writes to the lab's channel (process.send, file descriptor 3): only the lab talks there.";
    case 'cancelled':
    case 'interrupted':
      return 'Run the lab again to get a grade.';
    default:
      return 'Run the lab again; if it keeps failing, the output panel shows what the runner printed.';
  }
}

export function grade(input: GradeInput, now = new Date()): GradeReport {
  const ctx = context(input);
  const results = [runResult(input), ...input.manifest.checks.map((c) => gradeCheck(c, ctx))];
  const required = results.filter((r) => !r.optional);
  const passedCount = required.filter((r) => r.status === 'pass').length;
  const passed = required.every((r) => r.status === 'pass');
  return {
    formatVersion: 1,
    lab: input.manifest.id,
    runId: input.run.id,
    gradedAt: now.toISOString(),
    passed,
    summary: passed ? `all ${required.length} checks passed` : `${passedCount} of ${required.length} checks passed`,
    results,
    ...(input.provenance ? { provenance: input.provenance } : {}),
  };
}
