// Correct alternative: L1 instead of L2, at 0.03. It also pulls the network toward the straight line
// between the clouds, and sets some weights to exactly 0 on the way.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.03,
  epochs: 1000,
};
