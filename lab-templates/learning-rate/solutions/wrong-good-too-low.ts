// Typical mistake: the "good" rate is one decade too low. Adam at 0.001 is still going down when the
// 10 epochs end, far from where the network could get.
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
  good: 0.001,
  tooLow: 0.0001,
  batchSize: 64,
  epochs: 10,
};
