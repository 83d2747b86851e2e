// Hand-tuning a linear model — see README.md for the steps and what to expect.
// The harness loads the housing data, trains a linear model (Adam optimizer, mean squared error)
// with your settings, and grades it on held-out rows your code never sees.
import type { HousingRow } from './data/housing';

// Step 1 — the feature. One number per block: the average number of rooms per household.
// Step 4 — TODO: when steps 2 and 3 are done, add a second, stronger feature (see README.md).
export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households];
}

// Step 2 — TODO: scale the label. The model learns median_house_value / labelScale.
// Prices are around $200,000: pick a scale that brings them near 1.
export const labelScale = 1;

// Step 3 — TODO: tune these by reading the loss curves (rules of thumb in README.md).
export const hyperparameters = {
  learningRate: 0.001,
  batchSize: 100,
  epochs: 5,
};
