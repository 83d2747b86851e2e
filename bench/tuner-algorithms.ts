// Bayesian optimisation vs random search on standard test functions, through the real study
// runner (sampler, scheduler, journal in memory). For each function and seed, a study of 30 trials
// runs with each algorithm; the simple regret is the best value found minus the global minimum.
// Goal: the Bayesian median regret is at most half the random one, on both functions.
//
//   npx tsc -p test/tsconfig.json && node out/bench/tuner-algorithms.js [--seeds 20] [--trials 30] [--parallel 1]
//
// Exits 0 whether or not the goal is met: it reports, it does not gate.
import { LocalTrialScheduler, MemoryStudyStorage, runStudy, StudySpec, type Params, type StudySpecInput } from '../src/core/tuner';

interface Problem {
  name: string;
  globalMinimum: number;
  params: StudySpecInput['params'];
  f(p: Params): number;
}

/** Branin–Hoo on [−5, 10] × [0, 15]; three global minima, value 0.397887. */
const BRANIN: Problem = {
  name: 'Branin',
  globalMinimum: 0.397887,
  params: [
    { parameterName: 'x1', type: 'DOUBLE', minValue: -5, maxValue: 10 },
    { parameterName: 'x2', type: 'DOUBLE', minValue: 0, maxValue: 15 },
  ],
  f(p) {
    const x1 = p.x1 as number;
    const x2 = p.x2 as number;
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2];
const HARTMANN_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

/** Hartmann-6 on [0, 1]^6; global minimum −3.32237. */
const HARTMANN6: Problem = {
  name: 'Hartmann-6',
  globalMinimum: -3.32237,
  params: [1, 2, 3, 4, 5, 6].map((i) => ({ parameterName: `x${i}`, type: 'DOUBLE' as const, minValue: 0, maxValue: 1 })),
  f(p) {
    const x = [1, 2, 3, 4, 5, 6].map((i) => p[`x${i}`] as number);
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2;
      sum += HARTMANN_ALPHA[i] * Math.exp(-inner);
    }
    return -sum;
  },
};

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}

async function regret(problem: Problem, algorithm: 'RANDOM_SEARCH' | undefined, seed: number, trials: number, parallel: number): Promise<number> {
  const spec = StudySpec.parse({ goal: 'MINIMIZE', maxTrials: trials, maxParallelTrials: parallel, algorithm, seed, params: problem.params });
  const outcome = await runStudy({
    storage: new MemoryStudyStorage(),
    spec,
    scheduler: new LocalTrialScheduler(async (t) => ({ objective: problem.f(t.params) }), { cpuCount: parallel }),
  });
  if (outcome.status !== 'completed' || !outcome.best) throw new Error(`${problem.name}: study ${outcome.status} (${outcome.reason})`);
  return outcome.best.objective - problem.globalMinimum;
}

async function main(): Promise<void> {
  const seeds = option('seeds', 20);
  const trials = option('trials', 30);
  const parallel = option('parallel', 1);
  console.log(`Tuner benchmark: ${trials} trials per study, ${seeds} seeds, ${parallel} trial(s) at a time; simple regret = best found − global minimum.\n`);
  const header = ['function', 'global min', 'random: median regret [q25, q75]', 'Bayesian: median regret [q25, q75]', 'Bayesian / random', 'time'];
  const rows: string[][] = [];
  let met = true;
  for (const problem of [BRANIN, HARTMANN6]) {
    const started = Date.now();
    const random: number[] = [];
    const bayesian: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      random.push(await regret(problem, 'RANDOM_SEARCH', seed, trials, parallel));
      bayesian.push(await regret(problem, undefined, seed, trials, parallel));
    }
    const ratio = median(bayesian) / median(random);
    met &&= ratio <= 0.5;
    const cell = (v: number[]) => `${median(v).toPrecision(3)} [${quantile(v, 0.25).toPrecision(3)}, ${quantile(v, 0.75).toPrecision(3)}]`;
    rows.push([problem.name, String(problem.globalMinimum), cell(random), cell(bayesian), ratio.toFixed(3), `${((Date.now() - started) / 1000).toFixed(1)} s`]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  rows.forEach((r) => console.log(line(r)));
  console.log(`\nGoal "Bayesian ≤ half of random's median regret on both": ${met ? 'met' : 'NOT met'}`);
}

main().catch((err: unknown) => {
  // A crash is not a result: unlike a missed goal, it fails.
  console.error(err);
  process.exitCode = 1;
});
