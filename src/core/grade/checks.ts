// One small function per kind of check: from the run to pass or fail, with what was measured and the
// bar, in plain words. Why a failing check failed is the diagnosis's business (diagnose.ts).
import type { Check } from '../lab/manifest';
import type { SourceRange } from '../source/locate';
import { locateAll, locatePattern, TODO_PATTERN } from '../source/locate';
import { curveFacts, isStuck, seriesOf } from './curves';
import { formatNumber, formatValue } from '../format';
import type { CheckContext } from './input';
import { capitalize, outputWords, seriesWords } from './words';

export interface CheckOutcome {
  status: 'pass' | 'fail' | 'skip';
  message: string;
  measured?: string;
  bar?: string;
  source?: 'lab' | 'learner';
  location?: SourceRange;
  /** A cause the check itself established (e.g. a stuck curve), tried before the check's own list. */
  cause?: string;
}

type Of<K extends Check['kind']> = Extract<Check, { kind: K }>;
type Kind<K extends Check['kind']> = (check: Of<K>, ctx: CheckContext) => CheckOutcome;

function isNum(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

const metric: Kind<'metric'> = (check, ctx) => {
  const { value: v, source } = ctx.output(check.metric);
  const f = check.format;
  const bar =
    check.min !== undefined && check.max !== undefined
      ? `between ${formatValue(check.min, f)} and ${formatValue(check.max, f)}`
      : check.max !== undefined
        ? `at most ${formatValue(check.max, f)}`
        : `at least ${formatValue(check.min, f)}`;
  const measured = formatValue(v, f);
  const ok = isNum(v) && (check.min === undefined || v >= check.min) && (check.max === undefined || v <= check.max);
  const what = check.measures ?? outputWords(check.metric);
  return { status: ok ? 'pass' : 'fail', message: `${capitalize(what)} is ${measured}; the bar is ${bar}`, measured, bar, source };
};

const compare: Kind<'compare'> = (check, ctx) => {
  const { value: v, source } = ctx.output(check.metric);
  const b = ctx.output(check.baseline).value;
  const f = check.format;
  const against = check.against ?? outputWords(check.baseline);
  const finite = isNum(v) && isNum(b) && b !== 0;
  const parts: string[] = [];
  if (check.maxRatio !== undefined)
    parts.push(`at most ${formatValue(isNum(b) ? b * check.maxRatio : NaN, f)} (${formatNumber(check.maxRatio)} × ${isNum(b) ? formatValue(b, f) : 'it'})`);
  if (check.minRatio !== undefined)
    parts.push(`at least ${formatValue(isNum(b) ? b * check.minRatio : NaN, f)} (${formatNumber(check.minRatio)} × ${isNum(b) ? formatValue(b, f) : 'it'})`);
  const bar = parts.join(' and ');
  const measured = formatValue(v, f);
  const ratio = finite ? v / b : NaN;
  const ok = finite && (check.maxRatio === undefined || ratio <= check.maxRatio) && (check.minRatio === undefined || ratio >= check.minRatio);
  const what = check.measures ?? outputWords(check.metric);
  const relation = finite ? `, ${ratio.toFixed(3)} × ${against} (${formatValue(b, f)})` : ` (${against}: ${formatValue(b, f)})`;
  return { status: ok ? 'pass' : 'fail', message: `${capitalize(what)} is ${measured}${relation}; the bar is ${bar}`, measured, bar, source };
};

const converged: Kind<'converged'> = (check, ctx) => {
  const { input } = ctx;
  const values = seriesOf(input.run.epochs, check.series);
  const name = seriesWords(check.series);
  const bar = `a fall of less than ${formatNumber(check.maxRelativeDrop * 100)} % over the last ${check.window} epochs, after learning something`;
  const source = ctx.curveSource();
  if (input.run.status === 'diverged' || values.some((v) => v === null)) {
    return { status: 'fail', message: `${capitalize(name)} never settled: the loss diverged`, measured: 'diverged', bar, source, cause: 'rate-too-high' };
  }
  if (values.length < check.window) {
    return {
      status: 'fail',
      message: `only ${values.length} epochs were trained; ${check.window} are needed to tell whether ${name} has settled`,
      measured: `${values.length} epochs`,
      bar,
      source,
      cause: 'too-few-epochs',
    };
  }
  // A curve flat at the level of a model that learned nothing is stuck, not converged.
  const train = curveFacts(seriesOf(input.run.epochs, 'loss'));
  if (isStuck(train, ctx.cause.evidence?.baselineLoss, ctx.cause.evidence?.initialLoss)) {
    return {
      status: 'fail',
      message: `${capitalize(name)} is flat because the model learned nothing: that is stuck, not converged`,
      measured: 'stuck',
      bar,
      source,
      cause: 'stuck',
    };
  }
  const facts = curveFacts(values, check.window)!;
  const drop = Math.max(facts.fallInWindow, 0);
  const measured = `${(drop * 100).toFixed(1)}%`;
  const ok = facts.fallInWindow <= check.maxRelativeDrop;
  return {
    status: ok ? 'pass' : 'fail',
    message: ok
      ? `${capitalize(name)} has settled: it improved ${measured} over the last ${check.window} epochs`
      : `${capitalize(name)} was still falling at the end: down ${measured} over the last ${check.window} epochs`,
    measured,
    bar,
    source,
  };
};

const stable: Kind<'stable'> = (check, ctx) => {
  const { input } = ctx;
  const values = seriesOf(input.run.epochs, check.series);
  const name = seriesWords(check.series);
  const bar = `no jump above ${formatNumber(check.maxRiseRatio)} × its lowest value in the last ${check.window} epochs, and a loss that moved`;
  const source = ctx.curveSource();
  if (input.run.status === 'diverged' || values.some((v) => v === null)) {
    return {
      status: 'fail',
      message: input.run.diagnosis ?? `${capitalize(name)} became NaN or infinite`,
      measured: 'diverged',
      bar,
      source,
      cause: 'rate-too-high',
    };
  }
  if (values.length === 0) return { status: 'fail', message: 'no epochs were trained', measured: '0 epochs', bar, source };
  const train = curveFacts(seriesOf(input.run.epochs, 'loss'));
  if (isStuck(train, ctx.cause.evidence?.baselineLoss, ctx.cause.evidence?.initialLoss)) {
    return {
      status: 'fail',
      message: `${capitalize(name)} did not move: the model learned nothing, which is not stability`,
      measured: 'stuck',
      bar,
      source,
      cause: 'stuck',
    };
  }
  const facts = curveFacts(values, check.window)!;
  const ok = facts.worstRise <= check.maxRiseRatio;
  return {
    status: ok ? 'pass' : 'fail',
    message: ok
      ? `${capitalize(name)} stayed stable`
      : `${capitalize(name)} is unstable: at epoch ${facts.worstRiseAt} it jumped to ${facts.worstRise.toFixed(1)} × its lowest value before`,
    measured: `${facts.worstRise.toFixed(2)} ×`,
    bar,
    source,
  };
};

const plausible: Kind<'plausible'> = (check, ctx) => {
  const { value: v, source } = ctx.output(check.metric);
  const f = check.format;
  const measured = formatValue(v, f);
  const bar = `no better than ${formatValue(check.floor, f)}, the best an honest model reaches on this data`;
  const ok = isNum(v) && v >= check.floor;
  const what = check.measures ?? outputWords(check.metric);
  return {
    status: ok ? 'pass' : 'fail',
    message: ok
      ? `${capitalize(what)} is ${measured}, in the range an honest model reaches`
      : `${capitalize(what)} is ${measured}: better than any honest model reaches on this data`,
    measured,
    bar,
    source,
    ...(ok ? {} : { cause: 'too-good' }),
  };
};

const code: Kind<'code'> = (check, ctx) => {
  const text = ctx.input.sources[check.file];
  if (text === undefined) return { status: 'fail', message: `${check.file} is missing` };
  if (check.rule === 'no-todo') {
    const todos = locateAll(check.file, text, new RegExp(TODO_PATTERN.source, 'g'));
    const ok = todos.length === 0;
    const n = `${todos.length} TODO${todos.length === 1 ? '' : 's'}`;
    return {
      status: ok ? 'pass' : 'fail',
      message: ok ? 'no TODO left' : `${n} left in ${check.file}`,
      measured: n,
      bar: 'none left',
      ...(todos[0] ? { location: todos[0] } : {}),
    };
  }
  // The pattern is lab.json text (possibly a folder's own): searched with a time bound.
  const where = locatePattern(check.file, text, check.pattern ?? '');
  if (check.rule === 'forbid') {
    return {
      status: where ? 'fail' : 'pass',
      message: where ? `${check.file} uses something this lab does not allow` : 'nothing forbidden used',
      ...(where ? { location: where } : {}),
    };
  }
  return { status: where ? 'pass' : 'fail', message: where ? 'found what the lab asks for' : `${check.file} does not do what this check looks for yet` };
};

export const CHECK_KINDS: { [K in Check['kind']]: Kind<K> } = { metric, compare, converged, stable, plausible, code };
