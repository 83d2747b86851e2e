import * as assert from 'assert';
import { SINE_AMPLITUDE, SINE_FREQUENCY, SINE_INPUTS, SINE_LABEL, sineSequences } from '../../../src/child/datasets/sine';
import { splitRows } from '../../../src/core/data/split';
import { explainShapeError, heldLayers } from '../../../src/child/learner/customModel';
import { windowSize } from '../../../src/child/learner/customLoop';
import { sequenceTable } from '../../../src/child/evaluator/kinds/customTraining';

describe('sine-sequences data set', () => {
  const rows = sineSequences(2000, 42);

  it('has nine inputs and the tenth value as the label, a·sin(f·t) for t = 0..9', () => {
    assert.strictEqual(rows.length, 2000);
    for (const r of rows) {
      assert.strictEqual(r.inputs.length, SINE_INPUTS);
      r.inputs.forEach((v, t) => assert.ok(Math.abs(v - r.amplitude * Math.sin(r.frequency * t)) < 1e-12));
      assert.ok(Math.abs(r.next - r.amplitude * Math.sin(r.frequency * 9)) < 1e-12);
      assert.strictEqual(r.inputs[0], 0);
    }
    assert.strictEqual(SINE_LABEL, 'next');
  });

  it('draws frequency from [0.1, 0.6) and amplitude from [0.5, 1.5), spread over the whole range', () => {
    const f = rows.map((r) => r.frequency);
    const a = rows.map((r) => r.amplitude);
    assert.ok(Math.min(...f) >= SINE_FREQUENCY[0] && Math.max(...f) < SINE_FREQUENCY[1]);
    assert.ok(Math.min(...a) >= SINE_AMPLITUDE[0] && Math.max(...a) < SINE_AMPLITUDE[1]);
    // Uniform: every tenth of each range is used, the means sit near the middle.
    for (const [values, [lo, hi]] of [
      [f, SINE_FREQUENCY],
      [a, SINE_AMPLITUDE],
    ] as const) {
      const bins = new Set(values.map((v) => Math.floor(((v - lo) / (hi - lo)) * 10)));
      assert.strictEqual(bins.size, 10);
      const m = values.reduce((s, v) => s + v, 0) / values.length;
      assert.ok(Math.abs(m - (lo + hi) / 2) < 0.03 * (hi - lo), String(m));
    }
    for (const r of rows) assert.ok(Math.abs(r.next) < SINE_AMPLITUDE[1]);
  });

  it('is reproducible from its seed, and another seed gives other sequences', () => {
    assert.deepStrictEqual(sineSequences(50, 42), rows.slice(0, 50));
    assert.notDeepStrictEqual(sineSequences(50, 43), rows.slice(0, 50));
  });

  it("splits into the lab's train / validation / test sizes, with no sequence in two parts", () => {
    const split = splitRows(rows, { train: 0.5, validation: 0.1, test: 0.4 }, 42);
    assert.deepStrictEqual([split.train.length, split.validation.length, split.test.length], [1000, 200, 800]);
    const all = new Set([...split.train, ...split.validation, ...split.test]);
    assert.strictEqual(all.size, 2000);
    const table = sequenceTable(split.test as unknown as Record<string, unknown>[], SINE_LABEL);
    assert.strictEqual(table.x.length, 800);
    assert.deepStrictEqual(table.x[0], split.test[0].inputs);
    assert.strictEqual(table.y[0], split.test[0].next);
  });
});

describe('custom-training harness: shapes, windows and layers', () => {
  it('reports every 10 steps, and at most 50 points on long runs', () => {
    assert.strictEqual(windowSize(200), 10);
    assert.strictEqual(windowSize(7), 10);
    assert.strictEqual(windowSize(1000), 20);
  });

  it('explains a recurrent layer fed a 2-D tensor, keeping the original stack', () => {
    const err = new Error('Input 0 is incompatible with layer lstm_LSTM1: expected ndim=3, found ndim=2');
    const stack = err.stack;
    const out = explainShapeError(err, [32, 9]) as Error;
    assert.match(out.message, /\[32, 9, 1\]/);
    assert.match(out.message, /inputs\.reshape\(\[-1, 9, 1\]\)/);
    assert.match(out.message, /TensorFlow\.js: Input 0 is incompatible/);
    assert.strictEqual(out.stack, stack);
    const other = new Error('something else');
    assert.strictEqual((explainShapeError(other, [32, 9]) as Error).message, 'something else');
  });

  it('finds the layers a model holds, directly or in arrays', () => {
    const fakeTf = { layers: { Layer: class {} } } as unknown as Parameters<typeof heldLayers>[0];
    const LayerClass = (fakeTf.layers as unknown as { Layer: new () => object }).Layer;
    const a = new LayerClass();
    const b = new LayerClass();
    assert.deepStrictEqual(heldLayers(fakeTf, { a, list: [b, 3], n: 1 }), [a, b]);
    assert.deepStrictEqual(heldLayers(fakeTf, a), [a]);
    assert.deepStrictEqual(heldLayers(fakeTf, null), []);
  });
});
