// The lessons the presets exist for, checked on the trainer itself (several seeds, no timing).
import * as assert from 'assert';
import { DEFAULT_SEED } from '../../../src/core/playground/config';
import { FEATURE_IDS, type FeatureId } from '../../../src/core/playground/features';
import { findPreset, presetConfig } from '../../../src/core/playground/presets';
import { PlaygroundSession } from '../../../src/core/playground/session';

const SQUARES: readonly FeatureId[] = ['x1Squared', 'x2Squared'];

function run(presetId: string, seed: string, epochs?: number): PlaygroundSession {
  const s = new PlaygroundSession(presetConfig(presetId, seed));
  s.step(epochs ?? findPreset(presetId)!.epochs);
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
}

describe('playground L1 lab', () => {
  for (const seed of [DEFAULT_SEED, '1', '2', '3', '4']) {
    it(`drives every link of the five useless features to exactly 0 and keeps x1², x2² (seed ${seed})`, () => {
      const s = run('l1-sparsity', seed);
      const snap = s.snapshot();
      assert.deepStrictEqual(s.features, FEATURE_IDS);
      const firstLayer = snap.weights[0];
      FEATURE_IDS.forEach((f, i) => {
        const weights = firstLayer.map((row) => row[i]);
        const dead = snap.dead[0].map((row) => row[i]);
        if (SQUARES.includes(f)) {
          assert.ok(
            dead.some((d) => !d),
            `${f} lost every link`,
          );
          assert.ok(
            weights.some((w) => Math.abs(w) > 0.05),
            `${f} has no weight of substance: ${weights.join(', ')}`,
          );
        } else {
          assert.ok(dead.every(Boolean), `${f} still has a live link`);
          assert.ok(
            weights.every((w) => w === 0),
            `${f} weights ${weights.join(', ')}`,
          );
        }
      });
      assert.ok(s.lastLoss.testLoss < 0.02, `test loss ${s.lastLoss.testLoss}`);
    });
  }

  it('without regularization keeps every link alive and non-zero', () => {
    const snap = run('l1-sparsity-unregularized', DEFAULT_SEED).snapshot();
    assert.ok(snap.dead.flat(2).every((d) => !d));
    assert.ok(snap.weights.flat(2).every((w) => w !== 0));
  });

  it('L2 shrinks but zeroes nothing; L1 at 0.3 is strong enough to kill the whole network', () => {
    const l2 = run('regularization-l2-0.3', DEFAULT_SEED).snapshot();
    assert.ok(l2.weights.flat(2).every((w) => w !== 0));
    const l1 = run('regularization-l1-0.3', DEFAULT_SEED);
    assert.ok(l1.snapshot().dead.flat(2).every(Boolean));
    assert.ok(l1.lastLoss.trainLoss > 0.45);
  });
});

describe('playground NN lab numbers', () => {
  // The course quotes test loss ≈ 0.275 for x1, x2, x1², x2² on a very noisy circle (0.285 without x1, x2).
  // Noise works exactly as TF Playground's; the course's noise level and seed are not known. At 45 %
  // the median over seeds is about 0.29, with the course's value inside the seed-to-seed spread.
  const seeds = Array.from({ length: 10 }, (_, i) => String(i + 1));

  it("x1, x2 alone learn almost nothing; adding x1², x2² brings the test loss near the course's 0.275", () => {
    const linear = median(seeds.map((seed) => run('nn-noisy-circle-linear', seed).lastLoss.testLoss));
    const squares = seeds.map((seed) => run('nn-noisy-circle-squares', seed).lastLoss.testLoss);
    assert.ok(linear > 0.43, `x1, x2 only: median test loss ${linear}`);
    const m = median(squares);
    assert.ok(m > 0.25 && m < 0.32, `with squares: median test loss ${m}`);
    assert.ok(Math.min(...squares) < 0.275 && Math.max(...squares) > 0.275, `0.275 outside the spread ${Math.min(...squares)}–${Math.max(...squares)}`);
  });

  it('hidden layers on raw x1, x2 learn the curved boundary themselves', () => {
    const hidden = median(seeds.slice(0, 5).map((seed) => run('nn-noisy-circle-hidden', seed).lastLoss.testLoss));
    assert.ok(hidden < 0.36, `median test loss ${hidden}`);
  });

  it('the spiral is learned by the deep network', () => {
    const losses = ['1', '2', '3'].map((seed) => run('nn-spiral', seed).lastLoss.testLoss);
    assert.ok(median(losses) < 0.1, `test losses ${losses.join(', ')}`);
  });

  it('a learning rate of 3 never settles; 0.03 converges', () => {
    for (const seed of ['1', '2', '3']) {
      const high = new PlaygroundSession(presetConfig('learning-rate-too-high', seed));
      high.step(50);
      const tail = Array.from({ length: 50 }, () => high.step().trainLoss);
      assert.ok(Math.min(...tail) > 0.2, `rate 3, seed ${seed}: the loss fell to ${Math.min(...tail)}`);
      const low = run('learning-rate-lowered', seed);
      assert.ok(low.lastLoss.trainLoss < 0.05, `rate 0.03, seed ${seed}: ${low.lastLoss.trainLoss}`);
    }
  });
});
