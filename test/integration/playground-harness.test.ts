// The playground harness through the real runner child process: which trainer ran, how the curve is
// recorded, how a broken network object is reported, and what a run that blows up looks like.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunStore } from '../../src/core/run/store';
import { runFixture, tempDir } from '../helpers';

/** A playground lab in a temporary folder (an id the catalog does not know, so its own manifest is used). */
function playgroundLab(network: string, data: Record<string, unknown> = { kind: 'circle', noise: 0 }): string {
  const dir = tempDir('mllabs-playground-');
  const manifest = {
    formatVersion: 1,
    id: 'fixture-playground',
    title: 'Fixture: playground',
    summary: 'A playground network used by the tests.',
    module: { number: 1, title: 'Tests' },
    order: 0,
    files: ['network.ts'],
    harness: 'playground',
    exports: ['network'],
    data: { dataset: 'playground', playground: data, split: { train: 0.5, validation: 0, test: 0.5 }, shuffleSeed: 1 },
    hyperparameters: { epochs: { type: 'integer', min: 1, max: 2000 } },
    timeBudgetSeconds: 60,
    checks: [{ id: 'fits', kind: 'metric', title: 'Fits', metric: 'test_loss', max: 0.05, hint: 'Train longer.' }],
    solutions: { reference: 'network.ts' },
  };
  fs.writeFileSync(path.join(dir, 'lab.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'network.ts'), `export const network = {\n${network}\n};\n`);
  return dir;
}

const SETTINGS = (o: Record<string, string> = {}) =>
  Object.entries({
    features: "['x1Squared', 'x2Squared']",
    hidden: '[2]',
    activation: "'tanh'",
    learningRate: '0.03',
    batchSize: '10',
    regularization: "'L1'",
    regularizationRate: '0.001',
    epochs: '250',
    ...o,
  })
    .map(([k, v]) => `  ${k}: ${v},`)
    .join('\n');

describe('playground harness (child process)', function () {
  this.timeout(60_000);

  it('says which trainer ran, streams about 100 evenly spaced epochs with the last one, and reports the network', async () => {
    const dir = playgroundLab(SETTINGS());
    const logs: string[] = [];
    const epochs: number[] = [];
    let started: { epochs: number; features: number; rows: { train: number; test: number } } | undefined;
    const { record, grade } = await runFixture(
      dir,
      {},
      {
        onLog: (_level, message) => logs.push(message),
        onStarted: (m) => (started = m),
        onEpoch: (m) => {
          epochs.push(m.epoch);
          assert.deepStrictEqual(Object.keys(m.metrics), ['loss', 'val_loss', 'baseline_loss', 'baseline_val_loss']);
        },
      },
    );
    assert.strictEqual(record.status, 'completed');
    assert.strictEqual(grade.passed, true, JSON.stringify(grade.results, null, 2));
    assert.ok(
      logs.some((l) => /trainer: the playground's own trainer, with TF Playground's rules \(TensorFlow\.js is not used for training\)/.test(l)),
      logs.join('\n'),
    );
    assert.ok(logs.some((l) => /L1 at 0\.001 \(a proximal step/.test(l)));
    assert.ok(logs.some((l) => /data: circle, noise 0 %, 250 training and 250 test points/.test(l)));
    assert.deepStrictEqual(started && { epochs: started.epochs, features: started.features, train: started.rows.train, test: started.rows.test }, {
      epochs: 250,
      features: 2,
      train: 250,
      test: 250,
    });
    // Stride 3 for 250 epochs: 1, 3, 6, …, 249, and the last.
    assert.strictEqual(epochs[0], 1);
    assert.strictEqual(epochs[epochs.length - 1], 250);
    assert.strictEqual(epochs.length, 1 + 83 + 1);
    assert.strictEqual(new RunStore(dir).read(record.id)!.epochs.length, epochs.length);
    assert.deepStrictEqual(record.hyperparameters, {
      features: 'x1Squared,x2Squared',
      hidden: '2',
      activation: 'tanh',
      learningRate: 0.03,
      batchSize: 10,
      regularization: 'L1',
      regularizationRate: 0.001,
      epochs: 250,
    });
    const o = record.outputs!;
    assert.strictEqual(o.input_features, 2);
    assert.strictEqual(o.links, 2 * 2 + 2);
    assert.strictEqual(o.input_alive_x1Squared, 1);
    // Every feature is reported, so a check on one the network was not given reads 0 rather than
    // nothing: uses_ says which were given, and one not given does not reach the output.
    assert.deepStrictEqual([o.uses_x1Squared, o.uses_x2Squared, o.uses_x1], [1, 1, 0]);
    assert.strictEqual(o.input_alive_x1, 0);
    assert.strictEqual(o.test_accuracy, 1);
    assert.strictEqual(o.epochs_run, 250);
  });

  it('reports a mistyped setting as a contract error at its line, with what is allowed', async () => {
    const dir = playgroundLab(SETTINGS({ regularization: "'l1'" }));
    const { record } = await runFixture(dir);
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure!.kind, 'contract');
    assert.match(record.failure!.message, /network\.regularization is 'l1'; choose one of 'none', 'L1', 'L2' \(did you mean 'L1'\?\)/);
    assert.strictEqual(record.failure!.location!.line, 7);
  });

  it('warns about a rate without a penalty', async () => {
    const warnings: string[] = [];
    await runFixture(playgroundLab(SETTINGS({ regularization: "'none'", epochs: '5' })), {}, { onLog: (level, m) => level === 'warn' && warnings.push(m) });
    assert.deepStrictEqual(warnings, ["network.regularizationRate is 0.001 but regularization is 'none', so no penalty is applied"]);
  });

  it('stops a run whose loss overflows and names the epoch and the learning rate', async () => {
    // Regression data has a linear output: ReLU layers at rate 10 overflow within a few epochs.
    const dir = playgroundLab(
      SETTINGS({
        features: "['x1', 'x2']",
        hidden: '[8, 8]',
        activation: "'relu'",
        learningRate: '10',
        regularization: "'none'",
        regularizationRate: '0',
        epochs: '50',
      }),
      { kind: 'reg-plane', noise: 0 },
    );
    const epochs: number[] = [];
    const { record } = await runFixture(dir, {}, { onEpoch: (m) => epochs.push(m.epoch) });
    assert.strictEqual(record.status, 'diverged');
    assert.match(
      record.diagnosis!,
      /^loss diverged at epoch \d+ — the weights overflowed: learning rate 10 is too high for this network \(ReLU outputs have no upper bound/,
    );
    assert.ok(epochs.length < 50 && epochs[epochs.length - 1] < 50, `stopped early: ${epochs.join(',')}`);
    assert.strictEqual(record.outputs!.test_loss, null);
    assert.strictEqual(record.outputs!.test_accuracy, undefined, 'no accuracy for a regression');
  });
});
