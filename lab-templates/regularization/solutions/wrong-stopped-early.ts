// Mistake: stopping after 30 epochs instead of adding a penalty. The unregularized network has not
// started memorising the noise yet, so the lab cannot show what a penalty does.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 30,
};
