// Reference solution: three rates a decade or more apart. Adam's steps are about the size of the
// rate, so 0.5 throws the ReLU units out of their useful range, 0.0001 needs thousands of steps
// more, and 0.01 converges in about a thousand.
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
  tooLow: 0.0001,
  batchSize: 64,
  epochs: 10,
};
