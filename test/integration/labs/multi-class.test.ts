// The multi-class lab: the reference finds every class; a linear model passes accuracy but misses
// NEAR OCEAN; heads and losses that do not fit exclusive classes fail the contract, each with the
// cause the evidence shows.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { failedChecks, failedIds, lineIn } from './housingLabRun';

describeSlow('lab: multi-class', function () {
  this.timeout(180_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'multi-class')!;
  const run = (file: string | undefined, seed = 1) => attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed });

  it('the starter fails: its head gives no probabilities', async () => {
    const r = await run(undefined);
    const ids = failedIds(r);
    for (const id of ['probabilities', 'contract', 'min-recall', 'no-todo']) assert.ok(ids.includes(id), ids.join(', '));
    assert.strictEqual(failedChecks(r).find((x) => x.id === 'contract')!.cause, 'output-head');
  });

  it('the reference solution passes and reports recall per class and the confusion matrix', async () => {
    const r = await run(lab.manifest.solutions.reference);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
    const o = r.record.outputs!;
    const names = ['1h_ocean', 'inland', 'near_ocean', 'near_bay'];
    const recalls = names.map((n) => o[`recall_${n}`]!);
    assert.strictEqual(o.min_recall, Math.min(...recalls));
    const cm = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => o[`confusion_${i}_${j}`]!));
    // Class sizes of the held-out rows (ISLAND counted as NEAR OCEAN), and recall = diagonal / row.
    assert.deepStrictEqual(
      cm.map((row) => row.reduce((s, v) => s + v, 0)),
      [1797, 1338, 512, 481],
    );
    cm.forEach((row, i) => assert.ok(Math.abs(recalls[i] - row[i] / row.reduce((s, v) => s + v, 0)) < 1e-12));
    assert.ok(o.min_recall! > o.best_linear_min_recall! + 0.3, 'hidden layers find the coast a line cannot');
    assert.ok(Math.abs(o.majority_accuracy! - 1797 / 4128) < 1e-12);
    assert.deepStrictEqual([o.contract_problems, o.hidden_activations], [0, 2]);
  });

  it('a linear softmax passes accuracy but fails min-recall: the hint says a straight line cannot follow the coast', async () => {
    const r = await run('solutions/wrong-linear.ts');
    assert.deepStrictEqual(failedIds(r), ['min-recall']);
    assert.ok(r.record.outputs!.recall_near_ocean! < 0.3);
    const check = failedChecks(r)[0];
    assert.strictEqual(check.cause, 'no-hidden-layer');
    // The best linear model's recall, as a percentage, and the fix.
    assert.match(check.hint!, /finds only \d+\.\d% of its weakest class\. Add hidden layers with ReLU units/);
  });

  it('a head without softmax fails the probabilities check for its output head, pointing at buildModel', async () => {
    const file = 'solutions/wrong-no-softmax.ts';
    const r = await run(file);
    const check = failedChecks(r).find((x) => x.id === 'probabilities')!;
    assert.strictEqual(check.cause, 'output-head');
    assert.match(check.hint!, /4 units with activation 'linear'.*'softmax'/);
    assert.strictEqual(check.location!.line, lineIn(lab, file, 'export function buildModel'));
  });

  it('a sigmoid per class fails the probabilities check: its outputs do not sum to 1', async () => {
    const r = await run('solutions/wrong-sigmoid-head.ts');
    const check = failedChecks(r).find((x) => x.id === 'probabilities')!;
    assert.ok(r.record.outputs!.invalid_probabilities! > 0.5);
    assert.strictEqual(check.cause, 'output-head');
    assert.match(check.hint!, /a sigmoid per class answers each class's yes\/no question on its own/);
  });

  it('binary cross-entropy trains a good classifier, and the contract check still catches it', async () => {
    const r = await run('solutions/wrong-binary-crossentropy.ts');
    assert.deepStrictEqual(failedIds(r), ['contract']);
    assert.strictEqual(failedChecks(r)[0].cause, 'loss-mismatch');
    assert.match(failedChecks(r)[0].hint!, /loss 'binaryCrossentropy'.*categoricalCrossentropy/);
  });

  it('a single sigmoid output stops the run with a message about one output per class', async () => {
    const r = await run('solutions/wrong-binary-head.ts');
    assert.strictEqual(r.grade.passed, false);
    const result = r.grade.results.find((x) => x.id === 'run')!;
    assert.strictEqual(result.status, 'fail');
    assert.match(result.message, /last layer has 1 output, but this lab has 4 classes.*needs 4 units \(one per class\) with activation 'softmax'/);
  });
});
