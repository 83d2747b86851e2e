// Reference solution: all seven features, L1 at 0.01. Within 500 epochs every link of x1, x2,
// x1·x2, sin x1 and sin x2 is set to exactly 0; x1² and x2² carry the circle.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [6, 6],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L1',
  regularizationRate: 0.01,
  epochs: 500,
};
