// Typical mistake: well tuned by hand, but the rate is written into buildModel(). The run passes on
// its own, yet a study could not tune it: every trial would train with 0.03.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

// Rooms per household and median income, divided by 10 so that both are about 0…1.
export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households / 10, row.median_income / 10];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.03,
  batchSize: 8,
  epochs: 5,
};

export function buildModel(numFeatures: number, hp: typeof hyperparameters): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures] })] });
  model.compile({ optimizer: tf.train.adam(0.03), loss: 'meanSquaredError' });
  return model;
}
