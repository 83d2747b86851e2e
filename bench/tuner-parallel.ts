// Parallel efficiency of hyperparameter studies on real training: the same 4-trial grid study of the
// hand-tuning lab (each trial a runner child process) with 1 and with 2 trials at a time, measured
// in one run. Efficiency = (time with 1 ÷ time with 2) ÷ 2; goal ≥ 0.90 on a 2-core machine.
import * as fs from 'fs';
import { findLab, loadCatalog } from '../src/core/catalog';
import { openLab } from '../src/core/labRun';
import { tuneLab } from '../src/core/labTuning';
import { installPaths } from '../src/core/paths';
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

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const one: number[] = [];
  const two: number[] = [];
  // Alternate so drift in the machine's load affects both sides alike.
  for (let i = 0; i < rounds; i++) {
    one.push(await timeStudy(1));
    two.push(await timeStudy(2));
  }
  const t1 = Math.min(...one);
  const t2 = Math.min(...two);
  printTable(`Tuner parallel efficiency (hand-tuning, 4 trials, best of ${rounds}, ${cpuCount()} cores)`, [
    ['1 trial at a time', `${(t1 / 1000).toFixed(1)} s`],
    ['2 trials at a time', `${(t2 / 1000).toFixed(1)} s`],
    ['speed-up', `${(t1 / t2).toFixed(2)} ×`],
    ['efficiency (speed-up ÷ 2)', `${((t1 / t2 / 2) * 100).toFixed(0)} %  (goal ≥ 90 %)`],
  ]);
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
