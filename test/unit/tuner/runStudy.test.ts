import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MedianStoppingPruner } from '../../../src/core/tuner/pruners';
import { runStudy } from '../../../src/core/tuner/runStudy';
import type { StudyEvent } from '../../../src/core/tuner/studyEvents';
import type { Sampler } from '../../../src/core/tuner/samplers/sampler';
import { LocalTrialScheduler, type TrialFunction } from '../../../src/core/tuner/scheduler';
import { MemoryStudyStorage, readStudy } from '../../../src/core/tuner/storage';
import { replayJournal, type TrialEvent } from '../../../src/core/tuner/trial';
import { makeSpec, objectiveOnly, quadratic, sleep, tempLab } from './support';

describe('tuner: running a study', () => {
  it('runs maxTrials trials, records each in the journal and keeps the best', async () => {
    const lab = tempLab();
    const events: StudyEvent[] = [];
    const outcome = await runStudy({
      labDir: lab,
      spec: makeSpec({ maxTrials: 5, algorithm: 'RANDOM_SEARCH' }),
      scheduler: new LocalTrialScheduler(objectiveOnly),
      onEvent: (e) => events.push(e),
    });
    assert.strictEqual(outcome.status, 'completed');
    assert.deepStrictEqual(
      outcome.trials.map((t) => [t.number, t.state]),
      [1, 2, 3, 4, 5].map((n) => [n, 'completed']),
    );
    const best = outcome.trials.reduce((a, b) => ((a.objective as number) <= (b.objective as number) ? a : b));
    assert.strictEqual(outcome.best?.number, best.number);
    // The files say the same as the outcome.
    const read = readStudy(lab, outcome.studyId);
    assert.ok(read);
    assert.deepStrictEqual(
      read.trials.map((t) => [t.number, t.state, t.objective]),
      outcome.trials.map((t) => [t.number, t.state, t.objective]),
    );
    assert.strictEqual((JSON.parse(fs.readFileSync(path.join(outcome.location, 'best.json'), 'utf8')) as { number: number }).number, best.number);
    assert.strictEqual(typeof read.spec.seed, 'number', 'the seed is chosen and recorded');
    assert.strictEqual(fs.existsSync(path.join(outcome.location, 'lock.json')), false, 'the lock is released');
    // Progress for a UI.
    assert.strictEqual(events[0].type, 'opened');
    assert.strictEqual(events.filter((e) => e.type === 'trial-started').length, 5);
    const finished = events.filter((e): e is Extract<StudyEvent, { type: 'trial-finished' }> => e.type === 'trial-finished');
    assert.deepStrictEqual(
      finished.map((e) => e.progress.finished),
      [1, 2, 3, 4, 5],
    );
    assert.strictEqual(events[events.length - 1].type, 'finished');
  });

  it('records a failed trial (thrown or reported) and goes on', async () => {
    const storage = new MemoryStudyStorage();
    const outcome = await runStudy({
      storage,
      spec: makeSpec({ maxTrials: 6, algorithm: 'RANDOM_SEARCH' }),
      scheduler: new LocalTrialScheduler(async (trial) => {
        if (trial.number === 2) throw new Error('out of memory');
        if (trial.number === 3) return { objective: null, error: 'loss diverged' };
        if (trial.number === 4) return { objective: Number.NaN };
        return { objective: quadratic(trial) };
      }),
    });
    assert.strictEqual(outcome.status, 'completed');
    assert.deepStrictEqual(
      outcome.trials.map((t) => t.state),
      ['completed', 'failed', 'failed', 'failed', 'completed', 'completed'],
    );
    assert.deepStrictEqual(
      outcome.trials.slice(1, 4).map((t) => t.error),
      ['out of memory', 'loss diverged', 'the trial finished without a value of the objective'],
    );
    assert.deepStrictEqual(
      replayJournal(storage.events).trials.map((t) => t.state),
      outcome.trials.map((t) => t.state),
    );
  });

  it('gives up when the trial itself is broken, or after maxFailedTrials', async () => {
    const broken = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 20, algorithm: 'RANDOM_SEARCH' }),
      scheduler: new LocalTrialScheduler(async () => ({ objective: null, error: 'SyntaxError in model.ts' })),
    });
    assert.strictEqual(broken.status, 'failed');
    assert.strictEqual(broken.trials.length, 3);
    assert.match(broken.reason, /SyntaxError in model\.ts/);

    const limited = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 20, maxFailedTrials: 2, algorithm: 'RANDOM_SEARCH' }),
      scheduler: new LocalTrialScheduler(async (t) => (t.number % 2 ? { objective: 1 } : { objective: null, error: 'flaky' })),
    });
    assert.strictEqual(limited.status, 'failed');
    assert.strictEqual(limited.trials.filter((t) => t.state === 'failed').length, 2);
  });

  it('never runs more trials at once than maxParallelTrials or the CPU cores', async () => {
    for (const [maxParallelTrials, cores, expected] of [
      [3, 8, 3],
      [4, 2, 2],
    ]) {
      let now = 0;
      let peak = 0;
      const fn: TrialFunction = async (trial) => {
        now++;
        peak = Math.max(peak, now);
        await sleep(5 + (trial.number % 3) * 5);
        now--;
        return { objective: quadratic(trial) };
      };
      const outcome = await runStudy({
        storage: new MemoryStudyStorage(),
        spec: makeSpec({ maxTrials: 10, maxParallelTrials, algorithm: 'RANDOM_SEARCH' }),
        scheduler: new LocalTrialScheduler(fn, { cpuCount: cores }),
      });
      assert.strictEqual(outcome.trials.length, 10);
      assert.strictEqual(peak, expected, `maxParallelTrials ${maxParallelTrials} on ${cores} cores`);
    }
  });

  it('runs Bayesian trials in parallel without proposing the same point twice at once', async () => {
    const outcome = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 12, maxParallelTrials: 2, params: [{ parameterName: 'k', type: 'INTEGER', minValue: 0, maxValue: 20 }] }),
      scheduler: new LocalTrialScheduler(
        async (t) => {
          await sleep(2);
          return { objective: ((t.params.k as number) - 7) ** 2 };
        },
        { cpuCount: 2 },
      ),
    });
    const keys = outcome.trials.map((t) => t.params.k);
    assert.strictEqual(new Set(keys).size, keys.length, `repeated: ${keys.join(' ')}`);
    assert.strictEqual(outcome.best?.params.k, 7);
  });

  it('waits for a sampler that answers later, while trials finish, without reusing a number', async () => {
    const asked: number[] = [];
    let asking = 0;
    let finishedDuringAsk = 0;
    let closed = 0;
    const sampler: Sampler = {
      async ask(study, number) {
        asked.push(number);
        asking++;
        assert.strictEqual(asking, 1, 'one ask at a time');
        const finishedAtCall = study.trials.filter((t) => t.state === 'completed').length;
        await sleep(4);
        if (study.trials.filter((t) => t.state === 'completed').length > finishedAtCall) finishedDuringAsk++;
        asking--;
        return { x: number / 100 };
      },
      close: () => void closed++,
    };
    let now = 0;
    let peak = 0;
    const outcome = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 12, maxParallelTrials: 3 }),
      sampler,
      scheduler: new LocalTrialScheduler(
        async (t) => {
          peak = Math.max(peak, ++now);
          await sleep(1 + (t.number % 4) * 4);
          now--;
          return { objective: quadratic(t) };
        },
        { cpuCount: 3 },
      ),
    });
    assert.strictEqual(outcome.status, 'completed');
    assert.deepStrictEqual(asked, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepStrictEqual(
      outcome.trials.map((t) => [t.number, t.params.x]),
      asked.map((n) => [n, n / 100]),
      'each trial has the parameters asked for its number',
    );
    assert.ok(peak <= 3, `${peak} trials at once`);
    assert.ok(finishedDuringAsk > 0, 'trials finished while an ask was pending');
    assert.strictEqual(closed, 1, 'the sampler is closed when the study ends');

    // A sampler that fails later: random parameters and a warning, as when it throws.
    const failing = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 3 }),
      sampler: { ask: async (_study, number) => (number === 2 ? Promise.reject(new Error('no model')) : { x: 0.5 }) },
      scheduler: new LocalTrialScheduler(objectiveOnly),
    });
    assert.strictEqual(failing.status, 'completed');
    assert.deepStrictEqual(failing.warnings, ['the sampler failed (no model); trial 2 uses random parameters instead']);
  });

  it('is cancelled while the sampler computes: nothing more is created, and the sampler is closed', async () => {
    const controller = new AbortController();
    let closed = 0;
    let pending: ((error: Error) => void) | undefined;
    const sampler: Sampler = {
      ask(_study, number) {
        if (number < 3) return { x: number / 10 };
        // The third answer never comes before the cancel; close() gives it up.
        setTimeout(() => controller.abort(), 5);
        return new Promise((_resolve, reject) => (pending = reject));
      },
      close() {
        closed++;
        pending?.(new Error('the sampler was closed before it answered'));
      },
    };
    const outcome = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 5 }),
      sampler,
      signal: controller.signal,
      scheduler: new LocalTrialScheduler(objectiveOnly),
    });
    assert.strictEqual(outcome.status, 'cancelled');
    assert.deepStrictEqual(
      outcome.trials.map((t) => [t.number, t.state]),
      [
        [1, 'completed'],
        [2, 'completed'],
      ],
    );
    assert.deepStrictEqual(outcome.warnings, [], 'an answer given up is not a failure of the sampler');
    assert.strictEqual(closed, 1);
  });

  it('stops unpromising trials early and records them as pruned', async () => {
    const stops: number[] = [];
    const outcome = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 12, enableTrialEarlyStopping: true, algorithm: 'RANDOM_SEARCH' }),
      pruner: new MedianStoppingPruner({ startupTrials: 3, warmupSteps: 1 }),
      scheduler: new LocalTrialScheduler(async (trial, ctx) => {
        const final = quadratic(trial);
        for (let step = 1; step <= 5; step++) {
          if (await ctx.report(step, final + 1 / step)) {
            assert.strictEqual(ctx.signal.aborted, true);
            stops.push(trial.number);
            return { objective: null, error: 'stopped' };
          }
        }
        return { objective: final };
      }),
    });
    const pruned = outcome.trials.filter((t) => t.state === 'pruned');
    assert.ok(pruned.length > 0, 'some trials are pruned');
    assert.deepStrictEqual(
      pruned.map((t) => t.number),
      stops,
    );
    for (const t of pruned) {
      assert.strictEqual(t.objective, t.intermediate[t.intermediate.length - 1].value, 'a pruned trial keeps its last value');
    }
    assert.strictEqual(outcome.status, 'completed');
    assert.strictEqual(outcome.trials.length, 12, 'pruned trials count towards maxTrials');
  });

  it('rejects, without leaving trials running, when the journal cannot be written', async () => {
    class FullDisk extends MemoryStudyStorage {
      override append(event: TrialEvent): void {
        if (this.events.length >= 5) throw new Error('ENOSPC: no space left on device');
        super.append(event);
      }
    }
    let running = 0;
    await assert.rejects(
      runStudy({
        storage: new FullDisk(),
        spec: makeSpec({ maxTrials: 10, maxParallelTrials: 2, algorithm: 'RANDOM_SEARCH' }),
        scheduler: new LocalTrialScheduler(
          async (t) => {
            running++;
            await sleep(5);
            running--;
            return { objective: quadratic(t) };
          },
          { cpuCount: 2 },
        ),
      }),
      /ENOSPC/,
    );
    assert.strictEqual(running, 0);
  });

  it('stops when the grid is exhausted', async () => {
    const outcome = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: makeSpec({ maxTrials: 10, algorithm: 'GRID_SEARCH', params: [{ parameterName: 'x', type: 'DISCRETE', discreteValues: [0.1, 0.3, 0.5] }] }),
      scheduler: new LocalTrialScheduler(objectiveOnly),
    });
    assert.strictEqual(outcome.status, 'exhausted');
    assert.deepStrictEqual(
      outcome.trials.map((t) => t.params.x),
      [0.1, 0.3, 0.5],
    );
    assert.strictEqual(outcome.best?.params.x, 0.3);

    // A DOUBLE gets as many grid values as fit in maxTrials, fixed when the study is created.
    const storage = new MemoryStudyStorage();
    const doubles = await runStudy({ storage, spec: makeSpec({ maxTrials: 3, algorithm: 'GRID_SEARCH' }), scheduler: new LocalTrialScheduler(objectiveOnly) });
    assert.deepStrictEqual(
      doubles.trials.map((t) => t.params.x),
      [0, 0.5, 1],
    );
    assert.strictEqual(storage.spec?.gridResolution, 3);
  });
});
