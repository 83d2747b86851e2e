// The custom-training loop, in the learner's process: batches from a fresh shuffle of the training rows,
// one call of the learner's trainStep() each, its loss checked, and the curve reported in windows of
// steps (an "epoch" on the dashboard) with the validation loss. At each window's end it also looks
// for what a model function gets wrong silently: weights created anew on every call, and tensors
// left in memory step after step.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull } from '../../core/run/protocol';
import { callLearner, callLearnerAsync, ContractError } from '../common/errors';
import { at, type LearnerContext } from './context';
import { isTensor, isThenable, trainableVariables, type ModelFunction } from './customModel';

type Tensor = tfTypes.Tensor;

const PROGRESS_INTERVAL_MS = 100;
/** Steps per reported point of the curves (an "epoch" on the dashboard), and the most points. */
const MIN_WINDOW = 10;
const MAX_WINDOWS = 50;

/** Steps per reported window: at least MIN_WINDOW, and no more than MAX_WINDOWS windows. */
export function windowSize(steps: number): number {
  return Math.max(MIN_WINDOW, Math.ceil(steps / MAX_WINDOWS));
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface LoopPlan {
  steps: number;
  batchSize: number;
  /** Steps per reported window. */
  window: number;
}

export interface LoopResult {
  history: { loss: number; valLoss: number }[];
  divergedAt?: number;
  stepsRun: number;
  trainMs: number;
}

/** The training rows of the next batch: batches walk through a fresh shuffle of the rows (Math.random is seeded per run). */
function batchOrder(n: number, batchSize: number): () => number[] {
  let order: number[] = [];
  let cursor = n;
  return () => {
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
    return batch;
  };
}

/** One call of the learner's trainStep() on a batch (disposed after), and the loss it returns, checked to be a scalar. */
async function stepLoss(ctx: LearnerContext, fn: ModelFunction, model: unknown, optimizer: tfTypes.Optimizer, bx: Tensor, by: Tensor): Promise<number> {
  const { tf } = ctx;
  const trainStep = fn.trainStep;
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
  return loss;
}

/** The window being filled, and what the leak check remembers between windows. */
interface WindowState {
  history: { loss: number; valLoss: number }[];
  loss: number;
  steps: number;
  tensorsAfterFirstWindow: number;
  leakWarned: boolean;
}

/** Reports the window that ends, then checks no weights appeared during training and warns once of a leak. */
async function closeWindow(
  ctx: LearnerContext,
  w: WindowState,
  valLoss: number,
  window: number,
  beforeTraining: ReadonlySet<string>,
  t0: number,
): Promise<void> {
  const { tf } = ctx;
  const trainLoss = w.loss / w.steps;
  w.history.push({ loss: trainLoss, valLoss });
  ctx.send({
    type: 'epoch',
    epoch: w.history.length,
    metrics: { loss: finiteOrNull(trainLoss), val_loss: finiteOrNull(valLoss) },
    elapsedMs: Date.now() - t0,
  });
  w.loss = 0;
  w.steps = 0;
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
  if (w.history.length === 1) w.tensorsAfterFirstWindow = tensors;
  else if (!w.leakWarned && tensors - w.tensorsAfterFirstWindow >= window * (w.history.length - 1)) {
    w.leakWarned = true;
    const perStep = (tensors - w.tensorsAfterFirstWindow) / (window * (w.history.length - 1));
    ctx.send({
      type: 'log',
      level: 'warn',
      message: `about ${Number(perStep.toPrecision(2))} tensors are left in memory per training step: wrap the work in trainStep() in tf.tidy(() => ...), or dispose what you create (optimizer.minimize already cleans up after itself)`,
    });
  }
  await nextTick();
}

/** What the loop trains with: the learner's model function and state, the optimizer, the training rows, and the validation loss. */
export interface LoopInputs {
  fn: ModelFunction;
  model: unknown;
  optimizer: tfTypes.Optimizer;
  xs: Tensor;
  ys: Tensor;
  validationLoss: () => number;
  /** The trainable variables before training: any other that appears is created anew by a step. */
  beforeTraining: ReadonlySet<string>;
}

/** Trains for the planned steps, or until the loss stops being a finite number. */
export async function trainLoop(ctx: LearnerContext, run: LoopInputs, plan: LoopPlan): Promise<LoopResult> {
  const { tf } = ctx;
  const { xs, ys } = run;
  const nextBatch = batchOrder(xs.shape[0], plan.batchSize);
  const w: WindowState = { history: [], loss: 0, steps: 0, tensorsAfterFirstWindow: -1, leakWarned: false };
  let divergedAt: number | undefined;
  let stepsRun = 0;
  let lastProgress = 0;
  const t0 = Date.now();
  for (let step = 1; step <= plan.steps; step++) {
    const batch = nextBatch();
    const [bx, by] = tf.tidy(() => {
      const idx = tf.tensor1d(batch, 'int32');
      return [xs.gather(idx), ys.gather(idx)];
    });
    const loss = await stepLoss(ctx, run.fn, run.model, run.optimizer, bx, by);
    stepsRun = step;
    w.loss += loss;
    w.steps++;
    if (!Number.isFinite(loss)) divergedAt = step;
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      ctx.send({ type: 'progress', epoch: w.history.length + 1, batch: w.steps, batches: plan.window });
      await nextTick();
    }
    if (w.steps === plan.window || step === plan.steps || divergedAt !== undefined) {
      await closeWindow(ctx, w, run.validationLoss(), plan.window, run.beforeTraining, t0);
    }
    if (divergedAt !== undefined) break;
  }
  return { history: w.history, ...(divergedAt !== undefined ? { divergedAt } : {}), stepsRun, trainMs: Date.now() - t0 };
}
