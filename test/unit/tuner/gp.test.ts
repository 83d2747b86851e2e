import * as assert from 'assert';
import { boxMinimize } from '../../../src/core/tuner/gp/boxMinimize';
import { logExpectedImprovement, logExpectedImprovementWithGradient } from '../../../src/core/tuner/gp/expectedImprovement';
import { fitKernel, GaussianProcess, negativeLogPosterior } from '../../../src/core/tuner/gp/gaussianProcess';
import { cholesky, choleskyInverse, choleskySolve } from '../../../src/core/tuner/gp/linalg';
import { logH, normalCdf } from '../../../src/core/tuner/gp/normal';
import { makeRng } from '../../../src/core/tuner/keyedRng';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);

function sample(n: number, dims: number, seed: number) {
  const rng = makeRng(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: dims }, () => rng()));
  const y = x.map((p) => Math.sin(5 * p[0]) + (p[1] ?? 0) ** 2 - 0.3 * (p[2] ?? 0));
  return { x, y };
}

describe('tuner: Gaussian-process internals', () => {
  it('factorises and solves a positive-definite system', () => {
    const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const l = cholesky(a, 3) as Float64Array;
    const x = choleskySolve(l, 3, [1, 2, 3]);
    for (let i = 0; i < 3; i++) close(a[i * 3] * x[0] + a[i * 3 + 1] * x[1] + a[i * 3 + 2] * x[2], [1, 2, 3][i], 1e-12);
    const inv = choleskyInverse(l, 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) close(a[i * 3] * inv[j] + a[i * 3 + 1] * inv[3 + j] + a[i * 3 + 2] * inv[6 + j], i === j ? 1 : 0, 1e-12);
    assert.strictEqual(cholesky(Float64Array.from([1, 2, 2, 1]), 2), undefined);
  });

  it('computes log EI accurately far into the tail, with the right slope', () => {
    close(normalCdf(0), 0.5, 1e-7);
    close(normalCdf(-3), 0.0013498980316301, 1e-6);
    // h(z) = zΦ(z) + φ(z) switches to its asymptotic series at z = −6: both sides must agree.
    const left = logH(-6.0000001).value;
    const right = logH(-5.9999999).value;
    close(left, right, 1e-4, 'continuity at z = −6');
    assert.ok(Number.isFinite(logH(-40).value) && logH(-40).value < logH(-20).value);
    for (const z of [-30, -8, -3, 0, 2]) {
      const h = 1e-6;
      close(logH(z).slope, (logH(z + h).value - logH(z - h).value) / (2 * h), 1e-4, `slope at ${z}`);
    }
  });

  it('has exact gradients of the marginal likelihood', () => {
    const { x, y } = sample(12, 3, 2);
    const n = x.length;
    const diffs = [0, 1, 2].map((d) => {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = (x[i][d] - x[j][d]) ** 2;
      return m;
    });
    const theta = Float64Array.from([Math.log(0.3), Math.log(0.7), Math.log(1.5), 0.2, Math.log(0.01)]);
    const at = negativeLogPosterior(theta, x, y, diffs);
    theta.forEach((_, i) => {
      const h = 1e-6;
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[i] += h;
      down[i] -= h;
      const numeric = (negativeLogPosterior(up, x, y, diffs).value - negativeLogPosterior(down, x, y, diffs).value) / (2 * h);
      close(at.gradient[i], numeric, 1e-5, `d/dθ${i}`);
    });
  });

  it('has exact gradients of log EI with respect to the inputs', () => {
    const { x, y } = sample(15, 3, 1);
    const gp = GaussianProcess.condition(x, y, fitKernel(x, y, { rng: makeRng(1) }));
    const best = Math.min(...y);
    for (const p of [
      [0.3, 0.4, 0.5],
      [0.9, 0.1, 0.2],
      [0.01, 0.99, 0.5],
    ]) {
      const g = logExpectedImprovementWithGradient(gp, p, best);
      close(g.value, logExpectedImprovement(gp, p, best), 1e-9);
      p.forEach((_, d) => {
        const h = 1e-6;
        const up = [...p];
        const down = [...p];
        up[d] += h;
        down[d] -= h;
        close(g.gradient[d], (logExpectedImprovement(gp, up, best) - logExpectedImprovement(gp, down, best)) / (2 * h), 1e-4, `d/dx${d}`);
      });
    }
  });

  it('interpolates exact data and learns that an input does not matter', () => {
    const rng = makeRng(3);
    const x = Array.from({ length: 20 }, () => [rng(), rng()]);
    const y = x.map((p) => Math.cos(6 * p[0]));
    const kernel = fitKernel(x, y, { rng });
    assert.ok(kernel.lengthScales[1] > 3 * kernel.lengthScales[0], `length scales ${kernel.lengthScales.join(', ')}`);
    const gp = GaussianProcess.condition(x, y, kernel);
    close(gp.predict([0.5, 0.5]).mean, Math.cos(3), 0.05, 'prediction between points');
    assert.ok(gp.predict(x[0]).variance < 1e-3);
  });

  it('believes a pending point: the mean stays, the uncertainty there collapses', () => {
    const { x, y } = sample(8, 1, 4);
    const gp = GaussianProcess.condition(x, y, { lengthScales: [0.2], signalVariance: 1, noiseVariance: 1e-6 });
    const pending = [0.85]; // the data lie in [0.08, 0.6]
    const after = gp.believe([pending]);
    close(after.predict(pending).mean, gp.predict(pending).mean, 1e-6);
    assert.ok(after.predict(pending).variance < 1e-2 * gp.predict(pending).variance);
    close(after.predict([0.3]).mean, gp.predict([0.3]).mean, 1e-6, 'the mean elsewhere is unchanged');
  });

  it('minimises within bounds (spectral projected gradient)', () => {
    // Rosenbrock in [−2, 2] × [−1, 0.5]: the unconstrained minimum (1, 1) is outside the box.
    const f = (p: Float64Array) => ({
      value: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
      gradient: Float64Array.from([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)]),
    });
    const r = boxMinimize(f, [-1.5, -0.5], [-2, -1], [2, 0.5], { maxIterations: 2000, tolerance: 1e-10 });
    assert.ok(r.x[1] <= 0.5 && r.x[0] >= -2);
    close(r.x[1], 0.5, 1e-6, 'on the upper bound of y');
    // On that edge, d/dx [(1 − x)² + 100(0.5 − x²)²] = 0 at x ≈ 0.70856.
    close(r.x[0], 0.70856, 1e-4, 'x');
  });
});
