// Shared test data for the dashboard tests: valid messages of every kind, lab folders with runs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunStore } from '../../../src/core/runStore';
import type { GradeReport } from '../../../src/core/gradeReport';
import type { HostToWebview, RunInfo, RunSnapshot, WebviewToHost } from '../../../src/core/dashboardProtocol';

export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export const grade: GradeReport = {
  formatVersion: 1,
  lab: 'hand-tuning',
  runId: 'r1',
  gradedAt: '2026-01-01T10:00:00.000Z',
  passed: false,
  summary: '4 of 5 checks passed',
  results: [
    {
      id: 'stable',
      title: 'The loss stays stable',
      status: 'fail',
      optional: false,
      measured: '0.51',
      bar: '≤ 1.5 × best',
      message: 'the validation loss rose',
      hint: 'Lower the learning rate.',
      location: { file: 'model.ts', line: 12, column: 17, endLine: 12, endColumn: 21 },
    },
  ],
};

export const info: RunInfo = {
  id: 'r1',
  label: 'lr 0.01 · batch 32',
  hyperparameters: { learningRate: 0.01, batchSize: 32 },
  status: 'completed',
  createdAt: '2026-01-01T09:59:00.000Z',
  backend: 'cpu',
  epochsPlanned: 3,
};

export const run: RunSnapshot = {
  ...info,
  epochs: { epoch: [1, 2, 3], elapsedMs: [10, 20, 30], metrics: { loss: [3, 2, 1], val_loss: [3.5, 2.5, null] } },
  grade,
};

export const goodHostMessages: HostToWebview[] = [
  { type: 'snapshot', lab: { id: 'hand-tuning', title: 'Hand-tuning', folder: '/labs/h' }, charts: ['loss', 'rmse'], runs: [run], warnings: [] },
  { type: 'run', run: info },
  { type: 'epochs', runId: 'r1', epochs: { epoch: [4, 5], elapsedMs: [40, 50], metrics: { loss: [0.9, 0.8] } } },
  { type: 'grade', runId: 'r1', grade },
  { type: 'charts', charts: ['loss', 'accuracy', 'confusion'] },
];

export const goodWebviewMessages: WebviewToHost[] = [
  { type: 'ready' },
  { type: 'toggleRun', runId: 'r1', visible: false },
  { type: 'selectRun', runId: 'r1' },
  { type: 'exportCsv', runIds: ['r1'] },
  { type: 'savePng', chart: 'loss', dataUrl: TINY_PNG },
  { type: 'openLocation', file: 'model.ts', line: 12, column: 17, endLine: 12, endColumn: 21 },
];

export function tempLab(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mllabs-dash-'));
  fs.writeFileSync(path.join(dir, 'model.ts'), 'export const hyperparameters = { learningRate: 0.01 };\n');
  fs.copyFileSync(path.resolve(__dirname, '../../../../lab-templates/hand-tuning/lab.json'), path.join(dir, 'lab.json'));
  return dir;
}

/** A lab folder with a good run, a diverged run with a torn last line, and a cancelled run. */
export function labWithRuns(): { dir: string; ids: string[] } {
  const dir = tempLab();
  const store = new RunStore(dir);
  const base = { lab: 'hand-tuning', seed: 1, backendRequested: 'auto', hostPid: process.pid };
  const good = store.create({ ...base, hyperparameters: { learningRate: 0.01, batchSize: 32, epochs: 3 } });
  [2, 1.5, 1.2].forEach((loss, i) => good.appendEpoch({ epoch: i + 1, elapsedMs: (i + 1) * 100, metrics: { loss, val_loss: loss + 0.1, val_rmse: 80000 + i } }));
  good.update({ status: 'completed', backend: 'cpu', epochs: 3, epochsPlanned: 3, createdAt: '2026-01-01T10:00:00.000Z' });
  good.writeGrade({ ...grade, runId: good.id });
  const bad = store.create({ ...base, hyperparameters: { learningRate: 5, batchSize: 32, epochs: 3 } });
  bad.appendEpoch({ epoch: 1, elapsedMs: 100, metrics: { loss: 40, val_loss: 90, val_rmse: 950000 } });
  bad.appendEpoch({ epoch: 2, elapsedMs: 200, metrics: { loss: null, val_loss: null, val_rmse: null } });
  fs.appendFileSync(path.join(bad.dir, 'metrics.jsonl'), '{"epoch":3,"elapsedMs":3');
  bad.update({ status: 'diverged', diagnosis: 'loss diverged at epoch 2 — learning rate 5 is probably too high', epochs: 2, createdAt: '2026-01-01T10:01:00.000Z' });
  const cancelled = store.create({ ...base, hyperparameters: { learningRate: 0.001, batchSize: 8, epochs: 50, optimizer: '=cmd' } });
  cancelled.appendEpoch({ epoch: 1, elapsedMs: 50, metrics: { loss: 3, val_loss: 3.2 } });
  cancelled.update({ status: 'cancelled', failure: { kind: 'cancelled', message: 'the run was cancelled at epoch 1' }, epochs: 1, createdAt: '2026-01-01T10:02:00.000Z' });
  return { dir, ids: [good.id, bad.id, cancelled.id] };
}
