// Running a lab from a terminal: live progress on stderr, then the grade on stdout (text or JSON)
// and, when asked, as JUnit XML; and the exit code a grade stands for.
import * as fs from 'fs';
import * as path from 'path';
import { parseManifest } from '../../core/lab/catalog';
import { FILE_LIMITS, readLabText } from '../../core/files/labFiles';
import { openLab, runLab, type LabRunResult, type OpenedLab } from '../../core/run/labRun';
import { cliNativeDir } from '../backend';
import { INSTALL_ROOT } from '../installRoot';
import { toJUnit } from '../junit';
import { dim, ProgressView, renderGrade, yellow } from '../render';
import { EXIT_ERROR, EXIT_FAIL, EXIT_PASS, UsageError } from './action';
import type { RunFlags } from './options';

export function openLabOrExplain(dir: string): OpenedLab {
  const labDir = path.resolve(dir);
  const lab = openLab(labDir, INSTALL_ROOT);
  for (const note of lab.notes) process.stderr.write(`${yellow('note:')} ${note}\n`);
  return lab;
}

/** Runs a lab with live progress on stderr; Ctrl-C cancels the run cleanly. */
export async function runWithProgress(lab: OpenedLab, flags: RunFlags): Promise<LabRunResult> {
  const view = new ProgressView(process.stderr, lab.manifest);
  const quiet = !!flags.quiet;
  const handle = runLab(
    lab,
    {
      installRoot: INSTALL_ROOT,
      nativeDir: cliNativeDir(),
      backend: flags.backend,
      seed: flags.seed,
      hyperparameters: flags.set,
      timeBudgetMs: flags.timeBudget !== undefined ? flags.timeBudget * 1000 : undefined,
      memoryMb: flags.memory,
    },
    {
      onCreated: (r) => !quiet && process.stderr.write(`${dim('run')} ${r.id} ${dim(`(seed ${r.seed})`)}\n`),
      onReady: (m) => !quiet && view.ready(m),
      onStarted: (m) => !quiet && view.started(m),
      onProgress: (e, b, n) => !quiet && view.progress(e, b, n),
      onEpoch: (m) => !quiet && view.epoch(m),
      onLog: (level, message) => process.stderr.write(`${level === 'warn' ? yellow('warning:') : dim('note:')} ${message}\n`),
      onOutput: (stream, text) => {
        if (quiet) return;
        // What the learner's code prints is shown, marked as theirs.
        for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`${dim('│')} ${line}\n`);
        void stream;
      },
    },
  );
  const onSigint = () => {
    process.stderr.write(`\n${yellow('cancelling…')}\n`);
    handle.cancel();
  };
  process.once('SIGINT', onSigint);
  try {
    return await handle.result;
  } finally {
    process.removeListener('SIGINT', onSigint);
    view.stop();
  }
}

/** The lab id a folder's lab.json names (official grading uses the course's lab of that id). */
export function folderLabId(dir: string): string {
  const text = readLabText(dir, 'lab.json', FILE_LIMITS.manifest);
  if (text === undefined) throw new UsageError(`${dir} has no lab.json: name the lab with --lab <id>`);
  const parsed = parseManifest(path.join(dir, 'lab.json'), text);
  if (parsed.ok) return parsed.manifest.id;
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id === 'string') return id;
  } catch {
    // fall through
  }
  throw new UsageError(`${dir}/lab.json names no lab: name it with --lab <id>`);
}

export function exitCodeFor(result: { grade: { passed: boolean }; record: { status: string } }): number {
  if (result.grade.passed) return EXIT_PASS;
  return result.record.status === 'completed' || result.record.status === 'diverged' ? EXIT_FAIL : EXIT_ERROR;
}

export function writeOutputs(
  result: LabRunResult | { grade: LabRunResult['grade']; record: LabRunResult['record'] },
  labDir: string,
  opts: { json?: boolean; junit?: string },
  extra: Record<string, unknown> = {},
): void {
  if (opts.junit) {
    fs.writeFileSync(opts.junit, toJUnit(result.grade, (result.record.durationMs ?? 0) / 1000));
    process.stderr.write(`${dim('JUnit report:')} ${opts.junit}\n`);
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify({ run: result.record, grade: result.grade, ...extra }, null, 2) + '\n');
  } else {
    process.stdout.write('\n' + renderGrade(result.grade, labDir) + '\n');
  }
}
