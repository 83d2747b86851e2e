// Typical mistake: a good rate, stopped too early. The validation loss is still falling steeply
// when training ends, so the model has not reached the line it is heading for.
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households, row.median_income];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 100,
  epochs: 3,
};
