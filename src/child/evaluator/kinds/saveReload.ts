// Keras models, saved and served: the learner builds the same regression with the Sequential and
// the functional API. Their models may hold code of the learner's own (a custom layer), so the lab's
// loop trains them in the learner's process, side by side, on the eight raw numeric columns (the
// inputs a server would receive) and saves each. Then a fresh process — one that never saw the
// trained models — loads the saved files as a server would and predicts the held-out rows, without
// their labels; the evaluator scores those served predictions and compares them with the trained
// models' own. The structure of each model is read from its saved form here.
import { finiteOrNull, type Hyperparameters, type Metrics } from '../../../core/run/protocol';
import { modelJson } from '../../common/artifacts';
import type { LearnerPredictions, LearnerTrained, TrainPlan } from '../../common/learnerProtocol';
import { encodeMatrix, encodeVector, type Matrix, type ModelArtifacts } from '../../common/wire';
import type { Row } from '../../datasets';
import type { EvalContext, KindResult } from '../context';
import { rmse } from '../measure/leastSquares';
import { labelScaleOf, mean, numericLabels, resolveHp } from './common';
import { predictionsOf } from './customTraining';
import { meanPredictorMse, savedModelEvidence } from '../evidence';
import type { Evidence } from '../../../core/grade/evidence';
import { std } from '../../common/sideBySide';
import { HOUSING_NUMERIC_FEATURES } from '../../datasets/housing';

/** The columns a served model receives, raw: its own layers must do any scaling. */
export const SERVING_COLUMNS = HOUSING_NUMERIC_FEATURES;

const MODELS = [
  { name: 'sequential', builder: 'buildSequential' },
  { name: 'functional', builder: 'buildFunctional' },
];

/** Raw columns; a missing value becomes the training rows' median (as the serving system fills it). */
export function servingInputs(split: { train: Row[]; validation: Row[]; test: Row[] }): {
  train: number[][];
  validation: number[][];
  test: number[][];
  fill: number[];
} {
  const fill = SERVING_COLUMNS.map((c) => {
    const v = split.train
      .map((r) => r[c])
      .filter((x): x is number => typeof x === 'number' && Number.isFinite(x))
      .sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : 0;
  });
  const table = (rows: Row[]) =>
    rows.map((r) => SERVING_COLUMNS.map((c, j) => (typeof r[c] === 'number' && Number.isFinite(r[c]) ? (r[c] as number) : fill[j])));
  return { train: table(split.train), validation: table(split.validation), test: table(split.test), fill };
}

/** What a saved model is made of: its API (class of the model) and its number of weights. */
export function savedStructure(artifacts: ModelArtifacts): { className: string; params: number } {
  let className = 'unknown';
  try {
    const topology = JSON.parse(artifacts.topology) as { class_name?: unknown };
    if (typeof topology.class_name === 'string') className = topology.class_name;
  } catch {
    className = 'unknown';
  }
  const params = artifacts.weightSpecs.reduce((s, w) => s + w.shape.reduce((p, d) => p * d, 1), 0);
  return { className, params };
}

type SavedModel = LearnerTrained['models'][number] & { artifacts: ModelArtifacts };

/** The served predictions: the saved files, loaded afresh in another process; reloadOk is 0 when any model is missing or did not load. */
async function servedPredictions(
  ctx: EvalContext,
  trained: LearnerTrained,
  testMatrix: Matrix,
  rows: number,
): Promise<{ served: Record<string, number[]>; reloadOk: number }> {
  const saved = trained.models.filter((m): m is SavedModel => m.artifacts !== undefined);
  let served: Record<string, number[]> = {};
  let reloadOk = saved.length === MODELS.length ? 1 : 0;
  for (const m of trained.models) if (m.error) ctx.send({ type: 'log', level: 'warn', message: `the ${m.name} model could not be saved: ${m.error}` });
  if (saved.length > 0) {
    try {
      const result = await ctx.serve(
        saved.map((m) => ({ name: m.name, artifacts: m.artifacts })),
        testMatrix,
      );
      served = Object.fromEntries(saved.map((m) => [m.name, predictionsOf(result.test[m.name], rows, 'held-out')]));
    } catch (err) {
      reloadOk = 0;
      ctx.send({ type: 'log', level: 'warn', message: `the saved models did not load back: ${String((err as Error).message).split('\n')[0]}` });
    }
  }
  return { served, reloadOk };
}

export async function evaluateSaveReload(ctx: EvalContext): Promise<KindResult> {
  const { split, label } = ctx.data;
  const inputs = servingInputs(split);
  const width = SERVING_COLUMNS.length;
  const y = { train: numericLabels(split.train, label), validation: numericLabels(split.validation, label), test: numericLabels(split.test, label) };
  const plan: TrainPlan = { trainer: 'fit-side-by-side', models: MODELS, values: ['labelScale', 'hyperparameters'] };
  const t0 = Date.now();
  const testMatrix = encodeMatrix(inputs.test, width);
  const { trained, predictions } = await ctx.train(
    plan,
    {
      inputs: { train: encodeMatrix(inputs.train, width), validation: encodeMatrix(inputs.validation, width) },
      labels: { train: encodeVector(y.train), validation: encodeVector(y.validation) },
    },
    { test: testMatrix, validation: encodeMatrix(inputs.validation, width) },
  );
  const trainMs = Date.now() - t0;
  const tEvaluate = Date.now();
  const hp = resolveHp(ctx, trained.values);
  const labelScale = labelScaleOf(ctx, trained.values);
  const { served, reloadOk } = await servedPredictions(ctx, trained, testMatrix, y.test.length);

  const outputs: Metrics = {
    learning_rate: finiteOrNull(hp.learningRate as number),
    batch_size: (hp.batchSize as number) ?? 64,
    epochs_run: trained.facts.epochs_run ?? null,
  };
  const { artifacts, maxDiff, rmses } = measureModels(outputs, trained, predictions, served, y, labelScale);
  outputs.reload_ok = reloadOk;
  outputs.reload_max_diff = reloadOk ? finiteOrNull(maxDiff) : null;
  outputs.export_bytes = artifacts.reduce((s, a) => s + Buffer.from(a.base64, 'base64').length, 0);
  outputs.test_rmse = rmses.every(Number.isFinite) ? Math.max(...rmses) : null;
  const trainMean = mean(y.train);
  outputs.baseline_rmse = rmse(
    y.test.map(() => trainMean),
    y.test,
  );
  const timings = { prepareMs: 0, trainMs, evaluateMs: Date.now() - tEvaluate };
  const evidence = savedEvidence(
    ctx,
    trained,
    hp,
    y.train.map((v) => v / labelScale),
  );
  const base = { outputs, reported: trained.facts, artifacts, timings, trainedBy: 'learner' as const, evidence };
  if (trained.status === 'diverged') {
    return {
      status: 'diverged',
      diagnosis: `${trained.diagnosis ?? 'the loss diverged'} — scale the inputs inside the model, or lower the learning rate`,
      ...base,
    };
  }
  return { status: 'completed', ...base };
}

/**
 * Each model's errors (served, or trained when it could not be served), its structure and saved
 * files, and how far its served predictions are from its trained ones. Writes into `outputs`.
 */
function measureModels(
  outputs: Metrics,
  trained: LearnerTrained,
  predictions: LearnerPredictions,
  served: Record<string, number[]>,
  y: { validation: number[]; test: number[] },
  labelScale: number,
): { artifacts: { path: string; base64: string }[]; maxDiff: number; rmses: number[] } {
  const artifacts: { path: string; base64: string }[] = [];
  let maxDiff = 0;
  const rmses: number[] = [];
  for (const { name } of MODELS) {
    const model = trained.models.find((m) => m.name === name);
    const trainedTest = predictionsOf(predictions.test[name], y.test.length, 'held-out').map((v) => v * labelScale);
    const trainedVal = predictionsOf(predictions.validation?.[name], y.validation.length, 'validation').map((v) => v * labelScale);
    outputs[`val_rmse_${name}`] = finiteOrNull(rmse(trainedVal, y.validation));
    if (model?.artifacts) {
      const structure = savedStructure(model.artifacts);
      outputs[`params_${name}`] = structure.params;
      if (name === 'sequential') outputs.sequential_api = structure.className === 'Sequential' ? 1 : 0;
      if (name === 'functional') outputs.functional_api = structure.className === 'Sequential' ? 0 : 1;
      artifacts.push(
        { path: `${name}/model.json`, base64: Buffer.from(modelJson(model.artifacts)).toString('base64') },
        { path: `${name}/weights.bin`, base64: model.artifacts.weights },
      );
    }
    const servedTest = served[name]?.map((v) => v * labelScale);
    // The model as served is the one that is graded; without a served model, its trained self.
    const graded = servedTest ?? trainedTest;
    const r = rmse(graded, y.test);
    outputs[`test_rmse_${name}`] = finiteOrNull(r);
    rmses.push(r);
    if (servedTest) {
      let diff = 0;
      for (let k = 0; k < servedTest.length; k++) diff = Math.max(diff, Math.abs(servedTest[k] - trainedTest[k]));
      outputs[`reload_diff_${name}`] = finiteOrNull(diff);
      maxDiff = Math.max(maxDiff, Number.isFinite(diff) ? diff : Infinity);
    } else outputs[`reload_diff_${name}`] = null;
  }
  return { artifacts, maxDiff, rmses };
}

/** The first model's structure, read from its saved topology, and the label as the models learn it. */
function savedEvidence(ctx: EvalContext, trained: LearnerTrained, hp: Hyperparameters, scaledTrain: number[]): Evidence {
  const primary = trained.models.find((m) => m.name === MODELS[0].name)?.artifacts;
  const model = primary
    ? savedModelEvidence(primary.topology, savedStructure(primary).params, {
        optimizer: String(hp.optimizer ?? ctx.manifest.training.optimizer),
        learningRate: typeof hp.learningRate === 'number' ? hp.learningRate : null,
      })
    : undefined;
  return {
    task: 'regression',
    ...(model ? { model } : {}),
    label: { meanAbs: mean(scaledTrain.map(Math.abs)), std: std(scaledTrain) },
    baselineLoss: meanPredictorMse(scaledTrain),
  };
}
