// A worker: takes jobs from the queue and runs each exactly as it would run locally — an official
// grading (gradeOfficial) or a study trial (the same, with the trial's hyperparameters) — that is,
// a confined learner process under a trusted evaluator. It signs every result, reports a trial's
// intermediate values as job progress and stops a trial when the coordinator prunes it. BullMQ's lock
// renewal is its heartbeat: a worker killed outright stops renewing, and its job goes back to the
// queue for another worker (at most MAX_STALLS times, then the job fails with the reason).
import * as os from 'os';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { loadCatalog, type Lab } from '../lab/catalog';
import { outcomeOfError, outcomeOfOfficial, outcomeWithoutRun } from '../classGrading/outcome';
import { gradeOfficial, OfficialGradingError } from '../grade/official';
import { intermediateValue, trialResultOf } from '../tuner/labTuning';
import { describeIssues } from '../zodMessages';
import { type BackendChoice } from '../lab/manifest';
import { installPaths } from '../files/paths';
import type { Metrics } from '../run/protocol';
import { checkRedis, redisClient, redisOptions, type QueueTarget } from './connection';
import { KEY_PREFIX } from './names';
import { StopListener, stopRequested, type StopReason } from './control';
import { bufferFiles, JOB_FORMAT, JobData, type GradeJobData, type JobOutcome, type ResultEnvelope, type TrialJobData } from './jobs';
import { sign, type QueueKey } from './signing';
import { secretIdOf } from '../classGrading/secret';

/** A job whose worker stops renewing its lock for this long is given to another worker. */
export const DEFAULT_LOCK_MS = 30_000;
/** How often a job may be taken back from a lost worker before it is failed for good. */
export const MAX_STALLS = 2;
/** Beyond the run's own time budget, what compiling and starting may take before the worker gives up on it. */
const WATCHDOG_MARGIN_MS = 120_000;
/** A grading's progress (a heartbeat the coordinator can show) at most this often. */
const GRADE_PROGRESS_MS = 1000;
/** A trial looks at its stop flag at most this often (the announcement on the channel is immediate). */
const STOP_POLL_MS = 1000;

export interface QueueWorkerOptions {
  target: QueueTarget;
  key: QueueKey;
  installRoot: string;
  /** Jobs at once (each is a learner process and an evaluator: about one per core). */
  concurrency: number;
  /** This machine's grading secret: it chooses the held-out rows of official gradings. */
  gradingSecret?: string;
  backend?: BackendChoice;
  memoryMb?: number;
  nativeDir?: string;
  lockMs?: number;
  /** Shown in results and logs (default: host name and process id). */
  name?: string;
  log?: (line: string) => void;
}

interface ActiveJob {
  job: Job;
  controller: AbortController;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class QueueWorker {
  readonly name: string;
  private readonly active = new Map<string, ActiveJob>();
  private readonly labs = new Map<string, Lab>();
  private releasing = false;
  private closing: Promise<void> | undefined;
  private readonly secretId: string | undefined;

  private constructor(
    private readonly options: QueueWorkerOptions,
    private readonly control: ReturnType<typeof redisClient>,
    private readonly stops: StopListener,
  ) {
    this.name = options.name ?? `${os.hostname()}:${process.pid}`;
    this.secretId = secretIdOf(options.gradingSecret);
    const catalog = loadCatalog(installPaths(options.installRoot).templatesDir);
    for (const lab of catalog.labs) this.labs.set(lab.manifest.id, lab);
  }

  private worker!: Worker;

  /** Checks Redis (a clear error within seconds), then starts taking jobs. */
  static async start(options: QueueWorkerOptions): Promise<QueueWorker> {
    await checkRedis(options.target);
    const control = redisClient(options.target);
    const subscriber = redisClient(options.target);
    const log = options.log ?? (() => {});
    let lastError = '';
    for (const client of [control, subscriber]) {
      client.on('error', (err: Error) => {
        if (err.message !== lastError) log(`Redis: ${err.message} (reconnecting)`);
        lastError = err.message;
      });
      client.on('ready', () => (lastError = ''));
    }
    const stops = await StopListener.start(subscriber, options.target);
    const self = new QueueWorker(options, control, stops);
    const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    self.worker = new Worker(options.target.queue, (job, token, signal) => self.process(job, token, signal), {
      connection: redisOptions(options.target),
      prefix: KEY_PREFIX,
      concurrency: options.concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: MAX_STALLS,
      name: self.name,
    });
    self.worker.on('error', (err) => {
      if (err.message !== lastError) log(`queue: ${err.message}`);
      lastError = err.message;
    });
    await self.worker.waitUntilReady();
    return self;
  }

  get running(): number {
    return this.active.size;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /**
   * Stops taking jobs. "finish": the jobs running now finish and their results are recorded;
   * "release": they are stopped and put back in the queue at once for another worker.
   */
  close(mode: 'finish' | 'release'): Promise<void> {
    if (mode === 'release' && !this.releasing) {
      this.releasing = true;
      for (const { controller } of this.active.values()) controller.abort('released');
    }
    this.closing ??= (async () => {
      await this.worker.close();
      this.stops.close();
      this.control.disconnect();
    })();
    return this.closing;
  }

  private lab(data: JobData): Lab {
    const lab = this.labs.get(data.labId);
    if (!lab) throw new UnrecoverableError(`this worker has no course lab "${data.labId}"`);
    if (lab.sha256 !== data.manifestSha256) {
      throw new UnrecoverableError(
        `this worker's "${data.labId}" lab is another version than the coordinator's (manifest ${lab.sha256.slice(0, 12)} here, ${data.manifestSha256.slice(0, 12)} there): install the same ML Labs version on every machine`,
      );
    }
    return lab;
  }

  private async process(job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<ResultEnvelope> {
    const parsed = JobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not an ML Labs job: ${describeIssues(parsed.error).join('; ')}`);
    const data = parsed.data;
    const jobId = job.id as string;
    const lab = this.lab(data);
    if (data.kind === 'grade' && data.secretId !== undefined && data.secretId !== this.secretId) {
      throw new UnrecoverableError(
        `this worker grades with ${this.secretId ? 'another grading secret' : 'no grading secret'} than the coordinator: set the same MLLABS_GRADING_SECRET on every machine`,
      );
    }
    const controller = new AbortController();
    this.active.set(jobId, { job, controller });
    const stop = (reason: StopReason | 'released') => controller.abort(reason);
    const unwatch = this.stops.watch(jobId, stop);
    const onCancel = () => stop('cancelled');
    signal?.addEventListener('abort', onCancel, { once: true });
    const budgetMs = data.timeBudgetMs ?? lab.manifest.timeBudgetSeconds * 1000;
    const watchdog = setTimeout(() => controller.abort('watchdog'), budgetMs + WATCHDOG_MARGIN_MS);
    const started = Date.now();
    this.log(`▶ ${data.kind} ${data.labId} ${jobId}${job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted})` : ''}`);
    try {
      let outcome: JobOutcome;
      const before = await stopRequested(this.control, this.options.target, jobId);
      if (before) outcome = this.stoppedOutcome(data, `stopped before it started (${before})`);
      else outcome = data.kind === 'grade' ? await this.grade(job, data, controller.signal) : await this.trial(job, data, controller.signal);
      if (this.releasing) {
        // Back to the queue without using up an attempt: another worker runs it from the start.
        await job.moveToDelayed(Date.now(), token);
        this.log(`↩ ${jobId} released to another worker`);
        throw new DelayedError();
      }
      const why = outcome.kind === 'grade' ? outcome.reason : outcome.error;
      this.log(`${outcome.status === 'completed' ? '✔' : '✘'} ${jobId} ${outcome.status} in ${seconds(Date.now() - started)}${why ? `: ${why}` : ''}`);
      return this.seal(jobId, outcome);
    } catch (err) {
      if (!(err instanceof DelayedError)) this.log(`✘ ${jobId} could not run: ${(err as Error).message}`);
      throw err;
    } finally {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onCancel);
      unwatch();
      this.active.delete(jobId);
    }
  }

  private stoppedOutcome(data: JobData, reason: string): JobOutcome {
    return data.kind === 'grade'
      ? outcomeWithoutRun('cancelled', reason, this.name)
      : { kind: 'trial', status: 'cancelled', objective: null, error: reason, gradedBy: this.name };
  }

  private seal(jobId: string, outcome: JobOutcome): ResultEnvelope {
    return { v: JOB_FORMAT, outcome, signature: sign(this.options.key, 'result', jobId, outcome), keyFingerprint: this.options.key.fingerprint };
  }

  private common(data: JobData, signal: AbortSignal) {
    return {
      installRoot: this.options.installRoot,
      labId: data.labId,
      files: bufferFiles(data.files),
      backend: data.backend ?? this.options.backend,
      timeBudgetMs: data.timeBudgetMs,
      memoryMb: data.memoryMb ?? this.options.memoryMb,
      nativeDir: this.options.nativeDir,
      signal,
    };
  }

  private async grade(job: Job, data: GradeJobData, signal: AbortSignal): Promise<JobOutcome> {
    let beat = 0;
    try {
      const result = await gradeOfficial(
        { ...this.common(data, signal), secret: this.options.gradingSecret },
        {
          onEpoch: (m) => {
            const now = Date.now();
            if (now - beat < GRADE_PROGRESS_MS) return;
            beat = now;
            job.updateProgress({ epoch: m.epoch }).catch(() => {});
          },
        },
      );
      return outcomeOfOfficial(result, { secretId: this.secretId, gradedBy: this.name });
    } catch (err) {
      // Refused files are the submission's result; anything else is retried by the queue.
      if (err instanceof OfficialGradingError) return outcomeOfError(err, this.name);
      throw err;
    }
  }

  private async trial(job: Job, data: TrialJobData, signal: AbortSignal): Promise<JobOutcome> {
    const jobId = job.id as string;
    let last: Metrics | undefined;
    let polled = 0;
    try {
      const result = await gradeOfficial(
        { ...this.common(data, signal), trial: { hyperparameters: data.hyperparameters, seed: data.seed } },
        {
          onEpoch: (m) => {
            last = m.metrics;
            const value = intermediateValue(data.metricTag, m.metrics);
            if (value === null) return;
            const payload = { step: m.epoch, value };
            job.updateProgress({ ...payload, signature: sign(this.options.key, 'progress', jobId, payload) }).catch(() => {});
            const now = Date.now();
            if (now - polled < STOP_POLL_MS) return;
            polled = now;
            stopRequested(this.control, this.options.target, jobId)
              .then((reason) => reason && this.active.get(jobId)?.controller.abort(reason))
              .catch(() => {});
          },
        },
      );
      const r = trialResultOf(data.metricTag, result.record, last);
      return {
        kind: 'trial',
        status: result.record.status,
        objective: r.objective,
        ...(r.metrics ? { metrics: r.metrics } : {}),
        ...(r.error ? { error: r.error } : {}),
        ...(result.record.durationMs !== undefined ? { durationMs: result.record.durationMs } : {}),
        gradedBy: this.name,
      };
    } catch (err) {
      if (err instanceof OfficialGradingError) return { kind: 'trial', status: 'refused', objective: null, error: err.message, gradedBy: this.name };
      throw err;
    }
  }
}
