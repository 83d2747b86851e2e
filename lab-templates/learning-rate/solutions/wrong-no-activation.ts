// Typical mistake: the hidden layers have no activation. The network is then one linear function of
// the inputs, whatever the rate: no rate can take it below the best straight line.
import * as tf from '@tensorflow/tfjs';

export function buildModel(numFeatures: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 12, inputShape: [numFeatures] }),
      tf.layers.dense({ units: 8 }),
      tf.layers.dense({ units: 1 }),
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
