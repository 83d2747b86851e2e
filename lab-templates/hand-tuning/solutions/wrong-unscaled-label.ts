// Typical mistake: everything tuned, but the label is left in dollars. Adam moves each weight by
// about the learning rate per step, so the weights never get anywhere near 200,000.
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households, row.median_income];
}

export const labelScale = 1;

export const hyperparameters = {
  learningRate: 0.01,
  batchSize: 100,
  epochs: 25,
};
