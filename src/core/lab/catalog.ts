// Reads the lab catalog: every `<templates>/<id>/lab.json`. A broken manifest is reported
// (file and field) and skipped, so one bad lab never hides the others; so is one that differs from
// the course this ML Labs was built with (the install folder is writable: a lowered bar is refused).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FILE_LIMITS, readLabText } from '../files/labFiles';
import { builtCourseDigests, courseFileProblem, REINSTALL } from './courseDigests';
import { describeIssues } from '../zodMessages';
import { LabManifest } from './manifest';

export const MANIFEST_FILE = 'lab.json';

export interface Lab {
  manifest: LabManifest;
  /** Absolute folder of the lab's template. */
  dir: string;
  /** sha256 of its lab.json. */
  sha256: string;
}

export interface ManifestProblem {
  file: string;
  messages: string[];
}

export type ManifestResult = { ok: true; manifest: LabManifest } | { ok: false; problem: ManifestProblem };

export function parseManifest(file: string, text: string): ManifestResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: { file, messages: [`not valid JSON: ${(err as Error).message}`] } };
  }
  const parsed = LabManifest.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: { file, messages: describeIssues(parsed.error) } };
  return { ok: true, manifest: parsed.data };
}

/** Reads a lab.json: a regular file (no link), at most 1 MB — a lab folder may be hostile. */
export function readManifest(file: string): ManifestResult {
  let text: string | undefined;
  try {
    text = readLabText(path.dirname(file), path.basename(file), FILE_LIMITS.manifest);
  } catch (err) {
    return { ok: false, problem: { file, messages: [`cannot read: ${(err as Error).message}`] } };
  }
  if (text === undefined) return { ok: false, problem: { file, messages: ['cannot read: it does not exist'] } };
  return parseManifest(file, text);
}

export interface Catalog {
  labs: Lab[];
  problems: ManifestProblem[];
}

/**
 * Folders whose name starts with "_" or "." hold shared material, not labs. `digests` are the
 * course's as built (default: those recorded in the bundle; none in unbundled test code).
 */
export function loadCatalog(templatesDir: string, digests: Record<string, string> | undefined = builtCourseDigests()): Catalog {
  const labs: Lab[] = [];
  const problems: ManifestProblem[] = [];
  const entries = fs.readdirSync(templatesDir, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const dir = path.join(templatesDir, entry.name);
    const file = path.join(dir, MANIFEST_FILE);
    if (!fs.existsSync(file)) continue;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      problems.push({ file, messages: [`cannot read: ${(err as Error).message}`] });
      continue;
    }
    const tampered = courseFileProblem(`${entry.name}/${MANIFEST_FILE}`, text, digests);
    if (tampered) {
      problems.push({ file, messages: [`${tampered}: this lab is not offered. ${REINSTALL}`] });
      continue;
    }
    const result = parseManifest(file, text);
    if (!result.ok) {
      problems.push(result.problem);
      continue;
    }
    if (result.manifest.id !== entry.name) {
      problems.push({ file, messages: [`id: "${result.manifest.id}" must match its folder name "${entry.name}"`] });
      continue;
    }
    labs.push({ manifest: result.manifest, dir, sha256: createHash('sha256').update(text).digest('hex') });
  }
  labs.sort((a, b) => a.manifest.module.number - b.manifest.module.number || a.manifest.order - b.manifest.order || a.manifest.id.localeCompare(b.manifest.id));
  return { labs, problems };
}

export function findLab(catalog: Catalog, id: string): Lab | undefined {
  return catalog.labs.find((l) => l.manifest.id === id);
}

export function formatProblem(problem: ManifestProblem): string {
  return `${problem.file}:\n${problem.messages.map((m) => `  - ${m}`).join('\n')}`;
}
