// Typical mistake: plenty of epochs, but a rate so small that each step barely moves the weights.
// After 30 epochs the loss is still sliding down.
import type { HousingRow } from './data/housing';

export function features(row: HousingRow): number[] {
  return [row.total_rooms / row.households, row.median_income];
}

export const labelScale = 100_000;

export const hyperparameters = {
  learningRate: 0.0001,
  batchSize: 100,
  epochs: 30,
};
