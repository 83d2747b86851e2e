// Typical mistake: a study run with epochs turned down to save time, and the value kept. One pass
// over the rows is not enough for any rate.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households / 10, row.median_income / 10];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.043,
  batchSize: 64,
  epochs: 1,
};

export function buildModel(numFeatures: number, hp: typeof hyperparameters): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures] })] });
  model.compile({ optimizer: tf.train.adam(hp.learningRate), loss: 'meanSquaredError' });
  return model;
}
