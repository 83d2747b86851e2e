// Seals on run records. The host writes a run's files (run.json, metrics.jsonl, grade.json, source/)
// and then seals them: a keyed hash (HMAC-SHA256) over each file's digest, with a key kept in
// ML Labs' own folder — outside every lab folder, and unreadable by the confined learner's process.
// A record edited or invented afterwards no longer verifies, and is not believed.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as z from 'zod/mini';
import '../zodMessages';
import { mllabsHome } from '../files/home';

export const SEAL_FILE = 'seal.json';
const KEY_FILE = path.join('keys', 'records.key');

export const Seal = z.object({
  formatVersion: z.literal(1),
  /** sha256 (hex) of each sealed file, by its path relative to the run's folder. */
  files: z.record(z.string(), z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  /** hex HMAC-SHA256 of the canonical list of files and digests. */
  mac: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type Seal = z.infer<typeof Seal>;

let cachedKey: { home: string; key: Buffer } | undefined;

/** The machine's record key, created on first use (readable by this user only). */
export function recordKey(home: string = mllabsHome()): Buffer {
  if (cachedKey?.home === home) return cachedKey.key;
  const file = path.join(home, KEY_FILE);
  let key: Buffer | undefined;
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  } catch {
    key = undefined;
  }
  if (!key) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const fresh = randomBytes(32);
    try {
      // wx: two processes starting at once keep the first key written.
      fs.writeFileSync(file, fresh.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      key = fresh;
    } catch {
      key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    }
  }
  cachedKey = { home, key };
  return key;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function canonical(runId: string, files: Record<string, string>): string {
  const lines = Object.keys(files)
    .sort()
    .map((name) => `${name}\t${files[name]}`);
  return `mllabs-run-seal-v1\n${runId}\n${lines.join('\n')}\n`;
}

export function makeSeal(runId: string, files: Record<string, string>, key: Buffer = recordKey()): Seal {
  return { formatVersion: 1, files, mac: createHmac('sha256', key).update(canonical(runId, files)).digest('hex') };
}

/** Whether a seal was made with this machine's key for exactly these digests. */
export function checkSeal(runId: string, seal: Seal, files: Record<string, string>, key: Buffer = recordKey()): string | undefined {
  const expected = Buffer.from(createHmac('sha256', key).update(canonical(runId, seal.files)).digest('hex'), 'hex');
  const got = Buffer.from(seal.mac, 'hex');
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) return 'its seal was not made by ML Labs on this machine';
  for (const [name, digest] of Object.entries(seal.files)) {
    if (files[name] === undefined) return `${name} is missing`;
    if (files[name] !== digest) return `${name} was changed after the run`;
  }
  for (const name of Object.keys(files)) if (seal.files[name] === undefined) return `${name} was added after the run`;
  return undefined;
}
