// Seeded randomness for the playground. The generator is seedrandom's default (ARC4), the one
// TF Playground seeds with `Math.seedrandom(seed)`: drawing numbers in the same order as it does
// means a seed string copied from a TF Playground address gives the same points and the same
// initial weights here. No Node-only imports: this also runs inside a webview.
import seedrandom from 'seedrandom';

/** Uniform numbers in [0, 1). */
export type Rng = () => number;

export function createRng(seed: string | number): Rng {
  return seedrandom(String(seed));
}

/** A fresh seed in TF Playground's format (five decimals), for "regenerate data". Not for security. */
export function newSeed(): string {
  return Math.random().toFixed(5);
}

export function uniform(rng: Rng, a: number, b: number): number {
  return rng() * (b - a) + a;
}

/**
 * Normal sample by the polar (Marsaglia) method, which TF Playground uses; `variance`, not σ.
 * s = 0 is rejected too: it would give a non-finite value.
 */
export function normal(rng: Rng, mean: number, variance: number): number {
  let v1: number;
  let v2: number;
  let s: number;
  do {
    v1 = 2 * rng() - 1;
    v2 = 2 * rng() - 1;
    s = v1 * v1 + v2 * v2;
  } while (s > 1 || s === 0);
  return mean + Math.sqrt(variance) * (Math.sqrt((-2 * Math.log(s)) / s) * v1);
}
