// Correct alternative: the circle from x1² and x2² alone (x1 and x2 add nothing to a circle centred
// at 0), and the spiral trained for 1,500 epochs.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8, 8, 8, 8, 8, 8],
  activation: 'relu',
  learningRate: 0.01,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 1500,
};

export const circle: Network = {
  features: ['x1Squared', 'x2Squared'],
  hidden: [],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 300,
};
