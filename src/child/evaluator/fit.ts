// The lab's training loop, in the evaluator: model.fit with one callback that reads the losses once
// per epoch (reading every batch's loss back costs time on small models), stops at the first NaN, and
// hands the event loop back now and then so the evaluator keeps answering its host.
import type * as tfTypes from '@tensorflow/tfjs';
import { finiteOrNull, type Metrics } from '../../core/run/protocol';
import { callLearnerAsync } from '../common/errors';
import type { TrainingReporter } from '../common/sideBySide';
import type { Tf } from './context';

const PROGRESS_INTERVAL_MS = 100;

/** Epoch logs may hold numbers or scalar tensors depending on the callback that filled them. */
export async function scalarOf(value: unknown): Promise<number | undefined> {
  if (typeof value === 'number') return value;
  if (value && typeof (value as tfTypes.Tensor).data === 'function') return (await (value as tfTypes.Tensor).data())[0];
  return undefined;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  reporter: TrainingReporter;
  /** The series one epoch shows beside loss and val_loss, from TensorFlow.js's epoch logs. */
  metricsOf(losses: { loss: number; valLoss: number }, logs: tfTypes.Logs | undefined): Promise<Metrics>;
}

export interface FitResult {
  loss: number[];
  valLoss: number[];
  divergedAt?: number;
  trainMs: number;
}

export async function fitWithCurve(
  tf: Tf,
  model: tfTypes.LayersModel,
  data: { xs: tfTypes.Tensor; ys: tfTypes.Tensor; vxs: tfTypes.Tensor; vys: tfTypes.Tensor },
  opts: FitOptions,
): Promise<FitResult> {
  const result: FitResult = { loss: [], valLoss: [], trainMs: 0 };
  const batches = Math.ceil(data.xs.shape[0] / opts.batchSize);
  let lastProgress = 0;
  const t0 = Date.now();
  class Curve extends tf.Callback {
    override async onBatchEnd(batch: number): Promise<void> {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      opts.reporter.progress(result.loss.length + 1, batch + 1, batches);
      await new Promise((resolve) => setImmediate(resolve));
    }

    override async onEpochEnd(epoch: number, logs?: tfTypes.Logs): Promise<void> {
      const loss = (await scalarOf(logs?.loss)) ?? NaN;
      const valLoss = (await scalarOf(logs?.val_loss)) ?? NaN;
      result.loss.push(loss);
      result.valLoss.push(valLoss);
      if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) {
        result.divergedAt ??= epoch + 1;
        model.stopTraining = true;
      }
      const metrics = await opts.metricsOf({ loss, valLoss }, logs);
      opts.reporter.epoch(epoch + 1, { loss: finiteOrNull(loss), val_loss: finiteOrNull(valLoss), ...metrics }, Date.now() - t0);
    }
  }
  // The model is the learner's: TensorFlow.js refusing it (shapes that do not fit) is theirs to fix.
  await callLearnerAsync(() =>
    model.fit(data.xs, data.ys, {
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      shuffle: true,
      validationData: [data.vxs, data.vys],
      verbose: 0,
      callbacks: [new Curve()],
    }),
  );
  result.trainMs = Date.now() - t0;
  return result;
}
