// The side-by-side fit stage, in the learner's process: the learner's models hold code of their own
// (a custom layer), which only this process can run, so the lab's loop trains them here — every model
// with the same optimizer, loss, rows and batches — and saves each one. The held-out inputs come
// afterwards, without labels; a fresh process then loads the saved models as a server would.
import type * as tfTypes from '@tensorflow/tfjs';
import { saveModel } from '../common/artifacts';
import { ContractError } from '../common/errors';
import type { LearnerTrained } from '../common/learnerProtocol';
import { makeOptimizer } from '../common/optimizers';
import { trainSideBySide } from '../common/sideBySide';
import { encodeVector } from '../common/wire';
import { buildOne, hyperparametersOf } from './build';
import { at, plainValues, requireExports, type LearnerContext } from './context';
import { tensorOf } from './customTraining';

/** The exported label scale: a positive number (1 when the lab does not ask for one). */
export function labelScaleOf(ctx: LearnerContext): number {
  const v = ctx.learner.labelScale === undefined ? 1 : ctx.learner.labelScale;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new ContractError(`labelScale must be a positive number, not ${JSON.stringify(v)}`, at(ctx, 'labelScale'));
  }
  return v;
}

export interface FittedModels {
  names: string[];
  models: tfTypes.LayersModel[];
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

export async function fitModels(ctx: LearnerContext): Promise<{ trained: LearnerTrained; fitted: FittedModels }> {
  const { tf, start } = ctx;
  const plan = start.train;
  if (!plan?.models || !start.inputs || !start.labels) throw new Error('the side-by-side stage has no plan or data');
  requireExports(ctx);
  const hp = hyperparametersOf(ctx);
  const values = plainValues(ctx, plan.values);
  const labelScale = labelScaleOf(ctx);
  const learningRate = hp.learningRate as number;
  const batchSize = (hp.batchSize as number) ?? 64;
  const epochs = (hp.epochs as number) ?? 8;
  const width = start.inputs.train.cols;

  const models = plan.models.map((m) => buildOne(ctx, { name: m.name, builder: m.builder, args: ['inputs', 'hyperparameters'] }, width, hp));
  // The lab's loop: the same optimizer, loss, rows and batches for every model.
  for (const m of models)
    m.compile({ optimizer: makeOptimizer(tf, hp.optimizer ?? start.manifest.training.optimizer, learningRate), loss: 'meanSquaredError' });
  const xs = tensorOf(tf, start.inputs.train);
  const vxs = tensorOf(tf, start.inputs.validation);
  const ys = tf.tidy(() => tensorOf(tf, start.labels!.train).div(labelScale));
  const vys = tf.tidy(() => tensorOf(tf, start.labels!.validation).div(labelScale));
  ctx.send({ type: 'started', hyperparameters: hp, epochs, features: width });

  const { curves } = await trainSideBySide(
    tf,
    {
      epoch: (epoch, metrics, elapsedMs) => ctx.send({ type: 'epoch', epoch, metrics, elapsedMs }),
      progress: (epoch, batch, batches) => ctx.send({ type: 'progress', epoch, batch, batches }),
    },
    {
      xs,
      ys,
      vxs,
      vys,
      epochs,
      batchSize,
      labelScale,
      contenders: plan.models.map((m, i) => ({ name: m.name, model: models[i], primary: i === 0 })),
    },
  );
  const seen = firstLayerInputs(tf, models[0], xs);
  tf.dispose([xs, ys, vxs, vys]);

  const saved: LearnerTrained['models'] = [];
  for (let i = 0; i < models.length; i++) {
    try {
      saved.push({ name: plan.models[i].name, artifacts: await saveModel(tf, models[i]) });
    } catch (err) {
      saved.push({ name: plan.models[i].name, error: firstLine(err) });
    }
  }
  const diverged = plan.models.find((m) => curves[m.name].divergedAt !== undefined);
  const trained: LearnerTrained = {
    type: 'trained',
    values,
    models: saved,
    facts: { epochs_run: curves[plan.models[0].name].loss.length, ...seen },
    status: diverged ? 'diverged' : 'completed',
    ...(diverged ? { diagnosis: `the loss of the ${diverged.name} model became NaN or infinite at epoch ${curves[diverged.name].divergedAt}` } : {}),
  };
  return { trained, fitted: { names: plan.models.map((m) => m.name), models } };
}

/**
 * How large the inputs of the primary model's first dense layer are (after whatever layers come
 * before it, e.g. a standardizing one): the largest spread and the largest mean of any column.
 */
function firstLayerInputs(tf: LearnerContext['tf'], model: tfTypes.LayersModel, xs: tfTypes.Tensor): Record<string, number | null> {
  try {
    const first = model.layers.find((l) => l.getClassName() === 'Dense');
    if (!first) return {};
    return tf.tidy(() => {
      const sample = xs.slice([0, 0], [Math.min(2000, xs.shape[0]), -1]);
      const seen =
        first.input === model.inputs[0]
          ? sample
          : (tf.model({ inputs: model.inputs, outputs: first.input as tfTypes.SymbolicTensor }).predict(sample) as tfTypes.Tensor);
      const { mean, variance } = tf.moments(seen, 0);
      return {
        first_layer_input_spread: tf.sqrt(variance).max().dataSync()[0],
        first_layer_input_level: mean.abs().max().dataSync()[0],
      };
    });
  } catch {
    return {};
  }
}

/** Raw outputs of every fitted model for the inputs (one column each). */
export function predictFitted(tf: LearnerContext['tf'], fitted: FittedModels, x: tfTypes.Tensor): Record<string, ReturnType<typeof encodeVector>> {
  const out: Record<string, ReturnType<typeof encodeVector>> = {};
  fitted.models.forEach((m, i) => {
    out[fitted.names[i]] = encodeVector(tf.tidy(() => Array.from((m.predict(x) as tfTypes.Tensor).dataSync())));
  });
  return out;
}
