// Seeded randomness, so a run is reproducible from its recorded seed.
import seedrandom from 'seedrandom';

export type Rng = () => number;

export function makeRng(seed: number | string): Rng {
  return seedrandom.alea(String(seed));
}

/**
 * Replaces Math.random, which TensorFlow.js uses for weight initialisation and for shuffling batches.
 * seedrandom's default generator repeats its key cyclically, so the keys "1" and "11" would give
 * the same stream: a key of distinct length and shape for every seed avoids that.
 */
export function seedGlobalRandom(seed: number): void {
  seedrandom(`run-seed:${seed}:`, { global: true });
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
