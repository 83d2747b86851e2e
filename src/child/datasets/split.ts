import { makeRng, shuffled } from '../rng';

export interface Split<T> {
  train: T[];
  validation: T[];
  test: T[];
}

export interface SplitSpec {
  train: number;
  validation: number;
  test: number;
}

/** Shuffles with the lab's fixed seed, then cuts train / validation / test (test is the held-out part). */
export function splitRows<T>(rows: readonly T[], spec: SplitSpec, seed: number, limit?: number): Split<T> {
  let all = shuffled(rows, makeRng(seed));
  if (limit !== undefined) all = all.slice(0, limit);
  const nTrain = Math.round(all.length * spec.train);
  const nValidation = Math.round(all.length * spec.validation);
  return {
    train: all.slice(0, nTrain),
    validation: all.slice(nTrain, nTrain + nValidation),
    test: all.slice(nTrain + nValidation),
  };
}
