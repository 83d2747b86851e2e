// Correct, and different from the reference: RMSProp instead of Adam, its rate still taken from the
// hyperparameters (a study of this optimizer finds its own best rate, here 0.01).
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households / 10, row.median_income / 10];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 8,
  epochs: 5,
};

export function buildModel(numFeatures: number, hp: typeof hyperparameters): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures] })] });
  model.compile({ optimizer: tf.train.rmsprop(hp.learningRate), loss: 'meanSquaredError' });
  return model;
}
