// One compile of a learner file in a fresh process, as a run pays it: load the compiler, start it,
// compile. Then a second compile in the same process (what a long-lived compiler would pay).
//   node out/bench/compileOnce.js native|wasm|typescript <labDir> <entry> <outDir>
// Prints {"coldMs": …, "warmMs": …} on stdout. `typescript` only transpiles the one file (no bundling,
// no import checks): a lower bound for a compiler built on TypeScript's transpiler.
import * as fs from 'fs';
import * as path from 'path';
import { compileWith, type EsbuildApi } from '../src/child/common/compileLearner';

async function main(): Promise<void> {
  const [which, labDir, entry, outDir] = process.argv.slice(2);
  const t0 = performance.now();
  if (which === 'typescript') {
    const ts = require('typescript') as typeof import('typescript');
    const out = ts.transpileModule(fs.readFileSync(path.join(labDir, entry), 'utf8'), {
      fileName: entry,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
    });
    fs.writeFileSync(path.join(outDir, 'learner.js'), out.outputText);
    process.stdout.write(JSON.stringify({ coldMs: performance.now() - t0 }) + '\n');
    return;
  }
  const esbuild = (which === 'wasm' ? require('esbuild-wasm') : require('esbuild')) as EsbuildApi & { stop(): Promise<void> };
  await compileWith(esbuild, labDir, entry, outDir);
  const coldMs = performance.now() - t0;
  const t1 = performance.now();
  await compileWith(esbuild, labDir, entry, outDir);
  const warmMs = performance.now() - t1;
  await esbuild.stop();
  process.stdout.write(JSON.stringify({ coldMs, warmMs }) + '\n');
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
