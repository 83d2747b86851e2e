// The regression harness: the learner supplies features, a label scale, hyperparameters and
// (optionally) a model; the harness owns the data, the training loop, the held-out evaluation
// and the baselines every check compares against.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../core/protocol';
import { locateExport } from '../../core/sourceLocate';
import type { Row } from '../datasets';
import { resolveHyperparameters } from './hyperparameters';
import { fitLeastSquares, predictLinear, rmse } from './leastSquares';
import { callLearner, callLearnerAsync, ContractError, type HarnessContext, type HarnessResult } from './types';

const PROGRESS_INTERVAL_MS = 100;

export interface Table {
  x: number[][];
  /** Label in its own units (dollars for housing). */
  y: number[];
}

export function buildTable(ctx: HarnessContext, rows: Row[], features: (row: Row) => unknown, split: string): Table {
  const x: number[][] = [];
  const y: number[] = [];
  let width = -1;
  let bad = 0;
  let firstBad: string | undefined;
  for (const row of rows) {
    const f = callLearner(() => features(row));
    if (!Array.isArray(f)) {
      throw new ContractError(
        `features() must return an array of numbers, but returned ${JSON.stringify(f)}`,
        locateExport(entryFile(ctx), ctx.entrySource, 'features'),
      );
    }
    if (width < 0) width = f.length;
    if (f.length !== width || width === 0) {
      throw new ContractError(
        `features() must return the same number of values for every row (got ${width} and then ${f.length})`,
        locateExport(entryFile(ctx), ctx.entrySource, 'features'),
      );
    }
    if (!f.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      bad++;
      firstBad ??= `${JSON.stringify(f)} for ${JSON.stringify(row)}`;
    }
    x.push(f as number[]);
    y.push(row[ctx.data.label] as number);
  }
  if (bad > 0) {
    throw new ContractError(
      `features() returned something other than a finite number for ${bad} of ${rows.length} ${split} rows, e.g. ${firstBad}. ` +
        'Check for missing values (null) and divisions by zero, and replace them with a sensible number.',
      locateExport(entryFile(ctx), ctx.entrySource, 'features'),
    );
  }
  return { x, y };
}

export function entryFile(ctx: HarnessContext): string {
  return ctx.manifest.files[0];
}

export function makeOptimizer(tf: HarnessContext['tf'], name: unknown, learningRate: number): tfTypes.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, 0.9);
    case 'adam':
      return tf.train.adam(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    default:
      throw new ContractError(`hyperparameters.optimizer "${String(name)}" is not one of sgd, momentum, adam, rmsprop, adagrad`);
  }
}

export function isLayersModel(m: unknown): m is tfTypes.LayersModel {
  return !!m && typeof (m as tfTypes.LayersModel).fit === 'function' && typeof (m as tfTypes.LayersModel).predict === 'function';
}

export function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Epoch logs may hold numbers or scalar tensors depending on the callback that filled them. */
export async function scalarOf(value: unknown): Promise<number> {
  if (typeof value === 'number') return value;
  if (value && typeof (value as tfTypes.Tensor).data === 'function') return (await (value as tfTypes.Tensor).data())[0];
  return NaN;
}

export function formatNumber(x: number): string {
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(3)));
}

const MSE_NAMES = ['meanSquaredError', 'mse', 'MSE'];

/** The learning rate of a compiled model's optimizer, or null when it does not say. */
export function optimizerRate(model: tfTypes.LayersModel): number | null {
  const rate = (model.optimizer?.getConfig() as { learningRate?: unknown } | undefined)?.learningRate;
  return typeof rate === 'number' && Number.isFinite(rate) ? rate : null;
}

/**
 * Whether a model the learner compiles takes its learning rate from the hyperparameters (so a tuner's
 * value is used): builds it once more with a different rate and reads its optimizer. 1 yes, 0 no.
 */
export function probeLearningRate(build: (n: number, hp: unknown) => unknown, nFeatures: number, hp: Record<string, unknown>, learningRate: number): number {
  const probe = learningRate / 3;
  const model = callLearner(() => build(nFeatures, { ...hp, learningRate: probe }));
  if (!isLayersModel(model)) return 0;
  const rate = optimizerRate(model);
  model.dispose();
  return rate !== null && Math.abs(rate - probe) <= 1e-6 * probe ? 1 : 0;
}

export async function runRegression(ctx: HarnessContext): Promise<HarnessResult> {
  const { tf, learner, manifest } = ctx;
  const file = entryFile(ctx);
  const missing = manifest.exports.filter((name) => learner[name] === undefined);
  if (missing.length > 0) {
    throw new ContractError(`${file} must export ${missing.map((m) => `"${m}"`).join(', ')}; the lab's harness calls ${missing.length === 1 ? 'it' : 'them'}`);
  }
  const hp = resolveHyperparameters(manifest, learner.hyperparameters, ctx.overrides, file, ctx.entrySource);
  const learningRate = hp.learningRate as number;
  const batchSize = (hp.batchSize as number) ?? 32;
  const epochs = (hp.epochs as number) ?? 10;

  const exportedScale = learner.labelScale === undefined ? 1 : learner.labelScale;
  if (typeof exportedScale !== 'number' || !Number.isFinite(exportedScale) || exportedScale <= 0) {
    throw new ContractError(`labelScale must be a positive number, not ${JSON.stringify(exportedScale)}`, locateExport(file, ctx.entrySource, 'labelScale'));
  }
  const labelScale: number = exportedScale;
  const features = learner.features as (row: Row) => unknown;
  if (typeof features !== 'function') throw new ContractError('"features" must be a function (row) => number[]', locateExport(file, ctx.entrySource, 'features'));

  const tPrepare = Date.now();
  const { train, validation, test } = ctx.data.split;
  const trainT = buildTable(ctx, train, features, 'training');
  const valT = buildTable(ctx, validation, features, 'validation');
  const testT = buildTable(ctx, test, features, 'test');
  const nFeatures = trainT.x[0].length;

  let model: unknown;
  if (typeof learner.buildModel === 'function') {
    const build = learner.buildModel as (n: number, hp: unknown) => unknown;
    model = callLearner(() => build(nFeatures, hp));
    if (!isLayersModel(model)) {
      throw new ContractError('buildModel() must return a TensorFlow.js model (tf.sequential() or tf.model())', locateExport(file, ctx.entrySource, 'buildModel'));
    }
  } else {
    model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [nFeatures] })] });
  }
  const net = model as tfTypes.LayersModel;
  // The harness compiles the model unless the learner did, so the loss is the mean squared error
  // of the scaled label and the optimizer follows the hyperparameters.
  const harnessCompiled = !net.optimizer;
  if (harnessCompiled) net.compile({ optimizer: makeOptimizer(tf, hp.optimizer ?? manifest.training.optimizer, learningRate), loss: 'meanSquaredError' });
  // A learner-compiled model with the squared error still gets its validation error in the label's units.
  const mseLoss = harnessCompiled || MSE_NAMES.includes(String(net.loss));

  const scaled = (t: Table) => t.y.map((v) => v / labelScale);
  const xs = tf.tensor2d(trainT.x);
  const ys = tf.tensor2d(scaled(trainT), [trainT.y.length, 1]);
  const vxs = tf.tensor2d(valT.x);
  const vys = tf.tensor2d(scaled(valT), [valT.y.length, 1]);
  const batches = Math.ceil(trainT.x.length / batchSize);

  ctx.send({
    type: 'started',
    hyperparameters: hp,
    epochs,
    rows: { train: train.length, validation: validation.length, test: test.length },
    features: nFeatures,
  });

  const history: { loss: number; val_loss: number }[] = [];
  let divergedAt: number | undefined;
  let lastProgress = 0;
  const t0 = Date.now();
  // A plain Callback, not the callbacks-object form: that form reads every batch's loss back from
  // the backend, which costs about a tenth of the training time on small models. Losses are read
  // once per epoch, which is also when divergence is checked.
  class HarnessCallback extends tf.Callback {
    override async onBatchEnd(batch: number): Promise<void> {
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        ctx.send({ type: 'progress', epoch: history.length + 1, batch: batch + 1, batches });
      }
    }

    override async onEpochEnd(epoch: number, logs?: tfTypes.Logs): Promise<void> {
      const loss = await scalarOf(logs?.loss);
      const valLoss = await scalarOf(logs?.val_loss);
      history.push({ loss, val_loss: valLoss });
      if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) {
        divergedAt ??= epoch + 1;
        net.stopTraining = true;
      }
      const metrics: Metrics = { loss: finiteOrNull(loss), val_loss: finiteOrNull(valLoss) };
      // The validation error in the label's own units (e.g. dollars): what the learner reasons about.
      if (mseLoss) metrics.val_rmse = finiteOrNull(Math.sqrt(valLoss) * labelScale);
      ctx.send({ type: 'epoch', epoch: epoch + 1, metrics, elapsedMs: Date.now() - t0 });
    }
  }
  await callLearnerAsync(() =>
    net.fit(xs, ys, {
      epochs,
      batchSize,
      shuffle: true,
      validationData: [vxs, vys],
      verbose: 0,
      callbacks: [new HarnessCallback()],
    }),
  );
  const trainMs = Date.now() - t0;
  const tEvaluate = Date.now();

  const outputs: Metrics = {
    label_scale: labelScale,
    label_mean_seen: finiteOrNull(mean(scaled(trainT).map(Math.abs))),
    learning_rate: finiteOrNull(learningRate),
    batch_size: batchSize,
    epochs_run: history.length,
    first_loss: history.length ? finiteOrNull(history[0].loss) : null,
    final_loss: history.length ? finiteOrNull(history[history.length - 1].loss) : null,
    final_val_loss: history.length ? finiteOrNull(history[history.length - 1].val_loss) : null,
    train_seconds: trainMs / 1000,
  };

  // Baselines on the same held-out rows: the mean of the training labels, and the best linear fit.
  const trainMean = mean(trainT.y);
  outputs.baseline_rmse = rmse(testT.y.map(() => trainMean), testT.y);
  const ols = fitLeastSquares(trainT.x, trainT.y);
  outputs.least_squares_rmse = finiteOrNull(rmse(predictLinear(ols, testT.x), testT.y));

  const pred = tf.tidy(() => {
    const out = net.predict(tf.tensor2d(testT.x)) as tfTypes.Tensor;
    return out.mul(labelScale).dataSync() as Float32Array;
  });
  outputs.test_rmse = finiteOrNull(rmse(pred, testT.y));
  outputs.test_mae = finiteOrNull(testT.y.reduce((s, v, i) => s + Math.abs(pred[i] - v), 0) / testT.y.length);
  // The validation error of the final model: what a tuner may optimise (never the test rows).
  const valPred = tf.tidy(() => (net.predict(vxs) as tfTypes.Tensor).mul(labelScale).dataSync() as Float32Array);
  outputs.val_rmse = finiteOrNull(rmse(valPred, valT.y));
  outputs.effective_learning_rate = harnessCompiled ? finiteOrNull(learningRate) : optimizerRate(net);
  // Only a model the learner compiled can ignore the rate it is given (a tuner's trials would all be alike).
  outputs.learning_rate_follows_hp = harnessCompiled ? 1 : probeLearningRate(learner.buildModel as (n: number, hp: unknown) => unknown, nFeatures, hp, learningRate);
  tf.dispose([xs, ys, vxs, vys]);
  const timings = { prepareMs: t0 - tPrepare, trainMs, evaluateMs: Date.now() - tEvaluate };

  if (divergedAt !== undefined) {
    const seen = outputs.label_mean_seen ?? 0;
    const diagnosis =
      seen > 100
        ? `loss diverged at epoch ${divergedAt} — the label the model sees averages ${formatNumber(seen)}, so its errors and gradients are huge; scale the label (labelScale) so it is around 1`
        : `loss diverged at epoch ${divergedAt} — learning rate ${formatNumber(learningRate)} is probably too high`;
    return { status: 'diverged', outputs, diagnosis, timings };
  }
  return { status: 'completed', outputs, timings };
}
