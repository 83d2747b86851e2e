// Seeded randomness, so a run is reproducible from its recorded seed.
import seedrandom from 'seedrandom';

export { makeRng, shuffled, type Rng } from '../../core/data/split';

/**
 * Replaces Math.random, which TensorFlow.js uses for weight initialisation and for shuffling batches.
 * seedrandom's default generator repeats its key cyclically, so the keys "1" and "11" would give
 * the same stream: a key of distinct length and shape for every seed avoids that.
 */
export function seedGlobalRandom(seed: number): void {
  seedrandom(`run-seed:${seed}:`, { global: true });
}
