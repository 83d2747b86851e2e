import * as assert from 'assert';
import { fitLeastSquares, predictLinear, rmse } from '../../src/child/evaluator/measure/leastSquares';

describe('least squares baseline', () => {
  it('recovers an exact linear relation, whatever the feature scale', () => {
    const x = Array.from({ length: 50 }, (_, i) => [i * 1000, Math.sin(i)]);
    const y = x.map(([a, b]) => 3 + 0.002 * a - 4 * b);
    const coef = fitLeastSquares(x, y);
    assert.ok(Math.abs(coef[0] - 3) < 1e-6 && Math.abs(coef[1] - 0.002) < 1e-9 && Math.abs(coef[2] + 4) < 1e-6, coef.join(', '));
    assert.ok(rmse(predictLinear(coef, x), y) < 1e-6);
  });
});

describe('seeded randomness', () => {
  it('gives different streams for seeds whose digits repeat (1 and 11)', async () => {
    const { seedGlobalRandom } = await import('../../src/child/common/seed');
    const saved = Math.random;
    try {
      seedGlobalRandom(1);
      const a = [Math.random(), Math.random()];
      seedGlobalRandom(11);
      const b = [Math.random(), Math.random()];
      seedGlobalRandom(1);
      const c = [Math.random(), Math.random()];
      assert.notDeepStrictEqual(a, b);
      assert.deepStrictEqual(a, c);
    } finally {
      Math.random = saved;
    }
  });
});
