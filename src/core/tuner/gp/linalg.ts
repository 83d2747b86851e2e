// The little dense linear algebra a Gaussian process needs: a Cholesky factorisation and the
// solves built on it. Matrices are square, row-major Float64Arrays of n × n; n is at most a few
// hundred trials, so plain loops are fast enough.

/**
 * Lower-triangular L with L·Lᵀ = A, or undefined if A is not (numerically) positive definite.
 * Only the lower triangle of A is read.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j];
      }
    }
  }
  return l;
}

/**
 * Cholesky of A + jitter·I, raising the jitter from `start` until the factorisation succeeds —
 * kernel matrices of nearby points are often only just positive definite.
 */
export function choleskyWithJitter(a: Float64Array, n: number, start = 1e-10): { l: Float64Array; jitter: number } {
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const m = jitter === 0 ? a : addDiagonal(a, n, jitter);
    const l = cholesky(m, n);
    if (l) return { l, jitter };
    jitter = jitter === 0 ? start : jitter * 10;
  }
  throw new Error('kernel matrix is not positive definite even with added jitter');
}

function addDiagonal(a: Float64Array, n: number, d: number): Float64Array {
  const m = Float64Array.from(a);
  for (let i = 0; i < n; i++) m[i * n + i] += d;
  return m;
}

/** Solves L·x = b for lower-triangular L. */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * x[k];
    x[i] = sum / l[i * n + i];
  }
  return x;
}

/** Solves Lᵀ·x = b for lower-triangular L. */
export function solveUpperTransposed(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
    x[i] = sum / l[i * n + i];
  }
  return x;
}

/** Solves A·x = b given the Cholesky factor L of A. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperTransposed(l, n, solveLower(l, n, b));
}

/** A⁻¹ from the Cholesky factor L of A (symmetric, full matrix). */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  // Invert L (lower triangular), then A⁻¹ = L⁻ᵀ·L⁻¹.
  const li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    li[i * n + i] = 1 / l[i * n + i];
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= l[i * n + k] * li[k * n + j];
      li[i * n + j] = sum / l[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += li[k * n + i] * li[k * n + j];
      inv[i * n + j] = sum;
      inv[j * n + i] = sum;
    }
  }
  return inv;
}

/** log det A from the Cholesky factor L of A. */
export function choleskyLogDet(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}
