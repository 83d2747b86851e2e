// The lab's split: shuffle with a seed, then cut training / validation / held-out rows. Shared by the
// evaluator (which owns the held-out rows) and the scaffold (which gives the learner a copy of the
// data without them), so both cut exactly the same rows.
import seedrandom from 'seedrandom';

export type Rng = () => number;

export function makeRng(seed: number | string): Rng {
  return seedrandom.alea(String(seed));
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

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

/** Shuffles with the seed, then cuts train / validation / test (test is the held-out part). */
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
