// The learning-rate lab: three rates trained side by side; the reference shows one diverging (the
// network dies), one crawling and one converging; each typical mistake fails the check that names its
// fix, with the cause its curve shows, pointing at the rate to change; a network that no rate can
// train is named as such.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { failedChecks, failedIds, lineIn, watchedRun } from './housingLabRun';

describeSlow('lab: learning-rate', function () {
  this.timeout(240_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'learning-rate')!;
  const run = (file: string | undefined, seed = 1) => attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed });

  it('the starter fails: one rate for all three slots, nothing diverges or crawls', async () => {
    const r = await run(undefined);
    assert.deepStrictEqual(failedIds(r), ['too-high-diverges', 'too-low-crawls', 'log-spread', 'no-todo']);
    const high = failedChecks(r).find((x) => x.id === 'too-high-diverges')!;
    assert.strictEqual(high.cause, 'too-high-still-learns');
    assert.match(high.hint!, /With tooHigh = 0\.01 the network still learned: its validation error ended at \$\d{2},\d{3}/);
    assert.match(high.hint!, /Multiply tooHigh by 10/);
    assert.strictEqual(high.location!.line, lineIn(lab, 'model.ts', 'tooHigh: 0.01'));
    assert.strictEqual(r.record.outputs!.rate_span_decades, 0);
  });

  it('the reference shows the three behaviours, streams one curve per rate, and says why', async () => {
    const r = await watchedRun(lab, lab.manifest.solutions.reference);
    try {
      assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
      const o = r.record.outputs!;
      assert.deepStrictEqual([o.diverged_count, o.crawling_count, o.converged_count, o.stalled_count], [1, 1, 1, 0]);
      assert.deepStrictEqual([o.too_high_diverged, o.good_converged, o.too_low_crawling], [1, 1, 1]);
      // 0.5 kills the network: it ends at the error of guessing the average price.
      assert.ok(Math.abs(o.val_rmse_too_high! / o.baseline_rmse! - 1) < 0.03, JSON.stringify(o));
      assert.ok(o.test_rmse! < 0.95 * o.least_squares_rmse! && o.val_rmse_good! < o.least_squares_val_rmse!, JSON.stringify(o));
      // Crawling ends far above the good rate (about twice its error over the seeds measured).
      assert.ok(o.val_rmse_too_low! > 1.6 * o.val_rmse_good!, JSON.stringify(o));
      assert.strictEqual(r.epochs.length, 10);
      for (const e of r.epochs) {
        for (const slot of ['tooHigh', 'good', 'tooLow']) {
          for (const m of ['loss', 'val_loss', 'val_rmse']) assert.ok(`${m}@${slot}` in e.metrics, `${m}@${slot} missing at epoch ${e.epoch}`);
        }
        // The plain names carry the good rate's curve, for the standard charts.
        assert.strictEqual(e.metrics.val_loss, e.metrics['val_loss@good']);
      }
      const tooLow = r.epochs.map((e) => e.metrics['val_loss@tooLow']!);
      assert.ok(
        tooLow.every((v, i) => i === 0 || v < tooLow[i - 1]),
        'the crawling curve falls every epoch',
      );
      assert.match(r.logs.join('\n'), /tooHigh = 0\.5: diverged — the network died/);
      assert.match(r.logs.join('\n'), /tooLow = 1e-4: crawling/);
      assert.match(r.logs.join('\n'), /good = 0\.01: converged/);
    } finally {
      r.cleanup();
    }
  });

  it('rates all in one decade fail: nothing diverges, the low one converges, and the spread is too small', async () => {
    const file = 'solutions/wrong-same-decade.ts';
    const r = await run(file);
    assert.deepStrictEqual(failedIds(r), ['too-high-diverges', 'too-low-crawls', 'log-spread']);
    const spread = failedChecks(r).find((x) => x.id === 'log-spread')!;
    assert.strictEqual(spread.cause, 'rates-too-close');
    assert.match(spread.hint!, /span only 0\.778\d* powers of ten/);
    assert.match(spread.hint!, /log scale/);
    const low = failedChecks(r).find((x) => x.id === 'too-low-crawls')!;
    assert.strictEqual(low.cause, 'too-low-converges');
    assert.match(low.hint!, /With tooLow = 0\.005 the curve converged/);
    assert.strictEqual(low.location!.line, lineIn(lab, file, 'tooLow: 0.005'));
  });

  it('a rate that is merely noisy is not "too high": only that check fails', async () => {
    const file = 'solutions/wrong-not-high-enough.ts';
    const r = await run(file);
    assert.deepStrictEqual(failedIds(r), ['too-high-diverges']);
    const check = failedChecks(r)[0];
    assert.match(check.hint!, /With tooHigh = 0\.1 the network still learned: its validation error ended at \$\d{2},\d{3}/);
    assert.strictEqual(check.location!.line, lineIn(lab, file, 'tooHigh: 0.1'));
  });

  it('a rate so low that the curve is flat is told apart from one that crawls', async () => {
    const r = await run('solutions/wrong-too-low-frozen.ts');
    const check = failedChecks(r).find((x) => x.id === 'too-low-crawls')!;
    assert.strictEqual(check.cause, 'too-low-frozen');
    assert.match(check.hint!, /With tooLow = 0\.000001 the curve hardly moved/);
  });

  it('a network without activations fails against the best line for that reason, not for its rates', async () => {
    const r = await run('solutions/wrong-no-activation.ts');
    const check = failedChecks(r).find((x) => x.id === 'good-beats-line')!;
    assert.strictEqual(check.cause, 'no-nonlinearity');
    for (const x of failedChecks(r)) assert.doesNotMatch(x.hint!, /Multiply|Divide/, `${x.id}: ${x.hint}`);
  });
});
