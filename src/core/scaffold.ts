// Copies a lab template into a learner's folder: instructions, starter code, manifest, data, and what
// the editor needs to type-check it.
// Never overwrites a learner's file: either refuses (listing the files) or copies only what is missing.
import * as fs from 'fs';
import * as path from 'path';
import type { Lab } from './catalog';
import { planLabTypes } from './labTypes';

/** Template content that stays with the course, never copied to learners. */
const NOT_COPIED = new Set(['solutions']);
export const DATA_DIR = 'data';

export type ConflictPolicy = 'refuse' | 'keep-existing';

export class ScaffoldConflictError extends Error {
  constructor(
    readonly dest: string,
    readonly existing: string[],
  ) {
    super(
      `${dest} already has ${existing.length === 1 ? 'a file' : 'files'} this lab would write: ${existing.join(', ')}. ` +
        'Nothing was changed. Choose an empty folder, or keep your files and add only the missing ones.',
    );
    this.name = 'ScaffoldConflictError';
  }
}

export interface ScaffoldResult {
  dest: string;
  written: string[];
  kept: string[];
}

interface PlannedCopy {
  from: string;
  /** Relative to the destination folder, with "/" separators. */
  to: string;
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

export function planScaffold(lab: Lab, templatesDir: string): PlannedCopy[] {
  const plan: PlannedCopy[] = [];
  for (const rel of listFiles(lab.dir)) {
    if (NOT_COPIED.has(rel.split('/')[0])) continue;
    plan.push({ from: path.join(lab.dir, rel), to: rel });
  }
  const dataDir = path.join(templatesDir, '_data', lab.manifest.data.dataset);
  if (fs.existsSync(dataDir)) {
    for (const rel of listFiles(dataDir)) plan.push({ from: path.join(dataDir, rel), to: `${DATA_DIR}/${rel}` });
  }
  // TypeScript in the editor: tsconfig.json and TensorFlow.js's declarations (see labTypes.ts).
  plan.push(...planLabTypes(templatesDir));
  return plan;
}

export function scaffoldLab(lab: Lab, templatesDir: string, dest: string, policy: ConflictPolicy = 'refuse'): ScaffoldResult {
  const plan = planScaffold(lab, templatesDir);
  const existing = plan.filter((p) => fs.existsSync(path.join(dest, p.to))).map((p) => p.to);
  if (existing.length > 0 && policy === 'refuse') throw new ScaffoldConflictError(dest, existing);
  const written: string[] = [];
  for (const p of plan) {
    const target = path.join(dest, p.to);
    if (existing.includes(p.to)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // COPYFILE_EXCL: a file that appeared since the check above is still never overwritten.
    fs.copyFileSync(p.from, target, fs.constants.COPYFILE_EXCL);
    written.push(p.to);
  }
  return { dest, written, kept: existing };
}
