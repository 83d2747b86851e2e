// L1 regularization and sparsity — see README.md for the steps and what to expect.
// The harness trains this network on TF Playground's circle (no noise, 250 training points) and
// measures it on 250 test points your code never sees. It also reports, for every input, whether
// any of its weights is still non-zero.
import type { Network } from './data/playground';

export const network: Network = {
  // Step 1 — every feature TF Playground offers. Some of them cannot help with a circle.
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  // Steps 2 and 3 — TODO: choose the penalty that sets useless weights to exactly zero, and its rate.
  regularization: 'none',
  regularizationRate: 0,
  epochs: 500,
};
