// `mllabs worker`: takes class gradings and study trials from the queue and runs them here, each
// exactly as a local official grading (a confined learner process under a trusted evaluator).
// SIGTERM: finish the jobs running now, take no more. SIGINT (Ctrl-C), or a second signal: stop
// them and put them back in the queue for another worker. A worker killed outright loses nothing:
// its jobs go back to the queue when their lock runs out (--lock-seconds).
import type { BackendChoice } from '../core/lab/manifest';
import { SECRET_ENV } from '../core/grade/official';
import { cpuCount } from '../core/tuner';
import { cliNativeDir } from './backend';
import { isQueueSetupError, queueSetup, REDIS_URL_ENV, type QueueFlags } from './queueOptions';
import { bold, dim, red, yellow } from './render';

export interface WorkerFlags extends QueueFlags {
  concurrency?: number;
  backend: BackendChoice;
  memory?: number;
  lockSeconds?: number;
}

function stamp(): string {
  return new Date().toISOString().slice(11, 19);
}

export async function workerCommand(installRoot: string, flags: WorkerFlags): Promise<number> {
  let worker: import('../core/queue').QueueWorker;
  let concurrency: number;
  try {
    const setup = await queueSetup(flags);
    if (!setup) {
      process.stderr.write(`${red('error:')} a worker needs the queue's Redis: pass --redis redis://[:password@]host:port or set ${REDIS_URL_ENV}\n`);
      return 2;
    }
    const { q, target, key } = setup;
    concurrency = flags.concurrency ?? cpuCount();
    worker = await q.QueueWorker.start({
      target,
      key,
      installRoot,
      concurrency,
      gradingSecret: process.env[SECRET_ENV] || undefined,
      backend: flags.backend,
      memoryMb: flags.memory,
      nativeDir: cliNativeDir(),
      lockMs: flags.lockSeconds !== undefined ? flags.lockSeconds * 1000 : undefined,
      log: (line) => process.stdout.write(`${dim(stamp())} ${line}\n`),
    });
    process.stdout.write(
      `${bold('worker')} ${worker.name}: queue "${target.queue}" on ${target.shown}, ${concurrency} job${concurrency === 1 ? '' : 's'} at a time; ` +
        `results signed with key ${key.fingerprint} (${key.source}); ${process.env[SECRET_ENV] ? 'official gradings use the grading secret' : `no ${SECRET_ENV}: official gradings use the labs' published splits`}\n`,
    );
  } catch (err) {
    if (isQueueSetupError(err)) {
      process.stderr.write(`${red('error:')} ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  await new Promise<void>((resolve) => {
    let signals = 0;
    const stop = (signal: NodeJS.Signals) => {
      signals++;
      const release = signal === 'SIGINT' || signals > 1;
      process.stdout.write(
        release
          ? `${yellow(`${signal}:`)} stopping ${worker.running} running job(s) and putting them back in the queue\n`
          : `${yellow(`${signal}:`)} finishing ${worker.running} running job(s), taking no more (send it again to put them back in the queue instead)\n`,
      );
      void worker.close(release ? 'release' : 'finish').then(resolve, (err: unknown) => {
        process.stderr.write(`${red('error:')} ${(err as Error).message}\n`);
        resolve();
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  process.stdout.write(`${dim(stamp())} worker stopped\n`);
  return 0;
}
