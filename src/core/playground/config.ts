// Everything the playground's controls set, as one schema shared by the panel and whatever trains:
// every message carrying a configuration is validated against it.
import * as z from 'zod/mini';
import '../zodMessages';
import { DATASETS, DEFAULT_TRAIN_SHARE, NOISE_RANGE, TRAIN_SHARE_RANGE } from './datasets';
import { DEFAULT_FEATURES, FEATURE_IDS } from './features';
import { ACTIVATIONS, REGULARIZATIONS } from './network';

export const LIMITS = {
  maxHiddenLayers: 6,
  minNeurons: 1,
  maxNeurons: 8,
  minBatchSize: 1,
  maxBatchSize: 30,
  minLearningRate: 0.00001,
  maxLearningRate: 10,
  maxRegularizationRate: 10,
} as const;

/** The values TF Playground's drop-downs offer. */
export const LEARNING_RATE_CHOICES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const REGULARIZATION_RATE_CHOICES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;

export const PlaygroundConfig = z.object({
  dataset: z.enum(DATASETS),
  /** Percent. */
  noise: z.number().check(z.minimum(NOISE_RANGE.min), z.maximum(NOISE_RANGE.max)),
  /** Percent of points used for training. */
  trainShare: z.number().check(z.minimum(TRAIN_SHARE_RANGE.min), z.maximum(TRAIN_SHARE_RANGE.max)),
  batchSize: z.int().check(z.minimum(LIMITS.minBatchSize), z.maximum(LIMITS.maxBatchSize)),
  /** Any order; kept in canonical order. */
  features: z.array(z.enum(FEATURE_IDS)),
  hidden: z.array(z.int().check(z.minimum(LIMITS.minNeurons), z.maximum(LIMITS.maxNeurons))).check(z.maxLength(LIMITS.maxHiddenLayers)),
  activation: z.enum(ACTIVATIONS),
  learningRate: z.number().check(z.minimum(LIMITS.minLearningRate), z.maximum(LIMITS.maxLearningRate)),
  regularization: z.enum(REGULARIZATIONS),
  regularizationRate: z.number().check(z.minimum(0), z.maximum(LIMITS.maxRegularizationRate)),
  /** Data and initial weights are reproducible from it; TF Playground's seeds are strings like "0.12345". */
  seed: z.string().check(z.minLength(1), z.maxLength(64)),
});
export type PlaygroundConfig = z.infer<typeof PlaygroundConfig>;

/** A change of some settings, e.g. from a control of the panel. */
export const PlaygroundConfigChange = z.partial(PlaygroundConfig);
export type PlaygroundConfigChange = z.infer<typeof PlaygroundConfigChange>;

export const DEFAULT_SEED = '0.42000';

/** TF Playground's opening state (its seed is random; ours is fixed so a fresh panel is reproducible). */
export const DEFAULT_CONFIG: Readonly<PlaygroundConfig> = Object.freeze({
  dataset: 'circle',
  noise: 0,
  trainShare: DEFAULT_TRAIN_SHARE,
  batchSize: 10,
  features: [...DEFAULT_FEATURES],
  hidden: [4, 2],
  activation: 'tanh',
  learningRate: 0.03,
  regularization: 'none',
  regularizationRate: 0,
  seed: DEFAULT_SEED,
});

/** Defaults filled in, then validated (throws zod's error listing what is wrong). */
export function resolveConfig(partial: Partial<PlaygroundConfig> = {}): PlaygroundConfig {
  return PlaygroundConfig.parse({ ...DEFAULT_CONFIG, ...partial });
}

/** What a change of configuration requires, cheapest first. */
export type ChangeEffect = 'none' | 'live' | 'reset' | 'regenerate';

/**
 * Rates and batch size apply to the running network (as in TF Playground); a new architecture,
 * feature set or regularization kind needs new weights; a new data set, noise, split or seed needs
 * new data and so new weights.
 */
export function changeEffect(from: PlaygroundConfig, to: PlaygroundConfig): ChangeEffect {
  const same = (k: keyof PlaygroundConfig) => JSON.stringify(from[k]) === JSON.stringify(to[k]);
  if (!same('dataset') || !same('noise') || !same('trainShare') || !same('seed')) return 'regenerate';
  const sortedFeatures = (c: PlaygroundConfig) => FEATURE_IDS.filter((id) => c.features.includes(id)).join();
  if (sortedFeatures(from) !== sortedFeatures(to) || !same('hidden') || !same('activation') || !same('regularization')) return 'reset';
  if (!same('learningRate') || !same('regularizationRate') || !same('batchSize')) return 'live';
  return 'none';
}
