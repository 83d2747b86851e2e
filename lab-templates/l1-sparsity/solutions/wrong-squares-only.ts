// Mistake: picking x1² and x2² by hand "because that is the answer". The model is fine, but L1 has
// nothing left to find: the lab is about letting the penalty discover it.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1Squared', 'x2Squared'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.01,
  epochs: 500,
};
