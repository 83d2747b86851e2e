// Typical mistake: rates picked on a linear scale, all within one decade. They all train about the
// same, so nothing diverges and nothing crawls.
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
  tooHigh: 0.03,
  good: 0.01,
  tooLow: 0.005,
  batchSize: 64,
  epochs: 10,
};
