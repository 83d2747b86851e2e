// The custom-training stage, in the learner's process: the learner writes the model function —
// createModel (the weights), predict (the architecture), loss and trainStep (one gradient step) — so
// training has to happen where their code runs. The lab keeps the plumbing: the batches, the optimizer
// from the hyperparameters, the loop and the curve (reported as measured by this process), and it
// observes what a model function gets wrong silently: weights that never change, layers that get no
// gradient, a loss that is not the squared error of the predictions it is given. The held-out
// sequences reach this process only after training, without their labels (see predictStage).
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../core/run/protocol';
import type { LearnerTrained } from '../common/learnerProtocol';
import { decodeMatrix, encodeVector, type Matrix } from '../common/wire';
import { makeOptimizer } from '../common/optimizers';
import { plainValues, requireExports, type LearnerContext } from './context';
import { hyperparametersOf } from './build';
import {
  checkedPredict,
  createModel,
  heldLayers,
  learnerWeights,
  lossProbeRatio,
  modelFunction,
  mse,
  trainableVariables,
  weightUsage,
  type WeightUsage,
} from './customModel';
import { trainLoop, windowSize, type LoopResult } from './customLoop';

type Tf = LearnerContext['tf'];
type Tensor = tfTypes.Tensor;

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
  const { tf, start } = ctx;
  requireExports(ctx);
  const hp = hyperparametersOf(ctx);
  const learningRate = hp.learningRate as number;
  const batchSize = (hp.batchSize as number) ?? 32;
  const steps = (hp.steps as number) ?? 200;
  const optimizerName = hp.optimizer ?? start.manifest.training.optimizer;
  const fn = modelFunction(ctx);

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
  const model = createModel(ctx, fn, hp);
  const predict = checkedPredict(ctx, fn, model);
  // The first call of predict() gets a batch of the learner's own size, so a shape error quotes it.
  const probeX = xs.slice([0, 0], [Math.min(batchSize, n), width]);
  const predictionRank = tf.tidy(() => predict(probeX).rank);
  const variables = learnerWeights(ctx, known);
  const params = variables.reduce((s, v) => s + v.size, 0);
  // A layer builds its weights on its first call: one still unbuilt is not on the way to the output.
  const unusedLayers = heldLayers(tf, model).filter((l) => !l.built).length;
  const lossProbe = lossProbeRatio(ctx, fn, ys, predictionRank);

  const optimizer = makeOptimizer(tf, optimizerName, learningRate);
  // Some optimizers keep their own trainable scalars (Adam's β powers): not the learner's weights.
  const beforeTraining = new Set(trainableVariables(tf).keys());
  const initial = variables.map((v) => v.clone());
  const window = windowSize(steps);
  ctx.send({ type: 'started', hyperparameters: hp, epochs: Math.ceil(steps / window), features: width });

  const validationLoss = () => tf.tidy(() => mse(predict(vxs), vys).dataSync()[0]);
  const loop = await trainLoop(ctx, { fn, model, optimizer, xs, ys, validationLoss, beforeTraining }, { steps, batchSize, window });
  const usage = weightUsage(tf, variables, initial, predict, { xs, ys });
  tf.dispose([xs, ys, vxs, vys, probeX]);
  optimizer.dispose();

  const facts = customFacts(loop, usage, { variables: variables.length, params, unusedLayers, lossProbe, predictionRank });
  const { history, divergedAt } = loop;
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

/** What this process observed of the run, reported beside the curve (the evaluator keeps it apart, as the learner's). */
function customFacts(
  loop: LoopResult,
  usage: WeightUsage,
  model: { variables: number; params: number; unusedLayers: number; lossProbe: number; predictionRank: number },
): Metrics {
  const { history, stepsRun, trainMs } = loop;
  const first = history[0];
  const final = history[history.length - 1];
  return {
    first_loss: first ? finiteOrNull(first.loss) : null,
    final_loss: final ? finiteOrNull(final.loss) : null,
    final_val_loss: final ? finiteOrNull(final.valLoss) : null,
    trainable_variables: model.variables,
    params: model.params,
    variables_updated: usage.updated,
    unused_variables: usage.unused,
    unused_layers: model.unusedLayers,
    unused_parts: usage.unused + model.unusedLayers,
    unused_inputs: usage.unusedInputs.length,
    first_unused_input: usage.unusedInputs[0] ?? null,
    loss_probe_ratio: finiteOrNull(model.lossProbe),
    prediction_rank: model.predictionRank,
    steps_run: stepsRun,
    train_seconds: trainMs / 1000,
    ms_per_step: stepsRun ? trainMs / stepsRun : null,
  };
}

/** Predictions of the trained model function, one number per row, as a column. */
export function predictColumn(tf: Tf, model: CustomModel, x: Tensor): Matrix {
  return encodeVector(tf.tidy(() => Array.from(model.predict(x).dataSync())));
}
