// Reference solution: the same big network with L2 at 0.03. The boundary stays a smooth line
// between the two clouds instead of wrapping around noisy points.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L2',
  regularizationRate: 0.03,
  epochs: 1000,
};
