// The whole run as a user starts it, against a plain script that calls model.fit on the same workload:
// `mllabs run` of the hand-tuning reference (process start, compile, the evaluator and the confined
// learner's process, training, measurement, grade, sealed record) vs `node plainFit.js` (load, fit,
// predict). Rounds alternate so that drift on a shared machine affects every side alike.
// With BENCH_BASELINE=<a built checkout of an earlier version>, its `mllabs run` is timed too, in the
// same rounds: the "before" of a change, measured beside the "after".
//   node out/bench/run-overhead.js            (BENCH_ROUNDS, default 7)
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../src/core/lab/catalog';
import { installPaths } from '../src/core/files/paths';
import { prepareAttempt } from '../src/cli/verify';
import { median, printTable, REPO_ROOT } from './util';

function wall(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-500)}`))));
  });
}

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const baseline = process.env.BENCH_BASELINE;
  const templates = installPaths(REPO_ROOT).templatesDir;
  const lab = findLab(loadCatalog(templates), 'hand-tuning')!;
  const plainScript = path.join(REPO_ROOT, 'out', 'bench', 'plainFit.js');
  const sides: Record<string, number[]> = { plain: [], current: [] };
  if (baseline) sides.baseline = [];
  const runCli = async (root: string) => {
    const dir = prepareAttempt(lab, templates, lab.manifest.solutions.reference);
    try {
      return await wall([path.join(root, 'dist', 'cli.js'), 'run', dir, '--backend', 'cpu', '--seed', '1', '-q']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  for (let i = 0; i < rounds; i++) {
    sides.plain.push(await wall([plainScript, 'cpu', REPO_ROOT]));
    sides.current.push(await runCli(REPO_ROOT));
    if (baseline) sides.baseline.push(await runCli(baseline));
  }
  const plain = median(sides.plain);
  const rows = Object.entries(sides).map(([name, ms]) => [name, `${(median(ms) / 1000).toFixed(2)} s`, `${(median(ms) / plain).toFixed(2)} ×`]);
  printTable(`whole run, hand-tuning reference on cpu, median of ${rounds} (ratios to the plain model.fit script)`, rows, ['side', 'wall', 'vs plain']);
  console.log(
    JSON.stringify({
      rounds,
      medians: Object.fromEntries(Object.entries(sides).map(([k, v]) => [k, median(v)])),
      ratio: median(sides.current) / plain,
      ...(baseline ? { baselineRatio: median(sides.baseline) / plain } : {}),
    }),
  );
}

void main();
