// Mistake: one hidden layer for the spiral. Its neurons give curved features, but a spiral needs
// those curves bent again, layer after layer.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8],
  activation: 'relu',
  learningRate: 0.01,
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
