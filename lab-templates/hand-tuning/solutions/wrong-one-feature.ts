// Typical mistake: well tuned, but still only rooms per household, which barely beats predicting
// the average price. No amount of tuning gets below the best line through one weak feature.
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 100,
  epochs: 25,
};
