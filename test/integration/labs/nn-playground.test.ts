// The neural networks playground lab, in two graded parts. Circle (45 % noise): a linear model on x1
// and x2 learns almost nothing; with x1² and x2² the same linear model draws the circle. Spiral: from
// x1 and x2 alone, hidden layers — several of them — learn the curved features themselves. Each
// mistake (no squares, hidden layers for the circle, no hidden layer, one layer, no activation, a
// learning rate of 3) fails with a hint naming its cause.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: nn-playground', function () {
  this.timeout(120_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'nn-playground')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');
  const run = (file: string | undefined, seed = 1) => attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed });
  const lineOf = (file: string, text: string, after = '') => {
    const lines = fs.readFileSync(path.join(lab.dir, file), 'utf8').split('\n');
    const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
    return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
  };

  it('the reference: x1² and x2² let a line draw the noisy circle; deep layers separate the spiral', async () => {
    const r = await run(lab.manifest.solutions.reference, 2);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    const o = r.record.outputs!;
    // Circle: the straight line on x1 and x2 learns almost nothing; the squares bring the course's ~0.28.
    assert.ok(o.circle_linear_test_loss! > 0.45, `circle line ${o.circle_linear_test_loss}`);
    assert.ok(o.circle_test_loss! > 0.25 && o.circle_test_loss! < 0.32, `circle ${o.circle_test_loss}`);
    // Spiral: far below the straight line of the same run.
    assert.ok(o.linear_test_loss! > 0.45, `linear ${o.linear_test_loss}`);
    assert.ok(o.test_loss! < 0.5 * o.linear_test_loss!);
  });

  it('the starter fails both parts: no squares for the circle, no hidden layer for the spiral, each at its line', async () => {
    const r = await run(undefined);
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['circle-features', 'learns-spiral', 'no-todo'],
    );
    const spiral = failed(r)[1];
    assert.strictEqual(spiral.cause, 'no-hidden-layer');
    assert.match(spiral.hint!, /hidden: \[8, 8, 8, 8, 8, 8\]/);
    assert.strictEqual(spiral.location!.line, lineOf('network.ts', 'hidden: []', 'export const network'));
    const circle = failed(r)[0];
    assert.strictEqual(circle.cause, 'no-squares');
    assert.strictEqual(circle.location!.line, lineOf('network.ts', 'features:', 'export const circle'));
  });

  it('hidden layers for the circle are told apart from missing squares', async () => {
    const r = await run('solutions/wrong-circle-hidden-layers.ts');
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['circle-linear'],
    );
    assert.strictEqual(failed(r)[0].cause, 'circle-hidden');
    assert.match(failed(r)[0].hint!, /set the circle's hidden to \[\]/);
  });

  it('one hidden layer is not deep enough for the spiral', async () => {
    const r = await run('solutions/wrong-one-hidden-layer.ts');
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['learns-spiral'],
    );
    assert.ok(r.record.outputs!.test_loss! > 0.3);
    assert.strictEqual(failed(r)[0].cause, 'too-shallow');
  });

  it('six layers without an activation are one straight line; the hint points at the activation', async () => {
    const r = await run('solutions/wrong-linear-activation.ts');
    assert.strictEqual(failed(r)[0].cause, 'no-nonlinearity');
    assert.strictEqual(failed(r)[0].location!.line, lineOf('solutions/wrong-linear-activation.ts', "activation: 'linear'"));
  });

  it('a learning rate of 3 kills the network; the hint points at the rate', async () => {
    const r = await run('solutions/wrong-learning-rate-too-high.ts');
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['learns-spiral', 'trains'],
    );
    const check = failed(r)[1];
    assert.strictEqual(check.cause, 'rate-too-high');
    assert.match(check.hint!, /learning rate 3/);
    assert.strictEqual(check.location!.line, lineOf('solutions/wrong-learning-rate-too-high.ts', 'learningRate: 3'));
  });
});
