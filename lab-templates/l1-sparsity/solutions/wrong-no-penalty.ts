// Mistake: the TODO deleted but the penalty left at 'none'. Nothing pulls the useless features'
// weights toward zero, so every link keeps a weight.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 500,
};
