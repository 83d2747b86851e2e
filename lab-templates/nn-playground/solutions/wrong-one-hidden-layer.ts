// Typical mistake: one hidden layer. Its neurons give curved features, but a spiral needs those
// curves bent again, layer after layer.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8],
  activation: 'relu',
  learningRate: 0.01,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 1000,
};
