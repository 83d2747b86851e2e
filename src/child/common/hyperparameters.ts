// Reads the learner's exported hyperparameters, applies overrides (from the tuner) and checks them
// against the ranges in lab.json.
import type { Hyperparameter, LabManifest } from '../../core/lab/manifest';
import type { Hyperparameters } from '../../core/run/protocol';
import { locateValue, locateExport } from '../../core/source/locate';
import { ContractError } from './errors';

/** Names that would reach an object's prototype if assigned: never a hyperparameter. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function resolveHyperparameters(
  manifest: LabManifest,
  exported: unknown,
  overrides: Hyperparameters,
  entryFile: string,
  entrySource: string,
): Hyperparameters {
  if (exported === undefined || exported === null || typeof exported !== 'object') {
    throw new ContractError(
      `${entryFile} must export "hyperparameters" as an object, e.g. { learningRate: 0.01, batchSize: 32, epochs: 10 }`,
      locateExport(entryFile, entrySource, 'hyperparameters'),
    );
  }
  const merged: Hyperparameters = {};
  for (const [k, v] of Object.entries(exported as Record<string, unknown>)) {
    if (UNSAFE_KEYS.has(k)) continue;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') merged[k] = v;
  }
  for (const [k, v] of Object.entries(overrides)) if (!UNSAFE_KEYS.has(k)) merged[k] = v;
  for (const [name, spec] of Object.entries(manifest.hyperparameters)) {
    const problem = checkValue(spec, merged[name]);
    if (problem) {
      throw new ContractError(
        `hyperparameters.${name} ${problem}`,
        locateValue(entryFile, entrySource, name) ?? locateExport(entryFile, entrySource, 'hyperparameters'),
      );
    }
  }
  return merged;
}

function checkValue(spec: Hyperparameter, value: unknown): string | undefined {
  if (value === undefined) return 'is missing';
  if (spec.type === 'categorical') {
    if (spec.values && !spec.values.includes(value as string | number)) {
      return `is ${JSON.stringify(value)}; choose one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, not ${JSON.stringify(value)}`;
  if (spec.type === 'integer' && !Number.isInteger(value)) return `must be a whole number, not ${value}`;
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    return `is ${value}, outside the range this lab allows (${spec.min ?? '−∞'} to ${spec.max ?? '∞'})`;
  }
  return undefined;
}
