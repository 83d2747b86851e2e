// A TensorFlow.js layers model in its saved form (topology + weights), and back. The learner's
// process saves the models it builds; the evaluator loads them, so that what is measured never runs
// in the learner's process. Saving goes through a save handler of our own: no file system plugin.
import type * as tfTypes from '@tensorflow/tfjs';
import type { ModelArtifacts } from './wire';

type Tf = typeof import('@tensorflow/tfjs');

/** Joins weight data that TensorFlow.js may hand over in several buffers. */
function oneBuffer(data: tfTypes.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

/** The compile settings of a model, in the form model.json's trainingConfig takes; null if not compiled. */
function trainingConfig(model: tfTypes.LayersModel): { config: Record<string, unknown> | null; customLoss?: string } {
  if (!model.optimizer) return { config: null };
  const loss = model.loss as unknown;
  const names: unknown[] = Array.isArray(loss) ? loss : [loss];
  const custom = names.find((l) => typeof l !== 'string');
  if (custom !== undefined) {
    return { config: null, customLoss: typeof custom === 'function' && custom.name ? custom.name : 'a function' };
  }
  return {
    config: {
      loss: Array.isArray(loss) ? loss : String(loss),
      optimizer_config: { class_name: model.optimizer.getClassName(), config: model.optimizer.getConfig() },
    },
  };
}

export async function saveModel(tf: Tf, model: tfTypes.LayersModel): Promise<ModelArtifacts> {
  let saved: tfTypes.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!saved) throw new Error('the model produced nothing to save');
  const { config, customLoss } = trainingConfig(model);
  return {
    topology: JSON.stringify(saved.modelTopology),
    weightSpecs: (saved.weightSpecs ?? []).map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype })),
    weights: Buffer.from(oneBuffer(saved.weightData)).toString('base64'),
    trainingConfig: config,
    ...(customLoss ? { customLoss } : {}),
  };
}

/** Loads a saved model the way a serving process would (uncompiled). */
export async function loadModel(tf: Tf, artifacts: ModelArtifacts): Promise<tfTypes.LayersModel> {
  const bytes = Buffer.from(artifacts.weights, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: JSON.parse(artifacts.topology) as object,
      weightSpecs: artifacts.weightSpecs,
      weightData,
    }),
  );
}

/** model.json as TensorFlow.js writes it, next to a weights.bin holding the weights. */
export function modelJson(artifacts: ModelArtifacts): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: 'ML Labs',
    convertedBy: null,
    modelTopology: JSON.parse(artifacts.topology) as unknown,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  });
}
