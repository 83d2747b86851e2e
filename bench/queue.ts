// Class grading through the queue (BullMQ on a local redis-server) against grading on this machine,
// measured in one run:
//   (a) gradings per minute of a class of distinct regularization submissions: on this machine one
//       and two at a time (`grade-class --concurrency`), and on one and two queue workers;
//   (b) the queue's own cost per job: the round trip of a job that needs no run (its files are refused
//       at once), through the real path — add, a worker takes it, signs its result, the coordinator
//       hears of it and verifies it — compared with a typical grading;
//   (c) how many jobs per second one coordinator and one Redis carry, and the coordinator's CPU per job:
//       the ceiling of the model for N machines (README).
// Needs redis-server on PATH. BENCH_CLASS=<n> sets the class size (default 12), BENCH_REPEAT the runs
// of each setting (default 2; the median is kept).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findLab, loadCatalog } from '../src/core/lab/catalog';
import { JobCoordinator } from '../src/core/queue/coordinator';
import { queueTarget } from '../src/core/queue/connection';
import { gradeJobId, type GradeJobData } from '../src/core/queue/jobs';
import { loadQueueKey } from '../src/core/queue/signing';
import { installPaths } from '../src/core/files/paths';
import { RedisServer, runCli, SECRET, startWorker, type Child } from '../test/integration/queueSupport';
import { median, printTable, REPO_ROOT, tempDir } from './util';

const CLASS = Number(process.env.BENCH_CLASS ?? 12);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const ROUND_TRIPS = 40;
const BURST = 400;

function buildClass(): string {
  const dir = tempDir();
  const reference = fs.readFileSync(path.join(REPO_ROOT, 'lab-templates', 'regularization', 'solutions', 'reference.ts'), 'utf8');
  for (let i = 0; i < CLASS; i++) {
    fs.mkdirSync(path.join(dir, `learner-${i}`));
    fs.writeFileSync(path.join(dir, `learner-${i}`, 'network.ts'), `${reference}\n// learner ${i}\n`);
  }
  return dir;
}

let queues = 0;
const freshQueue = () => `bench-${process.pid}-${++queues}`;

async function gradeWall(classDir: string, extra: string[]): Promise<number> {
  const out = path.join(tempDir(), 'gradebook.csv');
  const t0 = performance.now();
  const { code, stderr } = await runCli(['grade-class', classDir, '--lab', 'regularization', '--out', out, '--backend', 'cpu', ...extra]);
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`grade-class failed: ${stderr}`);
  const rows = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1);
  if (rows.length !== CLASS || !rows.every((r) => r.split(',')[1] === 'yes')) throw new Error(`unexpected gradebook:\n${rows.join('\n')}`);
  return ms;
}

async function withWorkers<T>(redis: RedisServer, count: number, fn: (queue: string) => Promise<T>): Promise<T> {
  const queue = freshQueue();
  const workers: Child[] = [];
  try {
    for (let i = 0; i < count; i++) workers.push(await startWorker(redis, queue));
    return await fn(queue);
  } finally {
    for (const w of workers) {
      w.kill('SIGKILL');
      await w.exited;
    }
  }
}

/** A job whose files are not the lab's: the worker refuses it before any process starts. */
function emptyJob(sha: string, i: number): GradeJobData {
  return {
    kind: 'grade',
    v: 1,
    labId: 'regularization',
    manifestSha256: sha,
    files: { [`not-a-lab-file-${i}.ts`]: Buffer.from(String(i)).toString('base64') },
  };
}

async function main(): Promise<void> {
  console.log(
    `load average at the start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${os.availableParallelism()} cores`,
  );
  const redis = await RedisServer.start();
  const classDir = buildClass();
  const key = loadQueueKey({ gradingSecret: SECRET, env: {} });
  const lab = findLab(loadCatalog(installPaths(REPO_ROOT).templatesDir), 'regularization')!;
  try {
    // (a) Interleaved, so that a slow spell of a shared machine falls on every setting alike.
    const settings: [string, number, (classDir: string) => Promise<number>][] = [
      ['this machine, 1 at a time', 1, (d) => gradeWall(d, ['--concurrency', '1'])],
      ['this machine, 2 at a time (the cores)', 2, (d) => gradeWall(d, ['--concurrency', '2'])],
      ['queue, 1 worker', 1, (d) => withWorkers(redis, 1, (q) => gradeWall(d, ['--redis', redis.url, '--queue', q]))],
      ['queue, 2 workers', 2, (d) => withWorkers(redis, 2, (q) => gradeWall(d, ['--redis', redis.url, '--queue', q]))],
    ];
    const walls = new Map<string, number[]>(settings.map(([name]) => [name, []]));
    for (let r = 0; r < REPEAT; r++) for (const [name, , run] of settings) walls.get(name)!.push(await run(classDir));
    const perMinute = (ms: number) => (CLASS / ms) * 60_000;
    const med = (name: string) => median(walls.get(name)!);
    const localOne = med(settings[0][0]);
    printTable(
      `(a) A class of ${CLASS} distinct regularization submissions (reference solution, cpu backend), grade-class wall time, median of ${REPEAT}`,
      settings.map(([name]) => {
        const all = walls.get(name)!;
        const spread = `${(Math.min(...all) / 1000).toFixed(1)}–${(Math.max(...all) / 1000).toFixed(1)} s`;
        return [name, `${(med(name) / 1000).toFixed(1)} s`, spread, `${perMinute(med(name)).toFixed(1)} / min`, `${(med(name) / CLASS / 1000).toFixed(2)} s`];
      }),
      ['where', 'wall (median)', 'wall (all runs)', 'gradings', 'wall per grading'],
    );
    const queueOne = med(settings[2][0]);
    const queueTwo = med(settings[3][0]);
    const localTwo = med(settings[1][0]);
    console.log(
      `queue vs this machine per grading: 1 at a time ${(((queueOne - localOne) / localOne) * 100).toFixed(1)} %, 2 at a time ${(((queueTwo - localTwo) / localTwo) * 100).toFixed(1)} %`,
    );

    // (b) and (c): the coordinator in this process, one worker process taking empty jobs.
    await withWorkers(redis, 1, async (queue) => {
      const coordinator = await JobCoordinator.open({ target: queueTarget(redis.url, queue), key });
      try {
        const trips: number[] = [];
        for (let i = 0; i < ROUND_TRIPS; i++) {
          const data = emptyJob(lab.sha256, i);
          const t0 = performance.now();
          const end = await coordinator.submit({ id: gradeJobId(data, key.fingerprint), data });
          trips.push(performance.now() - t0);
          if (!end.ok || end.outcome.kind !== 'grade' || end.outcome.status !== 'refused') throw new Error(`unexpected end: ${JSON.stringify(end)}`);
        }
        const trip = median(trips.slice(5));
        const typical = localOne / CLASS;
        printTable(`(b) The queue's cost per job: round trip of a job that runs nothing, one at a time (median of ${ROUND_TRIPS - 5})`, [
          ['round trip (add → worker → signed result → event → verified)', `${trip.toFixed(1)} ms`],
          ['a typical grading here (this machine, 1 at a time, per learner)', `${typical.toFixed(0)} ms`],
          ['queue cost as a share of a grading', `${((trip / typical) * 100).toFixed(2)} %`],
        ]);

        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const ends = await Promise.all(
          Array.from({ length: BURST }, (_, i) => {
            const data = emptyJob(lab.sha256, 10_000 + i);
            return coordinator.submit({ id: gradeJobId(data, key.fingerprint), data });
          }),
        );
        const wall = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        if (!ends.every((e) => e.ok)) throw new Error('a job of the burst did not end well');
        printTable(`(c) ${BURST} empty jobs at once, one coordinator, one worker (concurrency 1), one Redis`, [
          ['jobs per second through the queue', `${((BURST / wall) * 1000).toFixed(0)} / s`],
          ["coordinator's CPU per job", `${((cpu.user + cpu.system) / 1000 / BURST).toFixed(2)} ms`],
        ]);
      } finally {
        await coordinator.close();
      }
    });
  } finally {
    await redis.stop();
    fs.rmSync(classDir, { recursive: true, force: true });
  }
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
