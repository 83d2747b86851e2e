// A small synthetic regression set (y = 3x + 2 + noise) for fast tests and smoke runs.
import { makeRng } from '../common/seed';

export interface LinearRow {
  x: number;
  y: number;
}

export const LINEAR_LABEL = 'y';

export function syntheticLinear(rows: number, seed = 7): LinearRow[] {
  const rng = makeRng(seed);
  const out: LinearRow[] = [];
  for (let i = 0; i < rows; i++) {
    const x = rng() * 2 - 1;
    // Box–Muller for Gaussian noise with σ = 0.1.
    const noise = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()) * 0.1;
    out.push({ x, y: 3 * x + 2 + noise });
  }
  return out;
}
