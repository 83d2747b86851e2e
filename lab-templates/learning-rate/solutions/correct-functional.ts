// Correct alternative: the same network in the functional API, with a high rate of 1 and a good
// rate of 0.02.
import * as tf from '@tensorflow/tfjs';

export function buildModel(numFeatures: number): tf.LayersModel {
  const input = tf.input({ shape: [numFeatures] });
  const hidden1 = tf.layers.dense({ units: 12, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const hidden2 = tf.layers.dense({ units: 8, activation: 'relu' }).apply(hidden1) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 1 }).apply(hidden2) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

export const hyperparameters = {
  tooHigh: 1,
  good: 0.02,
  tooLow: 0.0001,
  batchSize: 64,
  epochs: 10,
};
