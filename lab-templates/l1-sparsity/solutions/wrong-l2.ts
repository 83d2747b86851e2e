// Typical mistake: L2 where L1 was asked. L2 removes a share of each weight per step, so weights
// shrink toward zero but none gets there: every feature keeps its links.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L2',
  regularizationRate: 0.01,
  epochs: 500,
};
