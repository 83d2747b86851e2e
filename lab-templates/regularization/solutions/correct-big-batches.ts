// Correct alternative: L2 at 0.03 with batches of 30 points and a learning rate of 0.1: fewer, larger
// steps reach the same regularized network.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.1,
  batchSize: 30,
  regularization: 'L2',
  regularizationRate: 0.03,
  epochs: 1000,
};
