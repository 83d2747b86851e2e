// Mistake: no hidden layer for the spiral. A linear model draws one straight line through the plane;
// on two interleaved spiral arms that is no better than answering 0 everywhere.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 500,
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
