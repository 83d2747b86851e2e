// Shared test helpers: fixture labs in temporary folders, run through the real runner.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openLab, runLab, type LabRunOptions, type LabRunEvents, type LabRunHandle } from '../src/core/run/labRun';

/** ML Labs' own folder (its record key) for the tests: never the developer's home. */
process.env.MLLABS_HOME ??= fs.mkdtempSync(path.join(os.tmpdir(), 'mllabs-home-'));

/** The repository root (tests run from out/test/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

export function tempDir(prefix = 'mllabs-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A copy of the fixture lab whose model.ts is the named learner file. */
export function fixtureLab(learner: string, manifestPatch: Record<string, unknown> = {}): string {
  const dir = tempDir(`mllabs-${learner}-`);
  const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'labs', 'linear', 'lab.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, 'lab.json'), JSON.stringify({ ...manifest, ...manifestPatch }, null, 2));
  fs.copyFileSync(path.join(FIXTURES, 'learners', `${learner}.ts`), path.join(dir, 'model.ts'));
  return dir;
}

export function startFixture(dir: string, options: Partial<LabRunOptions> = {}, events: LabRunEvents = {}): LabRunHandle {
  return runLab(openLab(dir, REPO_ROOT), { installRoot: REPO_ROOT, backend: 'cpu', seed: 1, ...options }, events);
}

export function runFixture(dir: string, options: Partial<LabRunOptions> = {}, events: LabRunEvents = {}) {
  return startFixture(dir, options, events).result;
}

/** Line number (1-based) of the first line of a learner fixture containing `text`. */
export function lineOf(learner: string, text: string): number {
  const lines = fs.readFileSync(path.join(FIXTURES, 'learners', `${learner}.ts`), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`"${text}" not in ${learner}.ts`);
  return i + 1;
}

/**
 * Lab calibration tests train real models (seconds each): they run under CI, or with MLLABS_SLOW=1,
 * and are listed as pending otherwise so the everyday suite stays fast.
 */
export const describeSlow: Mocha.SuiteFunction = process.env.CI || process.env.MLLABS_SLOW ? describe : (describe.skip as unknown as Mocha.SuiteFunction);
