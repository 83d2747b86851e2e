// Correct alternative: ReLU hidden neurons instead of tanh. L1 still switches off the five useless
// features, and x1² and x2² carry the circle.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'relu',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.01,
  epochs: 500,
};
