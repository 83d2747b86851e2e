// The hand-tuning lab: the reference passes, and each typical mistake fails with a hint naming the fix.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../src/core/lab/catalog';
import { attempt } from '../../src/cli/verify';
import { REPO_ROOT } from '../helpers';

describe('lab: hand-tuning', function () {
  this.timeout(120_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'hand-tuning')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');

  it('the starter fails and says what to do first', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, { backend: 'cpu', seed: 1 });
    const ids = failed(r).map((x) => x.id);
    assert.ok(ids.includes('label-scaled') && ids.includes('no-todo'), ids.join(', '));
    const check = failed(r).find((x) => x.id === 'label-scaled')!;
    assert.strictEqual(check.cause, 'label-unscaled');
    assert.match(check.hint!, /The label the model learns averages 209,068 \(labelScale is 1\)/);
    assert.match(check.hint!, /Set labelScale = 100000, so that the label the model learns averages about 2\.09/);
  });

  it('the reference solution passes on the held-out rows', async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, { backend: 'cpu', seed: 1 });
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    assert.ok(r.record.outputs!.test_rmse! < 85_000);
  });

  it('an unscaled label fails, pointing at labelScale', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-unscaled-label.ts', { backend: 'cpu', seed: 1 });
    const check = failed(r).find((x) => x.id === 'label-scaled')!;
    assert.match(check.hint!, /Set labelScale = 100000/);
    assert.match(check.location!.file, /model\.ts/);
    assert.ok(failed(r).some((x) => x.id === 'near-optimum'));
  });

  it('a learning rate far too high fails as unstable, pointing at the rate', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-diverging-rate.ts', { backend: 'cpu', seed: 1 });
    const check = failed(r).find((x) => x.id === 'stable')!;
    // Thrown far up by the first steps, the loss never came back down: the check says the model learned
    // nothing, and the hint puts that down to the rate, with the numbers that show it.
    assert.match(check.message, /The validation loss did not move: the model learned nothing/);
    assert.strictEqual(check.cause, 'rate-too-high');
    assert.match(check.hint!, /The training loss ended at [\d.]+, [\d.]+ × what it was before the first step/);
    assert.match(check.hint!, /learning rate 5 makes steps that overshoot the minimum/);
    assert.match(check.hint!, /Divide the learning rate by 3 to 10/);
    const source = fs.readFileSync(path.join(lab.dir, 'solutions', 'wrong-diverging-rate.ts'), 'utf8').split('\n');
    assert.strictEqual(check.location!.line, source.findIndex((l) => l.includes('learningRate: 5')) + 1);
  });

  it('one weak feature fails the floor check, which names the feature to add', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-one-feature.ts', { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['add-feature'],
    );
    const check = failed(r)[0];
    assert.strictEqual(check.cause, 'weak-features');
    // The data's strongest column, measured on the training rows, against the learner's one feature.
    assert.match(check.hint!, /Add median_income to the array features\(\) returns: .* \(correlation 0\.6\d, against 0\.\d\d for your strongest input\)/);
    const source = fs.readFileSync(path.join(lab.dir, 'solutions', 'wrong-one-feature.ts'), 'utf8').split('\n');
    assert.strictEqual(check.location!.line, source.findIndex((l) => l.includes('export function features')) + 1);
  });
});
