// The real runner child process, end to end, on the cpu backend: training, streaming, and every fault.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunStore } from '../../src/core/run/store';
import { fixtureLab, lineOf, runFixture, startFixture } from '../helpers';

describe('runner (child process)', function () {
  this.timeout(60_000);

  it('trains a model, streams every epoch and grades it on held-out rows', async () => {
    const dir = fixtureLab('good');
    const epochs: number[] = [];
    let backend = '';
    let reason = '';
    const { record, grade } = await runFixture(
      dir,
      {},
      {
        onReady: (m) => {
          backend = m.backend;
          reason = m.reason;
        },
        onEpoch: (m) => epochs.push(m.epoch),
      },
    );
    assert.strictEqual(record.status, 'completed');
    assert.deepStrictEqual(epochs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.strictEqual(backend, 'cpu');
    assert.match(reason, /cpu was requested/);
    assert.strictEqual(record.backend, 'cpu');
    assert.ok(record.outputs!.test_rmse! < 0.3, `test_rmse ${record.outputs!.test_rmse}`);
    // 400 rows split 60/20/20: the held-out rows are measured but never given to the learner's fit.
    assert.strictEqual(grade.passed, true, JSON.stringify(grade.results, null, 2));

    const stored = new RunStore(dir).read(record.id)!;
    assert.strictEqual(stored.epochs.length, 12);
    assert.strictEqual(stored.record.status, 'completed');
    assert.strictEqual(stored.grade!.passed, true);
    assert.ok(fs.existsSync(path.join(new RunStore(dir).runDir(record.id), 'source', 'model.ts')), 'the code of the run is kept');
  });

  it('lets the learner build their own model with @tensorflow/tfjs', async () => {
    const { record } = await runFixture(fixtureLab('custom-model'));
    assert.strictEqual(record.status, 'completed', JSON.stringify(record.failure));
    assert.ok(record.outputs!.test_rmse! < 1);
  });

  it('reproduces a run from its seed', async () => {
    const a = await runFixture(fixtureLab('good'), { seed: 42 });
    const b = await runFixture(fixtureLab('good'), { seed: 42 });
    assert.strictEqual(a.record.outputs!.test_rmse, b.record.outputs!.test_rmse);
  });

  it('points an exception in learner code at the learner’s TypeScript line', async () => {
    const { record, grade } = await runFixture(fixtureLab('throws'));
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure!.kind, 'learner');
    assert.match(record.failure!.message, /feature overflow for x = 0\.\d\d/);
    assert.deepStrictEqual(
      { file: record.failure!.location!.file, line: record.failure!.location!.line },
      { file: 'model.ts', line: lineOf('throws', "throw new Error('feature overflow") },
    );
    const run = grade.results.find((r) => r.id === 'run')!;
    assert.strictEqual(run.status, 'fail');
    assert.strictEqual(run.location!.line, lineOf('throws', "throw new Error('feature overflow"));
  });

  it('reports a syntax error with its file, line and column', async () => {
    const { record } = await runFixture(fixtureLab('syntax'));
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure!.kind, 'compile');
    assert.match(record.failure!.message, /^model\.ts:2:\d+: Expected "\]"/);
    assert.strictEqual(record.failure!.location!.line, 2);
  });

  it('refuses imports other than @tensorflow/tfjs, naming the import', async () => {
    const { record } = await runFixture(fixtureLab('forbidden-import'));
    assert.strictEqual(record.failure!.kind, 'compile');
    assert.match(record.failure!.message, /"fs" cannot be imported in a lab/);
    assert.strictEqual(record.failure!.location!.line, 1);
  });

  it('stops an endless loop at the time budget, and the host carries on', async () => {
    const t0 = Date.now();
    const { record, grade } = await runFixture(fixtureLab('endless-loop'), { timeBudgetMs: 2500 });
    assert.strictEqual(record.status, 'timeout');
    assert.match(record.failure!.message, /time budget of 2\.5 s/);
    assert.match(record.failure!.message, /endless loop/);
    assert.ok(Date.now() - t0 < 15_000);
    assert.strictEqual(grade.passed, false);
    // The host is unharmed: the next run works.
    const next = await runFixture(fixtureLab('good'));
    assert.strictEqual(next.record.status, 'completed');
  });

  it('stops a run whose loss diverges, with the epoch and the likely knob', async () => {
    const { record, grade } = await runFixture(fixtureLab('diverges'));
    assert.strictEqual(record.status, 'diverged');
    assert.match(record.diagnosis!, /^loss diverged at epoch \d+ — learning rate 50 is probably too high$/);
    assert.ok(record.epochs < 20, 'training stopped early');
    const stable = grade.results.find((r) => r.id === 'stable')!;
    assert.strictEqual(stable.status, 'fail');
    assert.strictEqual(stable.cause, 'rate-too-high');
    assert.strictEqual(
      stable.hint,
      'The loss became NaN (infinitely large): learning rate 50 makes steps that overshoot the minimum, so the model bounces around it or flies off. Divide the learning rate by 3 to 10.',
    );
    assert.strictEqual(stable.location!.line, lineOf('diverges', 'learningRate: 50'));
  });

  it('reports running out of memory as such', async () => {
    const { record } = await runFixture(fixtureLab('out-of-memory'), { memoryMb: 160 });
    assert.strictEqual(record.status, 'oom', JSON.stringify(record.failure));
    assert.match(record.failure!.message, /ran out of memory \(limit 160 MB\)/);
  });

  it('explains a runner that exits without a result', async () => {
    const { record } = await runFixture(fixtureLab('exits'));
    assert.strictEqual(record.status, 'crashed');
    assert.match(record.failure!.message, /exited with code 0 without a result/);
  });

  it('explains a missing export, a bad hyperparameter and non-finite features', async () => {
    const missing = await runFixture(fixtureLab('missing-export'));
    assert.strictEqual(missing.record.failure!.kind, 'contract');
    assert.match(missing.record.failure!.message, /must export "hyperparameters"/);

    const bad = await runFixture(fixtureLab('bad-hyperparameter'));
    assert.match(bad.record.failure!.message, /hyperparameters\.batchSize must be a whole number, not 2\.5/);
    assert.strictEqual(bad.record.failure!.location!.line, lineOf('bad-hyperparameter', 'batchSize: 2.5'));

    const nan = await runFixture(fixtureLab('nan-feature'));
    assert.match(nan.record.failure!.message, /features\(\) returned something other than a finite number for \d+ of \d+ training rows/);
  });

  it('blames a model that does not fit the features on the learner', async () => {
    const { record } = await runFixture(fixtureLab('shape-mismatch'));
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure!.kind, 'contract');
    assert.match(record.failure!.message, /buildModel\(\) makes a model for 3 inputs, but features\(\) returns 1 value/);
  });

  it('cancels a run: SIGTERM first, and the run is recorded as cancelled', async () => {
    const dir = fixtureLab('slow');
    let firstEpoch: () => void = () => undefined;
    const sawEpoch = new Promise<void>((resolve) => (firstEpoch = resolve));
    const handle = startFixture(dir, {}, { onEpoch: () => firstEpoch() });
    await sawEpoch;
    handle.cancel();
    const { record } = await handle.result;
    assert.strictEqual(record.status, 'cancelled');
    assert.match(record.failure!.message, /cancelled after \d+ epochs?/);
    assert.ok(new RunStore(dir).read(record.id)!.epochs.length >= 1, 'epochs streamed before the cancel are kept');
  });

  it('gives a clear error when a forced backend does not work', async () => {
    const { record } = await runFixture(fixtureLab('good'), { backend: 'tensorflow' });
    if (record.status === 'completed') return; // tfjs-node is installed and works on this machine
    assert.strictEqual(record.status, 'failed');
    assert.match(record.failure!.message, /the tensorflow backend was requested but does not work here/);
  });
});

describe('backend choice', function () {
  this.timeout(60_000);

  it('"auto" tries native TensorFlow first and says why it fell back', async () => {
    let ready: { backend: string; reason: string; attempts: { backend: string; ok: boolean }[] } | undefined;
    const { record } = await runFixture(fixtureLab('good'), { backend: 'auto' }, { onReady: (m) => (ready = m) });
    assert.strictEqual(record.status, 'completed');
    assert.strictEqual(ready!.attempts[0].backend, 'tensorflow');
    if (ready!.backend !== 'tensorflow') {
      assert.strictEqual(ready!.backend, 'wasm');
      assert.match(ready!.reason, /not available: tensorflow: /);
    }
    assert.strictEqual(record.backendReason, ready!.reason);
  });
});

describe('runner host protocol', function () {
  this.timeout(30_000);

  it('refuses a malformed message from the child instead of acting on it', async () => {
    const dir = fixtureLab('good');
    const { record } = await runFixture(dir, { evaluatorScript: path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runners', 'malformed.js') });
    assert.strictEqual(record.status, 'crashed');
    assert.match(record.failure!.message, /the evaluator sent a malformed message: epoch: /);
    assert.strictEqual(new RunStore(dir).read(record.id)!.epochs.length, 0);
  });
});
