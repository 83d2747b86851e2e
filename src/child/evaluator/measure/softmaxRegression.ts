// The best linear classifier on the learner's features, fitted exactly by Newton's method on the
// cross-entropy: logistic regression for two classes, softmax regression for more. The harness
// trains it in the same run as a yardstick, as least squares is for the regression labs.
import { solve } from './linearSolve';

export interface SoftmaxRegression {
  mean: number[];
  std: number[];
  /** weights[k] = [bias, ...w] for class k, on standardized features; class 0 is fixed at zero. */
  weights: number[][];
  iterations: number;
}

export interface FitOptions {
  /** Penalty ridge · n/2 · Σw² (bias excluded): just enough to keep separable or collinear data solvable. */
  ridge?: number;
  maxIterations?: number;
}

function standardizer(x: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const d = x[0]?.length ?? 0;
  const n = x.length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < d; j++) std[j] += (row[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) || 1;
  return { mean, std };
}

/** Class probabilities of one standardized row z (z[0] = 1 for the bias). */
function probabilities(weights: readonly (readonly number[])[], z: readonly number[], out: number[]): void {
  let max = -Infinity;
  for (let k = 0; k < weights.length; k++) {
    let s = 0;
    for (let a = 0; a < z.length; a++) s += weights[k][a] * z[a];
    out[k] = s;
    if (s > max) max = s;
  }
  let total = 0;
  for (let k = 0; k < weights.length; k++) {
    out[k] = Math.exp(out[k] - max);
    total += out[k];
  }
  for (let k = 0; k < weights.length; k++) out[k] /= total;
}

export function fitSoftmaxRegression(x: readonly (readonly number[])[], y: readonly number[], numClasses: number, options: FitOptions = {}): SoftmaxRegression {
  const ridge = options.ridge ?? 1e-4;
  const maxIterations = options.maxIterations ?? 30;
  const n = x.length;
  const d = (x[0]?.length ?? 0) + 1;
  const free = numClasses - 1; // class 0 is the reference: its weights stay zero
  const P = free * d;
  const { mean, std } = standardizer(x);
  const zs = x.map((row) => [1, ...row.map((v, j) => (v - mean[j]) / std[j])]);
  const weights = Array.from({ length: numClasses }, () => new Array<number>(d).fill(0));
  const p = new Array<number>(numClasses);

  const objective = (w: number[][]): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      probabilities(w, zs[i], p);
      loss -= Math.log(Math.max(p[y[i]], 1e-300));
    }
    for (let k = 1; k < numClasses; k++) for (let a = 1; a < d; a++) loss += (ridge * n * w[k][a] ** 2) / 2;
    return loss;
  };

  let current = objective(weights);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const g = new Array<number>(P).fill(0);
    const h = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    for (let i = 0; i < n; i++) {
      const z = zs[i];
      probabilities(weights, z, p);
      for (let k = 1; k < numClasses; k++) {
        const rk = (k - 1) * d;
        const err = p[k] - (y[i] === k ? 1 : 0);
        for (let a = 0; a < d; a++) g[rk + a] += err * z[a];
        for (let l = k; l < numClasses; l++) {
          const rl = (l - 1) * d;
          const c = p[k] * ((k === l ? 1 : 0) - p[l]);
          if (c === 0) continue;
          for (let a = 0; a < d; a++) {
            const ca = c * z[a];
            for (let b = k === l ? a : 0; b < d; b++) h[rk + a][rl + b] += ca * z[b];
          }
        }
      }
    }
    for (let r = 0; r < P; r++) {
      for (let c = 0; c < r; c++) h[r][c] = h[c][r];
      if (r % d !== 0) {
        h[r][r] += ridge * n;
        g[r] += ridge * n * weights[Math.floor(r / d) + 1][r % d];
      }
    }
    const step = solve(h, g);
    // Newton step with backtracking: halve it until the objective goes down.
    let t = 1;
    let next = weights;
    let value = current;
    for (let tries = 0; tries < 30; tries++, t /= 2) {
      next = weights.map((row, k) => (k === 0 ? row.slice() : row.map((w, a) => w - t * step[(k - 1) * d + a])));
      value = objective(next);
      if (value <= current) break;
    }
    if (!(value <= current)) break;
    for (let k = 1; k < numClasses; k++) weights[k] = next[k];
    const improved = current - value;
    current = value;
    if (improved < 1e-9 * n) {
      iterations++;
      break;
    }
  }
  return { mean, std, weights, iterations };
}

export function predictSoftmaxRegression(model: SoftmaxRegression, x: readonly (readonly number[])[]): number[][] {
  return x.map((row) => {
    const z = [1, ...row.map((v, j) => (v - model.mean[j]) / model.std[j])];
    const p = new Array<number>(model.weights.length);
    probabilities(model.weights, z, p);
    return p;
  });
}
