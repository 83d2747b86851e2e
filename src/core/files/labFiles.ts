// Reading and writing inside a lab folder, which is user data and may be hostile (a cloned repo):
// every path is checked component by component (no symbolic link on the way, nothing outside the
// folder), every read is of a regular file and capped in size (a FIFO or /dev/zero never blocks or
// fills memory), long files are streamed, and writes never follow a link out of the folder.
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export class LabFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabFileError';
  }
}

/** Size caps of the files ML Labs reads from a lab folder. */
export const FILE_LIMITS = {
  /** A learner's source file (the reference solutions are a few KB). */
  source: 512 * 1024,
  manifest: 1024 * 1024,
  record: 1024 * 1024,
  metrics: 64 * 1024 * 1024,
  metricsLine: 64 * 1024,
  spec: 256 * 1024,
  journal: 64 * 1024 * 1024,
};

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/** Splits a path relative to the lab into components, refusing anything that leaves it. */
function components(rel: string): string[] {
  if (path.isAbsolute(rel)) throw new LabFileError(`${rel} is not a path inside the lab folder`);
  const parts = rel.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new LabFileError(`${rel} leaves the lab folder`);
  return parts;
}

function describe(st: fs.Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a pipe';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * lstat of every component from the lab folder down: undefined if something is missing, an error if
 * any component is a symbolic link (or a folder on the way is not a folder).
 */
export function lstatInLab(labDir: string, rel: string): fs.Stats | undefined {
  const parts = components(rel);
  let at = labDir;
  let st: fs.Stats | undefined;
  for (let i = 0; i < parts.length; i++) {
    at = path.join(at, parts[i]);
    try {
      st = fs.lstatSync(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
    const shown = parts.slice(0, i + 1).join('/');
    if (st.isSymbolicLink())
      throw new LabFileError(`${shown} in ${labDir} is a symbolic link; ML Labs reads and writes only real files and folders inside the lab folder`);
    if (i < parts.length - 1 && !st.isDirectory()) throw new LabFileError(`${shown} in ${labDir} is ${describe(st)}, not a folder`);
  }
  return st;
}

/** A regular file inside the lab folder, read whole if it is at most `maxBytes`; undefined if missing. */
export function readLabFile(labDir: string, rel: string, maxBytes: number): Buffer | undefined {
  const st = lstatInLab(labDir, rel);
  if (!st) return undefined;
  const shown = `${rel} in ${labDir}`;
  if (!st.isFile()) throw new LabFileError(`${shown} is ${describe(st)}, not a regular file`);
  if (st.size > maxBytes) throw new LabFileError(`${shown} is ${formatBytes(st.size)}, more than the ${formatBytes(maxBytes)} ML Labs reads`);
  const fd = fs.openSync(path.join(labDir, rel), fs.constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) throw new LabFileError(`${shown} is ${describe(fst)}, not a regular file`);
    if (fst.size > maxBytes) throw new LabFileError(`${shown} is ${formatBytes(fst.size)}, more than the ${formatBytes(maxBytes)} ML Labs reads`);
    const out = Buffer.alloc(fst.size);
    let read = 0;
    while (read < out.length) {
      const n = fs.readSync(fd, out, read, out.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return out.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

export function readLabText(labDir: string, rel: string, maxBytes: number): string | undefined {
  return readLabFile(labDir, rel, maxBytes)?.toString('utf8');
}

/** Creates the folders of `rel` inside the lab (none of them may be a link); returns the absolute path. */
export function ensureLabDir(labDir: string, rel: string): string {
  let at = labDir;
  for (const part of components(rel)) {
    at = path.join(at, part);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(at);
    } catch {
      st = undefined;
    }
    if (!st) {
      try {
        fs.mkdirSync(at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      st = fs.lstatSync(at);
    }
    if (st.isSymbolicLink())
      throw new LabFileError(`${path.relative(labDir, at)} in ${labDir} is a symbolic link; ML Labs writes only into real folders inside the lab folder`);
    if (!st.isDirectory()) throw new LabFileError(`${path.relative(labDir, at)} in ${labDir} is ${describe(st)}, not a folder`);
  }
  return at;
}

/** Writes a file inside the lab atomically (a new temporary file, then rename): never through a link. */
export function writeLabFile(labDir: string, rel: string, data: string | Uint8Array): void {
  const parts = components(rel);
  const dir = ensureLabDir(labDir, parts.slice(0, -1).join('/'));
  const target = path.join(dir, parts[parts.length - 1]);
  const existing = lstatInLab(labDir, rel);
  if (existing && !existing.isFile()) throw new LabFileError(`${rel} in ${labDir} is ${describe(existing)}; ML Labs will not replace it`);
  const temp = path.join(dir, `.${parts[parts.length - 1]}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, 0o644);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

/** Appends to a regular file inside the lab (created if missing), never through a link. */
export function appendLabFile(labDir: string, rel: string, data: string): void {
  const parts = components(rel);
  const dir = ensureLabDir(labDir, parts.slice(0, -1).join('/'));
  const existing = lstatInLab(labDir, rel);
  if (existing && !existing.isFile()) throw new LabFileError(`${rel} in ${labDir} is ${describe(existing)}; ML Labs will not write to it`);
  const fd = fs.openSync(path.join(dir, parts[parts.length - 1]), fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | O_NOFOLLOW, 0o644);
  try {
    fs.writeSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/** The names in a folder of the lab (no link on the way), or [] if it is missing. */
export function listLabDir(labDir: string, rel: string): fs.Dirent[] {
  const st = rel === '' ? fs.lstatSync(labDir) : lstatInLab(labDir, rel);
  if (!st) return [];
  if (!st.isDirectory()) throw new LabFileError(`${rel} in ${labDir} is ${describe(st)}, not a folder`);
  return fs.readdirSync(path.join(labDir, rel), { withFileTypes: true });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${Math.round(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
