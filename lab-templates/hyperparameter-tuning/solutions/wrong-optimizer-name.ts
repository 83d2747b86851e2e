// Typical mistake: the optimizer named as a string. TensorFlow.js then builds Adam with its default
// rate, 0.001, whatever learningRate says, and 5 epochs at 0.001 leave the line far from the answer.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

// Rooms per household and median income, divided by 10 so that both are about 0…1.
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
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures] })] });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}
