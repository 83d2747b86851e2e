// Regression: the learner's code supplies features, a label scale, hyperparameters and (optionally)
// a model. The evaluator trains the model with the lab's loop on the learner's features, predicts the
// held-out rows and measures, with the baselines every check compares against: the mean of the
// training labels and the best line through the same features (least squares).
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import { ContractError } from '../../common/errors';
import type { BuildPlan } from '../../common/learnerProtocol';
import type { EvalContext, KindResult } from '../context';
import { fitWithCurve, type FitResult } from '../fit';
import { rmse } from '../measure/leastSquares';
import { compileModel, learnerModel, type Compiled } from '../models';
import { SQUARED_ERROR } from '../../../core/grade/contract';
import { columnCorrelations, inputsSeen, meanPredictorMse, modelEvidence, penaltyShare, widestInput } from '../evidence';
import type { ColumnFact, Evidence } from '../../../core/grade/evidence';
import { std } from '../../common/sideBySide';
import { formatNumber } from '../../../core/format';
import { mean, reporterFor } from './common';
import { announceTraining, prepareRegression, regressionYardsticks, scaledTensors, type RegressionSetup } from './labTraining';

const PLAN: BuildPlan = {
  values: ['hyperparameters', 'labelScale'],
  features: { prepare: false },
  models: [{ name: 'model', builder: 'buildModel', args: ['inputs', 'hyperparameters'], optional: true }],
  probeRate: true,
};

/** The model after the lab's loop trained it. */
interface Trained {
  net: tfTypes.LayersModel;
  compiled: Compiled;
  fit: FitResult;
  /** Whether the model trains on the squared error (the contract of a regression graded on RMSE). */
  mseLoss: boolean;
  vxs: tfTypes.Tensor;
}

export async function evaluateRegression(ctx: EvalContext): Promise<KindResult> {
  const setup = await prepareRegression(ctx, PLAN, { batchSize: 32, epochs: 10 });
  const { tf, hp, X, y, learningRate, labelScale } = setup;
  const saved = setup.built.models.find((m) => m.name === 'model');
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
  const mseLoss = SQUARED_ERROR.has(compiled.loss);

  const tensors = scaledTensors(tf, X, y, labelScale);
  const rows = { train: y.train.length, validation: y.validation.length, test: y.test.length };
  const { initialLoss, prepareMs } = announceTraining(ctx, tf, net, tensors, {
    hyperparameters: hp,
    epochs: setup.epochs,
    rows,
    features: X.width,
    tPrepare: setup.tPrepare,
  });
  const fit = await fitWithCurve(tf, net, tensors, {
    epochs: setup.epochs,
    batchSize: setup.batchSize,
    reporter: reporterFor(ctx),
    metricsOf: async ({ valLoss }): Promise<Metrics> => (mseLoss ? { val_rmse: finiteOrNull(Math.sqrt(valLoss) * labelScale) } : {}),
  });

  const tEvaluate = Date.now();
  const trained: Trained = { net, compiled, fit, mseLoss, vxs: tensors.vxs };
  const { outputs, seen } = regressionOutputs(setup, trained);
  const evidence = regressionEvidence(ctx, setup, trained, seen, { initialLoss, unusedParams: saved?.unusedParams });
  tf.dispose(Object.values(tensors));
  net.dispose();
  const timings = { prepareMs, trainMs: fit.trainMs, evaluateMs: Date.now() - tEvaluate };

  if (fit.divergedAt !== undefined) {
    const diagnosis = divergence(fit.divergedAt, outputs.label_mean_seen ?? 0, learningRate);
    return { status: 'diverged', outputs, diagnosis, timings, trainedBy: 'lab', evidence };
  }
  return { status: 'completed', outputs, timings, trainedBy: 'lab', evidence };
}

/** What the trained model scores on the held-out and validation rows, beside the baselines, and how it was trained. */
function regressionOutputs(setup: RegressionSetup, trained: Trained): { outputs: Metrics; seen: ColumnFact[] } {
  const { tf, X, y, learningRate, labelScale, built } = setup;
  const { net, compiled, fit, mseLoss } = trained;
  const predict = (x: tfTypes.Tensor) => tf.tidy(() => (net.predict(x) as tfTypes.Tensor).mul(labelScale).dataSync() as Float32Array);
  const txs = tf.tensor2d(X.test);
  const pred = predict(txs);
  tf.dispose(txs);
  const history = fit.loss;
  const scaledTrain = y.train.map((v) => v / labelScale);
  const outputs: Metrics = {
    label_scale: labelScale,
    label_mean_seen: finiteOrNull(mean(scaledTrain.map(Math.abs))),
    learning_rate: finiteOrNull(learningRate),
    batch_size: setup.batchSize,
    epochs_run: history.length,
    first_loss: history.length ? finiteOrNull(history[0]) : null,
    final_loss: history.length ? finiteOrNull(history[history.length - 1]) : null,
    final_val_loss: fit.valLoss.length ? finiteOrNull(fit.valLoss[fit.valLoss.length - 1]) : null,
    train_seconds: fit.trainMs / 1000,
    // Baselines on the same held-out rows: the mean of the training labels, and the best linear fit.
    ...regressionYardsticks(X, y),
  };
  outputs.test_rmse = finiteOrNull(rmse(pred, y.test));
  outputs.test_mae = finiteOrNull(y.test.reduce((s, v, i) => s + Math.abs(pred[i] - v), 0) / y.test.length);
  // The validation error of the final model: what a tuner may optimise (never the held-out rows).
  outputs.val_rmse = finiteOrNull(rmse(predict(trained.vxs), y.validation));
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
  // The inputs as the model's first trainable layer receives them: the widest spread among them.
  const seen = inputsSeen(tf, net, X.train, scaledTrain);
  const widest = widestInput(seen);
  outputs.feature_std_max = finiteOrNull(widest.std);
  outputs.feature_std_max_column = widest.column;
  return { outputs, seen };
}

function regressionEvidence(
  ctx: EvalContext,
  setup: RegressionSetup,
  trained: Trained,
  seen: ColumnFact[],
  extra: { initialLoss: number | undefined; unusedParams: number | undefined },
): Evidence {
  const { tf, y, labelScale } = setup;
  const { net, fit } = trained;
  const scaledTrain = y.train.map((v) => v / labelScale);
  return {
    task: 'regression',
    model: modelEvidence(net, trained.compiled, { penaltyShare: penaltyShare(tf, net, fit.loss[fit.loss.length - 1]), unusedParams: extra.unusedParams }),
    inputs: seen,
    label: { meanAbs: mean(scaledTrain.map(Math.abs)), std: std(scaledTrain) },
    initialLoss: extra.initialLoss,
    baselineLoss: meanPredictorMse(scaledTrain),
    columns: columnCorrelations(ctx.data.split.train, ctx.data.label, ctx.data.hidden),
  };
}

function divergence(epoch: number, labelMeanSeen: number, learningRate: number): string {
  return labelMeanSeen > 100
    ? `loss diverged at epoch ${epoch} — the label the model sees averages ${formatNumber(labelMeanSeen)}, so its errors and gradients are huge; scale the label (labelScale) so it is around 1`
    : `loss diverged at epoch ${epoch} — learning rate ${formatNumber(learningRate)} is probably too high`;
}
