// Where a study is kept. On disk, `<labDir>/.mllabs/studies/<id>/`:
//   spec.json    the validated spec (itself a valid spec file), written atomically
//   trials.jsonl the journal: one trial event per line, append-only — the source of truth
//   best.json    the best completed trial so far, written atomically (a convenience for readers)
//   lock.json    present while a process runs the study, so two never run it at once
// A journal whose last line was torn by a kill is read with a warning, and the torn fragment is cut
// off before the next append so that it cannot swallow a new line.
import * as fs from 'fs';
import * as path from 'path';
import { appendLabFile, ensureLabDir, FILE_LIMITS, listLabDir, lstatInLab, readLabFile, readLabText, writeLabFile } from '../files/labFiles';
import { WORK_DIR } from '../files/paths';
import { recordJson, timestampedId } from '../files/workRecords';
import { pidAlive } from '../process/alive';
import { describeIssues } from '../zodMessages';
import { StudyId, StudySpec } from './spec';
import { bestTrial, type BestTrial } from './study';
import { parseJournal, replayJournal, type Trial, type TrialEvent } from './trial';

export const STUDIES_DIR = 'studies';
export const SPEC_FILE = 'spec.json';
export const JOURNAL_FILE = 'trials.jsonl';
export const BEST_FILE = 'best.json';
export const LOCK_FILE = 'lock.json';

export interface StoredStudy {
  spec: StudySpec;
  events: TrialEvent[];
  warnings: string[];
}

export class StudyBusyError extends Error {
  constructor(
    readonly studyId: string,
    readonly pid: number,
  ) {
    super(`study ${studyId} is being run by another process (pid ${pid}); wait for it to finish or stop it first`);
    this.name = 'StudyBusyError';
  }
}

export class StudyNotFoundError extends Error {
  constructor(
    readonly studyId: string,
    where: string,
  ) {
    super(`there is no study "${studyId}" in ${where}`);
    this.name = 'StudyNotFoundError';
  }
}

/** The storage a study runner writes to; the same contract for files and for memory. */
export interface StudyStorage {
  readonly id: string;
  /** For messages: the study folder, or "memory". */
  readonly location: string;
  exists(): boolean;
  /** Starts a new study. Throws if one with this id exists. */
  create(spec: StudySpec): void;
  /** Throws StudyNotFoundError if the study does not exist, or an Error if its spec is unreadable. */
  load(): StoredStudy;
  saveSpec(spec: StudySpec): void;
  append(event: TrialEvent): void;
  saveBest(best: BestTrial): void;
  /** Claims the study for this process and returns the release function. Throws StudyBusyError. */
  lock(): () => void;
}

export function studiesRoot(labDir: string): string {
  return path.join(labDir, WORK_DIR, STUDIES_DIR);
}

/** A fresh study id: the local time, then random hex (sorts by creation time). */
export const newStudyId = timestampedId;

/** A study's files live in the lab folder (user data, maybe hostile): every access is checked (files/labFiles.ts). */
export class FileStudyStorage implements StudyStorage {
  readonly dir: string;
  /** The study's folder relative to the lab folder. */
  private readonly rel: string;
  private tailChecked = false;

  constructor(
    readonly labDir: string,
    readonly id: string,
  ) {
    if (!StudyId.safeParse(id).success) throw new StudyNotFoundError(id, studiesRoot(labDir));
    this.rel = `${WORK_DIR}/${STUDIES_DIR}/${id}`;
    this.dir = path.join(studiesRoot(labDir), id);
  }

  get location(): string {
    return this.dir;
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  private relOf(name: string): string {
    return `${this.rel}/${name}`;
  }

  exists(): boolean {
    try {
      return lstatInLab(this.labDir, this.relOf(SPEC_FILE)) !== undefined;
    } catch {
      return false;
    }
  }

  create(spec: StudySpec): void {
    if (this.exists()) throw new Error(`study ${this.id} already exists in ${this.dir}`);
    ensureLabDir(this.labDir, this.rel);
    appendLabFile(this.labDir, this.relOf(JOURNAL_FILE), '');
    writeLabFile(this.labDir, this.relOf(SPEC_FILE), recordJson(spec));
  }

  load(): StoredStudy {
    if (!this.exists()) throw new StudyNotFoundError(this.id, studiesRoot(this.labDir));
    const specFile = this.file(SPEC_FILE);
    let raw: unknown;
    try {
      raw = JSON.parse(readLabText(this.labDir, this.relOf(SPEC_FILE), FILE_LIMITS.spec) ?? '');
    } catch (err) {
      throw new Error(`${specFile} cannot be read: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    const parsed = StudySpec.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${specFile} is not a valid study spec:\n${describeIssues(parsed.error)
          .map((m) => `  - ${m}`)
          .join('\n')}`,
      );
    let text = '';
    const warnings: string[] = [];
    try {
      text = readLabText(this.labDir, this.relOf(JOURNAL_FILE), FILE_LIMITS.journal) ?? '';
    } catch (err) {
      warnings.push(`${this.id}/${JOURNAL_FILE}: ${(err as Error).message.split('\n')[0]}`);
    }
    const journal = parseJournal(text, `${this.id}/${JOURNAL_FILE}`);
    return { spec: parsed.data, events: journal.events, warnings: [...warnings, ...journal.warnings] };
  }

  saveSpec(spec: StudySpec): void {
    writeLabFile(this.labDir, this.relOf(SPEC_FILE), recordJson(spec));
  }

  append(event: TrialEvent): void {
    if (!this.tailChecked) {
      cutTornTail(this.labDir, this.relOf(JOURNAL_FILE));
      this.tailChecked = true;
    }
    // One write call per line: a kill can tear at most the line being written.
    appendLabFile(this.labDir, this.relOf(JOURNAL_FILE), JSON.stringify(event) + '\n');
  }

  saveBest(best: BestTrial): void {
    writeLabFile(this.labDir, this.relOf(BEST_FILE), recordJson({ ...best, updatedAt: new Date().toISOString() }));
  }

  lock(): () => void {
    ensureLabDir(this.labDir, this.rel);
    const file = this.file(LOCK_FILE);
    const record = JSON.stringify({ pid: process.pid, since: new Date().toISOString() }) + '\n';
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, record, { flag: 'wx' });
        return () => {
          try {
            fs.unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readLock(this.labDir, this.relOf(LOCK_FILE));
      if (holder !== undefined && (holder === process.pid || pidAlive(holder))) throw new StudyBusyError(this.id, holder);
      // Left behind by a process that is gone: take it over.
      fs.rmSync(file, { force: true });
    }
    throw new Error(`cannot lock study ${this.id}: ${file} keeps reappearing`);
  }

  /** The pid holding the study, if a live process does. */
  activePid(): number | undefined {
    const pid = readLock(this.labDir, this.relOf(LOCK_FILE));
    return pid !== undefined && pidAlive(pid) ? pid : undefined;
  }
}

/** The pid recorded in a lock file (undefined if there is none or it cannot be read). */
function readLock(labDir: string, rel: string): number | undefined {
  try {
    const pid = (JSON.parse(readLabText(labDir, rel, 4096) ?? '') as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Truncates a journal that does not end in a newline back to its last complete line. */
function cutTornTail(labDir: string, rel: string): void {
  let text: Buffer | undefined;
  try {
    text = readLabFile(labDir, rel, FILE_LIMITS.journal);
  } catch {
    return;
  }
  if (!text || text.length === 0 || text[text.length - 1] === 0x0a) return;
  const keep = text.lastIndexOf(0x0a) + 1;
  fs.truncateSync(path.join(labDir, rel), keep);
}

/** A study held in memory: for tests and benchmarks, and as the reference for the storage contract. */
export class MemoryStudyStorage implements StudyStorage {
  readonly location = 'memory';
  spec: StudySpec | undefined;
  readonly events: TrialEvent[] = [];
  best: BestTrial | undefined;
  private locked = false;

  constructor(readonly id = 'memory') {}

  exists(): boolean {
    return this.spec !== undefined;
  }

  create(spec: StudySpec): void {
    if (this.spec) throw new Error(`study ${this.id} already exists`);
    this.spec = spec;
  }

  load(): StoredStudy {
    if (!this.spec) throw new StudyNotFoundError(this.id, 'memory');
    return { spec: this.spec, events: this.events.map((e) => ({ ...e })), warnings: [] };
  }

  saveSpec(spec: StudySpec): void {
    this.spec = spec;
  }

  append(event: TrialEvent): void {
    this.events.push({ ...event });
  }

  saveBest(best: BestTrial): void {
    this.best = best;
  }

  lock(): () => void {
    if (this.locked) throw new StudyBusyError(this.id, process.pid);
    this.locked = true;
    return () => {
      this.locked = false;
    };
  }
}

// ---- Reading studies (for the dashboard and the CLI) ----------------------------------------

export interface StudySnapshot {
  id: string;
  dir: string;
  spec: StudySpec;
  /** Trials by number. In a study no process is running, "running" trials are shown as interrupted. */
  trials: Trial[];
  best?: BestTrial;
  /** Pid of the process running the study now, if any. */
  activePid?: number;
  warnings: string[];
}

/** One study as its files say now, or undefined if there is none with that id. Never throws on bad files. */
export function readStudy(labDir: string, id: string): StudySnapshot | undefined {
  if (!StudyId.safeParse(id).success) return undefined;
  const storage = new FileStudyStorage(labDir, id);
  if (!storage.exists()) return undefined;
  let stored: StoredStudy;
  try {
    stored = storage.load();
  } catch {
    return undefined;
  }
  const { trials, warnings } = replayJournal(stored.events);
  const activePid = storage.activePid();
  if (activePid === undefined) {
    for (const t of trials) if (t.state === 'running') Object.assign(t, { state: 'interrupted', error: 'not finished (the study is not running)' });
  }
  return { id, dir: storage.dir, spec: stored.spec, trials, best: bestTrial(stored.spec, trials), activePid, warnings: [...stored.warnings, ...warnings] };
}

/** Every study of a lab, oldest first; unreadable ones are reported, never thrown. */
export function listStudies(labDir: string): { studies: StudySnapshot[]; warnings: string[] } {
  const root = studiesRoot(labDir);
  const studies: StudySnapshot[] = [];
  const warnings: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = listLabDir(labDir, `${WORK_DIR}/${STUDIES_DIR}`);
  } catch (err) {
    return { studies, warnings: [(err as Error).message] };
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || !StudyId.safeParse(entry.name).success) continue;
    const study = readStudy(labDir, entry.name);
    if (study) studies.push(study);
    else warnings.push(`${path.join(root, entry.name)} is not a readable study; skipped`);
  }
  studies.sort((a, b) => a.id.localeCompare(b.id));
  return { studies, warnings };
}
