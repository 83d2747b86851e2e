// Typical mistake: a rate whose curve is noisy is taken for "too high". At 0.1 the loss jumps around
// but the network still learns; a rate that is really too high makes it fail.
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
  tooHigh: 0.1,
  good: 0.01,
  tooLow: 0.0001,
  batchSize: 64,
  epochs: 10,
};
