// A class's submissions: one folder per learner holding the lab's learner files (ada/model.ts). The
// folders are untrusted (unpacked from an LMS, cloned from learners' repos): only real folders and
// regular files are read, each size-capped, and a learner's name becomes a file name in the output
// only once it is safe as one on every system.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { readSubmission } from '../grade/official';
import type { LabManifest } from '../lab/manifest';

export class SubmissionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionsError';
  }
}

export interface Submission {
  /** Safe as a file name and a CSV cell: the folder's name, or a cleaned form of it with a hash. */
  learner: string;
  /** The folder's name as found. */
  folder: string;
  /** The learner's files; undefined when the submission cannot be graded (see `problem`). */
  files?: Record<string, Buffer>;
  /** Why the submission is refused without running (a link, a file too large, no learner file). */
  problem?: string;
}

export interface SubmissionList {
  submissions: Submission[];
  /** Entries that are not learners' folders (files beside the folders), said once. */
  skipped: string[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Names Windows will not create as files, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/** More entries than any class has: a folder with more is not a class's submissions. */
export const MAX_SUBMISSIONS = 20_000;

/**
 * A learner's name from a folder name: kept as it is when it is a plain name (letters, digits, ".",
 * "_", "-", starting with a letter or digit — so no CSV formula either); otherwise cleaned and made
 * unique with a short hash of the original. `taken` holds the names given so far, in lower case (two
 * names that differ only in case would be one file on Windows and macOS).
 */
export function learnerName(folder: string, taken: Set<string>): string {
  let name = folder;
  if (!SAFE_NAME.test(name) || RESERVED.test(name) || name.endsWith('.') || taken.has(name.toLowerCase())) {
    const base =
      folder
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .replace(/^[^A-Za-z0-9]+/, '')
        .replace(/\.+$/, '')
        .slice(0, 40) || 'learner';
    name = `${base}-${createHash('sha256').update(folder).digest('hex').slice(0, 8)}`;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** Every learner's folder in `root`, sorted by name, with its files read (checked, capped). */
export function listSubmissions(root: string, manifest: LabManifest): SubmissionList {
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new SubmissionsError(`${root} does not exist: give the folder that holds one folder per learner`);
  }
  if (!st.isDirectory())
    throw new SubmissionsError(`${root} is not a folder: give the folder that holds one folder per learner (e.g. submissions/ada/${manifest.files[0]})`);
  const entries = fs.readdirSync(root, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  if (entries.length > MAX_SUBMISSIONS) throw new SubmissionsError(`${root} holds ${entries.length} entries; a class has at most ${MAX_SUBMISSIONS} learners`);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const taken = new Set<string>();
  const submissions: Submission[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    if (entry.isSymbolicLink()) {
      submissions.push({
        learner: learnerName(entry.name, taken),
        folder: entry.name,
        problem: `${entry.name} is a symbolic link; submissions are read only from real folders`,
      });
      continue;
    }
    if (!entry.isDirectory()) {
      skipped.push(entry.name);
      continue;
    }
    const learner = learnerName(entry.name, taken);
    try {
      const files = readSubmission(path.join(root, entry.name), manifest);
      if (Object.keys(files).length === 0) {
        submissions.push({ learner, folder: entry.name, problem: `the folder has no ${manifest.files.join(' or ')}` });
      } else submissions.push({ learner, folder: entry.name, files });
    } catch (err) {
      submissions.push({ learner, folder: entry.name, problem: (err as Error).message.replace(` in ${path.join(root, entry.name)}`, '') });
    }
  }
  return { submissions, skipped };
}

/** sha256 of a learner's files (names and contents): what "unchanged" means for a submission. */
export function filesDigest(files: Record<string, Buffer>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(`${name}\0${files[name].length}\0`).update(files[name]);
  return hash.digest('hex');
}
