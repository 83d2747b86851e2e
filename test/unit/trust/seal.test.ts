import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunStore } from '../../../src/core/run/store';
import { tempDir } from '../../helpers';

function sealedRun(store: RunStore) {
  const w = store.create({ lab: 'x', seed: 1, backendRequested: 'cpu', hyperparameters: {}, hostPid: process.pid });
  w.appendEpoch({ epoch: 1, elapsedMs: 1, metrics: { loss: 1 } });
  w.update({ status: 'completed', epochs: 1, outputs: { test_rmse: 90_000 } });
  w.writeGrade({ formatVersion: 1, lab: 'x', runId: w.id, gradedAt: new Date().toISOString(), passed: false, summary: '0 of 1 checks passed', results: [] });
  w.seal();
  return w;
}

describe('sealed run records', () => {
  it('verifies a record as written, and refuses it once any file is edited', () => {
    const store = new RunStore(tempDir());
    const w = sealedRun(store);
    assert.strictEqual(store.read(w.id)!.verified, true);
    assert.ok(store.readGrade(w.id));

    const file = path.join(store.runDir(w.id), 'run.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('90000', '1'));
    const read = store.read(w.id)!;
    assert.strictEqual(read.verified, false);
    assert.match(read.unverified!, /run\.json was changed after the run/);
    assert.strictEqual(store.readGrade(w.id), undefined, 'no grade is believed from it');
  });

  it('refuses an invented run, a grade.json that passes, or a seal copied from another run', () => {
    const store = new RunStore(tempDir());
    const a = sealedRun(store);
    const b = sealedRun(store);
    const gradeFile = path.join(store.runDir(a.id), 'grade.json');
    fs.writeFileSync(gradeFile, fs.readFileSync(gradeFile, 'utf8').replace('"passed": false', '"passed": true'));
    assert.match(store.read(a.id)!.unverified!, /grade\.json was changed/);

    fs.copyFileSync(path.join(store.runDir(b.id), 'seal.json'), path.join(store.runDir(a.id), 'seal.json'));
    assert.strictEqual(store.read(a.id)!.verified, false);

    const invented = path.join(store.root, '20990101-000000-abcd');
    fs.mkdirSync(invented);
    fs.writeFileSync(path.join(invented, 'run.json'), fs.readFileSync(path.join(store.runDir(b.id), 'run.json'), 'utf8').replace(b.id, '20990101-000000-abcd'));
    const read = store.read('20990101-000000-abcd')!;
    assert.strictEqual(read.verified, false);
    assert.match(read.unverified!, /no seal/);
  });

  it('refuses a run id that is not one (no path can leave the runs folder)', () => {
    const store = new RunStore(tempDir());
    assert.strictEqual(store.read('../..'), undefined);
    assert.throws(() => store.runDir('../../etc'), /is not a run id/);
  });
});
