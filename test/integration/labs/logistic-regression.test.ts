// The logistic-regression lab: the reference passes, and each typical mistake fails the check that
// names its fix, with the cause the evidence shows, pointing at the line to change.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { failedChecks, failedIds, lineIn } from './housingLabRun';

describeSlow('lab: logistic-regression', function () {
  this.timeout(180_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'logistic-regression')!;
  const run = (file: string | undefined, seed = 1) => attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed });

  it('the starter fails and says what to do first', async () => {
    const r = await run(undefined);
    const ids = failedIds(r);
    for (const id of ['probabilities', 'contract', 'inputs-scaled', 'near-optimum', 'no-todo']) assert.ok(ids.includes(id), ids.join(', '));
    const head = failedChecks(r).find((x) => x.id === 'probabilities')!;
    assert.strictEqual(head.cause, 'output-head');
    assert.match(head.hint!, /one unit with activation 'sigmoid'/);
  });

  it('the reference solution passes, with calibrated probabilities and every metric reported', async () => {
    const r = await run(lab.manifest.solutions.reference);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
    const o = r.record.outputs!;
    assert.ok(o.test_accuracy! > 0.82 && o.test_auc! > 0.9, JSON.stringify(o));
    assert.ok(o.test_accuracy! > o.majority_accuracy! + 0.25);
    assert.strictEqual(o.contract_problems, 0);
    // The confusion matrix covers every held-out row, and the recalls are read from it.
    const cm = [0, 1].map((i) => [0, 1].map((j) => o[`confusion_${i}_${j}`]!));
    assert.strictEqual(
      cm.flat().reduce((s, v) => s + v, 0),
      4128,
    );
    assert.ok(Math.abs(o.recall_expensive! - cm[1][1] / (cm[1][0] + cm[1][1])) < 1e-12);
    assert.strictEqual(o.min_recall, Math.min(o.recall_expensive!, o.recall_not_expensive!));
  });

  it('an output without a sigmoid fails the probabilities and contract checks for its output head', async () => {
    const file = 'solutions/wrong-no-sigmoid.ts';
    const r = await run(file);
    assert.ok(r.record.outputs!.invalid_probabilities! > 0.1);
    for (const id of ['probabilities', 'contract']) {
      const check = failedChecks(r).find((x) => x.id === id)!;
      assert.strictEqual(check.cause, 'output-head');
      assert.match(check.hint!, /1 unit with activation 'linear': its outputs are not probabilities/);
      assert.strictEqual(check.location!.line, lineIn(lab, file, 'export function buildModel'));
    }
  });

  it('the squared error compiled by the learner trains a fair classifier, and the contract check still catches it', async () => {
    const r = await run('solutions/wrong-squared-error.ts');
    assert.deepStrictEqual(failedIds(r), ['contract']);
    const check = failedChecks(r)[0];
    assert.strictEqual(check.cause, 'loss-mismatch');
    assert.match(check.hint!, /compiles the model with loss 'meanSquaredError'.*binaryCrossentropy/);
  });

  it('an L2 rate that looks small fails near-optimum, naming the penalty share at the l2 line', async () => {
    const file = 'solutions/wrong-strong-l2.ts';
    const r = await run(file);
    const ids = failedIds(r);
    assert.ok(ids.includes('near-optimum') && ids.includes('calibrated'), ids.join(', '));
    assert.ok(!ids.includes('probabilities') && !ids.includes('inputs-scaled'), ids.join(', '));
    const check = failedChecks(r).find((x) => x.id === 'near-optimum')!;
    assert.strictEqual(check.cause, 'penalty-dominates');
    assert.match(check.hint!, /The regularization penalty is \d+(\.\d)? % of the final training loss/);
    assert.strictEqual(check.location!.line, lineIn(lab, file, 'l2: 0.01,'));
  });

  it('raw inputs fail the scaling check, naming the widest input as the first layer sees it', async () => {
    const r = await run('solutions/wrong-unscaled.ts');
    const check = failedChecks(r).find((x) => x.id === 'inputs-scaled')!;
    assert.ok(r.record.outputs!.feature_scale! > 100);
    assert.strictEqual(check.cause, 'inputs-unscaled');
    assert.match(check.hint!, /^Input 6 reaches the model's first trainable layer as features\(\) returns it with an average of -120/);
  });

  it('standardizing inside the model with fixed statistics counts: the first layer that learns sees standardized inputs', async () => {
    const r = await run('solutions/correct-in-model.ts');
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
    const o = r.record.outputs!;
    assert.ok(o.feature_scale! < 1.5, JSON.stringify(o));
  });

  it('batch normalization on the raw columns fails for its lagging statistics, never for the L2 rate', async () => {
    const file = 'solutions/wrong-batchnorm-raw.ts';
    const r = await run(file);
    const failed = failedChecks(r);
    assert.ok(
      failed.some((x) => x.id === 'accuracy'),
      failedIds(r).join(', '),
    );
    for (const x of failed) {
      assert.strictEqual(x.cause, 'normalization-lag', `${x.id}: ${x.hint}`);
      assert.doesNotMatch(x.hint!, /penalty|l2|L2/);
      assert.strictEqual(x.location!.line, lineIn(lab, file, 'batchNormalization'));
    }
  });
});
