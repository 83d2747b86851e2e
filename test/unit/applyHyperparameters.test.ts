import * as assert from 'assert';
import { applyEdits, planHyperparameterEdits } from '../../src/core/tuner/applyHyperparameters';

describe('applying hyperparameters to learner code', () => {
  const src = 'export const hyperparameters = {\n  learningRate: 0.01, // tuned by hand\n  batchSize: 100,\n  epochs: EPOCHS * 2,\n};\n';

  it('replaces the literals and leaves comments and layout alone', () => {
    const plan = planHyperparameterEdits('model.ts', src, { learningRate: 0.0223456789, batchSize: 8 });
    assert.deepStrictEqual(plan.skipped, []);
    assert.strictEqual(
      applyEdits(src, plan.edits),
      'export const hyperparameters = {\n  learningRate: 0.0223457, // tuned by hand\n  batchSize: 8,\n  epochs: EPOCHS * 2,\n};\n',
    );
  });

  it('does not overwrite a computed value or invent a missing one', () => {
    const plan = planHyperparameterEdits('model.ts', src, { epochs: 10, momentum: 0.9 });
    assert.deepStrictEqual(plan.edits, []);
    assert.deepStrictEqual(
      plan.skipped.map((s) => s.name),
      ['epochs', 'momentum'],
    );
    assert.match(plan.skipped[0].why, /computed \(EPOCHS \* 2\)/);
  });
});
