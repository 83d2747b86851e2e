// Typical mistake: "too slow → raise the rate" taken too far. The loss jumps around and blows up.
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households, row.median_income];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 5,
  batchSize: 100,
  epochs: 20,
};
