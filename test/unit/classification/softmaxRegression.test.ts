// The exact linear yardstick: Newton's method on the cross-entropy, for two classes and more.
import * as assert from 'assert';
import { fitSoftmaxRegression, predictSoftmaxRegression } from '../../../src/child/evaluator/measure/softmaxRegression';
import { labelRows, makeLabeler } from '../../../src/child/evaluator/kinds/classification';
import { withoutHidden } from '../../../src/child/datasets';

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('softmax regression yardstick', () => {
  it('recovers the weights of a logistic model, whatever the feature scale', () => {
    const r = rng(3);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = r() * 2 - 1;
      const b = (r() * 2 - 1) * 1000; // a raw, large column
      const z = 0.5 + 2 * a - 0.003 * b;
      x.push([a, b]);
      y.push(r() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
    }
    const model = fitSoftmaxRegression(x, y, 2);
    // Back to raw units: w_raw = w_std / std, and the bias absorbs the means.
    const w = model.weights[1];
    const wa = w[1] / model.std[0];
    const wb = w[2] / model.std[1];
    const bias = w[0] - wa * model.mean[0] - wb * model.mean[1];
    assert.ok(Math.abs(wa - 2) < 0.25 && Math.abs(wb + 0.003) < 0.0004 && Math.abs(bias - 0.5) < 0.15, `${bias} ${wa} ${wb}`);
    assert.ok(model.iterations < 30);
  });

  it('separates three classes and gives probabilities that sum to 1', () => {
    const r = rng(5);
    const centers = [
      [0, 0],
      [4, 0],
      [0, 4],
    ];
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 900; i++) {
      const k = i % 3;
      x.push([centers[k][0] + r() - 0.5, centers[k][1] + r() - 0.5]);
      y.push(k);
    }
    const model = fitSoftmaxRegression(x, y, 3);
    const p = predictSoftmaxRegression(model, [
      [0, 0],
      [4, 0],
      [0, 4],
    ]);
    p.forEach((row, k) => {
      assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-12);
      assert.ok(row[k] > 0.95, JSON.stringify(row));
    });
  });

  it('stays finite on collinear columns (a one-hot with every category)', () => {
    const x = Array.from({ length: 200 }, (_, i) => [i % 2, 1 - (i % 2), (i % 7) / 7]);
    const y = x.map((row, i) => (row[0] === 1 ? (i % 5 === 0 ? 0 : 1) : i % 5 === 0 ? 1 : 0));
    const model = fitSoftmaxRegression(x, y, 2);
    assert.ok(model.weights.flat().every(Number.isFinite));
  });
});

describe('classification labels', () => {
  it('splits a numeric column at the median of the training rows, above = the second class', () => {
    const train = [{ v: 1 }, { v: 5 }, { v: 3 }, { v: 10 }];
    const labeler = makeLabeler({ label: 'v', classes: ['low', 'high'], threshold: 'median' }, train);
    assert.strictEqual(labeler.threshold, 4);
    const out = labelRows([{ v: 4 }, { v: 4.5 }, { v: null }], 'v', labeler.label);
    assert.deepStrictEqual(out.y, [0, 1]);
    assert.strictEqual(out.excluded, 1, 'a missing value is left out, not read as 0');
  });

  it('maps categories to class indices, merges rare ones, leaves out the rest and hides the label', () => {
    const spec = { label: 'kind', classes: ['a', 'b'], merge: { c: 'b' } };
    const rows = [
      { kind: 'a', x: 1 },
      { kind: 'c', x: 2 },
      { kind: 'zzz', x: 3 },
      { kind: 'b', x: 4 },
    ];
    const out = labelRows(rows, 'kind', makeLabeler(spec, rows).label);
    assert.deepStrictEqual(out.y, [0, 1, 1]);
    assert.strictEqual(out.excluded, 1);
    // What the learner's code gets of these rows: no label column.
    assert.deepStrictEqual(withoutHidden(out.rows, ['kind']), [{ x: 1 }, { x: 2 }, { x: 4 }]);
    assert.strictEqual(rows[0].kind, 'a', 'the original rows are not changed');
  });
});
