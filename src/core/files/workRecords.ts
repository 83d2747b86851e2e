// What runs and studies have in common as ML Labs writes them under a lab's .mllabs/ folder: folder
// names that sort by creation time, and JSON as the record files hold it.
import { randomBytes } from 'crypto';

/** A fresh folder name: the local time, then random hex (sorts by creation time). */
export function timestampedId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** A record file's text: indented JSON with a final newline, readable and diffable. */
export function recordJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
