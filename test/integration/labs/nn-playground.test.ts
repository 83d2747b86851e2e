// The neural networks playground lab: from x1 and x2 alone a linear model cannot separate the
// spiral; hidden layers, several of them, can. No hidden layer, one hidden layer and a learning rate
// of 3 each fail with a hint naming the fix.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: nn-playground', function () {
  this.timeout(120_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'nn-playground')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');

  it('the reference separates the spiral from x1 and x2, far below the linear model of the same run', async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, 'cpu', 2);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    const o = r.record.outputs!;
    assert.ok(o.linear_test_loss! > 0.45, `linear ${o.linear_test_loss}`);
    assert.ok(o.test_loss! < 0.5 * o.linear_test_loss!);
  });

  it('no hidden layer (the starter) learns nothing; the hint quotes the linear model and asks for layers', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, 'cpu', 1);
    assert.deepStrictEqual(failed(r).map((x) => x.id), ['learns-spiral', 'no-todo']);
    const wrong = await attempt(REPO_ROOT, lab, 'solutions/wrong-no-hidden-layer.ts', 'cpu', 1);
    assert.deepStrictEqual(failed(wrong).map((x) => x.id), ['learns-spiral']);
    const check = failed(wrong)[0];
    assert.match(check.hint!, /A linear model on x1 and x2 reaches 0\.49\d+ here/);
    assert.match(check.hint!, /hidden: \[8, 8, 8, 8, 8, 8\]/);
    assert.match(check.location!.file, /network\.ts/);
  });

  it('one hidden layer is not deep enough for the spiral', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-one-hidden-layer.ts', 'cpu', 1);
    assert.deepStrictEqual(failed(r).map((x) => x.id), ['learns-spiral']);
    assert.ok(r.record.outputs!.test_loss! > 0.3);
  });

  it('a learning rate of 3 kills the network; the hint points at the rate', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-learning-rate-too-high.ts', 'cpu', 1);
    assert.deepStrictEqual(failed(r).map((x) => x.id), ['learns-spiral', 'trains']);
    const check = failed(r)[1];
    assert.match(check.hint!, /With learning rate 3 the first steps are so large/);
    assert.match(check.hint!, /Lower learningRate to 0\.01–0\.03/);
  });
});
