// Mistake: the network shrunk to x1, x2 and one hidden layer of 2 neurons (and L2 added on top). It
// cannot memorise anything, so there is no overfitting left for the penalty to cure.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [2],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'L2',
  regularizationRate: 0.03,
  epochs: 1000,
};
