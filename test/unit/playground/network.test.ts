import * as assert from 'assert';
import { FEATURE_IDS, FEATURES, featureMatrix, normalizeFeatures, type Examples } from '../../../src/core/playground/features';
import { HeatMapGrid } from '../../../src/core/playground/heatmap';
import { formatLoss } from '../../../src/core/format';
import { ACTIVATIONS, Network, type NetworkSpec, type TrainOptions } from '../../../src/core/playground/network';
import { createRng } from '../../../src/core/playground/random';

function randomExamples(n: number, inputs: number, seed: string, regression = false): Examples {
  const rng = createRng(seed);
  const x = new Float64Array(n * inputs).map(() => rng() * 4 - 2);
  const y = new Float64Array(n).map(() => (regression ? rng() * 2 - 1 : rng() < 0.5 ? -1 : 1));
  return { inputs: x, labels: y, length: n };
}

const SGD: TrainOptions = { learningRate: 1, batchSize: 1000, regularization: 'none', regularizationRate: 0 };

describe('playground features', () => {
  it('computes the seven features and keeps a selection in canonical order', () => {
    const values = FEATURE_IDS.map((id) => FEATURES[id].compute(2, -3));
    assert.deepStrictEqual(values, [2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3)]);
    assert.deepStrictEqual(normalizeFeatures(['sinX2', 'x1', 'x1', 'x2Squared']), ['x1', 'x2Squared', 'sinX2']);
    assert.throws(() => normalizeFeatures(['x3']), RangeError);
    const m = featureMatrix(['x1Squared', 'x1TimesX2'], [1, 2], [3, 4]);
    assert.deepStrictEqual(Array.from(m), [1, 3, 4, 8]);
  });
});

describe('playground network', () => {
  it('initialises weights in [−0.5, 0.5) and biases at 0.1, reproducibly', () => {
    const spec: NetworkSpec = { inputs: 7, hidden: [8, 8, 8], activation: 'tanh', outputActivation: 'tanh' };
    const a = new Network(spec, createRng('w')).getWeights();
    const b = new Network(spec, createRng('w')).getWeights();
    assert.deepStrictEqual(a, b);
    const w = a.weights.flat(2);
    assert.strictEqual(w.length, 7 * 8 + 8 * 8 + 8 * 8 + 8);
    assert.ok(w.every((v) => v >= -0.5 && v < 0.5));
    assert.ok(Math.min(...w) < -0.4 && Math.max(...w) > 0.4);
    assert.ok(a.biases.flat().every((v) => v === 0.1));
  });

  it('backpropagates the exact gradient of mean ½·(output − label)² for every activation', () => {
    for (const activation of ACTIVATIONS) {
      for (const output of ['tanh', 'linear'] as const) {
        const spec: NetworkSpec = { inputs: 3, hidden: [4, 3], activation, outputActivation: output };
        const net = new Network(spec, createRng(`g-${activation}`));
        const data = randomExamples(12, 3, `d-${activation}`, output === 'linear');
        const start = net.getWeights();
        // One full-batch step at rate 1 moves each weight by exactly minus its averaged gradient.
        net.trainEpoch(data, { ...SGD, batchSize: data.length });
        const after = net.getWeights();
        const h = 1e-6;
        const probe = new Network(spec, createRng('unused'));
        const lossAt = (l: number, j: number, i: number, delta: number) => {
          const w = structuredClone(start);
          if (i < 0) w.biases[l][j] += delta;
          else w.weights[l][j][i] += delta;
          probe.setWeights(w);
          return probe.loss(data);
        };
        start.weights.forEach((layer, l) =>
          layer.forEach((row, j) => {
            for (let i = -1; i < row.length; i++) {
              const numeric = (lossAt(l, j, i, h) - lossAt(l, j, i, -h)) / (2 * h);
              const analytic = i < 0 ? start.biases[l][j] - after.biases[l][j] : start.weights[l][j][i] - after.weights[l][j][i];
              assert.ok(Math.abs(numeric - analytic) < 1e-6, `${activation}/${output} ${l}:${j}:${i} ${numeric} vs ${analytic}`);
            }
          }),
        );
      }
    }
  });

  it('L2 subtracts rate·w (taken before the step) per batch', () => {
    const spec: NetworkSpec = { inputs: 2, hidden: [], activation: 'tanh', outputActivation: 'linear' };
    const net = new Network(spec, createRng(1));
    net.setWeights({ weights: [[[0.4, -0.2]]], biases: [[0]] });
    const data: Examples = { inputs: new Float64Array([0, 0]), labels: new Float64Array([0]), length: 1 };
    // Zero input and zero target: the data gradient is 0, only the penalty acts.
    net.trainEpoch(data, { learningRate: 0.5, batchSize: 1, regularization: 'L2', regularizationRate: 0.1 });
    const w = net.getWeights().weights[0][0];
    assert.ok(Math.abs(w[0] - 0.4 * (1 - 0.05)) < 1e-15 && Math.abs(w[1] + 0.2 * (1 - 0.05)) < 1e-15);
  });

  it('L1 sets a weight whose penalty step crosses zero to exactly 0, and never updates it again', () => {
    const spec: NetworkSpec = { inputs: 2, hidden: [], activation: 'tanh', outputActivation: 'linear' };
    const net = new Network(spec, createRng(1));
    net.setWeights({ weights: [[[0.004, 0.5]]], biases: [[0]] });
    const zero: Examples = { inputs: new Float64Array([0, 0]), labels: new Float64Array([0]), length: 1 };
    const options: TrainOptions = { learningRate: 0.1, batchSize: 1, regularization: 'L1', regularizationRate: 0.1 };
    net.trainEpoch(zero, options);
    // Step 0.01: 0.004 would cross zero → exactly 0 and dead; 0.5 shrinks to 0.49.
    assert.strictEqual(net.weight(1, 0, 0), 0);
    assert.ok(net.isLinkDead(1, 0, 0));
    assert.ok(Math.abs(net.weight(1, 0, 1) - 0.49) < 1e-15);
    assert.ok(!net.isLinkDead(1, 0, 1));
    // A strong data gradient on the dead input moves nothing; the live link still learns.
    const data: Examples = { inputs: new Float64Array([1, 1]), labels: new Float64Array([5]), length: 1 };
    for (let e = 0; e < 20; e++) net.trainEpoch(data, options);
    assert.strictEqual(net.weight(1, 0, 0), 0);
    assert.ok(net.weight(1, 0, 1) > 1);
    const snap = net.snapshot();
    assert.deepStrictEqual(snap.dead, [[[true, false]]]);
    assert.strictEqual(net.deadLinksFromInput(0), 1);
    assert.strictEqual(net.deadLinksFromInput(1), 0);
  });

  it('carries a partial batch into the next epoch, as TF Playground does', () => {
    const spec: NetworkSpec = { inputs: 2, hidden: [3], activation: 'tanh', outputActivation: 'tanh' };
    const data = randomExamples(25, 2, 'carry');
    const options: TrainOptions = { learningRate: 0.1, batchSize: 10, regularization: 'none', regularizationRate: 0 };
    const a = new Network(spec, createRng('c'));
    a.trainEpoch(data, options);
    a.trainEpoch(data, options);
    // The same by hand: 2 steps of 10, then 5 + 10 samples in one step, then 2 steps of 10 with 5 pending.
    const b = new Network(spec, createRng('c'));
    const f = 2;
    const feed = (i: number) => {
      b.forward(data.inputs, i * f);
      b.accumulate(data.labels[i]);
    };
    let i = 0;
    for (const size of [10, 10, 15, 10]) {
      for (let k = 0; k < size; k++) feed(i++ % 25);
      b.update(options);
    }
    for (let k = 0; k < 5; k++) feed(i++ % 25);
    // `a` has the same 5 samples pending: one more step on each must agree exactly.
    a.update(options);
    b.update(options);
    assert.deepStrictEqual(a.getWeights(), b.getWeights());
  });

  it('round-trips weights through getWeights, setWeights and snapshot', () => {
    const spec: NetworkSpec = { inputs: 3, hidden: [2, 5], activation: 'relu', outputActivation: 'linear' };
    const a = new Network(spec, createRng('a'));
    const b = new Network(spec, createRng('b'));
    b.setWeights(a.getWeights());
    const data = randomExamples(10, 3, 'rt', true);
    assert.strictEqual(a.loss(data), b.loss(data));
    const s = a.snapshot();
    assert.deepStrictEqual(s.sizes, [3, 2, 5, 1]);
    assert.strictEqual(s.weights[1].length, 5);
    assert.strictEqual(s.weights[1][0].length, 2);
    assert.throws(() => b.setWeights({ weights: [], biases: [] }), RangeError);
  });

  it('works without hidden layers and without inputs', () => {
    const lin = new Network({ inputs: 2, hidden: [], activation: 'tanh', outputActivation: 'linear' }, createRng(3));
    lin.setWeights({ weights: [[[2, -1]]], biases: [[0.5]] });
    assert.strictEqual(lin.forward([3, 4]), 2 * 3 - 4 + 0.5);
    const none = new Network({ inputs: 0, hidden: [2], activation: 'tanh', outputActivation: 'tanh' }, createRng(3));
    assert.ok(Number.isFinite(none.forward([])));
  });

  it('formats losses to 3 decimals', () => {
    assert.strictEqual(formatLoss(0.27549), '0.275');
  });
});

describe('playground heat map', () => {
  it('covers [−6, 6]² with row 0 at the top and matches single predictions', () => {
    const features = normalizeFeatures(['x1', 'x2', 'sinX1']);
    const net = new Network({ inputs: 3, hidden: [4], activation: 'tanh', outputActivation: 'tanh' }, createRng('h'));
    const grid = new HeatMapGrid(features, 100);
    assert.strictEqual(grid.x1At(0), -6);
    assert.strictEqual(grid.x1At(99), 6);
    assert.strictEqual(grid.x2At(0), 6);
    assert.strictEqual(grid.x2At(99), -6);
    const out = grid.predict(net);
    assert.strictEqual(out.length, 10000);
    for (const [r, c] of [
      [0, 0],
      [0, 99],
      [37, 58],
      [99, 99],
    ]) {
      const x1 = grid.x1At(c);
      const x2 = grid.x2At(r);
      const expected = net.forward(features.map((f) => FEATURES[f].compute(x1, x2)));
      assert.ok(Math.abs(out[r * 100 + c] - expected) < 1e-12);
    }
    const neurons = grid.predictNeurons(net);
    assert.strictEqual(neurons.length, 5 * 10000);
    // The last neuron is the output.
    assert.strictEqual(neurons[4 * 10000 + 1234], out[1234]);
    assert.throws(() => new HeatMapGrid(['x1'], 10).predict(net), RangeError);
  });
});
