import * as assert from 'assert';
import { DEFAULT_CONFIG, changeEffect, resolveConfig } from '../../../src/core/playground/config';
import { PRESETS, PRESET_IDS, findPreset, presetConfig } from '../../../src/core/playground/presets';
import { LossHistory, PlaygroundSession } from '../../../src/core/playground/session';

describe('playground session', () => {
  it("starts from TF Playground's defaults and records the untrained loss", () => {
    const s = new PlaygroundSession();
    assert.deepStrictEqual(s.config, DEFAULT_CONFIG);
    assert.strictEqual(s.epoch, 0);
    assert.deepStrictEqual(s.history.epochs, [0]);
    assert.strictEqual(s.dataset.train.length, 250);
    assert.deepStrictEqual(s.snapshot().sizes, [2, 4, 2, 1]);
    const r = s.step(5);
    assert.strictEqual(r.epoch, 5);
    assert.strictEqual(s.history.train.length, 6);
    assert.strictEqual(s.history.train[5], r.trainLoss);
  });

  it('is reproducible from its configuration, resets included', () => {
    const a = new PlaygroundSession({ seed: 'x' });
    const b = new PlaygroundSession({ seed: 'x' });
    assert.deepStrictEqual(a.step(20), b.step(20));
    const before = a.network.getWeights();
    a.reset();
    b.reset();
    assert.notDeepStrictEqual(a.network.getWeights(), before);
    assert.deepStrictEqual(a.network.getWeights(), b.network.getWeights());
    assert.strictEqual(a.epoch, 0);
  });

  it('applies rates live, rebuilds the network for a new architecture, regenerates data for a new data set', () => {
    const s = new PlaygroundSession();
    s.step(3);
    const data = s.dataset;
    assert.strictEqual(s.update({ learningRate: 0.1, batchSize: 5 }), 'live');
    assert.strictEqual(s.epoch, 3);
    assert.strictEqual(s.update({ learningRate: 0.1 }), 'none');
    assert.strictEqual(s.update({ hidden: [3] }), 'reset');
    assert.strictEqual(s.epoch, 0);
    assert.strictEqual(s.dataset, data);
    assert.strictEqual(s.update({ features: ['x2', 'x1'] }), 'none');
    assert.strictEqual(s.update({ features: ['x1', 'sinX2'] }), 'reset');
    assert.deepStrictEqual(s.snapshot().sizes, [2, 3, 1]);
    assert.strictEqual(s.update({ noise: 20 }), 'regenerate');
    assert.notStrictEqual(s.dataset, data);
    assert.strictEqual(s.update({ dataset: 'reg-plane' }), 'regenerate');
    assert.strictEqual(s.dataset.train.length, 600);
    assert.throws(() => s.update({ hidden: [9] }));
    assert.throws(() => s.update({ batchSize: 31 }));
  });

  it('gives the heat map for the current features and network', () => {
    const s = new PlaygroundSession({ features: ['x1Squared', 'x2Squared'] });
    const h = s.heatmap(50);
    assert.strictEqual(h.length, 2500);
    s.update({ features: ['x1'] });
    const h2 = s.heatmap(50);
    assert.ok(h2.every(Number.isFinite));
    assert.strictEqual(s.neuronMaps(10).length, (4 + 2 + 1) * 100);
  });

  it('thins a long loss history instead of growing without end', () => {
    const h = new LossHistory(8);
    for (let e = 0; e <= 100; e++) h.add(e, e, -e);
    assert.ok(h.epochs.length < 8);
    assert.strictEqual(h.epochs[0], 0);
    assert.deepStrictEqual(h.train, h.epochs);
    assert.deepStrictEqual(
      h.test,
      h.epochs.map((e) => -e),
    );
    const stride = h.epochs[1] - h.epochs[0];
    assert.ok(h.epochs.every((e, i) => e === i * stride));
  });
});

describe('playground presets', () => {
  it('have unique ids and valid configurations', () => {
    assert.strictEqual(new Set(PRESET_IDS).size, PRESETS.length);
    for (const p of PRESETS) {
      assert.deepStrictEqual(resolveConfig(p.config), p.config, p.id);
      assert.ok(p.description.length > 20 && p.epochs > 0, p.id);
    }
    assert.throws(() => presetConfig('nope'), RangeError);
  });

  it("hold the course's experiments", () => {
    const l1 = findPreset('l1-sparsity')!.config;
    assert.strictEqual(l1.dataset, 'circle');
    assert.strictEqual(l1.noise, 0);
    assert.strictEqual(l1.features.length, 7);
    assert.ok(l1.hidden.every((n) => n === 6));
    assert.strictEqual(l1.regularization, 'L1');
    assert.deepStrictEqual(findPreset('nn-noisy-circle-squares')!.config.features, ['x1', 'x2', 'x1Squared', 'x2Squared']);
    assert.strictEqual(findPreset('nn-spiral')!.config.dataset, 'spiral');
    assert.strictEqual(findPreset('learning-rate-too-high')!.config.learningRate, 3);
    assert.strictEqual(presetConfig('l1-sparsity', 'abc').seed, 'abc');
  });

  it('change effects follow TF Playground', () => {
    const c = resolveConfig();
    assert.strictEqual(changeEffect(c, resolveConfig({ regularizationRate: 0.1 })), 'live');
    assert.strictEqual(changeEffect(c, resolveConfig({ regularization: 'L2' })), 'reset');
    assert.strictEqual(changeEffect(c, resolveConfig({ activation: 'relu' })), 'reset');
    assert.strictEqual(changeEffect(c, resolveConfig({ trainShare: 60 })), 'regenerate');
    assert.strictEqual(changeEffect(c, resolveConfig({ seed: 'other' })), 'regenerate');
  });
});
