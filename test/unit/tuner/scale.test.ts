import * as assert from 'assert';
import { fromUnit, isFeasible, paramsFromUnit, scaleFromUnit, scaleToUnit, searchSpace, toUnit, type SearchParam } from '../../../src/core/tuner/scale';
import { makeSpec } from './support';

const SCALES = ['UNIT_LINEAR_SCALE', 'UNIT_LOG_SCALE', 'UNIT_REVERSE_LOG_SCALE'] as const;

describe('tuner: scales', () => {
  it('maps the bounds to 0 and 1 and round-trips values on every scale', () => {
    for (const scale of SCALES) {
      assert.strictEqual(scaleToUnit(0.01, 0.01, 0.1, scale), 0);
      assert.strictEqual(scaleToUnit(0.1, 0.01, 0.1, scale), 1);
      for (const x of [0.01, 0.013, 0.05, 0.0999, 0.1]) {
        const back = scaleFromUnit(scaleToUnit(x, 0.01, 0.1, scale), 0.01, 0.1, scale);
        assert.ok(Math.abs(back - x) < 1e-12, `${scale}: ${x} came back as ${back}`);
      }
    }
  });

  it('puts equal ratios at equal distances on a log scale', () => {
    assert.ok(Math.abs(scaleToUnit(Math.sqrt(0.001), 0.001, 1, 'UNIT_LOG_SCALE') - 0.5) < 1e-12);
    assert.ok(Math.abs(scaleFromUnit(0.5, 1, 100, 'UNIT_LOG_SCALE') - 10) < 1e-9);
  });

  it("matches Vizier's reverse log scale: finest resolution near the upper bound", () => {
    // Vizier maps 1.0 in [1e-4, 100] to about 7.27e-4 on its reverse log scale.
    assert.ok(Math.abs(scaleToUnit(1, 1e-4, 100, 'UNIT_REVERSE_LOG_SCALE') - 7.273945e-4) < 1e-7);
    // The middle of the cube is close to the top of the range: 0.9 … 0.999 is spread out.
    const mid = scaleFromUnit(0.5, 0.9, 0.999, 'UNIT_REVERSE_LOG_SCALE');
    assert.ok(mid > 0.9 + (0.999 - 0.9) / 2, `reverse-log middle ${mid} should be above the linear middle`);
    const logMid = scaleFromUnit(0.5, 0.9, 0.999, 'UNIT_LOG_SCALE');
    assert.ok(logMid < 0.9 + (0.999 - 0.9) / 2);
  });

  it('rounds integers, giving every integer an equal share of the cube', () => {
    const p: SearchParam = { name: 'n', type: 'INTEGER', min: 8, max: 11, scale: 'UNIT_LINEAR_SCALE' };
    const counts = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const v = fromUnit(p, (i + 0.5) / 400) as number;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    assert.deepStrictEqual(
      [...counts.entries()].sort((a, b) => a[0] - b[0]),
      [
        [8, 100],
        [9, 100],
        [10, 100],
        [11, 100],
      ],
    );
    for (let k = 8; k <= 11; k++) assert.strictEqual(fromUnit(p, toUnit(p, k)), k);
    const logInt: SearchParam = { name: 'b', type: 'INTEGER', min: 1, max: 1024, scale: 'UNIT_LOG_SCALE' };
    for (const k of [1, 2, 17, 512, 1024]) assert.strictEqual(fromUnit(logInt, toUnit(logInt, k)), k);
    assert.strictEqual(fromUnit(logInt, 0), 1);
    assert.strictEqual(fromUnit(logInt, 1), 1024);
  });

  it('snaps to the nearest discrete value on its scale', () => {
    const p: SearchParam = { name: 'units', type: 'DISCRETE', values: [1, 10, 100, 1000], scale: 'UNIT_LOG_SCALE' };
    assert.deepStrictEqual(
      p.values.map((v) => toUnit(p, v)).map((u) => Math.round(u * 3)),
      [0, 1, 2, 3],
    );
    for (const v of p.values) assert.strictEqual(fromUnit(p, toUnit(p, v)), v);
    assert.strictEqual(fromUnit(p, 0.4), 10);
    assert.strictEqual(fromUnit(p, 0.55), 100);
    const linear: SearchParam = { ...p, scale: 'UNIT_LINEAR_SCALE' };
    assert.strictEqual(fromUnit(linear, 0.4), 100, 'on a linear scale 0.4 is nearest to 100 of 1 … 1000');
  });

  it('indexes categories by equal slices of [0, 1]', () => {
    const p: SearchParam = { name: 'opt', type: 'CATEGORICAL', values: ['sgd', 'adam', 'rmsprop'] };
    assert.deepStrictEqual(
      [0, 0.3, 0.34, 0.66, 0.67, 1].map((u) => fromUnit(p, u)),
      ['sgd', 'sgd', 'adam', 'adam', 'rmsprop', 'rmsprop'],
    );
    for (const v of p.values) assert.strictEqual(fromUnit(p, toUnit(p, v)), v);
  });

  it('builds the search space of a spec, sorted discrete values, and feasible points everywhere', () => {
    const spec = makeSpec({
      params: [
        { parameterName: 'lr', type: 'DOUBLE', minValue: 0.01, maxValue: 0.1, scaleType: 'UNIT_LOG_SCALE' },
        { parameterName: 'batch', type: 'INTEGER', minValue: 8, maxValue: 64 },
        { parameterName: 'units', type: 'DISCRETE', discreteValues: [32, 8, 16] },
        { parameterName: 'opt', type: 'CATEGORICAL', categoricalValues: ['sgd', 'adam'] },
      ],
    });
    const space = searchSpace(spec);
    assert.deepStrictEqual(space[2], { name: 'units', type: 'DISCRETE', values: [8, 16, 32], scale: 'UNIT_LINEAR_SCALE' });
    for (const u of [0, 0.25, 0.5, 0.999, 1]) {
      const params = paramsFromUnit(space, [u, u, u, u]);
      assert.ok(isFeasible(space, params), JSON.stringify(params));
    }
    assert.ok(!isFeasible(space, { lr: 0.5, batch: 8, units: 8, opt: 'sgd' }));
    assert.ok(!isFeasible(space, { lr: 0.05, batch: 8.5, units: 8, opt: 'sgd' }));
  });
});
