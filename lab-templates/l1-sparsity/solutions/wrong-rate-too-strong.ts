// Typical mistake: "more sparsity is better". At 0.3 the L1 step outweighs every gradient and the
// whole network dies, x1² and x2² included: the output is the same for every point.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.3,
  epochs: 500,
};
