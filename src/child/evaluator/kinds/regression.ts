// Regression: the learner's code supplies features, a label scale, hyperparameters and (optionally)
// a model. The evaluator trains the model with the lab's loop on the learner's features, predicts the
// held-out rows and measures, with the baselines every check compares against: the mean of the
// training labels and the best line through the same features (least squares).
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import { ContractError } from '../../common/errors';
import type { BuildPlan } from '../../common/learnerProtocol';
import type { EvalContext, KindResult } from '../context';
import { fitWithCurve } from '../fit';
import { fitLeastSquares, predictLinear, rmse } from '../measure/leastSquares';
import { compileModel, learnerModel, SQUARED_ERROR_LOSSES } from '../models';
import { columnCorrelations, inputsSeen, lossBeforeTraining, meanPredictorMse, modelEvidence, penaltyShare } from '../evidence';
import type { Evidence } from '../../../core/grade/evidence';
import { std } from '../../common/sideBySide';
import { formatNumber } from '../../../core/format';
import { featureTables, labelScaleOf, learnerRows, mean, numericLabels, reporterFor, resolveHp } from './common';

const PLAN: BuildPlan = {
  values: ['hyperparameters', 'labelScale'],
  features: { prepare: false },
  models: [{ name: 'model', builder: 'buildModel', args: ['inputs', 'hyperparameters'], optional: true }],
  probeRate: true,
};

export async function evaluateRegression(ctx: EvalContext): Promise<KindResult> {
  const { split, label } = ctx.data;
  const sent = learnerRows(ctx, split);
  // The evaluator's TensorFlow.js loads while the learner's process builds (see EvalContext.build).
  const built = await ctx.build(PLAN, sent);
  const backend = await ctx.tf();
  const { tf } = backend;
  const tPrepare = Date.now();
  const hp = resolveHp(ctx, built.values);
  const learningRate = hp.learningRate as number;
  const batchSize = (hp.batchSize as number) ?? 32;
  const epochs = (hp.epochs as number) ?? 10;
  const labelScale = labelScaleOf(ctx, built.values);
  const X = featureTables(built, sent);
  const y = { train: numericLabels(split.train, label), validation: numericLabels(split.validation, label), test: numericLabels(split.test, label) };

  const saved = built.models.find((m) => m.name === 'model');
  const net: tfTypes.LayersModel = saved
    ? await learnerModel(tf, saved.artifacts, 'buildModel')
    : tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [X.width] })] });
  const inputWidth = net.inputs[0]?.shape[1];
  if (inputWidth !== X.width) {
    throw new ContractError(`buildModel() makes a model for ${inputWidth} inputs, but features() returns ${X.width} values per row`, undefined);
  }
  const compiled = compileModel(tf, net, saved?.artifacts, {
    loss: 'meanSquaredError',
    optimizer: hp.optimizer ?? ctx.manifest.training.optimizer,
    learningRate,
    builder: 'buildModel',
  });
  // A model compiled with the squared error still shows its validation error in the label's units.
  const mseLoss = SQUARED_ERROR_LOSSES.includes(compiled.loss);

  const scaled = (v: number[]) => v.map((x) => x / labelScale);
  const xs = tf.tensor2d(X.train);
  const ys = tf.tensor2d(scaled(y.train), [y.train.length, 1]);
  const vxs = tf.tensor2d(X.validation);
  const vys = tf.tensor2d(scaled(y.validation), [y.validation.length, 1]);
  ctx.send({
    type: 'started',
    hyperparameters: hp,
    epochs,
    rows: { train: y.train.length, validation: y.validation.length, test: y.test.length },
    features: X.width,
  });
  const initialLoss = lossBeforeTraining(tf, net, xs, ys);
  const prepareMs = Date.now() - tPrepare;

  const fit = await fitWithCurve(
    tf,
    net,
    { xs, ys, vxs, vys },
    {
      epochs,
      batchSize,
      reporter: reporterFor(ctx),
      metricsOf: async ({ valLoss }): Promise<Metrics> => (mseLoss ? { val_rmse: finiteOrNull(Math.sqrt(valLoss) * labelScale) } : {}),
    },
  );

  const tEvaluate = Date.now();
  const predict = (x: tfTypes.Tensor) => tf.tidy(() => (net.predict(x) as tfTypes.Tensor).mul(labelScale).dataSync() as Float32Array);
  const txs = tf.tensor2d(X.test);
  const pred = predict(txs);
  const history = fit.loss;
  const outputs: Metrics = {
    label_scale: labelScale,
    label_mean_seen: finiteOrNull(mean(scaled(y.train).map(Math.abs))),
    learning_rate: finiteOrNull(learningRate),
    batch_size: batchSize,
    epochs_run: history.length,
    first_loss: history.length ? finiteOrNull(history[0]) : null,
    final_loss: history.length ? finiteOrNull(history[history.length - 1]) : null,
    final_val_loss: fit.valLoss.length ? finiteOrNull(fit.valLoss[fit.valLoss.length - 1]) : null,
    train_seconds: fit.trainMs / 1000,
  };
  // Baselines on the same held-out rows: the mean of the training labels, and the best linear fit.
  const trainMean = mean(y.train);
  outputs.baseline_rmse = rmse(
    y.test.map(() => trainMean),
    y.test,
  );
  outputs.least_squares_rmse = finiteOrNull(rmse(predictLinear(fitLeastSquares(X.train, y.train), X.test), y.test));
  outputs.test_rmse = finiteOrNull(rmse(pred, y.test));
  outputs.test_mae = finiteOrNull(y.test.reduce((s, v, i) => s + Math.abs(pred[i] - v), 0) / y.test.length);
  // The validation error of the final model: what a tuner may optimise (never the held-out rows).
  outputs.val_rmse = finiteOrNull(rmse(predict(vxs), y.validation));
  outputs.effective_learning_rate = compiled.byLab ? finiteOrNull(learningRate) : compiled.learningRate;
  // The model contract of a regression graded on RMSE: trained on the squared error.
  outputs.squared_error_loss = mseLoss ? 1 : 0;
  // Only a model the learner compiled can ignore the rate it is given (a tuner's trials would all be alike).
  outputs.learning_rate_follows_hp = compiled.byLab
    ? 1
    : typeof built.probeRate === 'number' && Math.abs(built.probeRate - learningRate / 3) <= 1e-6 * learningRate
      ? 1
      : 0;
  // A model compiled with the optimizer's name trains at that optimizer's default rate, whatever the rate.
  if (!compiled.byLab && built.optimizerByName !== undefined) outputs.optimizer_by_name = built.optimizerByName ? 1 : 0;
  const scaledTrain = scaled(y.train);
  // The inputs as the model's first trainable layer receives them: the widest spread among them.
  const seen = inputsSeen(tf, net, X.train, scaledTrain);
  const widest = seen.reduce((best, c, j) => (c.std > best.std ? { std: c.std, column: j + 1 } : best), { std: 0, column: 0 });
  outputs.feature_std_max = finiteOrNull(widest.std);
  outputs.feature_std_max_column = widest.column;
  const evidence: Evidence = {
    task: 'regression',
    model: modelEvidence(net, compiled, { penaltyShare: penaltyShare(tf, net, history[history.length - 1]), unusedParams: saved?.unusedParams }),
    inputs: seen,
    label: { meanAbs: mean(scaledTrain.map(Math.abs)), std: std(scaledTrain) },
    initialLoss,
    baselineLoss: meanPredictorMse(scaledTrain),
    columns: columnCorrelations(split.train, label, ctx.data.hidden),
  };
  tf.dispose([xs, ys, vxs, vys, txs]);
  net.dispose();
  const timings = { prepareMs, trainMs: fit.trainMs, evaluateMs: Date.now() - tEvaluate };

  if (fit.divergedAt !== undefined) {
    const seen = outputs.label_mean_seen ?? 0;
    const diagnosis =
      seen > 100
        ? `loss diverged at epoch ${fit.divergedAt} — the label the model sees averages ${formatNumber(seen)}, so its errors and gradients are huge; scale the label (labelScale) so it is around 1`
        : `loss diverged at epoch ${fit.divergedAt} — learning rate ${formatNumber(learningRate)} is probably too high`;
    return { status: 'diverged', outputs, diagnosis, timings, trainedBy: 'lab', evidence };
  }
  return { status: 'completed', outputs, timings, trainedBy: 'lab', evidence };
}
