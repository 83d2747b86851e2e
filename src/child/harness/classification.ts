// The classification harness: the learner supplies features (optionally from statistics of the
// training rows), hyperparameters and a model whose last layer gives class probabilities; the harness
// derives the classes from the lab's label column, trains with cross-entropy, and measures on the
// held-out rows what accuracy hides: per-class recall, the confusion matrix, log loss, whether the
// outputs are probabilities at all, and the best linear classifier on the same features.
import type * as tfTypes from '@tensorflow/tfjs';
import type { LabManifest } from '../../core/labManifest';
import { finiteOrNull, type Metrics } from '../../core/protocol';
import { locateExport } from '../../core/sourceLocate';
import type { Row } from '../datasets';
import {
  accuracyOf,
  argmax,
  auc,
  calibrationError,
  confusionMatrix,
  featureScale,
  invalidProbabilityRate,
  logLoss,
  majorityAccuracy,
  recalls,
  safeNames,
} from './classificationMetrics';
import { resolveHyperparameters } from './hyperparameters';
import { fitSoftmaxRegression, predictSoftmaxRegression } from './softmaxRegression';
import { callLearner, callLearnerAsync, ContractError, type HarnessContext, type HarnessResult } from './types';

const PROGRESS_INTERVAL_MS = 100;

type ClassSpec = NonNullable<LabManifest['classification']>;

export interface Labeled {
  /** The rows as the learner sees them: the label column removed. */
  rows: Row[];
  /** Class index of each row. */
  y: number[];
  /** Rows left out because their value is not one of the classes. */
  excluded: number;
}

/** Turns the label column into class indices; for a binary threshold, "median" is taken on the training rows. */
export function makeLabeler(spec: ClassSpec, trainRows: readonly Row[]): { threshold?: number; label(row: Row): number } {
  if (spec.threshold !== undefined) {
    let threshold: number;
    if (spec.threshold === 'median') {
      const v = trainRows
        .map((r) => (r[spec.label] === null || r[spec.label] === undefined ? NaN : Number(r[spec.label])))
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      threshold = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    } else threshold = spec.threshold;
    const value = (row: Row): number => (row[spec.label] === null || row[spec.label] === undefined || row[spec.label] === '' ? NaN : Number(row[spec.label]));
    return { threshold, label: (row) => (Number.isFinite(value(row)) ? (value(row) > threshold ? 1 : 0) : -1) };
  }
  const merge = spec.merge ?? {};
  return {
    label: (row) => {
      const raw = String(row[spec.label]);
      return spec.classes.indexOf(Object.hasOwn(merge, raw) ? merge[raw] : raw);
    },
  };
}

export function labelRows(rows: readonly Row[], column: string, label: (row: Row) => number): Labeled {
  const out: Labeled = { rows: [], y: [], excluded: 0 };
  for (const row of rows) {
    const y = label(row);
    if (y < 0) {
      out.excluded++;
      continue;
    }
    // The model must predict the label, so the learner's code never sees it.
    const copy: Row = { ...row };
    delete copy[column];
    out.rows.push(copy);
    out.y.push(y);
  }
  return out;
}

function entryFile(ctx: HarnessContext): string {
  return ctx.manifest.files[0];
}

function buildFeatures(ctx: HarnessContext, rows: Row[], features: (row: Row, prepared: unknown) => unknown, prepared: unknown, split: string): number[][] {
  const file = entryFile(ctx);
  const at = locateExport(file, ctx.entrySource, 'features');
  const label = ctx.manifest.classification!.label;
  const x: number[][] = [];
  let width = -1;
  let bad = 0;
  let firstBad: string | undefined;
  for (const row of rows) {
    const f = callLearner(() => features(row, prepared));
    if (!Array.isArray(f)) throw new ContractError(`features() must return an array of numbers, but returned ${JSON.stringify(f)}`, at);
    if (width < 0) width = f.length;
    if (f.length !== width || width === 0) {
      throw new ContractError(`features() must return the same number of values for every row (got ${width} and then ${f.length})`, at);
    }
    if (!f.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      bad++;
      firstBad ??= `${JSON.stringify(f)} for ${JSON.stringify(row)}`;
    }
    x.push(f as number[]);
  }
  if (bad > 0) {
    throw new ContractError(
      `features() returned something other than a finite number for ${bad} of ${rows.length} ${split} rows, e.g. ${firstBad}. ` +
        `Check for missing values (null) and divisions by zero. The rows have no "${label}": that is what the model predicts.`,
      at,
    );
  }
  return x;
}

function makeOptimizer(tf: HarnessContext['tf'], name: unknown, learningRate: number): tfTypes.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, 0.9);
    case 'adam':
      return tf.train.adam(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    default:
      throw new ContractError(`hyperparameters.optimizer "${String(name)}" is not one of sgd, momentum, adam, rmsprop, adagrad`);
  }
}

function isLayersModel(m: unknown): m is tfTypes.LayersModel {
  return !!m && typeof (m as tfTypes.LayersModel).fit === 'function' && typeof (m as tfTypes.LayersModel).predict === 'function';
}

/** The activation of the model's last layer ("sigmoid", "softmax", "linear"…), when it has one. */
function headActivation(net: tfTypes.LayersModel): string | undefined {
  const last = net.layers[net.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  return typeof activation === 'string' ? activation : undefined;
}

async function scalarOf(value: unknown): Promise<number | undefined> {
  if (typeof value === 'number') return value;
  if (value && typeof (value as tfTypes.Tensor).data === 'function') return (await (value as tfTypes.Tensor).data())[0];
  return undefined;
}

function formatNumber(x: number): string {
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(3)));
}

/** Rows of class probabilities from the model's raw outputs (one sigmoid output → [1 − p, p]). */
function classProbabilities(raw: Float32Array, rows: number, units: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    if (units === 1) out.push([1 - raw[i], raw[i]]);
    else out.push(Array.from(raw.subarray(i * units, (i + 1) * units)));
  }
  return out;
}

export async function runClassification(ctx: HarnessContext): Promise<HarnessResult> {
  const { tf, learner, manifest } = ctx;
  const spec = manifest.classification;
  if (!spec) throw new Error('lab.json names the classification harness but has no "classification" section');
  const file = entryFile(ctx);
  const missing = manifest.exports.filter((name) => learner[name] === undefined);
  if (missing.length > 0) {
    throw new ContractError(`${file} must export ${missing.map((m) => `"${m}"`).join(', ')}; the lab's harness calls ${missing.length === 1 ? 'it' : 'them'}`);
  }
  const hp = resolveHyperparameters(manifest, learner.hyperparameters, ctx.overrides, file, ctx.entrySource);
  const learningRate = (hp.learningRate as number) ?? 0.01;
  const batchSize = (hp.batchSize as number) ?? 32;
  const epochs = (hp.epochs as number) ?? 10;
  const features = learner.features as (row: Row, prepared: unknown) => unknown;
  if (typeof features !== 'function') throw new ContractError('"features" must be a function (row) => number[]', locateExport(file, ctx.entrySource, 'features'));
  if (learner.prepare !== undefined && typeof learner.prepare !== 'function') {
    throw new ContractError('"prepare" must be a function (rows) => statistics, called once with the training rows', locateExport(file, ctx.entrySource, 'prepare'));
  }
  if (typeof learner.buildModel !== 'function') {
    throw new ContractError('"buildModel" must be a function (numFeatures, numClasses, hyperparameters) => model', locateExport(file, ctx.entrySource, 'buildModel'));
  }

  const tPrepare = Date.now();
  const K = spec.classes.length;
  const names = safeNames(spec.classes);
  const labeler = makeLabeler(spec, ctx.data.split.train);
  const train = labelRows(ctx.data.split.train, spec.label, labeler.label);
  const validation = labelRows(ctx.data.split.validation, spec.label, labeler.label);
  const test = labelRows(ctx.data.split.test, spec.label, labeler.label);
  const excluded = train.excluded + validation.excluded + test.excluded;
  for (const [from, to] of Object.entries(spec.merge ?? {})) {
    const n = ctx.data.split.train.filter((r) => String(r[spec.label]) === from).length;
    ctx.send({ type: 'log', level: 'info', message: `${spec.label} "${from}" is counted as "${to}" (${n} training rows)` });
  }
  if (excluded > 0) ctx.send({ type: 'log', level: 'info', message: `${excluded} rows whose ${spec.label} is not one of the classes were left out` });

  // Statistics for the features come from the training rows only (a copy: the learner may sort them).
  const prepare = learner.prepare as ((rows: Row[]) => unknown) | undefined;
  const prepared = prepare ? callLearner(() => prepare(train.rows.map((r) => ({ ...r })))) : undefined;
  const trainX = buildFeatures(ctx, train.rows, features, prepared, 'training');
  const valX = buildFeatures(ctx, validation.rows, features, prepared, 'validation');
  const testX = buildFeatures(ctx, test.rows, features, prepared, 'test');
  const nFeatures = trainX[0].length;

  const build = learner.buildModel as (numFeatures: number, numClasses: number, hp: unknown) => unknown;
  const model = callLearner(() => build(nFeatures, K, hp));
  if (!isLayersModel(model)) {
    throw new ContractError('buildModel() must return a TensorFlow.js model (tf.sequential() or tf.model())', locateExport(file, ctx.entrySource, 'buildModel'));
  }
  const net = model;
  const outShape = net.outputs[0].shape;
  const units = outShape[outShape.length - 1] ?? 0;
  const binary = K === 2;
  if (!(units === K || (binary && units === 1))) {
    const want = binary ? `1 unit with activation 'sigmoid' (the probability of "${spec.classes[1]}")` : `${K} units (one per class) with activation 'softmax'`;
    throw new ContractError(
      `The model's last layer has ${units} output${units === 1 ? '' : 's'}, but this lab has ${K} classes (${spec.classes.join(', ')}): it needs ${want}. ` +
        (units === 1 ? 'A single sigmoid answers one yes/no question; several exclusive classes need one output each and a softmax across them.' : ''),
      locateExport(file, ctx.entrySource, 'buildModel'),
    );
  }
  const activation = headActivation(net);
  const harnessCompiled = !net.optimizer;
  if (harnessCompiled) {
    net.compile({
      optimizer: makeOptimizer(tf, hp.optimizer ?? manifest.training.optimizer, learningRate),
      loss: units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
  }

  const targets = (y: number[]) => (units === 1 ? tf.tensor2d(y, [y.length, 1]) : tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), K).toFloat()));
  const xs = tf.tensor2d(trainX);
  const ys = targets(train.y);
  const vxs = tf.tensor2d(valX);
  const vys = targets(validation.y);
  const batches = Math.ceil(trainX.length / batchSize);

  ctx.send({
    type: 'started',
    hyperparameters: hp,
    epochs,
    rows: { train: train.rows.length, validation: validation.rows.length, test: test.rows.length },
    features: nFeatures,
  });

  let epochsRun = 0;
  let finalLoss: number | undefined;
  let divergedAt: number | undefined;
  let lastProgress = 0;
  const t0 = Date.now();
  // Losses are read once per epoch (reading every batch's loss costs time on small models).
  class HarnessCallback extends tf.Callback {
    override async onBatchEnd(batch: number): Promise<void> {
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        ctx.send({ type: 'progress', epoch: epochsRun + 1, batch: batch + 1, batches });
      }
    }

    override async onEpochEnd(epoch: number, logs?: tfTypes.Logs): Promise<void> {
      epochsRun = epoch + 1;
      const metrics: Metrics = {};
      for (const [name, keys] of [
        ['loss', ['loss']],
        ['val_loss', ['val_loss']],
        ['acc', ['acc', 'accuracy']],
        ['val_acc', ['val_acc', 'val_accuracy']],
      ] as const) {
        for (const key of keys) {
          const v = await scalarOf(logs?.[key]);
          if (v !== undefined) {
            metrics[name] = finiteOrNull(v);
            break;
          }
        }
      }
      finalLoss = metrics.loss ?? undefined;
      if (metrics.loss === null || metrics.val_loss === null) {
        divergedAt ??= epoch + 1;
        net.stopTraining = true;
      }
      ctx.send({ type: 'epoch', epoch: epoch + 1, metrics, elapsedMs: Date.now() - t0 });
    }
  }
  await callLearnerAsync(() =>
    net.fit(xs, ys, { epochs, batchSize, shuffle: true, validationData: [vxs, vys], verbose: 0, callbacks: [new HarnessCallback()] }),
  );
  const trainMs = Date.now() - t0;
  const tEvaluate = Date.now();

  const raw = tf.tidy(() => (net.predict(tf.tensor2d(testX)) as tfTypes.Tensor).dataSync() as Float32Array);
  tf.dispose([xs, ys, vxs, vys]);
  const probs = classProbabilities(raw, test.y.length, units);
  // Validity is judged on what the model output, before a sigmoid's value becomes [1 − p, p].
  const rawRows = units === 1 ? Array.from(raw, (v) => [v]) : probs;
  const predicted = probs.map((p) => argmax(p));
  const cm = confusionMatrix(test.y, predicted, K);
  const recall = recalls(cm);
  const finiteRecalls = recall.filter((r) => Number.isFinite(r));

  const outputs: Metrics = {
    num_classes: K,
    num_features: nFeatures,
    learning_rate: finiteOrNull(learningRate),
    batch_size: batchSize,
    epochs_run: epochsRun,
    train_seconds: trainMs / 1000,
    rows_excluded: excluded,
    feature_scale: finiteOrNull(featureScale(trainX)),
    test_accuracy: finiteOrNull(accuracyOf(cm)),
    test_log_loss: finiteOrNull(logLoss(probs.map((p, i) => p[test.y[i]]))),
    majority_accuracy: finiteOrNull(majorityAccuracy(train.y, test.y, K)),
    invalid_probabilities: finiteOrNull(invalidProbabilityRate(rawRows)),
    min_recall: finiteRecalls.length ? Math.min(...finiteRecalls) : null,
    balanced_accuracy: finiteRecalls.length ? finiteRecalls.reduce((s, r) => s + r, 0) / finiteRecalls.length : null,
  };
  // The regularization penalty as TensorFlow.js adds it to the loss, and its share of the final loss.
  const penalty = tf.tidy(() => net.calculateLosses().reduce((s, l) => s + l.dataSync()[0], 0));
  outputs.weight_penalty = finiteOrNull(penalty);
  if (finalLoss !== undefined && finalLoss > 0) outputs.penalty_percent = finiteOrNull((100 * penalty) / finalLoss);
  if (labeler.threshold !== undefined) outputs.label_threshold = labeler.threshold;
  names.forEach((name, i) => (outputs[`recall_${name}`] = finiteOrNull(recall[i])));
  cm.forEach((row, i) => row.forEach((count, j) => (outputs[`confusion_${i}_${j}`] = count)));
  if (binary) {
    const positive = test.y.map((y) => y === 1);
    const score = probs.map((p) => p[1]);
    outputs.test_auc = finiteOrNull(auc(score, positive));
    outputs.calibration_error = finiteOrNull(calibrationError(score, positive));
    outputs.positive_rate = positive.filter(Boolean).length / positive.length;
    outputs.mean_predicted = finiteOrNull(score.reduce((s, v) => s + Math.min(1, Math.max(0, v)), 0) / score.length);
  }

  // Yardstick: the best linear classifier (logistic / softmax regression) on the same features.
  const linear = fitSoftmaxRegression(trainX, train.y, K);
  const linearProbs = predictSoftmaxRegression(linear, testX);
  const linearCm = confusionMatrix(
    test.y,
    linearProbs.map((p) => argmax(p)),
    K,
  );
  const linearRecall = recalls(linearCm).filter((r) => Number.isFinite(r));
  outputs.best_linear_log_loss = finiteOrNull(logLoss(linearProbs.map((p, i) => p[test.y[i]])));
  outputs.best_linear_accuracy = finiteOrNull(accuracyOf(linearCm));
  outputs.best_linear_min_recall = linearRecall.length ? Math.min(...linearRecall) : null;
  const timings = { prepareMs: t0 - tPrepare, trainMs, evaluateMs: Date.now() - tEvaluate };

  if (divergedAt !== undefined) {
    const wantHead = units === 1 ? 'sigmoid' : 'softmax';
    const scale = outputs.feature_scale ?? 0;
    const diagnosis =
      activation !== undefined && activation !== wantHead
        ? `loss became NaN at epoch ${divergedAt} — the last layer's activation is '${activation}', but cross-entropy needs probabilities: use activation '${wantHead}'`
        : scale > 100
          ? `loss became NaN at epoch ${divergedAt} — the features reach ${formatNumber(scale)} on average: standardize them so they are around 1`
          : `loss became NaN at epoch ${divergedAt} — learning rate ${formatNumber(learningRate)} is probably too high`;
    return { status: 'diverged', outputs, diagnosis, timings };
  }
  return { status: 'completed', outputs, timings };
}
