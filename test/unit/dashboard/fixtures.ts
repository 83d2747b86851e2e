// Shared test data for the dashboard tests: valid messages of every kind, lab folders with runs and
// studies, and the effects of a dashboard host that records what it was asked to do.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunStore } from '../../../src/core/run/store';
import type { GradeReport } from '../../../src/core/grade/report';
import type { DashboardEffects } from '../../../src/core/dashboard/controller';
import type { Scheduler } from '../../../src/core/dashboard/epochBatcher';
import type { SourceSpan } from '../../../src/core/dashboard/webviewRequests';
import { parseHostToWebview, type HostToWebview, type WebviewToHost } from '../../../src/core/dashboard/protocol';
import { type RunInfo, type RunSnapshot, type StudyDetail, type StudySummary } from '../../../src/core/dashboard/records';
import {
  LocalTrialScheduler,
  runStudy,
  StudySpec,
  type BestTrial,
  type Params,
  type Pruner,
  type StudyOutcome,
  type TrialFunction,
} from '../../../src/core/tuner';

export const TINY_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

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

export const study: StudyDetail = {
  id: '20260101-100000-ab12',
  goal: 'MINIMIZE',
  metric: 'rmse',
  format: 'dollars',
  sampler: 'bayesian',
  maxTrials: 4,
  maxParallelTrials: 2,
  earlyStopping: true,
  counts: { running: 1, completed: 1, pruned: 1, failed: 1, interrupted: 0 },
  best: { number: 1, objective: 0.5 },
  active: true,
  startedAt: '2026-01-01T10:00:00.000Z',
  params: [
    { name: 'learning_rate', type: 'DOUBLE', scale: 'UNIT_LOG_SCALE', min: 0.01, max: 0.1 },
    { name: 'optimizer', type: 'CATEGORICAL', values: ['sgd', 'adam'] },
  ],
  trials: [
    {
      number: 1,
      state: 'completed',
      params: { learning_rate: 0.03, optimizer: 'adam' },
      objective: 0.5,
      durationMs: 1200,
      steps: 3,
      lastStep: 3,
      createdAt: '2026-01-01T10:00:00.000Z',
    },
    {
      number: 2,
      state: 'pruned',
      params: { learning_rate: 0.09, optimizer: 'sgd' },
      objective: 0.9,
      durationMs: 400,
      steps: 2,
      lastStep: 2,
      createdAt: '2026-01-01T10:00:01.000Z',
    },
    {
      number: 3,
      state: 'failed',
      params: { learning_rate: 0.01, optimizer: 'sgd' },
      error: 'the loss diverged',
      steps: 0,
      createdAt: '2026-01-01T10:00:02.000Z',
    },
    { number: 4, state: 'running', params: { learning_rate: 0.02, optimizer: 'adam' }, steps: 1, lastStep: 1, createdAt: '2026-01-01T10:00:03.000Z' },
  ],
  warnings: [],
};

const { params: _params, trials: _trials, warnings: _warnings, ...summary } = study;
export const studySummary: StudySummary = summary;

export const goodHostMessages: HostToWebview[] = [
  { type: 'snapshot', lab: { id: 'hand-tuning', title: 'Hand-tuning', folder: '/labs/h' }, charts: ['loss', 'rmse'], runs: [run], warnings: [] },
  { type: 'run', run: info },
  { type: 'epochs', runId: 'r1', epochs: { epoch: [4, 5], elapsedMs: [40, 50], metrics: { loss: [0.9, 0.8] } } },
  { type: 'grade', runId: 'r1', grade },
  { type: 'charts', charts: ['loss', 'accuracy', 'confusion'] },
  { type: 'studies', studies: [studySummary] },
  { type: 'study', study },
];

export const goodWebviewMessages: WebviewToHost[] = [
  { type: 'ready' },
  { type: 'toggleRun', runId: 'r1', visible: false },
  { type: 'selectRun', runId: 'r1' },
  { type: 'exportCsv', runIds: ['r1'] },
  { type: 'savePng', chart: 'loss', dataUrl: TINY_PNG },
  { type: 'openLocation', file: 'model.ts', line: 12, column: 17, endLine: 12, endColumn: 21 },
  { type: 'selectStudy', studyId: '20260101-100000-ab12' },
  { type: 'selectStudy', studyId: null },
  { type: 'applyBest', studyId: '20260101-100000-ab12', trial: 1 },
  { type: 'openRunCode', runId: '20260101-100000-ab12', compare: true },
];

/** Records what the dashboard host asked of its surroundings; fails a test on any message the webview would drop. */
export class FakeEffects implements DashboardEffects {
  posted: HostToWebview[] = [];
  saved: { kind: string; name: string; bytes: Uint8Array }[] = [];
  opened: { file: string; span: SourceSpan }[] = [];
  applied: { best: BestTrial; studyId: string }[] = [];
  codeOpened: { file: string; previous: string | undefined; title: string }[] = [];
  logs: string[] = [];
  post(m: HostToWebview): void {
    // What the webview will do with it: every message the host sends must pass its validation.
    const r = parseHostToWebview(JSON.parse(JSON.stringify(m)));
    assert.ok(r.ok, `host sent an invalid ${m.type}: ${r.ok ? '' : r.reason}`);
    this.posted.push(m);
  }
  async saveFile(kind: 'png' | 'csv', name: string, bytes: Uint8Array): Promise<void> {
    this.saved.push({ kind, name, bytes });
  }
  async openLocation(file: string, span: SourceSpan): Promise<void> {
    this.opened.push({ file, span });
  }
  async applyBest(best: BestTrial, studyId: string): Promise<void> {
    this.applied.push({ best, studyId });
  }
  async openRunCode(file: string, previous: string | undefined, title: string): Promise<void> {
    this.codeOpened.push({ file, previous, title });
  }
  log(message: string): void {
    this.logs.push(message);
  }
  types(): string[] {
    return this.posted.map((m) => m.type);
  }
  /** Messages of one type, typed. */
  of<T extends HostToWebview['type']>(type: T): Extract<HostToWebview, { type: T }>[] {
    return this.posted.filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type);
  }
}

/** A scheduler whose timers fire only when the test says so. */
export function manualTimer(): { schedule: Scheduler; fire: () => void; pending: () => number } {
  let fns: (() => void)[] = [];
  return {
    schedule: (fn) => {
      fns.push(fn);
      return { cancel: () => void (fns = fns.filter((f) => f !== fn)) };
    },
    fire: () => {
      const now = fns;
      fns = [];
      now.forEach((f) => f());
    },
    pending: () => fns.length,
  };
}

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
  [2, 1.5, 1.2].forEach((loss, i) =>
    good.appendEpoch({ epoch: i + 1, elapsedMs: (i + 1) * 100, metrics: { loss, val_loss: loss + 0.1, val_rmse: 80000 + i } }),
  );
  good.update({ status: 'completed', backend: 'cpu', epochs: 3, epochsPlanned: 3, createdAt: '2026-01-01T10:00:00.000Z' });
  good.writeGrade({ ...grade, runId: good.id });
  good.seal();
  const bad = store.create({ ...base, hyperparameters: { learningRate: 5, batchSize: 32, epochs: 3 } });
  bad.appendEpoch({ epoch: 1, elapsedMs: 100, metrics: { loss: 40, val_loss: 90, val_rmse: 950000 } });
  bad.appendEpoch({ epoch: 2, elapsedMs: 200, metrics: { loss: null, val_loss: null, val_rmse: null } });
  fs.appendFileSync(path.join(bad.dir, 'metrics.jsonl'), '{"epoch":3,"elapsedMs":3');
  bad.update({
    status: 'diverged',
    diagnosis: 'loss diverged at epoch 2 — learning rate 5 is probably too high',
    epochs: 2,
    createdAt: '2026-01-01T10:01:00.000Z',
  });
  const cancelled = store.create({ ...base, hyperparameters: { learningRate: 0.001, batchSize: 8, epochs: 50, optimizer: '=cmd' } });
  cancelled.appendEpoch({ epoch: 1, elapsedMs: 50, metrics: { loss: 3, val_loss: 3.2 } });
  cancelled.update({
    status: 'cancelled',
    failure: { kind: 'cancelled', message: 'the run was cancelled at epoch 1' },
    epochs: 1,
    createdAt: '2026-01-01T10:02:00.000Z',
  });
  return { dir, ids: [good.id, bad.id, cancelled.id] };
}

// ── studies ────────────────────────────────────────────────────────────────────────────────────

/** The course's search space plus a categorical parameter: a log axis, a linear one and names. */
export const STUDY_SPEC: StudySpec = StudySpec.parse({
  goal: 'MINIMIZE',
  hyperparameterMetricTag: 'loss',
  maxTrials: 10,
  maxParallelTrials: 1,
  enableTrialEarlyStopping: true,
  algorithm: 'RANDOM_SEARCH',
  seed: 7,
  params: [
    { parameterName: 'learning_rate', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1, scaleType: 'UNIT_LOG_SCALE' },
    { parameterName: 'batch_size', type: 'INTEGER', minValue: 8, maxValue: 64, scaleType: 'UNIT_LINEAR_SCALE' },
    { parameterName: 'optimizer', type: 'CATEGORICAL', categoricalValues: ['sgd', 'adam', 'rmsprop'] },
  ],
});

/** A smooth bowl with its minimum near lr 0.02, batch 24, adam: what a trial "trains" to. */
export function studyObjective(params: Params): number {
  const lr = Number(params['learning_rate']);
  const batch = Number(params['batch_size']);
  const penalty: Record<string, number> = { sgd: 0.3, adam: 0, rmsprop: 0.1 };
  return 0.2 + (Math.log10(lr) + 1.7) ** 2 + ((batch - 24) / 40) ** 2 + (penalty[String(params['optimizer'])] ?? 1);
}

export interface StudyLabOptions {
  spec?: StudySpec;
  /** Trials the pruner stops at their second step. */
  prune?: number[];
  /** Trials whose code throws. */
  fail?: number[];
  /** The study is cancelled while this trial runs: it ends up interrupted. */
  interruptAt?: number;
  /** Reuses a lab folder. */
  dir?: string;
}

/**
 * A lab folder with a study run by the real tuner and its file storage: each trial reports three
 * steps, then ends with studyObjective; some are pruned, fail or are cut off on request.
 */
export async function labWithStudy(options: StudyLabOptions = {}): Promise<{ dir: string; outcome: StudyOutcome }> {
  const dir = options.dir ?? tempLab();
  const cancel = new AbortController();
  const trialFn: TrialFunction = async (trial, ctx) => {
    if (options.fail?.includes(trial.number)) throw new Error(`trial ${trial.number} ran out of memory (simulated)`);
    if (trial.number === options.interruptAt) {
      cancel.abort();
      return { objective: null, error: 'cancelled' };
    }
    const objective = studyObjective(trial.params);
    for (let step = 1; step <= 3; step++) {
      if (await ctx.report(step, objective * (1 + (3 - step) * 0.5))) return { objective: null, error: 'pruned' };
    }
    return { objective, metrics: { loss: objective } };
  };
  const pruner: Pruner = { prune: (_study, trial) => (options.prune ?? []).includes(trial.number) && trial.intermediate.length >= 2 };
  const outcome = await runStudy({
    labDir: dir,
    spec: options.spec ?? STUDY_SPEC,
    scheduler: new LocalTrialScheduler(trialFn, { cpuCount: 1 }),
    pruner,
    signal: cancel.signal,
  });
  return { dir, outcome };
}
