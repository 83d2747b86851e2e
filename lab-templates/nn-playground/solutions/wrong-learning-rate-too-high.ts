// Mistake: "training is slow, raise the rate" taken too far. At 3 the first steps throw the weights
// so far that every neuron is stuck and the network stops learning.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8, 8, 8, 8, 8, 8],
  activation: 'relu',
  learningRate: 3,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 1000,
};

export const circle: Network = {
  features: ['x1', 'x2', 'x1Squared', 'x2Squared'],
  hidden: [],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 300,
};
