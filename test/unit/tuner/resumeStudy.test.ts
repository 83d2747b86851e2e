// A study stopped part-way (killed, SIGKILLed, cancelled) resumes where it was, or refuses when it cannot.
import * as assert from 'assert';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runStudy } from '../../../src/core/tuner/runStudy';
import type { StudyEvent } from '../../../src/core/tuner/studyEvents';
import { StudySetupError } from '../../../src/core/tuner/studySetup';
import { LocalTrialScheduler, type TrialRequest } from '../../../src/core/tuner/scheduler';
import { FileStudyStorage, readStudy, StudyBusyError } from '../../../src/core/tuner/storage';
import { replayJournal, type TrialEvent } from '../../../src/core/tuner/trial';
import { deferred, journal, makeSpec, objectiveOnly, quadratic, sleep, tempLab, tick } from './support';

describe('tuner: resuming a study', () => {
  it('after a kill: keeps finished trials, re-runs the interrupted one, and reaches maxTrials', async () => {
    const lab = tempLab();
    const storage = new FileStudyStorage(lab, 'killed');
    storage.create(makeSpec({ maxTrials: 6, algorithm: 'RANDOM_SEARCH', seed: 5 }));
    const at = '2024-05-01T10:00:00.000Z';
    const written: TrialEvent[] = [
      { type: 'created', trial: 1, at, params: { x: 0.11 } },
      { type: 'completed', trial: 1, at, objective: 0.0361 },
      { type: 'created', trial: 2, at, params: { x: 0.52 } },
      { type: 'created', trial: 3, at, params: { x: 0.33 } },
      { type: 'reported', trial: 3, at, step: 1, value: 0.5 },
      { type: 'completed', trial: 2, at, objective: 0.0484 },
      { type: 'created', trial: 4, at, params: { x: 0.9 } },
      { type: 'failed', trial: 4, at, error: 'crashed' },
    ];
    written.forEach((e) => storage.append(e));
    // The process died while writing: a torn line and a lock it never released.
    fs.appendFileSync(path.join(storage.dir, 'trials.jsonl'), '{"type":"reported","trial":3,"at":"2024-05-01T10:0');
    fs.writeFileSync(path.join(storage.dir, 'lock.json'), JSON.stringify({ pid: 2 ** 22 + 4321 }));

    const ran: TrialRequest[] = [];
    const events: StudyEvent[] = [];
    const outcome = await runStudy({
      labDir: lab,
      resume: 'killed',
      scheduler: new LocalTrialScheduler(async (t) => {
        ran.push(t);
        return { objective: quadratic(t) };
      }),
      onEvent: (e) => events.push(e),
    });

    assert.strictEqual(outcome.status, 'completed');
    assert.deepStrictEqual(
      ran.map((t) => t.number),
      [5, 6, 7],
      'only new trials run',
    );
    assert.deepStrictEqual(ran[0].params, { x: 0.33 }, 'the interrupted trial runs again first');
    assert.ok(!ran.some((t) => [0.11, 0.52, 0.9].includes(t.params.x as number)), 'no finished trial is repeated');
    assert.deepStrictEqual(
      outcome.trials.map((t) => [t.number, t.state]),
      [
        [1, 'completed'],
        [2, 'completed'],
        [3, 'interrupted'],
        [4, 'failed'],
        [5, 'completed'],
        [6, 'completed'],
        [7, 'completed'],
      ],
    );
    assert.strictEqual(outcome.trials[0].objective, 0.0361, 'finished trials keep their results');
    assert.strictEqual(outcome.trials[4].retryOf, 3);
    assert.strictEqual(outcome.trials.filter((t) => ['completed', 'pruned', 'failed'].includes(t.state)).length, 6);
    assert.ok(
      outcome.warnings.some((w) => /last line is incomplete/.test(w)),
      'the torn line is reported',
    );
    const opened = events[0];
    assert.ok(opened.type === 'opened' && opened.resumed && opened.interrupted[0] === 3);
    // The journal alone tells the same story.
    const replayed = replayJournal(journal(lab, 'killed'));
    assert.deepStrictEqual(replayed.warnings, []);
    assert.deepStrictEqual(
      replayed.trials.map((t) => t.state),
      outcome.trials.map((t) => t.state),
    );

    // Resuming a finished study runs nothing.
    const again = await runStudy({ labDir: lab, resume: 'killed', scheduler: new LocalTrialScheduler(async () => assert.fail('nothing should run')) });
    assert.strictEqual(again.status, 'completed');
    assert.strictEqual(again.trials.length, 7);
  });

  it('after a real SIGKILL of the process running it', async function () {
    this.timeout(30000);
    const lab = tempLab();
    const script = path.join(lab, 'study-child.js');
    const tunerIndex = path.resolve(__dirname, '../../../src/core/tuner/index.js');
    fs.writeFileSync(
      script,
      `const t = require(${JSON.stringify(tunerIndex)});
       const spec = t.StudySpec.parse({ goal: 'MINIMIZE', maxTrials: 8, maxParallelTrials: 2, algorithm: 'RANDOM_SEARCH', seed: 3,
         params: [{ parameterName: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }] });
       setInterval(() => {}, 1000); // stay alive until killed
       const storage = new t.FileStudyStorage(process.argv[2], 'victim');
       t.runStudy({ storage, spec, scheduler: new t.LocalTrialScheduler(async (trial) => {
         if (trial.number >= 4) { process.send('stuck'); await new Promise(() => {}); }
         return { objective: trial.params.x };
       }, { cpuCount: 2 }) });`,
    );
    const child = fork(script, [lab], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the study process exited (${code}) before trial 4: ${stderr}`)));
    });
    await sleep(50);
    const exited = new Promise((r) => child.once('exit', r));
    assert.strictEqual(child.exitCode, null, 'the study process is still running');
    child.kill('SIGKILL');
    await exited;

    const before = replayJournal(journal(lab, 'victim')).trials;
    const finishedBefore = before.filter((t) => t.state === 'completed');
    assert.ok(finishedBefore.length >= 3, `${finishedBefore.length} finished before the kill`);
    assert.ok(before.some((t) => t.state === 'running'));

    const ran: number[] = [];
    const outcome = await runStudy({
      labDir: lab,
      resume: 'victim',
      scheduler: new LocalTrialScheduler(async (trial) => {
        ran.push(trial.number);
        return { objective: trial.params.x as number };
      }),
    });
    assert.strictEqual(outcome.status, 'completed');
    assert.strictEqual(outcome.trials.filter((t) => t.state === 'completed').length, 8);
    for (const t of finishedBefore) assert.deepStrictEqual(outcome.trials.find((u) => u.number === t.number)?.objective, t.objective);
    assert.ok(
      ran.every((n) => n > before.length),
      'no trial number is run twice',
    );
  });

  it('after a cancel: running trials are interrupted, then run again on resume', async () => {
    const lab = tempLab();
    const controller = new AbortController();
    const third = deferred<void>();
    const first = await runStudy({
      labDir: lab,
      spec: makeSpec({ maxTrials: 5, algorithm: 'RANDOM_SEARCH' }),
      signal: controller.signal,
      scheduler: new LocalTrialScheduler(async (trial, ctx) => {
        if (trial.number < 3) return { objective: quadratic(trial) };
        third.resolve();
        await new Promise((r) => ctx.signal.addEventListener('abort', r));
        return { objective: null, error: 'aborted' };
      }),
      onEvent: (e) => {
        if (e.type === 'trial-started' && e.trial.number === 3) void third.promise.then(() => controller.abort());
      },
    });
    assert.strictEqual(first.status, 'cancelled');
    assert.deepStrictEqual(
      first.trials.map((t) => t.state),
      ['completed', 'completed', 'interrupted'],
    );

    const ran: number[] = [];
    const second = await runStudy({
      labDir: lab,
      resume: first.studyId,
      scheduler: new LocalTrialScheduler(async (t) => {
        ran.push(t.number);
        return { objective: quadratic(t) };
      }),
    });
    assert.strictEqual(second.status, 'completed');
    assert.deepStrictEqual(ran, [4, 5, 6]);
    assert.deepStrictEqual(second.trials[3].params, first.trials[2].params);
  });

  it('continues with a larger budget, refuses a different search space, and refuses a second runner', async () => {
    const lab = tempLab();
    const spec = makeSpec({ maxTrials: 2, algorithm: 'RANDOM_SEARCH' });
    const first = await runStudy({ labDir: lab, spec, scheduler: new LocalTrialScheduler(objectiveOnly) });
    const more = await runStudy({
      labDir: lab,
      spec: { ...spec, maxTrials: 4, resumePreviousJobId: first.studyId },
      scheduler: new LocalTrialScheduler(objectiveOnly),
    });
    assert.strictEqual(more.studyId, first.studyId);
    assert.strictEqual(more.trials.length, 4);
    assert.strictEqual(readStudy(lab, first.studyId)?.spec.maxTrials, 4);

    await assert.rejects(
      runStudy({
        labDir: lab,
        resume: first.studyId,
        spec: makeSpec({ goal: 'MAXIMIZE', algorithm: 'RANDOM_SEARCH' }),
        scheduler: new LocalTrialScheduler(objectiveOnly),
      }),
      StudySetupError,
    );
    await assert.rejects(runStudy({ labDir: lab, resume: 'no-such-study', scheduler: new LocalTrialScheduler(objectiveOnly) }), /no study "no-such-study"/);

    const release = deferred<void>();
    const running = runStudy({
      labDir: lab,
      spec: { ...spec, maxTrials: 5, resumePreviousJobId: first.studyId },
      scheduler: new LocalTrialScheduler(async (t) => {
        await release.promise;
        return { objective: quadratic(t) };
      }),
    });
    await tick();
    await assert.rejects(runStudy({ labDir: lab, resume: first.studyId, scheduler: new LocalTrialScheduler(objectiveOnly) }), StudyBusyError);
    release.resolve();
    assert.strictEqual((await running).trials.length, 5);
  });
});
