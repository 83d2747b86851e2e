// The course check for lab authors: every starter fails, every reference passes (over several seeds,
// printing the spread of its outputs to calibrate bars), every wrong solution fails the checks it names.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findLab, formatProblem, loadCatalog, type Lab } from '../core/catalog';
import type { BackendChoice } from '../core/labManifest';
import { openLab, runLab, type LabRunResult } from '../core/labRun';
import { installPaths } from '../core/paths';
import { scaffoldLab } from '../core/scaffold';
import { dim, green, red } from './render';

export interface VerifyOptions {
  backend: BackendChoice;
  seeds: number;
}

/** Scaffolds the lab into a temporary folder with `solution` (if any) as the learner's entry file. */
export function prepareAttempt(lab: Lab, templatesDir: string, solution?: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), `mllabs-verify-${lab.manifest.id}-`));
  scaffoldLab(lab, templatesDir, dest);
  if (solution) fs.copyFileSync(path.join(lab.dir, solution), path.join(dest, lab.manifest.files[0]));
  return dest;
}

export async function attempt(installRoot: string, lab: Lab, solution: string | undefined, backend: BackendChoice, seed: number): Promise<LabRunResult> {
  const dir = prepareAttempt(lab, installPaths(installRoot).templatesDir, solution);
  try {
    return await runLab(openLab(dir, installRoot), { installRoot, backend, seed }).result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function failedIds(result: LabRunResult): string[] {
  return result.grade.results.filter((r) => r.status !== 'pass' && !r.optional).map((r) => r.id);
}

function spread(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const med = s[Math.floor(s.length / 2)];
  const fmt = (x: number) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(4)).toString());
  return s.length === 1 ? fmt(s[0]) : `min ${fmt(s[0])}  median ${fmt(med)}  max ${fmt(s[s.length - 1])}`;
}

export async function verifyLabs(installRoot: string, ids: string[], opts: VerifyOptions, print: (line: string) => void): Promise<boolean> {
  const catalog = loadCatalog(installPaths(installRoot).templatesDir);
  let ok = catalog.problems.length === 0;
  for (const p of catalog.problems) print(`${red('✘')} ${formatProblem(p)}`);
  const labs = ids.length ? ids.map((id) => findLab(catalog, id) ?? id) : catalog.labs;
  for (const lab of labs) {
    if (typeof lab === 'string') {
      print(`${red('✘')} no lab "${lab}"`);
      ok = false;
      continue;
    }
    print(`\n${lab.manifest.id}`);
    const starter = await attempt(installRoot, lab, undefined, opts.backend, 1);
    const starterOk = !starter.grade.passed;
    ok &&= starterOk;
    print(`  ${starterOk ? green('✔') : red('✘')} starter fails ${dim(`(${failedIds(starter).join(', ') || 'nothing failed'})`)}`);

    const outputs: Record<string, number[]> = {};
    for (let seed = 1; seed <= opts.seeds; seed++) {
      const ref = await attempt(installRoot, lab, lab.manifest.solutions.reference, opts.backend, seed);
      ok &&= ref.grade.passed;
      const why = ref.grade.passed ? '' : ` — failed: ${ref.grade.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.message}`).join('; ')}`;
      print(`  ${ref.grade.passed ? green('✔') : red('✘')} reference passes ${dim(`(seed ${seed}, ${ref.record.backend}, ${((ref.record.durationMs ?? 0) / 1000).toFixed(1)} s)`)}${why}`);
      for (const [k, v] of Object.entries(ref.record.outputs ?? {})) if (v !== null) (outputs[k] ??= []).push(v);
    }
    if (opts.seeds > 1) for (const [k, v] of Object.entries(outputs)) print(`      ${k.padEnd(22)} ${spread(v)}`);

    for (const wrong of lab.manifest.solutions.wrong) {
      const res = await attempt(installRoot, lab, wrong.file, opts.backend, 1);
      const failed = failedIds(res);
      const missing = wrong.fails.filter((id) => !failed.includes(id));
      const good = !res.grade.passed && missing.length === 0;
      ok &&= good;
      print(
        `  ${good ? green('✔') : red('✘')} ${path.basename(wrong.file)} fails ${wrong.fails.join(', ')}` +
          (missing.length ? red(` — but passed ${missing.join(', ')}`) : '') +
          dim(` (${wrong.why})`),
      );
    }
  }
  return ok;
}
