// Trains several compiled models on the same data in one run, epoch by epoch in lockstep, so their
// curves grow together on the dashboard. Each epoch message carries every model's series, named
// `loss@<name>`, `val_loss@<name>` and `val_rmse@<name>`; the primary model's series also go out
// under the plain names (loss, val_loss, val_rmse) that the standard charts draw. A model whose loss
// stops being a number is stopped and reports null from then on; the others go on.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../core/run/protocol';
import { callLearnerAsync } from './errors';

type Tf = typeof import('@tensorflow/tfjs');

/** Where a training loop reports its curve and its progress. */
export interface TrainingReporter {
  epoch(epoch: number, metrics: Metrics, elapsedMs: number): void;
  progress(epoch: number, batch: number, batches: number): void;
}

const PROGRESS_INTERVAL_MS = 100;

export interface Contender {
  /** Suffix of the model's series, e.g. "good" → val_loss@good. */
  name: string;
  /** Compiled with the squared error of the scaled label. */
  model: tfTypes.LayersModel;
  /** Also report this model's series under the plain names. */
  primary?: boolean;
}

export interface Curve {
  loss: number[];
  valLoss: number[];
  /** 1-based epoch at which a loss became NaN or infinite (training of this model stopped). */
  divergedAt?: number;
}

export interface SideBySideOptions {
  xs: tfTypes.Tensor;
  ys: tfTypes.Tensor;
  vxs: tfTypes.Tensor;
  vys: tfTypes.Tensor;
  epochs: number;
  batchSize: number;
  /** Multiplies the root of the validation loss into the label's own units (val_rmse). */
  labelScale: number;
  contenders: Contender[];
}

export interface SideBySideResult {
  curves: Record<string, Curve>;
  trainMs: number;
}

export function seriesName(metric: string, contender: string): string {
  return `${metric}@${contender}`;
}

export async function trainSideBySide(tf: Tf, reporter: TrainingReporter, opts: SideBySideOptions): Promise<SideBySideResult> {
  const curves: Record<string, Curve> = {};
  for (const c of opts.contenders) curves[c.name] = { loss: [], valLoss: [] };
  const n = opts.xs.shape[0];
  const perModel = Math.ceil(n / opts.batchSize);
  const t0 = Date.now();
  // Only progress is reported per batch: reading every batch's loss back costs time.
  const at = { epoch: 1, offset: 0, batches: 0, last: 0 };
  class Progress extends tf.Callback {
    override async onBatchEnd(batch: number): Promise<void> {
      const now = Date.now();
      if (now - at.last < PROGRESS_INTERVAL_MS) return;
      at.last = now;
      reporter.progress(at.epoch, at.offset + batch + 1, at.batches);
      // Lets the process answer its parent (and notice a dead one) during a long fit.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const active = opts.contenders.filter((c) => curves[c.name].divergedAt === undefined);
    const metrics: Metrics = {};
    for (const c of opts.contenders) {
      const curve = curves[c.name];
      let loss = NaN;
      let valLoss = NaN;
      const index = active.indexOf(c);
      if (index >= 0) {
        Object.assign(at, { epoch, offset: index * perModel, batches: active.length * perModel });
        const history = await callLearnerAsync(() =>
          c.model.fit(opts.xs, opts.ys, {
            epochs: 1,
            batchSize: opts.batchSize,
            shuffle: true,
            validationData: [opts.vxs, opts.vys],
            verbose: 0,
            callbacks: [new Progress()],
          }),
        );
        loss = Number(history.history.loss?.[0]);
        valLoss = Number(history.history.val_loss?.[0]);
        curve.loss.push(loss);
        curve.valLoss.push(valLoss);
        if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) curve.divergedAt = epoch;
      }
      const values: Metrics = {
        loss: finiteOrNull(loss),
        val_loss: finiteOrNull(valLoss),
        val_rmse: finiteOrNull(Math.sqrt(valLoss) * opts.labelScale),
      };
      for (const [k, v] of Object.entries(values)) {
        metrics[seriesName(k, c.name)] = v;
        if (c.primary) metrics[k] = v;
      }
    }
    reporter.epoch(epoch, metrics, Date.now() - t0);
  }
  return { curves, trainMs: Date.now() - t0 };
}

/** Predictions of a model for a 2-D input, multiplied back into the label's units. */
export function predictScaled(tf: Tf, model: tfTypes.LayersModel, x: tfTypes.Tensor, labelScale: number): Float32Array {
  return tf.tidy(() => (model.predict(x) as tfTypes.Tensor).mul(labelScale).dataSync() as Float32Array);
}

export function std(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m += values[i] / values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - m) ** 2 / values.length;
  return Math.sqrt(v);
}
