// `mllabs`: the same jobs as the extension, headless, for learners on a terminal, instructors and CI.
// Exit codes: 0 passed, 1 checks failed, 2 usage error or a run that produced no result.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { findLab, formatProblem, loadCatalog, type Lab } from '../core/lab/catalog';
import { BACKEND_CHOICES, type BackendChoice } from '../core/lab/manifest';
import { gradeRecord, LabFolderError, openLab, runLab, type LabRunResult, type OpenedLab } from '../core/run/labRun';
import { installPaths } from '../core/files/paths';
import { labJsonSchemaText } from '../core/lab/schemaJson';
import type { Hyperparameters } from '../core/run/protocol';
import { isRunId, RunStore } from '../core/run/store';
import { gradeOfficial, OfficialGradingError, readSubmission, SECRET_ENV } from '../core/grade/official';
import { FILE_LIMITS, LabFileError, readLabText } from '../core/files/labFiles';
import { parseManifest } from '../core/lab/catalog';
import { ScaffoldConflictError, scaffoldLab } from '../core/lab/scaffold';
import { backendInstallCommand, backendStatusCommand } from './backend';
import { toJUnit } from './junit';
import { cliNativeDir } from './backend';
import { bold, dim, green, ProgressView, red, renderGrade, yellow } from './render';
import { quizCommand, type QuizFlags } from './quiz';
import { gradeClassCommand, type GradeClassFlags } from './gradeClass';
import { REDIS_URL_ENV } from './queueOptions';
import { listStudiesCommand, tuneCommand } from './tune';
import { workerCommand, type WorkerFlags } from './worker';
import { verifyLabs } from './verify';
import { checkCourseCommand } from './checkCourse';

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;

const INSTALL_ROOT = path.resolve(__dirname, '..');
const paths = installPaths(INSTALL_ROOT);

class UsageError extends Error {}

type QueueFlagsOf = { redis?: string; queue?: string; keyFile?: string };

let exitCode = EXIT_PASS;
/** commander ignores what an action returns: keep it as the exit code. */
function act<A extends unknown[]>(fn: (...args: A) => number | Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    exitCode = await fn(...args);
  };
}

function parseIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function collectSet(value: string, previous: Hyperparameters): Hyperparameters {
  const m = /^([A-Za-z_$][\w$]*)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected name=value, e.g. learningRate=0.05');
  const raw = m[2];
  const num = Number(raw);
  return { ...previous, [m[1]]: raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(num) ? num : raw };
}

interface RunFlags {
  backend: BackendChoice;
  seed?: number;
  timeBudget?: number;
  memory?: number;
  set: Hyperparameters;
  quiet?: boolean;
}

function runOptions(program: Command): Command {
  return program
    .addOption(new Option('-b, --backend <name>', 'TensorFlow.js backend').choices([...BACKEND_CHOICES]).default('auto'))
    .option('--seed <n>', 'seed for weight initialisation and batch order (default: random, recorded in run.json)', parseIntArg)
    .option('--time-budget <seconds>', "stop the run after this many seconds (default: the lab's budget)", parsePositive)
    .option('--memory <mb>', 'memory limit of the runner process in MB (default 2048)', parsePositive)
    .option('--set <name=value>', 'override a hyperparameter (repeatable)', collectSet, {});
}

/** The options of every command that can use the queue. */
function queueOptions(program: Command): Command {
  return program
    .option(
      '--redis <url>',
      `the queue's Redis, redis://[:password@]host[:port][/db] (default: $${REDIS_URL_ENV}, which keeps the password out of the process list)`,
    )
    .option('--queue <name>', 'the queue within that Redis (several classes or courses can share one)', 'jobs')
    .option('--key-file <file>', `the key that signs workers' results (default: derived from $${SECRET_ENV}); the same on every machine`);
}

function openLabOrExplain(dir: string): OpenedLab {
  const labDir = path.resolve(dir);
  const lab = openLab(labDir, INSTALL_ROOT);
  for (const note of lab.notes) process.stderr.write(`${yellow('note:')} ${note}\n`);
  return lab;
}

/** Runs a lab with live progress on stderr; Ctrl-C cancels the run cleanly. */
async function runWithProgress(lab: OpenedLab, flags: RunFlags): Promise<LabRunResult> {
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
function folderLabId(dir: string): string {
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

function exitCodeFor(result: { grade: { passed: boolean }; record: { status: string } }): number {
  if (result.grade.passed) return EXIT_PASS;
  return result.record.status === 'completed' || result.record.status === 'diverged' ? EXIT_FAIL : EXIT_ERROR;
}

function writeOutputs(
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

function describeLab(lab: Lab): string {
  const m = lab.manifest;
  return `${bold(m.id.padEnd(24))} ${dim(`module ${m.module.number}`)}  ${m.title} — ${m.summary}`;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mllabs')
    .description('Guided, graded machine-learning labs with TensorFlow.js (Art and Science of Machine Learning).')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('list')
    .description('list the labs of the course')
    .option('--json', 'print JSON')
    .action(
      act((opts: { json?: boolean }) => {
        const catalog = loadCatalog(paths.templatesDir);
        if (opts.json) {
          process.stdout.write(JSON.stringify({ labs: catalog.labs.map((l) => l.manifest), problems: catalog.problems }, null, 2) + '\n');
        } else {
          let module = 0;
          for (const lab of catalog.labs) {
            if (lab.manifest.module.number !== module) {
              module = lab.manifest.module.number;
              process.stdout.write(`\n${bold(`Module ${module}: ${lab.manifest.module.title}`)}\n`);
            }
            process.stdout.write(`  ${describeLab(lab)}\n`);
          }
          for (const p of catalog.problems) process.stderr.write(`${red('broken lab manifest')} ${formatProblem(p)}\n`);
        }
        return catalog.problems.length ? EXIT_ERROR : EXIT_PASS;
      }),
    );

  program
    .command('init')
    .description('start a lab: copy its instructions, starter code and data into a folder')
    .argument('<lab>', 'lab id (see "mllabs list")')
    .argument('[dir]', 'folder to create or fill (default: ./<lab>)')
    .option('--keep-existing', 'if some files exist, keep them and add only the missing ones')
    .action(
      act((id: string, dir: string | undefined, opts: { keepExisting?: boolean }) => {
        const catalog = loadCatalog(paths.templatesDir);
        const lab = findLab(catalog, id);
        if (!lab) throw new UsageError(`no lab "${id}". Labs: ${catalog.labs.map((l) => l.manifest.id).join(', ')}`);
        const dest = path.resolve(dir ?? id);
        const result = scaffoldLab(lab, paths.templatesDir, dest, opts.keepExisting ? 'keep-existing' : 'refuse');
        process.stdout.write(
          `${green('✔')} ${lab.manifest.title} is ready in ${dest} (${result.written.length} files${result.kept.length ? `, kept ${result.kept.length} of yours` : ''})\n`,
        );
        process.stdout.write(
          `  read ${path.join(dest, lab.manifest.instructions)}\n  edit ${path.join(dest, lab.manifest.files[0])}\n  then run: mllabs run ${path.relative(process.cwd(), dest) || '.'}\n`,
        );
        return EXIT_PASS;
      }),
    );

  runOptions(
    program
      .command('run')
      .description("run the lab's code with live progress, then grade it")
      .argument('[dir]', 'lab folder', '.')
      .option('--json', 'print the run and grade as JSON on stdout')
      .option('--junit <file>', 'also write the grade as JUnit XML')
      .option('-q, --quiet', 'no live progress'),
  ).action(
    act(async (dir: string, opts: RunFlags & { json?: boolean; junit?: string }) => {
      const lab = openLabOrExplain(dir);
      const result = await runWithProgress(lab, opts);
      writeOutputs(result, lab.labDir, opts);
      return exitCodeFor(result);
    }),
  );

  runOptions(
    program
      .command('grade')
      .description('grade the lab: a fresh run (default) or an earlier one (--run)')
      .argument('[dir]', 'lab folder', '.')
      .option('--run <id>', 're-grade an existing run ("latest" for the newest) instead of training again')
      .option(
        '--official',
        `official grading: a fresh copy of the course lab with only this folder's learner files, never a recorded run; the held-out rows come from $${SECRET_ENV} when it is set`,
      )
      .option('--lab <id>', "with --official: the course lab (default: the id in the folder's lab.json)")
      .option('--json', 'print the grade as JSON on stdout')
      .option('--junit <file>', 'write the grade as JUnit XML'),
  ).action(
    act(async (dir: string, opts: RunFlags & { run?: string; official?: boolean; lab?: string; json?: boolean; junit?: string }) => {
      if (opts.official) {
        if (opts.run) throw new UsageError('--official never re-grades a recorded run: leave out --run');
        const folder = path.resolve(dir);
        const id = opts.lab ?? folderLabId(folder);
        const catalog = loadCatalog(paths.templatesDir);
        const course = findLab(catalog, id);
        if (!course) throw new UsageError(`"${id}" is not a lab of the course (official grading uses the course's labs only)`);
        const result = await gradeOfficial({
          installRoot: INSTALL_ROOT,
          nativeDir: cliNativeDir(),
          labId: id,
          files: readSubmission(folder, course.manifest),
          secret: process.env[SECRET_ENV],
          backend: opts.backend,
          timeBudgetMs: opts.timeBudget !== undefined ? opts.timeBudget * 1000 : undefined,
          memoryMb: opts.memory,
        });
        process.stderr.write(`${dim('official grading:')} ${result.seedPolicy}\n`);
        writeOutputs(result, folder, opts, { seedPolicy: result.seedPolicy });
        return exitCodeFor(result);
      }
      const lab = openLabOrExplain(dir);
      if (opts.run) {
        const store = new RunStore(lab.labDir);
        store.recoverInterrupted();
        if (opts.run !== 'latest' && !isRunId(opts.run))
          throw new UsageError(`"${opts.run}" is not a run id (they look like 20261205-142311-a3f0); see "mllabs runs"`);
        const id = opts.run === 'latest' ? store.latest()?.id : opts.run;
        const read = id ? store.read(id) : undefined;
        if (!read) throw new UsageError(id ? `no readable run "${id}" in ${store.root}` : `no runs yet in ${lab.labDir}; run the lab first`);
        for (const w of read.warnings) process.stderr.write(`${yellow('warning:')} ${w}\n`);
        if (!read.verified) {
          throw new UsageError(
            `the recorded run ${read.record.id} does not verify: ${read.unverified}. A record is believed only as ML Labs sealed it; run the lab again to get a grade.`,
          );
        }
        const report = gradeRecord(lab, read.record, read.epochs, 'recorded');
        writeOutputs({ grade: report, record: read.record }, lab.labDir, opts);
        return exitCodeFor({ grade: report, record: read.record });
      }
      const result = await runWithProgress(lab, { ...opts, quiet: opts.json || !process.stderr.isTTY ? true : opts.quiet });
      writeOutputs(result, lab.labDir, opts);
      return exitCodeFor(result);
    }),
  );

  program
    .command('runs')
    .description('list the runs of a lab folder')
    .argument('[dir]', 'lab folder', '.')
    .option('--json', 'print JSON')
    .action(
      act((dir: string, opts: { json?: boolean }) => {
        const store = new RunStore(path.resolve(dir));
        const recovered = store.recoverInterrupted();
        const { runs, warnings } = store.list();
        for (const w of warnings) process.stderr.write(`${yellow('warning:')} ${w}\n`);
        if (recovered.length) process.stderr.write(`${yellow('note:')} marked ${recovered.length} run(s) as interrupted\n`);
        const checked = runs.map((r) => ({ record: r, unverified: store.verify(r.id, r) }));
        if (opts.json) {
          process.stdout.write(
            JSON.stringify(
              checked.map((c) => ({ ...c.record, verified: c.unverified === undefined, ...(c.unverified ? { unverified: c.unverified } : {}) })),
              null,
              2,
            ) + '\n',
          );
          return EXIT_PASS;
        }
        for (const { record: r, unverified } of checked) {
          const hp = Object.entries(r.hyperparameters)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          const rmse = r.outputs?.test_rmse;
          const mark = unverified && r.status !== 'running' ? `  ${yellow(`unverified: ${unverified}`)}` : '';
          process.stdout.write(
            `${r.id}  ${r.status.padEnd(11)} ${(r.backend ?? '-').padEnd(10)} ${hp}${rmse ? `  test_rmse ${Math.round(rmse)}` : ''}${mark}\n`,
          );
        }
        return EXIT_PASS;
      }),
    );

  queueOptions(
    runOptions(
      program
        .command('tune')
        .description('run a hyperparameter study of the lab (Cloud ML Engine spec: grid, random or Bayesian, parallel trials, early stopping)')
        .argument('[dir]', 'lab folder', '.')
        .option('--spec <file>', 'study spec in YAML or JSON (default: hptuning.yaml in the lab folder)')
        .option('--resume <id>', 'continue an earlier study where it stopped')
        .option('--json', 'print the outcome as JSON on stdout'),
    ),
  ).action(
    act(async (dir: string, opts: RunFlags & QueueFlagsOf & { spec?: string; resume?: string; json?: boolean }) => {
      const lab = openLabOrExplain(dir);
      return tuneCommand(lab, INSTALL_ROOT, {
        spec: opts.spec,
        resume: opts.resume,
        json: opts.json,
        queue: { redis: opts.redis, queue: opts.queue, keyFile: opts.keyFile },
        run: {
          installRoot: INSTALL_ROOT,
          nativeDir: cliNativeDir(),
          backend: opts.backend,
          seed: opts.seed,
          timeBudgetMs: opts.timeBudget !== undefined ? opts.timeBudget * 1000 : undefined,
          memoryMb: opts.memory,
        },
      });
    }),
  );

  queueOptions(
    program
      .command('grade-class')
      .description(
        'official grading of a whole class: one folder per learner in <submissions> (e.g. ada/model.ts), on this machine or on queue workers (--redis); writes a gradebook (CSV, JSON, a JUnit file per learner) and skips learners whose files are unchanged since their last grade',
      )
      .argument('<submissions>', 'the folder that holds one folder per learner')
      .requiredOption('--lab <id>', 'the course lab the submissions are for')
      .option('--out <file>', 'the gradebook CSV; the JSON, the journal (.jsonl) and the JUnit folder go beside it (default: ./gradebook-<lab>.csv)')
      .option('--time-budget <seconds>', "stop each learner's run after this many seconds (default: the lab's budget)", parsePositive)
      .addOption(new Option('-b, --backend <name>', 'TensorFlow.js backend').choices([...BACKEND_CHOICES]).default('auto'))
      .option('--memory <mb>', 'memory limit of each runner process in MB (default 2048)', parsePositive)
      .option('--concurrency <n>', 'without --redis: gradings at once (default: the cores)', parseCount)
      .option('--json', 'print a summary as JSON on stdout'),
  ).action(act((dir: string, opts: GradeClassFlags) => gradeClassCommand(INSTALL_ROOT, dir, opts)));

  queueOptions(
    program
      .command('worker')
      .description(
        'take class gradings and study trials from the queue and run them on this machine (SIGTERM: finish the running jobs; Ctrl-C or a second signal: put them back in the queue)',
      )
      .option('--concurrency <n>', 'jobs at once (default: the cores)', parseCount)
      .addOption(new Option('-b, --backend <name>', 'TensorFlow.js backend, unless a job names one').choices([...BACKEND_CHOICES]).default('auto'))
      .option('--memory <mb>', 'memory limit of each runner process in MB (default 2048)', parsePositive)
      .option('--lock-seconds <s>', 'a job whose worker stops answering for this long goes back to the queue (default 30)', parsePositive),
  ).action(act((opts: WorkerFlags) => workerCommand(INSTALL_ROOT, opts)));

  program
    .command('studies')
    .description('list the hyperparameter studies of a lab folder')
    .argument('[dir]', 'lab folder', '.')
    .option('--json', 'print JSON')
    .action(act((dir: string, opts: { json?: boolean }) => listStudiesCommand(path.resolve(dir), !!opts.json)));

  program
    .command('verify')
    .description('course check for lab authors: the starter fails, the reference passes, each wrong solution fails as expected')
    .argument('[labs...]', 'lab ids (default: all)')
    .addOption(new Option('-b, --backend <name>', 'TensorFlow.js backend').choices([...BACKEND_CHOICES]).default('auto'))
    .option('--seeds <n>', "run every solution with this many seeds and print the spread of the reference's outputs (for calibrating bars)", parseIntArg, 1)
    .option('--splits', 'give each seed its own held-out rows, as official grading with a secret does')
    .option('--jobs <n>', 'runs at once', parseIntArg, 1)
    .action(
      act(async (ids: string[], opts: { backend: BackendChoice; seeds: number; splits?: boolean; jobs: number }) => {
        const ok = await verifyLabs(INSTALL_ROOT, ids, { ...opts, nativeDir: cliNativeDir() }, (line) => process.stdout.write(line + '\n'));
        return ok ? EXIT_PASS : EXIT_FAIL;
      }),
    );

  program
    .command('check-course')
    .description(
      'static course check for lab authors, running nothing: files exist, starters have their TODOs, check patterns find their lines, ids unique, no stray files',
    )
    .argument('[dir]', 'the course folder (default: the lab templates of this ML Labs)')
    .action(
      act((dir: string | undefined) =>
        checkCourseCommand(dir ? path.resolve(dir) : installPaths(INSTALL_ROOT).templatesDir, (line) => process.stdout.write(line + '\n'))
          ? EXIT_PASS
          : EXIT_FAIL,
      ),
    );

  program
    .command('quiz')
    .description('take a knowledge check of the course (without an id: list them with your progress); progress is saved in ~/.mllabs (or $MLLABS_HOME)')
    .argument('[id]', 'quiz id, e.g. art-of-ml')
    .option('--list', 'list the knowledge checks and your progress, then stop')
    .option('--json', 'print JSON: the list, or the result of the quiz (questions then go to stderr)')
    .option('--reset', 'forget the saved progress of the quiz')
    .action(act((id: string | undefined, opts: QuizFlags) => quizCommand(paths.templatesDir, id, opts)));

  const backend = program
    .command('backend')
    .description('which TensorFlow.js backends this machine has; "backend install" adds native TensorFlow')
    .option('--json', 'print JSON')
    .action(act((opts: { json?: boolean }) => backendStatusCommand(opts)));
  backend
    .command('install')
    .description(`install native TensorFlow (@tensorflow/tfjs-node) with npm into ~/.mllabs/native (or $MLLABS_HOME/native)`)
    .option('--force', 'reinstall even if it is installed')
    .action(act((opts: { force?: boolean }) => backendInstallCommand(opts)));

  program
    .command('schema')
    .description('print the JSON Schema of lab.json (for lab authors)')
    .option('--write', `write it to the lab templates folder (${path.relative(INSTALL_ROOT, paths.schemaFile)})`)
    .action(
      act((opts: { write?: boolean }) => {
        const text = labJsonSchemaText();
        if (opts.write) fs.writeFileSync(paths.schemaFile, text);
        else process.stdout.write(text);
        return EXIT_PASS;
      }),
    );

  runOptions(
    program
      .command('demo')
      .description('scaffold the hand-tuning lab into a temporary folder, run its reference solution with live progress, and grade it')
      .argument('[lab]', 'lab id', 'hand-tuning'),
  ).action(
    act(async (id: string, opts: RunFlags) => {
      const catalog = loadCatalog(paths.templatesDir);
      const lab = findLab(catalog, id);
      if (!lab) throw new UsageError(`no lab "${id}"`);
      const dest = fs.mkdtempSync(path.join(os.tmpdir(), `mllabs-demo-${id}-`));
      scaffoldLab(lab, paths.templatesDir, dest);
      fs.copyFileSync(path.join(lab.dir, lab.manifest.solutions.reference), path.join(dest, lab.manifest.files[0]));
      process.stderr.write(`${bold(lab.manifest.title)} — reference solution in ${dest}\n`);
      const opened = openLabOrExplain(dest);
      const result = await runWithProgress(opened, opts);
      writeOutputs(result, dest, {});
      return exitCodeFor(result);
    }),
  );

  return program;
}

export async function main(argv: string[]): Promise<number> {
  exitCode = EXIT_PASS;
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_PASS;
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return EXIT_ERROR;
    if (
      err instanceof UsageError ||
      err instanceof LabFolderError ||
      err instanceof ScaffoldConflictError ||
      err instanceof OfficialGradingError ||
      err instanceof LabFileError
    ) {
      process.stderr.write(`${red('error:')} ${(err as Error).message}\n`);
      return EXIT_ERROR;
    }
    process.stderr.write(`${red('error:')} ${(err as Error).stack ?? String(err)}\n`);
    return EXIT_ERROR;
  }
  return exitCode;
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
