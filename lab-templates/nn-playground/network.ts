// Neural networks playground — see README.md for the steps and what to expect.
// The harness trains both networks below, each on points of its own, and measures each on test points
// your code never sees: `circle` on TF Playground's circle with 45 % noise, `network` on the spiral.
// For each data set it also trains a straight line on x1 and x2, to compare.
import type { Network } from './data/playground';

// Part 2 — the spiral (250 training points), from the raw coordinates only: the network has to find
// the shape itself.
export const network: Network = {
  features: ['x1', 'x2'],
  // TODO: step 3 — add hidden layers (neurons per layer, e.g. [8, 8]); [] is a linear model.
  hidden: [],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 500,
};

// Part 1 — feature engineering on a noisy circle (250 training points): a linear model, no hidden
// layer, with TF Playground's default settings.
export const circle: Network = {
  // TODO: step 2 — add the features in which the circle becomes a straight line.
  features: ['x1', 'x2'],
  hidden: [],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 300,
};
