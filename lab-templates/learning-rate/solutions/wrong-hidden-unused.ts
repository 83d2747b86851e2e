// Typical mistake: in the functional API, the output layer is applied to the input instead of the
// last hidden layer. The hidden layers are built but never used: the network is a straight line.
import * as tf from '@tensorflow/tfjs';

export function buildModel(numFeatures: number): tf.LayersModel {
  const input = tf.input({ shape: [numFeatures] });
  const hidden1 = tf.layers.dense({ units: 12, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const hidden2 = tf.layers.dense({ units: 8, activation: 'relu' }).apply(hidden1) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 1 }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

export const hyperparameters = {
  tooHigh: 0.5,
  good: 0.01,
  tooLow: 0.0001,
  batchSize: 64,
  epochs: 10,
};
