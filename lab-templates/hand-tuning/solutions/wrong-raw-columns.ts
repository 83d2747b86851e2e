// Typical mistake: the block totals as they are. Total rooms average about 2,600 per block: with
// inputs that large, no single learning rate suits both weights.
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms, row.median_income];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 100,
  epochs: 25,
};
