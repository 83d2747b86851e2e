// Hyperparameter studies of a lab through the command line: real trials in runner processes,
// study files on disk, resume, and clear errors for bad specs.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readStudy } from '../../src/core/tuner';
import { fixtureLab, REPO_ROOT } from '../helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const SPEC = `trainingInput:
  hyperparameters:
    goal: MINIMIZE
    hyperparameterMetricTag: loss
    maxTrials: 4
    maxParallelTrials: 2
    algorithm: RANDOM_SEARCH
    seed: 3
    params:
      - parameterName: learning_rate
        type: DOUBLE
        minValue: 0.01
        maxValue: 1
        scaleType: UNIT_LOG_SCALE
      - parameterName: batch_size
        type: DISCRETE
        discreteValues: [8, 16, 32]
`;

describe('mllabs tune', function () {
  this.timeout(180_000);

  it('runs a study of real trials, two at a time, and keeps it on disk', async () => {
    const dir = fixtureLab('good');
    fs.writeFileSync(path.join(dir, 'hptuning.yaml'), SPEC);
    const { code, stdout, stderr } = await cli(['tune', dir, '--backend', 'cpu', '--json']);
    assert.strictEqual(code, 0, stderr);
    const outcome = JSON.parse(stdout) as { status: string; studyId: string; trials: { state: string }[]; best: { params: Record<string, number> } };
    assert.strictEqual(outcome.status, 'completed');
    assert.strictEqual(outcome.trials.length, 4);
    assert.ok(outcome.trials.every((t) => t.state === 'completed'));
    assert.ok([8, 16, 32].includes(outcome.best.params.batch_size));
    assert.match(stderr, /2 at a time/);
    const study = readStudy(dir, outcome.studyId)!;
    assert.strictEqual(study.trials.length, 4);
    assert.deepStrictEqual(study.best!.params, outcome.best.params);
    // Every trial is a normal, graded run with the trial's values as hyperparameters.
    const runs = fs.readdirSync(path.join(dir, '.mllabs', 'runs'));
    assert.strictEqual(runs.length, 4);
    const record = JSON.parse(fs.readFileSync(path.join(dir, '.mllabs', 'runs', runs[0], 'run.json'), 'utf8')) as { hyperparameters: Record<string, unknown> };
    assert.ok(typeof record.hyperparameters.learningRate === 'number' && [8, 16, 32].includes(record.hyperparameters.batchSize as number));

    // Resuming a finished study runs nothing more and loses nothing.
    const again = await cli(['tune', dir, '--resume', outcome.studyId, '--backend', 'cpu', '--json']);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.strictEqual((JSON.parse(again.stdout) as { trials: unknown[] }).trials.length, 4);
    assert.strictEqual(fs.readdirSync(path.join(dir, '.mllabs', 'runs')).length, 4);
  });

  it('rejects a spec with a clear error naming the field, and parameters the lab does not read', async () => {
    const dir = fixtureLab('good');
    fs.writeFileSync(path.join(dir, 'bad.yaml'), SPEC.replace('minValue: 0.01', 'minValue: 0'));
    const bad = await cli(['tune', dir, '--spec', path.join(dir, 'bad.yaml')]);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /params\[0\]\.minValue: must be > 0 for UNIT_LOG_SCALE/);
    fs.writeFileSync(path.join(dir, 'typo.yaml'), SPEC.replace('learning_rate', 'learnin_rate'));
    const typo = await cli(['tune', dir, '--spec', path.join(dir, 'typo.yaml')]);
    assert.strictEqual(typo.code, 2);
    assert.match(typo.stderr, /tunes learnin_rate, which this lab's code does not read/);
  });
});
