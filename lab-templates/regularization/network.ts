// Regularization (L1 & L2) — see README.md for the steps and what to expect.
// The harness trains this network on TF Playground's "two Gaussians" data with 50 % noise: only 100
// training points, measured on 400 test points your code never sees. In the same run it also
// trains this network without regularization, from the same initial weights, to compare.
import type { Network } from './data/playground';

export const network: Network = {
  // A big network: every feature and two hidden layers of 8 neurons, for 100 noisy points.
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  // TODO: step 2 — penalize large weights: 'L1' or 'L2', and a rate (see README.md).
  regularization: 'none',
  regularizationRate: 0,
  epochs: 1000,
};
