// The learner's models in the evaluator: loaded from their saved form (plain data — the learner's
// code never runs here), checked, and compiled for the lab's loop. A model that needs code of the
// learner's own (a custom layer) or a loss function cannot be rebuilt from data, and is refused with
// the reason.
import type * as tfTypes from '@tensorflow/tfjs';
import { loadModel } from '../common/artifacts';
import { ContractError } from '../common/errors';
import { makeOptimizer, optimizerFromConfig, OPTIMIZER_CLASSES } from '../common/optimizers';
import type { ModelArtifacts } from '../common/wire';
import type { Tf } from './context';

/** A saved model larger than this is not a lab's model. */
const MAX_TOPOLOGY_CHARS = 4 * 1024 * 1024;

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** Loads a learner's model from its saved form; a custom layer or a broken save is a contract error. */
export async function learnerModel(tf: Tf, artifacts: ModelArtifacts, builder: string): Promise<tfTypes.LayersModel> {
  if (artifacts.topology.length > MAX_TOPOLOGY_CHARS) throw new ContractError(`${builder}() builds a model whose description alone is over 4 MB`);
  try {
    return await loadModel(tf, artifacts);
  } catch (err) {
    const message = firstLine(err);
    const unknown = /Unknown layer: (\w+)/.exec(message);
    if (unknown) {
      throw new ContractError(
        `${builder}() uses a layer of your own, "${unknown[1]}". This lab trains your model itself, from its saved form, in a process that never runs your code: build it from TensorFlow.js's own layers (tf.layers.*).`,
      );
    }
    throw new ContractError(`the model ${builder}() returns cannot be saved and loaded back: ${message}`);
  }
}

export interface Compiled {
  /** The harness chose the loss and optimizer (the learner did not compile the model). */
  byLab: boolean;
  loss: string;
  optimizer: string;
  learningRate: number | null;
}

/**
 * Compiles a loaded model: with the learner's own settings when they compiled it (a named loss, an
 * optimizer of TensorFlow.js's), otherwise with the lab's: `loss` and the optimizer of the hyperparameters.
 */
export function compileModel(
  tf: Tf,
  model: tfTypes.LayersModel,
  artifacts: ModelArtifacts | undefined,
  lab: { loss: string; optimizer: unknown; learningRate: number; metrics?: string[]; builder: string },
): Compiled {
  if (artifacts?.customLoss) {
    throw new ContractError(
      `${lab.builder}() compiles the model with a loss function of your own (${artifacts.customLoss}); the lab trains your model from its saved form, which keeps only named losses: use one of TensorFlow.js's, e.g. loss: '${lab.loss}'`,
    );
  }
  const config = artifacts?.trainingConfig;
  if (config) {
    const saved = config.optimizer_config as { class_name?: unknown; config?: { learningRate?: unknown } } | undefined;
    const optimizer = optimizerFromConfig(tf, saved);
    if (!optimizer) {
      throw new ContractError(
        `${lab.builder}() compiles the model with an optimizer the lab does not know (${String(saved?.class_name)}); use one of ${OPTIMIZER_CLASSES.join(', ')}`,
      );
    }
    const loss = config.loss;
    if (typeof loss !== 'string')
      throw new ContractError(`${lab.builder}() compiles the model with several losses; this lab's model has one output and one loss`);
    try {
      model.compile({ optimizer, loss, ...(lab.metrics ? { metrics: lab.metrics } : {}) });
    } catch (err) {
      throw new ContractError(`${lab.builder}() compiles the model with loss '${loss}', which TensorFlow.js does not know: ${firstLine(err)}`);
    }
    const rate = saved?.config?.learningRate;
    return { byLab: false, loss, optimizer: String(saved?.class_name), learningRate: typeof rate === 'number' && Number.isFinite(rate) ? rate : null };
  }
  const optimizer = makeOptimizer(tf, lab.optimizer, lab.learningRate);
  model.compile({ optimizer, loss: lab.loss, ...(lab.metrics ? { metrics: lab.metrics } : {}) });
  return { byLab: true, loss: lab.loss, optimizer: optimizer.getClassName(), learningRate: lab.learningRate };
}
