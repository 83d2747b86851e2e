// Compiles the learner's TypeScript with esbuild (bundled, with source maps) so stack traces point
// at the learner's own lines. `@tensorflow/tfjs` resolves to the runner's TensorFlow.js instance;
// anything else outside the lab folder is refused, so the harness stays in charge of data and grading.
// esbuild is a native binary: each platform's package of the extension carries the one it needs
// (measured ~40x faster to start than the platform-neutral esbuild-wasm: bench/compiler.ts).
import * as path from 'path';
import type { Message, Plugin } from 'esbuild';
import type { SourceLocation } from '../../core/run/protocol';

export const TF_GLOBAL = Symbol.for('mllabs.tf');
const TF_MODULES = /^@tensorflow\/tfjs(-core|-layers)?$/;

export class CompileError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

/**
 * esbuild could not start at all: not the learner's doing. Typically the installed package was built
 * for another platform than this one (its esbuild binary does not run here).
 */
export class CompilerUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `the TypeScript compiler (esbuild) cannot run on this machine (${process.platform}-${process.arch}): ${detail.trim().split('\n')[0]}. ` +
        'Install the ML Labs package built for this platform (see "Install" in the README).',
    );
    this.name = 'CompilerUnavailableError';
  }
}

/** The esbuild API: the native package here, esbuild-wasm where a benchmark compares the two. */
export type EsbuildApi = Pick<typeof import('esbuild'), 'build'>;

function labImportsPlugin(labDir: string): Plugin {
  return {
    name: 'mllabs-lab-imports',
    setup(build) {
      build.onResolve({ filter: TF_MODULES }, () => ({ path: 'tfjs', namespace: 'mllabs-tf' }));
      build.onLoad({ filter: /.*/, namespace: 'mllabs-tf' }, () => ({
        contents: `module.exports = globalThis[Symbol.for('mllabs.tf')];`,
        loader: 'js',
      }));
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path.startsWith('.') || path.isAbsolute(args.path)) {
          const target = path.resolve(args.resolveDir, args.path);
          const rel = path.relative(labDir, target);
          if (rel.startsWith('..') || path.isAbsolute(rel)) {
            return { errors: [{ text: `"${args.path}" is outside the lab folder; labs can import only their own files` }] };
          }
          return undefined;
        }
        return {
          errors: [
            {
              text: `"${args.path}" cannot be imported in a lab: only "@tensorflow/tfjs" and the lab's own files are available (the harness provides the data)`,
            },
          ],
        };
      });
    },
  };
}

function toLocation(labDir: string, message: Message): SourceLocation | undefined {
  const loc = message.location;
  if (!loc) return undefined;
  return { file: path.relative(labDir, path.resolve(labDir, loc.file)).split(path.sep).join('/'), line: loc.line, column: loc.column + 1 };
}

/** Returns the path of the compiled CommonJS bundle. */
export async function compileLearner(labDir: string, entry: string, outDir: string): Promise<string> {
  let esbuild: EsbuildApi;
  try {
    // Loaded synchronously, so that esbuild's own process starts at once, before the caller goes on
    // to other work (the evaluator loads the data while the code compiles).
    esbuild = require('esbuild') as EsbuildApi;
  } catch (err) {
    throw new CompilerUnavailableError((err as Error).message);
  }
  return compileWith(esbuild, labDir, entry, outDir);
}

/** compileLearner with a given esbuild API (same options, plugin and errors whichever it is). */
export async function compileWith(esbuild: EsbuildApi, labDir: string, entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'learner.js');
  try {
    await esbuild.build({
      entryPoints: [path.join(labDir, entry)],
      absWorkingDir: labDir,
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      // The lab's tsconfig.json is for the editor: a learner's edits to it never change how runs compile.
      tsconfigRaw: {},
      plugins: [labImportsPlugin(labDir)],
    });
  } catch (err) {
    const errors: Message[] = (err as { errors?: Message[] }).errors ?? [];
    if (errors.length === 0 && isStartFailure(err)) throw new CompilerUnavailableError((err as Error).message);
    if (errors.length === 0) throw new CompileError(`could not compile ${entry}: ${(err as Error).message}`);
    const first = errors[0];
    const location = toLocation(labDir, first);
    const where = location ? `${location.file}:${location.line}:${location.column}: ` : '';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new CompileError(`${where}${first.text}${more}`, location);
  }
  return outfile;
}

/**
 * How esbuild fails when its binary is missing or cannot run here: it names another platform's
 * package, cannot find one for this platform, or the binary will not execute.
 */
function isStartFailure(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EBADARCH') return true;
  return /installed esbuild for another platform|could not be found, and is needed by esbuild|The service (was stopped|is no longer running)|spawn .*esbuild/i.test(
    String(e?.message ?? ''),
  );
}
