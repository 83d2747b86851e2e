import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseMetricsLines, RunStore } from '../../src/core/run/store';
import { tempDir } from '../helpers';

function newRun(store: RunStore, hostPid = process.pid) {
  return store.create({ lab: 'x', seed: 1, backendRequested: 'cpu', hyperparameters: { learningRate: 0.1 }, hostPid });
}

describe('run store', () => {
  it('writes run.json, appends metrics and reads them back', () => {
    const store = new RunStore(tempDir());
    const w = newRun(store);
    w.appendEpoch({ epoch: 1, elapsedMs: 10, metrics: { loss: 2, val_loss: null } });
    w.appendEpoch({ epoch: 2, elapsedMs: 20, metrics: { loss: 1, val_loss: 1.5 } });
    w.update({ status: 'completed', epochs: 2 });
    const read = store.read(w.id)!;
    assert.strictEqual(read.record.status, 'completed');
    assert.deepStrictEqual(
      read.epochs.map((e) => e.metrics.loss),
      [2, 1],
    );
    assert.deepStrictEqual(read.warnings, []);
    // Atomic writes leave no temporary files behind.
    assert.deepStrictEqual(fs.readdirSync(store.runDir(w.id)).sort(), ['metrics.jsonl', 'run.json']);
  });

  it('skips a torn last line of metrics.jsonl with a warning', () => {
    const store = new RunStore(tempDir());
    const w = newRun(store);
    w.appendEpoch({ epoch: 1, elapsedMs: 10, metrics: { loss: 2 } });
    fs.appendFileSync(path.join(store.runDir(w.id), 'metrics.jsonl'), '{"epoch":2,"elapsedMs":20,"metr');
    const read = store.read(w.id)!;
    assert.strictEqual(read.epochs.length, 1);
    assert.strictEqual(read.warnings.length, 1);
    assert.match(read.warnings[0], /the last line is incomplete .* and was skipped/);
  });

  it('skips a malformed line in the middle and keeps the rest', () => {
    const { epochs, warnings } = parseMetricsLines('{"epoch":1,"elapsedMs":1,"metrics":{}}\nnot json\n{"epoch":3,"elapsedMs":1,"metrics":{}}\n');
    assert.deepStrictEqual(
      epochs.map((e) => e.epoch),
      [1, 3],
    );
    assert.deepStrictEqual(warnings, ['metrics.jsonl: line 2 is not a valid epoch record and was skipped']);
  });

  it('reports a corrupt run.json instead of crashing, and lists the other runs', () => {
    const store = new RunStore(tempDir());
    const good = newRun(store);
    const bad = newRun(store);
    fs.writeFileSync(path.join(store.runDir(bad.id), 'run.json'), '{"formatVersion": 1, "id": ');
    const { runs, warnings } = store.list();
    assert.deepStrictEqual(
      runs.map((r) => r.id),
      [good.id],
    );
    assert.strictEqual(warnings.length, 1);
    assert.match(warnings[0], /run\.json cannot be read .*; skipped/);
    assert.strictEqual(store.read(bad.id), undefined);
  });

  it('marks a run left "running" by a dead process as interrupted, and leaves live ones alone', () => {
    const store = new RunStore(tempDir());
    const dead = newRun(store, 999_999_999);
    const mine = newRun(store);
    const recovered = store.recoverInterrupted((pid) => pid !== 999_999_999);
    assert.deepStrictEqual(recovered, [dead.id]);
    assert.strictEqual(store.read(dead.id)!.record.status, 'interrupted');
    assert.match(store.read(dead.id)!.record.failure!.message, /interrupted/);
    assert.strictEqual(store.read(mine.id)!.record.status, 'running');
  });
});
