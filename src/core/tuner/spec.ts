// The study spec: the fields of Cloud ML Engine's `hyperparameters` block (so a course config.yaml
// works as is), in YAML or JSON, bare or wrapped as `trainingInput: { hyperparameters: … }`.
// Every problem is reported with the field it is about, e.g.
// "params[1].minValue: must be > 0 for UNIT_LOG_SCALE".
import * as path from 'path';
import { FILE_LIMITS, readLabText } from '../files/labFiles';
import * as z from 'zod/mini';
import { describeIssues } from '../zodMessages';
import '../zodMessages';

export const GOALS = ['MAXIMIZE', 'MINIMIZE'] as const;
export type Goal = (typeof GOALS)[number];
export const ALGORITHMS = ['ALGORITHM_UNSPECIFIED', 'GRID_SEARCH', 'RANDOM_SEARCH'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export const PARAMETER_TYPES = ['DOUBLE', 'INTEGER', 'CATEGORICAL', 'DISCRETE'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];
export const SCALE_TYPES = ['UNIT_LINEAR_SCALE', 'UNIT_LOG_SCALE', 'UNIT_REVERSE_LOG_SCALE'] as const;
export type ScaleType = (typeof SCALE_TYPES)[number];

/** A schema with a description (metadata only: validation is unchanged). */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description)) as T;
}

/** A study id names a folder, so it may not contain path separators or start with a dot. */
export const StudyId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'use letters, digits, "_", "-" and "." (it names a folder)'));

/** Bounds that keep a study a study: a spec asking for more is refused, not run for days. */
export const SPEC_LIMITS = { maxTrials: 10_000, maxParallelTrials: 256, params: 32, values: 1000, gridResolution: 1000 };

/** Names that would reach an object's prototype: never a parameter. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export const ParameterName = z.string().check(
  z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'use letters, digits and "_" (at most 64), starting with a letter, e.g. "learning_rate"'),
  z.refine((n) => !RESERVED_NAMES.has(n) && !(n in Object.prototype), 'this name is reserved; choose another'),
);

export const ParameterSpec = z
  .strictObject({
    parameterName: ParameterName,
    type: z.enum(PARAMETER_TYPES),
    minValue: described(z.optional(z.number()), 'DOUBLE and INTEGER: lower bound (inclusive).'),
    maxValue: described(z.optional(z.number()), 'DOUBLE and INTEGER: upper bound (inclusive).'),
    scaleType: described(z.optional(z.enum(SCALE_TYPES)), 'How the range is searched; absent means UNIT_LINEAR_SCALE. Not used by CATEGORICAL.'),
    categoricalValues: described(
      z.optional(z.array(z.string().check(z.maxLength(200))).check(z.maxLength(SPEC_LIMITS.values))),
      'CATEGORICAL: the values to choose from.',
    ),
    discreteValues: described(
      z.optional(z.array(z.number().check(z.refine(Number.isFinite, 'must be a finite number'))).check(z.maxLength(SPEC_LIMITS.values))),
      'DISCRETE: the feasible numbers.',
    ),
  })
  .check(
    z.superRefine((p, ctx) => {
      const problem = (field: string | (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', path: Array.isArray(field) ? field : [field], message });
      const unused = (fields: (keyof typeof p)[]) => {
        for (const f of fields) if (p[f] !== undefined) problem(f, `not used by ${p.type} parameters`);
      };
      const logScale = p.scaleType === 'UNIT_LOG_SCALE' || p.scaleType === 'UNIT_REVERSE_LOG_SCALE';
      switch (p.type) {
        case 'DOUBLE':
        case 'INTEGER': {
          unused(['categoricalValues', 'discreteValues']);
          if (p.minValue === undefined) problem('minValue', `required for ${p.type} parameters`);
          if (p.maxValue === undefined) problem('maxValue', `required for ${p.type} parameters`);
          if (p.type === 'INTEGER') {
            if (p.minValue !== undefined && !Number.isInteger(p.minValue)) problem('minValue', 'must be an integer for INTEGER parameters');
            if (p.maxValue !== undefined && !Number.isInteger(p.maxValue)) problem('maxValue', 'must be an integer for INTEGER parameters');
          }
          if (p.minValue !== undefined && p.maxValue !== undefined && !(p.maxValue > p.minValue)) {
            problem('maxValue', `must be > minValue (${p.minValue})`);
          }
          if (logScale && p.minValue !== undefined && !(p.minValue > 0)) problem('minValue', `must be > 0 for ${p.scaleType}`);
          break;
        }
        case 'DISCRETE': {
          unused(['minValue', 'maxValue', 'categoricalValues']);
          const values = p.discreteValues;
          if (!values || values.length === 0) {
            problem('discreteValues', 'required for DISCRETE parameters: a non-empty list of numbers');
            break;
          }
          values.forEach((v, i) => {
            if (values.indexOf(v) !== i) problem(['discreteValues', i], `duplicate value ${v}`);
            else if (logScale && !(v > 0)) problem(['discreteValues', i], `must be > 0 for ${p.scaleType}`);
          });
          break;
        }
        case 'CATEGORICAL': {
          unused(['minValue', 'maxValue', 'discreteValues', 'scaleType']);
          const values = p.categoricalValues;
          if (!values || values.length === 0) {
            problem('categoricalValues', 'required for CATEGORICAL parameters: a non-empty list of strings');
            break;
          }
          values.forEach((v, i) => {
            if (values.indexOf(v) !== i) problem(['categoricalValues', i], `duplicate value "${v}"`);
          });
          break;
        }
      }
    }),
  );
export type ParameterSpec = z.infer<typeof ParameterSpec>;

export const StudySpec = z
  .strictObject({
    goal: described(z.enum(GOALS), 'Whether the metric is to be maximised or minimised.'),
    hyperparameterMetricTag: described(
      z.optional(z.string().check(z.minLength(1))),
      'Name of the run output that is the objective, e.g. "val_loss". Absent: the lab decides.',
    ),
    maxTrials: described(z._default(z.int().check(z.minimum(1), z.maximum(SPEC_LIMITS.maxTrials)), 1), 'How many trials the study runs in all.'),
    maxParallelTrials: described(
      z._default(z.int().check(z.minimum(1), z.maximum(SPEC_LIMITS.maxParallelTrials)), 1),
      'Trials run at once (also capped by the scheduler, e.g. by the number of CPU cores).',
    ),
    maxFailedTrials: described(
      z.optional(z.int().check(z.minimum(0))),
      'Stop the study after this many failed trials. Absent or 0: stop only if the first 3 trials all fail.',
    ),
    enableTrialEarlyStopping: described(z._default(z.boolean(), false), 'Stop unpromising trials early (median stopping rule).'),
    algorithm: described(z.optional(z.enum(ALGORITHMS)), 'GRID_SEARCH, RANDOM_SEARCH, or absent / ALGORITHM_UNSPECIFIED for Bayesian optimisation.'),
    resumePreviousJobId: described(z.optional(StudyId), 'Id of an earlier study to continue instead of starting a new one.'),
    params: z.array(ParameterSpec).check(z.minLength(1, 'list at least one parameter'), z.maxLength(SPEC_LIMITS.params)),
    seed: described(z.optional(z.int()), 'Seed of the samplers, for a reproducible study. Absent: chosen and recorded.'),
    gridResolution: described(
      z.optional(z.int().check(z.minimum(2), z.maximum(SPEC_LIMITS.gridResolution))),
      'GRID_SEARCH only: values per DOUBLE parameter. Absent: as many as fit in maxTrials (at least 2).',
    ),
  })
  .check(
    z.superRefine((spec, ctx) => {
      const seen = new Map<string, number>();
      spec.params.forEach((p, i) => {
        const first = seen.get(p.parameterName);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['params', i, 'parameterName'],
            message: `duplicate parameter name "${p.parameterName}" (also params[${first}])`,
          });
        } else seen.set(p.parameterName, i);
      });
      if (spec.gridResolution !== undefined && spec.algorithm !== 'GRID_SEARCH') {
        ctx.addIssue({ code: 'custom', path: ['gridResolution'], message: 'only used with algorithm GRID_SEARCH' });
      }
    }),
  );
/** A validated spec, with Cloud ML Engine's defaults filled in. */
export type StudySpec = z.infer<typeof StudySpec>;
/** What a spec file may contain before defaults are applied. */
export type StudySpecInput = z.input<typeof StudySpec>;

export type SpecResult = { ok: true; spec: StudySpec } | { ok: false; errors: string[] };

/** The sampler family a spec asks for. */
export function samplerKind(spec: Pick<StudySpec, 'algorithm'>): 'grid' | 'random' | 'bayesian' {
  if (spec.algorithm === 'GRID_SEARCH') return 'grid';
  if (spec.algorithm === 'RANDOM_SEARCH') return 'random';
  return 'bayesian';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a parsed document: the bare block, `{ hyperparameters: … }`, or Cloud ML Engine's
 * `{ trainingInput: { hyperparameters: … } }` (other `trainingInput` fields, e.g. scaleTier, are ignored).
 */
export function validateStudySpec(document: unknown): SpecResult {
  let block = document;
  let prefix = '';
  if (isRecord(document) && 'trainingInput' in document) {
    const input = document.trainingInput;
    if (!isRecord(input) || !('hyperparameters' in input)) {
      return { ok: false, errors: ['trainingInput.hyperparameters: missing (the study spec goes there)'] };
    }
    block = input.hyperparameters;
    prefix = 'trainingInput.hyperparameters.';
  } else if (isRecord(document) && 'hyperparameters' in document && !('params' in document)) {
    block = document.hyperparameters;
    prefix = 'hyperparameters.';
  }
  const where = prefix ? prefix.slice(0, -1) : '(top level)';
  if (!isRecord(block)) return { ok: false, errors: [`${where}: expected an object with goal, maxTrials and params`] };
  const parsed = StudySpec.safeParse(block);
  if (parsed.success) return { ok: true, spec: parsed.data };
  const errors = describeIssues(parsed.error).map((m) => (m.startsWith('(top level)') ? where + m.slice('(top level)'.length) : prefix + m));
  return { ok: false, errors };
}

/** Parses YAML or JSON text (JSON when `source` ends in .json or the text starts with "{"). */
export function parseStudySpec(text: string, source = 'spec'): SpecResult {
  const json = source.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
  let document: unknown;
  if (json) {
    try {
      document = JSON.parse(text);
    } catch (err) {
      return { ok: false, errors: [`${path.basename(source)}: not valid JSON: ${(err as Error).message}`] };
    }
  } else {
    // Loaded here, not at start-up: only study specs need a YAML parser.
    const YAML = require('yaml') as typeof import('yaml');
    const doc = YAML.parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      return { ok: false, errors: doc.errors.map((e) => `${path.basename(source)}: not valid YAML: ${e.message.split('\n')[0]}`) };
    }
    document = doc.toJS();
  }
  return validateStudySpec(document);
}

/** Reads a spec file: a regular file (no link), at most 256 KB. */
export function readStudySpec(file: string): SpecResult {
  let text: string | undefined;
  try {
    text = readLabText(path.dirname(path.resolve(file)), path.basename(file), FILE_LIMITS.spec);
  } catch (err) {
    return { ok: false, errors: [`${file}: cannot read (${(err as Error).message})`] };
  }
  if (text === undefined) return { ok: false, errors: [`${file}: cannot read (it does not exist)`] };
  return parseStudySpec(text, file);
}

export class StudySpecError extends Error {
  constructor(readonly errors: string[]) {
    super(`the study spec is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'StudySpecError';
  }
}

/** Like `readStudySpec`, but throws a StudySpecError listing every problem. */
export function loadStudySpec(file: string): StudySpec {
  const result = readStudySpec(file);
  if (!result.ok) throw new StudySpecError(result.errors);
  return result.spec;
}

/**
 * Why a stored study cannot continue under `next`, or undefined if it can. The search space, goal
 * and algorithm must match (earlier trials would mean something else); budgets may change.
 */
export function resumeConflict(stored: StudySpec, next: StudySpec): string | undefined {
  if (stored.goal !== next.goal) return `goal is ${stored.goal} in the stored study, ${next.goal} in the new spec`;
  if (samplerKind(stored) !== samplerKind(next)) return `algorithm differs from the stored study (${samplerKind(stored)} vs ${samplerKind(next)})`;
  if ((stored.hyperparameterMetricTag ?? '') !== (next.hyperparameterMetricTag ?? '')) return 'hyperparameterMetricTag differs from the stored study';
  if (JSON.stringify(stored.params) !== JSON.stringify(next.params)) return 'params differ from the stored study';
  return undefined;
}
