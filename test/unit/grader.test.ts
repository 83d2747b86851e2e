import * as assert from 'assert';
import { grade, type GradeInput } from '../../src/core/grade/grader';
import { LabManifest } from '../../src/core/lab/manifest';

function manifest(checks: unknown[]): LabManifest {
  return LabManifest.parse({
    formatVersion: 1,
    id: 'fixture',
    title: 'Fixture',
    summary: 'A fixture lab',
    module: { number: 1, title: 'Test' },
    order: 0,
    files: ['model.ts'],
    harness: 'regression',
    exports: ['features'],
    data: { dataset: 'synthetic-linear', split: { train: 0.6, validation: 0.2, test: 0.2 }, shuffleSeed: 1 },
    checks,
    solutions: { reference: 'solutions/reference.ts' },
  });
}

function input(m: LabManifest, over: Partial<GradeInput['run']> = {}, sources: Record<string, string> = {}): GradeInput {
  return {
    manifest: m,
    run: { id: 'r1', status: 'completed', outputs: {}, epochs: [], hyperparameters: { learningRate: 0.5 }, ...over },
    sources: { 'model.ts': 'export const x = 1;\n', ...sources },
  };
}

describe('grader', () => {
  it('passes and fails a metric threshold, with measured value, bar and located hint', () => {
    const m = manifest([
      {
        id: 'rmse',
        kind: 'metric',
        title: 'RMSE low enough',
        metric: 'test_rmse',
        max: 100,
        hint: 'lower the rate from {hp.learningRate}; you got {measured}',
        at: { file: 'model.ts', pattern: 'learningRate:\\s*([\\d.]+)' },
      },
    ]);
    const src = { 'model.ts': 'export const hp = {\n  learningRate: 0.5,\n};\n' };
    const pass = grade(input(m, { outputs: { test_rmse: 99 } }, src));
    assert.strictEqual(pass.passed, true);
    const fail = grade(input(m, { outputs: { test_rmse: 150 } }, src));
    assert.strictEqual(fail.passed, false);
    const r = fail.results.find((x) => x.id === 'rmse')!;
    assert.strictEqual(r.status, 'fail');
    assert.strictEqual(r.measured, '150');
    assert.strictEqual(r.bar, 'at most 100');
    assert.strictEqual(r.message, 'The error on the held-out rows (RMSE) is 150; the bar is at most 100');
    assert.strictEqual(r.hint, 'lower the rate from 0.5; you got 150');
    assert.deepStrictEqual(r.location, { file: 'model.ts', line: 2, column: 17, endLine: 2, endColumn: 20 });
  });
});

describe('grader: every kind of check', () => {
  const epochs = (values: number[]) => values.map((v, i) => ({ epoch: i + 1, metrics: { loss: v, val_loss: v } }));

  it('compares a metric with a baseline trained in the same run', () => {
    const m = manifest([
      {
        id: 'near',
        kind: 'compare',
        title: 'Near',
        metric: 'test_rmse',
        baseline: 'ols',
        against: 'the best line',
        maxRatio: 1.05,
        format: 'dollars',
        hint: 'h',
      },
    ]);
    const ok = grade(input(m, { outputs: { test_rmse: 104, ols: 100 } })).results[1];
    assert.strictEqual(ok.status, 'pass');
    const bad = grade(input(m, { outputs: { test_rmse: 110, ols: 100 } })).results[1];
    assert.strictEqual(bad.status, 'fail');
    assert.strictEqual(bad.message, 'The error on the held-out rows (RMSE) is $110, 1.100 × the best line ($100); the bar is at most $105 (1.05 × $100)');
  });

  it('fails a loss that is still falling, passes a noisy plateau', () => {
    const m = manifest([{ id: 'conv', kind: 'converged', title: 'Converged', series: 'val_loss', window: 3, maxRelativeDrop: 0.02, hint: 'train longer' }]);
    const falling = grade(input(m, { epochs: epochs([10, 8, 6, 4, 3, 2]) })).results[1];
    assert.strictEqual(falling.status, 'fail');
    assert.match(falling.message, /still falling at the end: down 50\.0% over the last 3 epochs/);
    assert.strictEqual(falling.hint, 'train longer');
    const plateau = grade(input(m, { epochs: epochs([10, 5, 1.0, 1.3, 0.995, 1.2]) })).results[1];
    assert.strictEqual(plateau.status, 'pass', plateau.message);
    const short = grade(input(m, { epochs: epochs([3, 2]) })).results[1];
    assert.strictEqual(short.status, 'fail');
    assert.match(short.message, /only 2 epochs/);
  });

  it('fails a loss that blew up or diverged, with the runner diagnosis', () => {
    const m = manifest([{ id: 'stable', kind: 'stable', title: 'Stable', hint: 'lower it' }]);
    const blew = grade(input(m, { epochs: epochs([5, 1, 0.5, 4]) })).results[1];
    assert.strictEqual(blew.status, 'fail');
    assert.match(blew.message, /unstable: at epoch 4 it jumped to 8\.0 × its lowest value before/);
    // Erratic: a spike late in training fails even when the last value is back down.
    const bouncing = grade(input(m, { epochs: epochs([5, 1, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 9, 0.7]) })).results[1];
    assert.strictEqual(bouncing.status, 'fail');
    assert.match(bouncing.message, /at epoch 9 it jumped to 12\.9 ×/);
    const diverged = grade(
      input(m, { status: 'diverged', diagnosis: 'loss diverged at epoch 3 — learning rate 5 is probably too high', epochs: epochs([5, 1]) }),
    );
    assert.strictEqual(diverged.results[0].status, 'fail');
    assert.strictEqual(diverged.results[1].message, 'loss diverged at epoch 3 — learning rate 5 is probably too high');
    assert.strictEqual(grade(input(m, { epochs: epochs([5, 2, 1, 1.1]) })).results[1].status, 'pass');
  });

  it('finds TODOs left, forbidden and required code, at their lines', () => {
    const m = manifest([
      { id: 'todo', kind: 'code', title: 'No TODO', file: 'model.ts', rule: 'no-todo', hint: 'finish' },
      { id: 'no-dropout', kind: 'code', title: 'No dropout', file: 'model.ts', rule: 'forbid', pattern: 'dropout', hint: 'remove dropout' },
      { id: 'softmax', kind: 'code', title: 'Softmax head', file: 'model.ts', rule: 'require', pattern: "activation:\\s*'softmax'", hint: 'add softmax' },
    ]);
    const src = 'const a = 1;\n// TODO: scale\nlayers.dropout({rate: 0.1});\n// TODO: again\n';
    const r = grade(input(m, {}, { 'model.ts': src })).results;
    assert.strictEqual(r[1].status, 'fail');
    assert.strictEqual(r[1].message, '2 TODOs left in model.ts');
    assert.strictEqual(r[1].location!.line, 2);
    assert.strictEqual(r[2].status, 'fail');
    assert.strictEqual(r[2].location!.line, 3);
    assert.strictEqual(r[3].status, 'fail');
    assert.strictEqual(r[3].hint, 'add softmax');
    const fixed = grade(input(m, {}, { 'model.ts': "layers.dense({activation: 'softmax'})\n" })).results;
    assert.deepStrictEqual(
      fixed.map((x) => x.status),
      ['pass', 'pass', 'pass', 'pass'],
    );
  });

  it('does not measure metrics of a run that never trained, but still reads the code', () => {
    const m = manifest([
      { id: 'rmse', kind: 'metric', title: 'RMSE', metric: 'test_rmse', max: 1, hint: 'h' },
      { id: 'todo', kind: 'code', title: 'No TODO', file: 'model.ts', rule: 'no-todo', hint: 'finish' },
    ]);
    const report = grade(
      input(m, {
        status: 'failed',
        outputs: undefined,
        failure: { kind: 'compile', message: 'model.ts:3:1: Expected ";"', location: { file: 'model.ts', line: 3, column: 1 } },
      }),
    );
    assert.strictEqual(report.passed, false);
    assert.strictEqual(report.results[0].message, 'model.ts:3:1: Expected ";"');
    assert.strictEqual(report.results[0].location!.line, 3);
    assert.strictEqual(report.results[1].status, 'skip');
    assert.strictEqual(report.results[2].status, 'pass');
    assert.strictEqual(report.summary, '1 of 3 checks passed');
  });

  it('lets optional checks fail without failing the lab', () => {
    const m = manifest([{ id: 'bonus', kind: 'metric', title: 'Bonus', metric: 'x', max: 1, hint: 'h', optional: true }]);
    const report = grade(input(m, { outputs: { x: 2 } }));
    assert.strictEqual(report.passed, true);
    assert.strictEqual(report.results[1].status, 'fail');
  });
});
