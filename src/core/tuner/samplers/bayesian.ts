// Bayesian optimisation, the default algorithm (as in Cloud ML Engine / Vizier): model the
// objective with a Gaussian process over the scaled parameter space and try next where the
// expected improvement over the best trial so far is largest.
//
// - The first trials are a space-filling Latin hypercube design, so the model starts from points
//   spread over the whole space.
// - Integer, discrete and categorical parameters: candidates are always made feasible (rounded,
//   snapped, one-hot) before they are scored, so the acquisition is measured where a trial could
//   really run.
// - Trials still running (in parallel) are "believed": the model pretends they returned what it
//   predicts there, which keeps the next proposal away from them without inventing results.
//   Failed trials count as bad as the worst trial so far, so a region that crashes is avoided.
// - Pruned trials count with the last value they reported (pessimistic, which is what they are).
import { logExpectedImprovement, logExpectedImprovementWithGradient } from '../gp/expectedImprovement';
import { boxMinimize } from '../gp/boxMinimize';
import { fitKernel, GaussianProcess } from '../gp/gaussianProcess';
import { gaussian, makeRng, shuffleInPlace, type Rng } from '../keyedRng';
import { paramsKey, type Params } from '../scale';
import type { StudyView } from '../study';
import { hasObjective } from '../trial';
import { Encoding } from './encoding';
import { studySeed, type SyncSampler } from './sampler';

export interface GaussianProcessSamplerOptions {
  /** Trials from the space-filling design before the model is used. Default: see `initialTrialCount`. */
  initialTrials?: number;
  /** Random candidates scored before local optimisation of the best. */
  candidates?: number;
  /** Candidates optimised locally by gradient ascent of log EI. */
  localSearches?: number;
  /** Restarts of the kernel fit. */
  fitRestarts?: number;
}

/** Default size of the initial design: enough to see every parameter vary, a third of the budget at most. */
export function initialTrialCount(parameters: number, maxTrials: number): number {
  return Math.max(1, Math.min(Math.max(5, parameters + 2), Math.ceil(maxTrials / 3)));
}

export class GaussianProcessSampler implements SyncSampler {
  constructor(private readonly options: GaussianProcessSamplerOptions = {}) {}

  ask(study: StudyView, number: number): Params {
    const seed = studySeed(study);
    const encoding = new Encoding(study.space);
    const rng = makeRng('gp', seed, number);
    const tried = new Set(study.trials.map((t) => paramsKey(study.space, t.params)));
    const draw = () => encoding.decode(encoding.fromParameterUnits(study.space.map(() => rng())));
    const randomPoint = () => {
      // An untried point if one turns up (small discrete spaces may have none left).
      let point = draw();
      for (let i = 0; i < 100 && tried.has(paramsKey(study.space, point)); i++) point = draw();
      return point;
    };

    const initial = this.options.initialTrials ?? initialTrialCount(study.space.length, study.spec.maxTrials);
    if (number <= initial) {
      const design = latinHypercube(initial, study.space.length, makeRng('gp-design', seed));
      return encoding.decode(encoding.fromParameterUnits(design[number - 1]));
    }

    const observed = study.trials.filter(hasObjective);
    if (observed.length < 2) return randomPoint();
    const sign = study.spec.goal === 'MAXIMIZE' ? -1 : 1;
    const y = standardize(observed.map((t) => sign * t.objective));
    const x = observed.map((t) => encoding.encode(t.params));
    const fitted = fittingSubset(y, rng);
    const kernel = fitKernel(
      fitted.map((i) => x[i]),
      fitted.map((i) => y[i]),
      { rng, restarts: this.options.fitRestarts ?? 3 },
    );
    const model = GaussianProcess.condition(x, y, kernel);
    // The incumbent is the best predicted value at a tried point: for noisy trials it does not chase
    // one lucky measurement, for exact ones it equals the best value seen.
    const incumbent = Math.min(...x.map((p) => model.predict(p).mean));
    // Running trials are believed at the predicted value (on Branin and Hartmann-6 with two trials
    // in parallel this did better than lying with the mean or the worst value); failed ones count
    // as bad as the worst trial, so the search moves away from regions that crash.
    const running = study.trials.filter((t) => t.state === 'running').map((t) => encoding.encode(t.params));
    const failed = study.trials.filter((t) => t.state === 'failed').map((t) => encoding.encode(t.params));
    const worst = Math.max(...y);
    const gp = model.assume([...running, ...failed], [...running.map((p) => model.predict(p).mean), ...failed.map(() => worst)]);

    const best = this.maximizeAcquisition(gp, encoding, incumbent, x, y, rng, (p) => tried.has(paramsKey(study.space, encoding.decode(p))));
    return best ? encoding.decode(best) : randomPoint();
  }

  /** The feasible, untried point with the largest log EI (undefined if every candidate was tried). */
  private maximizeAcquisition(
    gp: GaussianProcess,
    encoding: Encoding,
    incumbent: number,
    x: number[][],
    y: number[],
    rng: Rng,
    isTried: (point: number[]) => boolean,
  ): number[] | undefined {
    const dims = encoding.dims;
    const parameters = encoding.space.length;
    const score = (p: number[]) => logExpectedImprovement(gp, p, incumbent);
    const candidates: { point: number[]; value: number }[] = [];
    const add = (point: number[]) => {
      if (!isTried(point)) candidates.push({ point, value: score(point) });
    };

    const count = this.options.candidates ?? 1000;
    for (let i = 0; i < count; i++) add(encoding.fromParameterUnits(Array.from({ length: parameters }, () => rng())));
    // Also look close to the best points so far, where the improvement usually is.
    const order = y.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
    for (const [, i] of order.slice(0, 3)) {
      for (let j = 0; j < 50; j++) {
        const spread = j < 25 ? 0.02 : 0.1;
        add(encoding.snap(x[i].map((v) => Math.min(1, Math.max(0, v + spread * gaussian(rng))))));
      }
    }
    if (candidates.length === 0) return undefined;
    candidates.sort((a, b) => b.value - a.value);

    // Gradient ascent of log EI from the best few, over the relaxed (continuous) space, then snap.
    const lower = new Array<number>(dims).fill(0);
    const upper = new Array<number>(dims).fill(1);
    const starts = candidates.slice(0, this.options.localSearches ?? 5);
    let best = candidates[0];
    for (const start of starts) {
      const result = boxMinimize(
        (p) => {
          const r = logExpectedImprovementWithGradient(gp, Array.from(p), incumbent);
          return { value: -r.value, gradient: r.gradient.map((g) => -g) };
        },
        start.point,
        lower,
        upper,
        { maxIterations: 50, tolerance: 1e-6 },
      );
      const point = encoding.snap(result.x);
      if (isTried(point)) continue;
      const value = score(point);
      if (value > best.value) best = { point, value };
    }
    return best.point;
  }
}

/**
 * Fitting the kernel costs O(n³) per step, and the study waits for each proposal, so above
 * FIT_LIMIT observations the settings are fitted on the best half of the limit plus a random
 * sample of the rest (the model itself is still conditioned on every observation).
 */
const FIT_LIMIT = 120;

function fittingSubset(y: readonly number[], rng: Rng): number[] {
  const all = y.map((_, i) => i);
  if (y.length <= FIT_LIMIT) return all;
  const byValue = [...all].sort((a, b) => y[a] - y[b]);
  const best = byValue.slice(0, FIT_LIMIT / 2);
  const rest = shuffleInPlace(byValue.slice(FIT_LIMIT / 2), rng).slice(0, FIT_LIMIT / 2);
  return [...best, ...rest];
}

/** Zero mean, unit variance (a constant series stays at zero). */
export function standardize(values: readonly number[]): number[] {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  const sd = variance > 0 ? Math.sqrt(variance) : 1;
  return values.map((v) => (v - mean) / sd);
}

/**
 * `n` points of a Latin hypercube in [0, 1]^dims (each axis cut into n strata, one point per
 * stratum), the best of several by the smallest distance between two points.
 */
export function latinHypercube(n: number, dims: number, rng: Rng, tries = 20): number[][] {
  let best: number[][] = [];
  let bestSpread = -1;
  for (let t = 0; t < tries; t++) {
    const columns = Array.from({ length: dims }, () =>
      shuffleInPlace(
        Array.from({ length: n }, (_, i) => i),
        rng,
      ),
    );
    const points = Array.from({ length: n }, (_, i) => columns.map((col) => (col[i] + rng()) / n));
    let spread = Infinity;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let d2 = 0;
        for (let d = 0; d < dims; d++) d2 += (points[i][d] - points[j][d]) ** 2;
        spread = Math.min(spread, d2);
      }
    }
    if (spread > bestSpread) {
      bestSpread = spread;
      best = points;
    }
  }
  return best;
}
