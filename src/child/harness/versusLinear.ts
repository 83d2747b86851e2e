// The DNN-versus-linear harness: the learner supplies features, a label scale and a network; the
// harness trains that network and a linear model on the same features, rows and optimizer settings
// side by side, and measures both on the held-out rows — with the best possible line (least squares)
// and the average price as further yardsticks. It also reports what the network is made of and how
// spread out the features are, so a failed comparison can say why.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../core/protocol';
import { locateExport } from '../../core/sourceLocate';
import type { Row } from '../datasets';
import { resolveHyperparameters } from './hyperparameters';
import { fitLeastSquares, predictLinear, rmse } from './leastSquares';
import { buildTable, formatNumber, isLayersModel, makeOptimizer, mean } from './regression';
import { predictScaled, std, trainSideBySide } from './sideBySide';
import { callLearner, ContractError, type HarnessContext, type HarnessResult } from './types';

/** Layers that are a nonlinearity by themselves. */
const ACTIVATION_LAYERS = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax']);

/**
 * Hidden layers that apply a nonlinearity on the way from the input to the output. Only layers
 * connected to the output are part of a model, so a layer built but never used does not count.
 * Without any, a stack of dense layers is one linear function of the inputs.
 */
export function hiddenActivations(model: tfTypes.LayersModel): number {
  const outputs = new Set(model.outputLayers ?? []);
  let n = 0;
  for (const layer of model.layers) {
    if (outputs.has(layer)) continue;
    const config = layer.getConfig() as { activation?: unknown };
    const activation = typeof config.activation === 'string' ? config.activation : undefined;
    if (ACTIVATION_LAYERS.has(layer.getClassName()) ? activation !== 'linear' : activation !== undefined && activation !== 'linear') n++;
  }
  return n;
}

/** The largest standard deviation among the feature columns, and its 1-based column. */
export function widestFeature(x: number[][]): { std: number; column: number } {
  let best = { std: 0, column: 0 };
  const p = x[0]?.length ?? 0;
  for (let j = 0; j < p; j++) {
    const s = std(x.map((r) => r[j]));
    if (s > best.std) best = { std: s, column: j + 1 };
  }
  return best;
}

export async function runVersusLinear(ctx: HarnessContext): Promise<HarnessResult> {
  const { tf, learner, manifest } = ctx;
  const file = manifest.files[0];
  const missing = manifest.exports.filter((name) => learner[name] === undefined);
  if (missing.length > 0) {
    throw new ContractError(`${file} must export ${missing.map((m) => `"${m}"`).join(', ')}; the lab's harness calls ${missing.length === 1 ? 'it' : 'them'}`);
  }
  const hp = resolveHyperparameters(manifest, learner.hyperparameters, ctx.overrides, file, ctx.entrySource);
  const learningRate = hp.learningRate as number;
  const batchSize = (hp.batchSize as number) ?? 100;
  const epochs = (hp.epochs as number) ?? 3;
  const exportedScale = learner.labelScale === undefined ? 1 : learner.labelScale;
  if (typeof exportedScale !== 'number' || !Number.isFinite(exportedScale) || exportedScale <= 0) {
    throw new ContractError(`labelScale must be a positive number, not ${JSON.stringify(exportedScale)}`, locateExport(file, ctx.entrySource, 'labelScale'));
  }
  const labelScale: number = exportedScale;
  const features = learner.features as (row: Row) => unknown;
  if (typeof features !== 'function') throw new ContractError('"features" must be a function (row) => number[]', locateExport(file, ctx.entrySource, 'features'));
  const build = learner.buildModel;
  if (typeof build !== 'function') throw new ContractError('"buildModel" must be a function (numFeatures, hyperparameters) => model', locateExport(file, ctx.entrySource, 'buildModel'));

  const tPrepare = Date.now();
  const { train, validation, test } = ctx.data.split;
  const trainT = buildTable(ctx, train, features, 'training');
  const valT = buildTable(ctx, validation, features, 'validation');
  const testT = buildTable(ctx, test, features, 'test');
  const nFeatures = trainT.x[0].length;

  const dnn = callLearner(() => (build as (n: number, hp: unknown) => unknown)(nFeatures, hp));
  if (!isLayersModel(dnn)) {
    throw new ContractError('buildModel() must return a TensorFlow.js model (tf.sequential() or tf.model())', locateExport(file, ctx.entrySource, 'buildModel'));
  }
  const optimizerName = hp.optimizer ?? manifest.training.optimizer;
  if (!dnn.optimizer) dnn.compile({ optimizer: makeOptimizer(tf, optimizerName, learningRate), loss: 'meanSquaredError' });
  // The yardstick: the same features, rows, optimizer, rate, batch size and epochs, no hidden layer.
  const linear = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [nFeatures] })] });
  linear.compile({ optimizer: makeOptimizer(tf, optimizerName, learningRate), loss: 'meanSquaredError' });

  const scaled = (y: number[]) => y.map((v) => v / labelScale);
  const xs = tf.tensor2d(trainT.x);
  const ys = tf.tensor2d(scaled(trainT.y), [trainT.y.length, 1]);
  const vxs = tf.tensor2d(valT.x);
  const vys = tf.tensor2d(scaled(valT.y), [valT.y.length, 1]);
  ctx.send({
    type: 'started',
    hyperparameters: hp,
    epochs,
    rows: { train: train.length, validation: validation.length, test: test.length },
    features: nFeatures,
  });
  const prepareMs = Date.now() - tPrepare;

  const { curves, trainMs } = await trainSideBySide(ctx, {
    xs,
    ys,
    vxs,
    vys,
    epochs,
    batchSize,
    labelScale,
    contenders: [
      { name: 'dnn', model: dnn, primary: true },
      { name: 'linear', model: linear },
    ],
  });

  const tEvaluate = Date.now();
  const txs = tf.tensor2d(testT.x);
  const outputs: Metrics = {
    label_scale: labelScale,
    learning_rate: finiteOrNull(learningRate),
    batch_size: batchSize,
    epochs_run: curves.dnn.loss.length,
    train_seconds: trainMs / 1000,
  };
  outputs.test_rmse = finiteOrNull(rmse(predictScaled(ctx, dnn, txs, labelScale), testT.y));
  outputs.val_rmse = finiteOrNull(rmse(predictScaled(ctx, dnn, vxs, labelScale), valT.y));
  outputs.linear_rmse = finiteOrNull(rmse(predictScaled(ctx, linear, txs, labelScale), testT.y));
  outputs.linear_val_rmse = finiteOrNull(rmse(predictScaled(ctx, linear, vxs, labelScale), valT.y));
  const trainMean = mean(trainT.y);
  outputs.baseline_rmse = rmse(testT.y.map(() => trainMean), testT.y);
  outputs.least_squares_rmse = finiteOrNull(rmse(predictLinear(fitLeastSquares(trainT.x, trainT.y), testT.x), testT.y));
  outputs.hidden_activations = hiddenActivations(dnn);
  outputs.dense_layers = dnn.layers.filter((l) => l.getClassName() === 'Dense').length;
  outputs.params = dnn.countParams();
  const widest = widestFeature(trainT.x);
  outputs.feature_std_max = finiteOrNull(widest.std);
  outputs.feature_std_max_column = widest.column;
  outputs.features = nFeatures;
  tf.dispose([xs, ys, vxs, vys, txs]);
  linear.dispose();
  const timings = { prepareMs, trainMs, evaluateMs: Date.now() - tEvaluate };

  const divergedAt = curves.dnn.divergedAt;
  if (divergedAt !== undefined) {
    const diagnosis =
      widest.std > 100
        ? `loss diverged at epoch ${divergedAt} — feature ${widest.column} of features() spreads over ±${formatNumber(widest.std)}; scale the features so each is around 1`
        : `loss diverged at epoch ${divergedAt} — learning rate ${formatNumber(learningRate)} is probably too high`;
    return { status: 'diverged', outputs, diagnosis, timings };
  }
  return { status: 'completed', outputs, timings };
}
