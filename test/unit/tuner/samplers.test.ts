import * as assert from 'assert';
import { GaussianProcessSampler, latinHypercube } from '../../../src/core/tuner/samplers/bayesian';
import { defaultGridResolution, Grid, GridSampler } from '../../../src/core/tuner/samplers/grid';
import { RandomSampler } from '../../../src/core/tuner/samplers/random';
import type { SyncSampler } from '../../../src/core/tuner/samplers/sampler';
import { makeRng } from '../../../src/core/tuner/keyedRng';
import { isFeasible, paramsKey, searchSpace, type Params } from '../../../src/core/tuner/scale';
import type { StudySpec } from '../../../src/core/tuner/spec';
import type { StudyView } from '../../../src/core/tuner/study';
import type { Trial, TrialState } from '../../../src/core/tuner/trial';
import { makeSpec } from './support';

function view(spec: StudySpec, trials: Trial[] = []): StudyView {
  return { spec, space: searchSpace(spec), trials };
}

function trial(number: number, params: Params, state: TrialState = 'completed', objective?: number): Trial {
  return { number, params, state, objective, intermediate: [], createdAt: '2024-01-01T00:00:00.000Z' };
}

/** Runs a sampler sequentially on f for n trials; returns the trials. */
function optimise(sampler: SyncSampler, spec: StudySpec, f: (p: Params) => number, n: number): Trial[] {
  const trials: Trial[] = [];
  for (let k = 1; k <= n; k++) {
    const params = sampler.ask(view(spec, trials), k);
    assert.ok(params, `trial ${k}: no parameters`);
    trials.push(trial(k, params, 'completed', f(params)));
  }
  return trials;
}

const MIXED = makeSpec({
  maxTrials: 12,
  params: [
    { parameterName: 'lr', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1, scaleType: 'UNIT_LOG_SCALE' },
    { parameterName: 'batch', type: 'INTEGER', minValue: 8, maxValue: 64 },
    { parameterName: 'units', type: 'DISCRETE', discreteValues: [16, 32, 64] },
    { parameterName: 'opt', type: 'CATEGORICAL', categoricalValues: ['sgd', 'adam', 'rmsprop'] },
    { parameterName: 'momentum', type: 'DOUBLE', minValue: 0.5, maxValue: 0.999, scaleType: 'UNIT_REVERSE_LOG_SCALE' },
  ],
});
const mixedObjective = (p: Params) =>
  (Math.log10(p.lr as number) + 2) ** 2 +
  ((p.batch as number) - 32) ** 2 / 500 +
  (p.opt === 'adam' ? 0 : 0.5) +
  (p.units === 32 ? 0 : 0.2) +
  (1 - (p.momentum as number));

// Contract: what every sampler must do.
const SAMPLERS: [string, () => SyncSampler][] = [
  ['grid', () => new GridSampler()],
  ['random', () => new RandomSampler()],
  ['gaussian process', () => new GaussianProcessSampler({ candidates: 200 })],
];

describe('tuner: samplers (contract)', () => {
  for (const [name, make] of SAMPLERS) {
    describe(name, () => {
      it('proposes only feasible parameters, for every kind of parameter', () => {
        const spec = { ...MIXED, gridResolution: 2 };
        const trials = optimise(make(), spec, mixedObjective, 12);
        for (const t of trials) assert.ok(isFeasible(searchSpace(spec), t.params), `infeasible: ${JSON.stringify(t.params)}`);
      });

      it('is reproducible: the same seed and trials give the same proposals', () => {
        const a = optimise(make(), MIXED, mixedObjective, 9).map((t) => t.params);
        const b = optimise(make(), MIXED, mixedObjective, 9).map((t) => t.params);
        assert.deepStrictEqual(a, b);
      });

      it('does not propose a point that is already running', () => {
        const spec = makeSpec({ maxTrials: 10, params: [{ parameterName: 'k', type: 'INTEGER', minValue: 1, maxValue: 40 }] });
        const trials: Trial[] = [];
        for (let k = 1; k <= 10; k++) {
          const params = make().ask(view(spec, trials), k) as Params;
          // Everything still running: parallel trials in flight.
          trials.push(trial(k, params, 'running'));
        }
        const keys = trials.map((t) => paramsKey(searchSpace(spec), t.params));
        if (name !== 'random') assert.strictEqual(new Set(keys).size, keys.length, `repeats: ${keys.join(' ')}`);
      });
    });
  }
});

describe('tuner: grid search', () => {
  it('enumerates every combination once, then reports exhaustion', () => {
    const spec = makeSpec({
      algorithm: 'GRID_SEARCH',
      maxTrials: 100,
      params: [
        { parameterName: 'opt', type: 'CATEGORICAL', categoricalValues: ['sgd', 'adam'] },
        { parameterName: 'layers', type: 'INTEGER', minValue: 1, maxValue: 3 },
        { parameterName: 'units', type: 'DISCRETE', discreteValues: [64, 32] },
      ],
    });
    const sampler = new GridSampler();
    const trials: Trial[] = [];
    for (let k = 1; ; k++) {
      const p = sampler.ask(view(spec, trials));
      if (!p) break;
      trials.push(trial(k, p));
    }
    assert.strictEqual(trials.length, 12);
    assert.deepStrictEqual(
      trials.slice(0, 3).map((t) => t.params),
      [
        { opt: 'sgd', layers: 1, units: 32 },
        { opt: 'sgd', layers: 1, units: 64 },
        { opt: 'sgd', layers: 2, units: 32 },
      ],
    );
    assert.strictEqual(new Set(trials.map((t) => JSON.stringify(t.params))).size, 12);
  });

  it('splits DOUBLE parameters evenly on their scale, ends included', () => {
    const spec = makeSpec({
      algorithm: 'GRID_SEARCH',
      gridResolution: 3,
      params: [{ parameterName: 'lr', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1, scaleType: 'UNIT_LOG_SCALE' }],
    });
    const grid = Grid.forSpec(spec, searchSpace(spec));
    const values = [...grid.points()].map((p) => p.lr as number);
    assert.strictEqual(values.length, 3);
    assert.ok(Math.abs(values[0] - 0.001) < 1e-12 && Math.abs(values[1] - 0.01) < 1e-12 && Math.abs(values[2] - 0.1) < 1e-12, values.join());
  });

  it('chooses by default the finest resolution whose grid fits in maxTrials', () => {
    const space = searchSpace(
      makeSpec({
        params: [
          { parameterName: 'lr', type: 'DOUBLE', minValue: 0.01, maxValue: 0.1, scaleType: 'UNIT_LOG_SCALE' },
          { parameterName: 'batch', type: 'INTEGER', minValue: 8, maxValue: 64 },
        ],
      }),
    );
    assert.strictEqual(defaultGridResolution(space, 30), 5); // 5 × 5 = 25 ≤ 30 < 36
    assert.strictEqual(new Grid(space, 5).size, 25);
    assert.strictEqual(defaultGridResolution(space, 3), 2); // never below 2
    const small = searchSpace(makeSpec({ params: [{ parameterName: 'k', type: 'INTEGER', minValue: 1, maxValue: 3 }] }));
    assert.strictEqual(new Grid(small, defaultGridResolution(small, 100)).size, 3);
  });

  it('skips points already taken by earlier or running trials', () => {
    const spec = makeSpec({ algorithm: 'GRID_SEARCH', params: [{ parameterName: 'k', type: 'INTEGER', minValue: 1, maxValue: 4 }] });
    const taken = [trial(1, { k: 1 }, 'failed'), trial(2, { k: 2 }, 'running'), trial(3, { k: 4 }, 'pruned')];
    assert.deepStrictEqual(new GridSampler().ask(view(spec, taken)), { k: 3 });
  });
});

describe('tuner: random search', () => {
  it('gives the same parameters for the same seed and different ones for another seed', () => {
    const draw = (seed: number) => optimise(new RandomSampler(), { ...MIXED, seed }, () => 0, 5).map((t) => t.params);
    assert.deepStrictEqual(draw(42), draw(42));
    assert.notDeepStrictEqual(draw(42), draw(43));
  });

  it('depends only on seed and trial number, so a resumed study continues the same sequence', () => {
    const s = new RandomSampler();
    const fresh = s.ask(view(MIXED, []), 7);
    const later = s.ask(view(MIXED, [trial(1, { lr: 0.01, batch: 8, units: 16, opt: 'sgd', momentum: 0.9 })]), 7);
    assert.deepStrictEqual(fresh, later);
  });

  it('covers the range uniformly on the chosen scale', () => {
    const spec = makeSpec({ params: [{ parameterName: 'lr', type: 'DOUBLE', minValue: 1e-4, maxValue: 1, scaleType: 'UNIT_LOG_SCALE' }] });
    const values = Array.from({ length: 2000 }, (_, k) => new RandomSampler().ask(view(spec), k + 1).lr as number);
    const below = values.filter((v) => v < 0.01).length / values.length;
    assert.ok(Math.abs(below - 0.5) < 0.05, `half the draws should be below 0.01 on a log scale, got ${below}`);
  });
});

describe('tuner: Gaussian-process sampler', () => {
  it('starts with a space-filling design: one point per stratum on every axis', () => {
    const points = latinHypercube(6, 3, makeRng(1));
    for (let d = 0; d < 3; d++) {
      assert.deepStrictEqual(points.map((p) => Math.floor(p[d] * 6)).sort(), [0, 1, 2, 3, 4, 5]);
    }
  });

  it('finds the minimum of a 1-D quadratic far better than random search with the same budget', () => {
    const spec = makeSpec({ maxTrials: 15, seed: 11, params: [{ parameterName: 'x', type: 'DOUBLE', minValue: -5, maxValue: 5 }] });
    const f = (p: Params) => ((p.x as number) - 1.234) ** 2;
    const regret = (s: SyncSampler) => Math.min(...optimise(s, spec, f, 15).map((t) => t.objective as number));
    const gp = regret(new GaussianProcessSampler());
    const random = regret(new RandomSampler());
    assert.ok(gp < 1e-3, `GP best ${gp}`);
    assert.ok(gp < random / 10, `GP ${gp} vs random ${random}`);
  });

  it('maximises when the goal is MAXIMIZE', () => {
    const spec = makeSpec({ goal: 'MAXIMIZE', maxTrials: 12, params: [{ parameterName: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }] });
    const trials = optimise(new GaussianProcessSampler(), spec, (p) => -(((p.x as number) - 0.8) ** 2), 12);
    const best = Math.max(...trials.map((t) => t.objective as number));
    assert.ok(best > -1e-3, `best ${best}`);
  });

  it('handles integer, discrete and categorical parameters (finds the best category)', () => {
    const trials = optimise(new GaussianProcessSampler(), { ...MIXED, maxTrials: 25 }, mixedObjective, 25);
    const best = trials.reduce((a, b) => ((a.objective as number) <= (b.objective as number) ? a : b));
    assert.strictEqual(best.params.opt, 'adam');
    assert.ok((best.objective as number) < 0.4, `best ${best.objective} at ${JSON.stringify(best.params)}`);
  });

  it('moves away from a region where trials failed', () => {
    const spec = makeSpec({ maxTrials: 20, params: [{ parameterName: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }] });
    // The objective improves towards x = 1, but everything above 0.7 crashes.
    const observed = [0.05, 0.2, 0.35, 0.5, 0.65].map((x, i) => trial(i + 1, { x }, 'completed', -x));
    const crashed = [0.75, 0.85, 0.95].map((x, i) => trial(i + 6, { x }, 'failed'));
    const next = new GaussianProcessSampler({ initialTrials: 1 }).ask(view(spec, [...observed, ...crashed]), 9);
    assert.ok((next.x as number) < 0.75, `proposed ${next.x}`);
  });
});
