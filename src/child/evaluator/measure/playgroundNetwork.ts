// Reads the network a playground lab's learner exports (features, hidden layers, activation, rates,
// regularization, epochs), applies the tuner's overrides and checks every field against TF
// Playground's limits and the lab's ranges. Each problem names the field, what it is, and what is
// allowed, and points at the field in the learner's file.
import type { Hyperparameter, LabManifest } from '../../../core/lab/manifest';
import type { Hyperparameters } from '../../../core/run/protocol';
import { PlaygroundConfig, LIMITS } from '../../../core/playground/config';
import { FEATURE_IDS, normalizeFeatures, type FeatureId } from '../../../core/playground/features';
import { ACTIVATIONS, REGULARIZATIONS, type Activation, type Regularization } from '../../../core/playground/network';
import { locateExport, locateValue, type SourceRange } from '../../../core/source/locate';
import { ContractError } from '../../common/errors';

export interface NetworkSettings {
  /** Canonical order (the network's input i is always the same feature). */
  features: FeatureId[];
  hidden: number[];
  activation: Activation;
  learningRate: number;
  batchSize: number;
  regularization: Regularization;
  regularizationRate: number;
  epochs: number;
}

export const NETWORK_FIELDS = ['features', 'hidden', 'activation', 'learningRate', 'batchSize', 'regularization', 'regularizationRate', 'epochs'] as const;
type Field = (typeof NETWORK_FIELDS)[number];

/** Upper bound whatever the lab says: a run must fit a laptop's minute. */
export const MAX_EPOCHS = 10_000;

export const NETWORK_EXAMPLE =
  "{ features: ['x1', 'x2'], hidden: [4, 2], activation: 'tanh', learningRate: 0.03, batchSize: 10, regularization: 'none', regularizationRate: 0, epochs: 500 }";

const DESCRIPTION: Record<Field, string> = {
  features: "the inputs, e.g. ['x1', 'x2']",
  hidden: 'neurons per hidden layer, e.g. [4, 2] ([] for no hidden layer)',
  activation: "the hidden layers' activation, e.g. 'tanh'",
  learningRate: 'the step size, e.g. 0.03',
  batchSize: 'points per gradient step, e.g. 10',
  regularization: "'none', 'L1' or 'L2'",
  regularizationRate: 'the penalty strength, e.g. 0.01 (0 with no regularization)',
  epochs: 'passes over the training points, e.g. 500',
};

export interface ResolvedNetwork {
  settings: NetworkSettings;
  /** Settings that are legal but probably not what the learner meant. */
  warnings: string[];
}

interface Where {
  exportName: string;
  file: string;
  source: string;
}

function fail(where: Where, field: string | undefined, message: string): never {
  const at: SourceRange | undefined =
    (field ? locateValue(where.file, where.source, field) : undefined) ?? locateExport(where.file, where.source, where.exportName);
  throw new ContractError(message, at);
}

function list(values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === undefined) return 'undefined';
  // JSON.stringify gives undefined only for a function or a symbol.
  return JSON.stringify(v) ?? String(v as ((...args: never[]) => unknown) | symbol);
}

/** A string override for an array field: "8,8", "none" or "x1,x2" (the tuner passes scalars only). */
function splitList(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (v.trim() === 'none') return [];
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function choice<T extends string>(where: Where, name: Field, v: unknown, allowed: readonly T[], spec?: Hyperparameter): T {
  const path = `${where.exportName}.${name}`;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    const near = typeof v === 'string' ? allowed.find((a) => a.toLowerCase() === v.toLowerCase()) : undefined;
    fail(where, name, `${path} is ${show(v)}; choose one of ${list(allowed)}${near ? ` (did you mean '${near}'?)` : ''}`);
  }
  if (spec?.values && !spec.values.includes(v)) fail(where, name, `${path} is ${show(v)}; this lab allows ${list(spec.values)}`);
  return v as T;
}

function numberIn(where: Where, name: Field, v: unknown, min: number, max: number, integer: boolean, spec?: Hyperparameter): number {
  const path = `${where.exportName}.${name}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, name, `${path} must be a number (${DESCRIPTION[name]}), not ${show(v)}`);
  if (integer && !Number.isInteger(v)) fail(where, name, `${path} must be a whole number, not ${v}`);
  const lo = Math.max(min, spec?.min ?? -Infinity);
  const hi = Math.min(max, spec?.max ?? Infinity);
  if (v < lo || v > hi) fail(where, name, `${path} is ${v}, outside the range this lab allows (${lo} to ${hi})`);
  return v;
}

/**
 * Validates the exported network object; throws a ContractError naming the first problem.
 * `overrides` (from the tuner) replace fields by name.
 */
export function resolveNetwork(
  manifest: LabManifest,
  exportName: string,
  exported: unknown,
  overrides: Hyperparameters,
  file: string,
  source: string,
): ResolvedNetwork {
  const where: Where = { exportName, file, source };
  if (exported === null || typeof exported !== 'object' || Array.isArray(exported)) {
    fail(where, undefined, `${file} must export "${exportName}" as an object, e.g. ${NETWORK_EXAMPLE}`);
  }
  const raw: Record<string, unknown> = { ...(exported as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides)) raw[k] = k === 'features' || k === 'hidden' ? splitList(v) : v;
  for (const key of Object.keys(raw)) {
    if (!(NETWORK_FIELDS as readonly string[]).includes(key)) {
      fail(where, key, `${exportName}.${key} is not a setting of the network; the settings are ${NETWORK_FIELDS.join(', ')}`);
    }
  }
  for (const name of NETWORK_FIELDS) {
    if (raw[name] === undefined) fail(where, undefined, `${exportName}.${name} is missing: ${DESCRIPTION[name]}`);
  }
  const spec = (name: Field): Hyperparameter | undefined => manifest.hyperparameters[name];

  const f = raw.features;
  if (!Array.isArray(f))
    fail(where, 'features', `${exportName}.features must be an array of feature names, e.g. ['x1', 'x2']; the features are ${list(FEATURE_IDS)}`);
  const unknown: unknown = f.find((id) => typeof id !== 'string' || !(FEATURE_IDS as readonly string[]).includes(id));
  if (unknown !== undefined) {
    const near = typeof unknown === 'string' ? FEATURE_IDS.find((id) => id.toLowerCase() === unknown.toLowerCase()) : undefined;
    fail(
      where,
      'features',
      `${exportName}.features has ${show(unknown)}, which is not a feature; choose from ${list(FEATURE_IDS)}${near ? ` (did you mean '${near}'?)` : ''}`,
    );
  }
  if (f.length === 0) fail(where, 'features', `${exportName}.features is empty: the network needs at least one input, e.g. ['x1', 'x2']`);
  const features = normalizeFeatures(f as string[]);

  const h = raw.hidden;
  if (!Array.isArray(h)) fail(where, 'hidden', `${exportName}.hidden must be an array with the neurons of each hidden layer, e.g. [4, 2] ([] for none)`);
  if (h.length > LIMITS.maxHiddenLayers)
    fail(where, 'hidden', `${exportName}.hidden has ${h.length} layers; TF Playground allows at most ${LIMITS.maxHiddenLayers}`);
  h.forEach((n, i) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < LIMITS.minNeurons || n > LIMITS.maxNeurons) {
      fail(
        where,
        'hidden',
        `${exportName}.hidden[${i}] is ${show(n)}; a layer has a whole number of neurons from ${LIMITS.minNeurons} to ${LIMITS.maxNeurons}`,
      );
    }
  });
  const hidden = [...(h as number[])];

  const activation = choice(where, 'activation', raw.activation, ACTIVATIONS, spec('activation'));
  const regularization = choice(where, 'regularization', raw.regularization, REGULARIZATIONS, spec('regularization'));
  const learningRate = numberIn(where, 'learningRate', raw.learningRate, LIMITS.minLearningRate, LIMITS.maxLearningRate, false, spec('learningRate'));
  const batchSize = numberIn(where, 'batchSize', raw.batchSize, LIMITS.minBatchSize, LIMITS.maxBatchSize, true, spec('batchSize'));
  const regularizationRate = numberIn(where, 'regularizationRate', raw.regularizationRate, 0, LIMITS.maxRegularizationRate, false, spec('regularizationRate'));
  const epochs = numberIn(where, 'epochs', raw.epochs, 1, MAX_EPOCHS, true, spec('epochs'));

  const settings: NetworkSettings = { features, hidden, activation, learningRate, batchSize, regularization, regularizationRate, epochs };
  // The core's schema is the last word on what the trainer accepts.
  const parsed = PlaygroundConfig.safeParse({ dataset: 'circle', noise: 0, trainShare: 50, seed: 'lab', ...settings });
  if (!parsed.success) {
    fail(where, undefined, `${exportName} is not a valid network: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }

  const warnings: string[] = [];
  if (regularization === 'none' && regularizationRate > 0) {
    warnings.push(`${exportName}.regularizationRate is ${regularizationRate} but regularization is 'none', so no penalty is applied`);
  }
  if (regularization !== 'none' && regularizationRate === 0) {
    warnings.push(`${exportName}.regularization is '${regularization}' but regularizationRate is 0, so no penalty is applied`);
  }
  return { settings, warnings };
}

/** Flat values for the run record and the tuner (arrays as "8,8" or "none", and "x1,x2"). */
export function networkHyperparameters(s: NetworkSettings): Hyperparameters {
  return {
    features: s.features.join(','),
    hidden: s.hidden.length > 0 ? s.hidden.join(',') : 'none',
    activation: s.activation,
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    regularization: s.regularization,
    regularizationRate: s.regularizationRate,
    epochs: s.epochs,
  };
}
