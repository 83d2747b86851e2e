// The standard normal distribution, accurate far into the tails — expected improvement is
// optimised by its logarithm, which must stay finite and smooth where the improvement is tiny.

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

export function logNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/**
 * Complementary error function, with fractional error below 1.2e-7 everywhere (the Chebyshev-fitted
 * form t·exp(−x² + P(t)), t = 1/(1 + x/2), from Press et al., Numerical Recipes, §6.2).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/**
 * Mills ratio Φ(−x)/φ(x) for large x by its asymptotic series (used for x ≥ 6, where the series
 * is accurate to about 1e-5 relative and the direct ratio would lose digits).
 */
function millsRatio(x: number): number {
  const x2 = x * x;
  return (1 / x) * (1 - 1 / x2 + 3 / (x2 * x2) - 15 / (x2 * x2 * x2) + 105 / (x2 * x2 * x2 * x2));
}

/** log Φ(z), finite for any z. */
export function logNormalCdf(z: number): number {
  if (z > -6) return Math.log(normalCdf(z));
  return logNormalPdf(z) + Math.log(millsRatio(-z));
}

/**
 * log h(z) with h(z) = z·Φ(z) + φ(z), the expected improvement of a standard normal over a
 * threshold z standard deviations above its mean; and d/dz log h = Φ(z)/h(z).
 */
export function logH(z: number): { value: number; slope: number } {
  if (z > -6) {
    const cdf = normalCdf(z);
    const h = z * cdf + normalPdf(z);
    if (h > 0) return { value: Math.log(h), slope: cdf / h };
  }
  // For z ≪ 0: h(z) = φ(z)·(1 − x·R(x)) with x = −z and R the Mills ratio; 1 − x·R(x) has the
  // series 1/x² − 3/x⁴ + 15/x⁶ − 105/x⁸ + 945/x¹⁰.
  const x = -z;
  const x2 = x * x;
  const tail = (1 / x2) * (1 - 3 / x2 + 15 / (x2 * x2) - 105 / (x2 * x2 * x2) + 945 / (x2 * x2 * x2 * x2));
  return { value: logNormalPdf(z) + Math.log(tail), slope: millsRatio(x) / tail };
}
