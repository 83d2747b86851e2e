import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { answerAsk } from '../../../src/core/tuner/samplerProtocol';
import { GaussianProcessSampler } from '../../../src/core/tuner/samplers/bayesian';
import { RandomSampler } from '../../../src/core/tuner/samplers/random';
import type { SamplerContext } from '../../../src/core/tuner/samplers/sampler';
import { WorkerSampler } from '../../../src/core/tuner/samplers/workerSampler';
import { runStudy } from '../../../src/core/tuner/runStudy';
import { searchSpace, type Params } from '../../../src/core/tuner/scale';
import { LocalTrialScheduler } from '../../../src/core/tuner/scheduler';
import type { StudySpec } from '../../../src/core/tuner/spec';
import { MemoryStudyStorage } from '../../../src/core/tuner/storage';
import type { StudyView } from '../../../src/core/tuner/study';
import type { Trial, TrialState } from '../../../src/core/tuner/trial';
import { makeSpec, tempLab } from './support';

/** The bundle `node esbuild.js` builds, as the extension and the CLI load it. */
const WORKER_SCRIPT = path.resolve(__dirname, '../../../../dist/samplerWorker.js');

function view(spec: StudySpec, trials: Trial[] = []): StudyView {
  return { spec, space: searchSpace(spec), trials };
}

function trial(number: number, params: Params, state: TrialState = 'completed', objective?: number): Trial {
  return { number, params, state, objective, intermediate: [], createdAt: '2024-01-01T00:00:00.000Z' };
}

const SIX = makeSpec({
  maxTrials: 30,
  seed: 11,
  params: [1, 2, 3, 4, 5, 6].map((i) => ({ parameterName: `x${i}`, type: 'DOUBLE' as const, minValue: 0, maxValue: 1 })),
});
const bowl = (p: Params) => Object.values(p).reduce<number>((s, v) => s + ((v as number) - 0.3) ** 2, 0);

/** `n` trials of a study of SIX, at random points: enough for the Gaussian process to work hard. */
function sixTrials(n: number): Trial[] {
  const trials: Trial[] = [];
  for (let k = 1; k <= n; k++) {
    const params = new RandomSampler().ask(view(SIX, trials), k);
    trials.push(trial(k, params, 'completed', bowl(params)));
  }
  return trials;
}

const MIXED = makeSpec({
  maxTrials: 12,
  seed: 4,
  params: [
    { parameterName: 'lr', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1, scaleType: 'UNIT_LOG_SCALE' },
    { parameterName: 'batch', type: 'INTEGER', minValue: 8, maxValue: 64 },
    { parameterName: 'units', type: 'DISCRETE', discreteValues: [16, 32, 64] },
    { parameterName: 'opt', type: 'CATEGORICAL', categoricalValues: ['sgd', 'adam', 'rmsprop'] },
  ],
});

function collector(): SamplerContext & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (m) => warnings.push(m) };
}

/** A worker script of the test's own, to make the worker misbehave. */
function script(source: string): string {
  const file = path.join(tempLab(), 'worker.js');
  fs.writeFileSync(file, source);
  return file;
}

describe('tuner: the sampler in a worker thread', () => {
  before(() => {
    assert.ok(fs.existsSync(WORKER_SCRIPT), `${WORKER_SCRIPT} is missing: build it with "node esbuild.js"`);
  });

  it('proposes exactly what the same sampler proposes in-process', async () => {
    const sampler = new WorkerSampler({ script: WORKER_SCRIPT, sampler: { kind: 'gaussian-process' } });
    const cheap = new WorkerSampler({ script: WORKER_SCRIPT, sampler: { kind: 'gaussian-process', options: { candidates: 200, fitRestarts: 1 } } });
    try {
      const six = sixTrials(12);
      // Running and failed trials change the model: the worker sees them too.
      const busy = [
        ...six,
        trial(13, { x1: 0.2, x2: 0.4, x3: 0.3, x4: 0.3, x5: 0.3, x6: 0.3 }, 'running'),
        trial(14, { x1: 0.9, x2: 0.9, x3: 0.9, x4: 0.1, x5: 0.1, x6: 0.1 }, 'failed'),
      ];
      const mixed: Trial[] = [];
      for (let k = 1; k <= 8; k++) {
        const params = new GaussianProcessSampler({ candidates: 200, fitRestarts: 1 }).ask(view(MIXED, mixed), k);
        mixed.push(trial(k, params, 'completed', (params.batch as number) / 64 + (params.opt === 'adam' ? 0 : 1)));
      }
      const cases: [string, WorkerSampler, GaussianProcessSampler, StudyView, number][] = [
        ['initial design', sampler, new GaussianProcessSampler(), view(SIX), 1],
        ['model, 12 trials', sampler, new GaussianProcessSampler(), view(SIX, six), 13],
        ['model, running and failed trials', sampler, new GaussianProcessSampler(), view(SIX, busy), 15],
        ['every kind of parameter, with options', cheap, new GaussianProcessSampler({ candidates: 200, fitRestarts: 1 }), view(MIXED, mixed), 9],
      ];
      for (const [name, worker, local, v, n] of cases) {
        const context = collector();
        const answer = worker.ask(v, n, context);
        assert.ok(answer instanceof Promise, `${name}: the worker answers later`);
        assert.deepStrictEqual(await answer, local.ask(v, n), name);
        assert.deepStrictEqual(context.warnings, [], name);
      }
      // Nothing left to try travels as such.
      const grid = new WorkerSampler({ script: WORKER_SCRIPT, sampler: { kind: 'grid' } });
      const small = makeSpec({ algorithm: 'GRID_SEARCH', params: [{ parameterName: 'x', type: 'DISCRETE', discreteValues: [0.1, 0.5] }] });
      assert.strictEqual(await grid.ask(view(small, [trial(1, { x: 0.1 }), trial(2, { x: 0.5 })]), 3), undefined);
      await grid.close();
    } finally {
      await sampler.close();
      await cheap.close();
    }
  });

  it('leaves the calling thread free while it computes', async () => {
    const sampler = new WorkerSampler({ script: WORKER_SCRIPT, sampler: { kind: 'gaussian-process' } });
    const trials = sixTrials(25);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    try {
      await sampler.ask(view(SIX), 1); // the worker is up
      // In-process, the thread is taken for the whole ask: no timer can fire.
      const before = ticks;
      const local = new GaussianProcessSampler().ask(view(SIX, trials), 26);
      assert.strictEqual(ticks, before);
      // In the worker, the timer goes on firing while the same ask is computed.
      const pending = sampler.ask(view(SIX, trials), 26);
      const atCall = ticks;
      const proposed = await pending;
      assert.ok(ticks > atCall, 'the timer fired while the worker computed');
      assert.deepStrictEqual(proposed, local);
    } finally {
      clearInterval(timer);
      await sampler.close();
    }
  });

  it('runs on this thread, with one warning, when its script does not exist', async () => {
    const sampler = new WorkerSampler({ script: path.join(tempLab(), 'no-such-worker.js'), sampler: { kind: 'gaussian-process' } });
    const context = collector();
    const trials = sixTrials(6);
    assert.deepStrictEqual(await sampler.ask(view(SIX, trials), 7, context), new GaussianProcessSampler().ask(view(SIX, trials), 7));
    assert.deepStrictEqual(await sampler.ask(view(SIX, trials), 8, context), new GaussianProcessSampler().ask(view(SIX, trials), 8));
    assert.strictEqual(context.warnings.length, 1, context.warnings.join('\n'));
    assert.match(context.warnings[0], /Bayesian sampler runs on the main thread.*does not exist/);
    await sampler.close();
  });

  it('runs on this thread, with one warning, when the worker crashes, fails to load or answers nonsense', async () => {
    const trials = sixTrials(6);
    const expected = new GaussianProcessSampler().ask(view(SIX, trials), 7);
    const workers: [string, string, RegExp][] = [
      ['crashes during an ask', `require('worker_threads').parentPort.on('message', () => process.exit(3));`, /exit code 3/],
      ['throws when it loads', `throw new Error('broken bundle');`, /broken bundle/],
      [
        'answers nonsense',
        `const { parentPort } = require('worker_threads'); parentPort.on('message', (m) => parentPort.postMessage({ type: 'proposal', id: m.id, params: 42 }));`,
        /not a sampler reply/,
      ],
    ];
    for (const [name, source, why] of workers) {
      const sampler = new WorkerSampler({ script: script(source), sampler: { kind: 'gaussian-process' } });
      const context = collector();
      try {
        assert.deepStrictEqual(await sampler.ask(view(SIX, trials), 7, context), expected, name);
        assert.deepStrictEqual(await sampler.ask(view(SIX, trials), 7, context), expected, `${name}, asked again`);
        assert.strictEqual(context.warnings.length, 1, `${name}: ${context.warnings.join('\n')}`);
        assert.match(context.warnings[0], why, name);
      } finally {
        await sampler.close();
      }
    }
  });

  it('validates what it is asked; a sampler that throws in the worker fails the ask, as in-process', async () => {
    assert.deepStrictEqual(answerAsk({ type: 'ask', id: 3, sampler: { kind: 'random' }, view: view(SIX), number: 2 }), {
      type: 'proposal',
      id: 3,
      params: new RandomSampler().ask(view(SIX), 2),
    });
    const invalid = answerAsk({ type: 'ask', id: 4, sampler: { kind: 'random' }, view: { ...view(SIX), trials: [{ number: 'one' }] }, number: 2 });
    assert.ok(invalid.type === 'invalid' && invalid.id === 4, JSON.stringify(invalid));
    assert.match(invalid.message, /trials\[0\]\.number/);
    const nonsense = answerAsk('hello');
    assert.ok(nonsense.type === 'invalid' && nonsense.id === null);

    // The study then does what it does when an in-process sampler throws: random parameters, a warning.
    const failing = script(
      `const { parentPort } = require('worker_threads'); parentPort.on('message', (m) => parentPort.postMessage({ type: 'failed', id: m.id, message: 'singular matrix' }));`,
    );
    const context = collector();
    const sampler = new WorkerSampler({ script: failing, sampler: { kind: 'gaussian-process' } });
    await assert.rejects(Promise.resolve(sampler.ask(view(SIX), 1, context)), /singular matrix/);
    assert.deepStrictEqual(context.warnings, [], 'the worker itself works');
    const spec = makeSpec({ maxTrials: 2 });
    const outcome = await runStudy({
      storage: new MemoryStudyStorage(),
      spec,
      sampler,
      scheduler: new LocalTrialScheduler(async (t) => ({ objective: t.params.x as number })),
    });
    assert.strictEqual(outcome.status, 'completed');
    assert.deepStrictEqual(
      outcome.trials.map((t) => t.params),
      [1, 2].map((n) => new RandomSampler().ask(view(spec), n)),
    );
    assert.deepStrictEqual(
      outcome.warnings.map((w) => /the sampler failed \(singular matrix\)/.test(w)),
      [true, true],
    );
  });

  it('runs a Bayesian study off the thread, with the same trials as in-process', async () => {
    const spec = makeSpec({
      maxTrials: 9,
      seed: 21,
      params: [
        { parameterName: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 },
        { parameterName: 'k', type: 'INTEGER', minValue: 0, maxValue: 20 },
      ],
    });
    const objective = (p: Params) => ((p.x as number) - 0.3) ** 2 + ((p.k as number) - 7) ** 2 / 100;
    const scheduler = () => new LocalTrialScheduler(async (t) => ({ objective: objective(t.params) }));
    const inProcess = await runStudy({ storage: new MemoryStudyStorage(), spec, scheduler: scheduler() });
    const inWorker = await runStudy({ storage: new MemoryStudyStorage(), spec, scheduler: scheduler(), samplerWorker: WORKER_SCRIPT });
    assert.deepStrictEqual(inWorker.warnings, []);
    assert.deepStrictEqual(
      inWorker.trials.map((t) => [t.number, t.params]),
      inProcess.trials.map((t) => [t.number, t.params]),
    );

    // A worker that cannot start: the study still completes, the same, with one warning.
    const fallback = await runStudy({ storage: new MemoryStudyStorage(), spec, scheduler: scheduler(), samplerWorker: path.join(tempLab(), 'missing.js') });
    assert.strictEqual(fallback.status, 'completed');
    assert.deepStrictEqual(
      fallback.trials.map((t) => t.params),
      inProcess.trials.map((t) => t.params),
    );
    assert.strictEqual(fallback.warnings.length, 1, fallback.warnings.join('\n'));
    assert.match(fallback.warnings[0], /worker thread/);

    // Parallel trials: numbers are never reused and no point is proposed twice at once.
    const parallel = await runStudy({
      storage: new MemoryStudyStorage(),
      spec: { ...spec, maxTrials: 10, maxParallelTrials: 2 },
      scheduler: new LocalTrialScheduler(
        async (t) => {
          await new Promise((r) => setTimeout(r, 3 + (t.number % 3) * 4));
          return { objective: objective(t.params) };
        },
        { cpuCount: 2 },
      ),
      samplerWorker: WORKER_SCRIPT,
    });
    assert.strictEqual(parallel.status, 'completed');
    assert.deepStrictEqual(
      parallel.trials.map((t) => t.number),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    const keys = parallel.trials.map((t) => JSON.stringify(t.params));
    assert.strictEqual(new Set(keys).size, keys.length);
  });

  it('does not keep the process alive: after a study, or between asks', async function () {
    this.timeout(60000);
    const dir = tempLab();
    const file = path.join(dir, 'study.js');
    const tuner = path.resolve(__dirname, '../../../src/core/tuner/index.js');
    fs.writeFileSync(
      file,
      `const t = require(${JSON.stringify(tuner)});
       const spec = t.StudySpec.parse({ goal: 'MINIMIZE', maxTrials: 7, seed: 2, params: [{ parameterName: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }] });
       (async () => {
         // A sampler asked once and never closed: its idle worker must not hold the process.
         const open = new t.WorkerSampler({ script: ${JSON.stringify(WORKER_SCRIPT)}, sampler: { kind: 'gaussian-process' } });
         await open.ask({ spec, space: t.searchSpace(spec), trials: [] }, 1);
         const outcome = await t.runStudy({ storage: new t.MemoryStudyStorage(), spec, samplerWorker: ${JSON.stringify(WORKER_SCRIPT)},
           scheduler: new t.LocalTrialScheduler(async (trial) => ({ objective: trial.params.x })) });
         console.log(JSON.stringify({ status: outcome.status, warnings: outcome.warnings }));
       })();`,
    );
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [file], { timeout: 45000 }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))),
    );
    assert.deepStrictEqual(JSON.parse(stdout), { status: 'completed', warnings: [] });
  });
});
