// Evidence for the diagnosis of a failed check, measured by the evaluator: what the model is made of
// (read from the loaded model, not from anything the learner's process says), what its first trainable
// layer receives, the label as the model learns it, and the loss of a model that learned nothing.
import type * as tfTypes from '@tensorflow/tfjs';
import type { ColumnFact, LayerFact, ModelEvidence } from '../../core/grade/evidence';
import type { Tf } from './context';
import type { Compiled } from './models';

/** Layers that learn a mapping (the first of them is where the inputs' scale matters). */
const TRAINABLE = new Set(['Dense', 'Conv1D', 'Conv2D', 'LSTM', 'GRU', 'SimpleRNN', 'Embedding']);
/** Layers that apply a nonlinearity by themselves. */
const ACTIVATION_LAYERS = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax']);

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function layerFacts(net: tfTypes.LayersModel): LayerFact[] {
  return net.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((l) => {
      const c = l.getConfig() as Record<string, unknown>;
      const fact: LayerFact = { className: l.getClassName() };
      const units = num(c.units);
      if (units !== undefined) fact.units = units;
      if (typeof c.activation === 'string') fact.activation = c.activation;
      const init = c.kernelInitializer as { className?: unknown } | undefined;
      if (typeof init?.className === 'string') fact.initializer = init.className;
      const reg = c.kernelRegularizer as { className?: unknown; config?: { l1?: unknown; l2?: unknown } } | undefined;
      if (reg?.config) {
        const l1 = num(reg.config.l1);
        const l2 = num(reg.config.l2);
        if (l1) fact.l1 = l1;
        if (l2) fact.l2 = l2;
      }
      const rate = num(c.rate);
      if (rate !== undefined && l.getClassName() === 'Dropout') fact.rate = rate;
      if (!l.trainable) fact.trainable = false;
      return fact;
    });
}

/** Hidden layers that apply a nonlinearity (a stack without one is a single linear function). */
export function countHiddenActivations(facts: LayerFact[]): number {
  let n = 0;
  facts.slice(0, -1).forEach((f) => {
    if (ACTIVATION_LAYERS.has(f.className) ? f.activation !== 'linear' : f.activation !== undefined && f.activation !== 'linear') n++;
  });
  return n;
}

/**
 * The first layer that learns: a layer of a learning kind whose weights training changes. A frozen
 * one (trainable: false, e.g. a dense layer holding fixed statistics to standardize with) is part of
 * what happens to the inputs before it.
 */
function firstTrainable(net: tfTypes.LayersModel): tfTypes.layers.Layer | undefined {
  return net.layers.find((l) => TRAINABLE.has(l.getClassName()) && l.trainable);
}

export function modelEvidence(net: tfTypes.LayersModel, compiled: Compiled, extra: { penaltyShare?: number; unusedParams?: number } = {}): ModelEvidence {
  const facts = layerFacts(net);
  const out = net.outputs[0].shape;
  const first = firstTrainable(net);
  const before = first ? net.layers.slice(0, net.layers.indexOf(first)).filter((l) => l.getClassName() !== 'InputLayer') : [];
  return {
    layers: facts,
    outputUnits: out[out.length - 1] ?? 0,
    outputActivation: facts[facts.length - 1]?.activation ?? 'linear',
    loss: compiled.loss,
    compiledByLab: compiled.byLab,
    optimizer: compiled.optimizer,
    learningRate: compiled.learningRate,
    params: net.countParams(),
    hiddenActivations: countHiddenActivations(facts),
    normalizesInside: before.length > 0,
    ...(extra.penaltyShare !== undefined && Number.isFinite(extra.penaltyShare) ? { penaltyShare: extra.penaltyShare } : {}),
    ...(extra.unusedParams !== undefined ? { unusedParams: extra.unusedParams } : {}),
  };
}

export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = Math.min(x.length, y.length);
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

export function columnFacts(x: number[][], y?: ArrayLike<number>): ColumnFact[] {
  const p = x[0]?.length ?? 0;
  const out: ColumnFact[] = [];
  for (let j = 0; j < p; j++) {
    const col = x.map((r) => r[j]);
    let mean = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of col) {
      mean += v / col.length;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const std = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length);
    out.push({ mean, std, min, max, ...(y ? { corr: correlation(col, y) } : {}) });
  }
  return out;
}

/**
 * The data's numeric columns that the learner's code may read (not the label, nor a hidden one), each
 * with its correlation with the label on the training rows, strongest first: what a feature could
 * carry about the label, whatever the learner's features are.
 */
export function columnCorrelations(rows: readonly Record<string, unknown>[], label: string, hidden: readonly string[]): { name: string; corr: number }[] {
  const names = Object.keys(rows[0] ?? {}).filter((k) => k !== label && !hidden.includes(k));
  const out: { name: string; corr: number }[] = [];
  for (const name of names) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const r of rows) {
      const x = r[name];
      const y = r[label];
      if (typeof x === 'number' && Number.isFinite(x) && typeof y === 'number' && Number.isFinite(y)) {
        xs.push(x);
        ys.push(y);
      }
    }
    const corr = correlation(xs, ys);
    if (corr !== null) out.push({ name, corr });
  }
  return out.sort((a, b) => Math.abs(b.corr) - Math.abs(a.corr));
}

/** How many rows the input statistics are taken on: plenty for a mean and a spread. */
const SAMPLE_ROWS = 2000;

/**
 * The columns the model's first trainable layer receives, on (a sample of) the training rows: the
 * features themselves, or what a normalizing layer inside the model makes of them (in inference mode,
 * as the model predicts).
 */
export function inputsSeen(tf: Tf, net: tfTypes.LayersModel, x: number[][], y?: number[]): ColumnFact[] {
  const rows = x.length > SAMPLE_ROWS ? x.filter((_, i) => i % Math.ceil(x.length / SAMPLE_ROWS) === 0) : x;
  const ys = y && x.length > SAMPLE_ROWS ? y.filter((_, i) => i % Math.ceil(x.length / SAMPLE_ROWS) === 0) : y;
  const first = firstTrainable(net);
  if (!first || net.layers.indexOf(first) === 0 || first.input === net.inputs[0]) return columnFacts(rows, ys);
  try {
    const seen = tf.tidy(() => {
      const sub = tf.model({ inputs: net.inputs, outputs: first.input as tfTypes.SymbolicTensor });
      const out = sub.predict(tf.tensor2d(rows)) as tfTypes.Tensor;
      return out.reshape([rows.length, -1]).arraySync() as number[][];
    });
    return columnFacts(seen, ys);
  } catch {
    return columnFacts(rows, ys);
  }
}

/** The widest spread (standard deviation) among the columns a model's first layer receives, and its 1-based column. */
export function widestInput(columns: readonly ColumnFact[]): { std: number; column: number } {
  return columns.reduce((best, c, j) => (c.std > best.std ? { std: c.std, column: j + 1 } : best), { std: 0, column: 0 });
}

/** The largest root-mean-square size among the columns a model's first layer receives: about 1 when standardized. */
export function inputScale(columns: readonly ColumnFact[]): number {
  return columns.reduce((worst, c) => Math.max(worst, Math.sqrt(c.mean * c.mean + c.std * c.std)), 0);
}

/** The loss of always predicting the training labels' mean, as mean squared error. */
export function meanPredictorMse(y: number[]): number {
  const m = y.reduce((s, v) => s + v, 0) / y.length;
  return y.reduce((s, v) => s + (v - m) ** 2, 0) / y.length;
}

/** The cross-entropy of always predicting the class shares of the training labels. */
export function priorCrossEntropy(y: number[], classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const c of y) counts[c]++;
  return -counts.reduce((s, c) => (c > 0 ? s + (c / y.length) * Math.log(c / y.length) : s), 0);
}

/** The regularization penalty TensorFlow.js adds to the loss, as a share of the final training loss. */
export function penaltyShare(tf: Tf, net: tfTypes.LayersModel, finalLoss: number | undefined): number | undefined {
  if (finalLoss === undefined || !(finalLoss > 0)) return undefined;
  const penalty = tf.tidy(() => net.calculateLosses().reduce((s, l) => s + l.dataSync()[0], 0));
  return Number.isFinite(penalty) ? penalty / finalLoss : undefined;
}

/** The model's loss on the training rows before any step (what "the loss fell" is measured from). */
export function lossBeforeTraining(tf: Tf, net: tfTypes.LayersModel, xs: tfTypes.Tensor, ys: tfTypes.Tensor): number | undefined {
  try {
    const v = tf.tidy(() => {
      const r = net.evaluate(xs, ys, { batchSize: 4096 });
      return (Array.isArray(r) ? r[0] : r).dataSync()[0];
    });
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The layers of a saved model, read from its topology alone (no class is instantiated): for models
 * the evaluator cannot load because they hold a layer of the learner's own.
 */
export function topologyFacts(topology: string): { className: string; layers: LayerFact[] } | undefined {
  try {
    const t = JSON.parse(topology) as { class_name?: unknown; config?: { layers?: { class_name?: unknown; config?: Record<string, unknown> }[] } };
    const layers = (t.config?.layers ?? [])
      .filter((l) => l.class_name !== 'InputLayer')
      .map((l) => {
        const c = l.config ?? {};
        const fact: LayerFact = { className: String(l.class_name) };
        const units = num(c.units);
        if (units !== undefined) fact.units = units;
        if (typeof c.activation === 'string') fact.activation = c.activation;
        const init = c.kernel_initializer as { class_name?: unknown } | undefined;
        if (typeof init?.class_name === 'string') fact.initializer = init.class_name;
        const rate = num(c.rate);
        if (rate !== undefined && l.class_name === 'Dropout') fact.rate = rate;
        return fact;
      });
    return { className: String(t.class_name), layers };
  } catch {
    return undefined;
  }
}

/** What the model's structure says, from its saved topology (loss and optimizer are the lab's). */
export function savedModelEvidence(topology: string, params: number, lab: { optimizer: string; learningRate: number | null }): ModelEvidence | undefined {
  const t = topologyFacts(topology);
  if (!t || t.layers.length === 0) return undefined;
  const last = t.layers[t.layers.length - 1];
  const firstTrainable = t.layers.findIndex((l) => TRAINABLE.has(l.className));
  return {
    layers: t.layers,
    outputUnits: last.units ?? 1,
    outputActivation: last.activation ?? 'linear',
    loss: 'meanSquaredError',
    compiledByLab: true,
    optimizer: lab.optimizer,
    learningRate: lab.learningRate,
    params,
    hiddenActivations: countHiddenActivations(t.layers),
    normalizesInside: firstTrainable > 0,
  };
}
