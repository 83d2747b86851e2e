// The L1 sparsity lab: L1's proximal step switches off the five useless features of the circle and
// keeps x1² and x2²; L2 where L1 was asked, a rate too small, a learning rate too small (L1's step is
// their product) and a rate too strong each fail with a hint naming that cause, at its line.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';

describeSlow('lab: l1-sparsity', function () {
  this.timeout(120_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'l1-sparsity')!;
  const failed = (r: Awaited<ReturnType<typeof attempt>>) => r.grade.results.filter((x) => x.status === 'fail');
  const run = (file: string | undefined, seed = 1) => attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed });
  const lineOf = (file: string, text: string) =>
    fs
      .readFileSync(path.join(lab.dir, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;

  it('the starter (no regularization) keeps every link and fails, pointing at the regularization', async () => {
    const r = await run(undefined);
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['links-die', 'sparse', 'no-todo'],
    );
    assert.strictEqual(r.record.outputs!.dead_links, 0);
    assert.strictEqual(r.record.outputs!.zeroed_inputs, 0);
    const check = failed(r)[0];
    assert.strictEqual(check.cause, 'no-penalty');
    assert.strictEqual(check.location!.line, lineOf('network.ts', "regularization: 'none'"));
    // The quick fix replaces exactly the value 'none', on that line.
    const line = lineOf('network.ts', "regularization: 'none'");
    assert.deepStrictEqual(check.fix, {
      title: 'Use L1 regularization',
      replacement: "'L1'",
      range: { file: 'network.ts', line, column: 19, endLine: line, endColumn: 25 },
    });
  });

  it('the reference zeroes exactly the five useless features and keeps x1², x2²', async () => {
    const r = await run(lab.manifest.solutions.reference);
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failed(r), null, 2));
    const o = r.record.outputs!;
    assert.strictEqual(o.zeroed_inputs, 5);
    for (const f of ['x1', 'x2', 'x1TimesX2', 'sinX1', 'sinX2']) assert.strictEqual(o[`input_alive_${f}`], 0, f);
    assert.strictEqual(o.input_alive_x1Squared, 1);
    assert.strictEqual(o.input_alive_x2Squared, 1);
    assert.ok(o.test_loss! < 0.01, `test loss ${o.test_loss}`);
    // The unregularized twin of the same run uses every link and fits even better: sparsity costs little.
    assert.ok(o.baseline_test_loss! < o.test_loss!);
  });

  it('L2 where L1 was asked zeroes nothing; the hint names L2, L1 and the proximal step', async () => {
    const r = await run('solutions/wrong-l2.ts');
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['links-die', 'sparse'],
    );
    assert.strictEqual(r.record.outputs!.zero_weights, 0);
    for (const check of failed(r)) {
      assert.strictEqual(check.cause, 'l2-not-l1');
      assert.match(check.hint!, /This is L2 \(0\.01\), and L2 never makes a weight exactly 0/);
      assert.match(check.hint!, /proximal step/);
      assert.strictEqual(check.location!.line, lineOf('solutions/wrong-l2.ts', "regularization: 'L2'"));
    }
  });

  it('a rate too small kills links but does not switch every useless feature off; the hint says raise the rate', async () => {
    const r = await run('solutions/wrong-rate-too-small.ts');
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['sparse'],
    );
    assert.ok(r.record.outputs!.dead_links! > 0);
    assert.strictEqual(failed(r)[0].cause, 'l1-too-weak');
    assert.match(failed(r)[0].hint!, /L1 at 0\.001 takes only 3\.00e-5 off each weight per update/);
    assert.strictEqual(failed(r)[0].location!.line, lineOf('solutions/wrong-rate-too-small.ts', 'regularizationRate: 0.001'));
  });

  it("a learning rate too small shrinks L1's step the same way; the hint points at the learning rate", async () => {
    const r = await run('solutions/wrong-learning-rate-too-low.ts');
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['sparse'],
    );
    assert.strictEqual(failed(r)[0].cause, 'l1-step-too-small');
    assert.strictEqual(failed(r)[0].location!.line, lineOf('solutions/wrong-learning-rate-too-low.ts', 'learningRate: 0.003'));
  });

  it('a rate too strong kills the whole network, x1² and x2² included', async () => {
    const r = await run('solutions/wrong-rate-too-strong.ts');
    assert.deepStrictEqual(
      failed(r).map((x) => x.id),
      ['keeps-x1-squared', 'keeps-x2-squared', 'fits'],
    );
    assert.strictEqual(r.record.outputs!.dead_links, r.record.outputs!.links);
    for (const check of failed(r)) {
      assert.strictEqual(check.cause, 'l1-too-strong');
      assert.match(check.hint!, /L1 at 0\.3 takes 0\.009 off every weight at each update/);
    }
  });
});
