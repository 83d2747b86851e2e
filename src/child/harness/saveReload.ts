// The save-and-reload harness: the learner builds the same regression twice, with the Sequential and
// with the functional layers API. The harness trains both with its own loop, side by side, exports
// each (model.json + weights.bin, written without any file-system plugin of TensorFlow.js), loads the
// files back, and checks that the reloaded model predicts what the trained one did — the contract an
// exported model must keep for serving.
import * as fs from 'fs';
import * as path from 'path';
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../core/protocol';
import { locateExport } from '../../core/sourceLocate';
import type { Row } from '../datasets';
import { resolveHyperparameters } from './hyperparameters';
import { rmse } from './leastSquares';
import { buildTable, isLayersModel, makeOptimizer, mean } from './regression';
import { predictScaled, trainSideBySide } from './sideBySide';
import { callLearner, ContractError, type HarnessContext, type HarnessResult } from './types';

type Tf = HarnessContext['tf'];

const MODELS = [
  { name: 'sequential', builder: 'buildSequential' },
  { name: 'functional', builder: 'buildFunctional' },
] as const;

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

/** The saved form of a model, as TensorFlow.js's own model.json + weights.bin. */
export async function exportArtifacts(tf: Tf, model: tfTypes.LayersModel): Promise<{ json: string; weights: Uint8Array }> {
  let saved: tfTypes.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!saved) throw new Error('the model produced nothing to save');
  const json = JSON.stringify({
    format: saved.format ?? 'layers-model',
    generatedBy: saved.generatedBy,
    convertedBy: saved.convertedBy ?? null,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs ?? [] }],
  });
  return { json, weights: oneBuffer(saved.weightData) };
}

/** Loads a model from its model.json text and weights, the way a serving process would. */
export async function importArtifacts(tf: Tf, json: string, weights: Uint8Array): Promise<tfTypes.LayersModel> {
  const parsed = JSON.parse(json) as { modelTopology: object; weightsManifest: { weights: tfTypes.io.WeightsManifestEntry[] }[] };
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: parsed.modelTopology,
      weightSpecs: parsed.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  );
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

export async function runSaveReload(ctx: HarnessContext): Promise<HarnessResult> {
  const { tf, learner, manifest } = ctx;
  const file = manifest.files[0];
  const missing = manifest.exports.filter((name) => learner[name] === undefined);
  if (missing.length > 0) {
    throw new ContractError(`${file} must export ${missing.map((m) => `"${m}"`).join(', ')}; the lab's harness calls ${missing.length === 1 ? 'it' : 'them'}`);
  }
  const hp = resolveHyperparameters(manifest, learner.hyperparameters, ctx.overrides, file, ctx.entrySource);
  const learningRate = hp.learningRate as number;
  const batchSize = (hp.batchSize as number) ?? 64;
  const epochs = (hp.epochs as number) ?? 8;
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

  const models: tfTypes.LayersModel[] = MODELS.map(({ builder }) => {
    const build = learner[builder];
    if (typeof build !== 'function') throw new ContractError(`"${builder}" must be a function (numFeatures) => model`, locateExport(file, ctx.entrySource, builder));
    const model = callLearner(() => (build as (n: number, hp: unknown) => unknown)(nFeatures, hp));
    if (!isLayersModel(model)) {
      throw new ContractError(`${builder}() must return a TensorFlow.js model (tf.sequential() or tf.model())`, locateExport(file, ctx.entrySource, builder));
    }
    return model;
  });
  const [sequential, functional] = models;
  const outputs: Metrics = {
    sequential_api: sequential instanceof tf.Sequential ? 1 : 0,
    functional_api: functional instanceof tf.Sequential ? 0 : 1,
    params_sequential: sequential.countParams(),
    params_functional: functional.countParams(),
  };
  // The harness's loop: the same optimizer, loss, rows and batches for both.
  for (const m of models) m.compile({ optimizer: makeOptimizer(tf, hp.optimizer ?? manifest.training.optimizer, learningRate), loss: 'meanSquaredError' });

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
    contenders: MODELS.map(({ name }, i) => ({ name, model: models[i], primary: name === 'sequential' })),
  });

  const tEvaluate = Date.now();
  const txs = tf.tensor2d(testT.x);
  const trainMean = mean(trainT.y);
  outputs.baseline_rmse = rmse(testT.y.map(() => trainMean), testT.y);
  outputs.learning_rate = finiteOrNull(learningRate);
  outputs.batch_size = batchSize;
  outputs.epochs_run = epochs;
  outputs.train_seconds = trainMs / 1000;
  let reloadOk = 1;
  let maxDiff = 0;
  let exportBytes = 0;
  for (let i = 0; i < MODELS.length; i++) {
    const { name } = MODELS[i];
    const model = models[i];
    const before = predictScaled(ctx, model, txs, labelScale);
    outputs[`test_rmse_${name}`] = finiteOrNull(rmse(before, testT.y));
    outputs[`val_rmse_${name}`] = finiteOrNull(rmse(predictScaled(ctx, model, vxs, labelScale), valT.y));
    // Export, write the files into the run's folder, read them back, and predict with what was read.
    try {
      const saved = await exportArtifacts(tf, model);
      let { json, weights } = saved;
      if (ctx.runDir) {
        const dir = path.join(ctx.runDir, 'export', name);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'model.json'), json);
        fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
        json = fs.readFileSync(path.join(dir, 'model.json'), 'utf8');
        weights = new Uint8Array(fs.readFileSync(path.join(dir, 'weights.bin')));
      }
      exportBytes += json.length + weights.byteLength;
      const reloaded = await importArtifacts(tf, json, weights);
      const after = predictScaled(ctx, reloaded, txs, labelScale);
      reloaded.dispose();
      let diff = 0;
      for (let k = 0; k < before.length; k++) diff = Math.max(diff, Math.abs(after[k] - before[k]));
      outputs[`reload_diff_${name}`] = finiteOrNull(diff);
      maxDiff = Math.max(maxDiff, Number.isFinite(diff) ? diff : Infinity);
    } catch (err) {
      reloadOk = 0;
      outputs[`reload_diff_${name}`] = null;
      ctx.send({ type: 'log', level: 'warn', message: `the ${name} model did not survive saving and loading: ${firstLine(err)}` });
    }
  }
  outputs.reload_ok = reloadOk;
  outputs.reload_max_diff = reloadOk ? finiteOrNull(maxDiff) : null;
  outputs.export_bytes = exportBytes;
  const trained = MODELS.map(({ name }) => outputs[`test_rmse_${name}`]).filter((v): v is number => typeof v === 'number');
  outputs.test_rmse = trained.length === MODELS.length ? Math.max(...trained) : null;
  tf.dispose([xs, ys, vxs, vys, txs]);
  for (const m of models) m.dispose();
  const timings = { prepareMs, trainMs, evaluateMs: Date.now() - tEvaluate };

  const diverged = MODELS.find(({ name }) => curves[name].divergedAt !== undefined);
  if (diverged) {
    return {
      status: 'diverged',
      outputs,
      diagnosis: `loss of the ${diverged.name} model diverged at epoch ${curves[diverged.name].divergedAt} — scale the inputs inside the model, or lower the learning rate`,
      timings,
    };
  }
  return { status: 'completed', outputs, timings };
}
