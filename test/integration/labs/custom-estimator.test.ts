// The custom-estimator lab: the learner's own model function and training step, driven by the
// harness's loop. The reference passes; each typical mistake fails the check that names its fix,
// pointing at the function to change.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: custom-estimator', function () {
  this.timeout(240_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'custom-estimator')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');
  const lineOf = (file: string, text: string) =>
    fs
      .readFileSync(path.join(lab.dir, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;

  it('the starter runs, and fails every step that is still to do', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, { backend: 'cpu', seed: 1 });
    assert.strictEqual(r.record.status, 'completed');
    const ids = failed(r).map((x) => x.id);
    for (const id of ['weights-updated', 'loss-is-mse', 'all-weights-learn', 'rmse', 'no-todo']) assert.ok(ids.includes(id), ids.join(', '));
    // The learner's process reports what only it can see of its variables (the record's "reported").
    // The LSTM is built but never called: the head reads the nine values.
    assert.strictEqual(r.record.reported!.unused_layers, 1);
    assert.match(failed(r).find((x) => x.id === 'weights-updated')!.hint!, /optimizer\.minimize/);
  });

  it("the reference passes: the learner's LSTM beats the naive baselines by far", async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, { backend: 'cpu', seed: 1 });
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    // Measured by the lab on the held-out sequences.
    const o = r.record.outputs!;
    assert.ok(o.test_rmse! < 0.04, JSON.stringify(o));
    assert.ok(o.test_rmse! < o.last_value_rmse! / 5 && o.test_rmse! < o.baseline_rmse! / 20);
    // The exact line is the yardstick the README explains, not a bar.
    assert.ok(o.least_squares_rmse! < 0.001);
    // Reported by the learner's process, which trained the model.
    const rep = r.record.reported!;
    assert.deepStrictEqual([rep.trainable_variables, rep.variables_updated, rep.unused_parts, rep.loss_probe_ratio], [5, 5, 0, 1]);
    assert.strictEqual(rep.steps_run, 200);
    // The curve: one point per 10 steps, falling far.
    assert.strictEqual(r.record.epochs, 20);
    assert.ok(rep.final_loss! < rep.first_loss! / 100);
  });

  it("an LSTM fed [batch, 9] stops at the learner's line with the shape it needs", async () => {
    const file = 'solutions/wrong-flat-input.ts';
    const r = await attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed: 1 });
    assert.strictEqual(r.record.status, 'failed');
    const run = failed(r).find((x) => x.id === 'run')!;
    assert.match(run.message, /\[32, 9, 1\]/);
    assert.match(run.message, /inputs\.reshape\(\[-1, 9, 1\]\)/);
    assert.strictEqual(run.location!.line, lineOf(file, 'model.lstm.apply(inputs)'));
  });

  it('a hidden LSTM whose output is never used fails all-weights-learn, pointing at predict', async () => {
    const file = 'solutions/wrong-hidden-unused.ts';
    const r = await attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed: 1 });
    const check = failed(r).find((x) => x.id === 'all-weights-learn')!;
    assert.strictEqual(r.record.reported!.unused_variables, 3);
    // The lab's diagnosis counts what gets no gradient, and says how to chain the layers in predict().
    assert.strictEqual(check.cause, 'hidden-unused');
    assert.match(check.hint!, /^3 of your model's weight tensors and layers get no gradient from the loss/);
    assert.match(check.hint!, /In predict\(\), feed each layer the previous one's output, and the head the last layer's/);
    assert.strictEqual(check.location!.line, lineOf(file, 'export function predict'));
    assert.ok(!failed(r).some((x) => x.id === 'weights-updated' || x.id === 'loss-is-mse'));
  });

  it('a training step that never applies its gradients fails weights-updated', async () => {
    const file = 'solutions/wrong-no-apply.ts';
    const r = await attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed: 1 });
    const ids = failed(r).map((x) => x.id);
    assert.ok(ids.includes('weights-updated') && ids.includes('rmse'), ids.join(', '));
    assert.ok(!ids.includes('all-weights-learn') && !ids.includes('loss-is-mse'), ids.join(', '));
    const check = failed(r).find((x) => x.id === 'weights-updated')!;
    assert.match(check.hint!, /none of your model's 5 weight tensors has changed/);
    assert.strictEqual(check.location!.line, lineOf(file, 'export function trainStep'));
  });

  it('a loss that broadcasts [batch] against [batch, 1] fails loss-is-mse and explains the shapes', async () => {
    const file = 'solutions/wrong-loss-broadcast.ts';
    const r = await attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed: 1 });
    const ids = failed(r).map((x) => x.id);
    assert.ok(ids.includes('loss-is-mse') && ids.includes('rmse'), ids.join(', '));
    assert.ok(r.record.reported!.loss_probe_ratio! > 2);
    const check = failed(r).find((x) => x.id === 'loss-is-mse')!;
    assert.strictEqual(check.cause, 'loss-not-mse');
    assert.match(check.hint!, /your loss\(\) returned \d+(\.\d+)? × the mean squared error/);
    assert.match(check.hint!, /predict\(\) returned rank 1 \(\[batch\]\) while the labels are \[batch, 1\]/);
    assert.match(check.hint!, /\[batch, batch\]/);
    assert.strictEqual(check.location!.line, lineOf(file, 'export function loss'));
  });
});
