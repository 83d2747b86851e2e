// Mistake: a learning rate of 3. The first steps throw the weights far off, and every link dies,
// x1² and x2² included: the output is the same for every point.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 3,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.01,
  epochs: 500,
};
