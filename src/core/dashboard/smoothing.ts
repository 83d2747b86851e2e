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
  /** weight^k after k finite values: the share of the average still owed to the zero start. */
  private decay = 1;
  /** First finite value, while every finite value so far equals it (see push). */
  private constantValue: number | undefined;
  private constantSoFar = true;

  constructor(weight: number) {
    this.weight = clampSmoothing(weight);
  }

  push(value: number | null): number | null {
    if (value === null || !Number.isFinite(value) || this.weight === 0) return value;
    const w = this.weight;
    this.last = this.last * w + (1 - w) * value;
    this.decay *= w;
    // A flat series is returned as is: in exact arithmetic the debiased average equals it, and
    // this avoids showing 0.30000000000000004 for a loss of 0.3 (TensorBoard does the same).
    if (this.constantSoFar) {
      if (this.constantValue === undefined) this.constantValue = value;
      else if (value !== this.constantValue) this.constantSoFar = false;
      if (this.constantSoFar) return value;
    }
    return this.last / (1 - this.decay);
  }

  /** Appends to `out` the smoothed values of values[out.length…]. */
  extend(values: readonly (number | null)[], out: (number | null)[]): void {
    for (let i = out.length; i < values.length; i++) out.push(this.push(values[i] ?? null));
  }

  /**
   * Writes the smoothed values of values[from…] into out[from…], NaN where a value is missing:
   * what the dashboard draws from. The steps of push, inlined, into a typed array of plain
   * doubles, so a first draw of 100k points allocates nothing per point. `from` must be where the
   * previous call stopped (the average only looks back).
   */
  extendInto(values: readonly (number | null)[], out: Float64Array, from: number): void {
    const w = this.weight;
    const n = values.length;
    let last = this.last;
    let decay = this.decay;
    let constantValue = this.constantValue ?? Number.NaN;
    let constantSoFar = this.constantSoFar;
    for (let i = from; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined || v !== v || v === Infinity || v === -Infinity) {
        out[i] = Number.NaN;
        continue;
      }
      if (w === 0) {
        out[i] = v;
        continue;
      }
      last = last * w + (1 - w) * v;
      decay *= w;
      if (constantSoFar) {
        if (constantValue !== constantValue) constantValue = v;
        else if (v !== constantValue) constantSoFar = false;
        if (constantSoFar) {
          out[i] = v;
          continue;
        }
      }
      out[i] = last / (1 - decay);
    }
    this.last = last;
    this.decay = decay;
    this.constantValue = constantValue !== constantValue ? undefined : constantValue;
    this.constantSoFar = constantSoFar;
  }
}

/** Smoothed copy of a series; weight 0 returns the values unchanged, weights ≥ 1 are capped. */
export function smoothSeries(values: readonly (number | null)[], weight: number): (number | null)[] {
  const out: (number | null)[] = [];
  new EmaSmoother(weight).extend(values, out);
  return out;
}
