// Stopping a job that a worker is running (a pruned trial, a cancelled study): the coordinator sets a
// flag in Redis and announces it on a channel. A worker hears the announcement at once, and also
// looks at the flag when it starts a job and after each report, so a message missed while Redis was
// restarting stops the job at its next epoch.
import type Redis from 'ioredis';
import { type QueueTarget } from './connection';
import { KEY_PREFIX } from './names';

/** A flag outlives any job that could read it. */
const FLAG_SECONDS = 7 * 24 * 3600;

export type StopReason = 'pruned' | 'cancelled';

export function stopKey(target: QueueTarget, jobId: string): string {
  return `${KEY_PREFIX}:${target.queue}:stop:${jobId}`;
}

export function stopChannel(target: QueueTarget): string {
  return `${KEY_PREFIX}:${target.queue}:stop`;
}

/** Coordinator side: asks whoever runs `jobId` to stop. */
export async function requestStop(client: Redis, target: QueueTarget, jobId: string, reason: StopReason): Promise<void> {
  await client.set(stopKey(target, jobId), reason, 'EX', FLAG_SECONDS);
  await client.publish(stopChannel(target), JSON.stringify({ jobId, reason }));
}

export async function stopRequested(client: Redis, target: QueueTarget, jobId: string): Promise<StopReason | undefined> {
  const value = await client.get(stopKey(target, jobId));
  return value === 'pruned' || value === 'cancelled' ? value : undefined;
}

/** Worker side: calls `onStop` for the jobs it watches when a stop is announced. */
export class StopListener {
  private readonly watched = new Map<string, (reason: StopReason) => void>();

  private constructor(private readonly subscriber: Redis) {}

  static async start(subscriber: Redis, target: QueueTarget): Promise<StopListener> {
    const listener = new StopListener(subscriber);
    subscriber.on('message', (_channel: string, message: string) => listener.onMessage(message));
    await subscriber.subscribe(stopChannel(target));
    return listener;
  }

  private onMessage(message: string): void {
    let parsed: { jobId?: unknown; reason?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.jobId !== 'string') return;
    const reason: StopReason = parsed.reason === 'pruned' ? 'pruned' : 'cancelled';
    this.watched.get(parsed.jobId)?.(reason);
  }

  watch(jobId: string, onStop: (reason: StopReason) => void): () => void {
    this.watched.set(jobId, onStop);
    return () => {
      if (this.watched.get(jobId) === onStop) this.watched.delete(jobId);
    };
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
