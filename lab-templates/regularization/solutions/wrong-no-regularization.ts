// Typical mistake: no regularization. The training loss falls toward 0 while the test loss climbs:
// the network has memorised the noise of its 100 training points.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 1000,
};
