// Results that come back through the queue are signed by the worker and checked by the machine that
// records them. Learner code runs on the workers and Node's permission model does not restrict the
// network, so a submission could reach Redis and write a result of its own: without the key, which
// only workers and the coordinator hold, it cannot write one that verifies.
import { createHmac, timingSafeEqual } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { canonicalJson } from '../canonicalJson';
import { KEY_FILE_ENV } from './names';

export class QueueKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueKeyError';
  }
}

export interface QueueKey {
  /** The HMAC key itself (never printed). */
  readonly secret: Buffer;
  /** A short public name of the key, to check that machines share it ("key 3f2a…"). */
  readonly fingerprint: string;
  /** Where it came from, in words. */
  readonly source: string;
}

/** Shortest key file accepted: anything shorter could be guessed. */
export const MIN_KEY_BYTES = 16;
const MAX_KEY_FILE_BYTES = 64 * 1024;

function keyFrom(material: Buffer, source: string): QueueKey {
  const secret = createHmac('sha256', material).update('mllabs queue results v1').digest();
  const fingerprint = createHmac('sha256', secret).update('fingerprint').digest('hex').slice(0, 12);
  return { secret, fingerprint, source };
}

/**
 * The key workers sign with and coordinators verify with: from a key file (`--key-file`, or
 * $MLLABS_QUEUE_KEY_FILE), else derived from the grading secret. No key, no queue: an unsigned result
 * could have been written by anyone who reaches Redis.
 */
export function loadQueueKey(options: { keyFile?: string; gradingSecret?: string; env?: NodeJS.ProcessEnv }): QueueKey {
  const env = options.env ?? process.env;
  const file = options.keyFile ?? (env[KEY_FILE_ENV] || undefined);
  if (file) {
    const abs = path.resolve(file);
    // The instructor names this file (it is no lab's), so a link is fine (secret mounts are links).
    let data: Buffer;
    try {
      const st = fs.statSync(abs);
      if (!st.isFile()) throw new Error('not a regular file');
      if (st.size > MAX_KEY_FILE_BYTES) throw new Error(`${st.size} bytes; a key file holds a few dozen`);
      data = fs.readFileSync(abs);
    } catch (err) {
      throw new QueueKeyError(
        `the queue key file ${abs} cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}`,
      );
    }
    const material = Buffer.from(data.toString('utf8').trim(), 'utf8');
    if (material.length < MIN_KEY_BYTES)
      throw new QueueKeyError(
        `the queue key file ${abs} holds ${material.length} bytes; use at least ${MIN_KEY_BYTES} random bytes (e.g. openssl rand -hex 32)`,
      );
    return keyFrom(material, `key file ${abs}`);
  }
  const secret = options.gradingSecret;
  if (secret && secret.length > 0) {
    if (Buffer.byteLength(secret) < MIN_KEY_BYTES)
      throw new QueueKeyError(
        `the grading secret is shorter than ${MIN_KEY_BYTES} bytes; the queue's signing key is derived from it, so use a longer one (e.g. openssl rand -hex 32)`,
      );
    return keyFrom(Buffer.from(secret, 'utf8'), 'the grading secret (MLLABS_GRADING_SECRET)');
  }
  throw new QueueKeyError(
    `results on the queue are signed, and no key was given: set MLLABS_GRADING_SECRET (the same on every worker and on this machine) or pass --key-file <file> (or set ${KEY_FILE_ENV})`,
  );
}

/** The signature of `payload` for one purpose and one job: a signature cannot be moved to another job. */
export function sign(key: QueueKey, purpose: 'result' | 'progress', jobId: string, payload: unknown): string {
  return createHmac('sha256', key.secret)
    .update(`mllabs/${purpose}/v1\n${jobId}\n${canonicalJson(payload)}`)
    .digest('hex');
}

export function verify(key: QueueKey, purpose: 'result' | 'progress', jobId: string, payload: unknown, signature: unknown): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const expected = Buffer.from(sign(key, purpose, jobId, payload), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
