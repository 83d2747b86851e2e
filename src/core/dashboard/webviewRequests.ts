// What the webview may ask the host to write or open, checked and carried out: save a chart image
// (that really is a PNG) or the runs' metrics, open a file inside the lab folder, open the code a run
// of the lab ran. The effects themselves (a save dialog, an editor) are the front end's.
import * as fs from 'fs';
import * as path from 'path';
import { metricsCsv } from './csv';
import { runCode, type LoadedRun } from './data';
import { PNG_DATA_URL_PREFIX, type OpenLocationMessage, type OpenRunCodeMessage, type SavePngMessage } from './protocol';
import type { LabManifest } from '../lab/manifest';
import { SOURCE_DIR } from '../run/codeSnapshot';
import { RunStore } from '../run/store';

export interface SourceSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** What the requests need from the dashboard's surroundings (VS Code, or a test). */
export interface RequestEffects {
  /** Asks where to save and writes the file; resolves when done or cancelled. */
  saveFile(kind: 'png' | 'csv', suggestedName: string, bytes: Uint8Array): Promise<void>;
  /** Opens a file of the lab (already checked to be inside it) at a 1-based span. */
  openLocation(absolutePath: string, span: SourceSpan): Promise<void>;
  /**
   * Opens the code a run ran (a file of its source/ folder), or compares it with the previous
   * run's version of that file when `previousFile` is given. `title` names both runs.
   */
  openRunCode(file: string, previousFile: string | undefined, title: string): Promise<void>;
  log(message: string): void;
}

/** The lab the dashboard shows, and the effects that carry a request out. */
export interface RequestScope {
  labDir: string;
  labId: string;
  manifest: LabManifest | undefined;
  effects: RequestEffects;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG bytes of a data URL, or undefined when it is not really a PNG. */
export function decodePngDataUrl(dataUrl: string): Uint8Array | undefined {
  if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX)) return undefined;
  const bytes = Buffer.from(dataUrl.slice(PNG_DATA_URL_PREFIX.length), 'base64');
  if (bytes.length < PNG_SIGNATURE.length + 12) return undefined;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The absolute path of a file inside the lab folder, or undefined if the path leaves it. */
export function resolveInLab(labDir: string, relative: string): string | undefined {
  if (path.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) return undefined;
  const root = path.resolve(labDir);
  const abs = path.resolve(root, relative);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  // The learner's files, not the run store or anything hidden.
  if (rel.split(path.sep).some((part) => part.startsWith('.'))) return undefined;
  return abs;
}

/** A file name safe on every platform, from a lab id and a chart name. */
export function exportFileName(labId: string, what: string, ext: 'png' | 'csv'): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'lab';
  return `${clean(labId)}-${clean(what)}.${ext}`;
}

export async function savePng(scope: RequestScope, m: SavePngMessage): Promise<void> {
  const bytes = decodePngDataUrl(m.dataUrl);
  if (!bytes) {
    scope.effects.log('dashboard: the chart image is not a PNG; nothing was saved');
    return;
  }
  await scope.effects.saveFile('png', exportFileName(scope.labId, m.chart, 'png'), bytes);
}

/** The metrics of the runs named (all of the lab's when none is), as a CSV file. */
export async function exportCsv(scope: RequestScope, runIds: readonly string[]): Promise<void> {
  const store = new RunStore(scope.labDir);
  const wanted = runIds.length ? runIds : store.list().runs.map((r) => r.id);
  const runs: LoadedRun[] = [];
  for (const id of wanted) {
    const read = store.read(id);
    if (read) runs.push({ record: read.record, epochs: read.epochs });
  }
  if (runs.length === 0) {
    scope.effects.log('dashboard: no runs to export');
    return;
  }
  await scope.effects.saveFile('csv', exportFileName(scope.labId, 'metrics', 'csv'), new TextEncoder().encode(metricsCsv(runs)));
}

/** Only runs of this lab, and only files of their source/ folders. */
export async function openRunCode(scope: RequestScope, m: OpenRunCodeMessage): Promise<void> {
  const store = new RunStore(scope.labDir);
  const runs = store.list().runs;
  const i = runs.findIndex((r) => r.id === m.runId);
  if (i < 0) {
    scope.effects.log(`dashboard: refused to open the code of "${m.runId}": not a run of the lab`);
    return;
  }
  const code = runCode(store, m.runId, runs[i - 1]?.id, scope.manifest?.files[0]);
  // The first changed file when comparing (else the entry file): what the learner wants to see.
  const changedFile = m.compare ? /^@@ (.+?)(?::\d+)?(?::| new file| removed|$)/.exec(code.diff[0] ?? '')?.[1] : undefined;
  const rel = changedFile && code.files.includes(changedFile) ? changedFile : code.files[0];
  if (!rel) {
    scope.effects.log(`dashboard: run ${m.runId} kept no code`);
    return;
  }
  const file = path.join(store.runDir(m.runId), SOURCE_DIR, ...rel.split('/'));
  const previousId = m.compare ? runs[i - 1]?.id : undefined;
  const previousFile = previousId ? path.join(store.runDir(previousId), SOURCE_DIR, ...rel.split('/')) : undefined;
  const title = previousId ? `${rel}: run #${i} ↔ run #${i + 1}` : `${rel} (run #${i + 1})`;
  await scope.effects.openRunCode(file, previousFile && fs.existsSync(previousFile) ? previousFile : undefined, title);
}

export async function openLocation(scope: RequestScope, m: OpenLocationMessage): Promise<void> {
  const abs = resolveInLab(scope.labDir, m.file);
  if (!abs) {
    scope.effects.log(`dashboard: refused to open "${m.file}": not a file of the lab`);
    return;
  }
  await scope.effects.openLocation(abs, { line: m.line, column: m.column, endLine: m.endLine ?? m.line, endColumn: m.endColumn ?? m.column });
}
