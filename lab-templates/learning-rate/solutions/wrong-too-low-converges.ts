// Typical mistake: a "low" rate that is still in the range where Adam converges in 10 epochs. It is
// slower than the good rate, but its curve flattens near the same error: it does not crawl.
import * as tf from '@tensorflow/tfjs';

export function buildModel(numFeatures: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 12, activation: 'relu', inputShape: [numFeatures] }),
      tf.layers.dense({ units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

export const hyperparameters = {
  tooHigh: 0.5,
  good: 0.01,
  tooLow: 0.003,
  batchSize: 64,
  epochs: 10,
};
