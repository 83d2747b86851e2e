// The grader: pure functions from (the lab's checks, a run's outputs, the learner's source) to
// results. Each failure carries the measured value, the bar, a hint that teaches, and where it can,
// the place in the learner's file it concerns.
import type { Check, LabManifest } from './labManifest';
import type { Hyperparameters, Metrics, SourceLocation } from './protocol';
import type { CheckResult, GradeProvenance, GradeReport } from './gradeReport';
import { locateAll, locatePattern, TODO_PATTERN, type SourceRange } from './sourceLocate';

export type GradedRunStatus = 'completed' | 'diverged' | 'failed' | 'cancelled' | 'timeout' | 'crashed' | 'oom' | 'interrupted' | 'running';

export interface GradeInput {
  manifest: LabManifest;
  run: {
    id: string;
    status: GradedRunStatus;
    /** Measured by the lab. */
    outputs?: Metrics;
    /** Reported by the learner's own process (e.g. which of its weights changed): shown as such. */
    reported?: Metrics;
    /** Per-epoch metrics, in order; `source` "learner" when the learner's process measured them. */
    epochs: { epoch: number; metrics: Metrics; source?: 'lab' | 'learner' }[];
    trainedBy?: 'lab' | 'learner';
    hyperparameters: Hyperparameters;
    diagnosis?: string;
    failure?: { kind: string; message: string; location?: SourceLocation };
  };
  /** Learner files by path relative to the lab folder; undefined when missing. */
  sources: Record<string, string | undefined>;
  provenance?: GradeProvenance;
}

type Format = 'number' | 'dollars' | 'percent' | 'integer';

export function formatValue(x: number | null | undefined, format: Format = 'number'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'not a number';
  switch (format) {
    case 'dollars':
      return `$${Math.round(x).toLocaleString('en-US')}`;
    case 'percent':
      return `${(x * 100).toFixed(1)}%`;
    case 'integer':
      return Math.round(x).toLocaleString('en-US');
    case 'number':
      if (Math.abs(x) >= 1e9 || (Math.abs(x) < 1e-3 && x !== 0)) return x.toExponential(2);
      if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
      return String(Number(x.toPrecision(4)));
  }
}

function fill(template: string, input: GradeInput, values: Record<string, string>): string {
  return template.replace(/\{([\w.]+)\}/g, (whole, key: string) => {
    if (key in values) return values[key];
    if (key.startsWith('hp.')) {
      const v = input.run.hyperparameters[key.slice(3)];
      return v === undefined ? whole : String(v);
    }
    if (key.startsWith('output.')) {
      const v = input.run.outputs?.[key.slice(7)];
      return v === undefined ? whole : formatValue(v);
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

const RAN = new Set<GradedRunStatus>(['completed', 'diverged']);

function result(
  check: Check,
  input: GradeInput,
  status: CheckResult['status'],
  message: string,
  extra: { measured?: string; bar?: string; location?: SourceRange; source?: 'lab' | 'learner' } = {},
): CheckResult {
  const values = { measured: extra.measured ?? '', bar: extra.bar ?? '', diagnosis: input.run.diagnosis ?? '' };
  const out: CheckResult = {
    id: check.id,
    title: check.title,
    status,
    optional: check.optional ?? false,
    message: fill(message, input, values),
  };
  if (extra.measured !== undefined) out.measured = extra.measured;
  if (extra.source === 'learner') out.source = 'learner';
  if (extra.bar !== undefined) out.bar = extra.bar;
  if (status === 'fail') {
    out.hint = fill(check.hint, input, values);
    const location = extra.location ?? anchor(check, input);
    if (location) out.location = location;
    if (location && check.fix && check.at) out.fix = check.fix;
  }
  return out;
}

function notMeasured(check: Check, input: GradeInput): CheckResult {
  return result(check, input, 'skip', `not measured: the run ${input.run.status === 'running' ? 'has not finished' : `ended as "${input.run.status}"`}`);
}

function series(input: GradeInput, name: string): (number | null)[] {
  return input.run.epochs.map((e) => (e.metrics[name] === undefined ? null : e.metrics[name]));
}

/** Whether a curve came from the learner's own process rather than the lab's loop. */
function curveSource(input: GradeInput): 'lab' | 'learner' {
  return input.run.epochs.some((e) => e.source === 'learner') ? 'learner' : 'lab';
}

/** An output: measured by the lab, or else reported by the learner's process (and marked so). */
function outputOf(input: GradeInput, name: string): { value: number | null | undefined; source: 'lab' | 'learner' } {
  const measured = input.run.outputs?.[name];
  if (measured !== undefined) return { value: measured, source: 'lab' };
  return { value: input.run.reported?.[name], source: input.run.reported && name in input.run.reported ? 'learner' : 'lab' };
}

function gradeCheck(check: Check, input: GradeInput): CheckResult {
  switch (check.kind) {
    case 'metric': {
      if (!RAN.has(input.run.status)) return notMeasured(check, input);
      const { value: v, source } = outputOf(input, check.metric);
      const f = check.format;
      const bar =
        check.min !== undefined && check.max !== undefined
          ? `between ${formatValue(check.min, f)} and ${formatValue(check.max, f)}`
          : check.max !== undefined
            ? `≤ ${formatValue(check.max, f)}`
            : `≥ ${formatValue(check.min, f)}`;
      const measured = formatValue(v, f);
      const ok = v !== null && v !== undefined && Number.isFinite(v) && (check.min === undefined || v >= check.min) && (check.max === undefined || v <= check.max);
      return result(check, input, ok ? 'pass' : 'fail', `${check.metric} is ${measured} (needs ${bar})`, { measured, bar, source });
    }
    case 'compare': {
      if (!RAN.has(input.run.status)) return notMeasured(check, input);
      const { value: v, source } = outputOf(input, check.metric);
      const b = outputOf(input, check.baseline).value;
      const f = check.format;
      const parts: string[] = [];
      if (check.maxRatio !== undefined) parts.push(`≤ ${check.maxRatio} × ${check.baseline} (${formatValue(b === null || b === undefined ? NaN : b * check.maxRatio, f)})`);
      if (check.minRatio !== undefined) parts.push(`≥ ${check.minRatio} × ${check.baseline} (${formatValue(b === null || b === undefined ? NaN : b * check.minRatio, f)})`);
      const bar = parts.join(' and ');
      const measured = formatValue(v, f);
      const finite = v !== null && v !== undefined && b !== null && b !== undefined && Number.isFinite(v) && Number.isFinite(b) && b !== 0;
      const ratio = finite ? v / b : NaN;
      const ok = finite && (check.maxRatio === undefined || ratio <= check.maxRatio) && (check.minRatio === undefined || ratio >= check.minRatio);
      const ratioText = finite ? ` (${ratio.toFixed(3)} × ${formatValue(b, f)})` : '';
      return result(check, input, ok ? 'pass' : 'fail', `${check.metric} is ${measured}${ratioText}; needs ${bar}`, { measured, bar, source });
    }
    case 'converged': {
      if (!RAN.has(input.run.status)) return notMeasured(check, input);
      const values = series(input, check.series);
      const bar = `falls by less than ${(check.maxRelativeDrop * 100).toFixed(0)}% over the last ${check.window} epochs`;
      if (input.run.status === 'diverged' || values.some((v) => v === null)) {
        return result(check, input, 'fail', `${check.series} did not settle: the run diverged`, { measured: 'diverged', bar });
      }
      if (values.length < check.window) {
        return result(check, input, 'fail', `only ${values.length} epochs were trained; at least ${check.window} are needed to tell whether ${check.series} has settled`, {
          measured: `${values.length} epochs`,
          bar,
        });
      }
      // Compare the best value inside the final window with the best before it: a noisy curve that
      // has plateaued does not count as "still falling", a curve still making new lows does.
      const finite = values as number[];
      const before = Math.min(...finite.slice(0, finite.length - check.window + 1));
      const inWindow = Math.min(...finite.slice(-check.window + 1));
      const drop = before > 0 ? (before - inWindow) / before : 0;
      const measured = `${(Math.max(drop, 0) * 100).toFixed(1)}%`;
      return result(
        check,
        input,
        drop <= check.maxRelativeDrop ? 'pass' : 'fail',
        drop <= check.maxRelativeDrop
          ? `${check.series} has settled (improved ${measured} over the last ${check.window} epochs)`
          : `${check.series} was still falling at the end: down ${measured} over the last ${check.window} epochs`,
        { measured, bar, source: curveSource(input) },
      );
    }
    case 'stable': {
      if (!RAN.has(input.run.status)) return notMeasured(check, input);
      const values = series(input, check.series);
      const bar = `stays finite, and within ${check.maxRiseRatio} × its lowest value so far over the last ${check.window} epochs`;
      if (input.run.status === 'diverged' || values.some((v) => v === null)) {
        const why = input.run.diagnosis ?? `${check.series} became NaN or infinite`;
        return result(check, input, 'fail', why, { measured: 'diverged', bar });
      }
      if (values.length === 0) return result(check, input, 'fail', 'no epochs were trained', { measured: '0 epochs', bar });
      // Each of the final epochs is compared with the lowest value before it: a curve that is still
      // descending passes whatever its start, one that jumps back up (blows up, or bounces because
      // the rate is too high) fails even if its very last value happens to be low.
      const finite = values as number[];
      let worst = 1;
      let worstEpoch = 0;
      let lowest = finite[0];
      for (let t = 1; t < finite.length; t++) {
        if (t >= finite.length - check.window) {
          const rise = lowest > 0 ? finite[t] / lowest : finite[t] <= lowest ? 1 : Infinity;
          if (rise > worst) [worst, worstEpoch] = [rise, t + 1];
        }
        lowest = Math.min(lowest, finite[t]);
      }
      const ok = worst <= check.maxRiseRatio;
      const measured = `${worst.toFixed(2)} ×`;
      return result(
        check,
        input,
        ok ? 'pass' : 'fail',
        ok
          ? `${check.series} stayed stable`
          : `${check.series} is unstable: at epoch ${worstEpoch} it jumped to ${worst.toFixed(1)} × its lowest value before`,
        { measured, bar, source: curveSource(input) },
      );
    }
    case 'code': {
      const text = input.sources[check.file];
      if (text === undefined) return result(check, input, 'fail', `${check.file} is missing`);
      if (check.rule === 'no-todo') {
        const todos = locateAll(check.file, text, new RegExp(TODO_PATTERN.source, 'g'));
        const ok = todos.length === 0;
        return result(check, input, ok ? 'pass' : 'fail', ok ? 'no TODO left' : `${todos.length} TODO${todos.length === 1 ? '' : 's'} left in ${check.file}`, {
          measured: `${todos.length} TODO${todos.length === 1 ? '' : 's'}`,
          bar: 'none left',
          location: todos[0],
        });
      }
      // The pattern is lab.json text (possibly a folder's own): searched with a time bound.
      const where = locatePattern(check.file, text, check.pattern ?? '');
      if (check.rule === 'forbid') {
        return result(check, input, where ? 'fail' : 'pass', where ? `${check.file} uses something this lab does not allow` : 'nothing forbidden used', {
          location: where,
        });
      }
      return result(check, input, where ? 'pass' : 'fail', where ? 'found what the lab asks for' : `${check.file} does not do what this check looks for yet`);
    }
  }
}

const RUN_CHECK_TITLE = 'The run finishes';

/** The first result: did the run itself finish? Its failure carries the runner's diagnosis. */
function runResult(input: GradeInput): CheckResult {
  const { status, failure, diagnosis } = input.run;
  const base = { id: 'run', title: RUN_CHECK_TITLE, optional: false };
  if (status === 'completed') return { ...base, status: 'pass', message: 'the run finished and was evaluated on the held-out data' };
  if (status === 'diverged') {
    return { ...base, status: 'fail', message: diagnosis ?? 'the loss diverged', hint: 'Lower the learning rate, or scale the inputs and label so the loss starts near 1.' };
  }
  const message = failure?.message ?? `the run ended as "${status}"`;
  const out: CheckResult = { ...base, status: 'fail', message, hint: hintForFailure(failure?.kind ?? status) };
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
      return 'The harness needs your file to export what the instructions describe, with values of the right type and range.';
    case 'timeout':
      return 'Look for a loop that never ends, or reduce the work (fewer epochs, bigger batches, a smaller model).';
    case 'oom':
      return 'Dispose tensors you no longer need (tf.tidy, tensor.dispose()) and avoid keeping large arrays alive.';
    case 'cancelled':
    case 'interrupted':
      return 'Run the lab again to get a grade.';
    default:
      return 'Run the lab again; if it keeps failing, the output panel shows what the runner printed.';
  }
}

export function grade(input: GradeInput, now = new Date()): GradeReport {
  const results = [runResult(input), ...input.manifest.checks.map((c) => gradeCheck(c, input))];
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
