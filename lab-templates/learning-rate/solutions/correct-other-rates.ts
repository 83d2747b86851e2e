// Correct alternative: other rates, still decades apart: 2 kills the network, 0.005 converges, and
// 0.0002 crawls.
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
  tooHigh: 2,
  good: 0.005,
  tooLow: 0.0002,
  batchSize: 64,
  epochs: 10,
};
