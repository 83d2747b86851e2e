import * as assert from 'assert';
import * as path from 'path';
import { csvCell, metricsCsv } from '../../../src/core/dashboard/csv';
import { loadDashboard, toColumns } from '../../../src/core/dashboard/data';
import { EpochBatcher, type Scheduler } from '../../../src/core/dashboard/epochBatcher';
import { decodePngDataUrl, exportFileName, resolveInLab } from '../../../src/core/dashboard/webviewRequests';
import { parseHostToWebview } from '../../../src/core/dashboard/protocol';
import { type EpochColumns } from '../../../src/core/dashboard/records';
import { grade, labWithRuns, tempLab, TINY_PNG } from './fixtures';

function fakeScheduler(): { schedule: Scheduler; pending: () => number; run: () => void } {
  const queue: { fn: () => void; cancelled: boolean }[] = [];
  return {
    schedule: (fn) => {
      const t = { fn, cancelled: false };
      queue.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
    pending: () => queue.filter((t) => !t.cancelled).length,
    run: () => {
      for (const t of queue.splice(0)) if (!t.cancelled) t.fn();
    },
  };
}

describe('dashboard data', () => {
  it('builds a valid snapshot of every run in a lab folder, with labels, markers and grades', () => {
    const { dir, ids } = labWithRuns();
    const { snapshot } = loadDashboard(dir);
    assert.ok(parseHostToWebview(JSON.parse(JSON.stringify(snapshot))).ok, 'the snapshot passes the webview’s validation');
    assert.deepStrictEqual(snapshot.charts, ['loss', 'rmse']);
    assert.deepStrictEqual(
      snapshot.runs.map((r) => r.id),
      ids,
    );
    const [good, bad, cancelled] = snapshot.runs;
    assert.strictEqual(good!.label, '#1 lr 0.01 · batch 32 · epochs 3');
    assert.deepStrictEqual([good!.number, bad!.number, cancelled!.number], [1, 2, 3]);
    assert.deepStrictEqual(good!.epochs.epoch, [1, 2, 3]);
    assert.strictEqual(good!.grade?.summary, grade.summary);
    assert.strictEqual(good!.marker, undefined);
    assert.deepStrictEqual(bad!.marker, { kind: 'diverged', epoch: 2, message: 'loss diverged at epoch 2 — learning rate 5 is probably too high' });
    assert.deepStrictEqual(bad!.epochs.metrics['loss'], [40, null]);
    assert.strictEqual(cancelled!.marker?.kind, 'cancelled');
    assert.strictEqual(cancelled!.marker?.epoch, 1);
    assert.ok(
      snapshot.warnings.some((w) => w.includes('last line is incomplete')),
      snapshot.warnings.join('\n'),
    );
  });

  it('exports metrics as CSV: a row per run and epoch, empty cells for missing values, quoted text', () => {
    const { dir } = labWithRuns();
    const { runs } = loadDashboard(dir);
    const csv = metricsCsv(runs);
    const lines = csv.trimEnd().split('\r\n');
    assert.strictEqual(lines[0], 'run,status,batchSize,epochs,learningRate,optimizer,epoch,elapsed_ms,loss,val_loss,val_rmse');
    assert.strictEqual(lines.length, 1 + 3 + 2 + 1);
    assert.ok(lines[1]!.endsWith(',completed,32,3,0.01,,1,100,2,2.1,80000'), lines[1]);
    assert.ok(lines[5]!.endsWith(',diverged,32,3,5,,2,200,,,'), lines[5]);
    // Text a spreadsheet would run as a formula is defused.
    assert.ok(lines[6]!.includes(",'=cmd,"), lines[6]);
  });

  it('quotes CSV cells per RFC 4180', () => {
    assert.strictEqual(csvCell('a,b'), '"a,b"');
    assert.strictEqual(csvCell('say "hi"'), '"say ""hi"""');
    assert.strictEqual(csvCell(null), '');
    assert.strictEqual(csvCell(-1.5), '-1.5');
    assert.strictEqual(csvCell('-1'), "'-1");
    assert.strictEqual(csvCell(Number.NaN), '');
  });

  it('batches live epochs per run, in order, and loses none', () => {
    const sched = fakeScheduler();
    const delivered: { runId: string; epochs: EpochColumns }[] = [];
    const b = new EpochBatcher((runId, epochs) => delivered.push({ runId, epochs }), 33, sched.schedule);
    for (let e = 1; e <= 100; e++) b.add('a', { epoch: e, elapsedMs: e, metrics: { loss: 1 / e } });
    b.add('b', { epoch: 2, elapsedMs: 2, metrics: { loss: 2 } });
    b.add('b', { epoch: 1, elapsedMs: 1, metrics: { loss: 1 } });
    assert.strictEqual(delivered.length, 0, 'nothing is sent before the interval');
    assert.strictEqual(sched.pending(), 1, 'one timer for the whole burst');
    sched.run();
    assert.strictEqual(delivered.length, 2);
    assert.deepStrictEqual(
      delivered[0]!.epochs.epoch,
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    assert.deepStrictEqual(delivered[1]!.epochs.epoch, [1, 2]);
    b.add('a', { epoch: 101, elapsedMs: 101, metrics: { loss: 0 } });
    b.flush('a');
    assert.deepStrictEqual(delivered[2]!.epochs.epoch, [101]);
    assert.strictEqual(sched.pending(), 0, 'flushing everything cancels the timer');
  });

  it('turns epoch records into columns, dropping repeats and names the webview would refuse', () => {
    const c = toColumns([
      { epoch: 1, elapsedMs: 1, metrics: { loss: 1 } },
      { epoch: 1, elapsedMs: 2, metrics: { loss: 9 } },
      { epoch: 2, elapsedMs: 3, metrics: { loss: 2, val_loss: 2.5, 'bad name': 3 } },
    ]);
    assert.deepStrictEqual(c, { epoch: [1, 2], elapsedMs: [1, 3], metrics: { loss: [1, 2], val_loss: [null, 2.5] } });
  });

  it('decodes only real PNGs', () => {
    const bytes = decodePngDataUrl(TINY_PNG);
    assert.ok(bytes && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47);
    assert.strictEqual(decodePngDataUrl('data:image/png;base64,' + Buffer.from('GIF89a not a png at all').toString('base64')), undefined);
    assert.strictEqual(decodePngDataUrl('data:image/gif;base64,R0lGODlh'), undefined);
  });

  it('resolves locations only inside the lab folder and outside its hidden folders', () => {
    const dir = tempLab();
    assert.strictEqual(resolveInLab(dir, 'model.ts'), path.join(dir, 'model.ts'));
    assert.strictEqual(resolveInLab(dir, 'src/a.ts'), path.join(dir, 'src', 'a.ts'));
    for (const bad of ['../x.ts', 'a/../../x.ts', '/etc/passwd', '.mllabs/runs/x/run.json', '.', '']) {
      assert.strictEqual(resolveInLab(dir, bad), undefined, bad);
    }
  });

  it('names exports safely', () => {
    assert.strictEqual(exportFileName('hand-tuning', 'loss', 'png'), 'hand-tuning-loss.png');
    assert.strictEqual(exportFileName('../../x', 'a b', 'csv'), 'x-a-b.csv');
  });
});

describe('confusion matrix from a classification run', () => {
  it('is built from the confusion_<actual>_<predicted> outputs and the class names', async () => {
    const { confusionFromOutputs } = await import('../../../src/core/dashboard/data');
    const m = confusionFromOutputs({ confusion_0_0: 5, confusion_0_1: 1, confusion_1_0: 2, confusion_1_1: 7, test_accuracy: 0.8 }, ['cheap', 'expensive']);
    assert.deepStrictEqual(m, {
      labels: ['cheap', 'expensive'],
      matrix: [
        [5, 1],
        [2, 7],
      ],
    });
    assert.strictEqual(confusionFromOutputs({ test_rmse: 1 }, ['a', 'b']), undefined);
  });
});
