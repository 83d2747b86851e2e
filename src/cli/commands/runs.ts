// `mllabs run`, `grade`, `runs` and `demo`: running a lab, grading a fresh, recorded or official run,
// and listing the runs a lab folder holds.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from 'commander';
import { findLab, loadCatalog } from '../../core/lab/catalog';
import { gradeOfficial, readSubmission, SECRET_ENV } from '../../core/grade/official';
import { scaffoldLab } from '../../core/lab/scaffold';
import { gradeRecord, type OpenedLab } from '../../core/run/labRun';
import { isRunId, RunStore } from '../../core/run/store';
import { cliNativeDir } from '../backend';
import { INSTALL_ROOT, paths } from '../installRoot';
import { bold, dim, yellow } from '../render';
import { act, EXIT_PASS, UsageError } from './action';
import { runOptions, type RunFlags } from './options';
import { exitCodeFor, folderLabId, openLabOrExplain, runWithProgress, writeOutputs } from './terminalRun';

type GradeFlags = RunFlags & { run?: string; official?: boolean; lab?: string; json?: boolean; junit?: string };

export function addRun(program: Command): void {
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
}

export function addGrade(program: Command): void {
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
    act(async (dir: string, opts: GradeFlags) => {
      if (opts.official) return gradeOfficially(dir, opts);
      const lab = openLabOrExplain(dir);
      if (opts.run) return regradeRecorded(lab, opts.run, opts);
      const result = await runWithProgress(lab, { ...opts, quiet: opts.json || !process.stderr.isTTY ? true : opts.quiet });
      writeOutputs(result, lab.labDir, opts);
      return exitCodeFor(result);
    }),
  );
}

/** `grade --official`: the course's lab with only the folder's learner files. */
async function gradeOfficially(dir: string, opts: GradeFlags): Promise<number> {
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

/** `grade --run <id>`: grades a recorded run again, if its record verifies. */
function regradeRecorded(lab: OpenedLab, run: string, opts: GradeFlags): number {
  const store = new RunStore(lab.labDir);
  store.recoverInterrupted();
  if (run !== 'latest' && !isRunId(run)) throw new UsageError(`"${run}" is not a run id (they look like 20261205-142311-a3f0); see "mllabs runs"`);
  const id = run === 'latest' ? store.latest()?.id : run;
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

export function addRuns(program: Command): void {
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
}

export function addDemo(program: Command): void {
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
}
