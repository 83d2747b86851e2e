// Mistake: the learning rate raised to 3 "to train faster". The first steps throw the weights so far
// that every tanh neuron saturates at ±1, and the loss ends worse than where it started.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1TimesX2', 'sinX1', 'sinX2'],
  hidden: [8, 8],
  activation: 'tanh',
  learningRate: 3,
  batchSize: 10,
  regularization: 'L2',
  regularizationRate: 0.03,
  epochs: 1000,
};
