// Parallel efficiency of hyperparameter studies on real training: the same 4-trial grid study of the
// hand-tuning lab (each trial a runner child process) with 1 and with 2 trials at a time, measured
// in one run. Efficiency = (time with 1 ÷ time with 2) ÷ 2; goal ≥ 0.90 on a 2-core machine.
// The machine's own ceiling is measured beside it: the same training as plain model.fit scripts, one
// alone and then two at once. Training is memory-bound, so two processes on two cores rarely run
// at twice the speed; the tuner's share of the loss is its efficiency relative to that ceiling.
import { spawn } from 'child_process';
import * as path from 'path';
import * as fs from 'fs';
import { findLab, loadCatalog } from '../src/core/lab/catalog';
import { openLab } from '../src/core/run/labRun';
import { tuneLab } from '../src/core/tuner/labTuning';
import { installPaths } from '../src/core/files/paths';
import { validateStudySpec, cpuCount, type StudySpec } from '../src/core/tuner';
import { prepareAttempt } from '../src/cli/verify';
import { printTable, REPO_ROOT } from './util';

function spec(parallel: number): StudySpec {
  const r = validateStudySpec({
    goal: 'MINIMIZE',
    hyperparameterMetricTag: 'rmse',
    maxTrials: 4,
    maxParallelTrials: parallel,
    algorithm: 'GRID_SEARCH',
    params: [{ parameterName: 'learningRate', type: 'DISCRETE', discreteValues: [0.003, 0.01, 0.03, 0.1] }],
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec;
}

async function timeStudy(parallel: number): Promise<number> {
  const templates = installPaths(REPO_ROOT).templatesDir;
  const lab = findLab(loadCatalog(templates), 'hand-tuning')!;
  const dir = prepareAttempt(lab, templates, lab.manifest.solutions.reference);
  try {
    const t0 = performance.now();
    const outcome = await tuneLab(openLab(dir, REPO_ROOT), { spec: spec(parallel), run: { installRoot: REPO_ROOT, backend: 'cpu', seed: 1 } });
    if (outcome.status !== 'completed') throw new Error(`study ${outcome.status}: ${outcome.reason}`);
    return performance.now() - t0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall time of `count` plain model.fit scripts (bench/plainFit.ts) started together. */
function timePlainFits(count: number): Promise<number> {
  const script = path.join(REPO_ROOT, 'out', 'bench', 'plainFit.js');
  const t0 = performance.now();
  const runs = Array.from(
    { length: count },
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [script, 'cpu', REPO_ROOT], { stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`plainFit exited ${code}`))));
      }),
  );
  return Promise.all(runs).then(() => performance.now() - t0);
}

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const one: number[] = [];
  const two: number[] = [];
  const plainOne: number[] = [];
  const plainTwo: number[] = [];
  // Alternate so drift in the machine's load affects both sides alike.
  for (let i = 0; i < rounds; i++) {
    one.push(await timeStudy(1));
    two.push(await timeStudy(2));
    plainOne.push(await timePlainFits(1));
    plainTwo.push(await timePlainFits(2));
  }
  const t1 = Math.min(...one);
  const t2 = Math.min(...two);
  // Two at once doing twice the work: the speed-up the machine allows for this training.
  const ceiling = (2 * Math.min(...plainOne)) / Math.min(...plainTwo);
  printTable(`Tuner parallel efficiency (hand-tuning, 4 trials, best of ${rounds}, ${cpuCount()} cores)`, [
    ['1 trial at a time', `${(t1 / 1000).toFixed(1)} s`],
    ['2 trials at a time', `${(t2 / 1000).toFixed(1)} s`],
    ['speed-up', `${(t1 / t2).toFixed(2)} ×`],
    ['efficiency (speed-up ÷ 2)', `${((t1 / t2 / 2) * 100).toFixed(0)} %  (goal ≥ 90 %)`],
    ['machine ceiling: 2 plain model.fit at once vs 1', `${ceiling.toFixed(2)} ×  (${((ceiling / 2) * 100).toFixed(0)} % of ideal)`],
    ['tuner relative to that ceiling', `${((t1 / t2 / ceiling) * 100).toFixed(0)} %`],
  ]);
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
