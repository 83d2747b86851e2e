// Hyperparameter tuning — see README.md for the steps and what to expect.
// The model of the hand-tuning lab: a straight line through two features, trained with Adam on the
// mean squared error. This time a tuner picks the learning rate and the batch size: it runs the lab
// once per trial, each time with the trial's values in place of the ones below.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

// Rooms per household and median income, divided by 10 so that both are about 0…1.
export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households / 10, row.median_income / 10];
}

// The model learns the price in units of $100k.
export const labelScale = 100_000;

// The knobs a study may turn (hptuning.yaml says which, and over what ranges). The harness trains
// with batchSize rows per step for `epochs` passes, and hands all of them to buildModel() below.
// Step 3 — TODO: when your study has finished, put its best trial's values here.
export const hyperparameters = {
  learningRate: 0.001,
  batchSize: 64,
  epochs: 5,
};

// The harness calls buildModel(numFeatures, hp) with this run's hyperparameters: the values above,
// or a trial's values during a study.
export function buildModel(numFeatures: number, hp: typeof hyperparameters): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures] })] });
  // Step 1 — TODO: this rate is written into the code, so every trial of a study would train with
  // it, whatever the study asks for. Take it from hp instead.
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  return model;
}
