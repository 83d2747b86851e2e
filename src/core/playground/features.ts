// The seven input features of TF Playground. A selection is always kept in the canonical order
// below, so the network's input i means the same feature whatever order the learner ticked them in.
import type { PointSet } from './datasets';

export const FEATURE_IDS = ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'] as const;
export type FeatureId = (typeof FEATURE_IDS)[number];

export interface FeatureInfo {
  readonly id: FeatureId;
  /** Shown on the input node. */
  readonly label: string;
  /** TF Playground's name for it (its address parameters), to read a shared playground link. */
  readonly tfPlaygroundKey: string;
  /** JavaScript expression over `x1` and `x2`, used by the code export. */
  readonly expression: string;
  readonly compute: (x1: number, x2: number) => number;
}

export const FEATURES: Readonly<Record<FeatureId, FeatureInfo>> = {
  x1: { id: 'x1', label: 'X₁', tfPlaygroundKey: 'x', expression: 'x1', compute: (x1) => x1 },
  x2: { id: 'x2', label: 'X₂', tfPlaygroundKey: 'y', expression: 'x2', compute: (_x1, x2) => x2 },
  x1Squared: { id: 'x1Squared', label: 'X₁²', tfPlaygroundKey: 'xSquared', expression: 'x1 * x1', compute: (x1) => x1 * x1 },
  x2Squared: { id: 'x2Squared', label: 'X₂²', tfPlaygroundKey: 'ySquared', expression: 'x2 * x2', compute: (_x1, x2) => x2 * x2 },
  x1TimesX2: { id: 'x1TimesX2', label: 'X₁X₂', tfPlaygroundKey: 'xTimesY', expression: 'x1 * x2', compute: (x1, x2) => x1 * x2 },
  sinX1: { id: 'sinX1', label: 'sin(X₁)', tfPlaygroundKey: 'sinX', expression: 'Math.sin(x1)', compute: (x1) => Math.sin(x1) },
  sinX2: { id: 'sinX2', label: 'sin(X₂)', tfPlaygroundKey: 'sinY', expression: 'Math.sin(x2)', compute: (_x1, x2) => Math.sin(x2) },
};

export const DEFAULT_FEATURES: readonly FeatureId[] = ['x1', 'x2'];

export function isFeatureId(s: string): s is FeatureId {
  return (FEATURE_IDS as readonly string[]).includes(s);
}

/** Canonical order, duplicates dropped; throws on an unknown id (a message from a webview, say). */
export function normalizeFeatures(selection: readonly string[]): FeatureId[] {
  for (const s of selection) {
    if (!isFeatureId(s)) throw new RangeError(`unknown feature "${s}" (known: ${FEATURE_IDS.join(', ')})`);
  }
  return FEATURE_IDS.filter((id) => selection.includes(id));
}

/** Writes the selected features of one point at `out[offset…]`. */
export function writeFeatures(features: readonly FeatureId[], x1: number, x2: number, out: Float64Array, offset: number): void {
  for (let k = 0; k < features.length; k++) out[offset + k] = FEATURES[features[k]].compute(x1, x2);
}

/**
 * Row-major matrix (points × features), computed once per data set and selection so training
 * never evaluates a feature, or allocates, per sample.
 */
export function featureMatrix(features: readonly FeatureId[], x1: ArrayLike<number>, x2: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = x1.length;
  const f = features.length;
  const m = out ?? new Float64Array(n * f);
  if (m.length < n * f) throw new RangeError(`output holds ${m.length} values, ${n * f} needed`);
  for (let i = 0; i < n; i++) writeFeatures(features, x1[i], x2[i], m, i * f);
  return m;
}

/** Inputs and targets in the form the trainer reads. */
export interface Examples {
  /** Row-major, `length × inputs`. */
  readonly inputs: Float64Array;
  readonly labels: Float64Array;
  readonly length: number;
}

export function toExamples(points: PointSet, features: readonly FeatureId[]): Examples {
  return { inputs: featureMatrix(features, points.x1, points.x2), labels: points.label, length: points.length };
}
