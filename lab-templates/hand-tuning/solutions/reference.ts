// Reference solution: label in units of $100k, a rate that converges in the epochs given, and
// median income added to rooms per household.
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households, row.median_income];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 100,
  epochs: 25,
};
