// Correct alternative: a gentler L1 (0.003) given twice the epochs (1000). Each update removes less, so
// the useless features take longer to drop out, but they all do.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.003,
  epochs: 1000,
};
