import * as assert from 'assert';
import {
  CLASSIFICATION_DATASETS,
  DATASETS,
  REGRESSION_DATASETS,
  generateDataset,
  generatePoints,
  type DatasetKind,
  type PointSet,
} from '../../../src/core/playground/datasets';
import { createRng } from '../../../src/core/playground/random';

function rows(p: PointSet): [number, number, number][] {
  return Array.from({ length: p.length }, (_, i) => [p.x1[i], p.x2[i], p.label[i]]);
}

function both(kind: DatasetKind, noise: number, seed: string, trainShare = 50) {
  const d = generateDataset({ kind, noise, trainShare, seed });
  return { d, all: [...rows(d.train), ...rows(d.test)] };
}

const radius = (x: number, y: number) => Math.sqrt(x * x + y * y);

describe('playground data sets', () => {
  it("have TF Playground's sizes: 500 points to classify, 1200 for regression, split by the train share", () => {
    for (const kind of DATASETS) {
      const n = (REGRESSION_DATASETS as readonly string[]).includes(kind) ? 1200 : 500;
      for (const share of [10, 50, 70, 90]) {
        const d = generateDataset({ kind, noise: 0, trainShare: share, seed: 's' });
        assert.strictEqual(d.train.length + d.test.length, n, kind);
        assert.strictEqual(d.train.length, Math.floor((n * share) / 100), `${kind} ${share}%`);
        assert.strictEqual(d.problem, n === 1200 ? 'regression' : 'classification');
      }
    }
  });

  it('keep every point in [−6, 6]², labels ±1 to classify, bounded for regression', () => {
    for (const kind of DATASETS) {
      for (const noise of [0, 25, 50]) {
        const { all } = both(kind, noise, 'range');
        for (const [x, y, label] of all) {
          // Two Gaussians can reach past 6 in a tail only at high noise (variance 4); TF Playground does not clip.
          if (kind !== 'gauss' || noise === 0) {
            assert.ok(Math.abs(x) <= 6 && Math.abs(y) <= 6, `${kind} ${noise}: (${x}, ${y})`);
          }
          if ((CLASSIFICATION_DATASETS as readonly string[]).includes(kind)) assert.ok(label === 1 || label === -1, `${kind} label ${label}`);
          // The plane's label (x1 + x2)/10 is read at a place moved by up to 6·noise per axis, unclamped.
          else if (kind === 'reg-plane') assert.ok(Math.abs(label) <= (12 + 12 * (noise / 100)) / 10, `${kind} label ${label}`);
          else assert.ok(label >= -1 && label <= 1, `${kind} label ${label}`);
        }
      }
    }
  });

  it('circle without noise: inside radius 2.5 is +1, the ring 3.5–5 is −1, half each', () => {
    const { all } = both('circle', 0, 'circle');
    let inside = 0;
    for (const [x, y, label] of all) {
      const r = radius(x, y);
      if (r < 2.5) {
        assert.strictEqual(label, 1);
        inside++;
      } else {
        assert.ok(r >= 3.5 && r <= 5, `radius ${r} outside the ring`);
        assert.strictEqual(label, -1);
      }
    }
    assert.strictEqual(inside, 250);
  });

  it('circle with noise: points stay in place, some labels near the border flip', () => {
    const { all } = both('circle', 50, 'circle');
    let flipped = 0;
    for (const [x, y, label] of all) {
      const r = radius(x, y);
      assert.ok(r < 2.5 || (r >= 3.5 && r <= 5));
      if ((r < 2.5 ? 1 : -1) !== label) flipped++;
    }
    assert.ok(flipped > 25 && flipped < 250, `${flipped} flipped`);
  });

  it('xor without noise: label is the sign of x1·x2, no point within 0.3 of an axis', () => {
    const { all } = both('xor', 0, 'xor');
    for (const [x, y, label] of all) {
      assert.ok(Math.abs(x) >= 0.3 && Math.abs(y) >= 0.3 && Math.abs(x) <= 5.3 && Math.abs(y) <= 5.3);
      assert.strictEqual(label, x * y >= 0 ? 1 : -1);
    }
  });

  it('two Gaussians: +1 around (2, 2), −1 around (−2, −2), wider with noise', () => {
    const stats = (noise: number) => {
      const { all } = both('gauss', noise, 'gauss');
      const pos = all.filter((p) => p[2] === 1);
      const neg = all.filter((p) => p[2] === -1);
      const mean = (ps: typeof all, k: 0 | 1) => ps.reduce((s, p) => s + p[k], 0) / ps.length;
      const variance = (ps: typeof all) => {
        const m = mean(ps, 0);
        return ps.reduce((s, p) => s + (p[0] - m) ** 2, 0) / ps.length;
      };
      return { pos, neg, mean, variance };
    };
    const s0 = stats(0);
    assert.strictEqual(s0.pos.length, 250);
    assert.strictEqual(s0.neg.length, 250);
    for (const k of [0, 1] as const) {
      assert.ok(Math.abs(s0.mean(s0.pos, k) - 2) < 0.15);
      assert.ok(Math.abs(s0.mean(s0.neg, k) + 2) < 0.15);
    }
    // Variance 0.5 at no noise, 4 at 50 %.
    assert.ok(Math.abs(s0.variance(s0.pos) - 0.5) < 0.15, `variance ${s0.variance(s0.pos)}`);
    const s50 = stats(50);
    assert.ok(Math.abs(s50.variance(s50.pos) - 4) < 1, `variance ${s50.variance(s50.pos)}`);
  });

  it('spiral without noise: two arms of radius up to 5, the second the first turned by π', () => {
    const p = generatePoints('spiral', 500, 0, createRng('spiral'));
    for (let i = 0; i < 250; i++) {
      assert.strictEqual(p.label[i], 1);
      assert.strictEqual(p.label[250 + i], -1);
      const r = (i / 250) * 5;
      assert.ok(Math.abs(radius(p.x1[i], p.x2[i]) - r) < 1e-9);
      assert.ok(Math.abs(p.x1[250 + i] + p.x1[i]) < 1e-9 && Math.abs(p.x2[250 + i] + p.x2[i]) < 1e-9);
    }
    // 1.75 turns: the angle at the last point is 1.75·2π·(249/250).
    const t = Math.atan2(p.x1[249], p.x2[249]);
    const expected = ((1.75 * 249) / 250) * 2 * Math.PI;
    assert.ok(Math.abs(Math.sin(t - expected)) < 1e-9);
  });

  it('regression plane without noise: label (x1 + x2) / 10', () => {
    const { all } = both('reg-plane', 0, 'plane');
    for (const [x, y, label] of all) assert.ok(Math.abs(label - (x + y) / 10) < 1e-12);
  });

  it('six Gaussians without noise: the strongest bump wins, falling to 0 at distance 2', () => {
    const bumps = [
      [-4, 2.5, 1],
      [0, 2.5, -1],
      [4, 2.5, 1],
      [-4, -2.5, -1],
      [0, -2.5, 1],
      [4, -2.5, -1],
    ];
    const { all } = both('reg-gauss', 0, 'bumps');
    let zeros = 0;
    for (const [x, y, label] of all) {
      let best = 0;
      for (const [cx, cy, s] of bumps) {
        const v = s * Math.max(0, 1 - radius(x - cx, y - cy) / 2);
        if (Math.abs(v) > Math.abs(best)) best = v;
      }
      assert.ok(Math.abs(label - best) < 1e-12);
      if (label === 0) zeros++;
    }
    assert.ok(zeros > 0 && zeros < all.length);
  });

  it('same seed → same data; another seed → other data', () => {
    for (const kind of DATASETS) {
      const a = both(kind, 20, '0.12345').all;
      const b = both(kind, 20, '0.12345').all;
      const c = both(kind, 20, '0.54321').all;
      assert.deepStrictEqual(a, b, kind);
      assert.notDeepStrictEqual(a, c, kind);
    }
  });

  it('shuffles before splitting: both halves hold both classes', () => {
    const { d } = both('circle', 0, 'split');
    for (const part of [d.train, d.test]) {
      const pos = Array.from(part.label).filter((l) => l === 1).length;
      assert.ok(pos > part.length * 0.35 && pos < part.length * 0.65);
    }
  });

  it("rejects noise and train share outside TF Playground's ranges", () => {
    assert.throws(() => generateDataset({ kind: 'circle', noise: 60, trainShare: 50, seed: 1 }), RangeError);
    assert.throws(() => generateDataset({ kind: 'circle', noise: 0, trainShare: 95, seed: 1 }), RangeError);
    assert.throws(() => generatePoints('circle', 7, 0, createRng(1)), RangeError);
  });
});
