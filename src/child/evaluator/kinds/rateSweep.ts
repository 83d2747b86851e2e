// The learning-rate sweep: the learner builds one small network and names three learning rates
// (tooHigh, good, tooLow). The evaluator trains a copy of the network per rate, all from the same
// starting weights (the one saved model, loaded three times), on the same standardized housing
// features, side by side; streams each rate's curve; and says, from the curves it measured itself,
// which rate diverged (or died), which crawled and which converged.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Hyperparameters, type Metrics } from '../../../core/run/protocol';
import { ContractError } from '../../common/errors';
import type { BuildPlan } from '../../common/learnerProtocol';
import { makeOptimizer } from '../../common/optimizers';
import { predictScaled, std, trainSideBySide, type Curve } from '../../common/sideBySide';
import type { Row } from '../../datasets';
import type { ModelArtifacts } from '../../common/wire';
import type { EvalContext, KindResult, Tf } from '../context';
import { fitLeastSquares, predictLinear, rmse } from '../measure/leastSquares';
import { learnerModel } from '../models';
import { columnFacts, meanPredictorMse, modelEvidence } from '../evidence';
import type { Evidence } from '../../../core/grade/evidence';
import { formatNumber, formatSetting } from '../../../core/format';
import { at, mean, reporterFor, resolveHp } from './common';
import { announceTraining, scaledTensors, type Labels } from './labTraining';
import { HOUSING_NUMERIC_FEATURES } from '../../datasets/housing';

/** The rates the learner names, in the order the harness trains and reports them. */
export const RATE_SLOTS = ['tooHigh', 'good', 'tooLow'] as const;
export type RateSlot = (typeof RATE_SLOTS)[number];

/** The numeric columns of the housing data the network sees (ocean_proximity and the label left out). */
export const SWEEP_FEATURES = HOUSING_NUMERIC_FEATURES;
/** The model learns the price in units of $100k. */
export const SWEEP_LABEL_SCALE = 100_000;

/** How a curve is read. Each bound is explained in the lab's instructions. */
export const VERDICT_RULES = {
  /** A final validation loss this many times its own lowest value: the loss jumped and stayed up. */
  blowUpRatio: 2,
  /** Predictions spread less than this fraction of the label's spread: the network outputs a constant. */
  collapsedSpread: 0.01,
  /** Converged: ends within this factor of the best rate's validation RMSE … */
  nearBest: 1.15,
  /** … and within this factor of the best straight line's (least squares on the same inputs). */
  nearLine: 1.1,
  /** Crawling: still making new lows at the end (within 1 %) … */
  atItsLow: 1.01,
  /** … and the validation RMSE still fell by at least this fraction over the last epochs. */
  stillFalling: 0.03,
  fallWindow: 3,
} as const;

export const VERDICTS = ['diverged', 'converged', 'crawling', 'stalled'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CurveFacts {
  /** Validation RMSE per epoch, in the label's units (NaN once diverged). */
  valRmse: number[];
  divergedAt?: number;
  /** Spread (standard deviation) of the final model's validation predictions. */
  predictionStd: number;
}

export interface VerdictDetail {
  verdict: Verdict;
  /** Why, in words, for the run's log. */
  why: string;
}

/**
 * Reads the curves of all rates together: "converged" and "crawling" are relative to the best rate
 * and to the best straight line, so the verdict does not depend on the data's units.
 */
export function judgeCurves(curves: Record<string, CurveFacts>, labelStd: number, lineRmse: number): Record<string, VerdictDetail> {
  const r = VERDICT_RULES;
  const out: Record<string, VerdictDetail> = {};
  const dead = (c: CurveFacts): string | undefined => {
    if (c.divergedAt !== undefined || c.valRmse.length === 0) return `the loss became NaN or infinite at epoch ${c.divergedAt ?? 1}`;
    if (c.predictionStd < r.collapsedSpread * labelStd) return 'the network died: it predicts the same price for every block';
    const last = c.valRmse[c.valRmse.length - 1];
    const low = Math.min(...c.valRmse);
    if ((last / low) ** 2 > r.blowUpRatio) return `the loss jumped to ${((last / low) ** 2).toFixed(1)} × its lowest value and stayed there`;
    return undefined;
  };
  const finals: number[] = [];
  for (const c of Object.values(curves)) if (!dead(c)) finals.push(c.valRmse[c.valRmse.length - 1]);
  const best = finals.length ? Math.min(...finals) : NaN;
  for (const [name, c] of Object.entries(curves)) {
    const why = dead(c);
    if (why) {
      out[name] = { verdict: 'diverged', why };
      continue;
    }
    const v = c.valRmse;
    const last = v[v.length - 1];
    const low = Math.min(...v);
    const from = v[Math.max(0, v.length - 1 - r.fallWindow)];
    const fall = (from - last) / from;
    const money = (x: number) => `$${formatNumber(x)}`;
    if (last <= r.nearBest * best && last <= r.nearLine * lineRmse) {
      out[name] = {
        verdict: 'converged',
        why: `it ended at ${money(last)}, close to the best rate (${money(best)}) and to the best straight line (${money(lineRmse)})`,
      };
    } else if (last <= r.atItsLow * low && fall >= r.stillFalling) {
      out[name] = {
        verdict: 'crawling',
        why: `it ended at ${money(last)}, far above the best rate's ${money(best)}, and was still falling (${(fall * 100).toFixed(0)}% over the last ${r.fallWindow} epochs)`,
      };
    } else {
      out[name] = { verdict: 'stalled', why: `it ended at ${money(last)}, far above the best rate's ${money(best)}, and had stopped improving` };
    }
  }
  return out;
}

/** Standardized feature rows: mean 0, standard deviation 1 on the training rows; a missing value becomes the training median. */
function standardize(rows: Row[][]): number[][][] {
  const train = rows[0];
  const cols = SWEEP_FEATURES.length;
  const fill: number[] = [];
  const mu: number[] = [];
  const sd: number[] = [];
  for (let j = 0; j < cols; j++) {
    const values = train.map((r) => r[SWEEP_FEATURES[j]]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const sorted = [...values].sort((a, b) => a - b);
    fill.push(sorted[Math.floor(sorted.length / 2)] ?? 0);
    mu.push(mean(values));
    sd.push(std(values) || 1);
  }
  return rows.map((part) =>
    part.map((r) =>
      SWEEP_FEATURES.map((name, j) => {
        const v = r[name];
        return ((typeof v === 'number' && Number.isFinite(v) ? v : fill[j]) - mu[j]) / sd[j];
      }),
    ),
  );
}

const OUTPUT_NAME: Record<RateSlot, string> = { tooHigh: 'too_high', good: 'good', tooLow: 'too_low' };

const PLAN: BuildPlan = {
  values: ['hyperparameters'],
  models: [{ name: 'model', builder: 'buildModel', args: ['inputs', 'hyperparameters'], inputs: SWEEP_FEATURES.length }],
};

/** The three rates the learner names, each checked to be a positive number. */
function sweepRates(ctx: EvalContext, hp: Hyperparameters): Record<RateSlot, number> {
  const rates = Object.fromEntries(RATE_SLOTS.map((s) => [s, hp[s]])) as Record<RateSlot, number>;
  for (const s of RATE_SLOTS) {
    if (typeof rates[s] !== 'number' || !(rates[s] > 0)) {
      throw new ContractError(`hyperparameters.${s} must be a positive learning rate, not ${JSON.stringify(rates[s])}`, at(ctx, 'hyperparameters'));
    }
  }
  return rates;
}

/** One network per rate, all starting from the same saved weights, so only the rate differs. */
async function rateModels(
  ctx: EvalContext,
  tf: Tf,
  artifacts: ModelArtifacts,
  optimizer: string,
  rates: Record<RateSlot, number>,
): Promise<tfTypes.LayersModel[]> {
  const nFeatures = SWEEP_FEATURES.length;
  const models: tfTypes.LayersModel[] = [];
  for (const slot of RATE_SLOTS) {
    const model = await learnerModel(tf, artifacts, 'buildModel');
    if (model.inputs[0]?.shape[1] !== nFeatures) {
      throw new ContractError(`buildModel() makes a model for ${model.inputs[0]?.shape[1]} inputs, but the lab gives it ${nFeatures}`, at(ctx, 'buildModel'));
    }
    // The lab owns the optimizer: the rate of this copy is the point of the lab.
    model.compile({ optimizer: makeOptimizer(tf, optimizer, rates[slot]), loss: 'meanSquaredError' });
    models.push(model);
  }
  return models;
}

/** The sweep's rows: standardized features and the labels, per split. */
interface SweepData {
  x: { train: number[][]; validation: number[][]; test: number[][] };
  y: Labels;
}

function sweepData(ctx: EvalContext): SweepData {
  const { train, validation, test } = ctx.data.split;
  const [trainX, valX, testX] = standardize([train, validation, test]);
  const labels = (rows: Row[]) => rows.map((r) => r[ctx.data.label] as number);
  return { x: { train: trainX, validation: valX, test: testX }, y: { train: labels(train), validation: labels(validation), test: labels(test) } };
}

export async function evaluateRateSweep(ctx: EvalContext): Promise<KindResult> {
  // The evaluator's TensorFlow.js loads while the learner's process builds (see EvalContext.build).
  const built = await ctx.build(PLAN);
  const { tf } = await ctx.tf();
  const hp = resolveHp(ctx, built.values);
  const rates = sweepRates(ctx, hp);
  const batchSize = (hp.batchSize as number) ?? 64;
  const epochs = (hp.epochs as number) ?? 10;
  const saved = built.models.find((m) => m.name === 'model');
  if (!saved) throw new ContractError('"buildModel" must be a function (numFeatures) => model', at(ctx, 'buildModel'));

  const tPrepare = Date.now();
  const data = sweepData(ctx);
  const optimizer = String(hp.optimizer ?? ctx.manifest.training.optimizer);
  const models = await rateModels(ctx, tf, saved.artifacts, optimizer, rates);
  const tensors = scaledTensors(tf, data.x, data.y, SWEEP_LABEL_SCALE);
  const rows = { train: data.y.train.length, validation: data.y.validation.length, test: data.y.test.length };
  const good = RATE_SLOTS.indexOf('good');
  // Where the good rate's copy starts (all copies start from the same weights).
  const { initialLoss, prepareMs } = announceTraining(ctx, tf, models[good], tensors, {
    hyperparameters: hp,
    epochs,
    rows,
    features: SWEEP_FEATURES.length,
    tPrepare,
  });

  const { curves, trainMs } = await trainSideBySide(tf, reporterFor(ctx), {
    ...tensors,
    epochs,
    batchSize,
    labelScale: SWEEP_LABEL_SCALE,
    contenders: RATE_SLOTS.map((slot, i) => ({ name: slot, model: models[i], primary: slot === 'good' })),
  });

  const tEvaluate = Date.now();
  const measured = measureRates(tf, models, curves, data, tensors.vxs);
  const verdicts = judgeCurves(measured.facts, measured.labelStd, measured.lineRmse);
  const outputs = sweepOutputs(rates, verdicts, measured, data);
  outputs.batch_size = batchSize;
  outputs.epochs_run = epochs;
  outputs.train_seconds = trainMs / 1000;

  for (const slot of RATE_SLOTS) {
    ctx.send({ type: 'log', level: 'info', message: `${slot} = ${formatSetting(rates[slot])}: ${verdicts[slot].verdict} — ${verdicts[slot].why}` });
  }
  const scaledTrain = data.y.train.map((v) => v / SWEEP_LABEL_SCALE);
  const evidence: Evidence = {
    task: 'regression',
    model: modelEvidence(models[good], { byLab: true, loss: 'meanSquaredError', optimizer, learningRate: rates.good }, { unusedParams: saved.unusedParams }),
    inputs: columnFacts(data.x.train, scaledTrain),
    label: { meanAbs: mean(scaledTrain.map(Math.abs)), std: std(scaledTrain) },
    baselineLoss: meanPredictorMse(scaledTrain),
    ...(initialLoss !== undefined ? { initialLoss } : {}),
  };
  tf.dispose(Object.values(tensors));
  for (const m of models) m.dispose();
  return { status: 'completed', outputs, timings: { prepareMs, trainMs, evaluateMs: Date.now() - tEvaluate }, trainedBy: 'lab', evidence };
}

/** What the evaluator measured of each rate's run, and the yardsticks they are judged against. */
interface RateMeasures {
  facts: Record<string, CurveFacts>;
  testRmse: Record<string, number>;
  /** The spread of the validation labels: what always answering their mean would score. */
  labelStd: number;
  line: number[];
  lineRmse: number;
}

function measureRates(tf: Tf, models: tfTypes.LayersModel[], curves: Record<string, Curve>, data: SweepData, vxs: tfTypes.Tensor): RateMeasures {
  const line = fitLeastSquares(data.x.train, data.y.train);
  const out: RateMeasures = {
    facts: {},
    testRmse: {},
    labelStd: std(data.y.validation),
    line,
    lineRmse: rmse(predictLinear(line, data.x.validation), data.y.validation),
  };
  const txs = tf.tensor2d(data.x.test);
  RATE_SLOTS.forEach((slot, i) => {
    const curve: Curve = curves[slot];
    const valPred = predictScaled(tf, models[i], vxs, SWEEP_LABEL_SCALE);
    out.facts[slot] = {
      valRmse: curve.valLoss.map((l) => Math.sqrt(l) * SWEEP_LABEL_SCALE),
      divergedAt: curve.divergedAt,
      predictionStd: std(valPred),
    };
    out.testRmse[slot] = rmse(predictScaled(tf, models[i], txs, SWEEP_LABEL_SCALE), data.y.test);
  });
  tf.dispose(txs);
  return out;
}

/** The verdicts as counts and flags, each rate's errors and fall, and the yardsticks. */
function sweepOutputs(rates: Record<RateSlot, number>, verdicts: Record<string, VerdictDetail>, m: RateMeasures, data: SweepData): Metrics {
  const outputs: Metrics = {};
  const count = (v: Verdict) => RATE_SLOTS.filter((s) => verdicts[s].verdict === v).length;
  outputs.diverged_count = count('diverged');
  outputs.crawling_count = count('crawling');
  outputs.converged_count = count('converged');
  outputs.stalled_count = count('stalled');
  // Each rate's verdict as flags (too_high_diverged, good_converged, too_low_crawling, too_low_stalled…),
  // and how far its validation error fell: over the last epochs, and from the first epoch to the last.
  for (const slot of RATE_SLOTS) {
    const name = OUTPUT_NAME[slot];
    for (const verdict of VERDICTS) outputs[`${name}_${verdict}`] = verdicts[slot].verdict === verdict ? 1 : 0;
    const v = m.facts[slot].valRmse;
    outputs[`rate_${name}`] = rates[slot];
    outputs[`val_rmse_${name}`] = v.length ? finiteOrNull(v[v.length - 1]) : null;
    outputs[`test_rmse_${name}`] = finiteOrNull(m.testRmse[slot]);
    if (v.length > 1 && v.every(Number.isFinite)) {
      const from = v[Math.max(0, v.length - 1 - VERDICT_RULES.fallWindow)];
      outputs[`${name}_fall_percent`] = (100 * (from - v[v.length - 1])) / from;
      outputs[`${name}_total_fall_percent`] = (100 * (v[0] - v[v.length - 1])) / v[0];
    }
  }
  const finiteFinals = RATE_SLOTS.map((s) => m.facts[s].valRmse[m.facts[s].valRmse.length - 1]).filter((x) => Number.isFinite(x));
  outputs.best_val_rmse = finiteFinals.length ? Math.min(...finiteFinals) : null;
  outputs.test_rmse = finiteOrNull(m.testRmse.good);
  outputs.val_rmse = outputs.val_rmse_good;
  outputs.least_squares_val_rmse = finiteOrNull(m.lineRmse);
  outputs.least_squares_rmse = finiteOrNull(rmse(predictLinear(m.line, data.x.test), data.y.test));
  // The good rate's error as a fraction of the best line's (the bar is set on its spread over seeds).
  if (outputs.test_rmse !== null && outputs.least_squares_rmse) outputs.ratio_to_line = finiteOrNull(outputs.test_rmse / outputs.least_squares_rmse);
  outputs.baseline_rmse = m.labelStd;
  const all = RATE_SLOTS.map((s) => rates[s]);
  outputs.rate_span_decades = Math.log10(Math.max(...all) / Math.min(...all));
  return outputs;
}
