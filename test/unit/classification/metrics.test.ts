// The classification harness's metrics, checked against values worked out by hand.
import * as assert from 'assert';
import {
  accuracyOf,
  argmax,
  auc,
  calibrationError,
  confusionMatrix,
  featureScale,
  invalidProbabilityRate,
  logLoss,
  LOG_LOSS_EPS,
  majorityAccuracy,
  recalls,
  safeNames,
} from '../../../src/child/evaluator/measure/classificationMetrics';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

describe('classification metrics', () => {
  it('names classes safely and uniquely for output names', () => {
    assert.deepStrictEqual(safeNames(['<1H OCEAN', 'INLAND', 'NEAR OCEAN', 'NEAR BAY']), ['1h_ocean', 'inland', 'near_ocean', 'near_bay']);
    assert.deepStrictEqual(safeNames(['not expensive', 'expensive']), ['not_expensive', 'expensive']);
    assert.deepStrictEqual(safeNames(['A-b', 'a b', '!!!']), ['a_b', 'a_b_1', 'class_2']);
  });

  it('argmax takes the first of ties and never picks NaN over a number', () => {
    assert.strictEqual(argmax([0.2, 0.5, 0.5, 0.1]), 1);
    assert.strictEqual(argmax([NaN, 0.1, 0.3]), 2);
    assert.strictEqual(argmax([0.3]), 0);
  });

  it('builds the confusion matrix as [actual][predicted], with accuracy and per-class recall', () => {
    const actual = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    const predicted = [0, 0, 1, 1, 0, 2, 2, 0, 1];
    const cm = confusionMatrix(actual, predicted, 3);
    assert.deepStrictEqual(cm, [
      [2, 1, 0],
      [1, 1, 0],
      [1, 1, 2],
    ]);
    close(accuracyOf(cm), 5 / 9);
    const r = recalls(cm);
    close(r[0], 2 / 3);
    close(r[1], 1 / 2);
    close(r[2], 2 / 4);
  });

  it('gives NaN recall for a class with no rows instead of dividing by zero', () => {
    const r = recalls(confusionMatrix([0, 0], [0, 1], 3));
    close(r[0], 0.5);
    assert.ok(Number.isNaN(r[1]) && Number.isNaN(r[2]));
  });

  it('scores the majority baseline with the most frequent class of the reference rows', () => {
    // Training rows are mostly class 1; the test rows are mostly class 0: the baseline still says 1.
    close(majorityAccuracy([1, 1, 1, 0], [0, 0, 0, 1], 2), 0.25);
  });

  it('computes log loss with clamped probabilities', () => {
    close(logLoss([0.5, 0.5]), Math.log(2));
    close(logLoss([1, 0.25]), -Math.log(1 - LOG_LOSS_EPS) / 2 - Math.log(0.25) / 2);
    // A zero, negative or NaN probability costs -log(eps) ≈ 16.1, not Infinity.
    close(logLoss([0]), -Math.log(LOG_LOSS_EPS));
    close(logLoss([-3]), -Math.log(LOG_LOSS_EPS));
    close(logLoss([NaN]), -Math.log(LOG_LOSS_EPS));
  });

  it('computes AUC as the share of positive–negative pairs ranked right, ties counting half', () => {
    close(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
    close(auc([1, 2, 3, 4], [false, false, true, true]), 1);
    close(auc([1, 2, 3, 4], [true, true, false, false]), 0);
    close(auc([0.5, 0.5, 0.5, 0.5], [true, false, true, false]), 0.5);
    // Positive 0.5 ties with one negative (half) and beats another: (1 + 0.5) / 2.
    close(auc([0.2, 0.5, 0.5], [false, false, true]), 0.75);
    assert.ok(Number.isNaN(auc([0.1, 0.2], [true, true])));
    assert.ok(Number.isNaN(auc([0.1, NaN], [true, false])));
  });

  it('agrees with a brute-force pair count on random scores', () => {
    let seed = 1;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const scores = Array.from({ length: 300 }, () => Math.round(rnd() * 20) / 20);
    const positive = scores.map((s) => rnd() < s);
    let pairs = 0;
    let right = 0;
    scores.forEach((a, i) =>
      scores.forEach((b, j) => {
        if (!positive[i] || positive[j]) return;
        pairs++;
        right += a > b ? 1 : a === b ? 0.5 : 0;
      }),
    );
    close(auc(scores, positive), right / pairs, 1e-12);
  });

  it('measures calibration error per probability bin', () => {
    // Perfectly calibrated: 0.25 → one in four positive, 0.75 → three in four.
    const p = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
    const y = [true, false, false, false, true, true, true, false];
    close(calibrationError(p, y), 0);
    // Everything predicted 0.9 while half are positive: a gap of 0.4 everywhere.
    close(calibrationError([0.9, 0.9, 0.9, 0.9], [true, false, true, false]), 0.4);
    // Out-of-range outputs are clamped to [0, 1] first.
    close(calibrationError([1.7, -2], [true, false]), 0);
  });

  it('flags outputs that are not probabilities', () => {
    assert.strictEqual(invalidProbabilityRate([[0], [1], [0.3], [1.2], [-0.1]]), 2 / 5);
    assert.strictEqual(
      invalidProbabilityRate([
        [0.2, 0.8],
        [0.5, 0.6],
        [NaN, 1],
      ]),
      2 / 3,
    );
    assert.strictEqual(
      invalidProbabilityRate([
        [0.1, 0.2, 0.7],
        [0.25, 0.25, 0.5],
      ]),
      0,
    );
    // Sigmoids per class: each in [0, 1], but the row sums to 1.5.
    assert.strictEqual(invalidProbabilityRate([[0.5, 0.5, 0.5]]), 1);
  });

  it('measures the largest root-mean-square input column', () => {
    close(
      featureScale([
        [1, -120],
        [-1, -118],
      ]),
      Math.sqrt((120 ** 2 + 118 ** 2) / 2),
    );
    close(
      featureScale([
        [1, 0],
        [-1, 0],
      ]),
      1,
    );
  });
});
