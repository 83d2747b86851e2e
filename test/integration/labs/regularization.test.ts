// The regularization lab: the big network overfits without a penalty; L2 at a suitable rate closes
// the gap and ends as good as the best straight line, a yardstick that does not depend on the seed;
// a penalty too weak, one too strong and a learning rate too high each fail with the cause named.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: regularization', function () {
  this.timeout(120_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'regularization')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');
  const run = (file: string | undefined, seed: number) => attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed });
  const lineOf = (file: string, text: string) =>
    fs
      .readFileSync(path.join(lab.dir, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;

  it('the reference closes the gap and ends as good as the straight line, whose loss is the same on every seed', async () => {
    const [a, b] = [await run(lab.manifest.solutions.reference, 1), await run(lab.manifest.solutions.reference, 2)];
    for (const r of [a, b]) {
      assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
      const o = r.record.outputs!;
      assert.ok(o.baseline_gap! > 0.1, `the unregularized network overfits: gap ${o.baseline_gap}`);
      assert.ok(o.loss_gap! < 0.05, `gap ${o.loss_gap}`);
      assert.ok(o.test_loss! < 1.05 * o.linear_test_loss!, `test ${o.test_loss} vs line ${o.linear_test_loss}`);
    }
    // The yardstick is trained from zero weights: the seed changes the network, never the line.
    assert.strictEqual(a.record.outputs!.linear_test_loss, b.record.outputs!.linear_test_loss);
    assert.strictEqual(a.record.outputs!.linear_train_loss, b.record.outputs!.linear_train_loss);
    // Both curves are recorded, the baseline's too.
    const epochs = a.record.epochs!;
    assert.ok(epochs > 90 && epochs <= 101, `${epochs} recorded epochs`);
  });

  it('no regularization: the gap and the straight line fail, the hint names the missing penalty at its line', async () => {
    const r = await run('solutions/wrong-no-regularization.ts', 1);
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['gap-shrinks', 'near-line'],
    );
    const gap = failed(r)[0];
    assert.strictEqual(gap.cause, 'no-penalty');
    assert.match(gap.hint!, /Set regularization to 'L2' \(or 'L1'\) and regularizationRate to 0\.03/);
    assert.strictEqual(gap.location!.line, lineOf('solutions/wrong-no-regularization.ts', "regularization: 'none'"));
  });

  it('the starter fails the same way, and its TODO is reported', async () => {
    const r = await run(undefined, 1);
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['gap-shrinks', 'near-line', 'no-todo'],
    );
  });

  it('a penalty far too strong underfits on every seed: both losses near 0.5, the hint says lower the rate', async () => {
    for (const seed of [1, 2, 3]) {
      const r = await run('solutions/wrong-rate-too-high.ts', seed);
      assert.deepStrictEqual(
        failed(r).map((x) => x.id),
        ['near-line', 'not-underfit'],
        `seed ${seed}`,
      );
      const o = r.record.outputs!;
      assert.ok(o.train_loss! > 0.45 && o.test_loss! > 0.45, `train ${o.train_loss}, test ${o.test_loss}`);
      assert.strictEqual(failed(r)[1].cause, 'penalty-too-strong');
      assert.match(failed(r)[1].hint!, /L2 at 1 pulls the weights toward zero/);
    }
  });

  it('a penalty too weak is told apart from none: it names the gap of the same network without it', async () => {
    const r = await run('solutions/wrong-rate-too-weak.ts', 1);
    const gap = failed(r).find((x) => x.id === 'gap-shrinks')!;
    assert.strictEqual(gap.cause, 'penalty-too-weak');
    assert.match(gap.hint!, /L2 at 0\.001 is too weak/);
    assert.strictEqual(gap.location!.line, lineOf('solutions/wrong-rate-too-weak.ts', 'regularizationRate: 0.001'));
  });

  it('a learning rate of 3 is blamed on the rate, not on the penalty', async () => {
    const r = await run('solutions/wrong-learning-rate-too-high.ts', 1);
    const check = failed(r).find((x) => x.id === 'not-underfit')!;
    assert.strictEqual(check.cause, 'rate-too-high');
    assert.match(check.hint!, /learning rate 3/);
    assert.strictEqual(check.location!.line, lineOf('solutions/wrong-learning-rate-too-high.ts', 'learningRate: 3'));
  });
});
