import * as path from 'path';
import * as fs from 'fs';
// The studies view, host side: the study messages and their schemas, and what the controller sends
// for studies run by the real tuner into a lab folder (finished, live, broken).
import * as assert from 'assert';
import { DashboardController } from '../../../src/core/dashboard/controller';
import { formatDuration } from '../../../src/core/format';
import { bestSoFar, categoryPosition, objectiveFormat, paramAxis } from '../../../src/core/dashboard/studyModel';
import { DashboardViewState, DEFAULT_VIEW_STATE, parseHostToWebview, parseWebviewToHost } from '../../../src/core/dashboard/protocol';
import { LIMITS, STUDY_PARAM_TYPES, STUDY_SCALES, STUDY_TRIAL_STATES, type StudySummary } from '../../../src/core/dashboard/records';
import { RunStore } from '../../../src/core/run/store';
import {
  LocalTrialScheduler,
  PARAMETER_TYPES,
  readStudy,
  runStudy,
  SCALE_TYPES,
  StudySpec,
  TRIAL_STATES,
  type StudyEvent,
  type TrialResult,
} from '../../../src/core/tuner';
import { FakeEffects, labWithStudy, manualTimer, study, STUDY_SPEC, studyObjective, tempLab } from './fixtures';

/** The study list as the webview last received it (with a snapshot, or on its own). */
function lastList(fx: FakeEffects): StudySummary[] {
  const m = fx.posted.filter((m) => m.type === 'studies' || m.type === 'snapshot').at(-1);
  return m?.type === 'studies' ? m.studies : m?.type === 'snapshot' ? (m.studies ?? []) : [];
}

function rejectsHost(raw: unknown): string {
  const r = parseHostToWebview(JSON.parse(JSON.stringify(raw)));
  assert.strictEqual(r.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 300)}`);
  return r.ok ? '' : r.reason;
}

function rejectsWebview(raw: unknown): void {
  assert.strictEqual(parseWebviewToHost(raw).ok, false, `accepted ${JSON.stringify(raw)}`);
}

describe('dashboard studies: protocol', () => {
  it('keeps its lists equal to the tuner’s', () => {
    assert.deepStrictEqual([...STUDY_TRIAL_STATES], [...TRIAL_STATES]);
    assert.deepStrictEqual([...STUDY_PARAM_TYPES], [...PARAMETER_TYPES]);
    assert.deepStrictEqual([...STUDY_SCALES], [...SCALE_TYPES]);
  });

  it('rejects forged studies: ids that leave the folder, unknown states, a best that is not a completed trial', () => {
    const trials = study.trials;
    const forged: unknown[] = [
      { ...study, id: '../../etc' },
      { ...study, id: '.mllabs' },
      { ...study, trials: [{ ...trials[0], state: 'hacked' }] },
      { ...study, trials: [trials[1], trials[0]] },
      { ...study, trials: [trials[0], trials[0]] },
      { ...study, best: { number: 2, objective: 0.9 } },
      { ...study, best: { number: 1, objective: 0.1 } },
      { ...study, best: { number: 9, objective: 0.5 } },
      { ...study, trials: [{ ...trials[0], objective: '0.5' }, ...trials.slice(1)] },
      { ...study, trials: [{ ...trials[0], params: { constructor: 1 } }, ...trials.slice(1)] },
      { ...study, trials: [{ ...trials[0], params: { learning_rate: { $gt: 1 } } }, ...trials.slice(1)] },
      { ...study, trials: [{ ...trials[0], error: 'x'.repeat(LIMITS.trialError + 1) }, ...trials.slice(1)] },
      { ...study, params: [] },
      { ...study, params: [{ name: 'lr', type: 'DOUBLE', scale: 'UNIT_SQUARE_SCALE' }] },
      { ...study, counts: { ...study.counts, running: -1 } },
      { ...study, sampler: 'evolution' },
    ];
    for (const s of forged) rejectsHost({ type: 'study', study: s });
    const many = Array.from({ length: LIMITS.trials + 1 }, (_, i) => ({ ...trials[2], number: i + 1 }));
    rejectsHost({ type: 'study', study: { ...study, best: undefined, trials: many } });
    rejectsHost({ type: 'studies', studies: [{ ...study, id: 'a/b' }] });
    rejectsHost({ type: 'studies', studies: 'all' });
    const reason = rejectsHost({ type: 'study', study: { ...study, best: { number: 2, objective: 0.9 } } });
    assert.match(reason, /^"study": study\.best: the best is not a completed trial/);
  });

  it('accepts only study ids and trial numbers from the webview', () => {
    for (const studyId of ['../x', '.hidden', 'a/b', 'a\\b', '', 'x'.repeat(101), 42]) {
      rejectsWebview({ type: 'selectStudy', studyId });
      rejectsWebview({ type: 'applyBest', studyId, trial: 1 });
    }
    rejectsWebview({ type: 'selectStudy' });
    for (const trial of [0, -1, 1.5, '1', null]) rejectsWebview({ type: 'applyBest', studyId: study.id, trial });
    rejectsWebview({ type: 'applyBest', studyId: study.id });
  });

  it('keeps the study shown and its log scale in the saved view state', () => {
    assert.ok(DashboardViewState.safeParse({ ...DEFAULT_VIEW_STATE, study: study.id, studyLogScale: true }).success);
    assert.ok(!DashboardViewState.safeParse({ ...DEFAULT_VIEW_STATE, study: '../x' }).success);
  });
});

describe('dashboard studies: model', () => {
  it('draws the best so far from completed trials only, for either goal', () => {
    const trials = [
      { state: 'completed' as const, objective: 3 },
      { state: 'pruned' as const, objective: 1 },
      { state: 'failed' as const },
      { state: 'completed' as const, objective: 2 },
      { state: 'completed' as const, objective: 4 },
    ];
    assert.deepStrictEqual(bestSoFar(trials, 'MINIMIZE'), [3, 3, 3, 2, 2]);
    assert.deepStrictEqual(bestSoFar(trials, 'MAXIMIZE'), [3, 3, 3, 3, 4]);
    assert.deepStrictEqual(bestSoFar([{ state: 'running' }, { state: 'completed', objective: 1 }], 'MINIMIZE'), [null, 1]);
  });

  it('puts log-scaled ranges on a log axis and categories on a named one', () => {
    assert.strictEqual(paramAxis({ type: 'DOUBLE', scale: 'UNIT_LOG_SCALE' }), 'log');
    assert.strictEqual(paramAxis({ type: 'DISCRETE', scale: 'UNIT_LOG_SCALE' }), 'log');
    assert.strictEqual(paramAxis({ type: 'INTEGER', scale: 'UNIT_LINEAR_SCALE' }), 'linear');
    assert.strictEqual(paramAxis({ type: 'DOUBLE', scale: 'UNIT_REVERSE_LOG_SCALE' }), 'linear');
    assert.strictEqual(paramAxis({ type: 'CATEGORICAL' }), 'category');
    for (let n = 1; n < 50; n++) {
      const x = categoryPosition(2, n);
      assert.ok(x > 1.74 && x < 2.26, `trial ${n} stays within its category (${x})`);
      assert.strictEqual(categoryPosition(2, n), x, 'and always at the same place');
    }
  });

  it('reads errors in dollars only where the label is a price, accuracy in percent, durations in words', () => {
    assert.strictEqual(objectiveFormat('rmse', 'dollars'), 'dollars');
    assert.strictEqual(objectiveFormat('val_mae', 'dollars'), 'dollars');
    assert.strictEqual(objectiveFormat('rmse', undefined), 'number');
    assert.strictEqual(objectiveFormat('loss', 'dollars'), 'number');
    assert.strictEqual(objectiveFormat('accuracy', undefined), 'percent');
    assert.strictEqual(objectiveFormat('val_acc', 'dollars'), 'percent');
    assert.strictEqual(objectiveFormat('f1', undefined), 'number');
    assert.deepStrictEqual([850, 12_400, 185_000, 3_725_000].map(formatDuration), ['850 ms', '12 s', '3 min 05 s', '1 h 02 min']);
    assert.strictEqual(formatDuration(4_250), '4.3 s');
  });
});

describe('dashboard studies: host side', function () {
  this.timeout(30_000);

  it('lists the lab’s studies with the snapshot and sends one in full when the webview selects it', async () => {
    const { dir, outcome } = await labWithStudy({ prune: [4], fail: [6], interruptAt: 10 });
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx, { schedule: manualTimer().schedule });
    await c.receive({ type: 'ready' });
    assert.deepStrictEqual(fx.types(), ['snapshot']);
    const [summary] = fx.of('snapshot')[0]!.studies ?? [];
    assert.ok(summary, 'the snapshot lists the study');
    assert.strictEqual(summary.id, outcome.studyId);
    assert.deepStrictEqual(summary.counts, { running: 0, completed: 7, pruned: 1, failed: 1, interrupted: 1 });
    assert.strictEqual(summary.active, false);
    assert.strictEqual(summary.sampler, 'random');
    assert.strictEqual(summary.metric, 'loss');
    assert.strictEqual(summary.format, 'number');
    assert.deepStrictEqual(summary.best, { number: outcome.best!.number, objective: outcome.best!.objective });

    await c.receive({ type: 'selectStudy', studyId: outcome.studyId });
    assert.strictEqual(c.shownStudyId, outcome.studyId);
    const detail = fx.of('study')[0]!.study;
    assert.deepStrictEqual(
      detail.trials.map((t) => [t.number, t.state]),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => [n, n === 4 ? 'pruned' : n === 6 ? 'failed' : n === 10 ? 'interrupted' : 'completed']),
    );
    for (const t of detail.trials.filter((t) => t.state === 'completed')) {
      assert.strictEqual(t.objective, studyObjective(t.params), `trial ${t.number}`);
      assert.strictEqual(t.steps, 3);
      assert.ok(t.durationMs !== undefined && t.durationMs >= 0);
    }
    const pruned = detail.trials[3]!;
    assert.strictEqual(pruned.lastStep, 2);
    assert.strictEqual(pruned.objective, studyObjective(pruned.params) * 1.5, 'a pruned trial’s value is the last it reported');
    assert.match(detail.trials[5]!.error ?? '', /ran out of memory/);
    assert.deepStrictEqual(
      detail.params.map((p) => [p.name, p.type, p.scale, p.values]),
      [
        ['learning_rate', 'DOUBLE', 'UNIT_LOG_SCALE', undefined],
        ['batch_size', 'INTEGER', 'UNIT_LINEAR_SCALE', undefined],
        ['optimizer', 'CATEGORICAL', undefined, ['sgd', 'adam', 'rmsprop']],
      ],
    );
    await c.receive({ type: 'selectStudy', studyId: null });
    assert.strictEqual(c.shownStudyId, undefined);
    c.dispose();
  });

  it('applies the best trial as the study files record it, and only if the learner saw that one', async () => {
    const { dir, outcome } = await labWithStudy();
    const best = outcome.best!;
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx, { schedule: manualTimer().schedule });
    await c.receive({ type: 'ready' });
    await c.receive({ type: 'applyBest', studyId: outcome.studyId, trial: best.number });
    assert.deepStrictEqual(fx.applied, [{ best: readStudy(dir, outcome.studyId)!.best, studyId: outcome.studyId }]);
    assert.deepStrictEqual(fx.applied[0]!.best.params, best.params);

    const other = outcome.trials.find((t) => t.number !== best.number)!.number;
    await c.receive({ type: 'applyBest', studyId: outcome.studyId, trial: other });
    await c.receive({ type: 'applyBest', studyId: '20990101-000000-0000', trial: 1 });
    await c.receive({ type: 'applyBest', studyId: '../../etc', trial: best.number });
    await c.receive({ type: 'applyBest', studyId: outcome.studyId, trial: best.number, params: { learning_rate: 99 } });
    assert.strictEqual(fx.applied.length, 2, 'extra fields are stripped; the values come from the journal');
    assert.deepStrictEqual(fx.applied[1]!.best.params, best.params);
    assert.ok(
      fx.logs.some((l) => l.includes(`is now ${best.number}, not ${other}`)),
      fx.logs.join('\n'),
    );
    assert.ok(fx.logs.some((l) => l.includes('no study "20990101-000000-0000"')));
    assert.ok(fx.logs.some((l) => l.includes('dropped a malformed message')));
    c.dispose();
  });

  it('follows a running study: trials appear as they start and finish, and the view sees the study end', async () => {
    const dir = tempLab();
    const fx = new FakeEffects();
    const timer = manualTimer();
    const c = new DashboardController(dir, fx, { schedule: timer.schedule, studyPollMs: 50 });
    await c.receive({ type: 'ready' });
    assert.deepStrictEqual(fx.of('snapshot')[0]!.studies, []);

    // Each trial waits until the test lets it finish.
    const gates: ((r: TrialResult) => void)[] = [];
    const spec = StudySpec.parse({ ...STUDY_SPEC, maxTrials: 2, enableTrialEarlyStopping: false });
    let studyId = '';
    const onEvent = (e: StudyEvent) => {
      // What the Tune command does: a trial's run starting reaches runStarted, a finished trial refresh().
      if (e.type === 'opened') studyId = e.studyId;
      if (e.type === 'trial-started') c.studyChanged(studyId);
      if (e.type === 'trial-finished') c.refresh();
    };
    const started = () => new Promise<void>((resolve) => setImmediate(resolve));
    const running = runStudy({
      labDir: dir,
      spec,
      scheduler: new LocalTrialScheduler(() => new Promise<TrialResult>((resolve) => gates.push((r) => resolve(r))), { cpuCount: 1 }),
      onEvent,
    });
    while (gates.length < 1) await started();
    const list = fx.of('studies').at(-1)!.studies;
    assert.strictEqual(list[0]!.active, true);
    assert.strictEqual(list[0]!.counts.running, 1);
    assert.strictEqual(timer.pending(), 1, 'polls while the study runs');

    await c.receive({ type: 'selectStudy', studyId });
    const first = fx.of('study').at(-1)!.study;
    assert.deepStrictEqual(
      first.trials.map((t) => t.state),
      ['running'],
    );
    assert.strictEqual(first.best, undefined);

    const sent = fx.posted.length;
    timer.fire();
    assert.strictEqual(fx.posted.length, sent, 'nothing changed, nothing sent');

    gates[0]!({ objective: 0.75 });
    while (gates.length < 2) await started();
    const second = fx.of('study').at(-1)!.study;
    assert.deepStrictEqual(
      second.trials.map((t) => t.state),
      ['completed', 'running'],
    );
    assert.deepStrictEqual(second.best, { number: 1, objective: 0.75 });

    gates[1]!({ objective: 0.5 });
    await running;
    // The last trial-finished came before the lock was released; the poll sees the study end.
    assert.strictEqual(lastList(fx)[0]!.active, true);
    timer.fire();
    const end = lastList(fx)[0]!;
    assert.strictEqual(end.active, false);
    assert.deepStrictEqual(end.best, { number: 2, objective: 0.5 });
    assert.deepStrictEqual(
      fx
        .of('study')
        .at(-1)!
        .study.trials.map((t) => t.state),
      ['completed', 'completed'],
    );
    assert.strictEqual(timer.pending(), 0, 'and stops polling');
    c.dispose();
  });

  it('re-reads only studies whose files changed', async () => {
    const { dir } = await labWithStudy();
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx, { schedule: manualTimer().schedule });
    await c.receive({ type: 'ready' });
    const before = fx.posted.length;
    const rec = new RunStore(dir).create({ lab: 'hand-tuning', seed: 1, backendRequested: 'auto', hyperparameters: {}, hostPid: process.pid }).current;
    for (let i = 0; i < 5; i++) c.studyChanged('20990101-000000-0000');
    c.runStarted(rec);
    assert.deepStrictEqual(fx.types().slice(before), ['run'], 'no studies message for unchanged files');

    const { outcome } = await labWithStudy({ dir, spec: StudySpec.parse({ ...STUDY_SPEC, maxTrials: 2, hyperparameterMetricTag: 'rmse' }) });
    c.runStarted(rec);
    const list = fx.of('studies').at(-1)!.studies;
    assert.strictEqual(list.length, 2);
    // The lab's label is a price (labelUnit in its manifest): its RMSE reads in dollars.
    assert.strictEqual(list.find((s) => s.id === outcome.studyId)?.format, 'dollars');
    c.dispose();
  });

  it('lists a study it cannot show, and says why, instead of sending what the webview would drop', async () => {
    const spec = StudySpec.parse({ ...STUDY_SPEC, maxTrials: 1, params: [{ parameterName: 'x', type: 'CATEGORICAL', categoricalValues: ['a', 'b'] }] });
    const { dir, outcome } = await labWithStudy({ spec });
    // The journal is a file in the lab folder: someone wrote a parameter there that no spec may name.
    fs.appendFileSync(
      path.join(dir, '.mllabs', 'studies', outcome.studyId, 'trials.jsonl'),
      JSON.stringify({ type: 'created', trial: 3, at: new Date().toISOString(), params: { x: 'a', toString: 'b' } }) + '\n',
    );
    const fx = new FakeEffects();
    const c = new DashboardController(dir, fx, { schedule: manualTimer().schedule });
    await c.receive({ type: 'ready' });
    assert.strictEqual(fx.of('snapshot')[0]!.studies![0]!.id, outcome.studyId);
    await c.receive({ type: 'selectStudy', studyId: outcome.studyId });
    assert.deepStrictEqual(fx.of('study'), []);
    assert.ok(
      fx.logs.some((l) => l.includes(`study ${outcome.studyId} cannot be shown`)),
      fx.logs.join('\n'),
    );
    c.dispose();
  });
});
