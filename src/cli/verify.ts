// The course check for lab authors: every starter fails; the reference and every correct alternative
// pass on every seed (the spread of the reference's outputs is printed, to calibrate bars); every wrong
// solution fails the checks it names on every seed, and the diagnosis names the cause it was written
// for. With --splits, each seed also draws its own held-out rows (as official grading does).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatValue } from '../core/format';
import { findLab, formatProblem, loadCatalog, type Lab } from '../core/lab/catalog';
import { secretSeed } from '../core/grade/official';
import type { BackendChoice } from '../core/lab/manifest';
import { openLab, runLab, type LabRunResult } from '../core/run/labRun';
import { installPaths } from '../core/files/paths';
import { scaffoldLab } from '../core/lab/scaffold';
import { dim, green, red } from './render';

export interface VerifyOptions {
  backend: BackendChoice;
  seeds: number;
  /** Draw each seed's own held-out rows. */
  splits?: boolean;
  /** Runs at once. */
  jobs?: number;
  nativeDir?: string;
}

/** Scaffolds the lab into a temporary folder with `solution` (if any) as the learner's entry file. */
export function prepareAttempt(lab: Lab, templatesDir: string, solution?: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), `mllabs-verify-${lab.manifest.id}-`));
  scaffoldLab(lab, templatesDir, dest);
  if (solution) fs.copyFileSync(path.join(lab.dir, solution), path.join(dest, lab.manifest.files[0]));
  return dest;
}

export async function attempt(
  installRoot: string,
  lab: Lab,
  solution: string | undefined,
  opts: { backend: BackendChoice; seed: number; splitSeed?: number; nativeDir?: string },
): Promise<LabRunResult> {
  const dir = prepareAttempt(lab, installPaths(installRoot).templatesDir, solution);
  try {
    return await runLab(openLab(dir, installRoot), {
      installRoot,
      backend: opts.backend,
      seed: opts.seed,
      splitSeed: opts.splitSeed,
      nativeDir: opts.nativeDir,
    }).result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function failedIds(result: LabRunResult): string[] {
  return result.grade.results.filter((r) => r.status !== 'pass' && !r.optional).map((r) => r.id);
}

function causesOf(result: LabRunResult): string[] {
  return [...new Set(result.grade.results.filter((r) => r.status === 'fail' && r.cause).map((r) => r.cause!))];
}

function spread(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const med = s[Math.floor(s.length / 2)];
  const fmt = (x: number) => formatValue(x);
  return s.length === 1 ? fmt(s[0]) : `min ${fmt(s[0])}  median ${fmt(med)}  max ${fmt(s[s.length - 1])}`;
}

/** Runs tasks `jobs` at a time, keeping their order. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, jobs) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

export async function verifyLabs(installRoot: string, ids: string[], opts: VerifyOptions, print: (line: string) => void): Promise<boolean> {
  const catalog = loadCatalog(installPaths(installRoot).templatesDir);
  let ok = catalog.problems.length === 0;
  for (const p of catalog.problems) print(`${red('✘')} ${formatProblem(p)}`);
  const labs = ids.length ? ids.map((id) => findLab(catalog, id) ?? id) : catalog.labs;
  const seeds = Array.from({ length: Math.max(1, opts.seeds) }, (_, i) => i + 1);
  for (const lab of labs) {
    if (typeof lab === 'string') {
      print(`${red('✘')} no lab "${lab}"`);
      ok = false;
      continue;
    }
    print(`\n${lab.manifest.id}`);
    const run = (file: string | undefined, seed: number) =>
      attempt(installRoot, lab, file, {
        backend: opts.backend,
        seed,
        ...(opts.splits ? { splitSeed: secretSeed(`verify-${seed}`, 'split', lab.manifest.id) } : {}),
        nativeDir: opts.nativeDir,
      });
    const starter = await run(undefined, 1);
    const starterOk = !starter.grade.passed;
    ok &&= starterOk;
    print(`  ${starterOk ? green('✔') : red('✘')} starter fails ${dim(`(${failedIds(starter).join(', ') || 'nothing failed'})`)}`);

    const outputs: Record<string, number[]> = {};
    const passing = [{ file: lab.manifest.solutions.reference, why: 'reference' }, ...lab.manifest.solutions.correct];
    for (const solution of passing) {
      const results = await pool(
        seeds.map((seed) => () => run(solution.file, seed)),
        opts.jobs ?? 1,
      );
      results.forEach((r, i) => {
        ok &&= r.grade.passed;
        const why = r.grade.passed
          ? ''
          : ` — failed: ${r.grade.results
              .filter((x) => x.status !== 'pass')
              .map((x) => `${x.id}: ${x.message}`)
              .join('; ')}`;
        print(
          `  ${r.grade.passed ? green('✔') : red('✘')} ${path.basename(solution.file)} passes ${dim(`(seed ${seeds[i]}, ${r.record.backend}, ${((r.record.durationMs ?? 0) / 1000).toFixed(1)} s)`)}${why}`,
        );
        if (solution.why === 'reference') for (const [k, v] of Object.entries(r.record.outputs ?? {})) if (v !== null) (outputs[k] ??= []).push(v);
      });
    }
    if (seeds.length > 1) for (const [k, v] of Object.entries(outputs)) print(`      ${k.padEnd(22)} ${spread(v)}`);

    for (const wrong of lab.manifest.solutions.wrong) {
      const results = await pool(
        seeds.map((seed) => () => run(wrong.file, seed)),
        opts.jobs ?? 1,
      );
      results.forEach((res, i) => {
        const failed = failedIds(res);
        const missing = wrong.fails.filter((id) => !failed.includes(id));
        const causes = causesOf(res);
        const causeOk = causes.includes(wrong.cause);
        const good = !res.grade.passed && missing.length === 0 && causeOk;
        ok &&= good;
        print(
          `  ${good ? green('✔') : red('✘')} ${path.basename(wrong.file)} fails ${wrong.fails.join(', ')} for ${wrong.cause} ${dim(`(seed ${seeds[i]})`)}` +
            (missing.length ? red(` — but passed ${missing.join(', ')}`) : '') +
            (causeOk ? '' : red(` — diagnosed ${causes.join(', ') || 'nothing'}`)) +
            dim(` (${wrong.why})`),
        );
      });
    }
  }
  return ok;
}
