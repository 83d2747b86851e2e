// A Gaussian-process regression model over the unit cube with a Matérn 5/2 kernel: one length
// scale per input (so irrelevant parameters are learned to be flat), a signal variance and a noise
// variance. The prior mean is zero: callers standardise the outputs first.
//
// The kernel's settings are fitted by maximising the marginal likelihood times weak priors (a MAP
// estimate): with the 5 to 50 points of a tuning study, plain maximum likelihood often picks
// absurd length scales, and the priors keep it sensible without forcing it.
import { makeRng, type Rng } from '../keyedRng';
import { boxMinimize, type Objective } from './boxMinimize';
import { choleskyInverse, choleskyLogDet, choleskySolve, choleskyWithJitter, solveLower } from './linalg';

const SQRT5 = Math.sqrt(5);
const LOG_2PI = Math.log(2 * Math.PI);

export interface KernelSettings {
  /** One per input dimension, in unit-cube units. */
  lengthScales: number[];
  signalVariance: number;
  noiseVariance: number;
}

/** Matérn 5/2 correlation at scaled distance r. */
export function matern52(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/**
 * −(1/r)·d matern52/dr = (5/3)(1 + √5 r)·e^{−√5 r}: the factor shared by the derivatives with
 * respect to length scales and inputs (finite at r = 0, unlike the distance's own derivative).
 */
function maternSlope(r: number): number {
  return (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

function scaledDistance(a: readonly number[], b: readonly number[], inverseSquaredScales: Float64Array): number {
  let r2 = 0;
  for (let d = 0; d < a.length; d++) {
    const diff = a[d] - b[d];
    r2 += diff * diff * inverseSquaredScales[d];
  }
  return Math.sqrt(r2);
}

export interface Prediction {
  mean: number;
  /** Variance of the latent function (the noise is not included). */
  variance: number;
}

export interface PredictionWithGradient extends Prediction {
  meanGradient: Float64Array;
  varianceGradient: Float64Array;
}

export class GaussianProcess {
  private readonly inverseSquaredScales: Float64Array;

  private constructor(
    readonly inputs: readonly (readonly number[])[],
    readonly outputs: readonly number[],
    readonly kernel: KernelSettings,
    private readonly factor: Float64Array,
    private readonly alpha: Float64Array,
  ) {
    this.inverseSquaredScales = Float64Array.from(kernel.lengthScales, (l) => 1 / (l * l));
  }

  /** The posterior given observations (x, y) under fixed kernel settings. */
  static condition(inputs: readonly (readonly number[])[], outputs: readonly number[], kernel: KernelSettings): GaussianProcess {
    const n = inputs.length;
    const inv = Float64Array.from(kernel.lengthScales, (l) => 1 / (l * l));
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      k[i * n + i] = kernel.signalVariance + kernel.noiseVariance;
      for (let j = 0; j < i; j++) {
        const v = kernel.signalVariance * matern52(scaledDistance(inputs[i], inputs[j], inv));
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    const { l } = choleskyWithJitter(k, n);
    const alpha = choleskySolve(l, n, outputs);
    return new GaussianProcess(inputs, outputs, kernel, l, alpha);
  }

  get size(): number {
    return this.inputs.length;
  }

  private covariances(x: readonly number[]): { k: Float64Array; r: Float64Array } {
    const n = this.inputs.length;
    const k = new Float64Array(n);
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      r[i] = scaledDistance(x, this.inputs[i], this.inverseSquaredScales);
      k[i] = this.kernel.signalVariance * matern52(r[i]);
    }
    return { k, r };
  }

  predict(x: readonly number[]): Prediction {
    const n = this.inputs.length;
    const { k } = this.covariances(x);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += k[i] * this.alpha[i];
    const v = solveLower(this.factor, n, k);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += v[i] * v[i];
    return { mean, variance: Math.max(this.kernel.signalVariance - explained, 1e-12) };
  }

  predictWithGradient(x: readonly number[]): PredictionWithGradient {
    const n = this.inputs.length;
    const dims = x.length;
    const { k, r } = this.covariances(x);
    const w = choleskySolve(this.factor, n, k);
    let mean = 0;
    let explained = 0;
    for (let i = 0; i < n; i++) {
      mean += k[i] * this.alpha[i];
      explained += k[i] * w[i];
    }
    const meanGradient = new Float64Array(dims);
    const varianceGradient = new Float64Array(dims);
    for (let i = 0; i < n; i++) {
      // d k(x, xᵢ)/dx_d = −σ²·slope(r)·(x_d − xᵢ_d)/ℓ_d²
      const common = -this.kernel.signalVariance * maternSlope(r[i]);
      for (let d = 0; d < dims; d++) {
        const dk = common * (x[d] - this.inputs[i][d]) * this.inverseSquaredScales[d];
        meanGradient[d] += this.alpha[i] * dk;
        varianceGradient[d] -= 2 * w[i] * dk;
      }
    }
    return { mean, variance: Math.max(this.kernel.signalVariance - explained, 1e-12), meanGradient, varianceGradient };
  }

  /**
   * The model after also observing `points` at the values it currently predicts there (the
   * "kriging believer"): the mean is unchanged, but uncertainty around those points collapses, so
   * a search for the next point looks elsewhere. Used for trials still running.
   */
  believe(points: readonly (readonly number[])[]): GaussianProcess {
    return this.assume(
      points,
      points.map((p) => this.predict(p).mean),
    );
  }

  /** The model after also observing `values` at `points`, with the same kernel settings. */
  assume(points: readonly (readonly number[])[], values: readonly number[]): GaussianProcess {
    if (points.length === 0) return this;
    return GaussianProcess.condition([...this.inputs, ...points], [...this.outputs, ...values], this.kernel);
  }
}

// ---- Fitting the kernel settings ------------------------------------------------------------

export interface FitOptions {
  /** Optimisations from different starting points; the best is kept. */
  restarts?: number;
  rng?: Rng;
  maxIterations?: number;
}

// Bounds and priors, in log space. Inputs live in [0, 1] and outputs are standardised, so these
// are unit-free. The length-scale prior is a Gamma(3, 6) (mode 1/3, mean 1/2): smooth, but able
// to resolve a few bumps across the range. The noise prior favours a small but not vanishing noise.
const LOG_LENGTH = { min: Math.log(0.01), max: Math.log(20) };
const LOG_SIGNAL = { min: Math.log(0.05), max: Math.log(20) };
const LOG_NOISE = { min: Math.log(1e-6), max: Math.log(1) };
const LENGTH_PRIOR = { shape: 3, rate: 6 };
const SIGNAL_PRIOR = { mean: 0, sd: 1 };
const NOISE_PRIOR = { mean: Math.log(1e-3), sd: 3 };

/**
 * Negative log of (marginal likelihood × priors) and its gradient, in θ = (log ℓ₁…ℓ_D,
 * log σ², log σₙ²). The gradient of the likelihood term is ½·tr((K⁻¹ − ααᵀ)·∂K/∂θ).
 */
export function negativeLogPosterior(
  theta: Float64Array,
  inputs: readonly (readonly number[])[],
  outputs: readonly number[],
  squaredDiffs: Float64Array[],
): Objective {
  const n = inputs.length;
  const dims = squaredDiffs.length;
  const lengthScales = Array.from(theta.subarray(0, dims), Math.exp);
  const signal = Math.exp(theta[dims]);
  const noise = Math.exp(theta[dims + 1]);
  const inv = lengthScales.map((l) => 1 / (l * l));

  const k = new Float64Array(n * n);
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = signal + noise;
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      for (let d = 0; d < dims; d++) r2 += squaredDiffs[d][i * n + j] * inv[d];
      const rij = Math.sqrt(r2);
      const v = signal * matern52(rij);
      r[i * n + j] = rij;
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
  let factor: Float64Array;
  try {
    factor = choleskyWithJitter(k, n).l;
  } catch {
    return { value: Infinity, gradient: new Float64Array(theta.length) };
  }
  const alpha = choleskySolve(factor, n, outputs);
  let fit = 0;
  for (let i = 0; i < n; i++) fit += outputs[i] * alpha[i];
  let value = 0.5 * fit + 0.5 * choleskyLogDet(factor, n) + 0.5 * n * LOG_2PI;

  const kInv = choleskyInverse(factor, n);
  const gradient = new Float64Array(theta.length);
  // W = K⁻¹ − ααᵀ; symmetric, so off-diagonal pairs are counted twice.
  let traceW = 0;
  for (let i = 0; i < n; i++) {
    const wii = kInv[i * n + i] - alpha[i] * alpha[i];
    traceW += wii;
    gradient[dims] += 0.5 * wii * signal;
    for (let j = 0; j < i; j++) {
      const wij = kInv[i * n + j] - alpha[i] * alpha[j];
      gradient[dims] += wij * k[i * n + j];
      const common = wij * signal * maternSlope(r[i * n + j]);
      for (let d = 0; d < dims; d++) gradient[d] += common * squaredDiffs[d][i * n + j] * inv[d];
    }
  }
  gradient[dims + 1] = 0.5 * noise * traceW;

  // Priors: Gamma on each length scale (in log space, Jacobian included), log-normal otherwise.
  for (let d = 0; d < dims; d++) {
    value -= LENGTH_PRIOR.shape * theta[d] - LENGTH_PRIOR.rate * lengthScales[d];
    gradient[d] -= LENGTH_PRIOR.shape - LENGTH_PRIOR.rate * lengthScales[d];
  }
  const zs = (theta[dims] - SIGNAL_PRIOR.mean) / SIGNAL_PRIOR.sd;
  value += 0.5 * zs * zs;
  gradient[dims] += zs / SIGNAL_PRIOR.sd;
  const zn = (theta[dims + 1] - NOISE_PRIOR.mean) / NOISE_PRIOR.sd;
  value += 0.5 * zn * zn;
  gradient[dims + 1] += zn / NOISE_PRIOR.sd;
  return { value, gradient };
}

/** MAP kernel settings for observations (x in the unit cube, y standardised). */
export function fitKernel(inputs: readonly (readonly number[])[], outputs: readonly number[], options: FitOptions = {}): KernelSettings {
  const n = inputs.length;
  const dims = inputs[0]?.length ?? 0;
  const rng = options.rng ?? makeRng('fit-kernel');
  const restarts = Math.max(1, options.restarts ?? 3);
  const squaredDiffs = Array.from({ length: dims }, (_, d) => {
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const diff = inputs[i][d] - inputs[j][d];
        m[i * n + j] = diff * diff;
      }
    }
    return m;
  });
  const lower = [...new Array<number>(dims).fill(LOG_LENGTH.min), LOG_SIGNAL.min, LOG_NOISE.min];
  const upper = [...new Array<number>(dims).fill(LOG_LENGTH.max), LOG_SIGNAL.max, LOG_NOISE.max];
  const starts: number[][] = [[...new Array<number>(dims).fill(Math.log(0.5)), 0, Math.log(1e-3)]];
  while (starts.length < restarts) {
    starts.push([
      ...Array.from({ length: dims }, () => Math.log(0.05) + rng() * (Math.log(2) - Math.log(0.05))),
      Math.log(0.3) + rng() * (Math.log(3) - Math.log(0.3)),
      Math.log(1e-5) + rng() * (Math.log(0.1) - Math.log(1e-5)),
    ]);
  }
  let best: { x: Float64Array; value: number } | undefined;
  for (const start of starts) {
    const result = boxMinimize((theta) => negativeLogPosterior(theta, inputs, outputs, squaredDiffs), start, lower, upper, {
      maxIterations: options.maxIterations ?? 100,
      tolerance: 1e-4,
    });
    if (!best || result.value < best.value) best = result;
  }
  const theta = best?.x ?? Float64Array.from(starts[0]);
  return {
    lengthScales: Array.from(theta.subarray(0, dims), Math.exp),
    signalVariance: Math.exp(theta[dims]),
    noiseVariance: Math.exp(theta[dims + 1]),
  };
}
