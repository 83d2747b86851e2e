// Typical mistake: "more regularization is safer". At 1 the L2 penalty outweighs the data, every
// weight is pulled to zero and the network gives every point nearly the same output: it underfits.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L2',
  regularizationRate: 1,
  epochs: 1000,
};
