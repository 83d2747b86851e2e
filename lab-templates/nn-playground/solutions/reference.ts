// Reference solution. Circle: x1² and x2² added to x1 and x2 — in those features the circle is a
// straight line, so the linear model draws it. Spiral: six hidden layers of 8 ReLU neurons on x1 and
// x2 (TF Playground's preset nn-spiral); each layer bends the previous layer's features again, until
// the two arms come apart.
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
  features: ['x1', 'x2', 'x1Squared', 'x2Squared'],
  hidden: [],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 300,
};
