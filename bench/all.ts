// Runs the benchmarks one after another (never in parallel: they would slow each other down).
//   node out/bench/all.js                  all of them
//   node out/bench/all.js spine activation only these
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const BENCHES: Record<string, string> = {
  spine: 'the runner: overhead vs plain model.fit, first epoch latency, backends, memory, scaffolding',
  'run-overhead': 'a whole `mllabs run` vs a plain model.fit script (and an earlier version, with BENCH_BASELINE)',
  activation: 'extension activation time and bundle size',
  compiler: "the learner's code compiler: native esbuild vs esbuild-wasm (compile time, Run → first epoch, size)",
  'tuner-algorithms': 'Bayesian vs random search on Branin and Hartmann-6',
  'tuner-parallel': 'parallel efficiency of a study of real trials',
  'dashboard-render': 'dashboard: 100k points cold, streaming update rate',
  'playground-speed': 'playground trainer vs TensorFlow.js (and TF Playground when available)',
  'playground-panel': 'playground panel: epochs per second and frames per second',
  queue: "class grading on queue workers vs this machine: gradings per minute, the queue's cost per job",
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
let failed = 0;
for (const name of names) {
  const file = path.join(__dirname, `${name}.js`);
  if (!BENCHES[name] || !fs.existsSync(file)) {
    console.error(`no benchmark "${name}" (have: ${Object.keys(BENCHES).join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n━━ ${name}: ${BENCHES[name]}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
