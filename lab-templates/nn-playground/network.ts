// Neural networks playground — see README.md for the steps and what to expect.
// The harness trains this network on TF Playground's spiral (250 training points) and measures it
// on 250 test points your code never sees. It also trains a linear model on x1 and x2 to compare.
import type { Network } from './data/playground';

export const network: Network = {
  // Only the raw coordinates: the network has to find the shape itself.
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
