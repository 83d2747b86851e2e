// The keras-models lab: one regression built with the Sequential and the functional API, trained by
// the harness's loop, exported to model.json + weights.bin in the run folder and reloaded. The
// reference reloads to identical predictions; each typical mistake fails the check that names its fix.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { failedChecks, failedIds, watchedRun } from './housingLabRun';

describeSlow('lab: keras-models', function () {
  this.timeout(240_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'keras-models')!;

  it('the starter fails: no functional model yet, and the custom layer does not reload', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(failedIds(r), ['functional-api', 'reload-same', 'no-todo']);
  });

  it('the reference trains both models, exports them to the run folder and reloads them unchanged', async () => {
    const r = await watchedRun(lab, lab.manifest.solutions.reference);
    try {
      assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
      const o = r.record.outputs!;
      assert.deepStrictEqual([o.sequential_api, o.functional_api, o.params_sequential, o.params_functional], [1, 1, 221, 221]);
      assert.deepStrictEqual([o.reload_ok, o.reload_diff_sequential, o.reload_diff_functional], [1, 0, 0]);
      assert.ok(o.test_rmse! < 68_000 && o.test_rmse! < 0.6 * o.baseline_rmse!, JSON.stringify(o));
      for (const name of ['sequential', 'functional']) {
        const dir = path.join(r.dir, '.mllabs', 'runs', r.record.id, 'export', name);
        const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
          format: string;
          weightsManifest: { paths: string[] }[];
          modelTopology: unknown;
        };
        assert.strictEqual(json.format, 'layers-model');
        assert.deepStrictEqual(json.weightsManifest[0].paths, ['weights.bin']);
        // The custom layer is saved by name, with the statistics its constructor needs.
        const text = JSON.stringify(json.modelTopology);
        assert.match(text, /"class_name":"Standardize"/);
        assert.match(text, /"mean":\[-119\.6,35\.63/);
        // 221 float32 weights.
        assert.strictEqual(fs.statSync(path.join(dir, 'weights.bin')).size, 221 * 4);
      }
      assert.strictEqual(r.epochs.length, 8);
      for (const e of r.epochs)
        for (const m of ['loss', 'val_loss', 'loss@functional', 'val_loss@functional', 'val_rmse@sequential']) assert.ok(m in e.metrics, m);
    } finally {
      r.cleanup();
    }
  });

  it('a functional model built with tf.sequential fails the functional-API check only', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-functional-is-sequential.ts', { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(failedIds(r), ['functional-api']);
    assert.match(failedChecks(r)[0].hint!, /tf\.model\(\{ inputs: input, outputs: x \}\)/);
  });

  it('an unregistered custom layer trains but does not reload; the log says which class is unknown', async () => {
    const r = await watchedRun(lab, 'solutions/wrong-unregistered-layer.ts');
    try {
      assert.deepStrictEqual(failedIds(r), ['reload-same']);
      assert.strictEqual(r.record.outputs!.reload_ok, 0);
      const check = failedChecks(r)[0];
      assert.match(check.hint!, /tf\.serialization\.registerClass\(Standardize\)/);
      // The log names the model that did not load back and the class the loader does not know.
      assert.match(r.logs.join('\n'), /the saved models did not load back: the saved sequential model cannot be loaded back: Unknown layer: Standardize/);
      assert.match(fs.readFileSync(path.join(r.dir, 'model.ts'), 'utf8').split('\n')[check.location!.line - 1], /class Standardize/);
    } finally {
      r.cleanup();
    }
  });

  it('a functional model whose output skips the hidden layers fails the same-model check, with both weight counts', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-hidden-unused.ts', { backend: 'cpu', seed: 1 });
    assert.ok(failedIds(r).includes('same-model'), failedIds(r).join(', '));
    assert.match(failedChecks(r).find((x) => x.id === 'same-model')!.hint!, /The functional model has 9 weights, the Sequential one 221/);
  });
});
