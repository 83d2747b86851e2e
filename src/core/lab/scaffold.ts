// Copies a lab template into a learner's folder: instructions, starter code, manifest, data, and what
// the editor needs to type-check it.
// Never overwrites a learner's file: either refuses (listing the files) or copies only what is missing.
import * as fs from 'fs';
import * as path from 'path';
import type { Lab } from './catalog';
import { publicDataCopy } from '../data/publicData';
import { ensureLabDir, lstatInLab } from '../files/labFiles';
import { listFiles } from '../files/listFiles';
import { planLabTypes } from './editorTypes';

/** Template content that stays with the course, never copied to learners. */
const NOT_COPIED = new Set(['solutions']);
export const DATA_DIR = 'data';

/** Links and other special files are not copied. */
const isFile = (entry: fs.Dirent) => entry.isFile();

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
  /** What the learner gets of the file, when not the file as is (data without its held-out rows). */
  transform?: (content: Buffer) => Buffer;
}

export function planScaffold(lab: Lab, templatesDir: string): PlannedCopy[] {
  const plan: PlannedCopy[] = [];
  for (const rel of listFiles(lab.dir, isFile)) {
    if (NOT_COPIED.has(rel.split('/')[0])) continue;
    plan.push({ from: path.join(lab.dir, rel), to: rel });
  }
  const dataDir = path.join(templatesDir, '_data', lab.manifest.data.dataset);
  if (fs.existsSync(dataDir)) {
    for (const rel of listFiles(dataDir, isFile)) {
      const transform = publicDataCopy(lab.manifest, rel);
      plan.push({ from: path.join(dataDir, rel), to: `${DATA_DIR}/${rel}`, ...(transform ? { transform } : {}) });
    }
  }
  // TypeScript in the editor: tsconfig.json and TensorFlow.js's declarations (see editorTypes.ts).
  plan.push(...planLabTypes(templatesDir));
  return plan;
}

export function scaffoldLab(lab: Lab, templatesDir: string, dest: string, policy: ConflictPolicy = 'refuse'): ScaffoldResult {
  const plan = planScaffold(lab, templatesDir);
  fs.mkdirSync(dest, { recursive: true });
  // lstat, component by component: a link in the folder (to elsewhere) is refused, never followed.
  const existing = plan.filter((p) => lstatInLab(dest, p.to) !== undefined).map((p) => p.to);
  if (existing.length > 0 && policy === 'refuse') throw new ScaffoldConflictError(dest, existing);
  const written: string[] = [];
  for (const p of plan) {
    if (existing.includes(p.to)) continue;
    const dir = ensureLabDir(dest, path.posix.dirname(p.to) === '.' ? '' : path.posix.dirname(p.to));
    const content = fs.readFileSync(p.from);
    // wx + O_NOFOLLOW: a file (or link) that appeared since the check above is never overwritten or followed.
    const fd = fs.openSync(
      path.join(dir, path.posix.basename(p.to)),
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0),
      0o644,
    );
    try {
      fs.writeSync(fd, p.transform ? p.transform(content) : content);
    } finally {
      fs.closeSync(fd);
    }
    written.push(p.to);
  }
  return { dest, written, kept: existing };
}
