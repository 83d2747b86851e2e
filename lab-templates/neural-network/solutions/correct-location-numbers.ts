// Correct alternative: longitude and latitude go in as two scaled numbers instead of one-hot buckets.
// A linear model can do little with them; the DNN draws its own regions.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

/** Maps lo…hi to 0…1; values outside are clipped to the nearest end (so outliers stay in range). */
function scale(value: number, lo: number, hi: number): number {
  return (Math.min(hi, Math.max(lo, value)) - lo) / (hi - lo);
}

export function features(row: HousingRow): number[] {
  const rooms = row.total_rooms / row.households;
  const bedrooms = (row.total_bedrooms ?? 0.2 * row.total_rooms) / row.households;
  const persons = row.population / row.households;
  return [
    scale(row.housing_median_age, 0, 52),
    scale(row.median_income, 1, 10.6),
    scale(rooms, 2.6, 10.4),
    scale(bedrooms, 0.87, 2.1),
    scale(persons, 1.5, 5.4),
    scale(row.longitude, -124.3, -114.3),
    scale(row.latitude, 32.5, 42),
  ];
}

export const labelScale = 100_000;

export function buildModel(numFeatures: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 100, activation: 'relu', inputShape: [numFeatures] }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 50, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 20, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}

export const hyperparameters = {
  learningRate: 0.003,
  batchSize: 100,
  epochs: 3,
};
