// Learning rate — see README.md for the steps and what to expect.
// The harness feeds your network the 8 numeric columns of the housing data, standardized, and the
// price in units of $100k. It trains one copy of the network per learning rate below, all from the
// same starting weights, side by side, and reads the three curves.
import * as tf from '@tensorflow/tfjs';

// The network: 12 and 8 ReLU units, then one output (the price). It is ready; the lesson is the rate.
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
  // TODO: a rate so high that training blows up or the network dies (its curve jumps up or goes flat
  // at the error of guessing the average price).
  tooHigh: 0.01,
  // TODO: a rate that converges within the epochs below: the curve drops fast, then flattens.
  good: 0.01,
  // TODO: a rate so low that the curve is still crawling down when training stops.
  tooLow: 0.01,
  // Rows per step and passes over the training rows, the same for every rate.
  batchSize: 64,
  epochs: 10,
};
