// Classification: the learner's code supplies features (optionally from statistics of the training
// rows), hyperparameters and a model whose last layer gives class probabilities. The evaluator derives
// the classes from the lab's label column (the learner's rows never carry it), trains with
// cross-entropy, and measures on the held-out rows what accuracy hides: per-class recall, the
// confusion matrix, log loss, whether the outputs are probabilities at all, and the best linear
// classifier on the same features.
import type * as tfTypes from '@tensorflow/tfjs';
import type { LabManifest } from '../../../core/lab/manifest';
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import { ContractError } from '../../common/errors';
import type { BuildPlan } from '../../common/learnerProtocol';
import type { Row } from '../../datasets';
import type { EvalContext, KindResult, Tf } from '../context';
import { fitWithCurve, type FitResult } from '../fit';
import {
  accuracyOf,
  argmax,
  auc,
  calibrationError,
  confusionMatrix,
  invalidProbabilityRate,
  logLoss,
  majorityAccuracy,
  recalls,
  safeNames,
} from '../measure/classificationMetrics';
import { fitSoftmaxRegression, predictSoftmaxRegression } from '../measure/softmaxRegression';
import { compileModel, learnerModel, type Compiled } from '../models';
import { inputScale, inputsSeen, modelEvidence, penaltyShare, priorCrossEntropy } from '../evidence';
import { contractProblems, headFits, lossFits } from '../../../core/grade/contract';
import type { Evidence } from '../../../core/grade/evidence';
import { formatNumber } from '../../../core/format';
import { at, featureTables, learnerRows, reporterFor, resolveHp, type FeatureTables } from './common';
import { announceTraining } from './labTraining';

type ClassSpec = NonNullable<LabManifest['classification']>;

export interface Labeled {
  rows: Row[];
  /** Class index of each row. */
  y: number[];
  /** Rows left out because their value is not one of the classes. */
  excluded: number;
}

/** Turns the label column into class indices; for a binary threshold, "median" is taken on the training rows. */
export function makeLabeler(spec: ClassSpec, trainRows: readonly Row[]): { threshold?: number; label: (row: Row) => number } {
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

/** The rows whose label is one of the classes, with their class indices. */
export function labelRows(rows: readonly Row[], _column: string, label: (row: Row) => number): Labeled {
  const out: Labeled = { rows: [], y: [], excluded: 0 };
  for (const row of rows) {
    const y = label(row);
    if (y < 0) {
      out.excluded++;
      continue;
    }
    out.rows.push(row);
    out.y.push(y);
  }
  return out;
}

/** The activation of the model's last layer ("sigmoid", "softmax", "linear"…), when it has one. */
function headActivation(net: tfTypes.LayersModel): string | undefined {
  const last = net.layers[net.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  return typeof activation === 'string' ? activation : undefined;
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

/** The lab's rows as classes: the labeler, the rows of each split whose label is a class, and how many were left out. */
interface ClassRows {
  labeler: ReturnType<typeof makeLabeler>;
  train: Labeled;
  validation: Labeled;
  test: Labeled;
  excluded: number;
}

function classRows(ctx: EvalContext, spec: ClassSpec): ClassRows {
  const { split } = ctx.data;
  const labeler = makeLabeler(spec, split.train);
  const train = labelRows(split.train, spec.label, labeler.label);
  const validation = labelRows(split.validation, spec.label, labeler.label);
  const test = labelRows(split.test, spec.label, labeler.label);
  const excluded = train.excluded + validation.excluded + test.excluded;
  for (const [from, to] of Object.entries(spec.merge ?? {})) {
    const n = split.train.filter((r) => String(r[spec.label]) === from).length;
    ctx.send({ type: 'log', level: 'info', message: `${spec.label} "${from}" is counted as "${to}" (${n} training rows)` });
  }
  if (excluded > 0) ctx.send({ type: 'log', level: 'info', message: `${excluded} rows whose ${spec.label} is not one of the classes were left out` });
  return { labeler, train, validation, test, excluded };
}

/** The model's output units, checked against the classes and the features' width. */
function checkedUnits(ctx: EvalContext, spec: ClassSpec, net: tfTypes.LayersModel, width: number): number {
  const K = spec.classes.length;
  const outShape = net.outputs[0].shape;
  const units = outShape[outShape.length - 1] ?? 0;
  const binary = K === 2;
  if (!(units === K || (binary && units === 1))) {
    const want = binary ? `1 unit with activation 'sigmoid' (the probability of "${spec.classes[1]}")` : `${K} units (one per class) with activation 'softmax'`;
    throw new ContractError(
      `The model's last layer has ${units} output${units === 1 ? '' : 's'}, but this lab has ${K} classes (${spec.classes.join(', ')}): it needs ${want}. ` +
        (units === 1 ? 'A single sigmoid answers one yes/no question; several exclusive classes need one output each and a softmax across them.' : ''),
      at(ctx, 'buildModel'),
    );
  }
  if (net.inputs[0]?.shape[1] !== width) {
    throw new ContractError(
      `buildModel() makes a model for ${net.inputs[0]?.shape[1]} inputs, but features() returns ${width} values per row`,
      at(ctx, 'buildModel'),
    );
  }
  return units;
}

/** The accuracy series of one epoch, under either name TensorFlow.js logs it by. */
async function accuracyMetrics(_losses: unknown, logs: tfTypes.Logs | undefined): Promise<Metrics> {
  const out: Metrics = {};
  for (const [name, keys] of [
    ['acc', ['acc', 'accuracy']],
    ['val_acc', ['val_acc', 'val_accuracy']],
  ] as const) {
    for (const key of keys) {
      const v = logs?.[key];
      if (typeof v === 'number') {
        out[name] = finiteOrNull(v);
        break;
      }
    }
  }
  return out;
}

export async function evaluateClassification(ctx: EvalContext): Promise<KindResult> {
  const spec = ctx.manifest.classification;
  if (!spec) throw new Error('lab.json names the classification harness but has no "classification" section');
  const K = spec.classes.length;
  const rows = classRows(ctx, spec);
  const { train, validation, test } = rows;

  // The learner's rows lack the column the classes come from (the data set's own label may be an input here).
  const hidden = [spec.label, ...ctx.data.hidden.filter((c) => c !== ctx.data.label)];
  const sent = learnerRows(ctx, { train: train.rows, validation: validation.rows, test: test.rows }, hidden);
  const plan: BuildPlan = {
    values: ['hyperparameters'],
    features: { prepare: true },
    models: [{ name: 'model', builder: 'buildModel', args: ['inputs', 'classes', 'hyperparameters'], classes: K }],
  };
  // The evaluator's TensorFlow.js loads while the learner's process builds (see EvalContext.build).
  const built = await ctx.build(plan, sent, spec.label);
  const { tf } = await ctx.tf();
  const tPrepare = Date.now();
  const hp = resolveHp(ctx, built.values);
  const learningRate = (hp.learningRate as number) ?? 0.01;
  const batchSize = (hp.batchSize as number) ?? 32;
  const epochs = (hp.epochs as number) ?? 10;
  const X = featureTables(built, sent);
  const saved = built.models.find((m) => m.name === 'model');
  if (!saved) throw new ContractError('"buildModel" must be a function (numFeatures, numClasses, hyperparameters) => model', at(ctx, 'buildModel'));
  const net = await learnerModel(tf, saved.artifacts, 'buildModel');
  const units = checkedUnits(ctx, spec, net, X.width);
  const activation = headActivation(net);
  const compiled = compileModel(tf, net, saved.artifacts, {
    loss: units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy',
    optimizer: hp.optimizer ?? ctx.manifest.training.optimizer,
    learningRate,
    metrics: ['accuracy'],
    builder: 'buildModel',
  });

  // One-hot rows, or the class numbers themselves for a loss that takes them (sparse categorical cross-entropy).
  const sparse = /^sparse/i.test(compiled.loss);
  const targets = (y: number[]) => (units === 1 || sparse ? tf.tensor2d(y, [y.length, 1]) : tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), K).toFloat()));
  const tensors = { xs: tf.tensor2d(X.train), ys: targets(train.y), vxs: tf.tensor2d(X.validation), vys: targets(validation.y) };
  const counts = { train: train.rows.length, validation: validation.rows.length, test: test.rows.length };
  const { initialLoss, prepareMs } = announceTraining(ctx, tf, net, tensors, { hyperparameters: hp, epochs, rows: counts, features: X.width, tPrepare });
  const fit = await fitWithCurve(tf, net, tensors, { epochs, batchSize, reporter: reporterFor(ctx), metricsOf: accuracyMetrics });

  const tEvaluate = Date.now();
  const raw = tf.tidy(() => (net.predict(tf.tensor2d(X.test)) as tfTypes.Tensor).dataSync() as Float32Array);
  tf.dispose(Object.values(tensors));
  const measured = { tf, net, compiled, fit, raw, units, unusedParams: saved.unusedParams, learningRate, batchSize };
  const { outputs, evidence } = classificationOutputs(spec, rows, X, measured, initialLoss);
  net.dispose();
  const timings = { prepareMs, trainMs: fit.trainMs, evaluateMs: Date.now() - tEvaluate };

  if (fit.divergedAt !== undefined) {
    const diagnosis = divergence(fit.divergedAt, activation, units === 1 ? 'sigmoid' : 'softmax', outputs.feature_scale ?? 0, learningRate);
    return { status: 'diverged', outputs, diagnosis, timings, trainedBy: 'lab', evidence };
  }
  return { status: 'completed', outputs, timings, trainedBy: 'lab', evidence };
}

/** The trained model and what the measurement needs of its training. */
interface Measured {
  tf: Tf;
  net: tfTypes.LayersModel;
  compiled: Compiled;
  fit: FitResult;
  /** The model's outputs on the held-out rows, as it gave them. */
  raw: Float32Array;
  units: number;
  unusedParams: number | undefined;
  learningRate: number;
  batchSize: number;
}

/** What accuracy hides, measured on the held-out rows, the model contract, and the evidence for a diagnosis. */
function classificationOutputs(
  spec: ClassSpec,
  rows: ClassRows,
  X: FeatureTables,
  m: Measured,
  initialLoss: number | undefined,
): { outputs: Metrics; evidence: Evidence } {
  const { tf, net, fit, units } = m;
  const { train, test } = rows;
  const K = spec.classes.length;
  const binary = K === 2;
  const probs = classProbabilities(m.raw, test.y.length, units);
  // Validity is judged on what the model output, before a sigmoid's value becomes [1 − p, p].
  const rawRows = units === 1 ? Array.from(m.raw, (v) => [v]) : probs;
  const predicted = probs.map((p) => argmax(p));
  const cm = confusionMatrix(test.y, predicted, K);
  const recall = recalls(cm);
  const finiteRecalls = recall.filter((r) => Number.isFinite(r));
  const finalLoss = fit.loss[fit.loss.length - 1];
  const task = binary ? 'binary' : 'multiclass';
  const model = modelEvidence(net, m.compiled, { penaltyShare: penaltyShare(tf, net, finalLoss), unusedParams: m.unusedParams });
  // What the first trainable layer receives: the features, or what a layer inside the model makes of them.
  const seen = inputsSeen(tf, net, X.train, binary ? train.y : undefined);

  const outputs: Metrics = {
    num_classes: K,
    num_features: X.width,
    learning_rate: finiteOrNull(m.learningRate),
    batch_size: m.batchSize,
    epochs_run: fit.loss.length,
    train_seconds: fit.trainMs / 1000,
    rows_excluded: rows.excluded,
    feature_scale: finiteOrNull(inputScale(seen)),
    test_accuracy: finiteOrNull(accuracyOf(cm)),
    test_log_loss: finiteOrNull(logLoss(probs.map((p, i) => p[test.y[i]]))),
    majority_accuracy: finiteOrNull(majorityAccuracy(train.y, test.y, K)),
    invalid_probabilities: finiteOrNull(invalidProbabilityRate(rawRows)),
    min_recall: finiteRecalls.length ? Math.min(...finiteRecalls) : null,
    balanced_accuracy: finiteRecalls.length ? finiteRecalls.reduce((s, r) => s + r, 0) / finiteRecalls.length : null,
  };
  // The model contract: an output layer and a loss that make the outputs class probabilities.
  outputs.contract_problems = contractProblems(task, model, K);
  outputs.head_fits = headFits(task, model, K) ? 1 : 0;
  outputs.loss_fits = lossFits(task, model) ? 1 : 0;
  outputs.hidden_activations = model.hiddenActivations;
  // The regularization penalty as TensorFlow.js adds it to the loss, and its share of the final loss.
  const penalty = tf.tidy(() => net.calculateLosses().reduce((s, l) => s + l.dataSync()[0], 0));
  outputs.weight_penalty = finiteOrNull(penalty);
  if (finalLoss !== undefined && finalLoss > 0) outputs.penalty_percent = finiteOrNull((100 * penalty) / finalLoss);
  if (rows.labeler.threshold !== undefined) outputs.label_threshold = rows.labeler.threshold;
  safeNames(spec.classes).forEach((name, i) => (outputs[`recall_${name}`] = finiteOrNull(recall[i])));
  cm.forEach((row, i) => row.forEach((count, j) => (outputs[`confusion_${i}_${j}`] = count)));
  if (binary) Object.assign(outputs, binaryOutputs(test.y, probs));
  Object.assign(outputs, linearYardstick(X, train.y, test.y, K, outputs.test_log_loss));
  const evidence: Evidence = { task, model, inputs: seen, initialLoss, baselineLoss: priorCrossEntropy(train.y, K) };
  return { outputs, evidence };
}

/** Ranking, calibration and the share of positives, for two classes. */
function binaryOutputs(y: number[], probs: number[][]): Metrics {
  const positive = y.map((c) => c === 1);
  const score = probs.map((p) => p[1]);
  return {
    test_auc: finiteOrNull(auc(score, positive)),
    calibration_error: finiteOrNull(calibrationError(score, positive)),
    positive_rate: positive.filter(Boolean).length / positive.length,
    mean_predicted: finiteOrNull(score.reduce((s, v) => s + Math.min(1, Math.max(0, v)), 0) / score.length),
  };
}

/** Yardstick: the best linear classifier (logistic / softmax regression) on the same features. */
function linearYardstick(X: FeatureTables, trainY: number[], testY: number[], K: number, testLogLoss: number | null): Metrics {
  const linear = fitSoftmaxRegression(X.train, trainY, K);
  const linearProbs = predictSoftmaxRegression(linear, X.test);
  const linearCm = confusionMatrix(
    testY,
    linearProbs.map((p) => argmax(p)),
    K,
  );
  const linearRecall = recalls(linearCm).filter((r) => Number.isFinite(r));
  const outputs: Metrics = {
    best_linear_log_loss: finiteOrNull(logLoss(linearProbs.map((p, i) => p[testY[i]]))),
    best_linear_accuracy: finiteOrNull(accuracyOf(linearCm)),
    best_linear_min_recall: linearRecall.length ? Math.min(...linearRecall) : null,
  };
  // How far from that optimum (the bars of the labs are set on this ratio's spread over seeds).
  if (testLogLoss !== null && outputs.best_linear_log_loss) outputs.log_loss_ratio = finiteOrNull(testLogLoss / outputs.best_linear_log_loss);
  return outputs;
}

function divergence(epoch: number, activation: string | undefined, wantHead: string, scale: number, learningRate: number): string {
  return activation !== undefined && activation !== wantHead
    ? `loss became NaN at epoch ${epoch} — the last layer's activation is '${activation}', but cross-entropy needs probabilities: use activation '${wantHead}'`
    : scale > 100
      ? `loss became NaN at epoch ${epoch} — the features reach ${formatNumber(scale)} on average: standardize them so they are around 1`
      : `loss became NaN at epoch ${epoch} — learning rate ${formatNumber(learningRate)} is probably too high`;
}
