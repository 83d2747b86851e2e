import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  FileStudyStorage,
  listStudies,
  MemoryStudyStorage,
  readStudy,
  StudyBusyError,
  StudyNotFoundError,
  type StudyStorage,
} from '../../../src/core/tuner/storage';
import { parseJournal, replayJournal, type TrialEvent } from '../../../src/core/tuner/trial';
import { makeSpec, tempLab } from './support';

const AT = '2024-05-01T10:00:00.000Z';
const EVENTS: TrialEvent[] = [
  { type: 'created', trial: 1, at: AT, params: { x: 0.1 } },
  { type: 'reported', trial: 1, at: AT, step: 1, value: 0.9 },
  { type: 'reported', trial: 1, at: AT, step: 2, value: null },
  { type: 'completed', trial: 1, at: AT, objective: 0.5, metrics: { rmse: 0.5, mae: null }, durationMs: 12 },
  { type: 'created', trial: 2, at: AT, params: { x: 0.2 } },
  { type: 'failed', trial: 2, at: AT, error: 'boom' },
  { type: 'created', trial: 3, at: AT, params: { x: 0.3 } },
  { type: 'pruned', trial: 3, at: AT, step: 4, objective: 0.8 },
  { type: 'created', trial: 4, at: AT, params: { x: 0.4 } },
  { type: 'interrupted', trial: 4, at: AT, reason: 'killed' },
  { type: 'created', trial: 5, at: AT, params: { x: 0.4 }, retryOf: 4 },
];

// Contract: every storage keeps a study the same way.
const STORAGES: [string, () => StudyStorage][] = [
  ['file', () => new FileStudyStorage(tempLab(), 'study-1')],
  ['memory', () => new MemoryStudyStorage('study-1')],
];

describe('tuner: study storage (contract)', () => {
  for (const [name, make] of STORAGES) {
    describe(name, () => {
      it('creates a study once, then loads its spec and events in order', () => {
        const s = make();
        assert.strictEqual(s.exists(), false);
        assert.throws(() => s.load(), StudyNotFoundError);
        s.create(makeSpec());
        assert.strictEqual(s.exists(), true);
        assert.throws(() => s.create(makeSpec()));
        EVENTS.forEach((e) => s.append(e));
        const loaded = s.load();
        assert.deepStrictEqual(loaded.spec, makeSpec());
        assert.deepStrictEqual(loaded.events, EVENTS);
        assert.deepStrictEqual(loaded.warnings, []);
      });

      it('replaces the spec', () => {
        const s = make();
        s.create(makeSpec());
        s.saveSpec(makeSpec({ maxTrials: 50 }));
        assert.strictEqual(s.load().spec.maxTrials, 50);
      });

      it('lets one holder at a time lock the study', () => {
        const s = make();
        s.create(makeSpec());
        const release = s.lock();
        assert.throws(() => s.lock(), StudyBusyError);
        release();
        s.lock()();
      });
    });
  }
});

describe('tuner: journal', () => {
  it('replays events into trials', () => {
    const { trials, warnings } = replayJournal(EVENTS);
    assert.deepStrictEqual(warnings, []);
    assert.deepStrictEqual(
      trials.map((t) => [t.number, t.state, t.objective, t.retryOf]),
      [
        [1, 'completed', 0.5, undefined],
        [2, 'failed', undefined, undefined],
        [3, 'pruned', 0.8, undefined],
        [4, 'interrupted', undefined, undefined],
        [5, 'running', undefined, 4],
      ],
    );
    assert.deepStrictEqual(trials[0].intermediate, [
      { step: 1, value: 0.9 },
      { step: 2, value: null },
    ]);
    assert.strictEqual(trials[1].error, 'boom');
  });

  it('skips events that make no sense, with a warning', () => {
    const { trials, warnings } = replayJournal([
      ...EVENTS.slice(0, 4),
      { type: 'completed', trial: 1, at: AT, objective: 0.1 },
      { type: 'reported', trial: 9, at: AT, step: 1, value: 1 },
      { type: 'created', trial: 1, at: AT, params: { x: 0.9 } },
    ]);
    assert.strictEqual(trials.length, 1);
    assert.strictEqual(trials[0].objective, 0.5);
    assert.strictEqual(warnings.length, 3);
  });

  it('tolerates a torn last line: a warning, never a crash', () => {
    const text =
      EVENTS.slice(0, 4)
        .map((e) => JSON.stringify(e) + '\n')
        .join('') + '{"type":"created","trial":2,"at":"2024-05';
    const { events, warnings } = parseJournal(text);
    assert.strictEqual(events.length, 4);
    assert.deepStrictEqual(warnings, ['trials.jsonl: the last line is incomplete (the study was stopped while writing it) and was skipped']);
    const bad = parseJournal('{"type":"created"}\n' + JSON.stringify(EVENTS[0]) + '\n');
    assert.deepStrictEqual(bad.warnings, ['trials.jsonl: line 1 is not a valid trial event and was skipped']);
    assert.strictEqual(bad.events.length, 1);
  });

  it('cuts a torn tail off before appending, so the next line is not swallowed', () => {
    const lab = tempLab();
    const s = new FileStudyStorage(lab, 'torn');
    s.create(makeSpec());
    s.append(EVENTS[0]);
    fs.appendFileSync(path.join(s.dir, 'trials.jsonl'), '{"type":"reported","tri');
    const reopened = new FileStudyStorage(lab, 'torn');
    assert.strictEqual(reopened.load().warnings.length, 1);
    reopened.append(EVENTS[1]);
    const after = reopened.load();
    assert.deepStrictEqual(after.events, EVENTS.slice(0, 2));
    assert.deepStrictEqual(after.warnings, []);
  });
});

describe('tuner: study files', () => {
  it('lays out spec.json, trials.jsonl and best.json under .mllabs/studies/<id>/', () => {
    const lab = tempLab();
    const s = new FileStudyStorage(lab, 'abc');
    s.create(makeSpec());
    s.append(EVENTS[0]);
    s.saveBest({ number: 1, params: { x: 0.1 }, objective: 0.5 });
    const dir = path.join(lab, '.mllabs', 'studies', 'abc');
    assert.strictEqual(s.dir, dir);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['best.json', 'spec.json', 'trials.jsonl']);
    // spec.json is itself a valid spec file.
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8')), JSON.parse(JSON.stringify(makeSpec())));
    assert.strictEqual((JSON.parse(fs.readFileSync(path.join(dir, 'best.json'), 'utf8')) as { objective: number }).objective, 0.5);
  });

  it('takes over a lock left by a process that is gone', () => {
    const s = new FileStudyStorage(tempLab(), 'stale');
    s.create(makeSpec());
    fs.writeFileSync(path.join(s.dir, 'lock.json'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const release = s.lock();
    assert.strictEqual(s.activePid(), process.pid);
    release();
    assert.strictEqual(fs.existsSync(path.join(s.dir, 'lock.json')), false);
  });

  it('reads studies for display: running trials of a stopped study show as interrupted', () => {
    const lab = tempLab();
    for (const id of ['b-study', 'a-study']) {
      const s = new FileStudyStorage(lab, id);
      s.create(makeSpec());
      EVENTS.forEach((e) => s.append(e));
    }
    fs.mkdirSync(path.join(lab, '.mllabs', 'studies', 'junk'));
    const { studies, warnings } = listStudies(lab);
    assert.deepStrictEqual(
      studies.map((s) => s.id),
      ['a-study', 'b-study'],
    );
    assert.strictEqual(warnings.length, 1);
    const one = readStudy(lab, 'a-study');
    assert.ok(one);
    assert.strictEqual(one.activePid, undefined);
    assert.strictEqual(one.trials[4].state, 'interrupted');
    assert.deepStrictEqual(one.best, { number: 1, params: { x: 0.1 }, objective: 0.5, metrics: { rmse: 0.5, mae: null } });
    assert.strictEqual(readStudy(lab, 'nope'), undefined);
  });
});
