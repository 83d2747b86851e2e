// The custom-training stage, in the learner's process: the learner writes the model function —
// createModel (the weights), predict (the architecture), loss and trainStep (one gradient step) — so
// training has to happen where their code runs. The lab keeps the plumbing: the batches, the optimizer
// from the hyperparameters, the loop and the curve (reported as measured by this process), and it
// observes what a model function gets wrong silently: weights that never change, layers that get no
// gradient, a loss that is not the squared error of the predictions it is given. The held-out
// sequences reach this process only after training, without their labels (see predictStage).
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../core/run/protocol';
import { callLearner, callLearnerAsync, ContractError, LearnerError } from '../common/errors';
import type { LearnerTrained } from '../common/learnerProtocol';
import { decodeMatrix, encodeVector, type Matrix } from '../common/wire';
import { makeOptimizer } from '../common/optimizers';
import { at, plainValues, requireExports, type LearnerContext } from './context';
import { hyperparametersOf } from './build';

type Tf = LearnerContext['tf'];
type Tensor = tfTypes.Tensor;

const PROGRESS_INTERVAL_MS = 100;
/** Steps per reported point of the curves (an "epoch" on the dashboard), and the most points. */
const MIN_WINDOW = 10;
const MAX_WINDOWS = 50;
/** Rows of the probe that tests loss() before training. */
const PROBE_ROWS = 8;
/** Training rows whose gradients show which weights the loss reaches. */
const GRADIENT_ROWS = 256;

/** Steps per reported window: at least MIN_WINDOW, and no more than MAX_WINDOWS windows. */
export function windowSize(steps: number): number {
  return Math.max(MIN_WINDOW, Math.ceil(steps / MAX_WINDOWS));
}

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

function isTensor(tf: Tf, value: unknown): value is Tensor {
  return value instanceof tf.Tensor;
}

function isThenable(value: unknown): value is Promise<unknown> {
  return !!value && typeof (value as Promise<unknown>).then === 'function';
}

/** The trainable variables registered with TensorFlow.js, by name. */
function trainableVariables(tf: Tf): Map<string, tfTypes.Variable> {
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

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function tensorOf(tf: Tf, m: Matrix): Tensor {
  const decoded = decodeMatrix(m);
  if ('problem' in decoded) throw new Error(`inputs from the evaluator: ${decoded.problem}`);
  return tf.tensor2d(Float32Array.from(decoded.values), [m.rows, m.cols]);
}

export interface CustomModel {
  /** The learner's predict(), checked: one number per row. */
  predict(x: Tensor): Tensor;
}

export async function trainCustom(ctx: LearnerContext): Promise<{ trained: LearnerTrained; model: CustomModel }> {
  const { tf, learner, start } = ctx;
  requireExports(ctx);
  const hp = hyperparametersOf(ctx);
  const learningRate = hp.learningRate as number;
  const batchSize = (hp.batchSize as number) ?? 32;
  const steps = (hp.steps as number) ?? 200;
  const optimizerName = hp.optimizer ?? start.manifest.training.optimizer;
  const signatures: Record<string, string> = {
    createModel: '(hyperparameters) => model',
    predict: '(model, inputs) => predictions',
    loss: '(predictions, labels) => scalar',
    trainStep: '(model, optimizer, inputs, labels) => loss',
  };
  for (const [name, signature] of Object.entries(signatures)) {
    if (typeof learner[name] !== 'function') throw new ContractError(`"${name}" must be a function ${signature}`, at(ctx, name));
  }
  const createModel = learner.createModel as (hp: unknown) => unknown;
  const predictFn = learner.predict as (model: unknown, inputs: Tensor) => unknown;
  const lossFn = learner.loss as (predictions: Tensor, labels: Tensor) => unknown;
  const trainStep = learner.trainStep as (model: unknown, optimizer: tfTypes.Optimizer, inputs: Tensor, labels: Tensor) => unknown;

  const inputs = start.inputs;
  const labels = start.labels;
  if (!inputs || !labels) throw new Error('the train stage has no data');
  const xs = tensorOf(tf, inputs.train);
  const ys = tensorOf(tf, labels.train);
  const vxs = tensorOf(tf, inputs.validation);
  const vys = tensorOf(tf, labels.validation);
  const n = inputs.train.rows;
  const width = inputs.train.cols;

  // The learner's weights: every trainable variable that appears while the model is created and
  // first called (layers build their weights on their first call).
  const known = new Set(trainableVariables(tf).keys());
  const model = callLearner(() => createModel(hp));
  if (model === undefined || model === null) {
    throw new ContractError(
      'createModel() returned nothing: return the state your predict() needs, e.g. { lstm, head } built from tf.layers',
      at(ctx, 'createModel'),
    );
  }

  /** Calls the learner's predict() and checks it returns one number per sequence. */
  const predict = (x: Tensor): Tensor => {
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
  const mse = (pred: Tensor, y: Tensor): Tensor =>
    pred
      .reshape([-1])
      .sub(y.reshape([-1]))
      .square()
      .mean();

  // The first call of predict() gets a batch of the learner's own size, so a shape error quotes it.
  const probeX = xs.slice([0, 0], [Math.min(batchSize, n), width]);
  const predictionRank = tf.tidy(() => predict(probeX).rank);
  const variables = [...trainableVariables(tf)].filter(([name]) => !known.has(name)).map(([, v]) => v);
  if (variables.length === 0) {
    throw new ContractError(
      'your model has no trainable weights: createModel() should build layers (e.g. tf.layers.lstm, tf.layers.dense) or tf.variable(...)s, and predict() should use them',
      at(ctx, 'createModel'),
    );
  }
  const params = variables.reduce((s, v) => s + v.size, 0);
  // A layer builds its weights on its first call: one still unbuilt is not on the way to the output.
  const unusedLayers = heldLayers(tf, model).filter((l) => !l.built).length;

  // Is loss() the mean squared error? Feed it predictions 0.5 off every label, shaped as predict()
  // shapes them: the answer must be 0.25. (A [batch] tensor minus a [batch, 1] one broadcasts to
  // [batch, batch] and compares every prediction with every label.)
  const lossProbe = tf.tidy(() => {
    const y = ys.slice([0, 0], [Math.min(PROBE_ROWS, n), 1]);
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

  const optimizer = makeOptimizer(tf, optimizerName, learningRate);
  // Some optimizers keep their own trainable scalars (Adam's β powers): not the learner's weights.
  const beforeTraining = new Set(trainableVariables(tf).keys());
  const initial = variables.map((v) => v.clone());
  const window = windowSize(steps);
  const windows = Math.ceil(steps / window);
  ctx.send({ type: 'started', hyperparameters: hp, epochs: windows, features: width });

  const history: { loss: number; valLoss: number }[] = [];
  let divergedAt: number | undefined;
  let stepsRun = 0;
  let order: number[] = [];
  let cursor = n;
  let lastProgress = 0;
  let windowLoss = 0;
  let windowSteps = 0;
  let tensorsAfterFirstWindow = -1;
  let leakWarned = false;
  const t0 = Date.now();
  for (let step = 1; step <= steps; step++) {
    // Batches walk through a fresh shuffle of the training rows (Math.random is seeded per run).
    if (cursor + batchSize > n) {
      order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      cursor = 0;
    }
    const batch = order.slice(cursor, cursor + Math.min(batchSize, n));
    cursor += batch.length;
    const [bx, by] = tf.tidy(() => {
      const idx = tf.tensor1d(batch, 'int32');
      return [xs.gather(idx), ys.gather(idx)];
    });
    let result = callLearner(() => trainStep(model, optimizer, bx, by));
    if (isThenable(result)) result = await callLearnerAsync(() => result as Promise<unknown>);
    tf.dispose([bx, by]);
    if (!isTensor(tf, result) || result.size !== 1) {
      if (isTensor(tf, result)) result.dispose();
      throw new ContractError(
        `trainStep() must return the batch's loss as a scalar tensor (optimizer.minimize(() => ..., true) returns it), not ${isTensor(tf, result) ? `a tensor of shape [${result.shape.join(', ')}]` : typeof result}`,
        at(ctx, 'trainStep'),
      );
    }
    const loss = result.dataSync()[0];
    result.dispose();
    stepsRun = step;
    windowLoss += loss;
    windowSteps++;
    if (!Number.isFinite(loss)) divergedAt = step;
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      ctx.send({ type: 'progress', epoch: history.length + 1, batch: windowSteps, batches: window });
      await nextTick();
    }
    if (windowSteps === window || step === steps || divergedAt !== undefined) {
      const valLoss = tf.tidy(() => mse(predict(vxs), vys).dataSync()[0]);
      const trainLoss = windowLoss / windowSteps;
      history.push({ loss: trainLoss, valLoss });
      ctx.send({
        type: 'epoch',
        epoch: history.length,
        metrics: { loss: finiteOrNull(trainLoss), val_loss: finiteOrNull(valLoss) },
        elapsedMs: Date.now() - t0,
      });
      windowLoss = 0;
      windowSteps = 0;
      // Weights made inside predict() or trainStep() are new on every call: nothing carries over.
      const created = [...trainableVariables(tf).keys()].filter((name) => !beforeTraining.has(name)).length;
      if (created > 0) {
        throw new ContractError(
          `${created} new weight tensors appeared during training: predict() or trainStep() creates layers or tf.variable(...)s on every call, so what one step learns is thrown away. Create them once in createModel() and keep them in the model you return.`,
          at(ctx, 'createModel'),
        );
      }
      // Tensors that pile up step after step will exhaust memory on a longer run.
      const tensors = tf.memory().numTensors;
      if (history.length === 1) tensorsAfterFirstWindow = tensors;
      else if (!leakWarned && tensors - tensorsAfterFirstWindow >= window * (history.length - 1)) {
        leakWarned = true;
        const perStep = (tensors - tensorsAfterFirstWindow) / (window * (history.length - 1));
        ctx.send({
          type: 'log',
          level: 'warn',
          message: `about ${Number(perStep.toPrecision(2))} tensors are left in memory per training step: wrap the work in trainStep() in tf.tidy(() => ...), or dispose what you create (optimizer.minimize already cleans up after itself)`,
        });
      }
      await nextTick();
    }
    if (divergedAt !== undefined) break;
  }
  const trainMs = Date.now() - t0;

  // Which weights did training change, and which ones does the loss reach at all?
  const updated = tf.tidy(() => variables.filter((v, i) => tf.any(tf.notEqual(v, initial[i])).dataSync()[0] === 1).length);
  tf.dispose(initial);
  const gradientRows = Math.min(GRADIENT_ROWS, n);
  const unused = tf.tidy(() => {
    const gx = xs.slice([0, 0], [gradientRows, width]);
    const gy = ys.slice([0, 0], [gradientRows, 1]);
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
      const gx = xs.slice([0, 0], [gradientRows, width]);
      const g = tf.grad((x: Tensor) => predict(x).sum())(gx);
      return Array.from(g.abs().sum(0).dataSync());
    } catch {
      return [];
    }
  });
  const unusedInputs = inputSensitivity.map((v, i) => (v === 0 ? i + 1 : 0)).filter((i) => i > 0);
  tf.dispose([xs, ys, vxs, vys, probeX]);
  optimizer.dispose();

  const first = history[0];
  const final = history[history.length - 1];
  const facts: Metrics = {
    first_loss: first ? finiteOrNull(first.loss) : null,
    final_loss: final ? finiteOrNull(final.loss) : null,
    final_val_loss: final ? finiteOrNull(final.valLoss) : null,
    trainable_variables: variables.length,
    params,
    variables_updated: updated,
    unused_variables: unused,
    unused_layers: unusedLayers,
    unused_parts: unused + unusedLayers,
    unused_inputs: unusedInputs.length,
    first_unused_input: unusedInputs[0] ?? null,
    loss_probe_ratio: finiteOrNull(lossProbe),
    prediction_rank: predictionRank,
    steps_run: stepsRun,
    train_seconds: trainMs / 1000,
    ms_per_step: stepsRun ? trainMs / stepsRun : null,
  };
  const trained: LearnerTrained = {
    type: 'trained',
    values: plainValues(ctx, ['hyperparameters']),
    models: [],
    facts,
    status: divergedAt !== undefined ? 'diverged' : 'completed',
    ...(divergedAt !== undefined
      ? {
          diagnosis: `the loss became ${Number.isNaN(history[history.length - 1]?.loss) ? 'NaN' : 'infinite'} at step ${divergedAt} (point ${history.length} of the curve)`,
        }
      : {}),
  };
  return { trained, model: { predict } };
}

/** Predictions of the trained model function, one number per row, as a column. */
export function predictColumn(tf: Tf, model: CustomModel, x: Tensor): Matrix {
  return encodeVector(tf.tidy(() => Array.from(model.predict(x).dataSync())));
}
