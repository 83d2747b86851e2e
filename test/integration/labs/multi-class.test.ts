// The multi-class lab: the reference finds every class; a linear model passes accuracy but misses
// NEAR OCEAN; heads that do not give class probabilities fail with a hint naming softmax.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: multi-class', function () {
  this.timeout(180_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'multi-class')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');
  const lineOf = (file: string, text: string) =>
    fs
      .readFileSync(path.join(lab.dir, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;

  it('the starter fails: its head gives no probabilities', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, 'cpu', 1);
    const ids = failed(r).map((x) => x.id);
    for (const id of ['probabilities', 'min-recall', 'no-todo']) assert.ok(ids.includes(id), ids.join(', '));
  });

  it('the reference solution passes and reports recall per class and the confusion matrix', async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, 'cpu', 1);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
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
  });

  it('a linear softmax passes accuracy but fails min-recall: accuracy hides the missed class', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-linear.ts', 'cpu', 1);
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['min-recall'],
    );
    assert.ok(r.record.outputs!.recall_near_ocean! < 0.3);
    assert.match(failed(r)[0].hint!, /Add hidden layers with ReLU units/);
  });

  it('a head without softmax fails the probabilities check, pointing at the head', async () => {
    const file = 'solutions/wrong-no-softmax.ts';
    const r = await attempt(REPO_ROOT, lab, file, 'cpu', 1);
    const check = failed(r).find((x) => x.id === 'probabilities')!;
    assert.match(check.hint!, /activation: 'softmax'/);
    assert.strictEqual(check.location!.line, lineOf(file, 'units: numClasses'));
  });

  it('a sigmoid per class fails the probabilities check: its outputs do not sum to 1', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-sigmoid-head.ts', 'cpu', 1);
    assert.ok(failed(r).some((x) => x.id === 'probabilities'));
    assert.ok(r.record.outputs!.invalid_probabilities! > 0.5);
  });

  it('a single sigmoid output stops the run with a message about one output per class', async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-binary-head.ts', 'cpu', 1);
    assert.strictEqual(r.grade.passed, false);
    const run = r.grade.results.find((x) => x.id === 'run')!;
    assert.strictEqual(run.status, 'fail');
    assert.match(run.message, /last layer has 1 output, but this lab has 4 classes.*needs 4 units \(one per class\) with activation 'softmax'/);
  });
});
