// Using a neural network — see README.md for the steps and what to expect.
// The harness trains your network AND a linear model on the same features, rows and settings, side
// by side, and measures both on held-out blocks your code never sees.
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
  // 207 blocks have no bedroom count: assume a fifth of the rooms, the usual share.
  const bedrooms = (row.total_bedrooms ?? 0.2 * row.total_rooms) / row.households;
  const persons = row.population / row.households;
  return [
    // Step 1 — TODO: bring these five numbers to about 0…1 with scale(value, lo, hi), using the
    // ranges in README.md (persons per household goes up to 1,243: clip it).
    row.housing_median_age,
    row.median_income,
    rooms,
    bedrooms,
    persons,
    ...oneHotBucket(row.longitude, LONGITUDE_BOUNDARIES),
    ...oneHotBucket(row.latitude, LATITUDE_BOUNDARIES),
  ];
}

// The model learns the price in units of $100k.
export const labelScale = 100_000;

// Step 2 — TODO: make this a deep neural network: hidden layers of 100, 50 and 20 units with the
// 'relu' activation, each followed by tf.layers.dropout({ rate: 0.1 }), then one output unit.
// As it is, it is a linear model: one unit, no hidden layer.
export function buildModel(numFeatures: number): tf.LayersModel {
  return tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [numFeatures] })],
  });
}

// Adam with rate 0.003, batches of 100 rows, 3 passes over the training rows — for both models.
export const hyperparameters = {
  learningRate: 0.003,
  batchSize: 100,
  epochs: 3,
};
