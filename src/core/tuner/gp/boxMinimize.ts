// Minimisation of a smooth function over a box, by the spectral projected gradient method
// (Birgin, Martínez & Raydan, 2000): a projected gradient step whose length is the Barzilai–Borwein
// estimate of the inverse curvature, with a non-monotone backtracking line search. It handles
// bounds exactly, needs only gradients, and is short — all the Gaussian-process sampler needs, both
// for fitting the kernel and for maximising expected improvement.

export interface Objective {
  value: number;
  gradient: Float64Array;
}

export interface BoxMinimizeOptions {
  maxIterations?: number;
  /** Stop when the projected gradient step moves no coordinate by more than this. */
  tolerance?: number;
  /** Number of past values the line search may exceed (non-monotone window). */
  memory?: number;
}

export interface BoxMinimum {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
}

const STEP_MIN = 1e-10;
const STEP_MAX = 1e10;
const SUFFICIENT_DECREASE = 1e-4;

export function boxMinimize(
  f: (x: Float64Array) => Objective,
  start: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: BoxMinimizeOptions = {},
): BoxMinimum {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const memory = options.memory ?? 5;
  const project = (x: Float64Array) => {
    for (let i = 0; i < n; i++) x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
    return x;
  };

  let x = project(Float64Array.from(start));
  let current = safe(f(x));
  let evaluations = 1;
  const history = [current.value];
  // First step: a unit move of the largest gradient component.
  let lambda = 1 / Math.max(maxAbs(current.gradient), 1e-12);
  let best = { x, value: current.value };
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    const direction = new Float64Array(n);
    const trial = new Float64Array(n);
    for (let i = 0; i < n; i++) trial[i] = x[i] - lambda * current.gradient[i];
    project(trial);
    for (let i = 0; i < n; i++) direction[i] = trial[i] - x[i];
    if (maxAbs(direction) <= tolerance) break;
    let slope = 0;
    for (let i = 0; i < n; i++) slope += current.gradient[i] * direction[i];
    if (!(slope < 0)) break;

    const reference = Math.max(...history.slice(-memory));
    let alpha = 1;
    let next: Objective | undefined;
    let xNext = x;
    for (let search = 0; search < 30; search++) {
      xNext = new Float64Array(n);
      for (let i = 0; i < n; i++) xNext[i] = x[i] + alpha * direction[i];
      next = safe(f(xNext));
      evaluations++;
      if (next.value <= reference + SUFFICIENT_DECREASE * alpha * slope) break;
      // Minimiser of the quadratic through f(0), f'(0) and f(alpha), kept in a safe range.
      const q = (-slope * alpha * alpha) / (2 * (next.value - current.value - slope * alpha));
      alpha = Number.isFinite(q) && q > 0.1 * alpha && q < 0.5 * alpha ? q : alpha / 2;
      next = undefined;
    }
    if (!next) break;

    let ss = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      const s = xNext[i] - x[i];
      const y = next.gradient[i] - current.gradient[i];
      ss += s * s;
      sy += s * y;
    }
    lambda = sy > 0 ? Math.min(STEP_MAX, Math.max(STEP_MIN, ss / sy)) : STEP_MAX / 1e5;
    x = xNext;
    current = next;
    history.push(current.value);
    if (current.value < best.value) best = { x, value: current.value };
  }
  return { x: best.x, value: best.value, iterations, evaluations };
}

/** A NaN or infinite value is treated as a wall, so the line search backs away from it. */
function safe(o: Objective): Objective {
  if (Number.isFinite(o.value) && o.gradient.every(Number.isFinite)) return o;
  return { value: Infinity, gradient: o.gradient.map(() => 0) };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}
