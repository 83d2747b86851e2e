import * as assert from 'assert';
import { locateExport, locatePattern, locateValue, positionAt } from '../../src/core/source/locate';
import { learnerLocation } from '../../src/core/source/stackLocation';

describe('locating things in learner code', () => {
  const src =
    "import x from 'y';\n\nexport function features(row) {\n  return [row.a];\n}\nexport const hyperparameters = {\n  learningRate: 0.05, // try 0.01\n  batchSize: 100,\n};\n";

  it('converts offsets to 1-based lines and columns', () => {
    assert.deepStrictEqual(positionAt('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepStrictEqual(positionAt('ab\ncd', 4), { line: 2, column: 2 });
  });

  it('finds an export, a value and a pattern capture', () => {
    assert.deepStrictEqual(locateExport('m.ts', src, 'features'), { file: 'm.ts', line: 3, column: 17, endLine: 3, endColumn: 25 });
    assert.deepStrictEqual(locateValue('m.ts', src, 'learningRate'), { file: 'm.ts', line: 7, column: 17, endLine: 7, endColumn: 21 });
    assert.deepStrictEqual(locatePattern('m.ts', src, 'batchSize:\\s*(\\d+)')!.line, 8);
    assert.strictEqual(locatePattern('m.ts', src, 'nothing here'), undefined);
  });

  it('finds the learner frame in a source-mapped stack, skipping runner frames', () => {
    const stack = [
      'Error: boom',
      '    at helper (/tmp/lab/model.ts:7:11)',
      '    at features (/tmp/lab/model.ts:13:11)',
      '    at buildTable (/opt/mllabs/dist/runner.js:100:20)',
    ].join('\n');
    assert.deepStrictEqual(learnerLocation(stack, '/tmp/lab'), { file: 'model.ts', line: 7, column: 11 });
    assert.strictEqual(learnerLocation('Error: x\n    at f (/opt/mllabs/dist/runner.js:1:1)', '/tmp/lab'), undefined);
    assert.strictEqual(learnerLocation('Error: x\n    at f (/tmp/lab/.mllabs/runs/a/build/learner.js:1:1)', '/tmp/lab'), undefined);
  });
});
