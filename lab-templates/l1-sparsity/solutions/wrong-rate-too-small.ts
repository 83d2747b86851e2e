// Typical mistake: L1, but at 0.001. Some links die, yet within 500 epochs the penalty does not
// outweigh what the useless features still contribute: they stay connected.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.001,
  epochs: 500,
};
