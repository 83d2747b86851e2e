// The neural-network lab: the DNN and a linear model trained side by side on the same features; the
// reference beats the best straight line (least squares), and each typical mistake (hidden layers not
// connected, no activation, raw inputs, a sigmoid output) fails the check that names its cause.
// The wasm backend runs the hidden layers about 2.5 times faster than cpu, with the same numbers.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { failedChecks, failedIds, watchedRun } from './housingLabRun';

describeSlow('lab: neural-network', function () {
  this.timeout(240_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'neural-network')!;
  const run = (file: string | undefined, seed = 1) => attempt(REPO_ROOT, lab, file, { backend: 'wasm', seed });

  it('the starter fails: raw inputs and a linear model', async () => {
    const r = await run(undefined);
    const ids = failedIds(r);
    for (const id of ['inputs-scaled', 'hidden-layers-used', 'beats-best-line', 'no-todo']) assert.ok(ids.includes(id), ids.join(', '));
    assert.strictEqual(r.record.outputs!.hidden_activations, 0);
  });

  it('the reference DNN beats the best line, and the linear model trained beside it', async () => {
    const r = await watchedRun(lab, lab.manifest.solutions.reference, { backend: 'wasm' });
    try {
      assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
      const o = r.record.outputs!;
      assert.ok(o.test_rmse! < 0.95 * o.least_squares_rmse!, JSON.stringify(o));
      // Three epochs leave the linear model far from its own best (the line): it is no yardstick.
      assert.ok(o.linear_rmse! > o.least_squares_rmse!, JSON.stringify(o));
      assert.deepStrictEqual([o.hidden_activations, o.dense_layers, o.params, o.features, o.contract_problems], [3, 4, 8391, 22, 0]);
      assert.strictEqual(r.epochs.length, 3);
      for (const e of r.epochs)
        for (const m of ['loss', 'val_loss', 'val_rmse', 'loss@linear', 'val_loss@linear', 'val_rmse@linear', 'val_rmse@dnn']) assert.ok(m in e.metrics, m);
    } finally {
      r.cleanup();
    }
  });

  it('hidden layers built but never connected (the output applied to the input) fail, naming the unused weights', async () => {
    const r = await run('solutions/wrong-hidden-unused.ts');
    assert.deepStrictEqual(failedIds(r), ['hidden-layers-used', 'beats-best-line']);
    const check = failedChecks(r)[0];
    assert.strictEqual(check.cause, 'unused-layer');
    assert.match(check.hint!, /weights that are not part of the model/);
    // Only layers on the path to the output are part of the model: one dense layer is left.
    assert.strictEqual(r.record.outputs!.dense_layers, 1);
  });

  it('hidden layers without an activation fail: a stack of linear layers is a line', async () => {
    const r = await run('solutions/wrong-no-activation.ts');
    assert.deepStrictEqual(failedIds(r), ['hidden-layers-used', 'beats-best-line']);
    assert.strictEqual(failedChecks(r)[0].cause, 'no-nonlinearity');
    assert.match(failedChecks(r)[0].hint!, /4 dense layers but no activation between them/);
    const o = r.record.outputs!;
    assert.strictEqual(o.dense_layers, 4);
    // It trains to about the best line, and no further.
    assert.ok(o.test_rmse! > 0.99 * o.least_squares_rmse!, JSON.stringify(o));
  });

  it('raw inputs fail the scaling check, which names the widest input as the first layer sees it', async () => {
    const r = await run('solutions/wrong-raw-features.ts');
    assert.ok(failedIds(r).includes('inputs-scaled'), failedIds(r).join(', '));
    const check = failedChecks(r).find((x) => x.id === 'inputs-scaled')!;
    assert.strictEqual(check.cause, 'inputs-unscaled');
    assert.match(
      check.hint!,
      /^Input 1 reaches the model's first trainable layer as features\(\) returns it with an average of 28\.\d and a spread of ±12\.\d/,
    );
  });

  it('a sigmoid output fails the contract: a price is not a number between 0 and 1', async () => {
    const r = await run('solutions/wrong-sigmoid-output.ts');
    const check = failedChecks(r).find((x) => x.id === 'contract')!;
    assert.strictEqual(check.cause, 'output-head');
    assert.match(check.hint!, /only numbers between 0 and 1, not any price/);
  });
});
