// The way to training the kinds that train in the evaluator share: the learner's process builds on
// the rows it may see, the evaluator reads what it built (hyperparameters, label scale, features,
// checked), holds the labels, turns the rows into tensors, and announces the run to the host.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Hyperparameters, type StartedMessage } from '../../../core/run/protocol';
import type { BuildPlan, LearnerBuilt } from '../../common/learnerProtocol';
import type { EvalContext, Tf } from '../context';
import { lossBeforeTraining } from '../evidence';
import { fitLeastSquares, predictLinear, rmse } from '../measure/leastSquares';
import { featureTables, labelScaleOf, learnerRows, mean, numericLabels, resolveHp, type FeatureTables } from './common';

export interface Labels {
  train: number[];
  validation: number[];
  test: number[];
}

/** A regression the lab trains, ready for its model: what the learner built, read and checked. */
export interface RegressionSetup {
  tf: Tf;
  built: LearnerBuilt;
  hp: Hyperparameters;
  learningRate: number;
  batchSize: number;
  epochs: number;
  labelScale: number;
  X: FeatureTables;
  y: Labels;
  /** When the evaluator's own preparation started (after the build), for the run's timings. */
  tPrepare: number;
}

/** Runs the build stage on the learner's rows and reads its result; batch size and epochs default per lab kind. */
export async function prepareRegression(ctx: EvalContext, plan: BuildPlan, defaults: { batchSize: number; epochs: number }): Promise<RegressionSetup> {
  const { split, label } = ctx.data;
  const sent = learnerRows(ctx, split);
  // The evaluator's TensorFlow.js loads while the learner's process builds (see EvalContext.build).
  const built = await ctx.build(plan, sent);
  const { tf } = await ctx.tf();
  const tPrepare = Date.now();
  const hp = resolveHp(ctx, built.values);
  return {
    tf,
    built,
    hp,
    learningRate: hp.learningRate as number,
    batchSize: (hp.batchSize as number) ?? defaults.batchSize,
    epochs: (hp.epochs as number) ?? defaults.epochs,
    labelScale: labelScaleOf(ctx, built.values),
    X: featureTables(built, sent),
    y: { train: numericLabels(split.train, label), validation: numericLabels(split.validation, label), test: numericLabels(split.test, label) },
    tPrepare,
  };
}

export interface TrainingTensors {
  xs: tfTypes.Tensor;
  ys: tfTypes.Tensor;
  vxs: tfTypes.Tensor;
  vys: tfTypes.Tensor;
}

/** The training and validation rows as tensors, with the label divided by its scale (the model learns it so). */
export function scaledTensors(tf: Tf, x: { train: number[][]; validation: number[][] }, y: Labels, labelScale: number): TrainingTensors {
  const scaled = (v: number[]) => v.map((l) => l / labelScale);
  return {
    xs: tf.tensor2d(x.train),
    ys: tf.tensor2d(scaled(y.train), [y.train.length, 1]),
    vxs: tf.tensor2d(x.validation),
    vys: tf.tensor2d(scaled(y.validation), [y.validation.length, 1]),
  };
}

/**
 * Tells the host that training starts (its settings and rows), and measures where it starts from:
 * the model's loss before any step. Closes the preparation's timing.
 */
export function announceTraining(
  ctx: EvalContext,
  tf: Tf,
  net: tfTypes.LayersModel,
  t: Pick<TrainingTensors, 'xs' | 'ys'>,
  run: Omit<StartedMessage, 'type'> & { tPrepare: number },
): { initialLoss: number | undefined; prepareMs: number } {
  ctx.send({ type: 'started', hyperparameters: run.hyperparameters, epochs: run.epochs, rows: run.rows, features: run.features });
  const initialLoss = lossBeforeTraining(tf, net, t.xs, t.ys);
  return { initialLoss, prepareMs: Date.now() - run.tPrepare };
}

/** The yardsticks of a regression on the held-out rows: the training labels' mean, and the best line through the same features. */
export function regressionYardsticks(x: { train: number[][]; test: number[][] }, y: Labels): { baseline_rmse: number; least_squares_rmse: number | null } {
  const trainMean = mean(y.train);
  return {
    baseline_rmse: rmse(
      y.test.map(() => trainMean),
      y.test,
    ),
    least_squares_rmse: finiteOrNull(rmse(predictLinear(fitLeastSquares(x.train, y.train), x.test), y.test)),
  };
}
