// Reference solution: six hidden layers of 8 ReLU neurons on x1 and x2 (TF Playground's spiral
// setup, preset nn-spiral). Each layer bends the previous layer's features again, until the two
// arms come apart.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8, 8, 8, 8, 8, 8],
  activation: 'relu',
  learningRate: 0.01,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 1000,
};
