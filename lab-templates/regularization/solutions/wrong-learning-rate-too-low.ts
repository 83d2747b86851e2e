// Mistake: the learning rate lowered to 0.0001 "to be safe". Each step is so small that after 1000
// epochs the network is still crawling toward the answer.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.0001,
  batchSize: 10,
  regularization: 'L2',
  regularizationRate: 0.03,
  epochs: 1000,
};
