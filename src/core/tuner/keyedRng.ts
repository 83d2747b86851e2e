// Seeded randomness for the samplers. Each draw is keyed by the study seed and the trial number
// (not by a stream carried between calls), so a resumed study proposes exactly what an
// uninterrupted one would have, and samplers keep no state.
import seedrandom from 'seedrandom';

export type Rng = () => number;

export function makeRng(...key: (number | string)[]): Rng {
  return seedrandom.alea(key.join(':'));
}

/** A standard normal draw (Box–Muller). */
export function gaussian(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Fisher–Yates shuffle, in place. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
