// The learner's model function in the custom-training stage, held to its contract: the four functions
// exist, predict() returns one number per row (TensorFlow.js's shape errors explained in its terms),
// loss() is the squared error of the predictions it is given, the model has weights of its own (the
// trainable variables that appear while it is created and first called), and after training, which
// of those weights and which inputs the prediction actually depends on.
import type * as tfTypes from '@tensorflow/tfjs';
import { callLearner, ContractError, LearnerError } from '../common/errors';
import { at, type LearnerContext } from './context';

type Tf = LearnerContext['tf'];
type Tensor = tfTypes.Tensor;

/** Rows of the probe that tests loss() before training. */
const PROBE_ROWS = 8;
/** Training rows whose gradients show which weights the loss reaches. */
const GRADIENT_ROWS = 256;

/**
 * Rewrites TensorFlow.js's terse message when a recurrent layer gets a tensor of the wrong rank, so
 * the learner reads which shape it expects and how to get it. The error keeps its stack, so it
 * still points at the learner's line.
 */
export function explainShapeError(err: unknown, inputShape: number[]): unknown {
  if (!(err instanceof Error)) return err;
  const m = /incompatible with layer (\S+): expected ndim=(\d+), found ndim=(\d+)/.exec(err.message);
  if (!m) return err;
  const [, layer, expected, found] = m;
  const [batch, steps] = inputShape;
  const recurrent = /lstm|gru|rnn/i.test(layer);
  err.message = recurrent
    ? `the recurrent layer "${layer}" needs a sequence of shape [batch, time steps, values per step], here [${batch}, ${steps}, 1], ` +
      `but received a tensor with ${found} dimensions. predict() gets inputs of shape [${inputShape.join(', ')}] (the ${steps} values of each sequence in one row): ` +
      `reshape them before the layer, e.g. inputs.reshape([-1, ${steps}, 1]). (TensorFlow.js: ${err.message})`
    : `layer "${layer}" expects a tensor with ${expected} dimensions but received one with ${found}; predict() gets inputs of shape [${inputShape.join(', ')}]. (TensorFlow.js: ${err.message})`;
  return err;
}

export function isTensor(tf: Tf, value: unknown): value is Tensor {
  return value instanceof tf.Tensor;
}

export function isThenable(value: unknown): value is Promise<unknown> {
  return !!value && typeof (value as Promise<unknown>).then === 'function';
}

/** The trainable variables registered with TensorFlow.js, by name. */
export function trainableVariables(tf: Tf): Map<string, tfTypes.Variable> {
  const out = new Map<string, tfTypes.Variable>();
  for (const [name, v] of Object.entries(tf.engine().registeredVariables)) if (v.trainable) out.set(name, v);
  return out;
}

/** The layers a model holds: the model itself, or its own values and arrays of values. */
export function heldLayers(tf: Tf, model: unknown): tfTypes.layers.Layer[] {
  const isLayer = (v: unknown): v is tfTypes.layers.Layer => v instanceof tf.layers.Layer;
  if (isLayer(model)) return [model];
  if (typeof model !== 'object' || model === null) return [];
  const out: tfTypes.layers.Layer[] = [];
  for (const value of Object.values(model)) {
    for (const v of Array.isArray(value) ? value : [value]) if (isLayer(v)) out.push(v);
  }
  return out;
}

/** The learner's four functions (called as plain functions, not as methods of anything). */
export interface ModelFunction {
  createModel: (hp: unknown) => unknown;
  predict: (model: unknown, inputs: Tensor) => unknown;
  loss: (predictions: Tensor, labels: Tensor) => unknown;
  trainStep: (model: unknown, optimizer: tfTypes.Optimizer, inputs: Tensor, labels: Tensor) => unknown;
}

const SIGNATURES: Record<keyof ModelFunction, string> = {
  createModel: '(hyperparameters) => model',
  predict: '(model, inputs) => predictions',
  loss: '(predictions, labels) => scalar',
  trainStep: '(model, optimizer, inputs, labels) => loss',
};

/** The learner's exports, each checked to be a function. */
export function modelFunction(ctx: LearnerContext): ModelFunction {
  const { learner } = ctx;
  for (const [name, signature] of Object.entries(SIGNATURES)) {
    if (typeof learner[name] !== 'function') throw new ContractError(`"${name}" must be a function ${signature}`, at(ctx, name));
  }
  return {
    createModel: learner.createModel as ModelFunction['createModel'],
    predict: learner.predict as ModelFunction['predict'],
    loss: learner.loss as ModelFunction['loss'],
    trainStep: learner.trainStep as ModelFunction['trainStep'],
  };
}

/** Calls createModel(): the state it returns is what predict() and trainStep() get. */
export function createModel(ctx: LearnerContext, fn: ModelFunction, hp: unknown): unknown {
  const create = fn.createModel;
  const model = callLearner(() => create(hp));
  if (model === undefined || model === null) {
    throw new ContractError(
      'createModel() returned nothing: return the state your predict() needs, e.g. { lstm, head } built from tf.layers',
      at(ctx, 'createModel'),
    );
  }
  return model;
}

/** Calls the learner's predict() and checks it returns one number per sequence. */
export function checkedPredict(ctx: LearnerContext, fn: ModelFunction, model: unknown): (x: Tensor) => Tensor {
  const { tf } = ctx;
  const predictFn = fn.predict;
  return (x) => {
    const out = callLearner(() => {
      try {
        return predictFn(model, x);
      } catch (err) {
        throw explainShapeError(err, x.shape);
      }
    });
    if (!isTensor(tf, out)) throw new ContractError(`predict() must return a tensor of predictions, not ${typeof out}`, at(ctx, 'predict'));
    const rows = x.shape[0];
    const ok = (out.rank === 2 && out.shape[0] === rows && out.shape[1] === 1) || (out.rank === 1 && out.shape[0] === rows);
    if (!ok) {
      throw new ContractError(
        `predict() returned a tensor of shape [${out.shape.join(', ')}] for ${rows} sequences; it must return one number per sequence, shape [${rows}, 1]`,
        at(ctx, 'predict'),
      );
    }
    return out;
  };
}

export function mse(pred: Tensor, y: Tensor): Tensor {
  return pred
    .reshape([-1])
    .sub(y.reshape([-1]))
    .square()
    .mean();
}

/** The model's weights: the trainable variables not in `known` (those that existed before it was created). */
export function learnerWeights(ctx: LearnerContext, known: ReadonlySet<string>): tfTypes.Variable[] {
  const variables = [...trainableVariables(ctx.tf)].filter(([name]) => !known.has(name)).map(([, v]) => v);
  if (variables.length === 0) {
    throw new ContractError(
      'your model has no trainable weights: createModel() should build layers (e.g. tf.layers.lstm, tf.layers.dense) or tf.variable(...)s, and predict() should use them',
      at(ctx, 'createModel'),
    );
  }
  return variables;
}

/**
 * Is loss() the mean squared error? Feed it predictions 0.5 off every label, shaped as predict()
 * shapes them: the answer must be 0.25. (A [batch] tensor minus a [batch, 1] one broadcasts to
 * [batch, batch] and compares every prediction with every label.) Returns the answer over 0.25.
 */
export function lossProbeRatio(ctx: LearnerContext, fn: ModelFunction, ys: Tensor, predictionRank: number): number {
  const { tf } = ctx;
  const lossFn = fn.loss;
  return tf.tidy(() => {
    const y = ys.slice([0, 0], [Math.min(PROBE_ROWS, ys.shape[0]), 1]);
    const predictions = y.add(0.5).reshape(predictionRank === 1 ? [-1] : [-1, 1]);
    const value = callLearner(() => lossFn(predictions, y));
    if (!isTensor(tf, value) || value.size !== 1) {
      throw new ContractError(
        'loss() must return a scalar tensor: the mean of the squared errors, e.g. tf.losses.meanSquaredError(labels, predictions)',
        at(ctx, 'loss'),
      );
    }
    return value.dataSync()[0] / 0.25;
  });
}

/** What training left of the model: how many weights changed, how many the loss does not reach, and the inputs never read. */
export interface WeightUsage {
  updated: number;
  unused: number;
  /** 1-based columns whose gradient is zero on every row. */
  unusedInputs: number[];
}

/** Which weights did training change, and which ones does the loss reach at all? Disposes `initial`. */
export function weightUsage(
  tf: Tf,
  variables: tfTypes.Variable[],
  initial: Tensor[],
  predict: (x: Tensor) => Tensor,
  data: { xs: Tensor; ys: Tensor },
): WeightUsage {
  const updated = tf.tidy(() => variables.filter((v, i) => tf.any(tf.notEqual(v, initial[i])).dataSync()[0] === 1).length);
  tf.dispose(initial);
  const [n, width] = data.xs.shape;
  const gradientRows = Math.min(GRADIENT_ROWS, n);
  const unused = tf.tidy(() => {
    const gx = data.xs.slice([0, 0], [gradientRows, width]);
    const gy = data.ys.slice([0, 0], [gradientRows, 1]);
    let grads: tfTypes.NamedTensorMap;
    try {
      grads = tf.variableGrads(() => mse(predict(gx), gy) as tfTypes.Scalar, variables).grads;
    } catch (err) {
      // No weight is connected to the prediction at all.
      if (err instanceof LearnerError || err instanceof ContractError) throw err;
      return variables.length;
    }
    return variables.filter((v) => {
      const g = grads[v.name];
      return !g || g.abs().max().dataSync()[0] === 0;
    }).length;
  });
  // Which inputs does the prediction depend on at all? An input whose gradient is zero on every row is
  // never read (a slice that drops it, a wrong reshape).
  const inputSensitivity = tf.tidy(() => {
    try {
      const gx = data.xs.slice([0, 0], [gradientRows, width]);
      const g = tf.grad((x: Tensor) => predict(x).sum())(gx);
      return Array.from(g.abs().sum(0).dataSync());
    } catch {
      return [];
    }
  });
  const unusedInputs = inputSensitivity.map((v, i) => (v === 0 ? i + 1 : 0)).filter((i) => i > 0);
  return { updated, unused, unusedInputs };
}
