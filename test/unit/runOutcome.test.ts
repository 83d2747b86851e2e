// What the learner is told when a run ends, and while it runs: a run that never trained is said to
// have not trained (and why, where), never "1 of 7 checks passed"; a cancelled run is no failure;
// a run stuck in the learner's code shows its clock against the time budget, not a lasting "loading".
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkPlaces } from '../../src/core/source/checkLocations';
import { readManifest } from '../../src/core/lab/catalog';
import { labProgress } from '../../src/core/run/labProgress';
import { RunStore } from '../../src/core/run/store';
import { finishedStatusText, runningStatusText, wholeSeconds } from '../../src/core/run/statusText';
import { runVerdict } from '../../src/core/run/verdict';
import { markTrialRun } from '../../src/core/run/trialRuns';
import { fixtureLab, REPO_ROOT, runFixture, tempDir } from '../helpers';

const graded = { passed: false, summary: '5 of 7 checks passed' };

describe('run verdicts', () => {
  it('says a run with a syntax error did not train, with the file and line (from a real run)', async function () {
    this.timeout(60_000);
    const { record, grade } = await runFixture(fixtureLab('syntax'));
    const v = runVerdict(record, grade);
    assert.strictEqual(v.kind, 'did-not-train');
    assert.strictEqual(v.graded, false);
    assert.match(v.text, /^did not train: syntax error at model\.ts:2 — Expected "\]" but found ";"/);
    assert.doesNotMatch(v.text, /checks? passed/);
    assert.deepStrictEqual(v.location && [v.location.file, v.location.line], ['model.ts', 2]);
  });

  it('tells apart passed, failed checks, exceptions, stops mid-training and cancels', () => {
    assert.deepStrictEqual(runVerdict({ status: 'completed', epochs: 25 }, { passed: true, summary: 'all 7 checks passed' }), {
      kind: 'passed',
      text: 'all 7 checks passed',
      graded: true,
    });
    assert.deepStrictEqual(runVerdict({ status: 'diverged', epochs: 3 }, graded), { kind: 'checks-failed', text: '5 of 7 checks passed', graded: true });
    const threw = runVerdict(
      { status: 'failed', epochs: 0, failure: { kind: 'learner', message: 'row.rooms is undefined', location: { file: 'model.ts', line: 9, column: 3 } } },
      graded,
    );
    assert.strictEqual(threw.text, 'did not train: your code threw an error at model.ts:9 — row.rooms is undefined');
    const contract = runVerdict(
      {
        status: 'failed',
        epochs: 0,
        failure: {
          kind: 'contract',
          message: 'hyperparameters.batchSize must be a whole number, not 2.5',
          location: { file: 'model.ts', line: 20, column: 14 },
        },
      },
      graded,
    );
    assert.strictEqual(contract.text, 'did not train: hyperparameters.batchSize must be a whole number, not 2.5 (model.ts:20)');
    const stuck = runVerdict(
      {
        status: 'timeout',
        epochs: 0,
        failure: { kind: 'timeout', message: 'the run went over its time budget of 60 s and was stopped. The code may be stuck in an endless loop.' },
      },
      graded,
    );
    assert.strictEqual(stuck.text, 'did not train: the run went over its time budget of 60 s and was stopped. The code may be stuck in an endless loop.');
    const slow = runVerdict(
      {
        status: 'timeout',
        epochs: 12,
        epochsPlanned: 40,
        failure: { kind: 'timeout', message: 'the run went over its time budget of 60 s and was stopped after 12 epochs.' },
      },
      graded,
    );
    assert.strictEqual(slow.kind, 'did-not-finish');
    assert.match(slow.text, /^did not finish \(stopped after 12 of 40 epochs\): the run went over/);
    assert.deepStrictEqual(runVerdict({ status: 'cancelled', epochs: 3, epochsPlanned: 25 }, graded), {
      kind: 'cancelled',
      text: 'cancelled after 3 of 25 epochs',
      graded: false,
    });
    assert.strictEqual(runVerdict({ status: 'cancelled', epochs: 0 }, graded).text, 'cancelled before training started');
    assert.strictEqual(
      runVerdict(
        {
          status: 'interrupted',
          epochs: 0,
          failure: { kind: 'interrupted', message: 'the run was interrupted: the program that started it stopped before it finished' },
        },
        graded,
      ).kind,
      'did-not-train',
    );
  });
});

describe('run status text', () => {
  const t0 = 1_000_000;
  const base = { labId: 'hand-tuning', startedAt: t0, timeBudgetMs: 60_000 };
  it('shows the phase and the clock against the time budget, so a stuck run is seen to be stuck', () => {
    assert.strictEqual(runningStatusText(base, t0 + 1500), 'hand-tuning: starting · 1 s of 60 s');
    assert.strictEqual(runningStatusText({ ...base, backend: 'cpu' }, t0 + 42_400), 'hand-tuning: running your code · 42 s of 60 s');
    assert.notStrictEqual(
      runningStatusText({ ...base, backend: 'cpu' }, t0 + 5000),
      runningStatusText({ ...base, backend: 'cpu' }, t0 + 50_000),
      'the text moves while the run is stuck',
    );
    assert.strictEqual(runningStatusText({ ...base, backend: 'cpu', epochsPlanned: 25 }, t0 + 3000), 'hand-tuning: training, first epoch of 25 · 3 s of 60 s');
    assert.strictEqual(
      runningStatusText({ ...base, backend: 'cpu', epochsPlanned: 25, lastEpoch: { epoch: 3, metrics: { loss: 0.8, val_loss: 0.7234 } } }, t0 + 9000),
      'hand-tuning: epoch 3/25 · loss 0.7234 · cpu · 9 s of 60 s',
    );
    assert.strictEqual(
      runningStatusText({ ...base, debugging: true, backend: 'cpu' }, t0 + 130_000),
      'hand-tuning: debugging · running your code · 2 min 10 s',
    );
    assert.strictEqual(wholeSeconds(-5), '0 s');
  });

  it('ends with the verdict, not a check count, when the run did not train', () => {
    const v = runVerdict(
      {
        status: 'failed',
        epochs: 0,
        failure: { kind: 'compile', message: 'model.ts:12:7: Expected "]"', location: { file: 'model.ts', line: 12, column: 7 } },
      },
      graded,
    );
    assert.strictEqual(v.text, 'did not train: syntax error at model.ts:12 — Expected "]"');
    assert.strictEqual(finishedStatusText('hand-tuning', v, 'cpu'), 'hand-tuning: did not train');
    assert.strictEqual(
      finishedStatusText('hand-tuning', runVerdict({ status: 'completed', epochs: 5 }, graded), 'cpu'),
      'hand-tuning: 5 of 7 checks passed · cpu',
    );
  });
});

describe('where each check sits in the learner’s code', () => {
  const manifest = (() => {
    const r = readManifest(path.join(REPO_ROOT, 'lab-templates', 'hand-tuning', 'lab.json'));
    if (!r.ok) throw new Error('hand-tuning manifest');
    return r.manifest;
  })();
  const starter = fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', 'hand-tuning', 'model.ts'), 'utf8');
  const lineOf = (text: string) => starter.split('\n').findIndex((l) => l.includes(text)) + 1;

  it('puts each check on the line its `at` pattern, its code rule or the entry export finds', () => {
    const places = checkPlaces(manifest, { 'model.ts': starter }, true);
    assert.deepStrictEqual([...places.keys()], ['run', ...manifest.checks.map((c) => c.id)], "the lab's order, the run first");
    assert.strictEqual(places.get('run')!.range!.line, lineOf('export function features'));
    assert.strictEqual(places.get('label-scaled')!.range!.line, lineOf('export const labelScale'));
    assert.strictEqual(places.get('no-todo')!.range!.line, lineOf('TODO'));
    for (const p of places.values()) assert.strictEqual(p.file, 'model.ts');
  });

  it('compiles no pattern of an untrusted manifest, and survives a missing file or a broken pattern', () => {
    const untrusted = checkPlaces(manifest, { 'model.ts': starter }, false);
    assert.strictEqual(untrusted.get('label-scaled')!.range, undefined);
    assert.strictEqual(untrusted.get('no-todo')!.range!.line, lineOf('TODO'), 'the built-in TODO pattern still applies');
    const missing = checkPlaces(manifest, {}, true);
    assert.ok([...missing.values()].every((p) => p.range === undefined));
    const broken = { ...manifest, checks: [{ ...manifest.checks[0]!, at: { file: 'model.ts', pattern: '(' } }] };
    assert.strictEqual(checkPlaces(broken, { 'model.ts': starter }, true).get(manifest.checks[0]!.id)!.range, undefined);
  });
});

describe("a lab's progress comes from the learner's own runs", () => {
  it('leaves out runs a hyperparameter study started', () => {
    const dir = tempDir();
    const store = new RunStore(dir);
    const mine = store.create({ lab: 'x', seed: 1, backendRequested: 'auto', hostPid: process.pid, hyperparameters: {} });
    mine.update({ status: 'completed', epochs: 3, createdAt: '2026-01-01T10:00:00.000Z' });
    mine.writeGrade({ formatVersion: 1, lab: 'x', runId: mine.id, gradedAt: '', passed: false, summary: '5 of 7 checks passed', results: [] });
    mine.seal();
    const trial = store.create({ lab: 'x', seed: 1, backendRequested: 'auto', hostPid: process.pid, hyperparameters: { learningRate: 3 } });
    trial.update({ status: 'completed', epochs: 3, createdAt: '2026-01-01T10:05:00.000Z' });
    trial.writeGrade({ formatVersion: 1, lab: 'x', runId: trial.id, gradedAt: '', passed: true, summary: 'all 7 checks passed', results: [] });
    // Marked while the run is under way, so the run's seal covers the marker.
    markTrialRun(trial.dir, { trial: 2 });
    trial.seal();
    const p = labProgress(dir);
    assert.strictEqual(p.latest?.id, mine.id);
    assert.strictEqual(p.grade?.summary, '5 of 7 checks passed');
    assert.strictEqual(p.progress, 'started', 'a trial passing with values the code does not hold is not the learner passing');
  });
});

describe('a study’s result as the learner reads it', () => {
  it('names the metric and gives the value in its unit', async () => {
    const { describeObjective } = await import('../../src/core/tuner/labTuning');
    assert.strictEqual(describeObjective({ hyperparameterMetricTag: 'rmse' }, 82417.4, { labelUnit: 'dollars' }), 'validation rmse $82,417');
    assert.strictEqual(describeObjective({}, 82417.4, { labelUnit: 'dollars' }), 'validation rmse $82,417', 'the default objective is the RMSE');
    assert.strictEqual(describeObjective({ hyperparameterMetricTag: 'accuracy' }, 0.8403, {}), 'validation accuracy 84.0%');
    assert.strictEqual(describeObjective({ hyperparameterMetricTag: 'loss' }, 0.41234, {}), 'validation loss 0.4123');
  });
});
