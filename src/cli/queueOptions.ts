// What every command that uses the queue needs: the Redis URL (from --redis or $MLLABS_REDIS_URL,
// which keeps a password out of the process list), the queue's name and the signing key. The queue's
// code (BullMQ) is loaded only here, when one of these commands runs with a Redis URL.
import { SECRET_ENV } from '../core/grade/official';
import type { QueueKey, QueueTarget } from '../core/queue';
import { DEFAULT_QUEUE, REDIS_URL_ENV } from '../core/queue/names';

export { REDIS_URL_ENV };

export interface QueueFlags {
  redis?: string;
  queue?: string;
  keyFile?: string;
}

export type QueueModule = typeof import('../core/queue');

export function loadQueueModule(): Promise<QueueModule> {
  return import('../core/queue');
}

export interface QueueSetup {
  q: QueueModule;
  target: QueueTarget;
  key: QueueKey;
}

/** undefined without a Redis URL (the command runs locally); throws the queue's own errors with their words. */
export async function queueSetup(flags: QueueFlags, env: NodeJS.ProcessEnv = process.env): Promise<QueueSetup | undefined> {
  const url = flags.redis ?? (env[REDIS_URL_ENV] || undefined);
  if (!url) return undefined;
  const q = await loadQueueModule();
  const target = q.queueTarget(url, flags.queue ?? DEFAULT_QUEUE);
  const key = q.loadQueueKey({ keyFile: flags.keyFile, gradingSecret: env[SECRET_ENV], env });
  return { q, target, key };
}

/**
 * Errors of the queue's setup (bad URL, Redis down, no key, files that cannot be sent) are the user's
 * to fix: said in one line. By name: they come from the queue's own bundle, whose classes are its own.
 */
export function isQueueSetupError(err: unknown): err is Error {
  return err instanceof Error && ['QueueConnectionError', 'QueueKeyError', 'QueueSetupError', 'OfficialGradingError'].includes(err.name);
}
