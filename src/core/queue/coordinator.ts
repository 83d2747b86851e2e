// The coordinator's side of the queue: adds jobs, hears how they end, and hands back each job's
// verified outcome exactly once. Events (BullMQ's QueueEvents) are how results normally arrive; a
// reconciliation pass, run after every reconnect and every few seconds, reads the state of each job
// still awaited, so that an event missed while Redis restarted loses nothing, and a job that Redis
// lost (restarted without its data) is added again under the same id.
import { Queue, QueueEvents, type Job } from 'bullmq';
import { checkRedis, redisClient, redisOptions, type QueueTarget } from './connection';
import { KEY_PREFIX } from './names';
import { requestStop, type StopReason } from './control';
import { JobOutcome, ResultEnvelope, type JobData } from './jobs';
import { verify, type QueueKey } from './signing';

/** How often a job may fail by throwing on a worker (a crash of the worker's own code) before it is failed. */
export const JOB_ATTEMPTS = 3;
/** Finished jobs stay in Redis this long: a class graded again the same week finds its results there. */
const KEEP_SECONDS = 7 * 24 * 3600;
// A safety net (events normally bring every result): each pass asks Redis about every job awaited.
const RECONCILE_MS = 15_000;

export type JobEnd = { ok: true; outcome: JobOutcome } | { ok: false; reason: string };

export interface QueueJob {
  id: string;
  data: JobData;
}

export interface SubmitOptions {
  /** A job's progress as the worker reported it (not verified here: see the caller). */
  onProgress?(data: unknown): void;
  /** Before settling: called when a worker stopped renewing the job's lock and it went back to the queue. */
  onStalled?(): void;
}

interface Pending {
  job: QueueJob;
  options: SubmitOptions;
  resolve(end: JobEnd): void;
  settled: boolean;
  /** The job was added (or found) in Redis by this coordinator. */
  added: boolean;
}

export interface CoordinatorOptions {
  target: QueueTarget;
  key: QueueKey;
  /** Things worth telling the user that do not stop anything (Redis reconnecting, a job re-added). */
  warn?(message: string): void;
}

export class JobCoordinator {
  private readonly pending = new Map<string, Pending>();
  private reconciling = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: CoordinatorOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly control: ReturnType<typeof redisClient>,
  ) {}

  /** Checks Redis (a clear error within seconds), then listens to the queue's events. */
  static async open(options: CoordinatorOptions): Promise<JobCoordinator> {
    await checkRedis(options.target);
    const connection = redisOptions(options.target);
    const queue = new Queue(options.target.queue, { connection, prefix: KEY_PREFIX });
    const events = new QueueEvents(options.target.queue, { connection, prefix: KEY_PREFIX });
    const control = redisClient(options.target);
    const self = new JobCoordinator(options, queue, events, control);
    let down = false;
    const lost = (why: string) => {
      if (!down) self.warn(`lost the connection to Redis at ${options.target.shown} (${why}); reconnecting, nothing is lost meanwhile`);
      down = true;
    };
    const onError = (err: Error) => lost(err.message);
    queue.on('error', onError);
    events.on('error', onError);
    control.on('error', onError);
    // A Redis that restarts at once gives no error, only a reconnect.
    control.on('reconnecting', () => lost('the connection closed'));
    control.on('ready', () => {
      if (down) self.warn(`reconnected to Redis at ${options.target.shown}`);
      down = false;
      void self.reconcile();
    });
    // If Redis cannot answer now, the next reconciliation does.
    const settle = (jobId: string) => self.settleFromRedis(jobId).catch(() => {});
    events.on('completed', ({ jobId }) => void settle(jobId));
    events.on('failed', ({ jobId }) => void settle(jobId));
    events.on('progress', ({ jobId, data }) => {
      const p = self.pending.get(jobId);
      if (p && !p.settled) p.options.onProgress?.(data);
    });
    events.on('stalled', ({ jobId }) => {
      const p = self.pending.get(jobId);
      if (p && !p.settled) p.options.onStalled?.();
    });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    self.timer = setInterval(() => void self.reconcile(), RECONCILE_MS);
    self.timer.unref();
    return self;
  }

  private warn(message: string): void {
    this.options.warn?.(message);
  }

  /**
   * Runs a job on the workers; resolves once, with its verified outcome or why there is none. The
   * same id submitted again (by this or an earlier coordinator) is the same job: a finished one is
   * answered from Redis without running again, one that failed for good is retried.
   */
  submit(job: QueueJob, options: SubmitOptions = {}): Promise<JobEnd> {
    const existing = this.pending.get(job.id);
    if (existing && !existing.settled) throw new Error(`job ${job.id} is already awaited`);
    return new Promise<JobEnd>((resolve) => {
      const entry: Pending = { job, options, resolve, settled: false, added: false };
      this.pending.set(job.id, entry);
      this.enqueue(entry).catch((err: unknown) => this.warn(`could not add job ${job.id} yet (${(err as Error).message}); trying again`));
    });
  }

  /** Stops waiting for a job and asks its worker to stop it; a job still waiting is taken off the queue. */
  async stop(jobId: string, reason: StopReason): Promise<void> {
    const entry = this.pending.get(jobId);
    if (entry && !entry.settled) this.settle(entry, { ok: false, reason: `stopped (${reason})` });
    try {
      await requestStop(this.control, this.options.target, jobId, reason);
      const job = await this.queue.getJob(jobId);
      const state = job ? await job.getState() : undefined;
      if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) await job.remove();
    } catch {
      // The stop flag is also read when the job starts: a job removed or started meanwhile still stops.
    }
  }

  private settle(entry: Pending, end: JobEnd): void {
    if (entry.settled) return;
    entry.settled = true;
    this.pending.delete(entry.job.id);
    entry.resolve(end);
  }

  private async add(entry: Pending): Promise<void> {
    await this.queue.add(entry.job.data.kind, entry.job.data, {
      jobId: entry.job.id,
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: { age: KEEP_SECONDS },
      removeOnFail: { age: KEEP_SECONDS },
    });
    entry.added = true;
  }

  /**
   * A job's state, then (if it has ended) the job as it ended. In this order: a job read first and
   * asked for its state after could have ended in between, and would carry no result.
   */
  private async ended(jobId: string): Promise<{ state: string; job?: Job }> {
    const state = await this.queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed') return { state };
    const job = await this.queue.getJob(jobId);
    return job ? { state, job: job as Job } : { state: 'unknown' };
  }

  /** First submission: re-uses a verified result already in Redis, retries an earlier failure. */
  private async enqueue(entry: Pending): Promise<void> {
    const { state, job } = await this.ended(entry.job.id);
    if (state === 'completed' && job) {
      const end = this.verify(job);
      if (end.ok) return this.settle(entry, end);
      // An earlier result that does not verify is not kept: the job runs again.
      await job.remove();
    } else if (state === 'failed' && job) {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      entry.added = true;
      return;
    } else if (state !== 'unknown') {
      // Waiting or running for an earlier coordinator: its end is this one's.
      entry.added = true;
      return;
    }
    await this.add(entry);
    // It may have ended before the events listened for it (a fast job, or a duplicate).
    await this.settleFromRedis(entry.job.id);
  }

  /** Reads a job's state and settles it if it has ended; re-adds it if Redis has lost it. */
  private async settleFromRedis(jobId: string): Promise<void> {
    const entry = this.pending.get(jobId);
    if (!entry || entry.settled) return;
    const { state, job } = await this.ended(jobId);
    if (state === 'unknown') {
      if (entry.added) this.warn(`job ${jobId} is gone from Redis (was Redis restarted without its data?); adding it again`);
      entry.added = false;
      await this.add(entry);
      return;
    }
    if (!job) return;
    if (state === 'completed') this.settle(entry, this.verify(job));
    else
      this.settle(entry, { ok: false, reason: `the job failed on the workers after ${job.attemptsMade} attempt(s): ${job.failedReason || 'no reason given'}` });
  }

  /** The job's result, believed only if a worker holding the key signed it for this very job. */
  private verify(job: Job): JobEnd {
    const envelope = ResultEnvelope.safeParse(job.returnvalue);
    if (!envelope.success) return { ok: false, reason: 'the result did not verify: it is not a signed ML Labs result' };
    const { outcome, signature, keyFingerprint } = envelope.data;
    if (!verify(this.options.key, 'result', job.id as string, outcome, signature)) {
      const otherKey = keyFingerprint !== undefined && keyFingerprint !== this.options.key.fingerprint;
      return {
        ok: false,
        reason: otherKey
          ? `the result did not verify: it claims to be signed with key ${keyFingerprint}, and this machine's key is ${this.options.key.fingerprint} (give every worker the same key)`
          : 'the result did not verify: its signature does not match (a forged or altered result)',
      };
    }
    const parsed = JobOutcome.safeParse(outcome);
    if (!parsed.success || parsed.data.kind !== job.name) return { ok: false, reason: 'the result did not verify: a signed result of the wrong kind' };
    return { ok: true, outcome: parsed.data };
  }

  /** Settles what ended while no event reached us, and re-adds what Redis lost. */
  private async reconcile(): Promise<void> {
    if (this.reconciling || this.closed) return;
    this.reconciling = true;
    try {
      for (const entry of [...this.pending.values()]) {
        if (entry.settled) continue;
        if (!entry.added) await this.enqueue(entry);
        else await this.settleFromRedis(entry.job.id);
      }
    } catch {
      // Redis is away: the next pass (on reconnect, or the timer) tries again.
    } finally {
      this.reconciling = false;
    }
  }

  /** Jobs not yet ended stay in the queue (the workers finish them; the next coordinator finds the results). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.control.disconnect();
  }
}
