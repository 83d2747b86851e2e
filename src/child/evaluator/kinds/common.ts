// Pieces every lab kind shares in the evaluator: the learner's exported values read as data and
// checked here (the learner's process may report anything), its features decoded and checked against
// the rows the evaluator sent, the labels, and the reporter that relays a curve to the host.
import { locateExport } from '../../../core/source/locate';
import type { Hyperparameters, Metrics } from '../../../core/run/protocol';
import { ContractError } from '../../common/errors';
import { resolveHyperparameters } from '../../common/hyperparameters';
import { toColumns, type LearnerBuilt, type Rows } from '../../common/learnerProtocol';
import type { TrainingReporter } from '../../common/sideBySide';
import { decodeMatrix, toRows, type Matrix } from '../../common/wire';
import type { Row } from '../../datasets';
import type { EvalContext } from '../context';

export function at(ctx: EvalContext, name: string) {
  return locateExport(ctx.entry, ctx.entrySource, name);
}

/** The hyperparameters the lab trains with: the learner's exported values, the tuner's overrides, checked against lab.json. */
export function resolveHp(ctx: EvalContext, values: Record<string, unknown>): Hyperparameters {
  return resolveHyperparameters(ctx.manifest, values.hyperparameters, ctx.start.hyperparameters, ctx.entry, ctx.entrySource);
}

export function labelScaleOf(ctx: EvalContext, values: Record<string, unknown>): number {
  const v = values.labelScale === undefined ? 1 : values.labelScale;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw new ContractError(`labelScale must be a positive number, not ${JSON.stringify(v)}`, at(ctx, 'labelScale'));
  return v;
}

/** The rows of every split without their hidden columns: what the learner's code may see. */
export function learnerRows(ctx: EvalContext, split: { train: Row[]; validation: Row[]; test: Row[] }, hidden = ctx.data.hidden): Rows {
  return { train: toColumns(split.train, hidden), validation: toColumns(split.validation, hidden), test: toColumns(split.test, hidden) };
}

export function numericLabels(rows: readonly Row[], label: string): number[] {
  return rows.map((r) => r[label] as number);
}

export interface FeatureTables {
  train: number[][];
  validation: number[][];
  test: number[][];
  width: number;
}

function table(m: Matrix, rows: number, width: number, split: string): number[][] {
  if (m.rows !== rows || m.cols !== width)
    throw new Error(`the learner's process returned ${m.rows} × ${m.cols} ${split} features for ${rows} rows of width ${width}`);
  const decoded = decodeMatrix(m);
  if ('problem' in decoded) throw new Error(`the learner's ${split} features: ${decoded.problem}`);
  const out = toRows(decoded.values, m.rows, m.cols);
  if (!decoded.values.every(Number.isFinite)) throw new Error(`the learner's ${split} features hold values that are not finite numbers`);
  return out;
}

/** The learner's features, checked: one row per row sent, one width, finite values. */
export function featureTables(built: LearnerBuilt, sent: Rows): FeatureTables {
  if (!built.features) throw new Error("the learner's process returned no features");
  const width = built.features.train.cols;
  if (width < 1) throw new Error("the learner's process returned features of width 0");
  return {
    train: table(built.features.train, sent.train.count, width, 'training'),
    validation: table(built.features.validation, sent.validation.count, width, 'validation'),
    test: table(built.features.test, sent.test.count, width, 'held-out'),
    width,
  };
}

/** Relays a curve to the host, as measured by the lab (source absent) or reported by the learner's process. */
export function reporterFor(ctx: EvalContext, source?: 'learner'): TrainingReporter {
  return {
    epoch: (epoch, metrics: Metrics, elapsedMs) => ctx.send({ type: 'epoch', epoch, metrics, elapsedMs, ...(source ? { source } : {}) }),
    progress: (epoch, batch, batches) => ctx.send({ type: 'progress', epoch, batch, batches }),
  };
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
