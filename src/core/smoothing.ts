// Exponential moving average with bias correction, as TensorBoard's scalar dashboard smooths curves.
// A plain EMA started at 0 drags the first points towards 0; dividing by (1 - w^k) after k points
// removes that bias, so the smoothed curve starts on the data instead of below it.
// Pure and browser-safe: the dashboard front end and the tests import it.

/** Largest usable weight: at 1 the average would never move. */
export const MAX_SMOOTHING = 0.999;

export function clampSmoothing(weight: number): number {
  if (!Number.isFinite(weight) || weight <= 0) return 0;
  return Math.min(weight, MAX_SMOOTHING);
}

/**
 * Smooths one series step by step, so a live curve can be extended without recomputing it.
 * Missing (null) and non-finite values pass through unchanged and do not move the average.
 */
export class EmaSmoother {
  private readonly weight: number;
  private last = 0;
  private count = 0;
  /** First finite value, while every finite value so far equals it (see push). */
  private constantValue: number | undefined;
  private constantSoFar = true;

  constructor(weight: number) {
    this.weight = clampSmoothing(weight);
  }

  push(value: number | null): number | null {
    if (value === null || !Number.isFinite(value)) return value;
    if (this.weight === 0) return value;
    this.last = this.last * this.weight + (1 - this.weight) * value;
    this.count++;
    // A flat series is returned as is: in exact arithmetic the debiased average equals it, and
    // this avoids showing 0.30000000000000004 for a loss of 0.3 (TensorBoard does the same).
    if (this.constantSoFar) {
      if (this.constantValue === undefined) this.constantValue = value;
      else if (value !== this.constantValue) this.constantSoFar = false;
      if (this.constantSoFar) return value;
    }
    return this.last / (1 - Math.pow(this.weight, this.count));
  }
}

/** Smoothed copy of a series; weight 0 returns the values unchanged, weights ≥ 1 are capped. */
export function smoothSeries(values: readonly (number | null)[], weight: number): (number | null)[] {
  const s = new EmaSmoother(weight);
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = s.push(values[i] ?? null);
  return out;
}
