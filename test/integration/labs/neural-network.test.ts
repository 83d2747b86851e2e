// The neural-network lab: the DNN and a linear model trained side by side on the same features; the
// reference beats both the linear model and the best straight line, and each typical mistake (hidden
// layers not connected, no activation, raw inputs) fails the check that names its fix.
// The wasm backend runs the hidden layers about 2.5 times faster than cpu, with the same numbers.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { failedChecks, failedIds, watchedRun } from './housingLabRun';

describeSlow('lab: neural-network', function () {
  this.timeout(240_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'neural-network')!;

  it('the starter fails: raw inputs and a linear model', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, 'wasm', 1);
    const ids = failedIds(r);
    for (const id of ['inputs-scaled', 'hidden-layers-used', 'beats-best-line', 'no-todo']) assert.ok(ids.includes(id), ids.join(', '));
    assert.strictEqual(r.record.outputs!.hidden_activations, 0);
  });

  it('the reference DNN beats the linear model trained the same way, and the best line', async () => {
    const r = await watchedRun(lab, lab.manifest.solutions.reference, { backend: 'wasm' });
    try {
      assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
      const o = r.record.outputs!;
      assert.ok(o.test_rmse! < 0.8 * o.linear_rmse!, JSON.stringify(o));
      assert.ok(o.test_rmse! < 0.96 * o.least_squares_rmse!, JSON.stringify(o));
      assert.deepStrictEqual([o.hidden_activations, o.dense_layers, o.params, o.features], [3, 4, 8391, 22]);
      assert.strictEqual(r.epochs.length, 3);
      for (const e of r.epochs) for (const m of ['loss', 'val_loss', 'val_rmse', 'loss@linear', 'val_loss@linear', 'val_rmse@linear', 'val_rmse@dnn']) assert.ok(m in e.metrics, m);
    } finally {
      r.cleanup();
    }
  });

  it('hidden layers built but never connected (the output applied to the input) fail, naming the wiring', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-hidden-unused.ts', 'wasm', 1);
    assert.deepStrictEqual(failedIds(r), ['hidden-layers-used', 'dnn-beats-linear', 'beats-best-line']);
    assert.match(failedChecks(r)[0].hint!, /\.apply\(hidden\), not \.apply\(input\)/);
    // Only layers on the path to the output are part of the model: one dense layer is left.
    assert.strictEqual(r.record.outputs!.dense_layers, 1);
  });

  it('hidden layers without an activation fail: a stack of linear layers is a line', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-no-activation.ts', 'wasm', 1);
    assert.deepStrictEqual(failedIds(r), ['hidden-layers-used', 'beats-best-line']);
    assert.match(failedChecks(r)[0].hint!, /add activation: 'relu'/);
    const o = r.record.outputs!;
    assert.strictEqual(o.dense_layers, 4);
    // It trains to about the best line, and no further.
    assert.ok(o.test_rmse! > 0.99 * o.least_squares_rmse!, JSON.stringify(o));
  });

  it('raw inputs fail the scaling check, which names the widest input and the fix', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-raw-features.ts', 'wasm', 1);
    assert.ok(failedIds(r).includes('inputs-scaled'), failedIds(r).join(', '));
    const check = failedChecks(r).find((x) => x.id === 'inputs-scaled')!;
    assert.match(check.hint!, /^Input 1 of features\(\) spreads over a standard deviation of 12\.\d+/);
    assert.match(check.hint!, /scale\(value, lo, hi\)/);
  });
});
