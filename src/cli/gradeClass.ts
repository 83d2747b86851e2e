// `mllabs grade-class <submissions> --lab <id>`: an official grading of every learner's folder, on
// this machine (as many at once as there are cores) or on queue workers (--redis), into a gradebook:
// CSV (one row per learner), JSON, and a JUnit file per learner. A progress bar shows the estimate of
// the time left; Ctrl-C stops, and the same command continues where it stopped.
import * as fs from 'fs';
import * as path from 'path';
import { MultiBar } from 'cli-progress';
import { findLab, loadCatalog, type Lab } from '../core/lab/catalog';
import { Gradebook, settingsDigest, type GradebookRow } from '../core/classGrading/gradebook';
import { gradeClass, type ClassGradingOptions, type ClassGradingResult, type Grader } from '../core/classGrading/gradeClass';
import { LocalGrader } from '../core/classGrading/localGrader';
import { SubmissionsError } from '../core/classGrading/submissions';
import { SECRET_ENV } from '../core/grade/official';
import type { GradeReport } from '../core/grade/report';
import { formatValue } from '../core/format';
import type { BackendChoice } from '../core/lab/manifest';
import { installPaths } from '../core/files/paths';
import { secretIdOf } from '../core/classGrading/secret';
import { cliNativeDir } from './backend';
import { toJUnit } from './junit';
import { isQueueSetupError, queueSetup, type QueueFlags } from './queueOptions';
import { bold, dim, green, red, yellow } from './render';

export interface GradeClassFlags extends QueueFlags {
  lab: string;
  out?: string;
  timeBudget?: number;
  backend: BackendChoice;
  memory?: number;
  concurrency?: number;
  json?: boolean;
}

/** Exit codes: every learner has a grade; some could not be graded (run again to retry them); usage. */
export const CLASS_GRADED = 0;
export const CLASS_INCOMPLETE = 1;
export const CLASS_ERROR = 2;

function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A grading that never ran still gets a JUnit file: one failed case saying why. */
function reportOf(row: GradebookRow, lab: string): GradeReport {
  if (row.grade) return row.grade;
  const message = row.reason ?? `not graded (${row.status})`;
  return {
    formatVersion: 1,
    lab,
    runId: 'none',
    gradedAt: row.gradedAt,
    passed: false,
    summary: message,
    results: [{ id: 'graded', title: 'The submission is graded', status: 'fail', optional: false, message }],
  };
}

function describeRow(row: GradebookRow): string {
  const mark = row.passed ? green('✔') : row.status === 'error' ? yellow('!') : red('✘');
  const value = row.metric && row.value !== undefined && row.value !== null ? ` ${row.metric} ${formatValue(row.value)}` : '';
  const checks = row.checksTotal ? ` ${row.checksPassed}/${row.checksTotal} checks` : '';
  const verdict = row.passed ? 'passed' : row.status === 'completed' ? 'not passed' : row.status;
  return `${mark} ${row.learner} ${verdict}${checks}${value}${row.passed || !row.reason ? '' : dim(` — ${row.reason}`)}`;
}

/** Shows the class's progress: a bar with the time left on a terminal, a line per learner otherwise. */
class ClassProgress {
  private readonly tty = !!process.stderr.isTTY;
  private multi?: MultiBar;
  private bar?: ReturnType<MultiBar['create']>;
  private done = 0;
  private total = 0;
  private counts = { passed: 0, failed: 0, errors: 0 };
  private started = Date.now();
  private gradedNow = 0;

  start(total: number, skipped: number): void {
    this.total = total;
    this.done = skipped;
    this.started = Date.now();
    if (this.tty && total > skipped) {
      this.multi = new MultiBar({
        format: ' grading {bar} {value}/{total} learners | {passed} passed, {failed} not passed, {errors} not graded | {eta_formatted} left',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        etaBuffer: 20,
        stream: process.stderr,
      });
      this.bar = this.multi.create(total, skipped, this.counts);
    }
  }

  note(message: string): void {
    if (this.multi) this.multi.log(`${message}\n`);
    else process.stderr.write(`${message}\n`);
  }

  graded(row: GradebookRow): void {
    this.done++;
    this.gradedNow++;
    if (row.passed) this.counts.passed++;
    else if (row.status === 'error') this.counts.errors++;
    else this.counts.failed++;
    if (this.bar) {
      this.multi!.log(`${describeRow(row)}\n`);
      this.bar.update(this.done, this.counts);
    } else {
      const left = this.total - this.done;
      const eta = left > 0 ? `, ~${fmtDuration(((Date.now() - this.started) / this.gradedNow) * left)} left` : '';
      process.stderr.write(`[${this.done}/${this.total}${eta}] ${describeRow(row)}\n`);
    }
  }

  stop(): void {
    // A redraw writes the lines logged since the last one (the last learner's among them).
    this.multi?.update();
    this.multi?.stop();
  }
}

/** The grading settings every learner's grade depends on. */
interface ClassSettings {
  secret: string | undefined;
  secretId: string | undefined;
  timeBudgetMs: number | undefined;
}

/** Who grades: the queue's workers (with a Redis URL) or this machine; `where` says which. */
interface GraderSetup {
  grader: Grader;
  close: () => Promise<void>;
  where: string;
}

export async function gradeClassCommand(installRoot: string, dir: string, flags: GradeClassFlags): Promise<number> {
  const target = resolveTarget(installRoot, dir, flags);
  if (!target) return CLASS_ERROR;
  const { lab, submissionsDir, csv } = target;
  const secret = process.env[SECRET_ENV] || undefined;
  const grading: ClassSettings = { secret, secretId: secretIdOf(secret), timeBudgetMs: flags.timeBudget !== undefined ? flags.timeBudget * 1000 : undefined };
  const settings = settingsDigest({ backend: flags.backend, timeBudgetMs: grading.timeBudgetMs, memoryMb: flags.memory, secretId: grading.secretId });
  const progress = new ClassProgress();

  let setup: GraderSetup;
  try {
    setup = await openGrader(installRoot, lab, flags, grading, progress);
  } catch (err) {
    if (isQueueSetupError(err)) {
      process.stderr.write(`${red('error:')} ${err.message}\n`);
      return CLASS_ERROR;
    }
    throw err;
  }

  const gradebook = new Gradebook(csv);
  for (const w of gradebook.warnings) process.stderr.write(`${yellow('warning:')} ${w}\n`);
  const result = await gradeLearners({ submissionsDir, lab, grader: setup.grader, gradebook, settings }, setup, secret, progress);
  if (!result) return CLASS_ERROR;

  const rows = gradebook.write(
    result.rows.map((r) => r.learner),
    { lab: lab.manifest.id, title: lab.manifest.title, manifestSha256: lab.sha256, settings, seedPolicy: result.rows.find((r) => r.seedPolicy)?.seedPolicy },
  );
  writeJUnitFiles(gradebook, rows, lab);
  return reportClass(lab, gradebook, rows, result, !!flags.json);
}

/** The course's lab and the gradebook's file; undefined (said on stderr) when either is unusable. */
function resolveTarget(installRoot: string, dir: string, flags: GradeClassFlags): { lab: Lab; submissionsDir: string; csv: string } | undefined {
  const catalog = loadCatalog(installPaths(installRoot).templatesDir);
  const lab: Lab | undefined = findLab(catalog, flags.lab);
  if (!lab) {
    process.stderr.write(`${red('error:')} "${flags.lab}" is not a lab of the course (labs: ${catalog.labs.map((l) => l.manifest.id).join(', ')})\n`);
    return undefined;
  }
  const submissionsDir = path.resolve(dir);
  const csv = path.resolve(flags.out ?? `gradebook-${lab.manifest.id}.csv`);
  if (path.dirname(csv) === submissionsDir || csv.startsWith(submissionsDir + path.sep)) {
    process.stderr.write(`${red('error:')} write the gradebook outside the submissions folder (${submissionsDir}): its files would be taken for a learner's\n`);
    return undefined;
  }
  return { lab, submissionsDir, csv };
}

/** With a Redis URL, the queue's workers grade; otherwise this machine, several at once. */
async function openGrader(installRoot: string, lab: Lab, flags: GradeClassFlags, grading: ClassSettings, progress: ClassProgress): Promise<GraderSetup> {
  const { secret, secretId, timeBudgetMs } = grading;
  const setup = await queueSetup(flags);
  if (setup) {
    const { q, target, key } = setup;
    const coordinator = await q.JobCoordinator.open({ target, key, warn: (m) => progress.note(`${yellow('note:')} ${m}`) });
    const grader = new q.QueueGrader(coordinator, key, {
      labId: lab.manifest.id,
      manifestSha256: lab.sha256,
      secretId,
      backend: flags.backend,
      timeBudgetMs,
      memoryMb: flags.memory,
      note: (m) => progress.note(`${yellow('note:')} ${m}`),
    });
    return {
      grader,
      close: () => coordinator.close(),
      where: `on the workers of queue "${target.queue}" at ${target.shown} (results signed with key ${key.fingerprint})`,
    };
  }
  const local = new LocalGrader({
    installRoot,
    labId: lab.manifest.id,
    secret,
    secretId,
    backend: flags.backend,
    timeBudgetMs,
    memoryMb: flags.memory,
    nativeDir: cliNativeDir(),
    concurrency: flags.concurrency,
  });
  return { grader: local, close: async () => {}, where: `on this machine, ${local.parallel} at a time` };
}

/**
 * Grades every learner whose grade is not current, with the progress shown; Ctrl-C stops between
 * gradings. The grader is closed however it ends. undefined (said) when the submissions cannot be read.
 */
async function gradeLearners(
  options: Omit<ClassGradingOptions, 'signal' | 'onPlan' | 'onGraded'>,
  { close, where }: GraderSetup,
  secret: string | undefined,
  progress: ClassProgress,
): Promise<ClassGradingResult | undefined> {
  const { lab } = options;
  const controller = new AbortController();
  const onSigint = () => {
    progress.note(`\n${yellow('stopping: the grades made so far are kept; run the same command to continue')}`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let result: ClassGradingResult;
  try {
    result = await gradeClass({
      ...options,
      signal: controller.signal,
      onPlan: (plan) => {
        for (const name of plan.ignored) process.stderr.write(`${yellow('note:')} ${name} is not a folder; skipped\n`);
        process.stderr.write(
          `${bold(`grading ${lab.manifest.id}`)} for ${plan.total} learner${plan.total === 1 ? '' : 's'} ${where}` +
            `${plan.skipped ? `; ${plan.skipped} unchanged since their last grade` : ''}; ${secret ? 'held-out rows chosen by the grading secret' : `no ${SECRET_ENV}: the lab's published split`}\n`,
        );
        progress.start(plan.total, plan.skipped);
      },
      onGraded: (row) => progress.graded(row),
    });
  } catch (err) {
    progress.stop();
    await close();
    if (err instanceof SubmissionsError) {
      process.stderr.write(`${red('error:')} ${err.message}\n`);
      return undefined;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  progress.stop();
  await close();
  return result;
}

function writeJUnitFiles(gradebook: Gradebook, rows: GradebookRow[], lab: Lab): void {
  fs.mkdirSync(gradebook.paths.junitDir, { recursive: true });
  for (const row of rows) {
    fs.writeFileSync(
      path.join(gradebook.paths.junitDir, `${row.learner}.xml`),
      toJUnit(reportOf(row, lab.manifest.id), (row.durationMs ?? 0) / 1000, `${lab.manifest.id} — ${row.learner}`),
    );
  }
}

/** The class's summary (stderr, and JSON on stdout with --json), and the exit code it stands for. */
function reportClass(lab: Lab, gradebook: Gradebook, rows: GradebookRow[], result: ClassGradingResult, json: boolean): number {
  const passed = rows.filter((r) => r.passed).length;
  const summary = {
    lab: lab.manifest.id,
    learners: rows.length,
    gradedNow: result.graded,
    unchanged: result.skipped,
    passed,
    notPassed: rows.length - passed - result.errors,
    notGraded: result.errors,
    stopped: result.stopped,
    gradebook: gradebook.paths,
  };
  if (json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  process.stderr.write(
    `\n${bold(`${lab.manifest.id}: ${rows.length} learner${rows.length === 1 ? '' : 's'}`)} — ${green(`${passed} passed`)}, ${summary.notPassed} not passed` +
      `${result.errors ? `, ${yellow(`${result.errors} could not be graded (run the same command again to retry them)`)}` : ''}` +
      ` ${dim(`(${result.graded} graded now, ${result.skipped} unchanged)`)}\n` +
      `${dim('gradebook:')} ${gradebook.paths.csv}\n${dim('details:')} ${gradebook.paths.json}, ${gradebook.paths.junitDir}${path.sep}<learner>.xml\n`,
  );
  if (result.stopped) {
    process.stderr.write(`${yellow('stopped')} before every learner was graded: run the same command to continue\n`);
    return CLASS_ERROR;
  }
  return result.errors ? CLASS_INCOMPLETE : CLASS_GRADED;
}
