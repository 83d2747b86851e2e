// Custom training: the learner writes the model function — createModel, predict, loss and trainStep —
// so the model trains in the learner's process (its curve is reported, not measured). The held-out
// sequences go there only after training and without their labels; the evaluator scores the
// predictions that come back, and computes the baselines itself: repeating the last value, the
// average, and the best weighted sum of the inputs (least squares, solved exactly).
import { finiteOrNull, type Metrics } from '../../../core/run/protocol';
import type { TrainPlan } from '../../common/learnerProtocol';
import { decodeMatrix, encodeMatrix, encodeVector, type Matrix } from '../../common/wire';
import type { Row } from '../../datasets';
import type { EvalContext, KindResult } from '../context';
import { fitLeastSquares, predictLinear, rmse } from '../measure/leastSquares';
import { formatNumber } from '../../../core/format';
import { mean, resolveHp } from './common';
import { meanPredictorMse } from '../evidence';
import type { Evidence } from '../../../core/grade/evidence';
import { std } from '../../common/sideBySide';

export interface SequenceTable {
  /** One row of input values per sequence. */
  x: number[][];
  y: number[];
}

/** Inputs and label of sequence rows ({ inputs: number[], <label>: number }). */
export function sequenceTable(rows: Row[], label: string): SequenceTable {
  const x: number[][] = [];
  const y: number[] = [];
  for (const row of rows) {
    const inputs = row.inputs;
    const next = row[label];
    if (!Array.isArray(inputs) || typeof next !== 'number') throw new Error(`the custom-training lab needs rows { inputs: number[], ${label}: number }`);
    x.push(inputs as number[]);
    y.push(next);
  }
  return { x, y };
}

/** The learner's predictions for `rows` rows: one finite-or-not number each. */
export function predictionsOf(m: Matrix | undefined, rows: number, what: string): number[] {
  if (!m || m.rows !== rows || m.cols !== 1)
    throw new Error(`the learner's process returned ${m ? `${m.rows} × ${m.cols}` : 'no'} predictions for ${rows} ${what} sequences`);
  const decoded = decodeMatrix(m);
  if ('problem' in decoded) throw new Error(`the learner's predictions: ${decoded.problem}`);
  return Array.from(decoded.values);
}

const PLAN: TrainPlan = { trainer: 'custom-training', values: ['hyperparameters'] };

export async function evaluateCustomTraining(ctx: EvalContext): Promise<KindResult> {
  const { split, label } = ctx.data;
  const trainT = sequenceTable(split.train, label);
  const valT = sequenceTable(split.validation, label);
  const testT = sequenceTable(split.test, label);
  if (trainT.x.length === 0 || valT.x.length === 0 || testT.x.length === 0) {
    throw new Error('the custom-training lab needs training, validation and test sequences: check data.split in lab.json');
  }
  const width = trainT.x[0].length;
  const t0 = Date.now();
  const { trained, predictions } = await ctx.train(
    PLAN,
    {
      inputs: { train: encodeMatrix(trainT.x, width), validation: encodeMatrix(valT.x, width) },
      labels: { train: encodeVector(trainT.y), validation: encodeVector(valT.y) },
    },
    { test: encodeMatrix(testT.x, width), validation: encodeMatrix(valT.x, width) },
  );
  const trainMs = Date.now() - t0;
  const tEvaluate = Date.now();
  const hp = resolveHp(ctx, trained.values);
  const testPred = predictionsOf(predictions.test.model, testT.y.length, 'held-out');
  const valPred = predictionsOf(predictions.validation?.model, valT.y.length, 'validation');
  const trainMean = mean(trainT.y);
  const last = (t: { x: number[][] }) => t.x.map((row) => row[row.length - 1]);
  const outputs: Metrics = {
    test_rmse: finiteOrNull(rmse(testPred, testT.y)),
    test_mae: finiteOrNull(testT.y.reduce((s, v, i) => s + Math.abs(testPred[i] - v), 0) / testT.y.length),
    val_rmse: finiteOrNull(rmse(valPred, valT.y)),
    last_value_rmse: rmse(last(testT), testT.y),
    baseline_rmse: rmse(
      testT.y.map(() => trainMean),
      testT.y,
    ),
    least_squares_rmse: finiteOrNull(rmse(predictLinear(fitLeastSquares(trainT.x, trainT.y), testT.x), testT.y)),
    learning_rate: finiteOrNull(hp.learningRate as number),
    batch_size: (hp.batchSize as number) ?? 32,
  };
  const timings = { prepareMs: 0, trainMs, evaluateMs: Date.now() - tEvaluate };
  const evidence: Evidence = {
    task: 'regression',
    label: { meanAbs: mean(trainT.y.map(Math.abs)), std: std(trainT.y) },
    baselineLoss: meanPredictorMse(trainT.y),
  };
  const base = { outputs, reported: trained.facts, timings, trainedBy: 'learner' as const, evidence };
  if (trained.status === 'diverged') {
    const diagnosis = `${trained.diagnosis ?? 'the loss became NaN'} — learning rate ${formatNumber(hp.learningRate as number)} is probably too high for ${String(hp.optimizer ?? ctx.manifest.training.optimizer)}; divide it by 3 to 10`;
    return { status: 'diverged', diagnosis, ...base };
  }
  return { status: 'completed', ...base };
}
