// Mistake: a penalty too weak to matter. L2 at 0.001 barely touches weights of this size, so the
// network memorises the noise as if there were no penalty.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L2',
  regularizationRate: 0.001,
  epochs: 1000,
};
