// Where the queue lives: a Redis URL, checked before anything waits on it. BullMQ (through ioredis)
// reconnects for ever once it is running, which is right for a Redis that restarts; but a typo in the
// URL, a server that is not running or a wrong password must be said within seconds, not waited on.
import type { RedisOptions as QueueRedisOptions } from 'bullmq';
import Redis from 'ioredis';
import { DEFAULT_QUEUE, REDIS_URL_ENV } from './names';

export class QueueConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueConnectionError';
  }
}

/** How long the first connection may take before the URL is reported as unreachable. */
export const CONNECT_TIMEOUT_MS = 4000;

export interface QueueTarget {
  /** The URL as given (with its password: never print it; see `shown`). */
  url: string;
  /** The URL with any password masked, for messages. */
  shown: string;
  /** The queue's name within the prefix (several courses can share one Redis). */
  queue: string;
}

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks a Redis URL and a queue name; the error says what a valid one looks like. */
export function queueTarget(url: string, queue = DEFAULT_QUEUE): QueueTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueConnectionError(`"${maskUrl(url)}" is not a Redis URL: expected redis://[:password@]host[:port][/db] (rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new QueueConnectionError(`"${maskUrl(url)}" is not a Redis URL (it starts with ${parsed.protocol}//): expected redis://[:password@]host[:port][/db]`);
  }
  if (!parsed.hostname) throw new QueueConnectionError(`"${maskUrl(url)}" names no host: expected redis://[:password@]host[:port][/db]`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db))
    throw new QueueConnectionError(`"${maskUrl(url)}": the database after the host must be a number (e.g. /0), not "${db}"`);
  if (!QUEUE_NAME.test(queue)) throw new QueueConnectionError(`"${queue}" is not a queue name: letters, digits, "_", "." and "-", up to 64`);
  return { url, shown: maskUrl(url), queue };
}

/** The URL with its password (and user name) replaced by ***; also for text that is not a URL at all. */
export function maskUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  const auth = url.slice(scheme.length, at);
  return `${scheme}${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@${url.slice(at + 1)}`;
}

/** ioredis options for BullMQ's connections: reconnect for ever (workers wait out a Redis restart). */
export function redisOptions(target: QueueTarget): QueueRedisOptions & { url: string } {
  return {
    url: target.url,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Commands wait for a reconnect rather than fail: a restart of Redis is a pause, not an error.
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(250 * times, 2000),
  };
}

/** A plain ioredis client on the target (stop flags, checks), reconnecting like BullMQ's. */
export function redisClient(target: QueueTarget): Redis {
  const { url, ...options } = redisOptions(target);
  return new Redis(url, options);
}

function explain(err: Error & { code?: string }, target: QueueTarget): string {
  const message = err.message ?? String(err);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return `Redis at ${target.shown} refused the password: put it in the URL as redis://:PASSWORD@host:port (or set ${REDIS_URL_ENV})`;
  }
  if (err.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message))
    return `cannot reach Redis at ${target.shown}: nothing is listening there (is redis-server running, and is the port right?)`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN/.test(message)) return `cannot reach Redis at ${target.shown}: no such host`;
  if (/ETIMEDOUT|timed? ?out/i.test(message))
    return `cannot reach Redis at ${target.shown}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s (a firewall, or the wrong address?)`;
  return `cannot use Redis at ${target.shown}: ${message}`;
}

/**
 * Connects once, without retrying, and checks that the server answers and is recent enough for
 * BullMQ (Redis 6.2 or newer). Throws QueueConnectionError with the reason in words.
 */
export async function checkRedis(target: QueueTarget): Promise<{ version: string }> {
  const { url, ...options } = redisOptions(target);
  const client = new Redis(url, { ...options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED…) comes as an event; connect() then only says "Connection is closed".
  let socketError: Error | undefined;
  client.on('error', (err: Error) => (socketError ??= err));
  try {
    const deadline = new Promise<never>((_, reject) => {
      const t = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), CONNECT_TIMEOUT_MS + 500);
      t.unref();
    });
    await Promise.race([client.connect(), deadline]);
    await Promise.race([client.ping(), deadline]);
    const info = await Promise.race([client.info('server'), deadline]);
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? 'unknown';
    const [major, minor] = version.split('.').map(Number);
    if (Number.isFinite(major) && (major < 6 || (major === 6 && minor < 2))) {
      throw new QueueConnectionError(`Redis at ${target.shown} is version ${version}; the queue needs Redis 6.2 or newer`);
    }
    return { version };
  } catch (err) {
    if (err instanceof QueueConnectionError) throw err;
    throw new QueueConnectionError(explain(socketError ?? (err as Error), target));
  } finally {
    client.disconnect();
  }
}
