// Finds the learner's own line in a (source-mapped) stack trace.
import * as path from 'path';
import type { SourceLocation } from '../run/protocol';

const FRAME = /\(?((?:[A-Za-z]:)?[^\s():]+\.[cm]?[jt]sx?):(\d+):(\d+)\)?\s*$/;

export function learnerLocation(stack: string | undefined, labDir: string): SourceLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = FRAME.exec(line);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? m[1].slice(7) : m[1];
    const rel = path.relative(labDir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.startsWith('.mllabs') || rel.includes('node_modules')) continue;
    if (!/\.tsx?$/.test(rel)) continue;
    return { file: rel.split(path.sep).join('/'), line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** The stack without the runner's own frames, which mean nothing to a learner. */
export function learnerStack(stack: string | undefined, labDir: string): string | undefined {
  if (!stack) return undefined;
  const lines = stack.split('\n');
  const kept = lines.filter((l, i) => i === 0 || !/^\s+at /.test(l) || l.includes(labDir));
  return kept.join('\n');
}
