// Mistake: the circle model left on x1 and x2. A linear model on the raw coordinates can only cut the
// plane with a straight line, which no circle is.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8, 8, 8, 8, 8, 8],
  activation: 'relu',
  learningRate: 0.01,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 1000,
};

export const circle: Network = {
  features: ['x1', 'x2'],
  hidden: [],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 300,
};
