// The regularization lab: the big network overfits without a penalty; L2 at a suitable rate closes
// the gap and beats its unregularized twin of the same run; a rate far too high underfits.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: regularization', function () {
  this.timeout(120_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'regularization')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');

  it('the reference closes the gap and beats the unregularized twin on the test points', async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, 'cpu', 1);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    const o = r.record.outputs!;
    assert.ok(o.baseline_gap! > 0.1, `the unregularized network overfits: gap ${o.baseline_gap}`);
    assert.ok(o.loss_gap! < 0.05, `gap ${o.loss_gap}`);
    assert.ok(o.test_loss! < 0.14 && o.test_loss! < 0.75 * o.baseline_test_loss!, `test ${o.test_loss} vs ${o.baseline_test_loss}`);
    // Both curves are recorded, the baseline's too.
    const epochs = r.record.epochs!;
    assert.ok(epochs > 90 && epochs <= 101, `${epochs} recorded epochs`);
  });

  it('no regularization is its own baseline: both compare checks fail, pointing at the regularization', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-no-regularization.ts', 'cpu', 1);
    assert.deepStrictEqual(failed(r).map((x) => x.id), ['gap-shrinks', 'beats-baseline']);
    const gap = failed(r)[0];
    assert.match(gap.message, /1\.000 ×/);
    assert.match(gap.hint!, /Set regularization to 'L2' \(or 'L1'\) and regularizationRate to 0\.03/);
    assert.match(gap.location!.file, /network\.ts/);
  });

  it('the starter fails the same way, and its TODO is reported', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, 'cpu', 1);
    assert.deepStrictEqual(failed(r).map((x) => x.id), ['gap-shrinks', 'beats-baseline', 'no-todo']);
  });

  it('a rate far too high underfits: both losses near 0.5, the hint says lower the rate', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-rate-too-high.ts', 'cpu', 1);
    assert.deepStrictEqual(failed(r).map((x) => x.id), ['beats-baseline', 'not-underfit']);
    const o = r.record.outputs!;
    assert.ok(o.train_loss! > 0.45 && o.test_loss! > 0.45, `train ${o.train_loss}, test ${o.test_loss}`);
    assert.match(failed(r)[1].hint!, /Rate 1 is so strong that the penalty outweighs the data/);
  });
});
