// Mistake: stopping after 200 epochs because the loss "is not moving". A deep network on the spiral
// sits on a plateau before the arms come apart; 200 epochs end on the way down.
import type { Network } from './data/playground';

export const network: Network = {
  features: ['x1', 'x2'],
  hidden: [8, 8, 8, 8, 8, 8],
  activation: 'relu',
  learningRate: 0.01,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  epochs: 200,
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
