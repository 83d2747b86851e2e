// Ordinary least squares (with intercept) by the normal equations: the best any linear model can do
// on the learner's features. The lab compares the trained model with it, so "converged" is measurable.
import { solve } from './linearSolve';

/** Returns [intercept, ...weights]; a tiny ridge keeps collinear features solvable. */
export function fitLeastSquares(x: number[][], y: number[], ridge = 1e-9): number[] {
  const n = x.length;
  const p = (x[0]?.length ?? 0) + 1;
  // Standardise columns so the normal equations stay well conditioned on raw features.
  const mean = new Array<number>(p - 1).fill(0);
  const std = new Array<number>(p - 1).fill(0);
  for (const row of x) row.forEach((v, j) => (mean[j] += v / n));
  for (const row of x) row.forEach((v, j) => (std[j] += (v - mean[j]) ** 2 / n));
  for (let j = 0; j < p - 1; j++) std[j] = Math.sqrt(std[j]) || 1;
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  const z = new Array<number>(p);
  for (let i = 0; i < n; i++) {
    z[0] = 1;
    for (let j = 1; j < p; j++) z[j] = (x[i][j - 1] - mean[j - 1]) / std[j - 1];
    for (let r = 0; r < p; r++) {
      b[r] += z[r] * y[i];
      for (let c = r; c < p; c++) a[r][c] += z[r] * z[c];
    }
  }
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < r; c++) a[r][c] = a[c][r];
    a[r][r] += ridge * n;
  }
  const beta = solve(a, b);
  // Undo the standardisation.
  const weights = beta.slice(1).map((w, j) => w / std[j]);
  const intercept = beta[0] - weights.reduce((s, w, j) => s + w * mean[j], 0);
  return [intercept, ...weights];
}

export function predictLinear(coef: number[], x: number[][]): number[] {
  return x.map((row) => row.reduce((s, v, j) => s + v * coef[j + 1], coef[0]));
}

export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (pred[i] - truth[i]) ** 2;
  return Math.sqrt(s / truth.length);
}
