// Typical mistake: "bigger steps, faster" taken too far: at rate 10 Adam overshoots on every step.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households / 10, row.median_income / 10];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 10,
  batchSize: 8,
  epochs: 5,
};

export function buildModel(numFeatures: number, hp: typeof hyperparameters): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures] })] });
  model.compile({ optimizer: tf.train.adam(hp.learningRate), loss: 'meanSquaredError' });
  return model;
}
