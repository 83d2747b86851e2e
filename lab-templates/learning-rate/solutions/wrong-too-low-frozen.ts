// Typical mistake: a rate so low that the network barely moves at all. Its curve is flat, not
// crawling: 10 epochs of steps of 0.000001 change nothing you can see.
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
  tooLow: 0.000001,
  batchSize: 64,
  epochs: 10,
};
