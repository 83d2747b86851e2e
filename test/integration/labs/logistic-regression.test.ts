// The logistic-regression lab: the reference passes, and each typical mistake fails the check that
// names its fix, pointing at the line to change.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: logistic-regression', function () {
  this.timeout(180_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'logistic-regression')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');
  const lineOf = (file: string, text: string) =>
    fs
      .readFileSync(path.join(lab.dir, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;

  it('the starter fails and says what to do first', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, 'cpu', 1);
    const ids = failed(r).map((x) => x.id);
    for (const id of ['probabilities', 'inputs-scaled', 'near-optimum', 'no-todo']) assert.ok(ids.includes(id), ids.join(', '));
    assert.match(failed(r).find((x) => x.id === 'probabilities')!.hint!, /Add activation: 'sigmoid'/);
  });

  it('the reference solution passes, with calibrated probabilities and every metric reported', async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, 'cpu', 1);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    const o = r.record.outputs!;
    assert.ok(o.test_accuracy! > 0.82 && o.test_auc! > 0.9, JSON.stringify(o));
    assert.ok(o.test_accuracy! > o.majority_accuracy! + 0.25);
    // The confusion matrix covers every held-out row, and the recalls are read from it.
    const cm = [0, 1].map((i) => [0, 1].map((j) => o[`confusion_${i}_${j}`]!));
    assert.strictEqual(cm.flat().reduce((s, v) => s + v, 0), 4128);
    assert.ok(Math.abs(o.recall_expensive! - cm[1][1] / (cm[1][0] + cm[1][1])) < 1e-12);
    assert.strictEqual(o.min_recall, Math.min(o.recall_expensive!, o.recall_not_expensive!));
  });

  it('an output without a sigmoid fails the probabilities check, pointing at the output layer', async () => {
    const file = 'solutions/wrong-no-sigmoid.ts';
    const r = await attempt(REPO_ROOT, lab, file, 'cpu', 1);
    const check = failed(r).find((x) => x.id === 'probabilities')!;
    assert.ok(r.record.outputs!.invalid_probabilities! > 0.3);
    assert.match(check.hint!, /below 0 or above 1/);
    assert.strictEqual(check.location!.line, lineOf(file, 'units: 1,'));
  });

  it('an L2 rate that looks small fails near-optimum, with the penalty share and the l2 line', async () => {
    const file = 'solutions/wrong-strong-l2.ts';
    const r = await attempt(REPO_ROOT, lab, file, 'cpu', 1);
    const ids = failed(r).map((x) => x.id);
    assert.ok(ids.includes('near-optimum') && ids.includes('calibrated'), ids.join(', '));
    assert.ok(!ids.includes('probabilities') && !ids.includes('inputs-scaled'), ids.join(', '));
    const check = failed(r).find((x) => x.id === 'near-optimum')!;
    assert.match(check.hint!, /With l2 = 0\.01 the penalty was \d+(\.\d+)? % of the loss/);
    assert.strictEqual(check.location!.line, lineOf(file, 'l2: 0.01,'));
  });

  it('raw inputs fail the scaling check, which says how to standardize', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-unscaled.ts', 'cpu', 1);
    const check = failed(r).find((x) => x.id === 'inputs-scaled')!;
    assert.ok(r.record.outputs!.feature_scale! > 100);
    assert.match(check.hint!, /standardize\(value, stats\[j\]\)/);
  });
});
