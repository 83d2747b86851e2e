// Typical mistake: a sigmoid on the output, as in a classifier. The network can only answer between 0
// and 1, i.e. between $0 and $100,000 here, whatever the rate.
import * as tf from '@tensorflow/tfjs';

export function buildModel(numFeatures: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 12, activation: 'relu', inputShape: [numFeatures] }),
      tf.layers.dense({ units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

export const hyperparameters = {
  tooHigh: 0.5,
  good: 0.01,
  tooLow: 0.0001,
  batchSize: 64,
  epochs: 10,
};
