// Runs shaped like a lab's, for the dashboard page: curves from a seeded generator, the snapshots the
// host sends. Used by the browser tests and the render benchmark.
import type { ChartKind, EpochColumns, RunSnapshot } from '../../src/core/dashboard/records';
import type { HostToWebview } from '../../src/core/dashboard/protocol';
import { runLabel } from '../../src/core/dashboard/model';

// ─────────────────────────────────────────────────────────────────────────────

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RunShape {
  id: string;
  learningRate: number;
  batchSize?: number;
  epochs: number;
  /** Loss it settles at (label in $100k, so 0.7 ≈ $84k RMSE). */
  floor?: number;
  /** Epochs to fall most of the way. */
  speed?: number;
  noise?: number;
  divergeAt?: number;
  stopAt?: number;
  seed?: number;
  rmse?: boolean;
  accuracy?: boolean;
  createdAt?: string;
}

/** Epoch columns shaped like the hand-tuning lab's curves (MSE of the price in $100k). */
export function curve(shape: RunShape): EpochColumns {
  const r = rng(shape.seed ?? 1);
  const last = Math.min(shape.epochs, shape.stopAt ?? Infinity, shape.divergeAt ?? Infinity);
  const floor = shape.floor ?? 0.7;
  const speed = shape.speed ?? 6;
  const noise = shape.noise ?? 0.03;
  const c: EpochColumns = { epoch: [], elapsedMs: [], metrics: { loss: [], val_loss: [] } };
  if (shape.rmse !== false) c.metrics['val_rmse'] = [];
  if (shape.accuracy) {
    c.metrics['acc'] = [];
    c.metrics['val_acc'] = [];
  }
  for (let e = 1; e <= last; e++) {
    c.epoch.push(e);
    c.elapsedMs.push(e * 37);
    let loss: number | null = floor + (5.6 - floor) * Math.exp(-e / speed) + noise * (r() - 0.5) * 2;
    let val: number | null = loss * 1.04 + noise * (r() - 0.5) * 2;
    if (shape.divergeAt !== undefined && e >= shape.divergeAt - 1) {
      const blow = Math.pow(30, e - shape.divergeAt + 2);
      loss = e === shape.divergeAt ? null : loss * blow;
      val = e === shape.divergeAt ? null : val * blow * 1.2;
    }
    c.metrics['loss']!.push(loss);
    c.metrics['val_loss']!.push(val);
    c.metrics['val_rmse']?.push(val === null ? null : Math.sqrt(Math.max(val, 0)) * 100000);
    if (shape.accuracy) {
      const acc = 0.5 + 0.45 * (1 - Math.exp(-e / speed)) + noise * (r() - 0.5);
      c.metrics['acc']!.push(Math.min(1, acc));
      c.metrics['val_acc']!.push(Math.min(1, acc - 0.03 + noise * (r() - 0.5)));
    }
  }
  return c;
}

export function snapshotRun(shape: RunShape, extra: Partial<RunSnapshot> = {}): RunSnapshot {
  const hyperparameters = { learningRate: shape.learningRate, batchSize: shape.batchSize ?? 32, epochs: shape.epochs };
  const epochs = curve(shape);
  const run: RunSnapshot = {
    id: shape.id,
    label: runLabel(hyperparameters, shape.id),
    hyperparameters,
    status: shape.divergeAt ? 'diverged' : shape.stopAt ? 'cancelled' : 'completed',
    createdAt: shape.createdAt ?? '2026-01-01T10:00:00.000Z',
    backend: 'cpu',
    epochsPlanned: shape.epochs,
    epochs,
    ...extra,
  };
  if (shape.divergeAt) {
    run.diagnosis = `loss diverged at epoch ${shape.divergeAt} — learning rate ${shape.learningRate} is probably too high`;
    run.marker = { kind: 'diverged', epoch: shape.divergeAt, message: run.diagnosis };
  } else if (shape.stopAt) {
    run.marker = { kind: 'cancelled', epoch: shape.stopAt, message: `the run was cancelled at epoch ${shape.stopAt}` };
  }
  return run;
}

export function snapshot(runs: RunSnapshot[], charts: ChartKind[] = ['loss', 'rmse']): HostToWebview {
  return {
    type: 'snapshot',
    lab: { id: 'hand-tuning', title: 'Hand-tuning a linear model', folder: '/labs/hand-tuning', labelUnit: 'dollars' },
    charts,
    runs,
    warnings: [],
  };
}

/** Three runs a lab typically shows: a rate too low, a good one, and one that blows up at epoch 4. */
export const threeRuns = (): HostToWebview =>
  snapshot([
    snapshotRun({ id: 'slow', learningRate: 0.001, epochs: 30, speed: 40, seed: 1, createdAt: '2026-01-01T10:00:00.000Z' }),
    snapshotRun(
      { id: 'good', learningRate: 0.05, epochs: 30, speed: 4, seed: 2, createdAt: '2026-01-01T10:01:00.000Z' },
      {
        grade: {
          formatVersion: 1,
          lab: 'hand-tuning',
          runId: 'good',
          gradedAt: '2026-01-01T10:02:00.000Z',
          passed: false,
          summary: '5 of 6 checks passed',
          results: [
            { id: 'label-scaled', title: 'The label is scaled', status: 'pass', optional: false, measured: '2.07', bar: '0.1 – 100', message: 'ok' },
            {
              id: 'add-feature',
              title: 'A stronger feature beats the one-feature floor',
              status: 'fail',
              optional: false,
              measured: '$112,904',
              bar: '≤ $95,000',
              message: 'test RMSE is above the bar',
              hint: 'Add median_income to the array features() returns.',
              location: { file: 'model.ts', line: 9, column: 10, endLine: 9, endColumn: 24 },
            },
          ],
        },
      },
    ),
    snapshotRun({ id: 'blowup', learningRate: 5, epochs: 30, divergeAt: 4, seed: 3, createdAt: '2026-01-01T10:02:00.000Z' }),
  ]);
