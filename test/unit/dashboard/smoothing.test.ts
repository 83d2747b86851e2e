import * as assert from 'assert';
import { clampSmoothing, EmaSmoother, MAX_SMOOTHING, smoothSeries } from '../../../src/core/dashboard/smoothing';

/** The definition, written out: a weighted mean of the finite values so far, weights w^(k-i)(1-w), normalised. */
function reference(values: (number | null)[], w: number): (number | null)[] {
  const finite: number[] = [];
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return v;
    finite.push(v);
    const k = finite.length;
    let sum = 0;
    finite.forEach((x, i) => (sum += Math.pow(w, k - 1 - i) * (1 - w) * x));
    return sum / (1 - Math.pow(w, k));
  });
}

function close(a: (number | null)[], b: (number | null)[], tol = 1e-12): void {
  assert.strictEqual(a.length, b.length);
  a.forEach((x, i) => {
    const y = b[i];
    if (x === null || y === null) assert.strictEqual(x, y, `index ${i}`);
    else assert.ok(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)), `index ${i}: ${x} vs ${y}`);
  });
}

describe('dashboard smoothing (EMA with bias correction)', () => {
  it('starts on the data: the first smoothed point equals the first value', () => {
    const out = smoothSeries([10, 4, 7], 0.9);
    assert.strictEqual(out[0], 10);
    // Without debiasing the first point would be 0.1 × 10 = 1: dragged towards zero.
    assert.notStrictEqual(out[0], (1 - 0.9) * 10);
  });

  it('debiases the early points exactly as the definition says', () => {
    const w = 0.6;
    const out = smoothSeries([10, 4], w);
    const biased2 = w * (1 - w) * 10 + (1 - w) * 4;
    assert.ok(Math.abs(out[1]! - biased2 / (1 - w * w)) < 1e-12);
    // 10 and 4 weighted 0.6 : 1, i.e. 6.25
    assert.ok(Math.abs(out[1]! - 6.25) < 1e-12);
  });

  it('matches the written-out definition on a noisy curve for several weights', () => {
    const values = Array.from({ length: 200 }, (_, i) => Math.exp(-i / 40) + 0.1 * Math.sin(i * 1.7));
    for (const w of [0, 0.3, 0.6, 0.9, 0.99]) close(smoothSeries(values, w), reference(values, w), 1e-9);
  });

  it('leaves the curve unchanged at weight 0 and caps weights at or above 1', () => {
    assert.deepStrictEqual(smoothSeries([3, 1, 2], 0), [3, 1, 2]);
    assert.strictEqual(clampSmoothing(1), MAX_SMOOTHING);
    assert.strictEqual(clampSmoothing(7), MAX_SMOOTHING);
    assert.strictEqual(clampSmoothing(-1), 0);
    assert.strictEqual(clampSmoothing(Number.NaN), 0);
    const capped = smoothSeries([1, 2, 3], 1);
    assert.ok(capped.every((v) => v !== null && Number.isFinite(v)));
  });

  it('passes missing and non-finite values through without moving the average', () => {
    const out = smoothSeries([2, null, Number.NaN, 4], 0.5);
    assert.strictEqual(out[0], 2);
    assert.strictEqual(out[1], null);
    assert.ok(Number.isNaN(out[2] as number));
    close([out[3]!], reference([2, 4], 0.5).slice(1) as number[]);
  });

  it('returns a flat series exactly (no 0.30000000000000004)', () => {
    assert.deepStrictEqual(smoothSeries([0.3, 0.3, 0.3, 0.3], 0.9), [0.3, 0.3, 0.3, 0.3]);
  });

  it('extends incrementally to the same values as smoothing the whole series', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? null : 1 / (i + 1)));
    const s = new EmaSmoother(0.8);
    const streamed = values.map((v) => s.push(v));
    assert.deepStrictEqual(streamed, smoothSeries(values, 0.8));
  });

  it('writes the same values into a typed array in steps, NaN for missing ones', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i % 9 === 4 ? null : Math.cos(i) + 2));
    const s = new EmaSmoother(0.7);
    const out = new Float64Array(values.length);
    s.extendInto(values.slice(0, 17), out, 0);
    s.extendInto(values, out, 17);
    const expected = smoothSeries(values, 0.7);
    expected.forEach((v, i) => (v === null ? assert.ok(Number.isNaN(out[i]!), `index ${i}`) : assert.ok(Math.abs(out[i]! - v) < 1e-12, `index ${i}`)));
    const flat = new Float64Array(3);
    new EmaSmoother(0.9).extendInto([0.3, 0.3, 0.3], flat, 0);
    assert.deepStrictEqual([...flat], [0.3, 0.3, 0.3]);
  });
});
