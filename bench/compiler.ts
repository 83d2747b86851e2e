// The compiler of the learner's code, two ways to make it run on every platform:
//   native — esbuild's binary, one per platform (each platform's package carries its own)
//   wasm   — esbuild-wasm, one package for every platform
// (a) a learner file compiled in a fresh process, as a run pays it (load, start, compile), and a
//     second compile in the same process; TypeScript's transpileModule of the one file (no bundling)
//     as a lower bound for a TypeScript-based compiler
// (b) Run → first epoch through the real runner, built once with each compiler
// (c) what each adds to a package
// Rounds alternate the variants so that drift on a shared machine affects all alike.
import { spawn } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { findLab, loadCatalog } from '../src/core/lab/catalog';
import { openLab, runLab } from '../src/core/run/labRun';
import { installPaths } from '../src/core/files/paths';
import { prepareAttempt } from '../src/cli/verify';
import { median, printTable, REPO_ROOT, tempDir } from './util';

type Variant = 'native' | 'wasm';
const VARIANTS: Variant[] = ['native', 'wasm'];
const templates = installPaths(REPO_ROOT).templatesDir;

function runJson(args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

/** The evaluator bundle (which compiles the learner's code) as esbuild.js builds it, with `esbuild` swapped for `esbuild-wasm`. */
async function buildWasmRunner(): Promise<string> {
  const { builds } = require(path.join(REPO_ROOT, 'esbuild.js')) as { builds: esbuild.BuildOptions[] };
  const runner = builds.find((b) => b.outfile === 'dist/evaluator.js');
  if (!runner) throw new Error('esbuild.js no longer builds dist/evaluator.js');
  const outfile = path.join(REPO_ROOT, 'out', 'bench', 'evaluator-esbuild-wasm.js');
  await esbuild.build({
    ...runner,
    absWorkingDir: REPO_ROOT,
    outfile,
    plugins: [{ name: 'wasm-compiler', setup: (b) => b.onResolve({ filter: /^esbuild$/ }, () => ({ path: 'esbuild-wasm', external: true })) }],
  });
  return outfile;
}

async function firstEpoch(runnerScript: string): Promise<number> {
  const lab = findLab(loadCatalog(templates), 'hand-tuning')!;
  const dir = prepareAttempt(lab, templates, lab.manifest.solutions.reference);
  let first = NaN;
  const t0 = performance.now();
  const handle = runLab(
    openLab(dir, REPO_ROOT),
    { installRoot: REPO_ROOT, evaluatorScript: runnerScript, backend: 'cpu', seed: 1 },
    {
      onEpoch: () => {
        if (Number.isNaN(first)) first = performance.now() - t0;
      },
    },
  );
  // The first epoch is what is measured: stop the run there.
  const poll = setInterval(() => !Number.isNaN(first) && handle.cancel(), 10);
  const { record } = await handle.result;
  clearInterval(poll);
  fs.rmSync(dir, { recursive: true, force: true });
  if (Number.isNaN(first)) throw new Error(`no epoch through ${path.basename(runnerScript)}: ${record.status} ${record.failure?.message ?? ''}`);
  return first;
}

function fileSize(file: string): number {
  return fs.statSync(file).size;
}

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const lab = findLab(loadCatalog(templates), 'custom-estimator')!;
  const labDir = prepareAttempt(lab, templates, lab.manifest.solutions.reference);
  const entry = lab.manifest.files[0];
  const outDir = tempDir();
  const once = path.join(REPO_ROOT, 'out', 'bench', 'compileOnce.js');

  const cold: Record<Variant | 'typescript', number[]> = { native: [], wasm: [], typescript: [] };
  const warm: Record<Variant, number[]> = { native: [], wasm: [] };
  for (let i = 0; i < rounds; i++) {
    for (const v of VARIANTS) {
      const r = await runJson([once, v, labDir, entry, outDir]);
      cold[v].push(r.coldMs);
      warm[v].push(r.warmMs);
    }
    cold.typescript.push((await runJson([once, 'typescript', labDir, entry, outDir])).coldMs);
  }

  const runners: Record<Variant, string> = { native: installPaths(REPO_ROOT).evaluatorScript, wasm: await buildWasmRunner() };
  const epoch: Record<Variant, number[]> = { native: [], wasm: [] };
  for (let i = 0; i < rounds; i++) for (const v of VARIANTS) epoch[v].push(await firstEpoch(runners[v]));

  const nativeBinary = require.resolve(`@esbuild/${process.platform}-${process.arch}/${process.platform === 'win32' ? 'esbuild.exe' : 'bin/esbuild'}`);
  const wasmBinary = path.join(path.dirname(require.resolve('esbuild-wasm/package.json')), 'esbuild.wasm');
  const m = (xs: number[]) => median(xs);
  const results = {
    coldCompileMs: { native: m(cold.native), wasm: m(cold.wasm), typescriptTranspileOnly: m(cold.typescript) },
    warmCompileMs: { native: m(warm.native), wasm: m(warm.wasm) },
    firstEpochMs: { native: m(epoch.native), wasm: m(epoch.wasm) },
    compilerBytes: { native: fileSize(nativeBinary), wasm: fileSize(wasmBinary) },
  };
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)} ×`;
  printTable(
    `Compiling ${lab.manifest.id}/${entry} (median of ${rounds})`,
    [
      [
        '(a) fresh process: load + start + compile',
        ms(results.coldCompileMs.native),
        ms(results.coldCompileMs.wasm),
        ratio(results.coldCompileMs.wasm, results.coldCompileMs.native),
      ],
      [
        '(a) second compile, same process',
        ms(results.warmCompileMs.native),
        ms(results.warmCompileMs.wasm),
        ratio(results.warmCompileMs.wasm, results.warmCompileMs.native),
      ],
      [
        '(a) TypeScript transpileModule, one file, fresh process',
        ms(results.coldCompileMs.typescriptTranspileOnly),
        '',
        ratio(results.coldCompileMs.typescriptTranspileOnly, results.coldCompileMs.native),
      ],
      [
        '(b) Run → first epoch (hand-tuning, cpu)',
        ms(results.firstEpochMs.native),
        ms(results.firstEpochMs.wasm),
        ratio(results.firstEpochMs.wasm, results.firstEpochMs.native),
      ],
      [
        '(c) compiler in the package (uncompressed)',
        `${(results.compilerBytes.native / 1e6).toFixed(1)} MB`,
        `${(results.compilerBytes.wasm / 1e6).toFixed(1)} MB`,
        '',
      ],
    ],
    ['what', 'native esbuild', 'esbuild-wasm', 'wasm / native'],
  );
  fs.rmSync(labDir, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'bench', 'results', 'compiler.json'), JSON.stringify(results, null, 2));
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
