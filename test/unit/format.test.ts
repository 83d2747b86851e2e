// Every number shown to a person comes from core/format.ts: a value that is not a number reads the
// same in the terminal, the editor, the grade and the webviews.
import * as assert from 'assert';
import { formatLoss, formatMetric, formatNumber, formatSetting, formatSettings, formatTicks, formatValue, NOT_A_NUMBER } from '../../src/core/format';

describe('number formats', () => {
  it('print a value that is not a number one way, whatever the format', () => {
    for (const x of [NaN, Infinity, -Infinity, null, undefined]) {
      for (const f of ['number', 'dollars', 'percent', 'integer'] as const) assert.strictEqual(formatValue(x, f), NOT_A_NUMBER);
    }
    for (const x of [NaN, Infinity]) {
      assert.strictEqual(formatNumber(x), NOT_A_NUMBER);
      assert.strictEqual(formatSetting(x), NOT_A_NUMBER);
      assert.strictEqual(formatLoss(x), NOT_A_NUMBER);
    }
    assert.strictEqual(formatLoss(null), NOT_A_NUMBER);
  });

  it('reads values, settings and ticks as people expect', () => {
    assert.strictEqual(formatValue(82417.4, 'dollars'), '$82,417');
    assert.strictEqual(formatValue(0.9234, 'percent'), '92.3%');
    assert.strictEqual(formatMetric('test_rmse', 82417.4, { labelUnit: 'dollars' }), '$82,417');
    assert.strictEqual(formatNumber(1234.5), '1,235');
    assert.strictEqual(formatSettings({ learningRate: 0.01, batchSize: 32, optimizer: 'adam' }), 'learningRate=0.01, batchSize=32, optimizer=adam');
    assert.strictEqual(formatLoss(0.12345), '0.123');
    assert.deepStrictEqual(formatTicks([234100, 234200, null], 'dollars'), ['$234.1k', '$234.2k', '']);
  });
});
