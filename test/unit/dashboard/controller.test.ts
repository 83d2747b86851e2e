import * as assert from 'assert';
import * as path from 'path';
import { DashboardController } from '../../../src/core/dashboard/controller';
import type { HostToWebview } from '../../../src/core/dashboard/protocol';
import { RunStore, type RunRecord } from '../../../src/core/run/store';
import { FakeEffects, grade, labWithRuns, manualTimer, tempLab, TINY_PNG } from './fixtures';

function newRun(dir: string): RunRecord {
  const w = new RunStore(dir).create({ lab: 'hand-tuning', seed: 1, backendRequested: 'auto', hyperparameters: {}, hostPid: process.pid });
  return w.current;
}

describe('dashboard controller (host side)', () => {
  it('sends nothing until the webview is ready, then a snapshot of the run files', async () => {
    const { dir, ids } = labWithRuns();
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx);
    c.runStarted(newRun(dir));
    assert.deepStrictEqual(fx.posted, []);
    await c.receive({ type: 'ready' });
    assert.deepStrictEqual(fx.types(), ['snapshot']);
    const snap = fx.posted[0] as Extract<HostToWebview, { type: 'snapshot' }>;
    assert.strictEqual(snap.lab.id, 'hand-tuning');
    assert.strictEqual(snap.runs.length, ids.length + 1);
    c.dispose();
  });

  it('streams a run: started, epochs batched per interval, then final status and grade, in that order', async () => {
    const dir = tempLab();
    const fx = new FakeEffects();
    const timer = manualTimer();
    const c = new DashboardController(dir, fx, { schedule: timer.schedule });
    await c.receive({ type: 'ready' });
    const rec = newRun(dir);
    c.runStarted(rec);
    c.runUpdated(rec.id, { hyperparameters: { learningRate: 0.05, batchSize: 10, epochs: 30 }, epochsPlanned: 30, backend: 'cpu' });
    for (let e = 1; e <= 25; e++) c.epoch(rec.id, { epoch: e, elapsedMs: e * 5, metrics: { loss: 1 / e, val_loss: 1.1 / e } });
    assert.deepStrictEqual(fx.types(), ['snapshot', 'run', 'run'], 'epochs wait for the interval');
    const updated = fx.posted[2] as Extract<HostToWebview, { type: 'run' }>;
    assert.strictEqual(updated.run.label, '#1 lr 0.05 · batch 10 · epochs 30', 'numbered in the lab, then its hyperparameters');
    timer.fire();
    assert.deepStrictEqual(fx.types(), ['snapshot', 'run', 'run', 'epochs']);
    for (let e = 26; e <= 27; e++) c.epoch(rec.id, { epoch: e, elapsedMs: e * 5, metrics: { loss: null, val_loss: null } });
    c.runFinished({ ...rec, status: 'diverged', epochs: 27, diagnosis: 'loss diverged at epoch 26' }, { ...grade, runId: rec.id });
    assert.deepStrictEqual(fx.types(), ['snapshot', 'run', 'run', 'epochs', 'epochs', 'run', 'grade']);
    const epochs = fx.posted.filter((m): m is Extract<HostToWebview, { type: 'epochs' }> => m.type === 'epochs').flatMap((m) => m.epochs.epoch);
    assert.deepStrictEqual(
      epochs,
      Array.from({ length: 27 }, (_, i) => i + 1),
      'every epoch sent exactly once',
    );
    const final = fx.posted[5] as Extract<HostToWebview, { type: 'run' }>;
    assert.deepStrictEqual(final.run.marker, { kind: 'diverged', epoch: 26, message: 'loss diverged at epoch 26' });
    c.dispose();
  });

  it('tells the webview when a new chart is needed (first accuracy values)', async () => {
    const dir = tempLab();
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx, { schedule: manualTimer().schedule });
    await c.receive({ type: 'ready' });
    const rec = newRun(dir);
    c.runStarted(rec);
    c.epoch(rec.id, { epoch: 1, elapsedMs: 1, metrics: { loss: 1, acc: 0.5 } });
    const charts = fx.posted.find((m) => m.type === 'charts') as Extract<HostToWebview, { type: 'charts' }>;
    assert.deepStrictEqual(charts.charts, ['loss', 'rmse', 'accuracy']);
    c.dispose();
  });

  it('drops and logs malformed or forged messages without acting on them', async () => {
    const { dir } = labWithRuns();
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx);
    const forged: unknown[] = [
      { type: 'readyy' },
      { type: 'savePng', chart: 'loss', dataUrl: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' },
      { type: 'openLocation', file: '../../etc/passwd', line: 1, column: 1 },
      { type: 'exportCsv', runIds: 'all' },
      'ready',
      null,
    ];
    for (const m of forged) await c.receive(m);
    assert.deepStrictEqual(fx.posted, []);
    assert.deepStrictEqual(fx.saved, []);
    assert.deepStrictEqual(fx.opened, []);
    assert.strictEqual(fx.logs.length, forged.length);
    assert.ok(fx.logs.every((l) => l.includes('dropped a malformed message')));
    c.dispose();
  });

  it('saves PNGs and CSVs the webview asks for, and refuses a PNG that is not one', async () => {
    const { dir, ids } = labWithRuns();
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx);
    await c.receive({ type: 'savePng', chart: 'loss', dataUrl: TINY_PNG });
    await c.receive({ type: 'savePng', chart: 'loss', dataUrl: 'data:image/png;base64,' + Buffer.from('<svg onload=alert(1)>').toString('base64') });
    await c.receive({ type: 'exportCsv', runIds: [ids[0]!, 'no-such-run'] });
    assert.deepStrictEqual(
      fx.saved.map((s) => [s.kind, s.name]),
      [
        ['png', 'hand-tuning-loss.png'],
        ['csv', 'hand-tuning-metrics.csv'],
      ],
    );
    assert.strictEqual(fx.saved[0]!.bytes[0], 0x89);
    const csv = Buffer.from(fx.saved[1]!.bytes).toString('utf8').trimEnd().split('\r\n');
    assert.strictEqual(csv.length, 1 + 3);
    assert.ok(fx.logs.some((l) => l.includes('not a PNG')));
    c.dispose();
  });

  it('opens locations inside the lab and refuses the rest', async () => {
    const dir = tempLab();
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx);
    await c.receive({ type: 'openLocation', file: 'model.ts', line: 12, column: 17, endLine: 12, endColumn: 21 });
    await c.receive({ type: 'openLocation', file: '.mllabs/runs/x/run.json', line: 1, column: 1 });
    assert.deepStrictEqual(fx.opened, [{ file: path.join(path.resolve(dir), 'model.ts'), span: { line: 12, column: 17, endLine: 12, endColumn: 21 } }]);
    assert.ok(fx.logs.some((l) => l.includes('refused to open')));
    c.dispose();
  });

  it('records toggles and the selected run', async () => {
    const fx = new FakeEffects();
    const c = new DashboardController(tempLab(), fx);
    await c.receive({ type: 'toggleRun', runId: 'r1', visible: false });
    await c.receive({ type: 'selectRun', runId: 'r2' });
    assert.strictEqual(c.isRunVisible('r1'), false);
    assert.strictEqual(c.isRunVisible('r2'), true);
    assert.strictEqual(c.selectedRunId, 'r2');
    c.dispose();
  });
});
