// Benchmarks of the spine (start → run → grade). Ratios are measured within one run on the same
// machine; absolute times move ±15–30 % between runs on shared machines.
//   (a) harness overhead: the hand-tuning workload through the runner vs a plain model.fit script
//   (b) latency from "run" to the first epoch on screen
//   (c) every available backend on every lab's reference workload
//   (d) peak resident memory of the runner child
//   (e) scaffolding time
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog, type Lab } from '../src/core/lab/catalog';
import type { BackendName } from '../src/core/lab/manifest';
import { openLab, runLab } from '../src/core/run/labRun';
import { installPaths } from '../src/core/files/paths';
import { scaffoldLab } from '../src/core/lab/scaffold';
import { prepareAttempt } from '../src/cli/verify';
import { median, printTable, REPO_ROOT, tempDir, timed } from './util';

const templates = installPaths(REPO_ROOT).templatesDir;
const catalog = loadCatalog(templates);

function wallOf(cmd: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, stdout }) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** Runs a lab's reference solution; returns wall time, training time and the child's peak RSS. */
async function runReference(lab: Lab, backend: BackendName) {
  const dir = prepareAttempt(lab, templates, lab.manifest.solutions.reference);
  let peakKb = 0;
  let firstEpochMs = NaN;
  const t0 = performance.now();
  const handle = runLab(
    openLab(dir, REPO_ROOT),
    { installRoot: REPO_ROOT, backend, seed: 1 },
    {
      onEpoch: () => {
        if (Number.isNaN(firstEpochMs)) firstEpochMs = performance.now() - t0;
      },
    },
  );
  // VmHWM is the peak resident set of a process so far: the evaluator's and the learner's process's
  // (its child), polled until they exit; the peak is of the two together.
  const peaks = new Map<number, number>();
  const hwm = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const poll = setInterval(() => {
    try {
      const pid = handle.childPid!;
      peaks.set(pid, Math.max(peaks.get(pid) ?? 0, hwm(pid)));
      for (const child of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)) {
        peaks.set(child, Math.max(peaks.get(child) ?? 0, hwm(child)));
      }
      peakKb = [...peaks.values()].reduce((a, b) => a + b, 0);
    } catch {
      // The process has exited.
    }
  }, 20);
  const result = await handle.result;
  const wallMs = performance.now() - t0;
  clearInterval(poll);
  fs.rmSync(dir, { recursive: true, force: true });
  if (result.record.status !== 'completed')
    throw new Error(`${lab.manifest.id} on ${backend}: ${result.record.status} ${result.record.failure?.message ?? ''}`);
  // Labs whose model the learner's code trains (custom training, save and reload) time it in the
  // record's timings, as the evaluator measured it; the others also report it as an output.
  const trainMs = result.record.timings?.trainMs ?? (result.record.outputs?.train_seconds ?? NaN) * 1000;
  return { wallMs, trainMs, firstEpochMs, peakMb: peakKb / 1024, backend: result.record.backend };
}

async function backendWorks(backend: BackendName): Promise<boolean> {
  try {
    await runReference(findLab(catalog, 'hand-tuning')!, backend);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const handTuning = findLab(catalog, 'hand-tuning')!;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const results: Record<string, unknown> = {};

  // (e) scaffolding
  const scaffoldMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const dest = path.join(tempDir(), 'lab');
    scaffoldMs.push(timed(() => scaffoldLab(handTuning, templates, dest)));
    fs.rmSync(path.dirname(dest), { recursive: true, force: true });
  }
  results.scaffoldMs = median(scaffoldMs);

  // (a) overhead and (b) first epoch, alternating so drift affects both sides alike.
  const plain: number[] = [];
  const plainFit: number[] = [];
  const harness: number[] = [];
  const harnessTrain: number[] = [];
  const firstEpoch: number[] = [];
  const peak: number[] = [];
  const plainScript = path.join(REPO_ROOT, 'out', 'bench', 'plainFit.js');
  for (let i = 0; i < rounds; i++) {
    const p = await wallOf(process.execPath, [plainScript, 'cpu', REPO_ROOT]);
    plain.push(p.ms);
    plainFit.push((JSON.parse(p.stdout) as { fitMs: number }).fitMs);
    const h = await runReference(handTuning, 'cpu');
    harness.push(h.wallMs);
    harnessTrain.push(h.trainMs);
    firstEpoch.push(h.firstEpochMs);
    peak.push(h.peakMb);
  }
  results.overhead = {
    plainMs: median(plain),
    harnessMs: median(harness),
    ratio: median(harness) / median(plain),
    plainFitMs: median(plainFit),
    harnessTrainMs: median(harnessTrain),
    trainRatio: median(harnessTrain) / median(plainFit),
  };
  results.firstEpochMs = median(firstEpoch);
  results.peakRssMb = Math.max(...peak);

  // (b) as a user sees it: the CLI process started → first epoch line printed.
  const cliFirst: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dir = prepareAttempt(handTuning, templates, handTuning.manifest.solutions.reference);
    cliFirst.push(await firstEpochLine(dir));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  results.cliFirstEpochMs = median(cliFirst);

  // (c) backends × workloads
  const backends: BackendName[] = [];
  for (const b of ['tensorflow', 'wasm', 'cpu'] as BackendName[]) if (await backendWorks(b)) backends.push(b);
  const perLab: Record<string, Record<string, number>> = {};
  for (const lab of catalog.labs) {
    perLab[lab.manifest.id] = {};
    for (const b of backends) {
      const times: number[] = [];
      for (let i = 0; i < Math.min(rounds, 3); i++) times.push((await runReference(lab, b)).trainMs);
      perLab[lab.manifest.id][b] = median(times);
    }
  }
  results.backends = perLab;

  const o = results.overhead as Record<string, number>;
  printTable('Spine benchmarks (median of ' + rounds + ')', [
    ['scaffold hand-tuning', `${(results.scaffoldMs as number).toFixed(1)} ms`, 'goal < 300 ms'],
    ['plain model.fit script, end to end', `${o.plainMs.toFixed(0)} ms`, ''],
    ['through the runner, end to end', `${o.harnessMs.toFixed(0)} ms`, ''],
    ['(a) harness overhead, end to end', `${o.ratio.toFixed(3)} ×`, 'goal ≤ 1.03'],
    ['(a) training loop only (fit vs harness fit)', `${o.trainRatio.toFixed(3)} ×`, `${o.plainFitMs.toFixed(0)} vs ${o.harnessTrainMs.toFixed(0)} ms`],
    ['(b) runLab() → first epoch event', `${(results.firstEpochMs as number).toFixed(0)} ms`, 'goal < 1500 ms'],
    ['(b) `mllabs run` started → first epoch line', `${(results.cliFirstEpochMs as number).toFixed(0)} ms`, 'goal < 1500 ms'],
    ['(d) peak RSS of the runner child', `${(results.peakRssMb as number).toFixed(0)} MB`, ''],
  ]);
  printTable(
    '(c) training time per backend (ms, median) — fastest first is what "auto" should try',
    Object.entries(perLab).map(([id, t]) => {
      const order = Object.entries(t).sort((a, b) => a[1] - b[1]);
      return [id, ...backends.map((b) => (t[b] ?? NaN).toFixed(0)), order.map(([b]) => b).join(' > ')];
    }),
    ['lab', ...backends, 'fastest → slowest'],
  );
  fs.mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'bench', 'results', 'spine.json'), JSON.stringify(results, null, 2));
}

function firstEpochLine(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'run', dir, '--backend', 'cpu', '--seed', '1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let seen = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (!seen && /^\s+epoch\s+1\//m.test(d)) {
        seen = true;
        resolve(performance.now() - t0);
      }
    });
    child.on('exit', () => (seen ? undefined : reject(new Error('no epoch line'))));
  });
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
