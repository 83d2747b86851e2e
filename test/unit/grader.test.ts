import * as assert from 'assert';
import { grade, type GradeInput } from '../../src/core/grader';
import { LabManifest } from '../../src/core/labManifest';

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
    assert.strictEqual(r.bar, '≤ 100');
    assert.strictEqual(r.hint, 'lower the rate from 0.5; you got 150');
    assert.deepStrictEqual(r.location, { file: 'model.ts', line: 2, column: 17, endLine: 2, endColumn: 20 });
  });
});
