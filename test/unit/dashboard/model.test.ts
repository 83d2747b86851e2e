import * as assert from 'assert';
import { formatSetting } from '../../../src/core/format';
import { alignEpochs, decimate, mergeEpochs, nullable, spread } from '../../../src/core/dashboard/epochColumns';
import { bestRunId, chartSpecFor, chartsForLab, CHART_SPECS, runLabel, runMarker, seriesOfRun } from '../../../src/core/dashboard/model';
import type { EpochColumns } from '../../../src/core/dashboard/records';

function cols(epoch: number[], metrics: Record<string, (number | null)[]>): EpochColumns {
  return { epoch, elapsedMs: epoch.map((e) => e * 10), metrics };
}

describe('dashboard model', () => {
  it('labels a run with its hyperparameters, the usual ones first and short', () => {
    assert.strictEqual(runLabel({ epochs: 20, batchSize: 32, learningRate: 0.01 }, 'x'), 'lr 0.01 · batch 32 · epochs 20');
    assert.strictEqual(runLabel({ learningRate: 0.0001, zeta: 'a', alpha: true }, 'x'), 'lr 1e-4 · alpha true · zeta a');
    assert.strictEqual(runLabel({}, 'run 10:00:00'), 'run 10:00:00');
    assert.strictEqual(runLabel({ constructor: 1 }, 'x'), 'constructor 1');
  });

  it('formats numbers the way learners type them', () => {
    assert.strictEqual(formatSetting(0.01), '0.01');
    assert.strictEqual(formatSetting(0.003), '0.003');
    assert.strictEqual(formatSetting(2.5e-5), '2.5e-5');
    assert.strictEqual(formatSetting(32), '32');
    assert.strictEqual(formatSetting(1 / 3), '0.333');
  });

  it('marks where a diverged run blew up and where a cancelled one stopped', () => {
    const e = cols([1, 2, 3, 4], { loss: [5, 9, null, null], val_loss: [6, 12, 40, null] });
    assert.deepStrictEqual(runMarker('diverged', e, { diagnosis: 'loss diverged at epoch 3' }), {
      kind: 'diverged',
      epoch: 3,
      message: 'loss diverged at epoch 3',
    });
    assert.deepStrictEqual(runMarker('cancelled', e, { failureMessage: 'cancelled at epoch 4' }), {
      kind: 'cancelled',
      epoch: 4,
      message: 'cancelled at epoch 4',
    });
    assert.strictEqual(runMarker('completed', e), undefined);
    assert.strictEqual(runMarker('running', e), undefined);
    assert.deepStrictEqual(runMarker('timeout', cols([], {})), { kind: 'timeout', message: 'the run hit its time limit' });
  });

  it('picks the completed run whose final validation loss is lowest, never one that is running, stopped or diverged', () => {
    const runs = [
      { id: 'a', status: 'completed' as const, epochs: cols([1, 2], { val_loss: [3, 2] }) },
      { id: 'b', status: 'diverged' as const, epochs: cols([1, 2], { val_loss: [0.1, null] }) },
      { id: 'c', status: 'running' as const, epochs: cols([1, 2], { val_loss: [1, 1.5] }) },
      { id: 'd', status: 'completed' as const, epochs: cols([1], { loss: [0.01] }) },
      { id: 'e', status: 'interrupted' as const, epochs: cols([1], { val_loss: [0.5] }) },
      { id: 'f', status: 'cancelled' as const, epochs: cols([1], { val_loss: [0.4] }) },
      { id: 'g', status: 'timeout' as const, epochs: cols([1], { val_loss: [0.3] }) },
    ];
    assert.strictEqual(bestRunId(runs), 'a');
    assert.strictEqual(bestRunId([...runs, { id: 'h', status: 'completed' as const, epochs: cols([1], { val_loss: [1.9] }) }]), 'h');
    assert.strictEqual(bestRunId(runs, 'val_loss', 'higher'), 'a');
    assert.strictEqual(bestRunId([]), undefined);
  });

  it('lists the charts the manifest or harness asks for plus those the runs have data for', () => {
    assert.deepStrictEqual(chartsForLab({ harness: 'regression' }, []), ['loss', 'rmse']);
    assert.deepStrictEqual(chartsForLab({ harness: 'regression' }, ['loss', 'val_acc']), ['loss', 'rmse', 'accuracy']);
    assert.deepStrictEqual(chartsForLab({ charts: ['confusion'] }, ['acc']), ['loss', 'accuracy', 'confusion']);
    assert.deepStrictEqual(chartsForLab({}, []), ['loss']);
  });

  it("draws one curve per model of a side-by-side run, without the primary model's plain duplicate", () => {
    const names = ['loss', 'val_loss', 'val_rmse', 'loss@tooHigh', 'val_loss@tooHigh', 'val_rmse@tooHigh', 'loss@good', 'val_loss@good', 'val_rmse@good'];
    assert.deepStrictEqual(seriesOfRun(CHART_SPECS.loss, names), [
      { metric: 'loss@tooHigh', role: 'train', model: 'tooHigh' },
      { metric: 'val_loss@tooHigh', role: 'validation', model: 'tooHigh' },
      { metric: 'loss@good', role: 'train', model: 'good' },
      { metric: 'val_loss@good', role: 'validation', model: 'good' },
    ]);
    assert.deepStrictEqual(
      seriesOfRun(CHART_SPECS.rmse, names).map((s) => s.metric),
      ['val_rmse@tooHigh', 'val_rmse@good'],
    );
    // An ordinary run draws its plain series.
    assert.deepStrictEqual(seriesOfRun(CHART_SPECS.loss, ['loss', 'val_loss', 'val_rmse']), [
      { metric: 'loss', role: 'train' },
      { metric: 'val_loss', role: 'validation' },
    ]);
    assert.deepStrictEqual(seriesOfRun(CHART_SPECS.accuracy, ['loss']), []);
  });

  it('reads RMSE in dollars only for a lab whose label is a price', () => {
    assert.strictEqual(chartSpecFor('rmse', 'dollars').format, 'dollars');
    assert.strictEqual(chartSpecFor('rmse', undefined).format, 'number');
    assert.strictEqual(chartSpecFor('accuracy', undefined).format, 'percent');
  });

  it('appends epochs in order, replaces repeats and inserts late ones, never duplicating', () => {
    const t = cols([1, 2], { loss: [1, 2] });
    assert.deepStrictEqual(mergeEpochs(t, cols([3, 4], { loss: [3, 4], acc: [0.5, 0.6] })), { appended: 2, rewritten: false });
    assert.deepStrictEqual(t.epoch, [1, 2, 3, 4]);
    assert.deepStrictEqual(t.metrics['acc'], [null, null, 0.5, 0.6]);
    // The same epochs again (a snapshot racing a live batch): replaced, not added.
    assert.deepStrictEqual(mergeEpochs(t, cols([3, 4], { loss: [30, 40] })), { appended: 0, rewritten: true });
    assert.deepStrictEqual(t.metrics['loss'], [1, 2, 30, 40]);
    assert.deepStrictEqual(t.metrics['acc'], [null, null, 0.5, 0.6]);
    // A gap filled late, and a new tail in the same batch.
    const g = cols([1, 3], { loss: [1, 3] });
    assert.deepStrictEqual(mergeEpochs(g, cols([2, 5], { loss: [2, 5] })), { appended: 1, rewritten: true });
    assert.deepStrictEqual(g.epoch, [1, 2, 3, 5]);
    assert.deepStrictEqual(g.metrics['loss'], [1, 2, 3, 5]);
    assert.strictEqual(g.elapsedMs.length, 4);
  });

  it('aligns runs of different lengths on one epoch axis', () => {
    const f = (xs: number[]) => new Float64Array(xs);
    const a = alignEpochs([
      [1, 2, 3],
      [1, 2],
    ]);
    assert.deepStrictEqual(a.x, [1, 2, 3]);
    assert.deepStrictEqual(a.positions, [null, null], 'runs numbered 1..n need no mapping');
    assert.deepStrictEqual(nullable(spread(f([5, 6]), a.positions[1]!, 3), 3), [5, 6, null]);
    const b = alignEpochs([
      [1, 3],
      [2, 3],
    ]);
    assert.deepStrictEqual(b.x, [1, 2, 3]);
    assert.deepStrictEqual(nullable(spread(f([7, 8]), b.positions[0]!, 3), 3), [7, null, 8]);
    assert.deepStrictEqual(nullable(spread(f([9, Number.NaN]), b.positions[1]!, 3), 3), [null, 9, null]);
  });

  it('decimates long curves to min and max per bucket, keeping spikes, gaps and exact epochs', () => {
    const x = Array.from({ length: 10 }, (_, i) => i + 1);
    const y = [5, 4, 9, 3, 2, 2, null, null, null, 1];
    assert.strictEqual(decimate(x, [y], 2), undefined, 'small buckets gain nothing');
    const d = decimate(x, [y], 4)!;
    // Buckets: epochs 1–4, 5–8, 9–10.
    assert.deepStrictEqual(d.x, [1, 4, 5, 8, 9, 10]);
    assert.deepStrictEqual(d.source, [0, 3, 4, 7, 8, 9]);
    // 9 comes before 3 in the first bucket; the second has only 2s; the last a gap then 1.
    assert.deepStrictEqual(d.ys[0], [9, 3, 2, 2, 1, 1]);
    const gap = decimate(x, [[1, 2, 3, 4, null, null, null, null, 5, 6]], 4)!;
    assert.deepStrictEqual(gap.ys[0], [1, 4, null, null, 5, 6]);
    const tail = decimate([1, 2, 3, 4, 5, 6, 7], [[1, 2, 3, 4, 5, 6, 7]], 3)!;
    assert.deepStrictEqual(tail.x, [1, 3, 4, 6, 7], 'a last bucket of one epoch is one point');
    assert.deepStrictEqual(tail.ys[0], [1, 3, 4, 6, 7]);
  });
});
