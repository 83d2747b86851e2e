// The learner's process is untrusted: each route a learner could take to a grade they did not earn
// is tried here, through the real evaluator and a confined learner process, and must fail.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunStore } from '../../src/core/run/store';
import { fixtureLab, runFixture } from '../helpers';

describe('the grade cannot be forged from the learner’s process', function () {
  this.timeout(60_000);

  it('refuses a forged result written on the lab’s channel, and Node’s own IPC is not there', async () => {
    const { record, grade } = await runFixture(fixtureLab('forge-done'));
    assert.strictEqual(record.status, 'crashed');
    assert.strictEqual(record.failure!.kind, 'protocol');
    assert.match(record.failure!.message, /sent a message the lab does not understand/);
    assert.strictEqual(record.outputs, undefined, 'nothing forged reaches the record');
    assert.strictEqual(grade.passed, false);
  });

  it('measures whatever a forged build answer hands over: the score is the lab’s', async () => {
    const { record, grade } = await runFixture(fixtureLab('forge-built'));
    assert.strictEqual(record.status, 'completed');
    // All-zero features: the model can only predict the average, and the lab measures exactly that.
    assert.ok(record.outputs!.test_rmse! > 1, `test_rmse ${record.outputs!.test_rmse}`);
    assert.strictEqual(grade.results.find((r) => r.id === 'fits')!.status, 'fail');
  });

  it('scores the same whatever the learner’s code patches (dataSync, data, Math.sqrt, tf metrics)', async () => {
    const honest = await runFixture(fixtureLab('good'), { seed: 7 });
    const patched = await runFixture(fixtureLab('patch-globals'), { seed: 7 });
    assert.strictEqual(patched.record.status, 'completed', JSON.stringify(patched.record.failure));
    assert.strictEqual(patched.record.outputs!.test_rmse, honest.record.outputs!.test_rmse);
    assert.ok(patched.record.outputs!.test_rmse! > 0.05, 'the measured error is a real error, not 0');
  });

  it('never hands the learner a label: reading it fails and names it, mutating rows changes nothing', async () => {
    const read = await runFixture(fixtureLab('read-label'));
    assert.strictEqual(read.record.status, 'failed');
    assert.strictEqual(read.record.failure!.kind, 'contract');
    assert.match(read.record.failure!.message, /reads row\.y, the value the model has to predict/);
    assert.strictEqual(read.record.failure!.location?.file, 'model.ts');

    const honest = await runFixture(fixtureLab('good'), { seed: 3 });
    const mutated = await runFixture(fixtureLab('mutate-rows'), { seed: 3 });
    assert.strictEqual(mutated.record.outputs!.test_rmse, honest.record.outputs!.test_rmse);
  });

  it('cannot read the course’s data from the install, by getBuiltinModule or eval(require), nor write a file', async function () {
    const read = await runFixture(fixtureLab('read-install-data'));
    if (read.record.confinement?.active !== true) this.skip();
    assert.strictEqual(read.record.status, 'failed');
    assert.match(read.record.failure!.message, /tried to read or write a file/);

    const dir = fixtureLab('eval-require');
    const write = await runFixture(dir);
    assert.strictEqual(write.record.status, 'failed');
    assert.match(write.record.failure!.message, /tried to read or write a file/);
    assert.ok(!fs.existsSync(path.join(dir, 'forged.txt')), 'nothing was written');
  });

  it('caps what a flood of printing keeps, and stops a flood of messages or an oversized one', async () => {
    let shown = 0;
    const printed = await runFixture(fixtureLab('flood-output'), {}, { onOutput: (_s, text) => (shown += text.length) });
    assert.strictEqual(printed.record.status, 'completed');
    assert.ok(shown < 1.2 * 1024 * 1024, `forwarded ${shown} bytes of 20 MB printed`);

    const rssBefore = process.memoryUsage().rss;
    const flooded = await runFixture(fixtureLab('flood-channel'));
    assert.strictEqual(flooded.record.status, 'crashed');
    assert.match(flooded.record.failure!.message, /flood of log messages|more than/);
    const oversized = await runFixture(fixtureLab('oversized-message'));
    assert.strictEqual(oversized.record.status, 'crashed');
    assert.match(oversized.record.failure!.message, /sent a message of 1907 MB, more than the 96 MB allowed/);
    assert.ok(process.memoryUsage().rss - rssBefore < 200 * 1024 * 1024, 'the host stays small');
  });

  it('seals the record, runs the learner confined, and says who trained', async () => {
    const dir = fixtureLab('good');
    const { record, grade } = await runFixture(dir);
    assert.strictEqual(record.trainedBy, 'lab');
    assert.strictEqual(grade.provenance?.trainedBy, 'lab');
    assert.strictEqual(grade.provenance?.manifest, 'folder');
    if (process.allowedNodeEnvironmentFlags.has('--experimental-permission') || process.allowedNodeEnvironmentFlags.has('--permission')) {
      assert.strictEqual(record.confinement?.active, true, record.confinement?.detail);
    }
    const read = new RunStore(dir).read(record.id)!;
    assert.strictEqual(read.verified, true, read.unverified);
  });
});
