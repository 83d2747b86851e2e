// Typical mistake: an output activation copied from a classification lab. A sigmoid squeezes every
// prediction between 0 and 1: at most $100,000, where many blocks cost far more.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households / 10, row.median_income / 10];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.043,
  batchSize: 8,
  epochs: 5,
};

export function buildModel(numFeatures: number, hp: typeof hyperparameters): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures], activation: 'sigmoid' })] });
  model.compile({ optimizer: tf.train.adam(hp.learningRate), loss: 'meanSquaredError' });
  return model;
}
