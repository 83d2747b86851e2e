// Official grading, for instructors and CI: a pure function of (lab, learner files, secret) → grade.
// The course lab is scaffolded fresh from the install (its manifest checked against the build), only
// the learner's own files are copied in (regular files, size-capped), no recorded run is read, and a
// secret (MLLABS_GRADING_SECRET) chooses the held-out rows and the seed, so nobody can know in advance
// which rows a grade is measured on. The grade says which manifest and which seed policy it used.
import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findLab, loadCatalog } from '../lab/catalog';
import { lstatInLab, readLabFile, formatBytes } from '../files/labFiles';
import type { BackendChoice, LabManifest } from '../lab/manifest';
import { LabFolderError, openLab, runLab, type LabRunEvents, type LabRunResult } from '../run/labRun';
import { installPaths } from '../files/paths';
import type { Hyperparameters } from '../run/protocol';
import { scaffoldLab } from '../lab/scaffold';

/** A learner's file is code of a few KB; anything far larger is refused, not graded. */
export const OFFICIAL_MAX_FILE_BYTES = 128 * 1024;
export const SECRET_ENV = 'MLLABS_GRADING_SECRET';

export interface OfficialRequest {
  installRoot: string;
  labId: string;
  /** The learner's files by path relative to the lab folder (only the lab's `files` are used). */
  files: Record<string, Buffer>;
  /** The grading secret; without one, the lab's published split and seed 1 are used (and the grade says so). */
  secret?: string;
  backend?: BackendChoice;
  timeBudgetMs?: number;
  memoryMb?: number;
  nativeDir?: string;

  // Study trials on queue workers run as official gradings of the learner's files, with overrides:
  /** A trial: these hyperparameters and the study's seed, on the lab's published split (no secret). */
  trial?: { hyperparameters: Hyperparameters; seed: number };
  /** Stops the run (a pruned trial, a worker shutting down); it then ends as "cancelled". */
  signal?: AbortSignal;
}

export interface OfficialResult extends LabRunResult {
  manifest: LabManifest;
  seedPolicy: string;
}

export class OfficialGradingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfficialGradingError';
  }
}

/** A 31-bit seed derived from the secret for one purpose and lab: unknown without the secret. */
export function secretSeed(secret: string, purpose: string, labId: string): number {
  const digest = createHmac('sha256', secret).update(`${purpose}:${labId}`).digest();
  return (digest.readUInt32BE(0) % (2 ** 31 - 2)) + 1;
}

/** The learner's files of a lab, read from a submission folder: regular files only, each under the cap. */
export function readSubmission(dir: string, manifest: LabManifest): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const rel of manifest.files) {
    const st = lstatInLab(dir, rel);
    if (!st) continue;
    if (st.size > OFFICIAL_MAX_FILE_BYTES) {
      throw new OfficialGradingError(
        `${rel} is ${formatBytes(st.size)}; official grading takes learner files of at most ${formatBytes(OFFICIAL_MAX_FILE_BYTES)}`,
      );
    }
    const data = readLabFile(dir, rel, OFFICIAL_MAX_FILE_BYTES);
    if (data) files[rel] = data;
  }
  return files;
}

export async function gradeOfficial(req: OfficialRequest, events: LabRunEvents = {}): Promise<OfficialResult> {
  const templatesDir = installPaths(req.installRoot).templatesDir;
  const catalog = loadCatalog(templatesDir);
  const lab = findLab(catalog, req.labId);
  if (!lab) {
    const refused = catalog.problems.find((p) => path.basename(path.dirname(p.file)) === req.labId);
    throw new OfficialGradingError(refused ? `the course's "${req.labId}" lab cannot be used: ${refused.messages.join('; ')}` : `no course lab "${req.labId}"`);
  }
  const manifest = lab.manifest;
  for (const [rel, data] of Object.entries(req.files)) {
    if (!manifest.files.includes(rel))
      throw new OfficialGradingError(`${rel} is not a file of the "${manifest.id}" lab (its files: ${manifest.files.join(', ')})`);
    if (data.length > OFFICIAL_MAX_FILE_BYTES)
      throw new OfficialGradingError(
        `${rel} is ${formatBytes(data.length)}; official grading takes learner files of at most ${formatBytes(OFFICIAL_MAX_FILE_BYTES)}`,
      );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mllabs-official-${manifest.id}-`));
  try {
    scaffoldLab(lab, templatesDir, dir);
    for (const [rel, data] of Object.entries(req.files)) fs.writeFileSync(path.join(dir, rel), data);
    const opened = openLab(dir, req.installRoot);
    if (opened.source !== 'catalog') throw new LabFolderError(`the fresh copy of "${manifest.id}" is not graded with the course's manifest`);
    const secret = req.secret && req.secret.length > 0 && !req.trial ? req.secret : undefined;
    const seedPolicy = req.trial
      ? `a study trial: the lab's published split and the study's seed ${req.trial.seed}`
      : secret
        ? `held-out rows and seed chosen by the grading secret (${SECRET_ENV})`
        : `the lab's published split and seed 1 (set ${SECRET_ENV} for a secret split)`;
    const handle = runLab(
      opened,
      {
        installRoot: req.installRoot,
        backend: req.backend ?? 'auto',
        seed: req.trial ? req.trial.seed : secret ? secretSeed(secret, 'seed', manifest.id) : 1,
        ...(secret ? { splitSeed: secretSeed(secret, 'split', manifest.id) } : {}),
        ...(req.trial ? { hyperparameters: req.trial.hyperparameters } : {}),
        timeBudgetMs: req.timeBudgetMs,
        memoryMb: req.memoryMb,
        nativeDir: req.nativeDir,
        from: 'official',
      },
      events,
    );
    const cancel = () => handle.cancel();
    if (req.signal?.aborted) cancel();
    req.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return { ...(await handle.result), manifest, seedPolicy };
    } finally {
      req.signal?.removeEventListener('abort', cancel);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
