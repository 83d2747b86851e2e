// Typical mistake: hidden layers that start from zero weights. Every unit of a layer computes the same
// thing and gets the same gradient, so the 100, 50 and 20 units act like one unit per layer.
import * as tf from '@tensorflow/tfjs';
import type { HousingRow } from './data/housing';

/** n evenly spaced numbers from lo to hi. */
function evenly(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

// The course's location buckets: 5 boundaries of longitude, 10 of latitude.
const LONGITUDE_BOUNDARIES = evenly(-124.3, -114.3, 5);
const LATITUDE_BOUNDARIES = evenly(32.5, 42, 10);

/** One-hot bucket: boundaries.length + 1 slots, a 1 in the slot of the interval the value falls in. */
function oneHotBucket(value: number, boundaries: number[]): number[] {
  const slots = new Array<number>(boundaries.length + 1).fill(0);
  let k = 0;
  while (k < boundaries.length && value >= boundaries[k]) k++;
  slots[k] = 1;
  return slots;
}

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
    ...oneHotBucket(row.longitude, LONGITUDE_BOUNDARIES),
    ...oneHotBucket(row.latitude, LATITUDE_BOUNDARIES),
  ];
}

export const labelScale = 100_000;

export function buildModel(numFeatures: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'zeros', inputShape: [numFeatures] }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 50, activation: 'relu', kernelInitializer: 'zeros' }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 20, activation: 'relu', kernelInitializer: 'zeros' }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}

export const hyperparameters = {
  learningRate: 0.003,
  batchSize: 100,
  epochs: 3,
};
