import * as assert from 'assert';
import { literal, planHyperparameterEdits } from '../../../src/core/tuner/applyHyperparameters';
import { searchBounded, locatePattern } from '../../../src/core/source/locate';
import { validateStudySpec } from '../../../src/core/tuner/spec';

describe('bounds on what a lab folder can ask for', () => {
  it('gives up on a catastrophic pattern from a lab.json within its time bound', () => {
    const t0 = Date.now();
    assert.strictEqual(searchBounded('(a+)+$', '', 'a'.repeat(40) + '!'), undefined);
    assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
    assert.strictEqual(locatePattern('model.ts', 'a'.repeat(40) + '!', '(a+)+$'), undefined);
    assert.strictEqual(searchBounded('([', '', 'x'), undefined, 'an invalid pattern is no match, not a crash');
    assert.deepStrictEqual(locatePattern('model.ts', 'rate: 0.1\n', 'rate:\\s*([^\\n]+)'), { file: 'model.ts', line: 1, column: 7, endLine: 1, endColumn: 10 });
  });

  it('refuses study specs that would run for ever or reach a prototype', () => {
    const base = {
      goal: 'MINIMIZE',
      algorithm: 'GRID_SEARCH',
      maxTrials: 4,
      params: [{ parameterName: 'learning_rate', type: 'DOUBLE', minValue: 0.01, maxValue: 0.1 }],
    };
    const grid = validateStudySpec({ ...base, gridResolution: 1e8 });
    assert.strictEqual(grid.ok, false);
    assert.match((grid as { errors: string[] }).errors.join('\n'), /gridResolution/);
    assert.strictEqual(validateStudySpec({ ...base, maxTrials: 1e7 }).ok, false);
    const proto = validateStudySpec({ ...base, params: [{ ...base.params[0], parameterName: '__proto__' }] });
    assert.strictEqual(proto.ok, false);
    assert.match((proto as { errors: string[] }).errors.join('\n'), /parameterName/);
    assert.strictEqual(validateStudySpec(base).ok, true);
  });

  it('writes values into code only as literals: quotes, backslashes and line breaks escaped', () => {
    assert.strictEqual(literal("adam'; process.exit(1); //\\"), `"adam'; process.exit(1); //\\\\"`);
    assert.strictEqual(literal('a\nb\u2028'), '"a\\nb\\u2028"');
    assert.throws(() => literal(NaN));
    const source = "export const hyperparameters = {\n  optimizer: 'sgd',\n  learningRate: 0.1,\n};\n";
    const plan = planHyperparameterEdits('model.ts', source, { optimizer: "x\\'; evil()", learningRate: 0.05, __proto__x: 1 } as never, {
      optimizer: { type: 'categorical', values: ['sgd', 'adam'] },
      learningRate: { type: 'double', min: 0.001, max: 1 },
    });
    assert.deepStrictEqual(
      plan.edits.map((e) => [e.name, e.newText]),
      [['learningRate', '0.05']],
    );
    assert.deepStrictEqual(plan.skipped.map((s) => s.name).sort(), ['__proto__x', 'optimizer']);
  });
});
