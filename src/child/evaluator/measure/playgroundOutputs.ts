// Pure measurements for the playground harness: which epochs are recorded, which inputs the network
// still uses, how much the loss still jumps at the end, how varied the outputs are.
import type { NetworkWeights } from '../../../core/playground/network';

/**
 * Epochs recorded in metrics.jsonl and sent to the host: about `maxPoints` evenly spaced ones. The
 * trainer runs hundreds of epochs a second; a message per epoch would flood the channel and the
 * run's files without drawing a better curve. The choice depends only on the epoch count, so the
 * recorded curve (which checks may read) is the same on every machine.
 */
export function epochStride(epochs: number, maxPoints = 100): number {
  return Math.max(1, Math.ceil(epochs / maxPoints));
}

/** The first and the last epoch are always recorded, and every `stride`-th in between. */
export function isRecordedEpoch(epoch: number, epochs: number, stride: number): boolean {
  return epoch === 1 || epoch === epochs || epoch % stride === 0;
}

export interface InputLiveness {
  /** Every weight leaving the input is exactly 0 (L1's proximal step put it there). */
  zeroed: boolean[];
  /** A chain of non-zero weights leads from the input to the output: the model still uses it. */
  alive: boolean[];
}

/**
 * Per input, whether its links are all exactly zero and whether it still reaches the output. A
 * feature can keep a non-zero first-layer weight into a neuron whose own links are all zero; it is
 * then not zeroed, but not alive either.
 */
export function inputLiveness(w: NetworkWeights, inputs: number): InputLiveness {
  const layers = w.weights;
  if (layers.length === 0) return { zeroed: new Array<boolean>(inputs).fill(false), alive: new Array<boolean>(inputs).fill(false) };
  // Backwards from the output: which nodes of each layer have a non-zero path to it.
  let reaches: boolean[] = [true];
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const sources = layer[0]?.length ?? 0;
    const next = new Array<boolean>(sources).fill(false);
    layer.forEach((row, j) => {
      if (!reaches[j]) return;
      row.forEach((v, i) => {
        if (v !== 0) next[i] = true;
      });
    });
    reaches = next;
  }
  const first = layers[0];
  const zeroed = Array.from({ length: inputs }, (_, i) => first.every((row) => row[i] === 0));
  return { zeroed, alive: Array.from({ length: inputs }, (_, i) => reaches[i] === true) };
}

/** Links whose weight is exactly 0. */
export function zeroWeights(w: NetworkWeights): number {
  let n = 0;
  for (const layer of w.weights) for (const row of layer) for (const v of row) if (v === 0) n++;
  return n;
}

/**
 * How far the loss still moves at the end: max − min over the last `fraction` of the epochs (at least
 * `minCount`). A settled run moves by thousandths; a learning rate that is too high by tenths.
 */
export function tailSwing(values: ArrayLike<number>, fraction = 0.1, minCount = 10): number {
  const n = values.length;
  if (n === 0) return NaN;
  const count = Math.min(n, Math.max(minCount, Math.ceil(n * fraction)));
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = n - count; i < n; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return hi - lo;
}

/** Standard deviation: near 0 when the network gives every point the same output (it learned nothing, or died). */
export function spread(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - mean) ** 2;
  return Math.sqrt(s / n);
}

/** Share of points whose output has the label's sign (labels ±1; an output of 0 counts as +1). */
export function signAccuracy(outputs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) return NaN;
  let right = 0;
  for (let i = 0; i < n; i++) if ((outputs[i] >= 0 ? 1 : -1) === labels[i]) right++;
  return right / n;
}
