// Metrics of a classifier on held-out rows, as plain functions of labels and probabilities (no
// TensorFlow.js), so they are exact, testable and the same on every backend.

/** Probabilities are clamped to [EPS, 1 − EPS] in the log loss, as Keras and TensorFlow.js do. */
export const LOG_LOSS_EPS = 1e-7;

/** A class name as part of an output name: "<1H OCEAN" → "1h_ocean". Names stay unique. */
export function safeNames(classes: readonly string[]): string[] {
  const seen = new Set<string>();
  return classes.map((c, i) => {
    let name = c
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (!name) name = `class_${i}`;
    while (seen.has(name)) name = `${name}_${i}`;
    seen.add(name);
    return name;
  });
}

/** Index of the largest value; NaN counts as smaller than everything, ties go to the first. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) {
    if (values[j] > values[best] || (Number.isNaN(values[best]) && !Number.isNaN(values[j]))) best = j;
  }
  return best;
}

/** matrix[actual][predicted] = number of rows. */
export function confusionMatrix(actual: readonly number[], predicted: readonly number[], numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  actual.forEach((a, i) => m[a][predicted[i]]++);
  return m;
}

export function accuracyOf(matrix: readonly (readonly number[])[]): number {
  let right = 0;
  let all = 0;
  matrix.forEach((row, i) => {
    right += row[i];
    all += row.reduce((s, v) => s + v, 0);
  });
  return all === 0 ? NaN : right / all;
}

/** Recall of each class: the share of its rows predicted as it; NaN for a class with no rows. */
export function recalls(matrix: readonly (readonly number[])[]): number[] {
  return matrix.map((row, i) => {
    const n = row.reduce((s, v) => s + v, 0);
    return n === 0 ? NaN : row[i] / n;
  });
}

/** Accuracy of always predicting the most frequent class of `reference` (the training rows). */
export function majorityAccuracy(reference: readonly number[], actual: readonly number[], numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of reference) counts[y]++;
  const majority = argmax(counts);
  return actual.length === 0 ? NaN : actual.filter((y) => y === majority).length / actual.length;
}

/**
 * Mean cross-entropy of the probability each row gives its true class, clamped to [EPS, 1 − EPS]
 * (a non-finite probability counts as EPS: the worst score, not a crash).
 */
export function logLoss(probOfTrueClass: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probOfTrueClass.length; i++) {
    const p = probOfTrueClass[i];
    const q = Number.isFinite(p) ? Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p)) : LOG_LOSS_EPS;
    sum -= Math.log(q);
  }
  return probOfTrueClass.length === 0 ? NaN : sum / probOfTrueClass.length;
}

/**
 * Area under the ROC curve: the chance that a random positive row scores higher than a random
 * negative one (ties count half), from the rank sum (Mann–Whitney). NaN if a class is missing or
 * a score is not finite.
 */
export function auc(scores: ArrayLike<number>, positive: readonly boolean[]): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) if (!Number.isFinite(scores[i])) return NaN;
  order.sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let nPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // average rank of a run of ties (1-based)
    for (let k = i; k <= j; k++) {
      if (positive[order[k]]) {
        rankSum += rank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Expected calibration error: rows binned by predicted probability (equal-width bins on [0, 1]);
 * the row-weighted mean gap between each bin's mean prediction and its share of positives.
 * 0 means "70 % predicted → 70 % happen" holds everywhere. Predictions are clamped to [0, 1].
 */
export function calibrationError(prob: ArrayLike<number>, positive: readonly boolean[], bins = 10): number {
  const n = prob.length;
  if (n === 0) return NaN;
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  const count = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const p = Number.isFinite(prob[i]) ? Math.min(1, Math.max(0, prob[i])) : 0.5;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    sumP[b] += p;
    sumY[b] += positive[i] ? 1 : 0;
    count[b]++;
  }
  let gap = 0;
  for (let b = 0; b < bins; b++) gap += Math.abs(sumP[b] - sumY[b]);
  return gap / n;
}

/**
 * Share of rows whose outputs are not probabilities. One output per row (a sigmoid): the value
 * must lie in [0, 1]. Several outputs (a softmax): each in [0, 1] and together summing to 1.
 */
export function invalidProbabilityRate(rows: readonly ArrayLike<number>[], tolerance = 1e-3): number {
  if (rows.length === 0) return NaN;
  let bad = 0;
  for (const r of rows) {
    let sum = 0;
    let ok = true;
    for (let j = 0; j < r.length; j++) {
      const v = r[j];
      if (!Number.isFinite(v) || v < -tolerance || v > 1 + tolerance) ok = false;
      sum += v;
    }
    if (r.length > 1 && !(Math.abs(sum - 1) <= tolerance)) ok = false;
    if (!ok) bad++;
  }
  return bad / rows.length;
}

/** Largest root-mean-square value among the feature columns: about 1 for standardized inputs. */
export function featureScale(x: readonly (readonly number[])[]): number {
  const width = x[0]?.length ?? 0;
  let worst = 0;
  for (let j = 0; j < width; j++) {
    let s = 0;
    for (const row of x) s += row[j] * row[j];
    worst = Math.max(worst, Math.sqrt(s / x.length));
  }
  return worst;
}
