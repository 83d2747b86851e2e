// Class grading and studies on workers through BullMQ on a real Redis (started here, with a
// password), with real worker processes: a worker killed mid-class, the coordinator killed and run
// again, a study through a worker's death and a Redis restart that loses every key, forged results,
// and the errors a wrong URL or a stopped Redis give.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'bullmq';
import { readStudy } from '../../src/core/tuner';
import { parseJournal } from '../../src/core/tuner/trial';
import { REPO_ROOT, tempDir } from '../helpers';
import {
  buildClass,
  cliEnv,
  freePort,
  journalLearners,
  PASSWORD,
  readCsv,
  RedisServer,
  runCli,
  SECRET,
  skipWithoutRedis,
  startCli,
  startWorker,
  type Child,
} from './queueSupport';

// Ample for a reference on a busy machine; the endless loops use all of it.
const BUDGET = ['--time-budget', '15', '--backend', 'cpu'];

describe('class grading and studies on queue workers', function () {
  this.timeout(300_000);
  let redis: RedisServer;
  const children: Child[] = [];
  let queueNumber = 0;
  /** A queue of its own for each test: no test sees another's jobs. */
  const freshQueue = () => `test-${process.pid}-${++queueNumber}`;
  const worker = async (queue: string, extra: string[] = []) => {
    const w = await startWorker(redis, queue, extra);
    children.push(w);
    return w;
  };

  before(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.kill('SIGKILL');
      await c.exited;
    }
  });

  after(async () => {
    await redis?.stop();
  });

  it('grades a class on two workers, one killed mid-way: every learner once, with the right verdict', async () => {
    const queue = freshQueue();
    const { dir, expected } = buildClass();
    const out = path.join(tempDir('mllabs-gradebook-'), 'gradebook.csv');
    const a = await worker(queue);
    const b = await worker(queue);
    const grading = startCli(['grade-class', dir, '--lab', 'regularization', '--out', out, '--redis', redis.url, '--queue', queue, ...BUDGET]);
    children.push(grading);
    // Killed outright while it runs a job: the job must go back to the queue and be graded once.
    await grading.err.waitFor(/^\[8\/\d+/);
    a.kill('SIGKILL');
    const code = await grading.exited;
    assert.strictEqual(code, 0, grading.err.text);

    const rows = readCsv(out);
    assert.deepStrictEqual(rows.map((r) => r.learner).sort(), [...expected.keys()].sort());
    for (const row of rows) {
      const want = expected.get(row.learner)!;
      assert.strictEqual(row.passed, want.passed ? 'yes' : 'no', `${row.learner}: ${row.status} ${row.reason}`);
      if (want.status) assert.strictEqual(row.status, want.status, `${row.learner}: ${row.reason}`);
      if (want.reason) assert.match(row.reason, want.reason, row.learner);
    }
    // The learner's process saw neither the queue's URL and password nor the grading secret.
    const spy = rows.find((r) => r.learner === 'spy')!;
    assert.match(spy.reason, /"env":\{/);
    for (const secret of [PASSWORD, SECRET, 'redis://', 'MLLABS_'])
      assert.ok(!spy.reason.includes(secret), `the learner's process saw ${secret}: ${spy.reason}`);
    // Recorded exactly once each, though one grading ran twice (its first worker died).
    const journal = journalLearners(out.replace(/\.csv$/, '.jsonl'));
    assert.strictEqual(journal.length, expected.size);
    assert.strictEqual(new Set(journal).size, expected.size);
    assert.match(grading.err.text, /stopped answering; the grading goes back to the queue/);
    assert.ok(b.out.count(/\(attempt 2\)/) >= 1, b.out.text);
    // The twins handed in the same files: one job, two rows.
    const started = [...a.out.all, ...b.out.all].filter((l) => /▶ grade/.test(l)).map((l) => /(grade-regularization-\w+)/.exec(l)![1]);
    assert.strictEqual(
      new Set(started).size,
      expected.size - 3,
      'one job per distinct submission (the twins share one; the empty folder and the link never run)',
    );
    // A JUnit file per learner, and the JSON with each learner's grade.
    const junit = fs.readdirSync(out.replace(/\.csv$/, '-junit'));
    assert.strictEqual(junit.length, expected.size);
    const json = JSON.parse(fs.readFileSync(out.replace(/\.csv$/, '.json'), 'utf8')) as {
      learners: { learner: string; gradedBy: string; grade: { provenance: { split: string; from: string } } }[];
    };
    const ref = json.learners.find((l) => l.learner === 'ref-01')!;
    assert.strictEqual(ref.grade.provenance.split, 'secret');
    assert.strictEqual(ref.grade.provenance.from, 'official');
    assert.match(ref.gradedBy, /:\d+$/);
  });

  it('a class killed mid-way continues where it stopped, re-using what the workers finished meanwhile', async () => {
    const queue = freshQueue();
    const { dir, expected } = buildClass({ small: true });
    const out = path.join(tempDir('mllabs-gradebook-'), 'gradebook.csv');
    const w = await worker(queue);
    const first = startCli(['grade-class', dir, '--lab', 'regularization', '--out', out, '--redis', redis.url, '--queue', queue, ...BUDGET]);
    await first.err.waitFor(/^\[2\/\d+/);
    first.kill('SIGKILL');
    await first.exited;
    const graded = journalLearners(out.replace(/\.csv$/, '.jsonl'));
    assert.ok(graded.length >= 2 && graded.length < expected.size, `${graded.length} graded before the kill`);

    const again = await runCli(['grade-class', dir, '--lab', 'regularization', '--out', out, '--redis', redis.url, '--queue', queue, ...BUDGET]);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`${graded.length} unchanged since their last grade`));
    const journal = journalLearners(out.replace(/\.csv$/, '.jsonl'));
    assert.deepStrictEqual([...journal].sort(), [...expected.keys()].sort(), 'every learner recorded exactly once over both runs');
    for (const row of readCsv(out)) assert.strictEqual(row.passed, expected.get(row.learner)!.passed ? 'yes' : 'no', row.learner);
    // The worker ran each submission once: the second coordinator found the results of the first's jobs.
    const runs = w.out.all.filter((l) => /▶ grade/.test(l)).map((l) => /(grade-regularization-\w+)/.exec(l)![1]);
    assert.strictEqual(runs.length, new Set(runs).size, w.out.text);
  });

  it('rejects forged results and records jobs that keep failing, then grades both for real when run again', async () => {
    const queue = freshQueue();
    const { dir, expected } = buildClass({ small: true });
    const out = path.join(tempDir('mllabs-gradebook-'), 'gradebook.csv');
    // A rogue worker without the key: a perfect grade for the references, an error for the starters.
    let forged = 0;
    const rogue = new Worker<{ files: Record<string, string> }>(
      queue,
      async (job) => {
        const source = Buffer.from(Object.values(job.data.files)[0], 'base64').toString();
        if (source.includes('TODO')) throw new Error('the worker ran out of disk');
        forged++;
        return {
          v: 1,
          outcome: {
            kind: 'grade',
            status: 'completed',
            grade: { formatVersion: 1, lab: 'regularization', runId: 'x', gradedAt: '', passed: true, summary: 'all', results: [] },
          },
          signature: '0'.repeat(64),
        };
      },
      { connection: { url: redis.url }, prefix: 'mllabs' },
    );
    try {
      const first = await runCli(['grade-class', dir, '--lab', 'regularization', '--out', out, '--redis', redis.url, '--queue', queue, ...BUDGET]);
      assert.strictEqual(first.code, 1, first.stderr);
      assert.ok(forged > 0);
      const rows = readCsv(out);
      assert.strictEqual(rows.length, expected.size);
      for (const row of rows) {
        assert.strictEqual(row.status, 'error');
        assert.strictEqual(row.passed, 'no');
        if (row.learner.startsWith('ref-')) assert.match(row.reason, /the result did not verify: its signature does not match/, row.reason);
        else assert.match(row.reason, /the job failed on the workers after 3 attempt\(s\): the worker ran out of disk/, row.reason);
      }
      assert.match(first.stderr, /could not be graded \(run the same command again to retry them\)/);
    } finally {
      await rogue.close();
    }
    await worker(queue);
    const again = await runCli(['grade-class', dir, '--lab', 'regularization', '--out', out, '--redis', redis.url, '--queue', queue, ...BUDGET]);
    assert.strictEqual(again.code, 0, again.stderr);
    for (const row of readCsv(out)) assert.strictEqual(row.passed, expected.get(row.learner)!.passed ? 'yes' : 'no', `${row.learner}: ${row.reason}`);
  });

  it('runs a study on two workers through a worker killed and a Redis restart: the journal complete, no trial repeated', async () => {
    const queue = freshQueue();
    const lab = await studyLab(8);
    const a = await worker(queue);
    await worker(queue);
    const tune = startCli(['tune', lab, '--redis', redis.url, '--queue', queue, '--json', '--backend', 'cpu']);
    children.push(tune);
    await tune.err.waitFor(/\[2\/8\]/);
    a.kill('SIGKILL');
    await tune.err.waitFor(/\[4\/8\]/);
    // Every key is lost: the jobs running now are re-added by the coordinator, the workers reconnect.
    await redis.restart();
    const code = await tune.exited;
    assert.strictEqual(code, 0, tune.err.text);
    const outcome = JSON.parse(tune.out.text) as { status: string; reason?: string; studyId: string };
    assert.strictEqual(outcome.status, 'completed', outcome.reason);
    checkJournal(lab, outcome.studyId, 8);
    assert.match(tune.err.text, /reconnected to Redis/);

    // Resuming the finished study runs nothing more.
    const again = await runCli(['tune', lab, '--resume', outcome.studyId, '--redis', redis.url, '--queue', queue, '--json']);
    assert.strictEqual(again.code, 0, again.stderr);
    checkJournal(lab, outcome.studyId, 8);
  });

  it('resumes a study whose coordinator was killed, its trials still on the workers', async () => {
    const queue = freshQueue();
    const lab = await studyLab(6);
    await worker(queue);
    await worker(queue);
    const tune = startCli(['tune', lab, '--redis', redis.url, '--queue', queue, '--json', '--backend', 'cpu']);
    const opened = await tune.err.waitFor(/^study \S+/);
    const studyId = /^study (\S+)/.exec(opened)![1];
    await tune.err.waitFor(/\[2\/6\]/);
    tune.kill('SIGKILL');
    await tune.exited;
    const resumed = await runCli(['tune', lab, '--resume', studyId, '--redis', redis.url, '--queue', queue, '--json', '--backend', 'cpu']);
    assert.strictEqual(resumed.code, 0, resumed.stderr);
    assert.strictEqual((JSON.parse(resumed.stdout) as { status: string }).status, 'completed');
    checkJournal(lab, studyId, 6);
  });

  it('a worker told to stop finishes its running job (SIGTERM) or hands it back to the queue (Ctrl-C)', async () => {
    const queue = freshQueue();
    const out = path.join(tempDir('mllabs-gradebook-'), 'gradebook.csv');
    const classDir = tempDir('mllabs-class-');
    const endless = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'class', 'loop.ts'), 'utf8');
    fs.mkdirSync(path.join(classDir, 'loop'));
    fs.writeFileSync(path.join(classDir, 'loop', 'network.ts'), endless);
    const grade = () => startCli(['grade-class', classDir, '--lab', 'regularization', '--out', out, '--redis', redis.url, '--queue', queue, ...BUDGET]);

    const a = await worker(queue);
    const first = grade();
    await a.out.waitFor(/▶ grade/);
    a.kill('SIGTERM');
    assert.strictEqual(await a.exited, 0);
    assert.match(a.out.text, /finishing 1 running job\(s\), taking no more/);
    assert.match(a.out.text, /✘ grade-regularization-\w+ timeout/, 'it finished the job before it stopped');
    assert.strictEqual(await first.exited, 0, first.err.text);
    assert.strictEqual(readCsv(out)[0].status, 'timeout');

    fs.writeFileSync(path.join(classDir, 'loop', 'network.ts'), `${endless}\n// again\n`);
    const c = await worker(queue);
    const second = grade();
    await c.out.waitFor(/▶ grade/);
    const stopped = Date.now();
    c.kill('SIGINT');
    assert.strictEqual(await c.exited, 0);
    assert.ok(Date.now() - stopped < 6000, 'it did not wait for the job to end');
    assert.match(c.out.text, /released to another worker/);
    const d = await worker(queue);
    assert.strictEqual(await second.exited, 0, second.err.text);
    assert.match(d.out.text, /✘ grade-regularization-\w+ timeout/);
    assert.strictEqual(readCsv(out)[0].status, 'timeout');
  });

  it('says within seconds what is wrong with the Redis it was given', async () => {
    const closed = await freePort();
    const lab = await studyLab(2);
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [
        ['worker', '--redis', `redis://127.0.0.1:${closed}`],
        cliEnv(),
        new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${closed}: nothing is listening there`),
      ],
      [['worker', '--redis', redis.url.replace(/:[^:@]+@/, ':wrong@')], cliEnv(), /refused the password/],
      [['worker', '--redis', 'http://127.0.0.1:6379'], cliEnv(), /is not a Redis URL \(it starts with http:\/\/\)/],
      [['worker', '--redis', redis.url], cliEnv({ MLLABS_GRADING_SECRET: undefined }), /results on the queue are signed, and no key was given/],
      [['grade-class', tempDir(), '--lab', 'regularization', '--redis', `redis://127.0.0.1:${closed}`], cliEnv(), /cannot reach Redis/],
      [['tune', lab, '--redis', `redis://127.0.0.1:${closed}`], cliEnv(), /cannot reach Redis/],
    ];
    for (const [args, env, message] of cases) {
      const started = Date.now();
      const { code, stderr } = await runCli(args, env);
      assert.strictEqual(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, message);
      assert.ok(!stderr.includes('wrong@'), 'the password is never printed');
      assert.ok(Date.now() - started < 15_000, `${args.join(' ')} took ${Date.now() - started} ms`);
    }
  });
});

/** A regularization lab with the reference solution and a study spec. */
async function studyLab(maxTrials: number): Promise<string> {
  const lab = path.join(tempDir('mllabs-study-'), 'lab');
  assert.strictEqual((await runCli(['init', 'regularization', lab])).code, 0);
  fs.copyFileSync(path.join(REPO_ROOT, 'lab-templates', 'regularization', 'solutions', 'reference.ts'), path.join(lab, 'network.ts'));
  fs.writeFileSync(path.join(lab, 'hptuning.yaml'), studySpec(maxTrials));
  return lab;
}

function studySpec(maxTrials: number): string {
  return `trainingInput:
  hyperparameters:
    goal: MINIMIZE
    hyperparameterMetricTag: loss
    maxTrials: ${maxTrials}
    maxParallelTrials: 2
    algorithm: RANDOM_SEARCH
    seed: 5
    params:
      - parameterName: learning_rate
        type: DOUBLE
        minValue: 0.003
        maxValue: 0.3
        scaleType: UNIT_LOG_SCALE
      - parameterName: regularization_rate
        type: DOUBLE
        minValue: 0.001
        maxValue: 0.3
        scaleType: UNIT_LOG_SCALE
`;
}

/** The journal has maxTrials finished trials, each created once and ended once; none still running. */
function checkJournal(lab: string, studyId: string, maxTrials: number): void {
  const study = readStudy(lab, studyId)!;
  const text = fs.readFileSync(path.join(study.dir, 'trials.jsonl'), 'utf8');
  const { events, warnings } = parseJournal(text);
  assert.deepStrictEqual(warnings, []);
  const created = events.filter((e) => e.type === 'created').map((e) => e.trial);
  assert.strictEqual(created.length, new Set(created).size, 'each trial number created once');
  const ends = events.filter((e) => ['completed', 'pruned', 'failed', 'interrupted'].includes(e.type)).map((e) => e.trial);
  assert.deepStrictEqual(
    [...ends].sort((x, y) => x - y),
    [...created].sort((x, y) => x - y),
    'each trial ended exactly once',
  );
  const finished = study.trials.filter((t) => t.state === 'completed' || t.state === 'pruned' || t.state === 'failed');
  assert.strictEqual(finished.length, maxTrials);
  assert.ok(
    finished.every((t) => t.state === 'completed'),
    JSON.stringify(study.trials.map((t) => [t.number, t.state, t.error])),
  );
  // A retried trial re-runs the parameters of the one it replaces.
  for (const t of study.trials.filter((x) => x.retryOf !== undefined))
    assert.deepStrictEqual(t.params, study.trials.find((x) => x.number === t.retryOf)!.params);
}
