// Mistake: six hidden layers, but activation 'linear'. Without a nonlinearity between them, the
// layers multiply out to a single linear function: still one straight line.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8, 8, 8, 8, 8, 8],
  activation: 'linear',
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
