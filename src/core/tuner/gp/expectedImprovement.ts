// Expected improvement (for minimisation) of a Gaussian-process prediction over an incumbent,
// computed as its logarithm: EI underflows to exactly 0 a few standard deviations away from the
// incumbent, which leaves an optimiser with a flat landscape; log EI keeps a useful slope there
// (Ament et al., "Unexpected Improvements to Expected Improvement", 2023).
import type { GaussianProcess } from './gaussianProcess';
import { logH } from './normal';

/** log EI at x: log σ + log h((best − μ)/σ). */
export function logExpectedImprovement(gp: GaussianProcess, x: readonly number[], best: number): number {
  const { mean, variance } = gp.predict(x);
  const sd = Math.sqrt(variance);
  return Math.log(sd) + logH((best - mean) / sd).value;
}

/** log EI and its gradient with respect to x. */
export function logExpectedImprovementWithGradient(gp: GaussianProcess, x: readonly number[], best: number): { value: number; gradient: Float64Array } {
  const p = gp.predictWithGradient(x);
  const sd = Math.sqrt(p.variance);
  const z = (best - p.mean) / sd;
  const h = logH(z);
  const gradient = new Float64Array(x.length);
  for (let d = 0; d < x.length; d++) {
    const dsd = p.varianceGradient[d] / (2 * sd);
    const dz = (-p.meanGradient[d] - z * dsd) / sd;
    gradient[d] = dsd / sd + h.slope * dz;
  }
  return { value: Math.log(sd) + h.value, gradient };
}
