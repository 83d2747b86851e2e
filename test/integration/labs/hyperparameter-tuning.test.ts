// The hyperparameter-tuning lab: the course's study specs are valid and tune what the code reads; a
// run takes its learning rate and batch size from the hyperparameters (so a trial's values are the
// ones that train); the reference (a study's best trial) passes; each typical mistake fails the check
// that names its fix; and a short study of real trials runs through the tuner.
import * as assert from 'assert';
import * as path from 'path';
import { findLab, loadCatalog } from '../../../src/core/lab/catalog';
import { attempt } from '../../../src/cli/verify';
import { openLab } from '../../../src/core/run/labRun';
import { trialHyperparameters, tuneLab, unknownParameters } from '../../../src/core/tuner/labTuning';
import { loadStudySpec, searchSpace } from '../../../src/core/tuner';
import { describeSlow, REPO_ROOT } from '../../helpers';
import { failedChecks, failedIds, lineIn, watchedRun } from './housingLabRun';

const labDir = path.join(REPO_ROOT, 'lab-templates', 'hyperparameter-tuning');

describe('lab: hyperparameter-tuning, study specs', () => {
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'hyperparameter-tuning')!;

  it("hptuning.yaml is the course's study, valid, and every parameter maps to a hyperparameter of the lab", () => {
    const spec = loadStudySpec(path.join(labDir, 'hptuning.yaml'));
    assert.strictEqual(spec.goal, 'MINIMIZE');
    assert.strictEqual(spec.hyperparameterMetricTag, 'rmse');
    assert.deepStrictEqual([spec.maxTrials, spec.maxParallelTrials, spec.enableTrialEarlyStopping, spec.algorithm], [5, 1, false, undefined]);
    assert.deepStrictEqual(searchSpace(spec), [
      { name: 'batch_size', type: 'INTEGER', min: 8, max: 256, scale: 'UNIT_LINEAR_SCALE' },
      { name: 'learning_rate', type: 'DOUBLE', min: 0.001, max: 0.3, scale: 'UNIT_LOG_SCALE' },
    ]);
    assert.deepStrictEqual(unknownParameters(spec, lab.manifest), []);
    assert.deepStrictEqual(trialHyperparameters({ batch_size: 8, learning_rate: 0.022 }, lab.manifest), { batchSize: 8, learningRate: 0.022 });
  });

  it('hptuning-v2.yaml adds discrete batch sizes, two parallel trials and early stopping', () => {
    const spec = loadStudySpec(path.join(labDir, 'hptuning-v2.yaml'));
    assert.deepStrictEqual([spec.maxTrials, spec.maxParallelTrials, spec.enableTrialEarlyStopping], [10, 2, true]);
    assert.deepStrictEqual(spec.params.find((p) => p.parameterName === 'batch_size')!.discreteValues, [8, 16, 32, 64, 128, 256]);
    assert.deepStrictEqual(unknownParameters(spec, lab.manifest), []);
    // Every value either study can try is inside the lab's own ranges.
    const ranges = lab.manifest.hyperparameters;
    assert.ok(ranges.batchSize.min! <= 8 && ranges.batchSize.max! >= 256);
    assert.ok(ranges.learningRate.min! <= 0.001 && ranges.learningRate.max! >= 0.3);
  });
});

describeSlow('lab: hyperparameter-tuning', function () {
  this.timeout(240_000);
  const lab = findLab(loadCatalog(path.join(REPO_ROOT, 'lab-templates')), 'hyperparameter-tuning')!;

  it('the starter fails: its rate is written into the code, and its values under-train', async () => {
    const r = await attempt(REPO_ROOT, lab, undefined, { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(failedIds(r), ['rate-is-tunable', 'near-optimum', 'no-todo']);
    const check = failedChecks(r)[0];
    // tf.train.adam(0.001) is Adam's default rate written out, not the optimizer named as a string.
    assert.strictEqual(r.record.outputs!.optimizer_by_name, 0);
    assert.strictEqual(check.cause, 'rate-in-code');
    assert.match(check.hint!, /this run trained with 0\.001/);
    assert.strictEqual(check.location!.line, lineIn(lab, 'model.ts', 'tf.train.adam(0.001)'));
    // The quick fix replaces exactly the optimizer written with its rate, on that line.
    const line = lineIn(lab, 'model.ts', 'tf.train.adam(0.001)');
    assert.deepStrictEqual(check.fix, {
      title: 'Use tf.train.adam(hp.learningRate)',
      replacement: 'tf.train.adam(hp.learningRate)',
      range: { file: 'model.ts', line, column: 30, endLine: line, endColumn: 50 },
    });
  });

  it('the reference passes, and a run takes its learning rate and batch size from the overrides a tuner sends', async () => {
    const r = await attempt(REPO_ROOT, lab, lab.manifest.solutions.reference, { backend: 'cpu', seed: 1 });
    assert.strictEqual(r.grade.passed, true, JSON.stringify(failedChecks(r), null, 2));
    const o = r.record.outputs!;
    assert.deepStrictEqual([o.effective_learning_rate, o.batch_size, o.learning_rate_follows_hp, o.squared_error_loss], [0.043, 8, 1, 1]);
    assert.ok(o.val_rmse! < 86_000 && o.test_rmse! < 1.03 * o.least_squares_rmse!, JSON.stringify(o));

    const trial = await watchedRun(lab, lab.manifest.solutions.reference, { hyperparameters: { learningRate: 0.02, batchSize: 16 } });
    try {
      assert.deepStrictEqual(trial.record.hyperparameters, { learningRate: 0.02, batchSize: 16, epochs: 5 });
      assert.deepStrictEqual([trial.record.outputs!.effective_learning_rate, trial.record.outputs!.batch_size], [0.02, 16]);
      // The per-epoch value a pruner watches.
      assert.ok(trial.epochs.every((e) => typeof e.metrics.val_rmse === 'number'));
    } finally {
      trial.cleanup();
    }
  });

  it('a rate written into buildModel fails the tunability check only', async () => {
    const file = 'solutions/wrong-hardcoded-rate.ts';
    const r = await attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(failedIds(r), ['rate-is-tunable']);
    assert.match(failedChecks(r)[0].hint!, /tf\.train\.adam\(hp\.learningRate\)/);
    assert.strictEqual(failedChecks(r)[0].location!.line, lineIn(lab, file, 'tf.train.adam(0.03)'));
  });

  it("an optimizer named as a string uses Adam's default rate: not tunable and under-trained", async () => {
    const r = await attempt(REPO_ROOT, lab, 'solutions/wrong-optimizer-name.ts', { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(failedIds(r), ['rate-is-tunable', 'near-optimum']);
    assert.strictEqual(r.record.outputs!.effective_learning_rate, 0.001);
    assert.strictEqual(r.record.outputs!.optimizer_by_name, 1);
    assert.strictEqual(failedChecks(r)[0].cause, 'optimizer-by-name');
    assert.match(failedChecks(r)[0].hint!, /default rate, 0\.001/);
  });

  it("tunable code whose defaults were never replaced by the study's best fails near-optimum", async () => {
    const file = 'solutions/wrong-untuned.ts';
    const r = await attempt(REPO_ROOT, lab, file, { backend: 'cpu', seed: 1 });
    assert.deepStrictEqual(failedIds(r), ['near-optimum']);
    const check = failedChecks(r)[0];
    assert.strictEqual(check.cause, 'rate-too-low');
    assert.match(check.hint!, /still creeping down .* at learning rate 0\.001/);
    assert.strictEqual(check.location!.line, lineIn(lab, file, 'learningRate: 0.001'));
  });

  it('a two-trial study of the shipped spec runs real trials and optimises the validation RMSE', async () => {
    const run = await watchedRun(lab, lab.manifest.solutions.reference);
    try {
      const spec = { ...loadStudySpec(path.join(run.dir, 'hptuning.yaml')), maxTrials: 2, seed: 3 };
      const outcome = await tuneLab(openLab(run.dir, REPO_ROOT), { run: { installRoot: REPO_ROOT, backend: 'cpu' }, spec });
      assert.strictEqual(outcome.status, 'completed', outcome.reason);
      assert.strictEqual(outcome.trials.length, 2);
      for (const t of outcome.trials) {
        assert.strictEqual(t.state, 'completed', t.error);
        // The objective is the run's validation RMSE, and the trial trained with the trial's rate.
        assert.strictEqual(t.objective, t.metrics!.val_rmse);
        assert.strictEqual(t.metrics!.effective_learning_rate, t.params.learning_rate);
        assert.strictEqual(t.metrics!.batch_size, t.params.batch_size);
      }
    } finally {
      run.cleanup();
    }
  });
});
