// Mistake: lowering the learning rate to 0.003 "for stability". L1's proximal step is learning rate ×
// rate, now ten times smaller: within 500 epochs the useless features are not all switched off.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.003,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.01,
  epochs: 500,
};
