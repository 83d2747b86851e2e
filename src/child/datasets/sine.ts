// Synthetic sine sequences, as in the course's time-series custom estimator: each sequence is
// a·sin(f·t) for t = 0..9, with a frequency f ∈ U[0.1, 0.6) and an amplitude a ∈ U[0.5, 1.5).
// The first nine values are the inputs; the tenth is the value to predict. Seeded, so every
// learner trains and is graded on the same sequences.
import { makeRng } from '../common/seed';

export const SINE_LABEL = 'next';
/** Values a model sees per sequence (t = 0..8); the value at t = 9 is the label. */
export const SINE_INPUTS = 9;
export const SINE_FREQUENCY: readonly [number, number] = [0.1, 0.6];
export const SINE_AMPLITUDE: readonly [number, number] = [0.5, 1.5];

export interface SineRow {
  /** a·sin(f·t) for t = 0..8. */
  inputs: number[];
  /** a·sin(f·9): the value to predict. */
  next: number;
  frequency: number;
  amplitude: number;
}

export function sineSequences(count: number, seed: number): SineRow[] {
  const rng = makeRng(`sine-${seed}`);
  const rows: SineRow[] = [];
  for (let i = 0; i < count; i++) {
    const frequency = SINE_FREQUENCY[0] + (SINE_FREQUENCY[1] - SINE_FREQUENCY[0]) * rng();
    const amplitude = SINE_AMPLITUDE[0] + (SINE_AMPLITUDE[1] - SINE_AMPLITUDE[0]) * rng();
    const inputs: number[] = [];
    for (let t = 0; t < SINE_INPUTS; t++) inputs.push(amplitude * Math.sin(frequency * t));
    rows.push({ inputs, next: amplitude * Math.sin(frequency * SINE_INPUTS), frequency, amplitude });
  }
  return rows;
}
